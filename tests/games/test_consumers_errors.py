"""Messages that break the rules get an error naming the problem, and change nothing."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from tests.games.conftest import Client

pytestmark = pytest.mark.django_db(transaction=True)


def stable(snapshot: dict) -> dict:
    """A snapshot without its clock readings, to compare states."""
    data = json.loads(json.dumps(snapshot))
    if data.get("turn"):
        data["turn"].pop("elapsed_ms", None)
        data["turn"].pop("remaining_ms", None)
    data["room"].pop("next_in_ms", None)
    return data


async def state_of(client: Client) -> dict:
    await client.send("sync")
    return stable(await client.expect("snapshot"))


@pytest.fixture
async def game(make_room, clients):
    """A game in its first reading: host, Aki and Ben; returns (host, aki, ben, answer id)."""
    code, token = await make_room(fields=["sociology"])
    host = await clients(code)
    await host.hello("host", token)
    aki = await clients(code)
    await aki.join("Aki")
    ben = await clients(code)
    await ben.join("Ben")
    return host, aki, ben


async def refused(client: Client, expected: str, observer: Client, send) -> dict:
    before = await state_of(observer)
    await send()
    error = await client.expect("error")
    assert error["code"] == expected, error
    assert error["detail"]
    assert await state_of(observer) == before
    return error


async def test_garbage_is_refused_with_a_reason(game):
    host, aki, _ = game
    await refused(aki, "bad_json", host, lambda: aki.send_raw("{not json"))
    await refused(aki, "bad_message", host, lambda: aki.send_raw("[1, 2]"))
    await refused(aki, "bad_message", host, lambda: aki.send_raw('{"type": 3}'))
    await refused(aki, "unknown_type", host, lambda: aki.send("teleport"))
    await refused(aki, "too_large", host, lambda: aki.send("take", card=1, pad="x" * 5000))
    await refused(aki, "bad_message", host, lambda: aki.comm.send_to(bytes_data=b"\x00\x01"))


async def test_wrong_types_are_refused(game):
    host, aki, _ = game
    await host.send("start")
    await aki.expect("reading")
    await refused(aki, "bad_message", host, lambda: aki.send("take", card="7"))
    await refused(aki, "bad_message", host, lambda: aki.send("take", card=True))
    await refused(aki, "bad_message", host, lambda: aki.send("take"))
    await refused(host, "bad_message", host, lambda: host.send("kick", seat="Aki"))
    await refused(host, "bad_message", host, lambda: host.send("reader"))


async def test_a_player_acts_only_for_their_own_seat(game):
    host, aki, ben = game
    await host.send("start")
    started = await aki.expect("started")
    await aki.expect("reading")
    card = started["board"][0]["id"]
    error = await refused(
        aki, "not_your_seat", host, lambda: aki.send("take", card=card, seat=ben.seat)
    )
    assert error["about"] == "take"


async def test_a_taken_card_cannot_be_taken_again(game):
    host, aki, ben = game
    await host.send("start")
    answer = (await host.expect("reading"))["answer"]["id"]
    await aki.send("take", card=answer)
    await ben.expect("taken")
    await refused(ben, "card_taken", host, lambda: ben.send("take", card=answer))
    await refused(aki, "out_of_turn", host, lambda: aki.send("take", card=answer + 1))


async def test_only_the_host_controls_the_room(game):
    host, aki, ben = game
    await refused(aki, "not_host", host, lambda: aki.send("start"))
    await refused(aki, "not_host", host, lambda: aki.send("settings", settings={"lang": "en"}))
    await refused(aki, "not_host", host, lambda: aki.send("kick", seat=ben.seat))
    await refused(aki, "not_host", host, lambda: aki.send("reader", seat=aki.seat))
    await host.send("start")
    await aki.expect("reading")
    await refused(aki, "not_reader", host, lambda: aki.send("next"))
    await refused(aki, "not_host", host, lambda: aki.send("skip"))


async def test_out_of_turn_and_unknown_things(game):
    host, aki, ben = game
    await refused(aki, "out_of_turn", host, lambda: aki.send("take", card=1))
    await refused(host, "out_of_turn", host, lambda: host.send("next"))
    await refused(host, "unknown_seat", host, lambda: host.send("kick", seat=999_999))
    await refused(
        host, "bad_settings", host, lambda: host.send("settings", settings={"wrong_take": "shout"})
    )
    await refused(
        host, "bad_settings", host, lambda: host.send("settings", settings={"fields": []})
    )
    await host.send("start")
    await aki.expect("reading")
    await refused(host, "out_of_turn", host, lambda: host.send("start"))
    await refused(host, "out_of_turn", host, lambda: host.send("settings", settings={"lang": "en"}))
    await refused(aki, "unknown_card", host, lambda: aki.send("take", card=999_999))


async def test_hello_must_come_first_and_be_right(make_room, clients):
    code, token = await make_room()
    stranger = await clients(code)
    await stranger.send("take", card=1)
    assert (await stranger.expect("error"))["code"] == "not_joined"
    await stranger.send("hello", role="host", token="guess")
    assert (await stranger.expect("error"))["code"] == "bad_token"
    await stranger.send("hello", role="player", token="guess")
    assert (await stranger.expect("error"))["code"] == "bad_token"
    await stranger.send("hello", role="admin")
    assert (await stranger.expect("error"))["code"] == "bad_message"
    await stranger.send("join", nickname="x" * 21)
    assert (await stranger.expect("error"))["code"] == "bad_nickname"
    nobody = await clients("ZZZZZ")
    await nobody.send("hello", role="screen")
    assert (await nobody.expect("error"))["code"] == "room_not_found"


async def test_nicknames_are_unique_in_a_room_and_can_be_random(make_room, clients):
    code, _ = await make_room()
    aki = await clients(code)
    await aki.join("Aki")
    again = await clients(code)
    await again.send("join", nickname="aki")
    assert (await again.expect("error"))["code"] == "nickname_taken"
    await again.send("join", nickname="")
    welcome = await again.expect("welcome")
    assert 3 <= len(welcome["nickname"]) <= 20


async def test_a_foreign_origin_cannot_connect(make_room):
    from karuta.asgi import application

    code, _ = await make_room()
    comm = WebsocketCommunicator(
        application, f"/ws/rooms/{code}/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await comm.connect()
    assert not connected
