"""Rooms under abuse, over the protocol: a kicked browser stays out whatever name it types, a
browser holds one seat per room, one address cannot fill a room, the host can lock the lobby
and hand out generated nicknames, and a flood from one address cannot starve another's sync.
(Sockets that never say hello, sockets per address, room creation: tests/scale/test_room_limits.py.)
"""

import re

import pytest
from django.test import override_settings

from games import limits
from games.models import Room, Seat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def browser_cookie(browser: str) -> str:
    """The Cookie header of a browser the play page has seen (games/limits.py)."""
    visitor = limits.Visitor("127.0.0.1", browser=browser)
    return f"{limits.COOKIE}={limits.signed_cookie(visitor)}"


async def error_of(client, kind: str) -> dict:
    message = await client.expect("error")
    assert message["about"] == kind, message
    return message


async def test_a_kicked_browser_cannot_rejoin_under_a_new_name(host_and, clients):
    code, host, _ = await host_and()
    aki = await clients(code, cookie=browser_cookie("browser-a"))
    await aki.join("Aki")
    await host.send("kick", seat=aki.seat)
    again = await clients(code, cookie=browser_cookie("browser-a"))
    await again.hello("screen")
    await again.send("join", nickname="Totally New", lang="en")
    refused = await error_of(again, "join")
    assert refused["code"] == "kicked"
    assert refused["message"].startswith("The host removed you from this room")
    # Another browser on the same network (a classmate) is not affected.
    ben = await clients(code, cookie=browser_cookie("browser-b"))
    await ben.join("Ben")


async def test_a_browser_holds_one_seat_per_room(host_and, clients):
    code, host, _ = await host_and()
    first = await clients(code, cookie=browser_cookie("browser-a"))
    await first.join("Aki")
    second = await clients(code, cookie=browser_cookie("browser-a"))
    await second.send("join", nickname="Aki again", lang="en")
    welcome = await second.expect("welcome")
    # The same seat back (another tab, or a cleared localStorage), not a second player.
    assert (welcome["seat"], welcome["token"]) == (first.seat, first.token)
    assert welcome["restored"] is True and welcome["nickname"] == "Aki"
    snapshot = await second.expect("snapshot")
    assert [p["nickname"] for p in snapshot["players"]] == ["Aki"]


@override_settings(SEATS_PER_ADDRESS=3)
async def test_one_address_cannot_fill_a_room(host_and, clients):
    code, host, _ = await host_and()
    for n in range(3):
        await (await clients(code, address="203.0.113.7")).join(f"Bot {n}")
    fourth = await clients(code, address="203.0.113.7")
    await fourth.send("join", nickname="Bot 3", lang="en")
    refused = await error_of(fourth, "join")
    assert refused["code"] == "too_many_seats"
    assert "network" in refused["message"]
    # A student on another network still gets in, and a freed seat can be taken again.
    await (await clients(code, address="198.51.100.20")).join("Student")
    assert await Seat.objects.filter(room__code=code).acount() == 4


async def test_the_host_locks_the_lobby(host_and, clients):
    code, host, (aki,) = await host_and("Aki")
    await host.send("lock", locked=True)
    locked = await aki.expect("room_locked")
    assert locked["locked"] is True
    late = await clients(code)
    snapshot = await late.hello("screen")
    assert snapshot["room"]["locked"] is True
    await late.send("join", nickname="Late", lang="en")
    refused = await error_of(late, "join")
    assert refused["code"] == "room_locked"
    assert refused["message"] == "The host has closed this room to new players."
    # A player the host removed may still come back to their own seat.
    await host.send("remove", seat=aki.seat)
    back = await clients(code)
    await back.send("join", nickname="", previous=aki.token, lang="en")
    assert (await back.expect("welcome"))["restored"] is True
    # Players cannot lock or unlock.
    await back.send("lock", locked=False)
    assert (await error_of(back, "lock"))["code"] == "not_host"
    await host.send("lock", locked=False)
    await host.expect_where("room_locked", locked=False)
    await late.join("Late")
    assert await Room.objects.filter(code=code, locked=False).aexists()


async def test_the_host_can_require_generated_nicknames(host_and, clients):
    code, host, _ = await host_and()
    await host.send("settings", settings={"generated_names": True})
    settings = await host.expect("settings")
    assert settings["settings"]["generated_names"] is True
    player = await clients(code)
    await player.hello("screen")
    await player.send("join", nickname="Rude Word", lang="en")
    welcome = await player.expect("welcome")
    assert welcome["nickname"] != "Rude Word"
    assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+ \d\d", welcome["nickname"]), welcome


@override_settings(ADDRESS_MESSAGE_RATE=5.0, ADDRESS_MESSAGE_BURST=80)
async def test_a_flood_from_one_address_leaves_another_address_served(host_and, clients):
    code, host, _ = await host_and()
    flooders = [await clients(code, address="203.0.113.9") for _ in range(6)]
    for flooder in flooders:
        await flooder.hello("screen")  # each hello costs the address as much as a sync
    # Each socket stays within its own budget; together they spend the address's.
    replies = []
    for _ in range(3):
        for flooder in flooders:
            await flooder.send("sync")
    for flooder in flooders:
        for _ in range(3):
            replies.append(await flooder.recv())
    kinds = [m.get("code", m["type"]) for m in replies]
    assert "rate_limited" in kinds and "snapshot" in kinds, kinds
    # A socket from another address is answered at once.
    calm = await clients(code, address="198.51.100.20")
    await calm.hello("screen")
    await calm.send("sync")
    assert (await calm.recv())["type"] == "snapshot"
