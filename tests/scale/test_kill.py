"""A server process killed (SIGKILL) mid-game: its players reconnect to the other process and
the game finishes with every card taken exactly once."""

import asyncio
import signal

import pytest
from websockets.exceptions import ConnectionClosed

from tests.games.conftest import LiveClient, run_async
from tests.scale.conftest import check_takes, create_rooms

pytestmark = pytest.mark.redis

PLAYERS = 6  # even ones on the survivor (servers[0]), odd ones on the victim (servers[1])


def test_players_move_to_the_survivor_and_nothing_is_lost(cluster):
    ((code, token),) = create_rooms(cluster, 1, lang="en", fields=["economics", "psychology"])
    acknowledged = run_async(_play_through_a_kill, cluster, code, token)
    counts = check_takes(cluster, [code])
    assert counts["taken"] == counts["cards"]
    stored = dict(
        cluster.query(
            "SELECT s.id, s.cards FROM games_seat s JOIN games_room r ON r.id = s.room_id "
            "WHERE r.code = %s",
            (code,),
        )
    )
    # Every take a client was told it won is stored, and no seat holds more than it won
    # (the one take whose answer died with the victim may be stored without a witness).
    for seat, won in acknowledged.items():
        assert stored[seat] >= won
    assert sum(stored.values()) - sum(acknowledged.values()) <= 1


async def _round(host, players, taker_index=None):
    """One card: everyone races (or ``taker_index`` takes alone); returns the winning seat."""
    answer = (await host.expect("reading", timeout=20))["answer"]["id"]
    takers = players if taker_index is None else [players[taker_index]]
    await asyncio.gather(*(p.send("take", card=answer) for p in takers))
    seen = await asyncio.gather(*(p.expect("taken", timeout=20) for p in players))
    assert len({m["by"] for m in seen}) == 1
    return seen[0]["by"]


async def _play_through_a_kill(cluster, code, token):
    survivor, victim = cluster.servers
    host = await LiveClient(survivor.url, code).open()
    await host.hello("host", token)
    players = []
    for i in range(PLAYERS):
        player = await LiveClient(cluster.urls[i % 2], code).open()
        await player.join(f"K{i}")
        players.append(player)
    acknowledged: dict[int, int] = {}

    def won(seat):
        acknowledged[seat] = acknowledged.get(seat, 0) + 1

    try:
        await host.send("start")
        for _ in range(3):
            won(await _round(host, players))
            await host.send("next")

        # Mid-card: a victim's player sends a take and the victim dies at once; the survivor's
        # players keep racing for the same card.
        answer = (await host.expect("reading", timeout=20))["answer"]["id"]
        await players[1].send("take", card=answer)
        victim.stop(signal.SIGKILL)
        survivors = players[0::2]
        await asyncio.gather(*(p.send("take", card=answer) for p in survivors))
        outcomes = await asyncio.gather(*(p.collect("outcome", timeout=20) for p in survivors))
        told = [p.seat for p, o in zip(survivors, outcomes, strict=True) if o["outcome"]["type"]
                == "take_result"]  # fmt: skip
        assert len(told) <= 1, outcomes
        # The database decides who holds the card (the broadcast may have died with the victim).
        await host.send("sync")
        board = {c["id"]: c["taken_by"] for c in (await host.expect("snapshot"))["board"]}
        holder = board[answer]
        if told:  # a survivor won, and was told so
            assert holder == told[0]
            won(holder)
        else:  # the victim's player won just before the victim died
            assert holder == players[1].seat
        taken = {"by": holder}

        # The victim's players find their socket dead and come back on the survivor.
        moved = []
        for index, player in enumerate(players):
            if index % 2 == 0:
                continue
            # Closed, not merely quiet: a timeout here would mean the socket outlived its server.
            with pytest.raises(ConnectionClosed):
                while True:
                    await player.recv(timeout=10)
            again = await LiveClient(survivor.url, code).open()
            snapshot = await again.hello("player", player.token)
            again.token, again.seat = player.token, player.seat
            assert snapshot["you"]["seat"]["id"] == player.seat
            assert [c["taken_by"] for c in snapshot["board"] if c["id"] == answer] == [taken["by"]]
            players[index] = again
            moved.append(again)
        assert len(moved) == PLAYERS // 2

        await host.send("next")
        for seat in await _play_rest(host, players):
            won(seat)
        finished = await players[1].expect("finished", timeout=20)
        ranking = {r["id"]: r["cards"] for r in finished["ranking"]}
        assert sum(ranking.values()) == len(snapshot["board"])
    finally:
        await asyncio.gather(*(c.close() for c in (host, *players)), return_exceptions=True)
    return acknowledged


async def _play_rest(host, players):
    winners = []
    while True:
        message = await host.recv(timeout=20)
        if message["type"] == "finished":
            return winners
        if message["type"] != "reading":
            continue
        answer = message["answer"]["id"]
        await asyncio.gather(*(p.send("take", card=answer) for p in players))
        seen = await asyncio.gather(*(_taken(p, answer) for p in players))
        assert len({m["by"] for m in seen}) == 1
        winners.append(seen[0]["by"])
        await host.send("next")


async def _taken(client, card):
    """The ``taken`` broadcast of this card (an older one may still be queued)."""
    while True:
        message = await client.expect("taken", timeout=20)
        if message["card"] == card:
            return message
