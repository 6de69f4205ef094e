"""In-process: a channel layer that fails never fails a committed move, and a relay whose
layer failed comes back and resyncs its tabs."""

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from games.models import BoardCard


@pytest.mark.django_db(transaction=True)
async def test_a_take_stands_when_the_broadcast_cannot_be_sent(make_room, clients, monkeypatch):
    code, token = await make_room(fields=["economics"])
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    await host.send("start")
    answer = (await host.expect("reading"))["answer"]["id"]

    async def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(get_channel_layer(), "group_send", down)
    await aki.send("take", card=answer)
    result = await aki.expect("take_result")
    assert result["outcome"] == "won"
    card = await database_sync_to_async(BoardCard.objects.get)(pk=answer)
    assert card.taken_by_id == aki.seat


@pytest.mark.django_db(transaction=True)
async def test_a_relay_whose_layer_failed_resubscribes_and_resyncs(make_room, clients, monkeypatch):
    code, token = await make_room(fields=["economics"])
    layer = get_channel_layer()
    receive = layer.receive
    failures = iter([ConnectionError("Redis restarting")])

    async def flaky(channel):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return await receive(channel)

    monkeypatch.setattr(layer, "receive", flaky)
    host = await clients(code)
    await host.hello("host", token)
    # The relay's first receive failed: after its back-off it sends a fresh snapshot...
    assert (await host.expect("snapshot", timeout=3))["room"]["code"] == code
    # ...and broadcasts reach the tab again.
    aki = await clients(code)
    await aki.join("Aki")
    assert (await host.expect("player_joined"))["player"]["nickname"] == "Aki"
