"""Every frame the protocol promises an answer for gets it, and settings keep their JSON types.

Found in real runs: deeply nested JSON closed the socket (RecursionError, close 1011), NaN and
Infinity were accepted as JSON, and ``time_limit: false`` or ``10.0`` were stored and broadcast.
"""

import pytest

from tests.games.test_consumers_errors import game, refused, state_of  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


async def test_deep_nesting_under_the_size_limit_gets_an_error_and_the_socket_lives(game):  # noqa: F811
    host, aki, _ = game
    deep = '{"type": "ping", "x": ' + "[" * 2000 + "]" * 2000 + "}"
    assert len(deep) < 4096
    error = await refused(aki, "bad_json", host, lambda: aki.send_raw(deep))
    assert error["about"] is None
    await aki.send("ping")
    await aki.expect("pong")  # still open and answering


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
async def test_json_constants_are_not_json(game, constant):  # noqa: F811
    host, aki, _ = game
    frame = f'{{"type": "take", "card": {constant}}}'
    await refused(aki, "bad_json", host, lambda: aki.send_raw(frame))


@pytest.mark.parametrize(
    "change",
    [
        {"time_limit": False},
        {"time_limit": True},
        {"time_limit": 10.0},
        {"time_limit": "10"},
        {"pause": 5.0},
        {"reveal_delay": True},
        {"voice": 1},
        {"set_bonus": "yes"},
        {"fields": [["economics"]]},
        {"lang": ["ja"]},
    ],
)
async def test_settings_keep_their_documented_types(game, change):  # noqa: F811
    host, aki, ben = game
    # ``refused`` also checks the room did not change (same snapshot, same version) ...
    await refused(host, "bad_settings", ben, lambda: host.send("settings", settings=change))
    # ... and nothing was broadcast: the next event Ben hears is the one that follows.
    await host.send("settings", settings={"time_limit": 20})
    assert (await ben.expect("settings"))["settings"]["time_limit"] == 20
    assert [m["type"] for m in ben.seen if m["type"] == "settings"] == ["settings"]


async def test_fields_keep_their_types_in_every_message(game):  # noqa: F811
    host, aki, _ = game
    await refused(aki, "bad_message", host, lambda: aki.send("take", card=1.0))
    await refused(aki, "bad_message", host, lambda: aki.send("take", card="1"))
    await refused(host, "bad_message", aki, lambda: host.send("kick", seat=True))
    await refused(host, "bad_message", aki, lambda: host.send("reader"))
    await refused(host, "bad_message", aki, lambda: host.send("settings", settings=[1]))


async def test_error_frames_carry_the_text_a_person_reads_in_their_language(make_room, clients):
    code, _ = await make_room()
    ja = await clients(code)
    await ja.send("hello", role="host", token="wrong", lang="ja")
    error = await ja.expect("error")
    assert error["code"] == "bad_token"
    assert error["message"] == "席が見つかりません。もう一度参加してください。"
    en = await clients(code)
    await en.send("hello", role="host", token="wrong", lang="en")
    assert (await en.expect("error"))["message"] == "Your seat was not found: please join again."
    # Frames that cannot be read still get a translated text (the socket's language).
    await ja.send_raw("{oops")
    assert (await ja.expect("error"))["message"].startswith("アプリ")


async def test_the_snapshot_carries_its_version_and_an_event_moves_it_by_one(game):  # noqa: F811
    """The snapshot carries the version it was read at; an event moves it by one."""
    host, aki, ben = game
    before = await state_of(ben)
    await host.send("settings", settings={"pause": 9})
    event = await ben.expect("settings")
    assert event["version"] == before["version"] + 1
    assert (await state_of(ben))["version"] == event["version"]
