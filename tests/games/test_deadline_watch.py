"""Deadlines are acted on on time by the server itself, not when a tab happens to reconnect.

Found in a real run: after a restart a card's 10 s limit fired at 12.6 s, when a tab came back;
with no tab it would never have fired. Every process now watches the database for deadlines
from the moment it starts.
"""

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.utils import timezone

from games.models import Room
from games.realtime.timers import watch_deadlines
from tests.conftest import make_server
from tests.games.conftest import LiveClient, room_on_server, run_async


async def room_state(code: str) -> str:
    return await database_sync_to_async(lambda: Room.objects.get(code=code).state)()


@pytest.mark.django_db(transaction=True)
@override_settings(DEADLINE_WATCH_SECONDS=0.2)
async def test_the_watch_times_out_a_card_with_no_tab_connected(host_and):
    code, host, (aki,) = await host_and("Aki", fields=["sociology"])
    await host.send("start")
    await aki.expect("reading")
    await host.close()
    await aki.close()
    due = timezone.now() + timedelta(seconds=0.5)
    await database_sync_to_async(lambda: Room.objects.filter(code=code).update(deadline=due))()

    watch = asyncio.get_running_loop().create_task(watch_deadlines())
    try:
        while await room_state(code) == "reading":
            assert timezone.now() < due + timedelta(seconds=3), "the deadline was not acted on"
            await asyncio.sleep(0.05)
        assert timezone.now() >= due  # not early either
    finally:
        watch.cancel()
    assert await room_state(code) == "timeout"


def test_a_restarted_server_acts_on_a_deadline_before_any_tab_returns(tmp_path):
    server = make_server(tmp_path)
    try:
        run_async(_restarted_server_acts_on_a_deadline, server, tmp_path / "db.sqlite3")
    finally:
        server.stop()


async def _restarted_server_acts_on_a_deadline(server, database):
    code, token = room_on_server(server, fields=["sociology"])
    host = await LiveClient(server.url, code).open()
    await host.hello("host", token)
    aki = await LiveClient(server.url, code).open()
    await aki.join("Aki")
    await host.send("start")
    await aki.expect("reading")
    await host.close()
    await aki.close()
    server.stop()
    # While the server is down, the card gets a deadline 3 s from now (a time limit).
    due = time.time() + 3
    stored = datetime.fromtimestamp(due, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # Django's way
    with sqlite3.connect(database) as db:
        db.execute("UPDATE games_room SET deadline = ? WHERE code = ?", (stored, code))
    server.start()  # and no tab ever reconnects
    with sqlite3.connect(database) as db:
        while (state := db.execute(
            "SELECT state FROM games_room WHERE code = ?", (code,)
        ).fetchone()[0]) == "reading":  # fmt: skip
            assert time.time() < due + 5, "the restarted server did not act on the deadline"
            await asyncio.sleep(0.1)
        late = time.time() - due
    assert state == "timeout"
    assert -0.05 < late < 1.5, f"acted on {late:.2f} s after the deadline"
