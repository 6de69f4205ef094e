"""1,000 take races across two daphne processes on Redis and PostgreSQL: one winner each."""

import asyncio
import time

import pytest

from tests.games.conftest import LiveClient, run_async
from tests.scale.conftest import check_takes, create_rooms

pytestmark = pytest.mark.redis

ROUNDS = 1000
CARDS = 24  # the whole deck per room
PLAYERS = 6  # per room, alternating between the two processes
ROOMS = -(-ROUNDS // CARDS)
# Every player here connects from 127.0.0.1, standing for students on addresses of their own:
# the per-address message budget (games/limits.py) would otherwise refuse the rooms' takes.
CLUSTER_ENV = {"ADDRESS_MESSAGE_BURST": "1000000", "ADDRESS_MESSAGE_RATE": "1000000"}


def test_one_winner_per_round_across_two_processes(cluster):
    started = time.monotonic()
    rooms = create_rooms(cluster, ROOMS, lang="en")
    results = run_async(_race_all, cluster.urls, rooms)
    assert sum(r["rounds"] for r in results) >= ROUNDS
    counts = check_takes(cluster, [code for code, _ in rooms])
    assert counts == {"cards": ROOMS * CARDS, "taken": ROOMS * CARDS, "seats": ROOMS * PLAYERS}
    wins = {seat: n for r in results for seat, n in r["wins"].items()}
    stored = dict(
        cluster.query(
            "SELECT s.id, s.cards FROM games_seat s JOIN games_room r ON r.id = s.room_id "
            "WHERE r.code = ANY(%s)",
            ([code for code, _ in rooms],),
        )
    )
    assert {seat: n for seat, n in stored.items() if n} == wins
    print(f"{ROOMS * CARDS} rounds in {time.monotonic() - started:.1f} s")


async def _race_all(urls, rooms):
    return await asyncio.gather(*(_race_room(urls, code, token) for code, token in rooms))


async def _race_room(urls, code, token):
    host = await LiveClient(urls[0], code).open()
    await host.hello("host", token)
    players = []
    for i in range(PLAYERS):
        player = await LiveClient(urls[(i + 1) % 2], code).open()
        await player.join(f"P{i}")
        players.append(player)
    wins: dict[int, int] = {}
    rounds = 0
    try:
        await host.send("start")
        for _ in range(CARDS):
            answer = (await host.expect("reading", timeout=20))["answer"]["id"]
            await asyncio.gather(*(p.expect("reading", timeout=20) for p in players))
            await asyncio.gather(*(p.send("take", card=answer) for p in players))
            seen = await asyncio.gather(
                *(p.collect("outcome", "taken", timeout=20) for p in players)
            )
            outcomes = [got["outcome"] for got in seen]
            pairs = zip(players, outcomes, strict=True)
            winners = [p.seat for p, m in pairs if m["type"] != "error"]
            assert len(winners) == 1, outcomes
            errors = [m["code"] for m in outcomes if m["type"] == "error"]
            assert all(code == "card_taken" for code in errors), outcomes
            assert outcomes[[p.seat for p in players].index(winners[0])]["outcome"] == "won"
            # Players on both processes hear of the same single winner.
            assert {got["taken"]["by"] for got in seen} == {winners[0]}
            wins[winners[0]] = wins.get(winners[0], 0) + 1
            rounds += 1
            await host.send("next")
        finished = await players[0].expect("finished", timeout=20)
        assert {r["id"]: r["cards"] for r in finished["ranking"] if r["cards"]} == wins
        assert sum(r["score"] for r in finished["ranking"]) == CARDS
    finally:
        await asyncio.gather(*(c.close() for c in (host, *players)), return_exceptions=True)
    return {"rounds": rounds, "wins": wins}
