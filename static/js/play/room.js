// What every room page shares: drawing the room's state, and the wiring from the socket to
// state.js (apply) to the effects (toast, speech, sync) to the drawing.
// Messages and fields are those of docs/protocol.md; strings come from the page.
import { connect } from "./connection.js";
import { canSpeak, hush, speak } from "./speech.js";
import { apply, initial } from "./state.js";
import { drawTalk, drawTeamRanking, drawTeams, markTeam } from "./teams.js";
import { hideToast, showToast } from "./toast.js";

export const config = JSON.parse(document.getElementById("play-config").textContent);
const S = config.strings;
const $ = (id) => document.getElementById(id);
// Characters a second, about a reader's pace: the server's (rules.READ_SPEED), which its
// time-limit rule also uses, so a card never times out before its text is shown.
const READ_SPEED = config.read_speed;

export function t(key, params = {}) {
  return (S[key] || key).replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** "1 pt" / "3 pts", "1 card" / "2 cards" (Japanese has one form for both). */
export const points = (count) => t(count === 1 ? "pts_one" : "pts", { count });
export const cards = (count) => t(count === 1 ? "cards_one" : "cards", { count });
export const playersText = (count) => t(count === 1 ? "players_one" : "players", { count });

/** "You placed 3rd of 40" / "40人中3位": the page's ordinal form (en: 1st, 2nd, 3rd, 4th). */
export function placedText(rank, count) {
  const form = new Intl.PluralRules(config.lang, { type: "ordinal" }).select(rank);
  const key = S[`placed_${form}`] ? `placed_${form}` : "placed_other";
  return t(key, { rank, count });
}

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

// The one state of this tab (state.js): changed only by apply(), read by the drawing below.
export const room = initial(config.role);

export function langsOf(textByLang) {
  return Object.keys(textByLang || {});
}

/** A name in the room's language(s): Japanese on top, English under it in "both". A Japanese
 * name may break only before its 価値 (with `word-break: keep-all`): こだわり/価値, never 価/値. */
export function nameNode(name, cls = "name") {
  const langs = langsOf(name);
  const node = el("span", { class: cls });
  langs.forEach((lang, i) => {
    const part = el("span", { lang, class: i ? "sub" : "main" });
    const text = name[lang];
    const at = lang === "ja" ? text.lastIndexOf("価値") : -1;
    if (at > 0) part.append(text.slice(0, at), el("wbr"), text.slice(at));
    else if (lang === "en") {
      // "value", the word every name shares: a compact card may leave it out (the aria-label
      // and the card's back keep the whole name).
      text.split(/( value\b)/).forEach((piece) =>
        part.append(piece === " value" ? el("span", { class: "generic", text: piece }) : piece));
    } else part.textContent = text;
    node.append(part);
  });
  return node;
}

export function plainName(name) {
  return langsOf(name)
    .map((lang) => name[lang])
    .join(" / ");
}

// --- drawing ---------------------------------------------------------------------------

/** The board, updated in place: a card's node is kept (keyed by its data-id) as long as its
 * face is the same, so a keyboard user's focus stays where it was when others take cards. */
export function drawBoard(onTake) {
  const board = $("board");
  if (!board) return;
  const focused = document.activeElement?.closest?.(".torifuda");
  const focusedId = focused && board.contains(focused) ? focused.dataset.id : null;
  const old = new Map([...board.children].map((node) => [node.dataset.id, node]));
  const tag = onTake ? "BUTTON" : "DIV";
  room.order.forEach((id, index) => {
    const card = room.board.get(id);
    const face = JSON.stringify([card.name, card.image, card.color, tag]);
    let node = old.get(String(id));
    old.delete(String(id));
    if (!node || node.dataset.face !== face) {
      const fresh = cardNode(id, card, onTake);
      fresh.dataset.face = face;
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    // Moving a node that is already in place would drop its focus: move only what is not.
    if (board.children[index] !== node) board.insertBefore(node, board.children[index] || null);
    markCard(id);
  });
  for (const node of old.values()) node.remove();
  board.hidden = room.order.length === 0;
  board.style.setProperty("--count", room.order.length);
  const langs = room.order.length ? langsOf(room.board.get(room.order[0]).name) : [];
  if (board.dataset.langs !== langs.join(" ")) {
    board.dataset.langs = langs.join(" ");
    fitNames(board);
  }
  if (focusedId !== null) keepFocus(board, focusedId);
}

function cardNode(id, card, onTake) {
  const attrs = { class: "torifuda", "data-id": id, style: `--field: ${card.color}` };
  if (onTake) {
    attrs.type = "button";
    attrs["aria-label"] = t("take", { name: plainName(card.name) });
  }
  const node = el(onTake ? "button" : "div", attrs,
    el("img", { src: card.image, alt: "", width: 96, height: 96 }), nameNode(card.name));
  if (onTake) node.addEventListener("click", () => onTake(id));
  return node;
}

/** Focus back on the card it was on, or, if that card was just taken (disabled), on the
 * nearest card still on the board: never lost to the page's body. */
function keepFocus(board, id) {
  const cards = [...board.children];
  const at = cards.findIndex((node) => node.dataset.id === id);
  if (at < 0) return;
  const usable = (node) => node && !node.disabled;
  let target = cards[at];
  for (let step = 1; !usable(target) && step < cards.length; step++) {
    target = [cards[at + step], cards[at - step]].find(usable);
  }
  if (usable(target) && document.activeElement !== target) target.focus({ preventScroll: true });
}

/** The widest word of the board's names, in em of each name line's font (--main-em,
 * --sub-em), and the widest whole name (--main-line-em, --sub-line-em): the sheet sizes the
 * names so that word (or name) fits the card in container query units, so names wrap between
 * words and never stick out of a card. */
function fitNames(board) {
  const context = document.createElement("canvas").getContext("2d");
  for (const part of ["main", "sub"]) {
    const spans = board.querySelectorAll(`.torifuda .name .${part}`);
    if (!spans.length) continue;
    const style = getComputedStyle(spans[0]);
    context.font = `${style.fontStyle} ${style.fontWeight} 100px ${style.fontFamily}`;
    const em = (text) => context.measureText(text).width / 100;
    let widest = 0;
    let whole = 0;
    for (const span of spans) {
      // Japanese breaks only before 価値 (<wbr>); English at spaces and after hyphens.
      const words = span.lang === "ja"
        ? [...span.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data)
        : span.textContent.split(/\s+|(?<=-)/);
      for (const word of words) widest = Math.max(widest, em(word));
      whole = Math.max(whole, em(span.textContent));
    }
    board.style.setProperty(`--${part}-em`, widest.toFixed(3));
    board.style.setProperty(`--${part}-line-em`, whole.toFixed(3)); // the longest on one line
  }
}

function markCard(id) {
  const node = document.querySelector(`.torifuda[data-id="${id}"]`);
  const card = room.board.get(id);
  if (!node || !card) return;
  node.classList.toggle("gone", card.gone);
  if (node.tagName === "BUTTON") node.disabled = card.gone;
  node.classList.toggle("locked", !card.gone && room.you.locked && room.state === "reading");
  // Taken by mistake this card: marked on every screen that was told, until the next card.
  node.classList.toggle("mistaken", Boolean(room.turn?.wrong?.some((w) => w.card === id)));
  const taker = card.taken_by ? room.players.get(card.taken_by) : null;
  const label = node.querySelector(".taker");
  if (!card.gone) label?.remove();
  else if (label) label.textContent = taker ? taker.nickname : "—";
  else node.append(el("span", { class: "taker", text: taker ? taker.nickname : "—" }));
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
  const elapsed = turn.elapsedMs + (Date.now() - turn.receivedAt);
  if (room.settings.reveal === "delayed") {
    const wait = (room.settings.reveal_delay || 0) * 1000 - elapsed;
    // Before the text: say when it comes, so an empty box is not taken for a fault.
    return wait <= 0 ? text : t("reveal_in", { seconds: Math.ceil(wait / 1000) });
  }
  const shown = Math.floor((elapsed / 1000) * (READ_SPEED[lang] || READ_SPEED.other));
  return shown >= text.length ? text : `${text.slice(0, shown)}…`;
}

/** True while the delayed read text is not shown yet (the box holds the "appears in" hint). */
function waitingForText() {
  const turn = room.turn;
  if (!turn || turn.answer || room.state !== "reading" || room.settings.reveal !== "delayed") {
    return false;
  }
  const elapsed = turn.elapsedMs + (Date.now() - turn.receivedAt);
  return elapsed < (room.settings.reveal_delay || 0) * 1000;
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
  textBox.classList.toggle("waiting", waitingForText());
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
    $("read-text")?.classList.toggle("waiting", waitingForText());
    for (const p of document.querySelectorAll("#read-text p")) {
      p.textContent = revealedText(p.dataset.lang, turn.text[p.dataset.lang]);
    }
    followReveal();
  }
}

// A bounded read-text box (a phone's) keeps the newest words in view while the text appears:
// the end of the first paragraph still growing is scrolled up to the box's bottom edge.
function followReveal() {
  const box = $("reading");
  if (!box || box.scrollHeight <= box.clientHeight) return;
  const growing = [...document.querySelectorAll("#read-text p")].find((p) =>
    p.textContent.endsWith("…"),
  );
  if (!growing) return;
  const below = growing.getBoundingClientRect().bottom - box.getBoundingClientRect().bottom;
  if (below > 0) box.scrollTop += below;
}
setInterval(tick, 200);

/** A fair race's reaction times: the fastest (three), then this tab's own if it is not among
 * them ("Aiko 0.62 s · Ken 0.70 s · you 0.84 s"); "" when the race was first-to-arrive. */
function reactionTimes(result) {
  const seconds = (ms) => (ms / 1000).toFixed(2);
  const own = room.seatId;
  const shown = (result.fastest || []).map((f) =>
    f.seat === own
      ? t("your_reaction", { seconds: seconds(f.ms) })
      : t("reaction", { name: room.players.get(f.seat)?.nickname ?? f.nickname, seconds: seconds(f.ms) }));
  const mine = result.yours_ms;
  if (mine != null && !(result.fastest || []).some((f) => f.seat === own)) {
    shown.push(t("your_reaction", { seconds: seconds(mine) }));
  }
  return shown.join(" · ");
}

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
  const times = reactionTimes(result);
  if (times) parts.push(el("p", { class: "reactions", "aria-label": t("reaction_times"), text: times }));
  const back = el("div", { class: "card-back", style: `--field: ${card.color}` },
    el("img", { src: card.image, alt: "", width: 120, height: 120 }),
    el("div", {}, nameNode(card.name, "name big"),
      el("h3", { text: t("concept") }), textBlock(card.concept),
      el("h3", { text: t("outline") }), textBlock(card.outline)));
  box.replaceChildren(...parts, back);
}

/** The room's wrong takes of this card, until the next one: who took which card (or, in
 * discuss mode, the question to talk about). The taker's own is on its own line (#mine). */
function drawNotices() {
  const list = $("notices");
  if (!list) return;
  const turn = room.turn;
  const shown = turn && (room.state === "reading" || room.state === "taken" || room.state === "timeout");
  const others = shown ? turn.wrong.filter((w) => w.seat !== room.seatId) : [];
  const discuss = room.settings.wrong_take === "discuss";
  list.replaceChildren(...others.map((w) => el("li", {
    class: `notice ${discuss ? "discuss" : "otetsuki"}`,
    "data-card": w.card,
    text: t(discuss ? "otetsuki_discuss" : "otetsuki", { name: w.nickname, card: plainName(w.name) }),
  })));
  list.hidden = others.length === 0;
}

/** This player's own result for the card, until the next one. */
function drawMine() {
  const line = $("mine");
  if (!line) return;
  const me = room.seatId;
  const turn = room.turn;
  let key = null;
  let tone = "";
  if (me != null && turn && room.state !== "finished") {
    const mine = turn.wrong.filter((w) => w.seat === me);
    if (room.result?.by === me) [key, tone] = ["you_won", "won"];
    else if (mine.length && room.settings.wrong_take === "penalty") [key, tone] = ["wrong_locked", "locked"];
    else if (mine.length) [key, tone] = ["wrong", "wrong"];
    if (key === "wrong" || key === "wrong_locked") {
      const last = mine[mine.length - 1];
      line.replaceChildren(el("strong", { text: t(key) }), " ",
        el("span", { class: "card", text: plainName(last.name) }));
    } else if (key) line.textContent = t(key);
  }
  line.hidden = !key;
  line.className = `mine ${tone}`;
}

/** A locked player tapped a card: say again why nothing happens (the line pulses). */
export function remindLocked() {
  const line = $("mine");
  if (!line || line.hidden) return;
  line.classList.remove("pulse");
  void line.offsetWidth; // restart the animation
  line.classList.add("pulse");
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
  if (count) count.textContent = playersText(room.playersTotal);
  if (!list) return;
  const players = sortedPlayers().slice(0, limit);
  list.replaceChildren(
    ...players.map((p) => {
      const item = el("li", { "data-seat": p.id },
        el("span", { class: "nick", text: p.nickname }),
        el("span", { class: "pts", text: points(p.score) }),
        el("span", { class: "cards", text: cards(p.cards) }));
      if (p.id === room.reader) {
        item.classList.add("is-reader");
        item.querySelector(".nick").append(el("span", { class: "reader-tag", text: t("reader_tag") }));
      }
      if (p.id === room.seatId) markYou(item);
      if (extra) extra(item, p);
      else markTeam(item, p);
      return item;
    }),
  );
  if (!players.length) list.replaceChildren(el("li", { class: "empty", text: t("nobody_yet") }));
}

/** This tab's own row in a ranking: highlighted, with "(you)" after the name. */
function markYou(item) {
  item.classList.add("you");
  item.querySelector(".nick")?.append(el("span", { class: "you-tag", text: ` ${t("you_tag")}` }));
}

function drawReader() {
  const line = $("reader-line");
  if (!line) return;
  const reader = room.reader ? room.players.get(room.reader) : null;
  if (reader) line.textContent = t("reader_is", { name: reader.nickname });
  else line.textContent = t(room.settings.reader_mode === "auto" ? "auto_reads" : "host_reads");
}

function rankingRow(row) {
  return el("li", { class: `rank-${row.rank}`, "data-seat": row.id },
    el("span", { class: "rank", text: row.rank }),
    el("span", { class: "nick", text: row.nickname }),
    el("span", { class: "pts", text: points(row.score) }),
    el("span", { class: "cards", text: cards(row.cards) }),
    el("ul", { class: "hand" }, ...row.hand.map((card) =>
      el("li", { style: `--field: ${card.color}` }, nameNode(card.name)))));
}

function drawRanking() {
  const box = $("ranking");
  if (!box) return;
  box.hidden = !room.ranking;
  if (!room.ranking) return;
  $("ranking-list").replaceChildren(...room.ranking.map(rankingRow));
  // A hall's ranking is its top: a seat below it gets its own row after it.
  const own = room.standing ?? room.ranking.find((row) => row.id === room.seatId);
  if (own && !room.ranking.some((row) => row.id === own.id)) {
    $("ranking-list").append(el("li", { class: "more", text: "…" }), rankingRow(own));
  }
  if (own) markYou($("ranking-list").querySelector(`[data-seat="${own.id}"]`));
  const placed = $("placed");
  if (placed) {
    placed.hidden = !own;
    if (own) placed.textContent = placedText(own.rank, room.rankedTotal ?? room.ranking.length);
  }
  if (config.survey_url) {
    $("survey").hidden = false;
    $("survey-link").href = config.survey_url;
  }
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

// --- wiring --------------------------------------------------------------------------

/** A toast's parameters as text: a name by language becomes "名前 / Name". */
function plainParams(params = {}) {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, v && typeof v === "object" ? plainName(v) : v]),
  );
}

function runEffects(effects, conn) {
  for (const effect of effects) {
    if (effect.kind === "sync") conn.send({ type: "sync" });
    else if (effect.kind === "hush") hush();
    else if (effect.kind === "speak" && sound.on && room.settings.voice) speak(effect.text);
    else if (effect.kind === "toast") {
      showToast(effect.text ?? t(effect.key, plainParams(effect.params)), effect.tone);
    } else if (effect.kind === "move") {
      // "Play again": keep this tab's token for the new room (host or seat), then go there.
      const role = config.role === "host" ? "host" : "seat";
      if (effect.token) localStorage.setItem(`vk-${role}-${effect.code}`, effect.token);
      conn.stop();
      location.assign(location.pathname.replace(/\/play\/[^/]+\//, `/play/${effect.code}/`));
    }
  }
}

/** Connect to the room; ``page`` adds role-specific drawing and handlers. */
export function start(page) {
  const status = $("connection");
  const conn = connect({
    path: config.ws,
    onOpen: () => page.hello(conn),
    onStatus: (what, code) => {
      if (!status) return;
      // Closed for good (removed, kicked): the page says why; nothing is connecting any more.
      status.hidden = what === "open" || what === "closed";
      status.textContent = t(what === "retry" ? "reconnecting" : "connecting");
      if (what === "closed" && code) page.closed?.(code);
    },
    onMessage: (message) => {
      const { redraw: changed, effects } = apply(room, message, Date.now());
      runEffects(effects, conn);
      // The page's own reaction (a form, localStorage), after the state is up to date.
      const own = page.handlers?.[message.type];
      const what = (own && own(message, changed)) || changed;
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
    drawNotices();
    drawMine();
    drawReader();
    drawRanking();
    drawTeamRanking();
    sound.draw?.();
  }
  drawTeams(); // team totals change with scores too
  drawTalk();
  page.draw?.(what);
  tick();
  // A new card: notices about the previous one are over.
  if (event === "reading") hideToast();
  // Bring what just happened into view: the card's back, the new yomifuda, the ranking.
  if (event === "taken" || event === "timeout") intoView("result");
  // A player's own review comes before the ranking (player.js draws it).
  if (event === "finished") intoView($("review")?.hidden === false ? "review" : "ranking");
}
