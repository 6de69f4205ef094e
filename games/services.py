"""Operations on rooms: the only code that writes them.

Each public function is one transaction. It loads the room, asks rules.py what the move
means, writes with conditional UPDATEs (so two processes can never both win a race), and
queues its broadcast with ``transaction.on_commit`` so no screen sees a write that a rollback
undid. A refused move raises ``RuleError`` before anything is written.
"""

from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from games import rules
from games.models import BoardCard, Room, Seat, Take, ValueType
from games.rules import RuleError

log = logging.getLogger(__name__)

HOST = "host"
PLAYER = "player"
SCREEN = "screen"
ROLES = (HOST, PLAYER, SCREEN)
LANGS = {"ja": ("ja",), "en": ("en",), "both": ("ja", "en")}


@dataclass(frozen=True)
class Actor:
    """Who sends a move: the host, a player's seat, or a read-only screen."""

    role: str
    seat_id: int | None = None


@dataclass
class Result:
    """What a move answers its sender (``reply``); broadcasts are queued on commit."""

    reply: dict | None = None
    deadline: object = None
    extra: dict = field(default_factory=dict)


def group_name(code: str) -> str:
    return f"room-{code}"


def broadcast(code: str, event: dict, reader: dict | None = None) -> None:
    """Send ``event`` to every screen of the room after commit; ``reader`` holds what only the
    host and the reader may see (the answer), merged in by the consumer."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        message = {"type": "room.event", "event": event, "reader": reader}
        # A channel layer that is down (Redis stopped) must not turn a committed move into an
        # error for its sender: the move stands, and every tab resyncs from the database when
        # its process's relay reconnects (RoomRelay.run) or the tab reconnects. One retry:
        # after a Redis restart the first command on a pooled connection fails, the next
        # reconnects (a delta that arrives twice is harmless, see docs/protocol.md).
        for attempt in (1, 2):
            try:
                async_to_sync(layer.group_send)(group_name(code), message)
                return
            except Exception as exc:  # noqa: BLE001 - any layer failure: log it, keep the move
                if attempt == 2:
                    log.warning("broadcast of %s to room %s lost: %r", event["type"], code, exc)

    transaction.on_commit(send, robust=True)


# --- reading rooms -------------------------------------------------------------------------


def get_room(code: str) -> Room:
    room = Room.objects.filter(code=rules.normalize_code(code)).first()
    if room is None:
        raise RuleError("room_not_found", "no room with this code")
    return room


def room_settings(room: Room) -> rules.Settings:
    return rules.settings_from(room.options or {})


def langs_of(room: Room) -> tuple[str, ...]:
    return LANGS[room_settings(room).lang]


def texts(value: ValueType, part: str, langs: tuple[str, ...]) -> dict:
    return {lang: value.text(part, lang) for lang in langs}


def card_front(card: BoardCard, langs: tuple[str, ...]) -> dict:
    value = card.value_type
    return {
        "id": card.pk,
        "number": value.number,
        "field": value.field.code,
        "color": value.field.color,
        "image": value.image_url(),
        "name": texts(value, "name", langs),
        "taken_by": card.taken_by_id,
        "gone": bool(card.taken_by_id or card.timed_out),
    }


def card_back(card: BoardCard, langs: tuple[str, ...]) -> dict:
    value = card.value_type
    return {
        **card_front(card, langs),
        "concept": texts(value, "concept", langs),
        "outline": texts(value, "outline", langs),
    }


def read_text(card: BoardCard, langs: tuple[str, ...], *, hide_name: bool) -> dict:
    """The yomifuda as read aloud: overview and easy explanation, not the card's name."""
    value = card.value_type
    texts_ = {}
    for lang in langs:
        text = " ".join((value.text("overview", lang), value.text("explanation", lang)))
        if hide_name:
            text = rules.hide_name(text, (value.name_ja, value.name_en), lang)
        texts_[lang] = text
    return texts_


def player(seat: Seat) -> dict:
    return {
        "id": seat.pk,
        "nickname": seat.nickname,
        "score": seat.score,
        "cards": seat.cards,
        "wrong": seat.wrong_takes,
    }


def remaining_ms(room: Room, now) -> int | None:
    if room.deadline is None:
        return None
    return max(0, int((room.deadline - now).total_seconds() * 1000))


def _board_query(room: Room):
    return BoardCard.objects.filter(room=room).select_related("value_type__field")


def _turn(room: Room, card: BoardCard, now) -> dict:
    total = BoardCard.objects.filter(room=room).count()
    started = room.turn_started_at or now
    return {
        "index": card.read_order + 1,
        "total": total,
        "text": read_text(card, langs_of(room), hide_name=room_settings(room).hide_name),
        "elapsed_ms": max(0, int((now - started).total_seconds() * 1000)),
        "remaining_ms": remaining_ms(room, now),
    }


def _answer(card: BoardCard, langs: tuple[str, ...]) -> dict:
    return {"answer": {"id": card.pk, "name": texts(card.value_type, "name", langs)}}


def final_ranking(room: Room) -> list[dict]:
    seats = list(Seat.objects.filter(room=room, status=Seat.ACTIVE))
    langs = langs_of(room)
    hands: dict[int, list[dict]] = {}
    for card in _board_query(room).filter(taken_by__isnull=False).order_by("taken_at"):
        hands.setdefault(card.taken_by_id, []).append(
            {
                "number": card.value_type.number,
                "name": texts(card.value_type, "name", langs),
                "color": card.value_type.field.color,
            }
        )
    ranked = rules.ranking(rules.Standing(s.pk, s.nickname, s.score, s.cards) for s in seats)
    return [
        {
            "rank": s.rank,
            "id": s.seat,
            "nickname": s.nickname,
            "score": s.score,
            "cards": s.cards,
            "hand": hands.get(s.seat, []),
        }
        for s in ranked
    ]


def snapshot(*, code: str, actor: Actor) -> dict:
    """Everything a screen needs to draw the room from nothing: sent on (re)connect only."""
    room = get_room(code)
    now = timezone.now()
    langs = langs_of(room)
    seats = Seat.objects.filter(room=room, status=Seat.ACTIVE)
    board = list(_board_query(room))
    data: dict = {
        "type": "snapshot",
        "room": {
            "code": room.code,
            "state": room.state,
            "settings": room_settings(room).as_dict(),
            "reader": room.reader_seat_id,
            "next_in_ms": None,
        },
        "you": {"role": actor.role, "seat": None, "locked": False},
        "players": [player(s) for s in seats],
        "board": [card_front(c, langs) for c in board],
        "turn": None,
        "result": None,
        "ranking": None,
    }
    if actor.seat_id:
        seat = Seat.objects.filter(pk=actor.seat_id).first()
        data["you"]["seat"] = player(seat) if seat else None
    current = next((c for c in board if c.pk == room.current_card_id), None)
    if current is not None and room.state == rules.READING:
        data["turn"] = _turn(room, current, now)
        if is_reader(room, actor):
            data["turn"].update(_answer(current, langs))
        data["you"]["locked"] = bool(
            actor.seat_id
            and Take.objects.filter(
                read_card=current, seat_id=actor.seat_id, correct=False
            ).exists()
            and room_settings(room).wrong_take == rules.PENALTY
        )
    if current is not None and room.state in (rules.TAKEN, rules.TIMEOUT):
        data["result"] = {
            "card": current.pk,
            "by": current.taken_by_id,
            "nickname": current.taken_by.nickname if current.taken_by_id else None,
            "back": card_back(current, langs),
        }
        data["room"]["next_in_ms"] = remaining_ms(room, now)
    if room.state == rules.FINISHED:
        data["ranking"] = final_ranking(room)
    return data


def is_reader(room: Room, actor: Actor) -> bool:
    """The host always may see the answer; a player only while they hold the reader role."""
    if actor.role == HOST:
        return True
    return (
        actor.role == PLAYER and actor.seat_id is not None and room.reader_seat_id == actor.seat_id
    )


# --- who is who ----------------------------------------------------------------------------


def room_create(*, options: dict | None = None, rng: random.Random | None = None) -> Room:
    settings = rules.settings_from(options or {})
    rng = rng or random.SystemRandom()
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return Room.objects.create(
                    code=rules.new_code(rng),
                    host_token=secrets.token_urlsafe(24),
                    options=settings.as_dict(),
                )
        except IntegrityError:
            continue  # the code is taken: draw another
    raise RuleError("no_code", "could not find a free room code")


def random_nickname(rng: random.Random | None = None) -> str:
    rng = rng or random.SystemRandom()
    adjectives = [
        _("Quick"),
        _("Quiet"),
        _("Brave"),
        _("Sunny"),
        _("Clever"),
        _("Lucky"),
        _("Gentle"),
        _("Bright"),
    ]
    animals = [
        _("Fox"),
        _("Crane"),
        _("Tanuki"),
        _("Owl"),
        _("Otter"),
        _("Panda"),
        _("Sparrow"),
        _("Koi"),
    ]
    return _("%(adjective)s %(animal)s %(number)d") % {
        "adjective": rng.choice(adjectives),
        "animal": rng.choice(animals),
        "number": rng.randint(10, 99),
    }


def authenticate(*, code: str, role: str, token: str | None) -> Actor:
    """The actor a hello message speaks for, or RuleError."""
    room = get_room(code)
    if role == SCREEN:
        return Actor(SCREEN)
    if role == HOST:
        if not token or not secrets.compare_digest(str(token), room.host_token):
            raise RuleError("bad_token", "this is not the host's token")
        return Actor(HOST)
    if role == PLAYER:
        seat = Seat.objects.filter(room=room, token=str(token or "")).first()
        if seat is None or seat.status == Seat.REMOVED:
            raise RuleError("bad_token", "no seat with this token: join again")
        if seat.status == Seat.KICKED:
            if seat.kicked_until and seat.kicked_until > timezone.now():
                raise RuleError("kicked", "the host removed you from this room")
            raise RuleError("bad_token", "no seat with this token: join again")
        return Actor(PLAYER, seat.pk)
    raise RuleError("bad_message", f"role must be one of {', '.join(ROLES)}")


@transaction.atomic
def seat_join(*, code: str, nickname: object, previous_token: str | None = None) -> Seat:
    room = get_room(code)
    if room.state == rules.FINISHED:
        raise RuleError("out_of_turn", "the game is over")
    now = timezone.now()
    banned = Seat.objects.filter(room=room, status=Seat.KICKED, kicked_until__gt=now)
    if previous_token and banned.filter(token=str(previous_token)).exists():
        raise RuleError("kicked", "the host removed you from this room")
    if nickname is None or nickname == "":
        nickname = random_nickname()
    name = rules.clean_nickname(nickname)
    if banned.filter(nickname__iexact=name).exists():
        raise RuleError("kicked", "the host removed you from this room")
    active = Seat.objects.filter(room=room, status=Seat.ACTIVE)
    if active.filter(nickname__iexact=name).exists():
        raise RuleError("nickname_taken", "someone in this room already has this nickname")
    if active.count() >= rules.MAX_SEATS:
        raise RuleError("room_full", f"a room holds at most {rules.MAX_SEATS} players")
    seat = Seat.objects.create(room=room, nickname=name, token=secrets.token_urlsafe(24))
    broadcast(room.code, {"type": "player_joined", "player": player(seat)})
    return seat


def _require_host(actor: Actor) -> None:
    if actor.role != HOST:
        raise RuleError("not_host", "only the host can do this")


def _active_seat(room: Room, seat_id: object) -> Seat:
    if isinstance(seat_id, bool) or not isinstance(seat_id, int):
        raise RuleError("bad_message", "seat must be a seat id")
    seat = Seat.objects.filter(room=room, pk=seat_id, status=Seat.ACTIVE).first()
    if seat is None:
        raise RuleError("unknown_seat", "no such player in this room")
    return seat


@transaction.atomic
def room_configure(*, code: str, actor: Actor, changes: object) -> rules.Settings:
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "settings")
    if not isinstance(changes, dict):
        raise RuleError("bad_settings", "settings must be an object")
    settings = rules.settings_from(changes, room_settings(room))
    if not Room.objects.filter(pk=room.pk, state=rules.LOBBY).update(options=settings.as_dict()):
        raise RuleError("out_of_turn", "the game has started")
    broadcast(room.code, {"type": "settings", "settings": settings.as_dict()})
    return settings


@transaction.atomic
def seat_dismiss(*, code: str, actor: Actor, seat_id: object, kick: bool) -> None:
    """Kick (banned for a while) or remove (may join again) a player."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "kick" if kick else "remove")
    seat = _active_seat(room, seat_id)
    now = timezone.now()
    status = Seat.KICKED if kick else Seat.REMOVED
    until = now + timedelta(minutes=rules.KICK_MINUTES) if kick else None
    Seat.objects.filter(pk=seat.pk).update(status=status, kicked_until=until)
    reason = "kicked" if kick else "removed"
    broadcast(room.code, {"type": "player_left", "seat": seat.pk, "reason": reason})
    if room.reader_seat_id == seat.pk:
        Room.objects.filter(pk=room.pk).update(reader_seat=None)
        broadcast(room.code, {"type": "reader", "seat": None})


@transaction.atomic
def reader_set(*, code: str, actor: Actor, seat_id: object) -> None:
    """Hand the reader role to a player, or back to the host (``seat_id`` None)."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "reader")
    seat = None if seat_id is None else _active_seat(room, seat_id)
    Room.objects.filter(pk=room.pk).update(reader_seat=seat)
    broadcast(room.code, {"type": "reader", "seat": seat.pk if seat else None})
    if seat is not None and room.state == rules.READING and room.current_card_id:
        card = _board_query(room).get(pk=room.current_card_id)
        # The new reader needs the answer they are now reading.
        broadcast(room.code, {"type": "answer"}, _answer(card, langs_of(room)))


# --- the game ------------------------------------------------------------------------------


@transaction.atomic
def room_start(*, code: str, actor: Actor, rng: random.Random | None = None) -> Result:
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "start")
    if not Seat.objects.filter(room=room, status=Seat.ACTIVE).exists():
        raise RuleError("no_players", "nobody has joined yet")
    settings = room_settings(room)
    values = list(ValueType.objects.filter(field__code__in=settings.fields))
    dealt = rules.deal([v.number for v in values], rng or random.SystemRandom())
    # Claim the start first: a second "start" racing this one finds no lobby and stops.
    if not Room.objects.filter(pk=room.pk, state=rules.LOBBY).update(state=rules.TAKEN):
        raise RuleError("out_of_turn", "the game has already started")
    BoardCard.objects.bulk_create(
        BoardCard(
            room=room,
            value_type=v,
            position=dealt.positions[v.number],
            read_order=dealt.read_order[v.number],
        )
        for v in values
    )
    room.state = rules.TAKEN
    board = list(_board_query(room))
    langs = langs_of(room)
    broadcast(room.code, {"type": "started", "board": [card_front(c, langs) for c in board]})
    return _advance(room, timezone.now())


def _advance(room: Room, now) -> Result:
    """Read the next yomifuda, or finish when none is left."""
    card = _board_query(room).filter(read_at__isnull=True).order_by("read_order").first()
    settings = room_settings(room)
    previous = room.current_card_id
    if card is None:
        if not Room.objects.filter(pk=room.pk, state=room.state, current_card=previous).update(
            state=rules.FINISHED, deadline=None, finished_at=now
        ):
            raise RuleError("out_of_turn", "the room has moved on")
        broadcast(room.code, {"type": "finished", "ranking": final_ranking(room)})
        return Result(deadline=None)
    deadline = rules.deadline_after(now, settings.time_limit)
    # Compare-and-set on (state, current card): two "next" at once advance only one card.
    if not Room.objects.filter(pk=room.pk, state=room.state, current_card=previous).update(
        state=rules.READING, current_card=card, turn_started_at=now, deadline=deadline
    ):
        raise RuleError("out_of_turn", "the room has moved on")
    BoardCard.objects.filter(pk=card.pk).update(read_at=now)
    room.state, room.current_card, room.turn_started_at, room.deadline = (
        rules.READING,
        card,
        now,
        deadline,
    )
    event = {"type": "reading", **_turn(room, card, now)}
    broadcast(room.code, event, _answer(card, langs_of(room)))
    return Result(deadline=deadline)


@transaction.atomic
def room_next(*, code: str, actor: Actor) -> Result:
    room = get_room(code)
    if not is_reader(room, actor):
        raise RuleError("not_reader", "only the host or the reader can move to the next card")
    rules.check_turn(room.state, "next")
    return _advance(room, timezone.now())


def _close_card(room: Room, now, *, skipped: bool) -> Result:
    """Nobody took the read card (time ran out, or the host skipped it)."""
    card_id = room.current_card_id
    # Race: a take may land at the same instant; whoever's UPDATE matches first decides.
    if not BoardCard.objects.filter(pk=card_id, taken_by__isnull=True, timed_out=False).update(
        timed_out=True
    ):
        return Result(deadline=room.deadline)
    pause = _pause_deadline(room, now)
    Room.objects.filter(pk=room.pk, state=rules.READING, current_card_id=card_id).update(
        state=rules.TIMEOUT, deadline=pause
    )
    card = _board_query(room).get(pk=card_id)
    broadcast(
        room.code,
        {
            "type": "timeout",
            "card": card_id,
            "skipped": skipped,
            "back": card_back(card, langs_of(room)),
            "next_in_ms": remaining_ms_at(pause, now),
        },
    )
    return Result(deadline=pause)


def remaining_ms_at(deadline, now) -> int | None:
    return None if deadline is None else max(0, int((deadline - now).total_seconds() * 1000))


def _pause_deadline(room: Room, now):
    settings = room_settings(room)
    if settings.reader_mode == "auto":
        return rules.deadline_after(now, settings.pause)
    return None


@transaction.atomic
def room_skip(*, code: str, actor: Actor) -> Result:
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "skip")
    return _close_card(room, timezone.now(), skipped=True)


@transaction.atomic
def room_tick(*, code: str) -> Result:
    """Act on a passed deadline: time out the read card, or read the next in auto mode.
    Safe to call any number of times from any process: each step is a compare-and-set."""
    room = get_room(code)
    now = timezone.now()
    if not rules.is_due(room.deadline, now):
        return Result(deadline=room.deadline)
    if room.state == rules.READING:
        return _close_card(room, now, skipped=False)
    if room.state in (rules.TAKEN, rules.TIMEOUT):
        try:
            return _advance(room, now)
        except RuleError:
            return Result(deadline=None)
    return Result(deadline=None)


@transaction.atomic
def card_take(*, code: str, actor: Actor, card_id: object) -> Result:
    if actor.role != PLAYER or actor.seat_id is None:
        raise RuleError("not_player", "only a player can take a card")
    if isinstance(card_id, bool) or not isinstance(card_id, int):
        raise RuleError("bad_message", "card must be a card id")
    room = get_room(code)
    seat = Seat.objects.filter(room=room, pk=actor.seat_id, status=Seat.ACTIVE).first()
    if seat is None:
        raise RuleError("not_player", "you are no longer in this room")
    if room.reader_seat_id == seat.pk:
        raise RuleError("reader_cannot_take", "the reader does not take cards")
    card = _board_query(room).filter(pk=card_id).first()
    if card is not None and (card.taken_by_id or card.timed_out):
        raise RuleError("card_taken", "this card is no longer on the board")
    rules.check_turn(room.state, "take")
    if card is None:
        raise RuleError("unknown_card", "no such card on this board")
    now = timezone.now()
    if rules.is_due(room.deadline, now):
        raise RuleError("time_up", "time is up for this card")
    settings = room_settings(room)
    read_card_id = room.current_card_id
    if (
        settings.wrong_take == rules.PENALTY
        and Take.objects.filter(read_card_id=read_card_id, seat=seat, correct=False).exists()
    ):
        raise RuleError("locked_out", "you took a wrong card: wait for the next one")
    if card.pk != read_card_id:
        return _wrong_take(room, seat, card, settings)
    return _right_take(room, seat, card, settings, now)


def _right_take(room: Room, seat: Seat, card: BoardCard, settings, now) -> Result:
    # Race: many players (on any process) tap this card at once. One UPDATE with
    # "taken_by IS NULL" in its WHERE clause runs atomically; its row count names the winner.
    won = BoardCard.objects.filter(pk=card.pk, taken_by__isnull=True, timed_out=False).update(
        taken_by=seat, taken_at=now
    )
    if not won:
        raise RuleError("card_taken", "someone else took this card first")
    taken_in_field = in_field = 0
    if settings.set_bonus:  # two counts on the take's path only when the bonus can be earned
        field_on_board = BoardCard.objects.filter(
            room=room, value_type__field_id=card.value_type.field_id
        )
        taken_in_field = field_on_board.filter(taken_by=seat).count()
        in_field = field_on_board.count()
    point, bonus = rules.take_points(
        set_bonus=settings.set_bonus, field_taken_by_seat=taken_in_field, field_on_board=in_field
    )
    Seat.objects.filter(pk=seat.pk).update(score=F("score") + point + bonus, cards=F("cards") + 1)
    Take.objects.create(room=room, seat=seat, card=card, read_card=card, correct=True, won=True)
    pause = _pause_deadline(room, now)
    Room.objects.filter(pk=room.pk, state=rules.READING, current_card=card).update(
        state=rules.TAKEN, deadline=pause
    )
    seat.refresh_from_db()
    card.taken_by = seat
    broadcast(
        room.code,
        {
            "type": "taken",
            "card": card.pk,
            "by": seat.pk,
            "nickname": seat.nickname,
            "bonus": bonus,
            "back": card_back(card, langs_of(room)),
            "scores": [{"id": seat.pk, "score": seat.score, "cards": seat.cards}],
            "next_in_ms": remaining_ms_at(pause, now),
        },
    )
    return Result(
        reply={"type": "take_result", "card": card.pk, "outcome": "won", "bonus": bonus},
        deadline=pause,
    )


def _wrong_take(room: Room, seat: Seat, card: BoardCard, settings: rules.Settings) -> Result:
    effect = rules.wrong_take(settings.wrong_take)
    Take.objects.create(
        room=room, seat=seat, card=card, read_card_id=room.current_card_id, correct=False
    )
    Seat.objects.filter(pk=seat.pk).update(
        score=F("score") + effect.points, wrong_takes=F("wrong_takes") + 1
    )
    seat.refresh_from_db()
    if effect.shown_to_all:
        broadcast(
            room.code,
            {
                "type": "otetsuki",
                "seat": seat.pk,
                "nickname": seat.nickname,
                "card": card.pk,
                "name": texts(card.value_type, "name", langs_of(room)),
                "mode": settings.wrong_take,
                "points": effect.points,
                "score": seat.score,
            },
        )
    return Result(
        reply={
            "type": "take_result",
            "card": card.pk,
            "outcome": "wrong",
            "locked": effect.locks_out,
            "points": effect.points,
        }
    )
