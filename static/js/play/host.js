// The host's page: settings in the lobby, start, next card, kick/remove, reader hand-over.
import { config, drawScores, el, redraw, room, setupSound, start, t } from "./room.js";

const $ = (id) => document.getElementById(id);
const KEY = `vk-host-${config.code}`;
const token = config.token || localStorage.getItem(KEY);
if (token) localStorage.setItem(KEY, token);
const form = $("settings");
let conn;

const page = {
  hello(connection) {
    if (token) connection.send({ type: "hello", role: "host", token, lang: config.lang });
    else notHost(connection);
  },
  handlers: {
    error(m) {
      if (m.about === "hello") notHost(conn);
      if (m.about === "settings") fillSettings();
    },
    settings() {
      $("settings-status").textContent = config.strings.saved || "✓";
    },
  },
  draw() {
    const state = room.state;
    $("lobby").hidden = state !== "lobby" || room.you.role !== "host";
    $("state").textContent = state ? t(`state_${state}`) : "";
    const isHost = room.you.role === "host";
    $("start").hidden = !(isHost && state === "lobby");
    $("next").hidden = !(isHost && (state === "taken" || state === "timeout"));
    $("skip").hidden = !(isHost && state === "reading");
    $("host-reads").hidden = !(isHost && room.reader);
    if (state === "lobby") fillSettings();
    drawScores(Infinity, isHost ? playerActions : null);
  },
};

function notHost(connection) {
  $("not-host").hidden = false;
  connection.send({ type: "hello", role: "screen", lang: config.lang });
}

function playerActions(item, player) {
  const actions = el("span", { class: "actions" });
  const add = (label, message, confirmText) => {
    const button = el("button", { type: "button", class: "small", text: label });
    button.addEventListener("click", () => {
      if (confirmText && !window.confirm(confirmText)) return;
      conn.send(message);
    });
    actions.append(button);
  };
  if (room.reader !== player.id && room.state !== "finished") {
    add(t("make_reader"), { type: "reader", seat: player.id });
  }
  add(t("remove"), { type: "remove", seat: player.id });
  add(t("kick"), { type: "kick", seat: player.id }, t("confirm_kick", { name: player.nickname }));
  item.append(actions);
}

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
    hide_name: data.get("hide_name") === "on",
  };
}

form.addEventListener("change", () => {
  $("settings-status").textContent = "";
  conn.send({ type: "settings", settings: readSettings() });
});
form.addEventListener("submit", (event) => event.preventDefault());
$("start").addEventListener("click", () => conn.send({ type: "start" }));
$("next").addEventListener("click", () => conn.send({ type: "next" }));
$("skip").addEventListener("click", () => conn.send({ type: "skip" }));
$("host-reads").addEventListener("click", () => conn.send({ type: "reader", seat: null }));

setupSound(false);
conn = start(page);
redraw(page);
