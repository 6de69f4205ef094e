// The projector: board, read text, live scores, the join QR while waiting, final ranking.
// Nobody touches it during play (one click on "Sound" before, for the voice).
import { config, drawScores, redraw, room, setupSound, start } from "./room.js";

const TOP = 12;

const page = {
  hello(connection) {
    connection.send({ type: "hello", role: "screen", lang: config.lang });
  },
  draw() {
    document.getElementById("lobby").hidden = room.state !== "lobby";
    drawScores(TOP);
  },
};

// Browsers only speak after a click on the page: the sound button is that click.
setupSound(false);
start(page);
redraw(page);
