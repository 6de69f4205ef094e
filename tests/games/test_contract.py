"""The snapshot/delta contract, in the style of Zulip's ``verify_action``.

For every operation, and for every role watching (the host, the reader, a player, another
player, a screen): the tab's snapshot before it, plus the messages the operation sent that
tab, applied by the browser's own state module (static/js/play/state.js, run in Node), equal a
fresh snapshot taken after it. No tab may need a ``sync`` to get there.

Found in a real run before this test existed: after a skip a reload said "nobody took this
card" (the snapshot's result had no ``skipped`` or ``bonus``), and the client counted wrong
takes up instead of setting them.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from games.models import Room
from games.realtime.timers import tick
from tests.conftest import require
from tests.games.conftest import Client

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "js" / "contract.mjs"


def normal(snapshot: dict) -> dict:
    """A snapshot as state.js's toSnapshot() gives it: clock readings become "is there one"."""
    data = json.loads(json.dumps(snapshot))
    data.pop("type", None)
    data["room"]["next_in_ms"] = data["room"]["next_in_ms"] is not None
    data["room"]["talk_in_ms"] = data["room"]["talk_in_ms"] is not None
    if data["turn"]:
        data["turn"].pop("elapsed_ms")
        data["turn"]["remaining_ms"] = data["turn"]["remaining_ms"] is not None
    data["players"].sort(key=lambda p: p["id"])
    return data


def run_state_module(cases: list[dict]) -> list[dict]:
    node = shutil.which("node")
    require(node is not None, "Node.js")
    done = subprocess.run(
        [node, str(RUNNER)], input=json.dumps(cases), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(autouse=True)
def _syncs_unbudgeted(settings):
    """Every tab here asks for two snapshots around each operation, all from one address: far
    more than a class sends (games/limits.py's per-address budget is not what is tested)."""
    settings.ADDRESS_MESSAGE_BURST = 1_000_000


async def version_after(code: str, version: int, timeout: float = 5) -> int:
    """The room's version once an operation's transaction (all its events) has committed."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        now = await database_sync_to_async(lambda: Room.objects.get(code=code).version)()
        if now > version:
            return now
        assert loop.time() < end, "the operation emitted no event"
        await asyncio.sleep(0.01)


class Table:
    """The tabs of one room, by name, and the contract checked around each operation."""

    def __init__(self, code: str, tabs: dict[str, tuple[Client, str]]) -> None:
        self.code = code
        self.tabs = tabs  # name → (client, role as the browser page knows it)
        self.checked: list[str] = []

    async def snapshot(self, client: Client) -> dict:
        await client.send("sync")
        return await client.expect("snapshot")

    async def verify(
        self, name: str, action: Callable[[], Awaitable], *, gone: tuple[str, ...] = ()
    ) -> None:
        for n in gone:  # closed by the operation (kicked, removed) or replaced by a new tab
            self.tabs.pop(n, None)
        watching = dict(self.tabs)
        before = {n: await self.snapshot(c) for n, (c, _) in watching.items()}
        marks = {n: len(c.seen) for n, (c, _) in watching.items()}
        await action()
        target = await version_after(self.code, before["host"]["version"])
        cases, afters = [], {}
        for n, (client, role) in watching.items():
            # Wait for this tab to hear the last event of the operation.
            while not any(m.get("version") == target for m in client.seen[marks[n] :]):
                await client.recv()
            delivered = [m for m in client.seen[marks[n] :] if m["type"] != "snapshot"]
            afters[n] = await self.snapshot(client)
            assert afters[n]["version"] == target, f"{name}: something else happened"
            cases.append({"role": role, "before": before[n], "events": delivered, "now": 0})
        results = run_state_module(cases)
        for (n, _), got in zip(watching.items(), results, strict=True):
            assert got["snapshot"] == normal(afters[n]), f"{name}, seen by {n}"
            assert {"kind": "sync"} not in got["effects"], f"{name}: {n} saw a gap"
        self.checked.append(name)


async def seated(make_room, clients, **options) -> tuple[Table, dict]:
    code, token = await make_room(**options)
    host = await clients(code)
    await host.hello("host", token)
    screen = await clients(code)
    await screen.hello("screen")
    players = {}
    for name in ("Reader", "Aki", "Ben"):
        players[name] = await clients(code)
        await players[name].join(name)
    tabs = {
        "host": (host, "host"),
        "screen": (screen, "screen"),
        "reader": (players["Reader"], "player"),
        "aki": (players["Aki"], "player"),
        "ben": (players["Ben"], "player"),
    }
    return Table(code, tabs), {"host": host, "screen": screen, **players}


async def answer_of(host: Client) -> int:
    snap = await Table.snapshot(None, host)
    return snap["turn"]["answer"]["id"]


async def a_wrong_card(host: Client) -> int:
    snap = await Table.snapshot(None, host)
    answer = snap["turn"]["answer"]["id"]
    return next(c["id"] for c in snap["board"] if c["id"] != answer and not c["gone"])


@pytest.mark.parametrize("mode", ["penalty", "discuss", "off"])
async def test_every_operation_keeps_every_tab_in_step(make_room, clients, mode):
    table, tab = await seated(
        make_room, clients, fields=["psychology", "sociology"], wrong_take=mode
    )
    host, aki, ben, reader = tab["host"], tab["Aki"], tab["Ben"], tab["Reader"]
    verify = table.verify

    await verify("settings", lambda: host.send("settings", settings={"pause": 5}))
    await verify("reader to a player", lambda: host.send("reader", seat=reader.seat))

    async def late_join():
        late = await clients(table.code)
        table.tabs["late"] = (late, "player")
        await late.join("Late")

    await verify("join", late_join)
    await verify("lock", lambda: host.send("lock", locked=True))
    await verify("start", lambda: host.send("start"))

    # A wrong take, in this room's wrong-take mode.
    wrong = await a_wrong_card(host)
    await verify("wrong take", lambda: aki.send("take", card=wrong))
    # The reader role changes hands while a card is read: the new reader gets the answer.
    await verify("reader mid-card", lambda: host.send("reader", seat=ben.seat))
    await verify("reader back to the host", lambda: host.send("reader", seat=None))
    right = await answer_of(host)  # Aki may sit this card out (penalty): another takes it
    await verify("right take", lambda: reader.send("take", card=right))
    await verify("next", lambda: host.send("next"))
    await verify("skip", lambda: host.send("skip"))
    await verify("next after skip", lambda: host.send("next"))

    async def time_runs_out():
        await database_sync_to_async(
            lambda: Room.objects.filter(code=table.code).update(
                deadline=timezone.now() - timedelta(seconds=1)
            )
        )()
        await tick(table.code)

    await verify("timeout", time_runs_out)
    await verify("next after timeout", lambda: host.send("next"))
    await verify("unlock", lambda: host.send("lock", locked=False))
    await verify("remove", lambda: host.send("remove", seat=ben.seat), gone=("ben",))

    async def come_back():
        back = await clients(table.code)
        table.tabs["ben"] = (back, "player")
        await back.send("join", nickname="", previous=ben.token, lang="en")
        welcome = await back.expect("welcome")
        assert welcome["restored"] and welcome["seat"] == ben.seat

    await verify("a removed player comes back", come_back)
    late = table.tabs["late"][0]
    await verify("kick", lambda: host.send("kick", seat=late.seat), gone=("late",))
    # Aki takes the rest (completing a field: a set bonus on the way), then the ranking.
    while (snap := await table.snapshot(host))["room"]["state"] != "finished":
        right = snap["turn"]["answer"]["id"]
        await verify("right take", lambda card=right: aki.send("take", card=card))
        last = all(c["gone"] for c in (await table.snapshot(host))["board"])
        await verify("finish" if last else "next", lambda: host.send("next"))
    # The finished event's personal parts matched the snapshots above; and they are there:
    # Aki's own review (Aki took a wrong card), the screen's debrief, nothing for the host.
    assert (await table.snapshot(aki))["review"]["pairs"][0]["count"] == 1
    assert (await table.snapshot(tab["screen"]))["debrief"]["wrong"] == 1
    assert (await table.snapshot(host))["review"] is None
    assert set(table.checked) == {
        "settings", "reader to a player", "join", "lock", "unlock", "start", "wrong take",
        "reader mid-card", "reader back to the host", "right take", "next", "skip",
        "next after skip", "timeout", "next after timeout", "remove",
        "a removed player comes back", "kick", "finish",
    }  # fmt: skip


async def test_a_set_bonus_and_the_ranking_keep_every_tab_in_step(make_room, clients):
    table, tab = await seated(make_room, clients, fields=["psychology"], set_bonus=True)
    host, aki = tab["host"], tab["Aki"]
    await table.verify("start", lambda: host.send("start"))
    for name in ("take", "take completing the field"):
        right = await answer_of(host)
        await table.verify(name, lambda card=right: aki.send("take", card=card))
        await table.verify("next", lambda: host.send("next"))
    snap = await table.snapshot(host)
    assert snap["ranking"][0]["nickname"] == "Aki" and snap["ranking"][0]["score"] == 5


async def test_team_play_keeps_every_tab_in_step(make_room, clients):
    """Teams turned on, picked, moved, dealt at the start; wrong and right takes move the team
    totals; the end ranks teams: every tab's state follows."""
    table, tab = await seated(
        make_room, clients, fields=["psychology"], set_bonus=True, team_talk=5
    )
    host, aki, ben, reader = tab["host"], tab["Aki"], tab["Ben"], tab["Reader"]
    verify = table.verify
    await verify("teams on", lambda: host.send("settings", settings={"teams": 3}))
    await verify("players choose", lambda: host.send("settings", settings={"team_pick": "choose"}))
    teams = [t["id"] for t in (await table.snapshot(host))["teams"]]
    await verify("the host names a team", lambda: host.send("team_name", team=teams[0], name="Go"))
    await verify("a player picks", lambda: aki.send("team", team=teams[1]))
    await verify("the host moves", lambda: host.send("team", team=teams[1], seat=ben.seat))
    await verify("fewer teams", lambda: host.send("settings", settings={"teams": 2}))
    await verify("start", lambda: host.send("start"))
    wrong = await a_wrong_card(host)
    await verify("wrong take", lambda: ben.send("take", card=wrong))
    right = await answer_of(host)
    await verify("right take", lambda: reader.send("take", card=right))
    await verify("next", lambda: host.send("next"))
    right = await answer_of(host)
    await verify("right take", lambda: aki.send("take", card=right))
    await verify("finish", lambda: host.send("next"))
    snap = await table.snapshot(host)
    assert [t["score"] for t in snap["team_ranking"]] == [1, 0]
    assert len(table.checked) == 12
