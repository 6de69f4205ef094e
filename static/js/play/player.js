// A player's phone or laptop: join with a nickname, then take cards by tapping them.
import { cards, config, el, points, redraw, remindLocked, room, setupSound, start, t } from "./room.js";
import { drawReview } from "./review.js";
import { drawTeamPicker, ownTeam, teamBadge } from "./teams.js";

const $ = (id) => document.getElementById(id);
const KEY = `vk-seat-${config.code}`;
// The seat token of a removed or kicked seat: "Join again" sends it as `previous` so the
// server gives the same seat back (or refuses it while a kick lasts).
const OLD_KEY = `${KEY}-old`;
const form = $("join-form");
const joinError = $("join-error");
let conn;

const page = {
  hello(connection) {
    const token = localStorage.getItem(KEY);
    if (token) connection.send({ type: "hello", role: "player", token, lang: config.lang });
    else watch(connection);
  },
  onTake(id) {
    if (room.you.locked && room.state === "reading") {
      remindLocked(); // a tap while sitting the card out is answered, not ignored
      return;
    }
    if (room.you.role !== "player" || room.state !== "reading") return;
    if (room.you.seat && room.reader === room.you.seat.id) return;
    // The reaction time as this device saw it, from the reading reaching it (fair races: the
    // server keeps it only within what it saw itself, docs/protocol.md).
    const turn = room.turn;
    const reaction = turn ? Math.round(turn.elapsedMs + (Date.now() - turn.receivedAt)) : null;
    conn.send({ type: "take", card: id, reaction_ms: reaction });
  },
  handlers: {
    welcome(m) {
      localStorage.setItem(KEY, m.token);
      localStorage.removeItem(OLD_KEY);
      form.hidden = true;
    },
    snapshot() {
      // Watching before joining: the join form, unless the game is over or the room closed.
      drawJoin(true);
    },
    settings() {
      drawJoin(false);
    },
    room_locked() {
      drawJoin(false);
    },
    error(m) {
      if (m.about === "hello" && m.code === "bad_token") {
        localStorage.removeItem(KEY);
        watch(conn);
      } else if (m.about === "hello" && m.code === "kicked") {
        showGone("kicked");
      } else if (m.about === "join") {
        // `message` is the server's text in this page's language.
        joinError.textContent = m.message || config.strings[`err_${m.code}`] || m.detail;
        joinError.hidden = false;
        $("nickname").setAttribute("aria-invalid", "true");
      }
    },
  },
  draw() {
    const me = room.you.seat;
    const isReader = me && room.reader === me.id;
    $("me").textContent = me
      ? t("your_score", { name: me.nickname, points: points(me.score), cards: cards(me.cards) })
      : "";
    const team = ownTeam(); // the player's own team, always in view on the phone
    if (team) $("me").prepend(teamBadge(team, "team-badge own"), " ");
    drawTeamPicker((message) => conn.send(message));
    const waiting = $("waiting");
    let text = "";
    if (isReader && room.state !== "finished") text = t("you_reader");
    else if (room.state === "finished" && !me) text = t("game_over_watch");
    else if (!me && room.closed) text = t("err_room_locked");
    else if (room.state === "lobby") text = t("waiting_start");
    else if ((room.state === "taken" || room.state === "timeout") && !room.nextAt)
      text = t("waiting_next");
    waiting.textContent = text;
    waiting.hidden = !text || (!me && room.state !== "finished" && !room.closed);
    document.body.classList.toggle("is-reader", Boolean(isReader));
    drawReview(room.state === "finished" ? room.review : null);
    if (isReader) {
      const next = $("reader-next") || makeNextButton();
      next.hidden = !(room.state === "taken" || room.state === "timeout");
    }
  },
  closed(code) {
    if (code !== 4403 && code !== 4000) return;
    const token = localStorage.getItem(KEY);
    if (token) localStorage.setItem(OLD_KEY, token);
    localStorage.removeItem(KEY);
    showGone(code === 4403 ? "kicked" : "removed");
  },
};

/** The join form as the room allows it: hidden once over or closed to newcomers; with the
 * host's generated nicknames, one button instead of a name to type. */
function drawJoin(focus) {
  const watching = room.you.role === "screen";
  form.hidden = !watching || room.state === "finished" || room.closed;
  const generated = Boolean(room.settings.generated_names);
  $("nickname-choice").hidden = generated;
  $("join-typed").hidden = generated;
  $("generated-hint").hidden = !generated;
  $("random-nickname").textContent = generated ? t("join") : t("random_nickname");
  $("random-nickname").className = generated ? "primary" : "button secondary";
  if (focus && !form.hidden && !generated) $("nickname").focus();
}

function makeNextButton() {
  const button = el("button", { type: "button", class: "primary", id: "reader-next" });
  button.textContent = config.strings.next || "→";
  button.addEventListener("click", () => conn.send({ type: "next" }));
  $("waiting").after(button);
  return button;
}

function watch(connection) {
  connection.send({ type: "hello", role: "screen", lang: config.lang });
}

function showGone(reason) {
  form.hidden = true;
  $("board").hidden = true;
  const waiting = $("waiting");
  waiting.hidden = false;
  waiting.textContent = t(reason);
  if (reason === "removed") {
    const again = el("button", { type: "button", class: "primary", text: config.strings.join_again });
    again.addEventListener("click", () => location.reload());
    waiting.append(" ", again);
  }
}

function join(nickname) {
  joinError.hidden = true;
  $("nickname").removeAttribute("aria-invalid");
  const message = { type: "join", nickname, lang: config.lang };
  const previous = localStorage.getItem(OLD_KEY);
  if (previous) message.previous = previous;
  conn.send(message);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const nickname = $("nickname").value.trim();
  if (!nickname) {
    $("nickname").focus();
    return;
  }
  join(nickname);
});
$("random-nickname").addEventListener("click", () => join(""));
// The end screen's questionnaire from this seat: its token goes in a POST body (never a URL);
// the server binds this browser's answers to the seat. A watcher keeps the plain link.
$("survey-link").addEventListener("click", (event) => {
  const seatForm = $("survey-seat-form");
  const token = localStorage.getItem(KEY);
  if (!seatForm || !token) return;
  event.preventDefault();
  seatForm.elements.seat.value = token;
  seatForm.submit();
});

setupSound(false);
conn = start(page);
redraw(page);
