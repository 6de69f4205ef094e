// The client half of tests/games/test_contract.py: reads cases on stdin, a JSON array of
//   {"role": "host"|"player"|"screen", "before": <snapshot>, "events": [<message>...], "now": 0}
// and writes, one per case, {"snapshot": toSnapshot(state), "effects": [...]}: the state a tab
// has after the snapshot `before` and then each event in order, and every effect the events
// asked for (a "sync" among them means the tab saw a gap).
//
//   node tests/js/contract.mjs < cases.json
import { apply, fromSnapshot, toSnapshot } from "../../static/js/play/state.js";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export function run(cases) {
  return cases.map(({ role, before, events = [], now = 0 }) => {
    const state = fromSnapshot(before, role, now);
    const effects = events.flatMap((event) => apply(state, event, now).effects);
    return { snapshot: toSnapshot(state), effects };
  });
}

const cases = JSON.parse(await readStdin());
process.stdout.write(JSON.stringify(run(cases)));
