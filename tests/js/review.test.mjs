// The end of a game in static/js/play/state.js: the `finished` event's personal parts (a seat's
// review, a screen's debrief) are kept as sent, and a snapshot puts them back the same way.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { apply, fromSnapshot, toSnapshot } from "../../static/js/play/state.js";
import { readingSnapshot } from "./fixtures.mjs";

const NOW = 1_000_000;
const value = (number) => ({
  number, field: "economics", color: "#1f6fb2", image: `/pictograms/${number}.svg`,
  name: { en: `Value ${number}` }, concept: { en: `Concept ${number}` },
});
const REVIEW = {
  taken: [{ number: 2, field: "economics", color: "#1f6fb2", image: "/pictograms/2.svg", name: { en: "Value 2" } }],
  pairs: [{ read: value(1), taken: value(3), count: 2 }],
  practise: [1, 3],
};
const DEBRIEF = { pairs: [{ read: value(1), taken: value(3), count: 2 }], more: 0, wrong: 2, right: 1 };

describe("the end's personal parts", () => {
  it("a seat keeps its review from the finished event; nothing else has one", () => {
    const state = fromSnapshot(readingSnapshot(), "player", NOW);
    assert.equal(state.review, null);
    apply(state, { type: "finished", version: 6, ranking: [], review: REVIEW }, NOW);
    assert.deepEqual(state.review, REVIEW);
    assert.equal(state.debrief, null);
    assert.deepEqual(toSnapshot(state).review, REVIEW);
  });

  it("a screen keeps the debrief; a reconnect's snapshot gives the same", () => {
    const state = fromSnapshot(readingSnapshot({ role: "screen", seat: null }), "screen", NOW);
    apply(state, { type: "finished", version: 6, ranking: [], debrief: DEBRIEF }, NOW);
    assert.deepEqual(state.debrief, DEBRIEF);
    const again = fromSnapshot({ ...toSnapshot(state), room: { ...toSnapshot(state).room, next_in_ms: null } }, "screen", NOW);
    assert.deepEqual(again.debrief, DEBRIEF);
    assert.equal(again.review, null);
  });

  it("the host's finished event carries neither", () => {
    const state = fromSnapshot(readingSnapshot({ role: "host", seat: null }), "host", NOW);
    apply(state, { type: "finished", version: 6, ranking: [] }, NOW);
    assert.equal(state.review, null);
    assert.equal(state.debrief, null);
  });
});
