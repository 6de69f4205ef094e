// The projector: board, read text, live scores, the join QR while waiting, final ranking.
// Nobody touches it during play (one click on "Sound" before, for the voice).
//
// It must read from the back row of a classroom on any screen, without scrolling: screen.css
// sizes the type from the screen's size, and this module fits what has no fixed size to the
// space it is given (the board's cards, the lobby's names, the scores, the card's back, the
// podium), again whenever that space changes.
import {
  config,
  drawScores,
  el,
  langsOf,
  nameNode,
  playersText,
  points,
  cards as cardsText,
  redraw,
  room,
  setupSound,
  start,
  t,
} from "./room.js";
import { drawDebrief, endViews } from "./review.js";
import { drawTeamRanking } from "./teams.js";

const $ = (id) => document.getElementById(id);
const PODIUM = 5;
const LOBBY_RENDERED = 400; // names drawn at most: a screen holds fewer even at the smallest type

const page = {
  hello(connection) {
    connection.send({ type: "hello", role: "screen", lang: config.lang });
  },
  draw(what) {
    $("lobby").hidden = room.state !== "lobby";
    if (what !== "all") {
      // Players joining or scores changing: once a frame, however many arrive in it (a hall
      // of 500 joining at once).
      cancelAnimationFrame(listsFrame);
      listsFrame = requestAnimationFrame(drawLists);
      return;
    }
    drawLists();
    drawEnd();
    reserveReadText();
    fitResult();
    fitBoard();
  },
};
let listsFrame = 0;

function drawLists() {
  drawLobby();
  drawSide();
}

/** "+ 12 more", or the key itself when the page's strings predate it. */
const more = (count) => t("more", { count });

/** --u of screen.css in px: a hundredth of the screen's width (or its 16:9 height). */
function unit() {
  const probe = el("div", { style: "position:absolute;visibility:hidden;width:calc(100 * var(--u))" });
  document.body.append(probe);
  const u = probe.getBoundingClientRect().width / 100;
  probe.remove();
  return u || 10;
}

const fitsBox = (node) =>
  node.scrollHeight <= node.clientHeight + 1 && node.scrollWidth <= node.clientWidth + 1;

/** The largest font size in px, between min and max, at which `fits()` holds (min if none). */
function fitFont(node, min, max, fits = () => fitsBox(node)) {
  node.style.fontSize = `${max}px`;
  if (fits()) return max;
  let [low, high] = [min, max];
  for (let i = 0; i < 9; i += 1) {
    const middle = (low + high) / 2;
    node.style.fontSize = `${middle}px`;
    if (fits()) low = middle;
    else high = middle;
  }
  node.style.fontSize = `${low}px`;
  return low;
}

// --- the lobby: every name that joined, beside the way in ----------------------------------

let lobbyDrawn = "";

function drawLobby(force = false) {
  const list = $("lobby-names");
  if (room.state !== "lobby") return;
  const players = [...room.players.values()];
  const drawn = `${players.map((p) => `${p.id}:${p.nickname}`).join()}|${list.clientWidth}x${list.clientHeight}`;
  if (drawn === lobbyDrawn && !force) return;
  lobbyDrawn = drawn;
  $("lobby-count").textContent = playersText(room.playersTotal);
  if (!players.length) {
    list.replaceChildren(el("li", { class: "empty", text: t("nobody_yet") }));
    list.style.fontSize = "";
    return;
  }
  const nameItem = (p) => el("li", { "data-seat": p.id, text: p.nickname });
  const shown = players.slice(-LOBBY_RENDERED);
  list.replaceChildren(...shown.map(nameItem));
  // Columns as wide as the widest name (measured each at its own width), in em so that they
  // follow the font size.
  const u = unit();
  list.style.fontSize = `${2 * u}px`;
  list.classList.add("measuring");
  const widest = Math.max(...[...list.children].map((li) => li.getBoundingClientRect().width));
  list.classList.remove("measuring");
  list.style.setProperty("--name-w", `${(widest + 2) / (2 * u)}em`);
  const size = fitFont(list, 1.05 * u, 2.6 * u);
  if (fitsBox(list) && players.length >= room.playersTotal) return;
  // Not all fit even in the smallest type (or a hall's snapshot listed only some): the latest
  // joiners (a student looks for the name just typed), after a count of the others.
  const columns = getComputedStyle(list).gridTemplateColumns.split(" ").length;
  const first = list.firstElementChild.getBoundingClientRect();
  const rowGap = parseFloat(getComputedStyle(list).rowGap) || 0;
  const rows = Math.max(1, Math.floor((list.clientHeight + rowGap) / (first.height + rowGap)));
  const roomFor = Math.max(1, columns * rows - 1);
  const latest = players.slice(-roomFor);
  list.replaceChildren(
    el("li", { class: "more", text: more(room.playersTotal - latest.length) }),
    ...latest.map(nameItem),
  );
  list.style.fontSize = `${size}px`;
}

// --- the side: notices about wrong takes, then as many scores as fit -------------------------

const SIDE_ROWS = 60; // more than a side ever holds: a hall of 500 is not drawn whole

function drawSide() {
  limitNotices();
  drawScores(SIDE_ROWS);
  const list = $("scores");
  const total = room.playersTotal;
  if (list.closest(".screen-side").offsetParent === null) return;
  if (fitsBox(list) && total <= SIDE_ROWS) return;
  const rowHeight = list.firstElementChild.getBoundingClientRect().height || 1;
  const fit = Math.max(1, Math.floor(list.clientHeight / rowHeight));
  if (total <= fit) return;
  drawScores(Math.max(1, fit - 1));
  list.append(el("li", { class: "more", text: more(total - Math.max(1, fit - 1)) }));
}

/** The room's wrong takes stay until the next card (room.js draws them, beside the board);
 * when they would take more than half the screen's height from the scores, the latest ones
 * and a count of the others. */
function limitNotices() {
  const list = $("notices");
  if (!list || list.hidden) return;
  list.querySelector(".more")?.remove();
  const items = [...list.children];
  for (const item of items) item.hidden = false;
  const limit = window.innerHeight * 0.45;
  let hiddenCount = 0;
  // Oldest first out; the newest stays whatever its length.
  while (list.getBoundingClientRect().height > limit && hiddenCount < items.length - 1) {
    items[hiddenCount].hidden = true;
    hiddenCount += 1;
    list.querySelector(".more")?.remove();
    list.prepend(el("li", { class: "notice more", text: more(hiddenCount) }));
  }
}

// --- the read text keeps the height of its whole text ----------------------------------------

// The text appears a few letters at a time; the box holds the whole text's height from the
// start (the tallest seen so far), so the board under it does not move as it grows.
const reserved = { height: 0, width: 0 };

function reserveReadText() {
  const box = $("read-text");
  const turn = room.turn;
  if (!box || !turn || $("reading").hidden) return;
  if (box.clientWidth !== reserved.width) Object.assign(reserved, { height: 0, width: box.clientWidth });
  const paragraphs = [...box.querySelectorAll("p")];
  const shown = paragraphs.map((p) => p.textContent);
  box.style.minHeight = "";
  for (const p of paragraphs) p.textContent = turn.text[p.dataset.lang] ?? p.textContent;
  reserved.height = Math.max(reserved.height, box.getBoundingClientRect().height);
  paragraphs.forEach((p, i) => (p.textContent = shown[i]));
  box.style.minHeight = `${Math.ceil(reserved.height)}px`;
}

// --- the card's back: as large as fits over the board ----------------------------------------

function fitResult() {
  const box = $("result");
  if (!box || box.hidden) return;
  const u = unit();
  fitFont(box, 0.8 * u, 2.4 * u);
}

// --- the end: the podium and the questionnaire, always in view -------------------------------

function drawEnd() {
  const finished = room.state === "finished" && Boolean(room.ranking);
  const podium = $("podium");
  const survey = $("survey-screen");
  podium.hidden = !finished;
  if (survey) survey.hidden = !finished;
  // The room's debrief (from the server: the screens' part of `finished`), a view of its own.
  drawDebrief(finished ? room.debrief : null);
  updateViews(finished && Boolean(room.debrief), Boolean(room.debrief?.pairs.length));
  if (!finished) return;
  $("podium-list").replaceChildren(
    ...room.ranking.slice(0, PODIUM).map((row) =>
      el("li", { class: `rank-${row.rank}`, "data-seat": row.id },
        el("span", { class: "rank", text: row.rank }),
        el("span", { class: "nick", text: row.nickname }),
        el("span", { class: "pts", text: points(row.score) }),
        el("span", { class: "cards", text: cardsText(row.cards) }),
        el("ul", { class: "hand" }, ...row.hand.map((card) =>
          el("li", { style: `--field: ${card.color}` }, nameNode(card.name)))))),
  );
  if (survey && config.survey_url) {
    // The address in words too, for a phone that cannot scan: where the join link points.
    const link = new URL(config.survey_url, config.join_url || location.href);
    // Lines may break after a slash, not inside the code.
    const parts = `${link.host}${link.pathname}`.split(/(?<=\/)/);
    $("survey-short").replaceChildren(...parts.flatMap((part) => [part, el("wbr")]));
  }
  // Teams first (each with its members), then the players.
  drawTeamRanking("podium-teams");
  $("podium-list").hidden = Boolean(room.teamRanking);
  const u = unit();
  fitFont(podium, 0.8 * u, 1.8 * u);
  fitFont($("debrief"), 0.9 * u, 1.5 * u);
  if (survey) fitFont(survey, 0.6 * u, u, () => fitsBox(survey));
  scrollRanking($("ranking-list"), u);
}

const updateViews = endViews($("end-views"), () => drawEnd());

// The full ranking is longer than its column with a class of 40 and nobody touches the
// projector: it scrolls itself, slowly, pausing at the top and the bottom.
const PAUSE_MS = 4000;
let scrolling = 0;

function scrollRanking(list, u) {
  cancelAnimationFrame(scrolling);
  list.scrollTop = 0;
  if (matchMedia("(prefers-reduced-motion: reduce)").matches) return;
  const speed = 1.6 * u; // px a second: about a row every second
  let phase = "top";
  let since = performance.now();
  let position = 0;
  const step = (now) => {
    if (room.state !== "finished" || !list.isConnected) return;
    const bottom = list.scrollHeight - list.clientHeight;
    if (bottom > 1) {
      if (phase === "down") {
        position = Math.min(bottom, position + (speed * (now - since)) / 1000);
        list.scrollTop = position;
        if (position >= bottom) phase = "bottom";
      } else if (now - since < PAUSE_MS) {
        scrolling = requestAnimationFrame(step);
        return;
      } else if (phase === "top") phase = "down";
      else [phase, position, list.scrollTop] = ["top", 0, 0];
      since = now;
    }
    scrolling = requestAnimationFrame(step);
  };
  scrolling = requestAnimationFrame(step);
}

// --- the board: every card as large as the space left allows ---------------------------------

const LINE = 1.15; // line height of a card's name (screen.css)
const SUB = 0.625; // a sub-name's size, of the name's
const SUB_LINE = 1.2;
const MIN_IMAGE = 1.6; // the illustration at least this many times the name's size
const SIDE_IMAGE = 0.42; // beside the name: at most this share of the card's width
const fitted = { key: "", words: null, wordsKey: "" };

/** Width at 100px of each piece a name can break into (words; after a hyphen), per card. */
function measureWords(ids) {
  const box = el("div", {
    class: "name",
    style: "position:absolute;visibility:hidden;left:0;top:0;white-space:pre;font-size:100px;font-weight:800",
  });
  const pieces = [];
  const add = (text, sub) => {
    const span = el("span", { text, style: sub ? "font-size:62.5px;font-weight:700" : "" });
    box.append(span);
    return span;
  };
  const space = add(" ", false);
  for (const id of ids) {
    const card = room.board.get(id);
    const langs = langsOf(card.name);
    langs.forEach((lang, i) => {
      const words = card.name[lang].split(/\s+/).filter(Boolean);
      for (const [w, word] of words.entries()) {
        // A browser breaks after a hyphen too; Japanese keeps the whole name on one line.
        word.split(/(?<=-)(?=.)/).forEach((piece, p) => {
          pieces.push({ id, sub: i > 0, space: w > 0 && p === 0, span: add(piece, i > 0) });
        });
      }
    });
  }
  $("board").parentElement.append(box);
  const spaceWidth = space.getBoundingClientRect().width;
  const byCard = new Map(ids.map((id) => [id, { main: [], sub: [] }]));
  for (const piece of pieces) {
    byCard.get(piece.id)[piece.sub ? "sub" : "main"].push({
      w: piece.span.getBoundingClientRect().width,
      space: piece.space,
    });
  }
  box.remove();
  return { byCard: [...byCard.values()], spaceWidth };
}

/** Lines taken by pieces (widths at 100px) at font size f in a width. */
function lines(pieces, f, width, spaceWidth) {
  let count = pieces.length ? 1 : 0;
  let x = 0;
  for (const { w, space } of pieces) {
    const add = ((x > 0 && space ? spaceWidth : 0) + w) * (f / 100);
    if (x > 0 && x + add > width + 0.5) {
      count += 1;
      x = (w * f) / 100;
    } else x += add;
  }
  return count;
}

function textHeight(words, f, width) {
  let tallest = 0;
  for (const card of words.byCard) {
    const main = lines(card.main, f, width, words.spaceWidth) * LINE * f;
    const sub = lines(card.sub, SUB * f, width, words.spaceWidth * SUB) * SUB_LINE * SUB * f;
    tallest = Math.max(tallest, main + sub);
  }
  return tallest;
}

function widestPiece(words) {
  let widest = 0;
  for (const card of words.byCard) {
    for (const p of [...card.main, ...card.sub]) widest = Math.max(widest, p.w / 100);
  }
  return widest; // in em of the name's size (sub-names were measured at their own size)
}

/** The illustration's size for cards of cw×ch with names of size f, or 0 if they do not fit. */
function imageFor(layout, f, words, border) {
  const { cw, ch, side } = layout;
  const innerW = cw - 2 * border - 0.36 * f;
  const innerH = ch - 2 * border - 0.24 * f;
  const gap = 0.2 * f;
  const needW = widestPiece(words) * f;
  const least = MIN_IMAGE * f;
  if (!side) {
    if (needW > innerW) return 0;
    const image = Math.min(innerH - textHeight(words, f, innerW) - gap, innerW);
    return image >= least ? image : 0;
  }
  const most = Math.min(innerH, SIDE_IMAGE * innerW, innerW - gap - needW);
  if (most < least) return 0;
  for (let step = 0; step <= 6; step += 1) {
    const image = most - ((most - least) * step) / 6;
    if (textHeight(words, f, innerW - image - gap) <= innerH) return image;
  }
  return 0;
}

/** The largest name size up to `cap` at which cards of this layout fit (0: none). */
function largestName(layout, words, border, cap) {
  if (!imageFor(layout, 4, words, border)) return 0;
  if (imageFor(layout, cap, words, border)) return cap;
  let [low, high] = [4, cap];
  for (let i = 0; i < 14; i += 1) {
    const middle = (low + high) / 2;
    if (imageFor(layout, middle, words, border)) low = middle;
    else high = middle;
  }
  return low;
}

/** Columns, rows, layout, name size and image size that make the cards as large as fits:
 * names as large as possible up to a comfortable size (`good`), then the largest pictures,
 * then names grown as far as the picture keeps most of its size. */
function bestLayout(n, width, height, gap, border, words, good, cap) {
  let best = null;
  for (let cols = 1; cols <= n; cols += 1) {
    const rows = Math.ceil(n / cols);
    if (cols > 1 && Math.ceil(n / (cols - 1)) === rows) continue; // same rows, thinner cards
    const cw = (width - (cols - 1) * gap) / cols;
    const ch = (height - (rows - 1) * gap) / rows;
    for (const side of [false, true]) {
      const layout = { cols, rows, cw, ch, side };
      const most = largestName(layout, words, border, cap);
      if (!most) continue;
      const f = Math.min(most, good);
      const image = imageFor(layout, f, words, border);
      const better = !best || f > best.f * 1.04 || (f > best.f * 0.96 && image > best.image);
      if (better) best = { ...layout, f, most, image };
    }
  }
  if (best && best.most > best.f) {
    let [low, high] = [best.f, best.most];
    for (let i = 0; i < 10; i += 1) {
      const middle = (low + high) / 2;
      if (imageFor(best, middle, words, border) >= best.image * 0.85) low = middle;
      else high = middle;
    }
    Object.assign(best, { f: low, image: imageFor(best, low, words, border) });
  }
  return best;
}

function cardsOverflow(board) {
  for (const card of board.children) {
    const outer = card.getBoundingClientRect();
    for (const part of card.querySelectorAll("img, .name")) {
      const r = part.getBoundingClientRect();
      if (r.left < outer.left - 1 || r.right > outer.right + 1 || r.top < outer.top - 1 || r.bottom > outer.bottom + 1) {
        return true;
      }
    }
    const name = card.querySelector(".name");
    if (name && name.scrollWidth > name.clientWidth + 1) return true;
  }
  return false;
}

function fitBoard(force = false) {
  const board = $("board");
  const wrap = board?.parentElement;
  const n = room.order.length;
  if (!board || !n || board.hidden || wrap.offsetParent === null) return;
  const { width, height } = wrap.getBoundingClientRect();
  if (!width || !height) return;
  const key = `${n}|${Math.round(width)}x${Math.round(height)}|${room.order.join(",")}`;
  if (!force && key === fitted.key) return;
  fitted.key = key;
  const wordsKey = room.order.join(",");
  if (fitted.wordsKey !== wordsKey) {
    fitted.words = measureWords(room.order);
    fitted.wordsKey = wordsKey;
  }
  const u = unit();
  const style = getComputedStyle(board);
  const gap = parseFloat(style.columnGap) || 0;
  const border = Math.max(3, 0.25 * u);
  // A box too small for any card with a name (a tiny window): a square-ish grid, small type.
  const cols = Math.max(1, Math.round(Math.sqrt((n * width) / height)));
  const best = bestLayout(n, width, height, gap, border, fitted.words, 2.1 * u, 3.6 * u) ?? {
    cols, rows: Math.ceil(n / cols), side: false, f: 6, image: 0,
  };
  const apply = (f, image) => {
    board.classList.toggle("side", best.side);
    board.style.setProperty("--cols", best.cols);
    board.style.setProperty("--rows", best.rows);
    board.style.setProperty("--name", `${f.toFixed(2)}px`);
    board.style.setProperty("--img", `${Math.max(0, image).toFixed(1)}px`);
  };
  apply(best.f, best.image);
  // The model above is close, not exact (fonts): shrink until nothing sticks out.
  let f = best.f;
  for (let i = 0; i < 8 && cardsOverflow(board); i += 1) {
    f *= 0.95;
    apply(f, imageFor(best, f, fitted.words, border) || MIN_IMAGE * f);
  }
}

function refit() {
  fitted.key = "";
  reserveReadText();
  drawLobby(true);
  drawSide();
  fitResult();
  if (room.state === "finished") drawEnd();
  fitBoard(true);
}

let pending = 0;
const observer = new ResizeObserver(() => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(() => {
    fitBoard();
    drawSide();
  });
});
observer.observe($("board").parentElement);
observer.observe(document.querySelector(".screen-side"));
window.addEventListener("resize", () => {
  cancelAnimationFrame(pending);
  pending = requestAnimationFrame(refit);
});

// Browsers only speak after a click on the page: the sound button is that click.
setupSound(false);
start(page);
redraw(page);
