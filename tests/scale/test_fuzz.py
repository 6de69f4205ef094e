"""Fuzzing the room socket: malformed, oversized and out-of-order messages from a player.

Every message gets exactly one answer (an error, or the documented pong/snapshot), the socket
stays open, and the room is exactly as it was."""

import json

import pytest
from asgiref.sync import async_to_sync
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games import rules, selectors, services
from games.realtime.protocol import MAX_MESSAGE_BYTES
from tests.games.conftest import Client

TYPES = ["hello", "join", "sync", "ping", "take", "start", "next", "skip", "settings", "kick",
         "remove", "reader"]  # fmt: skip
# Card ids that are never on a board: nothing a fuzzed take names may be a real card.
NOT_A_CARD = st.one_of(st.integers(max_value=0), st.integers(min_value=10**9))
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    NOT_A_CARD,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def frame(obj) -> str:
    return json.dumps(obj)


MESSAGES = st.one_of(
    st.text(max_size=60),  # mostly not JSON
    st.binary(max_size=40),  # binary frames
    st.integers(MAX_MESSAGE_BYTES + 1, 3 * MAX_MESSAGE_BYTES).map(lambda n: "{" + " " * n + "}"),
    st.integers(MAX_MESSAGE_BYTES, 2 * MAX_MESSAGE_BYTES).map(
        lambda n: frame({"type": "take", "card": 1, "pad": "x" * n})
    ),
    st.one_of(st.integers(), st.lists(st.integers(), max_size=3), st.none()).map(frame),
    st.dictionaries(st.sampled_from(["kind", "card", "seat"]), JUNK, max_size=3).map(frame),
    st.builds(lambda t, extra: frame({"type": t, **extra}), st.text(max_size=20), st.just({})),
    st.builds(
        lambda t, fields: frame({"type": t, **fields}),
        st.sampled_from(TYPES),
        st.fixed_dictionaries(
            {},
            optional={
                "card": JUNK,
                "seat": JUNK,
                "role": st.sampled_from(["host", "player", "screen", "boss", ""]) | JUNK,
                "token": JUNK,
                "nickname": JUNK,
                "settings": JUNK,
                "previous": JUNK,
            },
        ),
    ),
)


def room_state(code: str) -> dict:
    """The host's snapshot, without the clock."""
    data = selectors.snapshot(code=code, actor=selectors.Actor(rules.HOST))
    data["room"].pop("next_in_ms", None)
    if data["turn"]:
        data["turn"].pop("elapsed_ms", None)
        data["turn"].pop("remaining_ms", None)
    return data


@pytest.fixture
def reading_room(transactional_db, deck):
    """A room reading its first card, with one player: (code, player token)."""
    room = services.room_create(options={"lang": "en", "fields": ["economics"]})
    seat = services.seat_join(code=room.code, nickname="Fuzz").seat
    services.seat_join(code=room.code, nickname="Other")
    services.room_start(code=room.code, actor=selectors.Actor(rules.HOST))
    return room.code, seat.token


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messages=st.lists(MESSAGES, min_size=1, max_size=8))
def test_every_bad_message_gets_one_error_and_changes_nothing(reading_room, messages):
    code, token = reading_room
    before = room_state(code)
    async_to_sync(_send_all)(code, token, messages)
    assert room_state(code) == before


async def _send_all(code, token, messages):
    client = await Client(code).open()
    try:
        await client.hello("player", token)
        for message in messages:
            # Straight into the ASGI queue: send_to() refuses empty frames.
            key = "bytes" if isinstance(message, bytes) else "text"
            await client.comm.send_input({"type": "websocket.receive", key: message})
        replies = [await client.recv() for _ in messages]
        for message, reply in zip(messages, replies, strict=True):
            assert reply["type"] in ("error", "pong", "snapshot"), (message, reply)
            if reply["type"] == "error":
                assert reply["code"] != "server_error", (message, reply)
        # Nothing more was said, and the socket is still open and answering.
        await client.send("ping")
        assert (await client.recv())["type"] == "pong"
    finally:
        await client.close()
