// "Play again": the `moved` event (and the same frame without a version, sent to a tab that
// comes back to the old room) asks the page to follow, with the tab's own token; the room's
// state does not change. node --test tests/js/
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { apply, fromSnapshot, toSnapshot } from "../../static/js/play/state.js";
import { readingSnapshot } from "./fixtures.mjs";

const NOW = 1_000_000;

describe("moved", () => {
  it("asks the page to move, with its own token, as the next event", () => {
    const state = fromSnapshot(readingSnapshot({ version: 5 }), "player", NOW);
    const before = toSnapshot(state);
    const result = apply(state, { type: "moved", version: 6, code: "QWXYZ", token: "t-11" }, NOW);
    assert.deepEqual(result.effects, [{ kind: "move", code: "QWXYZ", token: "t-11" }]);
    assert.equal(result.redraw, null);
    assert.deepEqual(toSnapshot(state), { ...before, version: 6 });
  });

  it("moves a screen without a token", () => {
    const state = fromSnapshot(readingSnapshot({ role: "screen", seat: null }), "screen", NOW);
    const result = apply(state, { type: "moved", version: 6, code: "QWXYZ" }, NOW);
    assert.deepEqual(result.effects, [{ kind: "move", code: "QWXYZ", token: null }]);
  });

  it("follows the frame a returning tab gets after its snapshot (no version)", () => {
    const state = fromSnapshot(readingSnapshot({ version: 9 }), "player", NOW);
    const result = apply(state, { type: "moved", code: "QWXYZ", token: "t-11" }, NOW);
    assert.deepEqual(result.effects, [{ kind: "move", code: "QWXYZ", token: "t-11" }]);
    assert.equal(state.version, 9);
  });

  it("waits for its turn like any event: an old one is ignored, a gap asks for a sync", () => {
    const state = fromSnapshot(readingSnapshot({ version: 9 }), "player", NOW);
    assert.deepEqual(apply(state, { type: "moved", version: 8, code: "QWXYZ" }, NOW).effects, []);
    assert.deepEqual(apply(state, { type: "moved", version: 11, code: "QWXYZ" }, NOW).effects, [
      { kind: "sync" },
    ]);
  });
});
