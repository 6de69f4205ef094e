"""The take race across two daphne processes sharing one Redis and one SQLite file."""

import asyncio

import pytest

from tests.conftest import free_port, make_server, start_daphne
from tests.games.conftest import LiveClient, room_on_server, run_async

pytestmark = pytest.mark.redis

PLAYERS = 16


@pytest.fixture
def two_servers(tmp_path, redis_url):
    server = make_server(tmp_path, {"REDIS_URL": redis_url})
    second = start_daphne(server.env, free_port())
    second_url = f"http://127.0.0.1:{second.args[second.args.index('-p') + 1]}"
    yield server, second_url
    second.terminate()
    second.wait(timeout=10)
    server.stop()


def test_one_winner_per_card_across_two_processes(two_servers):
    run_async(_one_winner_per_card_across_two_processes, two_servers)


async def _one_winner_per_card_across_two_processes(two_servers):
    server, second_url = two_servers
    code, token = room_on_server(server, fields=["economics"])  # seven cards
    urls = [server.url, second_url]
    host = await LiveClient(server.url, code).open()
    await host.hello("host", token)
    players = []
    for i in range(PLAYERS):
        player = await LiveClient(urls[i % 2], code).open()
        await player.join(f"P{i:02d}")
        players.append(player)
    try:
        await host.send("start")
        wins: dict[int, int] = {}
        for _ in range(7):
            answer = (await host.expect("reading"))["answer"]["id"]
            for p in players:
                reading = await p.expect("reading")
                assert "answer" not in reading
            await asyncio.gather(*(p.send("take", card=answer) for p in players))
            seen = [await p.collect("outcome", "taken") for p in players]
            outcomes = [(p.seat, got["outcome"]) for p, got in zip(players, seen, strict=True)]
            won = [seat for seat, m in outcomes if m["type"] == "take_result"]
            assert len(won) == 1, outcomes
            assert all(m["code"] == "card_taken" for _, m in outcomes if m["type"] == "error")
            wins[won[0]] = wins.get(won[0], 0) + 1
            # Players on both processes hear of the same winner.
            assert {got["taken"]["by"] for got in seen} == {won[0]}
            await host.send("next")
        finished = await players[1].expect("finished")
        assert {r["id"]: r["cards"] for r in finished["ranking"] if r["cards"]} == wins
    finally:
        for client in (host, *players):
            await client.close()


def test_an_idle_socket_survives_on_redis(tmp_path, redis_url):
    """redis-py 8 reads with a 5 s timeout and channels_redis blocks 5 s: without the longer
    socket_timeout in karuta/settings.py the relay's receive failed after about five seconds of
    quiet (the socket died, or since the relay recovers, its tabs got a resync snapshot)."""
    run_async(_an_idle_socket_survives_on_redis, tmp_path, redis_url)


async def _an_idle_socket_survives_on_redis(tmp_path, redis_url):
    server = make_server(tmp_path, {"REDIS_URL": redis_url})
    code, _ = room_on_server(server)
    screen = LiveClient(server.url, code)
    newcomer = LiveClient(server.url, code)
    try:
        await screen.open()
        await screen.hello("screen")
        # The idleness is what is tested: longer than channels_redis's 5 s blocking receive.
        await asyncio.sleep(6)
        # The idle socket still hears its room, and heard nothing else meanwhile (no error, no
        # resync snapshot after a failed receive): the next message is the newcomer's arrival.
        await newcomer.open()
        await newcomer.join("Late")
        joined = await screen.recv(timeout=5)
        assert joined["type"] == "player_joined", joined
        assert joined["player"]["nickname"] == "Late"
        assert joined["player"]["id"] == newcomer.seat
        # And it is still answered.
        await screen.send("ping")
        assert (await screen.recv(timeout=5))["type"] == "pong"
    finally:
        await asyncio.gather(screen.close(), newcomer.close(), return_exceptions=True)
        server.stop()
