// What every room page shares: the state the server sent, and drawing it.
// Messages and fields are those of docs/protocol.md; strings come from the page.
import { connect } from "./connection.js";
import { canSpeak, hush, speak } from "./speech.js";

export const config = JSON.parse(document.getElementById("play-config").textContent);
const S = config.strings;
const $ = (id) => document.getElementById(id);
const READ_SPEED = { ja: 8, en: 15 }; // characters a second, about a reader's pace

export function t(key, params = {}) {
  return (S[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** "1 pt" / "3 pts", "1 card" / "2 cards" (Japanese has one form for both). */
export const points = (count) => t(count === 1 ? "pts_one" : "pts", { count });
export const cards = (count) => t(count === 1 ? "cards_one" : "cards", { count });

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
export { el };

export const room = {
  state: null,
  settings: {},
  reader: null,
  you: { role: config.role, seat: null, locked: false },
  players: new Map(),
  board: new Map(),
  order: [],
  turn: null,
  result: null,
  ranking: null,
  nextAt: null,
};

export function langsOf(textByLang) {
  return Object.keys(textByLang || {});
}

/** A name in the room's language(s): Japanese on top, English under it in "both". */
export function nameNode(name, cls = "name") {
  const langs = langsOf(name);
  const node = el("span", { class: cls });
  langs.forEach((lang, i) =>
    node.append(el("span", { lang, class: i ? "sub" : "main", text: name[lang] })),
  );
  return node;
}

export function plainName(name) {
  return langsOf(name)
    .map((lang) => name[lang])
    .join(" / ");
}

// --- drawing ---------------------------------------------------------------------------

export function drawBoard(onTake) {
  const board = $("board");
  if (!board) return;
  board.replaceChildren();
  board.hidden = room.order.length === 0;
  for (const id of room.order) {
    const card = room.board.get(id);
    const tag = onTake ? "button" : "div";
    const attrs = { class: "torifuda", "data-id": id, style: `--field: ${card.color}` };
    if (onTake) {
      attrs.type = "button";
      attrs["aria-label"] = t("take", { name: plainName(card.name) });
    }
    const node = el(tag, attrs, el("img", { src: card.image, alt: "", width: 96, height: 96 }),
      nameNode(card.name));
    if (onTake) node.addEventListener("click", () => onTake(id));
    board.append(node);
    markCard(id);
  }
  board.style.setProperty("--count", room.order.length);
}

function markCard(id) {
  const node = document.querySelector(`.torifuda[data-id="${id}"]`);
  const card = room.board.get(id);
  if (!node || !card) return;
  node.classList.toggle("gone", card.gone);
  if (card.gone && node.tagName === "BUTTON") node.disabled = true;
  node.classList.toggle("locked", !card.gone && room.you.locked && room.state === "reading");
  const taker = card.taken_by ? room.players.get(card.taken_by) : null;
  node.querySelector(".taker")?.remove();
  if (card.gone) node.append(el("span", { class: "taker", text: taker ? taker.nickname : "—" }));
}

function remainingText() {
  if (room.state === "reading" && room.turn?.deadline) {
    const seconds = Math.max(0, Math.ceil((room.turn.deadline - Date.now()) / 1000));
    return t("seconds_left", { seconds });
  }
  if ((room.state === "taken" || room.state === "timeout") && room.nextAt) {
    const seconds = Math.max(0, Math.ceil((room.nextAt - Date.now()) / 1000));
    return t("next_in", { seconds });
  }
  return "";
}

function revealedText(lang, text) {
  const turn = room.turn;
  if (!turn || turn.answer || room.state !== "reading") return text;
  const elapsed = turn.elapsed + (Date.now() - turn.receivedAt);
  if (room.settings.reveal === "delayed") {
    return elapsed >= (room.settings.reveal_delay || 0) * 1000 ? text : "";
  }
  const shown = Math.floor((elapsed / 1000) * (READ_SPEED[lang] || 12));
  return shown >= text.length ? text : `${text.slice(0, shown)}…`;
}

function drawReading() {
  const box = $("reading");
  if (!box) return;
  const turn = room.turn;
  box.hidden = !turn || room.state === "finished" || room.state === "lobby";
  if (box.hidden) return;
  $("turn-info").textContent = t("card_of", { index: turn.index, total: turn.total });
  const answer = $("answer");
  answer.hidden = !turn.answer;
  if (turn.answer) {
    answer.replaceChildren(el("span", { class: "label", text: `${t("answer")}: ` }),
      nameNode(turn.answer.name));
  }
  const textBox = $("read-text");
  textBox.replaceChildren(
    ...langsOf(turn.text).map((lang) =>
      el("p", { lang, "data-lang": lang, text: revealedText(lang, turn.text[lang]) }),
    ),
  );
}

function tick() {
  const timer = $("timer");
  if (timer) timer.textContent = remainingText();
  const turn = room.turn;
  if (turn && room.state === "reading" && !turn.answer) {
    for (const p of document.querySelectorAll("#read-text p")) {
      p.textContent = revealedText(p.dataset.lang, turn.text[p.dataset.lang]);
    }
  }
}
setInterval(tick, 200);

function drawResult() {
  const box = $("result");
  if (!box) return;
  const result = room.result;
  box.hidden = !result || !(room.state === "taken" || room.state === "timeout");
  if (box.hidden) return;
  const card = result.back;
  const taker = result.by ? room.players.get(result.by) : null;
  const who = result.by
    ? t("taken_by", { name: taker ? taker.nickname : result.nickname || "?" })
    : t(result.skipped ? "skipped" : "nobody");
  const parts = [el("p", { class: "who", text: who })];
  if (result.bonus) parts.push(el("p", { class: "bonus", text: t("bonus", { points: result.bonus }) }));
  const back = el("div", { class: "card-back", style: `--field: ${card.color}` },
    el("img", { src: card.image, alt: "", width: 120, height: 120 }),
    el("div", {}, nameNode(card.name, "name big"),
      el("h3", { text: t("concept") }), textBlock(card.concept),
      el("h3", { text: t("outline") }), textBlock(card.outline)));
  box.replaceChildren(...parts, back);
}

function textBlock(byLang) {
  return el("div", { class: "text" },
    ...langsOf(byLang).map((lang, i) => el("p", { lang, class: i ? "sub" : "", text: byLang[lang] })));
}

export function sortedPlayers() {
  return [...room.players.values()].sort(
    (a, b) => b.score - a.score || b.cards - a.cards || a.nickname.localeCompare(b.nickname),
  );
}

export function drawScores(limit = Infinity, extra = null) {
  const list = $("scores");
  const count = $("player-count");
  if (count) count.textContent = t("players", { count: room.players.size });
  if (!list) return;
  const players = sortedPlayers().slice(0, limit);
  list.replaceChildren(
    ...players.map((p) => {
      const item = el("li", { "data-seat": p.id },
        el("span", { class: "nick", text: p.nickname }),
        el("span", { class: "pts", text: points(p.score) }),
        el("span", { class: "cards", text: cards(p.cards) }));
      if (p.id === room.reader) item.classList.add("is-reader");
      if (extra) extra(item, p);
      return item;
    }),
  );
  if (!players.length) list.replaceChildren(el("li", { class: "empty", text: t("nobody_yet") }));
}

function drawReader() {
  const line = $("reader-line");
  if (!line) return;
  const reader = room.reader ? room.players.get(room.reader) : null;
  if (reader) line.textContent = t("reader_is", { name: reader.nickname });
  else line.textContent = t(room.settings.reader_mode === "auto" ? "auto_reads" : "host_reads");
}

function drawRanking() {
  const box = $("ranking");
  if (!box) return;
  box.hidden = !room.ranking;
  if (!room.ranking) return;
  $("ranking-list").replaceChildren(
    ...room.ranking.map((row) =>
      el("li", { class: `rank-${row.rank}`, "data-seat": row.id },
        el("span", { class: "rank", text: row.rank }),
        el("span", { class: "nick", text: row.nickname }),
        el("span", { class: "pts", text: points(row.score) }),
        el("span", { class: "cards", text: cards(row.cards) }),
        el("ul", { class: "hand" }, ...row.hand.map((card) =>
          el("li", { style: `--field: ${card.color}` }, nameNode(card.name)))))),
  );
  if (config.survey_url) {
    $("survey").hidden = false;
    $("survey-link").href = config.survey_url;
  }
}

export function toast(text, kind = "") {
  const box = $("toast");
  if (!box) return;
  box.textContent = text;
  box.className = `toast ${kind}`;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 5000);
}

// --- sound ----------------------------------------------------------------------------

export const sound = { on: false };

export function setupSound(defaultOn) {
  const button = $("sound");
  if (!button) return;
  if (!canSpeak()) return;
  sound.on = defaultOn;
  const draw = () => {
    button.hidden = !room.settings.voice;
    button.setAttribute("aria-pressed", String(sound.on));
    button.textContent = t(sound.on ? "sound_on" : "sound_off");
  };
  button.addEventListener("click", () => {
    sound.on = !sound.on;
    if (!sound.on) hush();
    draw();
  });
  sound.draw = draw;
  draw();
}

// --- applying messages ----------------------------------------------------------------

function setBoard(cards) {
  room.board = new Map(cards.map((c) => [c.id, c]));
  room.order = cards.map((c) => c.id);
}

function setTurn(message) {
  room.turn = {
    index: message.index,
    total: message.total,
    text: message.text,
    answer: message.answer || null,
    elapsed: message.elapsed_ms || 0,
    receivedAt: Date.now(),
    deadline: message.remaining_ms == null ? null : Date.now() + message.remaining_ms,
  };
}

const handlers = {
  snapshot(m) {
    room.state = m.room.state;
    room.settings = m.room.settings;
    room.reader = m.room.reader;
    room.you = m.you;
    room.players = new Map(m.players.map((p) => [p.id, p]));
    setBoard(m.board);
    room.turn = null;
    if (m.turn) setTurn(m.turn);
    room.result = m.result;
    room.ranking = m.ranking;
    room.nextAt = m.room.next_in_ms == null ? null : Date.now() + m.room.next_in_ms;
    return "all";
  },
  settings(m) {
    room.settings = m.settings;
    return "all";
  },
  player_joined(m) {
    room.players.set(m.player.id, m.player);
    return "scores";
  },
  player_left(m) {
    room.players.delete(m.seat);
    return "scores";
  },
  reader(m) {
    room.reader = m.seat;
    if (room.turn && m.seat !== room.you.seat?.id && room.you.role !== "host") room.turn.answer = null;
    return "all";
  },
  answer(m) {
    if (room.turn) room.turn.answer = m.answer;
    return "all";
  },
  started(m) {
    setBoard(m.board);
    room.state = "taken";
    return "all";
  },
  reading(m) {
    room.state = "reading";
    room.result = null;
    room.nextAt = null;
    room.you.locked = false;
    const box = $("toast");
    if (box) box.hidden = true;
    setTurn(m);
    if (sound.on && room.settings.voice) speak(m.text);
    return "all";
  },
  taken(m) {
    room.state = "taken";
    const card = room.board.get(m.card);
    if (card) Object.assign(card, { gone: true, taken_by: m.by });
    for (const s of m.scores) {
      const p = room.players.get(s.id);
      if (p) Object.assign(p, { score: s.score, cards: s.cards });
      if (room.you.seat && s.id === room.you.seat.id) Object.assign(room.you.seat, s);
    }
    room.result = { card: m.card, by: m.by, nickname: m.nickname, back: m.back, bonus: m.bonus };
    room.nextAt = m.next_in_ms == null ? null : Date.now() + m.next_in_ms;
    hush();
    return "all";
  },
  timeout(m) {
    room.state = "timeout";
    const card = room.board.get(m.card);
    if (card) card.gone = true;
    room.result = { card: m.card, by: null, back: m.back, skipped: m.skipped };
    room.nextAt = m.next_in_ms == null ? null : Date.now() + m.next_in_ms;
    hush();
    return "all";
  },
  otetsuki(m) {
    const p = room.players.get(m.seat);
    if (p) Object.assign(p, { score: m.score, wrong: (p.wrong || 0) + 1 });
    if (room.you.seat && m.seat === room.you.seat.id) room.you.seat.score = m.score;
    const key = m.mode === "discuss" ? "otetsuki_discuss" : "otetsuki";
    toast(t(key, { name: m.nickname, card: plainName(m.name) }), "otetsuki");
    return "scores";
  },
  finished(m) {
    room.state = "finished";
    room.ranking = m.ranking;
    room.turn = null;
    room.result = null;
    return "all";
  },
  error(m) {
    toast(S[`err_${m.code}`] || t("error", { detail: m.detail }), "error");
    return null;
  },
};

/** Connect to the room; ``page`` adds role-specific drawing and handlers. */
export function start(page) {
  const status = $("connection");
  const conn = connect({
    path: config.ws,
    onOpen: () => page.hello(conn),
    onStatus: (what, code) => {
      if (!status) return;
      status.hidden = what === "open";
      status.textContent = t(what === "retry" ? "reconnecting" : "connecting");
      if (what === "closed" && code) page.closed?.(code);
    },
    onMessage: (message) => {
      const own = page.handlers?.[message.type];
      const handler = handlers[message.type];
      let what = handler ? handler(message) : null;
      if (own) what = own(message, what) ?? what;
      if (what) redraw(page, what, message.type);
    },
  });
  if (status) {
    status.hidden = false;
    status.textContent = t("connecting");
  }
  return conn;
}

function intoView(id) {
  const node = $(id);
  if (!node || node.hidden) return;
  const box = node.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight * 0.6) {
    node.scrollIntoView({ block: "start", behavior: "smooth" });
  }
}

export function redraw(page, what = "all", event = null) {
  document.body.dataset.state = room.state || "";
  if (what === "all") {
    drawBoard(page.onTake);
    drawReading();
    drawResult();
    drawReader();
    drawRanking();
    sound.draw?.();
  }
  page.draw?.(what);
  tick();
  // Bring what just happened into view: the card's back, the new yomifuda, the ranking.
  if (event === "taken" || event === "timeout") intoView("result");
  if (event === "finished") intoView("ranking");
}
