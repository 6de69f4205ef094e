"""A room's relay: subscribed before it is published, renewed inside the group expiry,
recovered when the channel layer was down at its start, released when its tabs are gone.

Found in real runs: a relay joined its group once (a room opened the day before went silent
once channels' ``group_expiry`` passed), a relay started while Redis was down was never marked
ready (every later hello on that process hung), and relays were never released.
"""

import asyncio
import shutil

import pytest
from channels.layers import get_channel_layer
from django.test import override_settings

from bench.servers import RedisProcess, free_port
from games.realtime.relay import relays
from tests.conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

EXPIRY = 1  # seconds: channels' group_expiry, shortened (a day in production)


def in_memory(**config):
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": config}}


def on_redis(url: str, **config):
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_timeout": 15}], **config},
        }
    }


async def past_the_expiry() -> None:
    # Waiting is the behaviour under test: the membership must outlive the expiry.
    # (channels compares whole seconds: past the expiry means more than one second past it)
    await asyncio.sleep(EXPIRY + 1.2)


async def hears_a_new_player_after_the_expiry(make_room, clients) -> None:
    code, token = await make_room()
    host = await clients(code)
    await host.hello("host", token)
    await past_the_expiry()
    aki = await clients(code)
    await aki.join("Aki")
    joined = await host.expect("player_joined", timeout=3)
    assert joined["player"]["nickname"] == "Aki"
    assert relays().relays[code].refreshes >= 2


async def test_a_room_still_hears_after_the_group_expiry_in_memory(make_room, clients):
    with override_settings(CHANNEL_LAYERS=in_memory(group_expiry=EXPIRY)):
        await hears_a_new_player_after_the_expiry(make_room, clients)


@pytest.mark.redis
async def test_a_room_still_hears_after_the_group_expiry_on_redis(make_room, clients, redis_url):
    with override_settings(CHANNEL_LAYERS=on_redis(redis_url, group_expiry=EXPIRY)):
        await hears_a_new_player_after_the_expiry(make_room, clients)
        await get_channel_layer().flush()


@pytest.mark.redis
async def test_a_room_first_opened_while_redis_is_down_works_once_redis_is_back(
    make_room, clients, tmp_path
):
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    port = free_port()
    redis = RedisProcess(binary, port, tmp_path)
    with override_settings(CHANNEL_LAYERS=on_redis(f"redis://127.0.0.1:{port}/0")):
        code, token = await make_room()
        early = await clients(code)
        await early.send("hello", role="host", token=token)
        refused = await early.expect("error")
        assert refused["code"] == "unavailable" and refused["message"]
        closed = await early.comm.receive_output(timeout=3)
        assert (closed["type"], closed["code"]) == ("websocket.close", 1013)
        assert code not in relays().relays  # nothing half-started was left behind
        redis.start()
        try:
            host = await clients(code)
            await host.hello("host", token)
            aki = await clients(code)
            await aki.join("Aki")
            assert (await host.expect("player_joined"))["player"]["nickname"] == "Aki"
        finally:
            await get_channel_layer().flush()
            redis.stop()


@override_settings(RELAY_GRACE_SECONDS=0.2)
async def test_a_relay_is_released_after_its_last_tab_left(make_room, clients):
    code, token = await make_room()
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    relay = relays().relays[code]
    layer = get_channel_layer()
    assert list(layer.groups) == [f"room-{code}"]
    await aki.close()
    assert not relay.released.is_set()  # one tab is still there
    await host.close()
    await asyncio.wait_for(relay.released.wait(), timeout=3)
    assert code not in relays().relays
    assert layer.groups == {}
    assert layer.channels == {}  # its receive ended: no queue left behind


@override_settings(RELAY_GRACE_SECONDS=5)
async def test_a_tab_back_within_the_grace_period_keeps_the_relay(make_room, clients):
    code, token = await make_room()
    host = await clients(code)
    await host.hello("host", token)
    relay = relays().relays[code]
    await host.close()
    back = await clients(code)  # a reload
    await back.hello("host", token)
    assert relays().relays[code] is relay and not relay.released.is_set()
    aki = await clients(code)
    await aki.join("Aki")
    assert (await back.expect("player_joined"))["player"]["nickname"] == "Aki"


@override_settings(RELAY_GRACE_SECONDS=60)
async def test_a_finished_rooms_relay_is_released_when_its_last_tab_leaves(host_and):
    code, host, (aki,) = await host_and("Aki", fields=["psychology"])
    await host.send("start")
    for _ in range(2):
        answer = (await host.expect("reading"))["answer"]["id"]
        await aki.send("take", card=answer)
        await host.expect("taken")
        await host.send("next")
    await aki.expect("finished")
    relay = relays().relays[code]
    await aki.close()
    await host.close()
    await asyncio.wait_for(relay.released.wait(), timeout=3)  # not the 60 s grace
    assert f"room-{code}" not in get_channel_layer().groups


async def test_tabs_entering_at_once_share_one_relay(make_room, clients):
    code, token = await make_room()
    tabs = await asyncio.gather(*(clients(code) for _ in range(5)))
    await asyncio.gather(*(tab.hello("screen") for tab in tabs))
    assert len(get_channel_layer().groups[f"room-{code}"]) == 1
    assert len(relays().relays[code].members) == 5
