"""Coming back: the same seat and score after a reload; kick and remove differ."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_reload_brings_back_the_same_seat_and_score(make_room, clients):
    code, token = await make_room(fields=["sociology"])
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    await host.send("start")
    answer = (await host.expect("reading"))["answer"]["id"]
    await aki.send("take", card=answer)
    await aki.expect("taken")
    await host.send("next")
    turn = (await host.expect("reading"))["index"]
    await aki.close()  # the phone locks, the tab reloads…

    back = await clients(code)
    snap = await back.hello("player", aki.token)
    assert snap["you"]["seat"] == {
        "id": aki.seat,
        "nickname": "Aki",
        "score": 1,
        "cards": 1,
        "wrong": 0,
        "team": None,
    }
    assert snap["room"]["state"] == "reading"
    assert snap["turn"]["index"] == turn and "answer" not in snap["turn"]
    assert [c["taken_by"] for c in snap["board"] if c["id"] == answer] == [aki.seat]
    # …and play goes on from the same seat.
    await host.send("sync")
    answer = (await host.expect("snapshot"))["turn"]["answer"]["id"]
    await back.send("take", card=answer)
    assert (await back.expect("taken"))["scores"][0] == {"id": aki.seat, "score": 2, "cards": 2}


async def test_a_kicked_player_cannot_come_back_for_a_while(make_room, clients):
    code, token = await make_room()
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    await host.send("kick", seat=aki.seat)
    left = await aki.expect("player_left")
    assert (left["seat"], left["reason"]) == (aki.seat, "kicked")
    assert (await aki.comm.receive_output())["type"] == "websocket.close"
    again = await clients(code)
    await again.send("hello", role="player", token=aki.token)
    assert (await again.expect("error"))["code"] == "kicked"
    await again.send("join", nickname="AKI")
    assert (await again.expect("error"))["code"] == "kicked"
    await again.send("join", nickname="Someone else", previous=aki.token)
    assert (await again.expect("error"))["code"] == "kicked"
    # Ten minutes later the ban is over.
    from games.models import Seat

    await database_sync_to_async(
        lambda: Seat.objects.filter(pk=aki.seat).update(kicked_until=timezone.now())
    )()
    await again.join("Aki")
    assert again.seat != aki.seat


async def test_a_removed_player_may_join_again(make_room, clients):
    code, token = await make_room()
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    await host.send("remove", seat=aki.seat)
    assert (await host.expect("player_left"))["reason"] == "removed"
    again = await clients(code)
    await again.send("hello", role="player", token=aki.token)
    assert (await again.expect("error"))["code"] == "bad_token"
    snap = await again.join("Aki")
    assert [p["nickname"] for p in snap["players"]] == ["Aki"]


async def test_a_deadline_missed_while_nobody_listened_is_acted_on_at_reconnect(make_room, clients):
    """What a restart looks like to the timers: the deadline is in the database only."""
    from games.models import Room

    code, token = await make_room(fields=["sociology"], time_limit=60)
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    await host.send("start")
    reading = await aki.expect("reading")
    assert 59_000 < reading["remaining_ms"] <= 60_000
    await host.close()
    await aki.close()
    await database_sync_to_async(
        lambda: Room.objects.filter(code=code).update(deadline=timezone.now() - timedelta(1))
    )()
    back = await clients(code)
    snap = await back.hello("player", aki.token)
    assert snap["room"]["state"] == "timeout"
    assert snap["result"]["by"] is None and snap["result"]["back"]["concept"]
