"""Redis stopped mid-game and started again: /healthz reports it, takes made meanwhile stand,
every tab resyncs, and the broadcasts flow again."""

import asyncio
import time

import pytest

from tests.games.conftest import LiveClient, run_async
from tests.scale.conftest import check_takes, create_rooms, health, start_cluster

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_cluster(tmp_path, module_database, own_redis):
    running = start_cluster(tmp_path, module_database, own_redis.url)
    yield running
    running.stop()


def wait_health(url: str, status: int, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        code, body = health(url)
        if code == status or time.monotonic() > deadline:
            assert code == status, body
            return body
        time.sleep(0.2)


def test_the_game_survives_a_redis_restart(redis_cluster, own_redis):
    cluster = redis_cluster
    ((code, token),) = create_rooms(cluster, 1, lang="en", fields=["economics"])
    run_async(_survive_a_restart, cluster, own_redis, code, token)
    counts = check_takes(cluster, [code])
    assert counts["taken"] == counts["cards"] == 7


async def _survive_a_restart(cluster, redis, code, token):
    host = await LiveClient(cluster.urls[0], code).open()
    await host.hello("host", token)
    aki = await LiveClient(cluster.urls[0], code).open()
    await aki.join("Aki")
    ben = await LiveClient(cluster.urls[1], code).open()
    await ben.join("Ben")
    everyone = (host, aki, ben)
    try:
        await host.send("start")
        first = (await host.expect("reading"))["answer"]["id"]
        await aki.send("take", card=first)
        for client in everyone:
            assert (await client.expect("taken"))["by"] == aki.seat
        await host.send("next")
        second = (await host.expect("reading"))["answer"]["id"]
        for client in (aki, ben):
            await client.expect("reading")

        redis.stop()
        for url in cluster.urls:
            body = await asyncio.to_thread(wait_health, url, 503)
            assert body["channel_layer"].startswith("error"), body
            assert body["database"] == "ok"
        # A take during the outage is committed and answered; only its broadcast is lost.
        await ben.send("take", card=second)
        result = await ben.expect("take_result")
        assert result["outcome"] == "won"

        redis.start()  # the same port, an empty Redis: no groups, no queues
        for url in cluster.urls:
            await asyncio.to_thread(wait_health, url, 200)
        # Each process's relay resubscribes and sends its tabs a fresh snapshot.
        for client in everyone:
            snapshot = await client.expect("snapshot", timeout=20)
            board = {c["id"]: c["taken_by"] for c in snapshot["board"]}
            assert board[first] == aki.seat and board[second] == ben.seat
            assert snapshot["room"]["state"] == "taken"

        # Broadcasts cross the processes again.
        await host.send("next")
        for _ in range(5):
            answer = (await host.expect("reading", timeout=10))["answer"]["id"]
            await ben.expect("reading", timeout=10)
            await aki.send("take", card=answer)
            for client in everyone:
                assert (await client.expect("taken", timeout=10))["by"] == aki.seat
            await host.send("next")
        finished = await ben.expect("finished", timeout=10)
        assert {r["nickname"]: r["cards"] for r in finished["ranking"]} == {"Aki": 6, "Ben": 1}
    finally:
        await asyncio.gather(*(c.close() for c in everyone), return_exceptions=True)
