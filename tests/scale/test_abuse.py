"""Flooding: a tab sending hundreds of messages a second is rate-limited without slowing its
room. (Guessing room codes: tests/games/test_join_limits.py.)"""

import asyncio
import json
import time

import pytest

from games import limits
from tests.conftest import make_server
from tests.games.conftest import LiveClient, room_on_server, run_async

FLOOD = 400


def test_it_buckets_messages():
    now = [0.0]
    bucket = limits.TokenBucket(rate=20, burst=40, clock=lambda: now[0])
    assert sum(bucket.allow() for _ in range(100)) == 40
    now[0] += 0.5
    assert sum(bucket.allow() for _ in range(100)) == 10


@pytest.fixture
def live(tmp_path):
    server = make_server(tmp_path, {"LOG_LEVEL": "WARNING"})
    yield server
    server.stop()


def test_a_flooding_tab_is_limited_and_the_room_still_answers_fast(live):
    code, token = room_on_server(live, fields=["economics"], lang="en")
    run_async(_flood, live.url, code, token)


async def _flood(url, code, token):
    host = await LiveClient(url, code).open()
    await host.hello("host", token)
    flooder = await LiveClient(url, code).open()
    await flooder.join("Flood")
    other = await LiveClient(url, code).open()
    await other.join("Calm")
    try:
        await host.send("start")
        reading = await host.expect("reading")
        answer = reading["answer"]["id"]
        snapshot = await _sync(flooder)
        wrong = next(c["id"] for c in snapshot["board"] if c["id"] != answer)
        text = json.dumps({"type": "take", "card": wrong})

        async def flood():
            for _ in range(FLOOD):
                await flooder.ws.send(text)

        flooding = asyncio.create_task(flood())
        # The flood is under way once the server has spent the flooder's burst and refuses.
        replies = await _replies(flooder, until=lambda got: got[-1].get("code") == "rate_limited")
        sent = time.perf_counter()
        await other.send("take", card=answer)
        outcome = (await other.collect("outcome"))["outcome"]
        latency = time.perf_counter() - sent
        await flooding
        assert outcome["type"] == "take_result" and outcome["outcome"] == "won", outcome
        assert latency < 0.5, f"the other player's take took {latency * 1000:.0f} ms"
        print(f"the other player's take during the flood: {latency * 1000:.0f} ms")

        remaining = FLOOD - len(replies)
        replies += await _replies(flooder, until=lambda got: len(got) == remaining)
        codes = [m.get("code", m["type"]) for m in replies]
        assert codes.count("rate_limited") >= FLOOD - limits.MESSAGE_BURST - 40, codes
        assert set(codes) <= {"rate_limited", "take_result", "locked_out", "out_of_turn"}
        assert codes.count("take_result") == 1  # one wrong take; the rest changed nothing
        final = await _sync(other)
        scores = {p["nickname"]: (p["score"], p["wrong"]) for p in final["players"]}
        assert scores == {"Flood": (-1, 1), "Calm": (1, 0)}
    finally:
        await asyncio.gather(*(c.close() for c in (host, flooder, other)), return_exceptions=True)


async def _replies(client, until) -> list[dict]:
    """The client's next replies (errors and take results), read until ``until(replies)``
    holds; broadcasts in between are skipped."""
    replies: list[dict] = []
    while not replies or not until(replies):
        message = await client.recv(timeout=10)
        if message["type"] in ("error", "take_result"):
            replies.append(message)
    return replies


async def _sync(client):
    """A fresh snapshot (each socket has its own budget: neither client here has spent its
    own when it asks)."""
    await client.send("sync")
    return await client.expect("snapshot")


# Guessing room codes: tests/games/test_join_limits.py (back-off per browser and per address,
# and what is never refused).
