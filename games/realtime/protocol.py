"""The websocket protocol's rules for a frame: how it is read, what each type must carry, and
the one registry of error codes with the text a person is shown (docs/protocol.md).

A test checks the registry against the codes the server raises, docs/protocol.md, both
message catalogues and the pages' strings, so no error reaches a player as developer English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from games.rules import RuleError

MAX_MESSAGE_BYTES = 4096
MAX_DEPTH = 8  # a settings message nests three levels; nothing needs eight

# Every code the server sends in an ``error`` frame, and what a person reads.
ERRORS = {
    # the frame itself
    "bad_json": _("The app sent a message the server could not read. Please reload the page."),
    "bad_message": _("The app sent an incomplete message. Please reload the page."),
    "too_large": _("The app sent a message that is too large. Please reload the page."),
    "unknown_type": _("The app and the server do not understand each other: please reload."),
    "not_joined": _("Not connected to the room yet: please wait a moment."),
    "rate_limited": _("Too many messages: please slow down."),
    "server_error": _("The server could not do this. Please try again."),
    "unavailable": _("Live updates are unavailable for a moment: reconnecting…"),
    # entering a room
    "room_not_found": _("There is no room with this code."),
    "too_many_attempts": _(
        "Too many attempts with unknown codes: please wait a moment, then try again."
    ),
    "bad_token": _("Your seat was not found: please join again."),
    "kicked": _("The host removed you from this room. You cannot rejoin for a while."),
    "bad_nickname": _("Please choose another nickname (1–20 characters)."),
    "nickname_taken": _("Someone in this room already has this nickname."),
    "room_full": _("This room is full."),
    "room_locked": _("The host has closed this room to new players."),
    "too_many_seats": _(
        "Too many players from this network are in this room. Ask the host for help."
    ),
    # moves
    "out_of_turn": _("Not now: the game has moved on."),
    "not_host": _("Only the host can do this."),
    "not_reader": _("Only the host or the reader can move to the next card."),
    "not_player": _("Join the room to take cards."),
    "not_your_seat": _("You can only take cards for yourself."),
    "reader_cannot_take": _("The reader does not take cards."),
    "unknown_card": _("This card is not on the board."),
    "card_taken": _("Too late: this card is already taken."),
    "locked_out": _("You took a wrong card: wait for the next one."),
    "time_up": _("Time is up for this card."),
    "no_players": _("Wait until at least one player has joined."),
    "no_cards": _("The chosen fields hold no cards: choose at least one field with cards."),
    "unknown_seat": _("This player is no longer in the room."),
    "bad_settings": _("These settings cannot be combined: please check them."),
    "time_limit_too_short": _(
        "This time limit is shorter than the cards' text takes to appear: "
        "choose a longer one or no limit."
    ),
    # teams
    "teams_off": _("This room plays without teams."),
    "teams_by_host": _("The host deals out the teams in this room."),
    "unknown_team": _("This team is not in this room."),
    "bad_team_name": _(
        "A team name needs 1 to 20 characters, with at least one letter, and no rude word."
    ),
    "team_name_taken": _("Another team already has this name (or one that looks the same)."),
    # the debrief's reteach round (its page shows the text)
    "nothing_to_reteach": _(
        "Nobody took a wrong card in this game: there is no confused pair to reteach."
    ),
    # the room-creation page (HTTP 503), and "play again" on the socket
    "no_code": _("No free room code was found. Please try again in a moment."),
}


def error_frame(code: str, detail: str, about: str | None = None) -> dict:
    """An ``error`` frame; ``message`` in the active language (the tab's)."""
    return {
        "type": "error",
        "code": code,
        "message": str(ERRORS.get(code, ERRORS["server_error"])),
        "detail": detail,
        "about": about,
    }


# --- reading a frame ------------------------------------------------------------------------


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def parse(text: str | None) -> dict:
    """The frame as a dict with a string ``type``, or RuleError with the documented code."""
    if text is None:
        raise RuleError("bad_message", "send JSON text frames")
    if len(text.encode()) > MAX_MESSAGE_BYTES:
        raise RuleError("too_large", f"a message is at most {MAX_MESSAGE_BYTES} bytes")
    if _depth(text) > MAX_DEPTH:  # before json.loads: deep nesting would exhaust the stack
        raise RuleError("bad_json", f"the message nests deeper than {MAX_DEPTH} levels")
    try:
        message = json.loads(text, parse_constant=_no_constant)
    except ValueError:
        raise RuleError("bad_json", "the message is not valid JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise RuleError("bad_message", "a message is an object with a type")
    return message


def _depth(text: str) -> int:
    """How deeply ``[`` and ``{`` nest outside strings (cheap: frames are at most 4 KiB)."""
    if "[" not in text and text.count("{") < 2:
        return text.count("{")  # the common case: one flat object
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


# --- what each type carries -----------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = True
    nullable: bool = False  # present and null is a value of its own (reader: null = host)


# The fields each client message must carry, with their exact JSON types (a bool is not an
# int here, unlike in Python). Unknown fields are ignored.
SCHEMAS: dict[str, dict[str, Field]] = {
    "hello": {"role": Field(str), "token": Field(str, False, True), "lang": Field(str, False)},
    "join": {
        "nickname": Field(str, False, True),
        "previous": Field(str, False, True),
        "lang": Field(str, False),
    },
    "ping": {},
    "probe": {"id": Field(int)},  # a latency probe's answer (usually caught before parsing)
    "sync": {},
    "take": {
        "card": Field(int),
        "seat": Field(int, False, True),
        "reaction_ms": Field(int, False, True),  # as the device measured it (fair races)
    },
    "start": {},
    "next": {},
    "skip": {},
    "settings": {"settings": Field(dict)},
    "kick": {"seat": Field(int)},
    "remove": {"seat": Field(int)},
    "reader": {"seat": Field(int, True, True)},
    "rematch": {},
    "lock": {"locked": Field(bool)},
    "team": {"team": Field(int), "seat": Field(int, False, True)},  # pick or move (lobby)
    "team_name": {"team": Field(int), "name": Field(str)},  # the host names a team
}
# What a tab may send before it said hello (or join).
BEFORE_HELLO = {"hello", "join", "ping"}


def validate(message: dict) -> dict:
    """The message's fields by name (missing optional ones as None), or RuleError."""
    schema = SCHEMAS.get(message["type"])
    if schema is None:
        raise RuleError("unknown_type", f"unknown message type {message['type'][:40]!r}")
    fields = {}
    for name, spec in schema.items():
        if name not in message:
            if spec.required:
                raise RuleError("bad_message", f"{name} is missing")
            fields[name] = None
            continue
        value = message[name]
        if value is None and (spec.nullable or not spec.required):
            fields[name] = None
            continue
        if isinstance(value, bool) and spec.kind is not bool or not isinstance(value, spec.kind):
            raise RuleError("bad_message", f"{name} has the wrong type")
        fields[name] = value
    return fields
