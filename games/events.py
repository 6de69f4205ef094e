"""Every event a room broadcasts, built here as data: its version, its audience, its text.

A service calls one of the builders below inside its transaction. The builder

1. increments the room's version in that transaction (``UPDATE … RETURNING``, which also
   reads who the reader is under the room row's lock, so the audience of the answer is the
   one the database holds when the event is written, never a socket's memory of it);
2. encodes the event once as JSON (refusing NaN and anything that does not round-trip), so a
   malformed event fails the write that made it, not a relay later;
3. queues it with ``transaction.on_commit``: an event a rollback undid is never sent.

Queued events are collected by :func:`collect` around the service call and published by the
caller outside the database thread (games/realtime/publish.py). A caller that collects nothing
(a management command, a view) publishes on commit, synchronously.

Every event goes to every tab of the room. ``secret`` (the answer) is added for the host and
the reader; ``personal`` parts (``moved``: each tab's own token; ``finished``: each seat's
review, the screens' debrief) are added to the public text for the tabs they name. See
docs/protocol.md for each event's fields.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.db import connection, transaction

from games import review, rules, selectors
from games.models import BoardCard, Room, Seat, Take

CLOSE_REMOVED = 4000
CLOSE_KICKED = 4403


@dataclass(frozen=True)
class Event:
    """One room event, encoded: ``public`` for every tab, ``private`` for host and reader."""

    room: str
    kind: str
    version: int | None  # None: a hall's join, which the relays merge (``coalesced``)
    public: str
    private: str | None = None
    reader: int | None = None  # the reader's seat when the event was written
    # A seat whose sockets are closed once they got the event (kicked or removed), and how.
    close_seat: int | None = None
    close_code: int | None = None
    # Parts for some tabs only, by audience key ("host", "seat:<id>", "screen"), each encoded
    # alone (a JSON object) and joined to ``public`` on delivery: the room's ranking is not
    # copied once per seat into the channel-layer message. A tab's own part takes precedence
    # over ``private``.
    personal: dict[str, str] | None = None
    # Unversioned, and a relay sends its tabs only the last of those it got within
    # HALL_JOIN_SECONDS (games/realtime/relay.py): a hall's joins.
    coalesced: bool = False

    def message(self) -> dict:
        """The channel-layer message (channels wants a dict with a ``type``)."""
        return {
            "type": "room.event",
            "kind": self.kind,
            "version": self.version,
            "public": self.public,
            "private": self.private,
            "reader": self.reader,
            "close_seat": self.close_seat,
            "close_code": self.close_code,
            "personal": self.personal,
            "coalesced": self.coalesced,
        }

    @classmethod
    def from_message(cls, room: str, message: dict) -> Event:
        fields = ("kind", "version", "public", "private", "reader", "close_seat", "close_code",
                  "personal")  # fmt: skip
        return cls(
            room,
            **{name: message.get(name) for name in fields},
            coalesced=bool(message.get("coalesced")),
        )

    def text_for(self, role: str, seat: int | None) -> str:
        if self.personal:
            own = self.personal.get(audience_key(role, seat) or "")
            if own is not None:
                return join_parts(self.public, own)
        if self.private is not None and rules.sees_answer(role, seat, self.reader):
            return self.private
        return self.public


def audience_key(role: str, seat: int | None) -> str | None:
    """The key of a tab's personal part: the host's, a seat's, or the screens' (all alike)."""
    if role == rules.HOST:
        return "host"
    if role == rules.PLAYER and seat is not None:
        return f"seat:{seat}"
    if role == rules.SCREEN:
        return "screen"
    return None


def join_parts(public: str, own: str) -> str:
    """One JSON object of two encoded ones with distinct keys (emit checks they are)."""
    if own == "{}":
        return public
    return f"{public[:-1]}, {own[1:]}"


def _encode(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    if json.loads(text) != data:  # a tuple, an int key, a date: not what the client would get
        raise TypeError(f"event {data.get('type')!r} does not round-trip through JSON")
    return text


def _next_version(room: Room) -> tuple[int, int | None]:
    """Increment the room's version; the new version and the reader seat, read under the lock
    the UPDATE holds until commit (so two events of one room never share a version)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are emitted inside the transaction of the write they report")
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET version = version + 1 WHERE id = %s "  # noqa: S608 - no input
            "RETURNING version, reader_seat_id",
            [room.pk],
        )
        version, reader = cursor.fetchone()
    room.version = version
    return version, reader


def emit(
    room: Room,
    kind: str,
    data: dict,
    *,
    secret: dict | None = None,
    personal: dict[str, dict] | None = None,
    **close,
) -> Event:
    version, reader = _next_version(room)
    public = {"type": kind, "version": version, **data}
    event = Event(
        room=room.code,
        kind=kind,
        version=version,
        public=_encode(public),
        private=_encode({**public, **secret}) if secret else None,
        reader=reader,
        personal=_personal(public, personal) if personal else None,
        **close,
    )
    transaction.on_commit(partial(_queue, event))
    return event


def emit_coalesced(room: Room, kind: str, data: dict) -> Event:
    """An event without a version, of which each relay sends its tabs only the last it got
    within HALL_JOIN_SECONDS: one a tab may miss, as it misses nothing it needs (a count, or a
    player a hall's lists would not show)."""
    event = Event(
        room=room.code,
        kind=kind,
        version=None,
        public=_encode({"type": kind, **data}),
        coalesced=True,
    )
    transaction.on_commit(partial(_queue, event))
    return event


def _personal(public: dict, parts: dict[str, dict]) -> dict[str, str]:
    for own in parts.values():
        if repeated := own.keys() & public.keys():  # joined on delivery: keys must differ
            raise ValueError(f"a personal part repeats public fields: {sorted(repeated)}")
    return {key: _encode(own) for key, own in parts.items()}


# --- where committed events go --------------------------------------------------------------

_outbox = threading.local()


@contextmanager
def collect() -> Iterator[list[Event]]:
    """Collect the events committed inside the block (in commit order) instead of publishing
    them from this thread: the async caller publishes them on its own loop."""
    box: list[Event] = []
    previous = getattr(_outbox, "box", None)
    _outbox.box = box
    try:
        yield box
    finally:
        _outbox.box = previous


def _queue(event: Event) -> None:
    box = getattr(_outbox, "box", None)
    if box is not None:
        box.append(event)
        return
    from games.realtime.publish import publish_blocking  # the transport, only when needed

    publish_blocking([event])


# --- the events -----------------------------------------------------------------------------


def _active_count(room: Room) -> int:
    return Seat.objects.filter(room=room, status=rules.ACTIVE).count()


def player_joined(room: Room, seat: Seat) -> Event:
    total = _active_count(room)
    data = {"player": selectors.player(seat), "players_total": total}
    if total > selectors.list_max():
        # A hall: every join to every tab would be 4 million frames for 2,000 players; its
        # tabs hear of the joins about once a second instead (docs/protocol.md, "Halls").
        return emit_coalesced(room, "player_joined", data)
    return emit(room, "player_joined", data)


def player_left(room: Room, seat: Seat, *, kicked: bool) -> Event:
    return emit(
        room,
        "player_left",
        {
            "seat": seat.pk,
            "reason": rules.KICKED if kicked else rules.REMOVED,
            "players_total": _active_count(room),
        },
        close_seat=seat.pk,
        close_code=CLOSE_KICKED if kicked else CLOSE_REMOVED,
    )


def settings_changed(room: Room, settings: rules.Settings) -> Event:
    return emit(room, "settings", {"settings": settings.as_dict()})


def room_locked(room: Room, locked: bool) -> Event:
    return emit(room, "room_locked", {"locked": locked})


def reader_changed(room: Room, seat_id: int | None, reading: BoardCard | None) -> Event:
    """The reader role changed hands; while a card is read, the new reader needs its answer."""
    secret = selectors.answer(reading, selectors.langs_of(room)) if reading else None
    return emit(room, "reader", {"seat": seat_id}, secret=secret)


def started(room: Room, board: list[BoardCard]) -> Event:
    langs = selectors.langs_of(room)
    return emit(room, "started", {"board": [selectors.card_front(c, langs) for c in board]})


def reading(room: Room, card: BoardCard, now) -> Event:
    return emit(
        room,
        "reading",
        selectors.turn(room, card, now),
        secret=selectors.answer(card, selectors.langs_of(room)),
    )


def taken(room: Room, card: BoardCard, seat: Seat, *, bonus: int, next_at, now, race=None) -> Event:
    """The card's taker for everyone; after a fair race (``race``: its right takes, with
    their seats) the fastest reaction times too, and each of the race's takers its own
    (``yours_ms``)."""
    times = selectors.race_times_of(race) if race else []
    return emit(
        room,
        "taken",
        {
            **selectors.result(card, selectors.langs_of(room), bonus=bonus, fastest=times),
            "scores": [{"id": seat.pk, "score": seat.score, "cards": seat.cards}],
            "teams": _team_scores(seat),
            "next_in_ms": selectors.remaining_ms(next_at, now),
            "talk_in_ms": selectors.remaining_ms(room.talk_until, now),
        },
        personal={f"seat:{t['seat']}": {"yours_ms": t["ms"]} for t in times},
    )


def otetsuki(room: Room, seat: Seat, take: Take, *, mode: str, points: int, locked: bool) -> Event:
    return emit(
        room,
        "otetsuki",
        {
            **selectors.wrong_take(take, selectors.langs_of(room)),
            "mode": mode,
            "points": points,
            "score": seat.score,
            "wrong": seat.wrong_takes,
            "locked": locked,
            "teams": _team_scores(seat),
        },
    )


def _team_scores(seat: Seat) -> list[dict]:
    """The taker's team's totals after a take (a count, not "+1"); [] without teams."""
    return [selectors.team_score(seat.team_id)] if seat.team_id else []


def timed_out(room: Room, card: BoardCard, *, next_at, now) -> Event:
    return emit(
        room,
        "timeout",
        {
            **selectors.result(card, selectors.langs_of(room)),
            "next_in_ms": selectors.remaining_ms(next_at, now),
            "talk_in_ms": selectors.remaining_ms(room.talk_until, now),
        },
    )


def finished(room: Room) -> Event:
    """The final ranking for everyone; each seat's own review, and the room's debrief for the
    screens (games/review.py), as personal parts."""
    langs = selectors.langs_of(room)
    ranking = selectors.final_ranking(room)
    rows = {row["id"]: row for row in ranking}  # each seat's own row, found once (a hall: 2,000)
    personal = {
        f"seat:{seat}": {"review": r, "standing": rows.get(seat)}
        for seat, r in review.reviews(room, langs).items()
    }
    personal["screen"] = {"debrief": review.room_debrief(room, langs)}
    data = {
        "ranking": ranking[: selectors.list_max()],  # a hall's top; each seat has its own row
        "ranked_total": len(ranking),
        "team_ranking": selectors.team_final_ranking(room),
    }
    return emit(room, "finished", data, personal=personal)


def teams_changed(room: Room) -> Event:
    """The room's teams and who is in which (the host changed their number, or the start
    dealt the players out)."""
    seats = [
        {"id": s, "team": t}
        for s, t in Seat.objects.filter(room=room, status=rules.ACTIVE).values_list("pk", "team_id")
    ]
    data = {"teams": selectors.teams(room)}
    if len(seats) <= selectors.list_max():
        return emit(room, "teams", {**data, "players": seats})
    # A hall: each seat is told its own team, the host and the screens the first of them.
    personal = {f"seat:{s['id']}": {"players": [s]} for s in seats}
    personal["host"] = personal["screen"] = {"players": seats[: selectors.list_max()]}
    return emit(room, "teams", data, personal=personal)


def teams_named(room: Room) -> Event:
    """The host renamed a team: every team, as it is now."""
    return emit(room, "team_names", {"teams": selectors.teams(room)})


def team_picked(room: Room, seat: Seat) -> Event:
    """One seat's team changed (picked in the lobby, or moved by the host)."""
    data = {"seat": seat.pk, "team": seat.team_id, "teams": selectors.teams(room)}
    return emit(room, "team", data)


def moved(room: Room, to: Room, seat_tokens: dict[int, str]) -> Event:
    """Everyone moves to the room ``to`` ("play again"): each seat gets its new seat's token,
    the host the new room's host token, each privately (``seat_tokens``: old seat → token)."""
    personal = {"host": {"token": to.host_token}}
    personal.update({f"seat:{seat}": {"token": token} for seat, token in seat_tokens.items()})
    return emit(room, "moved", {"code": to.code}, personal=personal)
