// The reconnection rules of static/js/play/connection.js (the socket itself is the browser's).
import assert from "node:assert/strict";
import { it } from "node:test";

import { isFinal, retryDelay } from "../../static/js/play/connection.js";

it("gives up only when the host removed or kicked this tab", () => {
  assert.equal(isFinal(4000), true);
  assert.equal(isFinal(4403), true);
  // 1013: live updates unavailable (Redis down): try again later, with the back-off.
  for (const code of [1000, 1001, 1006, 1011, 1012, 1013]) assert.equal(isFinal(code), false);
});

it("backs off exponentially, with jitter, up to 15 s", () => {
  assert.equal(retryDelay(0, 0), 200);
  assert.equal(retryDelay(0, 1), 600);
  assert.equal(retryDelay(3, 0.5), 3200);
  assert.equal(retryDelay(20, 1), 15000);
});
