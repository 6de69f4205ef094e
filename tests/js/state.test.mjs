// static/js/play/state.js on its own: node --test tests/js/
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { apply, fromSnapshot, initial, toSnapshot } from "../../static/js/play/state.js";
import { ANSWER, otetsuki, reading, readingSnapshot, taken } from "./fixtures.mjs";

const NOW = 1_000_000;
const NONE = { redraw: null, effects: [] };
const WRONG_LOCKED = { type: "take_result", card: 1, outcome: "wrong", locked: true, points: -1 };
const kinds = (result) => result.effects.map((e) => e.kind);
const toasts = (result) => result.effects.filter((e) => e.kind === "toast");

describe("versions", () => {
  it("applies the next version and takes it", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const result = apply(state, otetsuki(6), NOW);
    assert.equal(result.redraw, "all");
    assert.equal(state.version, 6);
    assert.equal(state.players.get(12).score, -1);
  });

  it("ignores an event at or below its version", () => {
    const state = fromSnapshot(readingSnapshot({ version: 5 }), "player", NOW);
    for (const version of [4, 5]) {
      const result = apply(state, taken(version), NOW);
      assert.deepEqual(result, NONE);
    }
    assert.equal(state.state, "reading");
    assert.equal(state.board.get(2).gone, false);
    assert.equal(state.version, 5);
  });

  it("ignores a gap and asks for one sync until the snapshot arrives", () => {
    const state = fromSnapshot(readingSnapshot({ version: 5 }), "player", NOW);
    const first = apply(state, taken(7), NOW);
    assert.deepEqual(first, { redraw: null, effects: [{ kind: "sync" }] });
    assert.equal(state.syncing, true);
    assert.equal(state.board.get(2).gone, false);
    assert.deepEqual(apply(state, reading(8), NOW), NONE);
    assert.equal(state.version, 5);

    const fresh = readingSnapshot({ version: 8 });
    fresh.room.state = "taken";
    fresh.turn = null;
    assert.equal(apply(state, fresh, NOW).redraw, "all");
    assert.equal(state.syncing, false);
    assert.equal(state.version, 8);
    assert.equal(state.state, "taken");
    // A later gap asks again.
    assert.deepEqual(kinds(apply(state, reading(10), NOW)), ["sync"]);
  });

  it("lets a snapshot reset everything, an older one too", () => {
    const state = fromSnapshot(readingSnapshot({ version: 5 }), "player", NOW);
    apply(state, taken(6), NOW);
    apply(state, readingSnapshot({ version: 3 }), NOW);
    assert.equal(state.version, 3);
    assert.equal(state.state, "reading");
    assert.equal(state.board.get(2).gone, false);
    assert.equal(state.result, null);
  });

  it("ignores events before the first snapshot: the snapshot holds them", () => {
    const state = initial("player");
    assert.deepEqual(apply(state, taken(6), NOW), NONE);
    assert.equal(state.version, null);
  });

  it("handles replies whatever the version", () => {
    const state = fromSnapshot(readingSnapshot({ version: 5 }), "player", NOW);
    apply(state, taken(7), NOW); // a gap: syncing
    const reply = apply(state, WRONG_LOCKED, NOW);
    assert.equal(state.you.locked, true);
    assert.equal(reply.redraw, "all");
    assert.deepEqual(apply(state, { type: "pong" }, NOW), NONE);
  });

  it("ignores a message it does not know", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    assert.deepEqual(apply(state, { type: "answer", version: 6 }, NOW), NONE);
    assert.equal(state.version, 5);
  });
});

describe("deltas state what is", () => {
  it("otetsuki applied twice is applied once", () => {
    const once = fromSnapshot(readingSnapshot(), "screen", NOW);
    const twice = fromSnapshot(readingSnapshot(), "screen", NOW);
    apply(once, otetsuki(6), NOW);
    apply(twice, otetsuki(6), NOW);
    apply(twice, { ...otetsuki(6), version: undefined }, NOW); // unversioned: applied again
    assert.deepEqual(toSnapshot(twice), toSnapshot(once));
    const ben = { id: 12, nickname: "Ben", score: -1, cards: 0, wrong: 1 };
    assert.deepEqual(once.players.get(12), ben);
  });

  it("taken applied twice is applied once", () => {
    const once = fromSnapshot(readingSnapshot(), "screen", NOW);
    const twice = fromSnapshot(readingSnapshot(), "screen", NOW);
    apply(once, taken(6), NOW);
    apply(twice, taken(6), NOW);
    apply(twice, { ...taken(6), version: undefined }, NOW);
    assert.deepEqual(toSnapshot(twice), toSnapshot(once));
  });

  it("taken marks the card, sets the scores, the result and the next card's time", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const result = apply(state, taken(6, { next_in_ms: 8000, bonus: 3 }), NOW);
    assert.equal(result.redraw, "all");
    assert.deepEqual(kinds(result), ["hush"]);
    assert.equal(state.state, "taken");
    assert.deepEqual(state.board.get(2), { ...state.board.get(2), gone: true, taken_by: 11 });
    assert.deepEqual(state.you.seat, { id: 11, nickname: "Aki", score: 1, cards: 1, wrong: 0 });
    assert.equal(state.you.seat, state.players.get(11)); // one object, never two copies
    const fields = ["back", "bonus", "by", "card", "fastest", "nickname", "skipped", "yours_ms"];
    assert.deepEqual(Object.keys(state.result).sort(), fields);
    assert.equal(state.result.bonus, 3);
    assert.deepEqual(state.result.fastest, []); // first-to-arrive: no reaction times
    assert.equal(state.result.yours_ms, null);
    assert.equal(state.nextAt, NOW + 8000);
    // The read text stays beside the back; its time limit and its answer are over.
    assert.equal(state.turn.deadline, null);
    assert.equal(state.turn.answer, null);
  });

  it("taken keeps a fair race's fastest reaction times and this tab's own", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const fastest = [{ seat: 12, nickname: "Ben", ms: 610 }, { seat: 11, nickname: "Aki", ms: 640 }];
    apply(state, taken(6, { fastest, yours_ms: 640 }), NOW);
    assert.deepEqual(state.result.fastest, fastest);
    assert.equal(state.result.yours_ms, 640);
  });

  it("timeout marks the card gone without a taker", () => {
    const state = fromSnapshot(readingSnapshot(), "screen", NOW);
    const event = { ...taken(6), type: "timeout", by: null, nickname: null, skipped: true };
    delete event.scores;
    const result = apply(state, event, NOW);
    assert.deepEqual(kinds(result), ["hush"]);
    assert.equal(state.state, "timeout");
    assert.equal(state.board.get(2).gone, true);
    assert.equal(state.board.get(2).taken_by, null);
    assert.equal(state.result.skipped, true);
    assert.equal(state.nextAt, null);
  });

  it("a restored seat comes back with its score and is this tab's seat again", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    apply(state, { type: "player_left", version: 6, seat: 11, reason: "removed", players_total: 1 }, NOW);
    assert.equal(state.you.seat, null);
    assert.equal(state.playersTotal, 1);
    const aki = { id: 11, nickname: "Aki", score: 4, cards: 2, wrong: 1 };
    const joined = apply(state, { type: "player_joined", version: 7, player: aki, players_total: 2 }, NOW);
    assert.equal(joined.redraw, "scores");
    assert.equal(state.playersTotal, 2); // a hall's count, though its snapshot lists its top
    assert.deepEqual(state.you.seat, aki);
    assert.equal(state.you.seat, state.players.get(11));
  });

  it("a hall's join has no version: applied as it comes, the events after it still in order", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const before = state.version;
    const ben = { id: 40, nickname: "Ben", score: 0, cards: 0, wrong: 0 };
    const joined = apply(state, { type: "player_joined", player: ben, players_total: 140 }, NOW);
    assert.equal(joined.redraw, "scores");
    assert.deepEqual(kinds(joined), []); // no snapshot asked for
    assert.equal(state.playersTotal, 140);
    assert.equal(state.version, before);
    const next = apply(state, { type: "player_left", version: before + 1, seat: 40, reason: "removed", players_total: 139 }, NOW);
    assert.deepEqual(kinds(next), []);
    assert.equal(state.version, before + 1);
    assert.equal(state.playersTotal, 139);
  });
});

describe("the secret answer", () => {
  const handOver = (version, seat, answer) => ({
    type: "reader",
    version,
    seat,
    ...(answer ? { answer } : {}),
  });

  it("goes to the new reader while a card is read", () => {
    const state = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    apply(state, handOver(6, 12, ANSWER), NOW);
    assert.equal(state.reader, 12);
    assert.deepEqual(state.turn.answer, ANSWER);
    assert.deepEqual(toSnapshot(state).turn.answer, ANSWER);
  });

  it("is lost by the ex-reader", () => {
    const state = fromSnapshot(readingSnapshot({ seat: 12, answer: true }), "player", NOW);
    state.reader = 12;
    apply(state, handOver(6, 11), NOW);
    assert.equal(state.turn.answer, null);
    assert.equal("answer" in toSnapshot(state).turn, false);
  });

  it("is kept by the host, who is not sent it again", () => {
    const snapshot = readingSnapshot({ role: "host", seat: null, answer: true });
    const state = fromSnapshot(snapshot, "host", NOW);
    apply(state, handOver(6, 11), NOW);
    assert.deepEqual(state.turn.answer, ANSWER);
  });

  it("comes with reading for the reader only", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    apply(state, taken(6), NOW);
    apply(state, reading(7, { answer: ANSWER }), NOW);
    assert.deepEqual(state.turn.answer, ANSWER);
    apply(state, taken(8, { card: 1 }), NOW);
    apply(state, reading(9), NOW);
    assert.equal(state.turn.answer, null);
  });
});

describe("locked", () => {
  it("is set by a wrong take that locks, and by the own otetsuki", () => {
    const state = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    assert.equal(apply(state, WRONG_LOCKED, NOW).redraw, "all");
    assert.equal(state.you.locked, true);

    const other = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    assert.equal(apply(other, otetsuki(6), NOW).redraw, "all");
    assert.equal(other.you.locked, true);
  });

  it("is not set by another seat's otetsuki, nor by one that does not lock", () => {
    const state = fromSnapshot(readingSnapshot({ seat: 11 }), "player", NOW);
    apply(state, otetsuki(6), NOW);
    assert.equal(state.you.locked, false);
    const mine = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    apply(mine, otetsuki(6, { mode: "discuss", locked: false, points: 0, score: 0 }), NOW);
    assert.equal(mine.you.locked, false);
    assert.equal(mine.you.seat.wrong, 1);
  });

  for (const [type, event] of [
    ["reading", reading(7)],
    ["taken", taken(7)],
    ["timeout", { ...taken(7), type: "timeout", by: null, nickname: null, scores: undefined }],
    ["finished", { type: "finished", version: 7, ranking: [] }],
  ]) {
    it(`is lifted by ${type}`, () => {
      const state = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
      apply(state, otetsuki(6), NOW);
      assert.equal(state.you.locked, true);
      apply(state, event, NOW);
      assert.equal(state.you.locked, false);
    });
  }
});

describe("wrong takes", () => {
  const BEN = { take: 96, seat: 12, nickname: "Ben", card: 1, name: { ja: "Value 1(ja)", en: "Value 1" } };

  it("stay on every screen until the next card, by name and card, and no toast", () => {
    for (const role of ["host", "screen", "player"]) {
      const seat = role === "player" ? 11 : null;
      const state = fromSnapshot(readingSnapshot({ role, seat }), role, NOW);
      const result = apply(state, otetsuki(6), NOW);
      assert.deepEqual(toasts(result), []);
      assert.equal(result.redraw, "all");
      assert.deepEqual(state.turn.wrong, [BEN]);
      apply(state, taken(7), NOW); // the card's back: still shown beside it
      assert.deepEqual(state.turn.wrong, [BEN]);
      apply(state, reading(8), NOW);
      assert.deepEqual(state.turn.wrong, []);
    }
  });

  it("in discuss mode are kept the same (the page words them as talking points)", () => {
    const state = fromSnapshot(readingSnapshot(), "screen", NOW);
    apply(state, otetsuki(6, { mode: "discuss", locked: false, points: 0, score: 0 }), NOW);
    assert.deepEqual(state.turn.wrong, [BEN]);
  });

  it("are the taker's own line, its take_result only locking at once", () => {
    const state = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    assert.deepEqual(toasts(apply(state, WRONG_LOCKED, NOW)), []);
    assert.equal(state.you.locked, true);
    apply(state, otetsuki(6), NOW);
    assert.deepEqual(state.turn.wrong, [BEN]);
  });

  it("in mode off are the taker's alone, but count for everyone", () => {
    for (const role of ["host", "screen", "player"]) {
      const snapshot = readingSnapshot({ role, seat: role === "player" ? 11 : null });
      const state = fromSnapshot(snapshot, role, NOW);
      const off = otetsuki(6, { mode: "off", points: 0, score: 0, locked: false });
      const result = apply(state, off, NOW);
      assert.deepEqual(result.effects, []);
      assert.deepEqual(state.turn.wrong, []);
      assert.equal(state.players.get(12).wrong, 1);
    }
    const taker = fromSnapshot(readingSnapshot({ seat: 12 }), "player", NOW);
    apply(taker, otetsuki(6, { mode: "off", points: 0, score: 0, locked: false }), NOW);
    assert.deepEqual(taker.turn.wrong, [BEN]);
  });
});

describe("toasts", () => {
  it("a take won is said by the taken event that follows, not by a toast", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const result = apply(state, { type: "take_result", card: 2, outcome: "won", bonus: 0 }, NOW);
    assert.deepEqual(result, NONE);
    apply(state, taken(6), NOW);
    assert.equal(state.result.by, state.seatId);
  });

  it("an error shows the server's translated text, else a generic line with the detail", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    const text = "もう取られています";
    const error = { type: "error", code: "card_taken", message: text, detail: "taken", about: null };
    assert.deepEqual(apply(state, error, NOW).effects, [{ kind: "toast", text, tone: "error" }]);
    const bare = { ...error, message: undefined };
    assert.deepEqual(apply(state, bare, NOW).effects, [
      { kind: "toast", key: "error", params: { detail: "taken" }, tone: "error" },
    ]);
  });
});

describe("reading", () => {
  it("hushes the last card, speaks this one and starts its clock", () => {
    const state = fromSnapshot(readingSnapshot(), "screen", NOW);
    apply(state, taken(6, { next_in_ms: 8000 }), NOW);
    const result = apply(state, reading(7), NOW + 500);
    assert.equal(result.redraw, "all");
    const speak = { kind: "speak", text: { ja: "次", en: "Next" } };
    assert.deepEqual(result.effects, [{ kind: "hush" }, speak]);
    assert.equal(state.state, "reading");
    assert.equal(state.result, null);
    assert.equal(state.nextAt, null);
    assert.equal(state.turn.receivedAt, NOW + 500);
    assert.equal(state.turn.deadline, NOW + 500 + 15000);
    assert.equal(state.turn.elapsedMs, 0);
    assert.equal(toSnapshot(state).turn.remaining_ms, true);
  });

  it("without a time limit has no deadline", () => {
    const state = fromSnapshot(readingSnapshot(), "screen", NOW);
    apply(state, reading(6, { remaining_ms: null, elapsed_ms: 3000 }), NOW);
    assert.equal(state.turn.deadline, null);
    assert.equal(state.turn.elapsedMs, 3000);
    assert.equal(toSnapshot(state).turn.remaining_ms, false);
  });
});

describe("the game's course", () => {
  it("started lays out the board; finished brings the ranking", () => {
    const lobby = readingSnapshot({ role: "host", seat: null });
    Object.assign(lobby, { turn: null, board: [] });
    lobby.room.state = "lobby";
    const state = fromSnapshot(lobby, "host", NOW);
    const board = readingSnapshot().board;
    apply(state, { type: "started", version: 6, board }, NOW);
    assert.equal(state.state, "taken");
    assert.deepEqual(state.order, [3, 1, 2]);
    assert.equal(state.turn, null);
    const ranking = [
      { rank: 1, id: 11, nickname: "Aki", score: 1, cards: 1, status: "active", hand: [] },
    ];
    apply(state, reading(7), NOW);
    apply(state, { type: "finished", version: 8, ranking }, NOW);
    assert.equal(state.state, "finished");
    assert.deepEqual(state.ranking, ranking);
    assert.equal(state.turn, null);
    assert.equal(state.result, null);
  });

  it("settings and players are set as sent", () => {
    const state = fromSnapshot(readingSnapshot(), "screen", NOW);
    const settings = { ...state.settings, wrong_take: "off" };
    assert.equal(apply(state, { type: "settings", version: 6, settings }, NOW).redraw, "all");
    assert.deepEqual(state.settings, settings);
    apply(state, { type: "player_left", version: 7, seat: 12, reason: "kicked", players_total: 1 }, NOW);
    assert.deepEqual([...state.players.keys()], [11]);
  });
});

describe("toSnapshot", () => {
  it("gives back the snapshot it was built from, with the times as booleans", () => {
    const snapshot = readingSnapshot({ answer: true });
    snapshot.players.reverse(); // joining order; toSnapshot sorts by id
    const out = toSnapshot(fromSnapshot(snapshot, "player", NOW));
    const expected = structuredClone(snapshot);
    delete expected.type;
    delete expected.turn.elapsed_ms;
    expected.turn.remaining_ms = false;
    expected.room.next_in_ms = false;
    expected.room.talk_in_ms = false;
    expected.players.sort((a, b) => a.id - b.id);
    assert.deepEqual(out, expected);
  });

  it("is a copy: changing it changes nothing in the state", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    toSnapshot(state).players[0].score = 99;
    assert.equal(state.players.get(11).score, 0);
  });
});
