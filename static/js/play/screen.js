// The projector: board, read text, live scores, the join QR while waiting, final ranking.
// Nobody touches it during play; sound needs one click because browsers ask for it.
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

setupSound(true);
start(page);
redraw(page);
