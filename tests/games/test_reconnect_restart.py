"""Stop the server in the middle of a game, start it again: the game goes on."""

import pytest

from tests.conftest import make_server
from tests.games.conftest import LiveClient, room_on_server, run_async


@pytest.fixture
def server_to_restart(tmp_path):
    server = make_server(tmp_path)
    yield server
    server.stop()


async def connect_all(url, code, host_token, tokens):
    host = await LiveClient(url, code).open()
    host_snap = await host.hello("host", host_token)
    players, snaps = [], []
    for token in tokens:
        player = await LiveClient(url, code).open()
        snaps.append(await player.hello("player", token))
        player.token = token
        player.seat = snaps[-1]["you"]["seat"]["id"]
        players.append(player)
    return host, host_snap, players, snaps


def test_the_game_survives_a_server_restart(server_to_restart):
    run_async(_the_game_survives_a_server_restart, server_to_restart)


async def _the_game_survives_a_server_restart(server_to_restart):
    server = server_to_restart
    code, token = room_on_server(server, fields=["sociology"])
    host = await LiveClient(server.url, code).open()
    await host.hello("host", token)
    aki = await LiveClient(server.url, code).open()
    await aki.join("Aki")
    ben = await LiveClient(server.url, code).open()
    await ben.join("Ben")
    await host.send("start")
    first = (await host.expect("reading"))["answer"]["id"]
    await aki.send("take", card=first)
    await ben.expect("taken")
    await host.send("next")
    second = await host.expect("reading")
    for client in (host, aki, ben):
        await client.close()

    server.stop()
    server.start()

    host, host_snap, (aki2, ben2), (aki_snap, ben_snap) = await connect_all(
        server.url, code, token, [aki.token, ben.token]
    )
    try:
        assert host_snap["room"]["state"] == "reading"
        assert host_snap["turn"]["index"] == 2
        assert host_snap["turn"]["answer"] == second["answer"]
        assert host_snap["turn"]["text"] == second["text"]
        assert aki_snap["you"]["seat"]["score"] == 1 and aki_snap["you"]["seat"]["cards"] == 1
        assert ben_snap["you"]["seat"]["score"] == 0
        assert [c["taken_by"] for c in aki_snap["board"] if c["id"] == first] == [aki.seat]
        await ben2.send("take", card=second["answer"]["id"])
        assert (await aki2.expect("taken"))["by"] == ben.seat
        await host.send("next")
        third = (await host.expect("reading"))["answer"]["id"]
        await ben2.send("take", card=third)
        await host.expect("taken")
        await host.send("next")
        finished = await aki2.expect("finished")
        assert [(r["nickname"], r["cards"], r["rank"]) for r in finished["ranking"]] == [
            ("Ben", 2, 1),
            ("Aki", 1, 2),
        ]
    finally:
        for client in (host, aki2, ben2):
            await client.close()
