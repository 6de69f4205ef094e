// The host's console: settings in the lobby (only those that apply, time limits long enough for
// the text), start, next card, the answer kept off screen until the host peeks, a compact player
// list with one menu per player (make reader, remove, kick: confirmed), and "play again".
import { config, drawScores, el, nameNode, redraw, room, setupSound, start, t } from "./room.js";
import { teamSelect } from "./teams.js";
import { drawTeamNaming, setupTeamNaming } from "./team_names.js";

const $ = (id) => document.getElementById(id);
const KEY = `vk-host-${config.code}`;
const ANSWER_KEY = "vk-host-answer"; // "shown": keep the answer on screen (every room)
const token = config.token || localStorage.getItem(KEY);
if (token) localStorage.setItem(KEY, token);
const form = $("settings");
let conn;
let note = ""; // what the last settings change did besides saving (a limit raised)

const page = {
  hello(connection) {
    if (token) connection.send({ type: "hello", role: "host", token, lang: config.lang });
    else notHost(connection);
  },
  handlers: {
    error(m) {
      if (m.about === "hello") notHost(conn);
      if (m.about === "settings") fillSettings();
      if (m.about === "rematch") $("rematch").disabled = false;
    },
    settings() {
      $("settings-status").textContent = [note, t("saved")].filter(Boolean).join(" ");
      note = "";
    },
  },
  draw() {
    const state = room.state;
    const isHost = room.you.role === "host";
    $("lobby").hidden = state !== "lobby" || !isHost;
    $("state").textContent = state ? t(`state_${state}`) : "";
    const waiting = room.players.size === 0;
    $("start").hidden = !(isHost && state === "lobby");
    $("start").disabled = waiting;
    $("start-why").hidden = !(isHost && state === "lobby" && waiting);
    $("next").hidden = !(isHost && (state === "taken" || state === "timeout"));
    $("skip").hidden = !(isHost && state === "reading");
    $("rematch").hidden = !(isHost && state === "finished");
    $("debrief-link").hidden = !(isHost && state === "finished");
    drawDoor(isHost && state !== "finished");
    $("host-reads").hidden = !(isHost && room.reader);
    if (state === "lobby") fillSettings();
    drawAnswer();
    drawPlayers(isHost);
    drawTeamNaming(isHost && ["lobby", "taken", "timeout"].includes(state));
  },
};

/** The room's door: the host closes it to new players (seats already in it may come back). */
function drawDoor(shown) {
  $("room-door").hidden = !shown;
  const lock = $("lock");
  lock.textContent = t(room.closed ? "unlock" : "lock");
  lock.setAttribute("aria-pressed", String(room.closed));
  $("door-status").textContent = room.closed ? t("closed_note") : "";
}

function notHost(connection) {
  $("not-host").hidden = false;
  connection.send({ type: "hello", role: "screen", lang: config.lang });
}

// --- the answer: off screen unless the host holds the button or chose to keep it shown -------

let peeking = false;
const keepShown = () => localStorage.getItem(ANSWER_KEY) === "shown";

function drawAnswer() {
  // room.js draws the answer into the shared reading panel; on the host's page that panel may
  // be mirrored to the class, so the answer lives only in #host-answer, and only while shown.
  const shared = $("answer");
  shared.hidden = true;
  shared.replaceChildren();
  const answer = room.state === "reading" ? room.turn?.answer : null;
  $("peek").hidden = !answer;
  const shown = Boolean(answer) && (peeking || keepShown());
  const box = $("host-answer");
  box.hidden = !shown;
  if (shown) {
    box.replaceChildren(el("span", { class: "label", text: `${t("answer")}: ` }), nameNode(answer.name));
  } else {
    box.replaceChildren();
  }
  $("peek-button").hidden = keepShown();
  $("peek-button").setAttribute("aria-pressed", String(peeking));
  $("keep-answer").checked = keepShown();
}

function peek(on) {
  if (peeking === on) return;
  peeking = on;
  drawAnswer();
}

const peekButton = $("peek-button");
peekButton.addEventListener("pointerdown", (event) => {
  peekButton.setPointerCapture?.(event.pointerId);
  peek(true);
});
for (const type of ["pointerup", "pointercancel", "lostpointercapture", "blur"]) {
  peekButton.addEventListener(type, () => peek(false));
}
peekButton.addEventListener("keydown", (event) => {
  if (event.key === " " || event.key === "Enter") {
    event.preventDefault();
    peek(true);
  }
});
peekButton.addEventListener("keyup", () => peek(false));
peekButton.addEventListener("contextmenu", (event) => event.preventDefault()); // long press
$("keep-answer").addEventListener("change", (event) => {
  if (event.target.checked) localStorage.setItem(ANSWER_KEY, "shown");
  else localStorage.removeItem(ANSWER_KEY);
  drawAnswer();
});

// --- players: a compact list, a search box, one menu per player --------------------------

let openMenu = null; // the seat whose menu is open: kept open across redraws (every take)

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || openMenu === null || $("confirm").open) return;
  const seat = openMenu;
  openMenu = null;
  drawPlayers(room.you.role === "host");
  document.querySelector(`#scores li[data-seat="${seat}"] .menu-toggle`)?.focus();
});

function drawPlayers(isHost) {
  // The list is drawn anew after every take: keep the focus on the menu the host was using.
  const focused = document.activeElement?.closest?.("#scores li[data-seat]")?.dataset.seat;
  drawScores(Infinity, isHost ? playerMenu : null);
  $("player-count").textContent = String(room.playersTotal); // under "Players": the number
  $("player-search-box").hidden = !isHost || room.players.size < 2;
  filterPlayers();
  if (focused) document.querySelector(`#scores li[data-seat="${focused}"] .menu-toggle`)?.focus();
}

function filterPlayers() {
  const text = $("player-search").value.trim().toLocaleLowerCase();
  const items = [...$("scores").querySelectorAll("li[data-seat]")];
  let shown = 0;
  for (const item of items) {
    const nick = item.querySelector(".nick").textContent.toLocaleLowerCase();
    item.hidden = Boolean(text) && !nick.includes(text);
    if (!item.hidden) shown += 1;
  }
  let status = "";
  if (text && !shown) status = t("no_match", { text: $("player-search").value.trim() });
  else if (text) status = t("shown_of", { shown, count: items.length });
  $("search-status").textContent = status;
}

function playerMenu(item, player) {
  teamSelect(item, player, send);
  const open = openMenu === player.id;
  const menuId = `menu-${player.id}`;
  const toggle = el("button", { type: "button", class: "menu-toggle", "aria-expanded": String(open),
    "aria-controls": menuId, "aria-label": t("player_menu", { name: player.nickname }),
    title: t("player_menu", { name: player.nickname }) }, el("span", { "aria-hidden": "true", text: "⋯" }));
  const menu = el("div", { class: "menu", id: menuId, role: "group",
    "aria-label": t("player_menu", { name: player.nickname }) });
  menu.hidden = !open;
  const add = (label, hint, onClick, cls = "") => {
    const button = el("button", { type: "button", class: `small ${cls}` },
      el("span", { class: "what", text: label }));
    if (hint) button.append(el("span", { class: "why", text: hint }));
    button.addEventListener("click", onClick);
    menu.append(button);
  };
  if (room.reader !== player.id && room.state !== "finished") {
    add(t("make_reader"), "", () => send({ type: "reader", seat: player.id }));
  }
  add(t("remove"), t("remove_hint"), () => confirmThen("remove", player), "remove");
  add(t("kick"), t("kick_hint"), () => confirmThen("kick", player), "kick");
  toggle.addEventListener("click", () => {
    openMenu = openMenu === player.id ? null : player.id;
    for (const other of document.querySelectorAll("#scores .menu")) other.hidden = true;
    for (const other of document.querySelectorAll("#scores .menu-toggle")) {
      other.setAttribute("aria-expanded", "false");
    }
    menu.hidden = openMenu !== player.id;
    toggle.setAttribute("aria-expanded", String(!menu.hidden));
  });
  item.append(toggle, menu);
}

function send(message) {
  openMenu = null;
  conn.send(message);
}

/** Remove and kick are asked twice, each saying what it means for the player. */
function confirmThen(kind, player) {
  const dialog = $("confirm");
  $("confirm-title").textContent = t(`confirm_${kind}_title`, { name: player.nickname });
  $("confirm-text").textContent = t(`confirm_${kind}_text`);
  const ok = $("confirm-ok");
  ok.textContent = t(kind);
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "ok") send({ type: kind, seat: player.id });
    // Back to the player's ⋯ (still there if cancelled), its menu closed: the choice is made.
    document.querySelector(`#scores li[data-seat="${player.id}"] .menu-toggle`)?.focus();
  };
  openMenu = null;
  drawPlayers(true);
  dialog.showModal();
}

$("player-search").addEventListener("input", filterPlayers);

// --- settings: only those that apply, and time limits the text fits in -------------------

function fillSettings() {
  if (form.contains(document.activeElement) && document.activeElement.type === "number") return;
  const s = room.settings;
  for (const input of form.elements) {
    if (!input.name) continue;
    const value = s[input.name];
    if (input.type === "radio") input.checked = String(value) === input.value;
    else if (input.type === "checkbox" && input.name === "fields") input.checked = value.includes(input.value);
    else if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = String(value);
  }
  showApplicable();
  limitTimes(readSettings());
}

/** A setting that only means something in one mode is shown only in that mode. */
function showApplicable() {
  const data = new FormData(form);
  for (const node of form.querySelectorAll("[data-applies]")) {
    const [name, value] = node.dataset.applies.split("=");
    node.hidden = data.get(name) !== value;
  }
}

/** Seconds until the longest text of the chosen cards is shown (games/rules.py's rule), and
 * whether the reveal delay is what sets it. */
function secondsNeeded(s) {
  const table = config.read_seconds?.[s.lang]?.[s.hide_name ? "hidden" : "named"] || {};
  const reading = Math.max(0, ...s.fields.map((field) => table[field] || 0));
  const delay = s.reveal === "delayed" ? s.reveal_delay || 0 : 0;
  return { needed: Math.max(reading, delay), byDelay: delay > reading };
}

/** Disable the limits the text does not fit in; returns the limit to use (raised if need be). */
function limitTimes(s) {
  const { needed, byDelay } = secondsNeeded(s);
  const select = form.elements.time_limit;
  let off = 0;
  for (const option of select.options) {
    const seconds = Number(option.value);
    option.disabled = seconds > 0 && seconds < needed;
    if (option.disabled) off += 1;
  }
  const hint = $("time-hint");
  hint.hidden = off === 0;
  hint.textContent = off ? t(byDelay ? "time_hint_delay" : "time_hint", { seconds: needed }) : "";
  if (s.time_limit > 0 && s.time_limit < needed) {
    const longer = config.time_limits.filter((x) => x >= needed);
    return longer.length ? Math.min(...longer) : 0;
  }
  return s.time_limit;
}

function readSettings() {
  const data = new FormData(form);
  return {
    lang: data.get("lang"),
    fields: data.getAll("fields"),
    wrong_take: data.get("wrong_take"),
    reader_mode: data.get("reader_mode"),
    pause: Number(data.get("pause")),
    voice: data.get("voice") === "on",
    time_limit: Number(data.get("time_limit")),
    reveal: data.get("reveal"),
    reveal_delay: Number(data.get("reveal_delay")),
    set_bonus: data.get("set_bonus") === "on",
    fair: data.get("fair") === "on",
    hide_name: data.get("hide_name") === "on",
    generated_names: data.get("generated_names") === "on",
    teams: Number(data.get("teams")),
    team_pick: data.get("team_pick"),
    team_talk: Number(data.get("team_talk")),
  };
}

form.addEventListener("change", () => {
  showApplicable();
  const settings = readSettings();
  const limit = limitTimes(settings);
  note = "";
  if (limit !== settings.time_limit) {
    // More text (another language, more fields, a longer delay): the limit grows with it.
    form.elements.time_limit.value = String(limit);
    settings.time_limit = limit;
    note = t("time_raised", { seconds: limit });
  }
  $("settings-status").textContent = note;
  conn.send({ type: "settings", settings });
});
form.addEventListener("submit", (event) => event.preventDefault());
setupTeamNaming((message) => conn.send(message));
$("start").addEventListener("click", () => conn.send({ type: "start" }));
$("next").addEventListener("click", () => conn.send({ type: "next" }));
$("skip").addEventListener("click", () => conn.send({ type: "skip" }));
$("lock").addEventListener("click", () => conn.send({ type: "lock", locked: !room.closed }));
$("host-reads").addEventListener("click", () => conn.send({ type: "reader", seat: null }));
$("rematch").addEventListener("click", () => {
  // The server answers with `moved` (state.js → a "move" effect): this tab follows at once.
  $("rematch").disabled = true;
  $("rematch-status").textContent = t("moving");
  conn.send({ type: "rematch" });
});

setupSound(false);
conn = start(page);
redraw(page);
