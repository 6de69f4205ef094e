// The end of a game: a player's own review on their phone, and the room's debrief on the
// projector. Both come from the server (the `finished` event's personal parts, or the
// snapshot: docs/protocol.md); this module only draws them. Strings come from the page.
import { el, langsOf, nameNode, plainName, t } from "./room.js";

/** The study page filtered to these cards: `?cards=3,7,12` (games/views.py checks it). */
export function practiseHref(base, numbers) {
  return `${base}?cards=${numbers.join(",")}`;
}

const count = (n) => t(n === 1 ? "review_times_one" : "review_times", { count: n });

function textBlock(byLang, cls) {
  return el("div", { class: cls },
    ...langsOf(byLang).map((lang, i) => el("p", { lang, class: i ? "sub" : "", text: byLang[lang] })));
}

/** One card's back as the pair shows it: its role ("Read", "You took"), picture, name and
 * concept line. */
function pairCard(value, role, label) {
  return el("article", { class: `pair-card ${role}`, "data-number": value.number, "data-field": value.field, style: `--field: ${value.color}` },
    el("p", { class: "pair-role", text: label }),
    el("div", { class: "pair-face" },
      el("img", { src: value.image, alt: "", width: 64, height: 64 }),
      nameNode(value.name, "name")),
    textBlock(value.concept, "concept"));
}

/** A confused pair: both cards side by side, and how often this happened (in words, or as
 * "×2" where a badge must stay narrow: the projector). */
export function pairNode(pair, tookLabel, { badge = false } = {}) {
  return el("li", { class: "pair", "data-read": pair.read.number, "data-taken": pair.taken.number,
    "aria-label": t("review_pair", { read: plainName(pair.read.name), taken: plainName(pair.taken.name), count: count(pair.count) }) },
    el("p", { class: "pair-count", text: badge ? `×${pair.count}` : count(pair.count) }),
    el("div", { class: "pair-cards" },
      pairCard(pair.read, "read", t("review_read")),
      pairCard(pair.taken, "taken", tookLabel)));
}

// --- the phone: this seat's review ---------------------------------------------------------

export function drawReview(review) {
  const box = document.getElementById("review");
  if (!box) return;
  box.hidden = !review;
  if (!review) return;
  const taken = document.getElementById("review-taken");
  taken.replaceChildren(...review.taken.map((card) =>
    el("li", { style: `--field: ${card.color}`, "data-number": card.number },
      el("img", { src: card.image, alt: "", width: 32, height: 32 }), nameNode(card.name))));
  document.getElementById("review-no-cards").hidden = review.taken.length > 0;
  document.getElementById("review-pairs").replaceChildren(
    ...review.pairs.map((pair) => pairNode(pair, t("review_took"))));
  document.getElementById("review-no-pairs").hidden = review.pairs.length > 0;
  document.getElementById("review-confused").hidden = review.pairs.length === 0;
  const practise = document.getElementById("review-practise");
  practise.hidden = review.practise.length === 0;
  const link = practise.querySelector("a");
  link.href = practiseHref(link.dataset.base, review.practise);
}

// --- the projector: the room's most-confused pairs, no names --------------------------------

export function drawDebrief(debrief) {
  const box = document.getElementById("debrief");
  if (!box) return;
  box.hidden = !debrief;
  if (!debrief) return;
  const takes = debrief.right + debrief.wrong;
  const figures = takes
    ? t("debrief_figures", { wrong: debrief.wrong, right: debrief.right,
      percent: Math.round((100 * debrief.right) / takes) })
    : "";
  document.getElementById("debrief-figures").textContent = figures;
  document.getElementById("debrief-pairs").replaceChildren(
    ...debrief.pairs.map((pair) => pairNode(pair, t("debrief_taken"), { badge: true })));
  document.getElementById("debrief-none").hidden = debrief.pairs.length > 0;
  const more = document.getElementById("debrief-more");
  more.hidden = !debrief.more;
  more.textContent = t(debrief.more === 1 ? "debrief_more_one" : "debrief_more", { count: debrief.more });
}

// The projector's end has two views, the ranking and the debrief: they take turns every
// ROTATE_MS until someone picks one (a click on the projector's window), which then stays.
const ROTATE_MS = 20000;

/** Wire the view buttons of `group`; `show(view)` draws a view. Returns `update(available,
 * rotate)`, to call on every redraw: with no debrief there is only the ranking; without a
 * confused pair the views do not take turns (the buttons still show the room's figures). */
export function endViews(group, show) {
  let view = "ranking";
  let chosen = false;
  let timer = 0;
  const set = (next) => {
    view = next;
    for (const button of group.querySelectorAll("button[data-view]")) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    }
    document.body.dataset.view = view;
    show(view);
  };
  group.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-view]");
    if (!button) return;
    chosen = true;
    clearInterval(timer);
    set(button.dataset.view);
  });
  return (available, rotate = true) => {
    group.hidden = !available;
    if (!available) {
      clearInterval(timer);
      timer = 0;
      if (view !== "ranking") set("ranking");
      document.body.dataset.view = "ranking";
      return;
    }
    document.body.dataset.view = view;
    if (!rotate && timer) {
      clearInterval(timer);
      timer = 0;
    }
    if (rotate && !chosen && !timer) {
      timer = setInterval(() => set(view === "ranking" ? "debrief" : "ranking"), ROTATE_MS);
    }
  };
}
