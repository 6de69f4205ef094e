// Solo karuta: the page carries the whole round (cards, texts, pictures), so it plays on with
// the network down; the finished round is sent once (sync.js). Strings come from the page.
import { canSpeak, hush, speak } from "../play/speech.js";
import { ensureLearner, enqueue, flush, newId, postJSON, setToken, token } from "./sync.js";

const config = JSON.parse(document.getElementById("practice-config").textContent);
const S = config.strings;
const t = (key, params = {}) => (S[key] || key).replace(/\{(\w+)\}/g, (_, n) => String(params[n] ?? ""));
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

const names = (byLang) => el("span", { class: "name" },
  ...config.langs.map((lang, i) => el("span", { lang, class: i ? "sub" : "", text: byLang[lang] })));
const plain = (byLang) => config.langs.map((lang) => byLang[lang]).join(" / ");
const seconds = (ms) => t("seconds", { s: (ms / 1000).toFixed(1) });
const byNumber = new Map(config.cards.map((c) => [c.number, c]));

function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

// --- one round -------------------------------------------------------------------------------

let game = null;

function start(event) {
  event?.preventDefault();
  const form = $("practice-setup");
  const data = new FormData(form);
  // A review reads in its dealt order (confusable values one after the other).
  const order = config.card_set === "review" ? config.cards.map((c) => c.number) : shuffled(config.cards.map((c) => c.number));
  game = {
    id: newId(),
    mode: data.get("mode") || "normal",
    pace: data.get("pace") || "normal",
    speech: data.get("speech") === "on" && canSpeak(),
    order,
    index: -1,
    rounds: [],
    wrong: [],
    startedAt: 0,
    timer: 0,
  };
  form.hidden = true;
  $("practice-intro").hidden = true;
  $("practice-end").hidden = true;
  $("practice-game").hidden = false;
  window.scrollTo(0, 0);
  drawBoard(shuffled(order));
  next();
}

function drawBoard(numbers) {
  $("practice-board").replaceChildren(...numbers.map((n) => {
    const card = byNumber.get(n);
    return el("button", { type: "button", class: "torifuda", "data-number": n, "data-field": card.field,
      "aria-label": plain(card.name) },
      el("img", { src: card.image, alt: "", width: 72, height: 72 }), names(card.name));
  }));
}

function next() {
  clearInterval(game.timer);
  hush();
  $("practice-pair").hidden = true;
  $("practice-status").textContent = "";
  game.index += 1;
  if (game.index >= game.order.length) return finish();
  game.wrong = [];
  game.locked = false;
  const card = byNumber.get(game.order[game.index]);
  $("practice-progress").textContent = t("progress", { n: game.index + 1, total: game.order.length });
  const box = $("practice-read");
  box.dataset.number = card.number; // solo play: the page holds every answer anyway
  const lines = config.langs.map((lang, i) => el("p", { lang, class: i ? "sub" : "" }));
  box.replaceChildren(...lines);
  game.startedAt = performance.now();
  const pace = config.paces[game.pace] || 1;
  // The text appears at reading pace, each language at its own (as in a room).
  const tick = () => {
    const elapsed = (performance.now() - game.startedAt) / 1000;
    config.langs.forEach((lang, i) => {
      const text = card.read[lang] || "";
      const shown = Math.ceil(elapsed * (config.read_speed[lang] || 12) * pace);
      lines[i].textContent = text.slice(0, shown);
    });
    $("practice-clock").textContent = seconds(elapsedSoFar() + (performance.now() - game.startedAt));
  };
  tick();
  game.timer = setInterval(tick, 100);
  if (game.speech) speak(Object.fromEntries(config.langs.map((lang) => [lang, card.read[lang]])));
}

const elapsedSoFar = () => game.rounds.reduce((sum, r) => sum + r.ms, 0);

function take(button) {
  if (!game || game.locked || game.index >= game.order.length) return;
  const read = game.order[game.index];
  const taken = Number(button.dataset.number);
  const ms = Math.round(performance.now() - game.startedAt);
  if (taken === read) {
    game.locked = true;
    game.rounds.push({ read, wrong: game.wrong, ms });
    button.disabled = true;
    button.classList.add("gone");
    $("practice-status").textContent = plain(byNumber.get(read).name);
    setTimeout(next, 350);
    return;
  }
  // A wrong take: the reading stops and both cards are shown side by side with their concept
  // lines; the card read counts as missed and leaves the board.
  game.locked = true;
  clearInterval(game.timer);
  hush();
  game.rounds.push({ read, wrong: [...game.wrong, taken], ms });
  $("practice-status").textContent = t("wrong");
  $("practice-pair-cards").replaceChildren(pairCard(byNumber.get(read), "read", t("read")),
    pairCard(byNumber.get(taken), "taken", t("youTook")));
  $("practice-pair").hidden = false;
  const right = $("practice-board").querySelector(`[data-number="${read}"]`);
  right.disabled = true;
  right.classList.add("gone");
  $("practice-next").focus();
}

function pairCard(card, role, label) {
  return el("article", { class: `pair-card ${role}`, "data-number": card.number, "data-field": card.field },
    el("p", { class: "pair-role", text: label }),
    el("div", { class: "pair-face" }, el("img", { src: card.image, alt: "", width: 56, height: 56 }), names(card.name)),
    el("div", { class: "concept" }, ...config.langs.map((lang, i) => el("p", { lang, class: i ? "sub" : "", text: card.concept[lang] }))));
}

// --- the end ---------------------------------------------------------------------------------

function finish() {
  clearInterval(game.timer);
  hush();
  const elapsed = elapsedSoFar();
  const wrong = game.rounds.reduce((n, r) => n + r.wrong.length, 0);
  const penalty = game.mode === "time_attack" ? wrong * config.penalty_ms : 0;
  const rounds = game.rounds.length;
  $("practice-game").hidden = true;
  const end = $("practice-end");
  end.hidden = false;
  $("end-time").textContent = seconds(elapsed);
  // A wrong take shows the answer: that card gets no right take. Accuracy = right / all takes.
  const right = game.rounds.filter((r) => !r.wrong.length).length;
  $("end-accuracy").textContent = t("percent", { p: Math.round((100 * right) / (right + wrong)) });
  $("end-score-row").hidden = game.mode !== "time_attack";
  $("end-score").textContent = `${seconds(elapsed + penalty)} (${t("penalties", { n: wrong, s: config.penalty_ms / 1000 })})`;
  const missed = game.rounds.filter((r) => r.wrong.length);
  $("end-missed").replaceChildren(...(missed.length ? missed.map((r) => {
    const card = byNumber.get(r.read);
    return el("li", { "data-number": r.read, "data-field": card.field },
      el("img", { src: card.image, alt: "", width: 32, height: 32 }), names(card.name));
  }) : [el("li", { class: "none", text: t("noneMissed") })]));
  const previous = config.best?.[game.mode];
  const score = elapsed + penalty;
  const local = !previous || (game.mode === "time_attack" ? score < previous[1] : wrong < previous[0] || (wrong === previous[0] && score < previous[1]));
  $("end-best").textContent = local ? t("best") : t("bestWas", { best: seconds(previous[1]) });
  end.focus();
  const result = { id: game.id, mode: game.mode, card_set: config.card_set, pace: game.pace,
    lang: config.lang, elapsed_ms: elapsed, rounds: game.rounds, assignment: config.assignment || "",
    token: token() };
  enqueue(result);
  send(result.id);
}

function send(id) {
  const status = $("end-sync");
  if (status && id) status.textContent = t("sending");
  return flush(config.urls.results, (sent, answer) => {
    if (answer.status === 200 && answer.body.assignment) showProgress(answer.body.assignment);
    // A round queued earlier (another visit) that the server refused for good, e.g. after an
    // assignment's deadline: it leaves the queue, and the page says why once.
    const note = $("practice-queue-note");
    if (sent !== game?.id && answer.status !== 200 && note) {
      note.textContent = t("rejected", { message: answer.body.message || answer.status });
    }
    if (sent !== game?.id || !status) return;
    if (answer.status === 200) {
      status.textContent = t("saved");
      $("end-best").textContent = answer.body.personal_best ? t("best")
        : t("bestWas", { best: seconds(answer.body.previous_best[1]) });
      if (answer.body.personal_best) config.best[game.mode] = [answer.body.wrong, answer.body.score_ms];
    } else {
      status.textContent = t("rejected", { message: answer.body.message || answer.status });
    }
  }).then(() => {
    if (status && id && status.textContent === t("sending")) status.textContent = t("queued");
  });
}

// An assignment's page: "Round 2 of 3", then "Assignment complete" (the server counts).
function showProgress(progress) {
  const line = $("assignment-progress");
  if (!line) return;
  line.textContent = progress.complete
    ? t("assignmentDone", { done: progress.done, total: progress.required })
    : t("assignmentRound", { n: progress.done + 1, total: progress.required });
}

function network() {
  const net = $("practice-net");
  if (net) net.hidden = navigator.onLine;
  if (navigator.onLine) ensureLearner(config.urls.learner).then(() => send(null));
}

// --- another device, and a game from class ---------------------------------------------------

async function showCode() {
  await ensureLearner(config.urls.learner);
  const answer = await postJSON(config.urls.code, { token: token() });
  $("device-code").textContent = answer.status === 200 ? t("code", answer.body) : answer.body.message || "";
}

async function adopt(event) {
  event.preventDefault();
  const error = $("device-error");
  const answer = await postJSON(config.urls.adopt, { code: $("device-typed").value });
  if (answer.status === 200) {
    setToken(answer.body.token);
    $("device-code").textContent = t("adopted");
    location.reload();
    return;
  }
  error.textContent = answer.body.message || String(answer.status);
  error.hidden = false;
}

async function bringIn(code) {
  const status = $("import-status");
  const seat = localStorage.getItem(`vk-seat-${code}`);
  if (!seat) {
    status.textContent = t("noSeat");
    return;
  }
  await ensureLearner(config.urls.learner);
  const answer = await postJSON(config.urls.import, { room: code, seat, token: token() });
  if (answer.status !== 200) {
    status.textContent = t("importFailed", { message: answer.body.message || answer.status });
    return;
  }
  sessionStorage.setItem("vk-practice-imported", answer.body.imported ? t("imported", { n: answer.body.rated }) : t("importedBefore"));
  location.replace(config.urls.review + (config.lang === "both" ? "?both=1" : ""));
}

async function boot() {
  const note = sessionStorage.getItem("vk-practice-imported");
  if (note) {
    sessionStorage.removeItem("vk-practice-imported");
    const intro = $("practice-intro");
    intro?.append(el("p", { class: "practice-status", role: "status", text: note }));
  }
  // The round's pictures are fetched now, so they are there if the network drops mid-game.
  for (const card of config.cards) new Image().src = card.image;
  if (config.import_from) return bringIn(config.import_from);
  const hadToken = Boolean(token());
  const known = await ensureLearner(config.urls.learner);
  // A browser whose cookie was lost but whose localStorage kept the token: the server knows
  // it again now; a review (dealt from its memory) is drawn again once.
  if (!config.known && hadToken && known && config.card_set === "review" && !sessionStorage.getItem("vk-practice-reloaded")) {
    sessionStorage.setItem("vk-practice-reloaded", "1");
    location.reload();
    return;
  }
  send(null);
}

$("practice-setup")?.addEventListener("submit", start);
$("practice-board")?.addEventListener("click", (event) => {
  const button = event.target.closest(".torifuda");
  if (button && !button.disabled) take(button);
});
$("practice-next")?.addEventListener("click", next);
$("practice-again")?.addEventListener("click", () => {
  $("practice-end").hidden = true;
  start();
});
$("device-show")?.addEventListener("click", showCode);
$("device-adopt")?.addEventListener("submit", adopt);
window.addEventListener("online", network);
window.addEventListener("offline", network);
network();
boot();
