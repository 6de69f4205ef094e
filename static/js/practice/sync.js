// Solo practice's link with the server: this browser's learner token (localStorage + the
// server's cookie), and finished rounds sent once — queued in localStorage while offline and
// sent when the connection returns, each with its own UUID so a resend is stored once.
const TOKEN_KEY = "vk-learner";
const QUEUE_KEY = "vk-practice-queue";

function csrf() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
}

/** POST JSON; resolves {status, body}; rejects only when the network is down. */
export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await response.json(); } catch { data = {}; }
  return { status: response.status, body: data };
}

export const token = () => localStorage.getItem(TOKEN_KEY) || "";
export const setToken = (value) => localStorage.setItem(TOKEN_KEY, value);

/** Make sure this browser is a learner (restores the cookie from localStorage, or the other
 * way round); true when the server knows it. */
export async function ensureLearner(url) {
  try {
    const answer = await postJSON(url, { token: token() });
    if (answer.status === 200 && answer.body.token) {
      setToken(answer.body.token);
      return true;
    }
  } catch { /* offline: the results wait in the queue */ }
  return false;
}

export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const readQueue = () => {
  try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch { return []; }
};
const writeQueue = (items) => localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
export const queued = () => readQueue().length;

/** Keep a finished round until the server has it (it stays through reloads). */
export function enqueue(result) {
  writeQueue([...readQueue().filter((r) => r.id !== result.id), result]);
}

let flushing = null;

/** Send every queued round. `onAnswer(id, {status, body})` for each the server answered;
 * 200 and 400 leave the queue (stored, or refused for good), 429 and network errors stay. */
export function flush(url, onAnswer) {
  if (flushing) return flushing;
  flushing = (async () => {
    for (const result of readQueue()) {
      let answer;
      try {
        answer = await postJSON(url, { ...result, token: result.token || token() });
      } catch {
        break; // still offline
      }
      if (answer.status === 429 || answer.status >= 500) break;
      writeQueue(readQueue().filter((r) => r.id !== result.id));
      onAnswer?.(result.id, answer);
    }
  })().finally(() => { flushing = null; });
  return flushing;
}
