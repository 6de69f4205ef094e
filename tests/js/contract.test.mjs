// tests/js/contract.mjs as tests/games/test_contract.py runs it: JSON in on stdin, JSON out.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { it } from "node:test";

import { readingSnapshot, taken } from "./fixtures.mjs";

const runner = fileURLToPath(new URL("./contract.mjs", import.meta.url));

function contract(cases) {
  const input = JSON.stringify(cases);
  const done = spawnSync(process.execPath, [runner], { input, encoding: "utf8" });
  assert.equal(done.status, 0, done.stderr);
  return JSON.parse(done.stdout);
}

it("answers each case with the state after its events and their effects", () => {
  const [screen, gap] = contract([
    {
      role: "screen",
      before: readingSnapshot({ role: "screen", seat: null }),
      events: [taken(6)],
      now: 0,
    },
    { role: "player", before: readingSnapshot(), events: [taken(9)], now: 0 },
  ]);
  assert.equal(screen.snapshot.version, 6);
  assert.equal(screen.snapshot.room.state, "taken");
  assert.equal(screen.snapshot.board.find((c) => c.id === 2).taken_by, 11);
  assert.deepEqual(screen.effects, [{ kind: "hush" }]);
  assert.equal(gap.snapshot.version, 5);
  assert.deepEqual(gap.effects, [{ kind: "sync" }]);
});

it("answers an empty list with an empty list", () => {
  assert.deepEqual(contract([]), []);
});
