"""A game keeps playing on the same SQLite file while 100,000 rows are imported.

Before: the import stored every row in one transaction; during a 1-million-row import a
player's take waited 22 s and failed with "database is locked". Now rows are stored 1,000 per
transaction (surveys/services.py responses_import), so a take waits at most for one batch.

A real daphne server on a SQLite file, the real management command in another process on the
same file, and players taking cards over the websocket while it runs."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

from bench.game import create_rooms
from bench.surveys import write_q1
from tests.conftest import ROOT, make_server, sqlite_path
from tests.games.conftest import LiveClient, run_async

ROWS = 100_000
BOUND = 2.0  # seconds: a take (or the host's next) must be answered within this, every time


def stored(database) -> int:
    with closing(sqlite3.connect(database, timeout=30)) as db:
        return db.execute("SELECT count(*) FROM surveys_response").fetchone()[0]


async def play_while(server, rooms, importer, database) -> list[dict]:
    """Take cards, one room after another, until the import is over; each step timed."""
    steps: list[dict] = []
    for code, token in rooms:
        host = await LiveClient(server.url, code).open()
        player = await LiveClient(server.url, code).open()
        try:
            await host.hello("host", token)
            await player.join("Aki")
            await host.send("start")
            while importer.poll() is None:
                reading = await host.expect("reading", timeout=30)
                before = stored(database)
                started = time.monotonic()
                await player.send("take", card=reading["answer"]["id"])
                outcome = (await player.collect("outcome", timeout=30))["outcome"]
                took = time.monotonic() - started
                after = stored(database)
                steps.append({"step": "take", "seconds": took, "outcome": outcome,
                              "stored_before": before, "stored_after": after})  # fmt: skip
                await host.expect("taken", timeout=30)
                if reading["index"] + 1 >= reading["total"]:
                    break  # the room's last card: on to the next room
                started = time.monotonic()
                await host.send("next")
                steps.append({"step": "next", "seconds": time.monotonic() - started, "outcome": {}})
                # The next step's "reading" is awaited (and timed) just above.
        finally:
            await asyncio.gather(host.close(), player.close(), return_exceptions=True)
        if importer.poll() is not None:
            break
    return steps


def test_a_game_keeps_playing_during_a_100000_row_import(tmp_path):
    server = make_server(tmp_path)
    try:
        database = sqlite_path(server.env["DATABASE_URL"])
        rooms = create_rooms(server.env, 40, {"lang": "en"})
        sheet = tmp_path / "q1.csv"
        write_q1(sheet, ROWS, "Big import", random.Random(3))
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "survey_import", str(sheet), "--questionnaire", "1",
             "--group", "Big import"],
            cwd=ROOT, env=server.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            steps = run_async(play_while, server, rooms, importer, database)
            out, err = importer.communicate(timeout=600)
        finally:
            if importer.poll() is None:
                importer.kill()
                importer.wait()
        assert importer.returncode == 0, err
        assert f"Imported {ROWS:,}".replace(",", "") in out.replace(",", ""), out
        assert stored(database) == ROWS
        takes = [s for s in steps if s["step"] == "take"]
        failed = [s for s in takes if s["outcome"].get("type") != "take_result"]
        assert not failed, failed[:3]
        slow = [s for s in steps if s["seconds"] >= BOUND]
        assert not slow, (len(slow), max(s["seconds"] for s in steps), slow[:3])
        # Takes made while the rows were being stored (the first pass only reads the file).
        while_storing = [s for s in takes if 0 < s["stored_after"] and s["stored_before"] < ROWS]
        assert len(while_storing) >= 10, (len(takes), len(while_storing))
        worst = max(s["seconds"] for s in while_storing)
        print(f"{len(takes)} takes during the import, {len(while_storing)} while storing; "
              f"slowest step {max(s['seconds'] for s in steps):.3f} s, "
              f"slowest take while storing {worst:.3f} s")  # fmt: skip
    finally:
        server.stop()
