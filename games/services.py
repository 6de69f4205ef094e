"""Operations on rooms: the only code that writes them.

Each public function is one transaction. It loads the room (games/selectors.py), asks rules.py
what the move means, writes with conditional UPDATEs (so two processes can never both win a
race) and emits its events (games/events.py), which are sent only once the write committed.
A refused move raises ``RuleError`` before anything is written.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from games import debrief, events, nicknames, reports, rules, takes, teams
from games.models import BoardCard, Room, Seat, ValueType
from games.outcome import Result
from games.rules import RuleError
from games.selectors import (
    Actor,
    board_query,
    get_room,
    room_settings,
    seconds_needed,
)

# --- who is who ----------------------------------------------------------------------------


def room_create(
    *, options: dict | None = None, lang: str | None = None, rng: random.Random | None = None
) -> Room:
    """A room in the lobby. ``lang``, the host's page language, is the card language unless
    ``options`` names one: an English host gets English cards, a Japanese host Japanese ones
    ("both" stays a choice in the lobby). ``options`` are trusted (code and tests: a time limit
    shorter than the text is checked when the host chooses it, in room_configure)."""
    defaults = {"lang": lang} if lang in ("ja", "en") else {}
    settings = rules.settings_from({**defaults, **(options or {})})
    rng = rng or random.SystemRandom()
    for _attempt in range(20):
        try:
            with transaction.atomic():
                room = Room.objects.create(
                    code=rules.new_code(rng),
                    host_token=secrets.token_urlsafe(24),
                    options=settings.as_dict(),
                )
                teams.teams_sync(room, settings)
                return room
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
    """The actor a hello message speaks for, or RuleError. (Reads only: no transaction.)"""
    room = get_room(code)
    if role == rules.SCREEN:
        return Actor(rules.SCREEN)
    if role == rules.HOST:
        if not token or not secrets.compare_digest(str(token), room.host_token):
            raise RuleError("bad_token", "this is not the host's token")
        return Actor(rules.HOST)
    if role == rules.PLAYER:
        seat = Seat.objects.filter(room=room, token=str(token or "")).first()
        if seat is None or seat.status == rules.REMOVED:
            raise RuleError("bad_token", "no seat with this token: join again")
        if seat.status == rules.KICKED:
            if seat.kicked_until and seat.kicked_until > timezone.now():
                raise RuleError("kicked", "the host removed you from this room")
            raise RuleError("bad_token", "no seat with this token: join again")
        return Actor(rules.PLAYER, seat.pk)
    raise RuleError("bad_message", f"role must be one of {', '.join(rules.ROLES)}")


@dataclass(frozen=True)
class Joined:
    seat: Seat
    restored: bool  # an earlier seat of this browser was given back, with its score


@dataclass(frozen=True)
class Newcomer:
    """Where a join comes from (games/limits.py): the browser's id from its signed cookie
    (None without one) and a keyed hash of its network."""

    browser: str | None = None
    network: str = ""


@transaction.atomic
def seat_join(
    *,
    code: str,
    nickname: object,
    previous_token: str | None = None,
    newcomer: Newcomer | None = None,
) -> Joined:
    """A new seat, or (``previous_token`` of a removed seat) the same seat back, or (a browser
    already seated here: another tab) the seat that browser holds."""
    newcomer = newcomer or Newcomer()
    room = get_room(code)
    if room.state == rules.FINISHED:
        raise RuleError("out_of_turn", "the game is over")
    now = timezone.now()
    seats = Seat.objects.filter(room=room)
    banned = seats.filter(status=rules.KICKED, kicked_until__gt=now)
    if previous_token and banned.filter(token=str(previous_token)).exists():
        raise RuleError("kicked", "the host removed you from this room")
    if newcomer.browser and banned.filter(browser=newcomer.browser).exists():
        raise RuleError("kicked", "the host removed this browser from this room")
    active = seats.filter(status=rules.ACTIVE)
    if newcomer.browser and (held := active.filter(browser=newcomer.browser).first()):
        return Joined(held, restored=True)  # no event: the room already shows this seat
    earlier = None
    if previous_token:
        earlier = seats.filter(token=str(previous_token), status=rules.REMOVED).first()
    if room.locked and earlier is None:
        raise RuleError("room_locked", "the host closed this room to new players")
    name = rules.clean_nickname(_nickname_for(nickname, earlier, room_settings(room)))
    # By look (games/nicknames.py), not by spelling: "Аlice" with a Cyrillic А is Alice. At
    # most MAX_SEATS names, compared in Python (their skeletons are cached).
    if nicknames.clash(name, banned.values_list("nickname", flat=True)):
        raise RuleError("kicked", "the host removed you from this room")
    if nicknames.clash(name, active.values_list("nickname", flat=True)):
        raise RuleError("nickname_taken", "someone in this room already has this nickname")
    if active.count() >= rules.MAX_SEATS:
        raise RuleError("room_full", f"a room holds at most {rules.MAX_SEATS} players")
    cap = django_settings.SEATS_PER_ADDRESS
    if newcomer.network and active.filter(network=newcomer.network).count() >= cap:
        raise RuleError("too_many_seats", f"at most {cap} players from one network")
    if earlier is not None:
        # Race: two tabs restoring one seat at once; the status compare-and-set lets one in.
        if not Seat.objects.filter(pk=earlier.pk, status=rules.REMOVED).update(
            status=rules.ACTIVE, nickname=name
        ):
            raise RuleError("bad_token", "this seat is already back in the room")
        earlier.refresh_from_db()
        seat, restored = earlier, True
    else:
        seat = Seat.objects.create(
            room=room,
            nickname=name,
            token=secrets.token_urlsafe(24),
            browser=newcomer.browser or "",
            network=newcomer.network,
        )
        restored = False
    teams.seat_place(room, seat, room_settings(room))
    events.player_joined(room, seat)
    return Joined(seat, restored)


def _nickname_for(typed: object, earlier: Seat | None, settings: rules.Settings) -> object:
    """What a joining player is called: what they typed, unless they typed nothing or the host
    hands out generated nicknames; then their earlier seat's name, or a generated one."""
    if settings.generated_names or typed is None or typed == "":
        return earlier.nickname if earlier is not None else random_nickname()
    return typed


@transaction.atomic
def room_lock(*, code: str, actor: Actor, locked: bool) -> None:
    """Close the room to new players (or open it again); seats already in it may come back."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "lock")
    Room.objects.filter(pk=room.pk).update(locked=locked)
    events.room_locked(room, locked)


def _require_host(actor: Actor) -> None:
    if actor.role != rules.HOST:
        raise RuleError("not_host", "only the host can do this")


def _active_seat(room: Room, seat_id: int) -> Seat:
    seat = Seat.objects.filter(room=room, pk=seat_id, status=rules.ACTIVE).first()
    if seat is None:
        raise RuleError("unknown_seat", "no such player in this room")
    return seat


@transaction.atomic
def room_configure(*, code: str, actor: Actor, changes: dict) -> rules.Settings:
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "settings")
    current = room_settings(room)
    settings = rules.settings_from(changes, current)
    # A limit the host picks too short is refused; one made too short by more text is raised.
    chosen = "time_limit" in changes and settings.time_limit != current.time_limit
    settings = rules.fit_time_limit(settings, seconds_needed(settings), chosen=chosen)
    if not Room.objects.filter(pk=room.pk, state=rules.LOBBY).update(options=settings.as_dict()):
        raise RuleError("out_of_turn", "the game has started")
    events.settings_changed(room, settings)
    if teams.teams_sync(room, settings):
        events.teams_changed(room)
    return settings


@transaction.atomic
def seat_dismiss(*, code: str, actor: Actor, seat_id: int, kick: bool) -> None:
    """Kick (banned for a while) or remove (may come back with the same seat) a player."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "kick" if kick else "remove")
    seat = _active_seat(room, seat_id)
    status = rules.KICKED if kick else rules.REMOVED
    until = timezone.now() + timedelta(minutes=rules.KICK_MINUTES) if kick else None
    Seat.objects.filter(pk=seat.pk).update(status=status, kicked_until=until)
    events.player_left(room, seat, kicked=kick)
    if room.reader_seat_id == seat.pk:
        Room.objects.filter(pk=room.pk).update(reader_seat=None)
        events.reader_changed(room, None, None)


@transaction.atomic
def reader_set(*, code: str, actor: Actor, seat_id: int | None) -> None:
    """Hand the reader role to a player, or back to the host (``seat_id`` None)."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "reader")
    seat = None if seat_id is None else _active_seat(room, seat_id)
    Room.objects.filter(pk=room.pk).update(reader_seat=seat)
    reading = None
    if seat is not None and room.state == rules.READING and room.current_card_id:
        reading = board_query(room).get(pk=room.current_card_id)
    events.reader_changed(room, seat.pk if seat else None, reading)


@transaction.atomic
def room_rematch(*, code: str, actor: Actor, rng: random.Random | None = None) -> Room:
    """Play again with the same players: a new room with the same settings, every active
    seat copied (same nickname, score zero, a new token), the bans still running copied too,
    and everyone in the old room told to move there (``moved``, each tab with its own token).
    Asked again (a second click, a second host tab), it tells everyone again."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "rematch")
    return _move_on(room, rng=rng)


@transaction.atomic
def room_reteach(*, code: str, actor: Actor, rng: random.Random | None = None) -> Room:
    """A reteach round from the debrief: like "play again" (the same players move to a new
    room), but the new room's board is the most-confused pairs' cards side by side, and it
    starts at once with the value most often mistaken (rules.reteach_deal). Asked again, it
    tells everyone again to move to the room already made."""
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "rematch")
    if room.next_room_id is not None:
        return _move_on(room, rng=rng)
    confused = debrief.confusion_pairs(reports.taps([room]))
    pairs = rules.reteach_pairs((p.read, p.taken) for p in confused)
    if not pairs:
        raise RuleError("nothing_to_reteach", "no value was confused with another")
    if not Seat.objects.filter(room=room, status=rules.ACTIVE).exists():
        raise RuleError("no_players", "nobody is left in the room")
    new = _move_on(room, rng=rng, reteach=pairs)
    _deal(new, rng or random.SystemRandom())
    # The players look at the pairs side by side until the host reads the first card (in
    # automatic mode, for the pause between cards).
    pause = rules.pause_deadline(room_settings(new), timezone.now())
    Room.objects.filter(pk=new.pk).update(deadline=pause)
    return new


def _move_on(room: Room, *, rng: random.Random | None, reteach: list | None = None) -> Room:
    """The room everyone moves to from ``room`` (made now, or the one made before)."""
    if room.next_room_id is not None:
        new = room.next_room
        successors = Seat.objects.filter(room=new, previous__room=room, status=rules.ACTIVE)
        events.moved(room, new, {s.previous_id: s.token for s in successors})
        return new
    new = room_create(options=room.options, rng=rng)
    # Race: two "play again" at once; the compare-and-set lets one room be the next one, and
    # the other's transaction (its new room with it) is rolled back.
    if not Room.objects.filter(pk=room.pk, next_room__isnull=True).update(next_room=new):
        raise RuleError("out_of_turn", "this room has already moved on")
    new.locked, new.reteach = room.locked, [list(pair) for pair in reteach or ()]
    new.save(update_fields=["locked", "reteach"])
    now = timezone.now()
    seats = Seat.objects.filter(room=room).filter(
        Q(status=rules.ACTIVE) | Q(status=rules.KICKED, kicked_until__gt=now)
    )
    same_team = teams.teams_copy(room, new)  # everyone stays in their team
    copies = [
        Seat(
            room=new,
            nickname=seat.nickname,
            token=secrets.token_urlsafe(24),
            status=seat.status,
            kicked_until=seat.kicked_until,
            browser=seat.browser,
            network=seat.network,
            previous=seat,
            team_id=same_team.get(seat.team_id),
        )
        for seat in seats.order_by("joined_at", "pk")
    ]
    Seat.objects.bulk_create(copies)  # nobody listens to the new room yet: no events there
    tokens = {c.previous.pk: c.token for c in copies if c.status == rules.ACTIVE}
    events.moved(room, new, tokens)
    return new


def seat_latency(*, seat_id: int, round_trip_ms: float, jitter_ms: float) -> None:
    """Store a seat's measured network (its tab's probes): a reconnect starts from it, and a
    fair race's window waits for the slowest taker. No event: nobody else is told."""
    Seat.objects.filter(pk=seat_id).update(round_trip_ms=round_trip_ms, jitter_ms=jitter_ms)


# --- the game ------------------------------------------------------------------------------


@transaction.atomic
def room_start(*, code: str, actor: Actor, rng: random.Random | None = None) -> Result:
    _require_host(actor)
    room = get_room(code)
    rules.check_turn(room.state, "start")
    if not Seat.objects.filter(room=room, status=rules.ACTIVE).exists():
        raise RuleError("no_players", "nobody has joined yet")
    teams.teams_deal(room, room_settings(room))
    _deal(room, rng or random.SystemRandom())
    return _advance(room, timezone.now())


def _deal(room: Room, rng: random.Random) -> None:
    """Lay the board out (state "taken", no card read yet): the chosen fields' cards, or a
    reteach round's confused pairs side by side."""
    if room.reteach:
        dealt = rules.reteach_deal([tuple(pair) for pair in room.reteach], rng)
        values = list(ValueType.objects.filter(number__in=dealt.positions))
    else:
        values = list(ValueType.objects.filter(field__code__in=room_settings(room).fields))
        dealt = rules.deal([v.number for v in values], rng)
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
    events.started(room, list(board_query(room)))


def _advance(room: Room, now) -> Result:
    """Read the next yomifuda, or finish when none is left."""
    card = board_query(room).filter(read_at__isnull=True).order_by("read_order").first()
    previous = room.current_card_id
    # Compare-and-set on (state, current card): two "next" at once advance only one card.
    claimed = Room.objects.filter(pk=room.pk, state=room.state, current_card=previous)
    if card is None:
        if not claimed.update(state=rules.FINISHED, deadline=None, finished_at=now):
            raise RuleError("out_of_turn", "the room has moved on")
        events.finished(room)
        return Result(deadline=None)
    deadline = rules.deadline_after(now, room_settings(room).time_limit)
    if not claimed.update(
        state=rules.READING, current_card=card, turn_started_at=now, deadline=deadline,
        talk_until=None,
    ):  # fmt: skip
        raise RuleError("out_of_turn", "the room has moved on")
    BoardCard.objects.filter(pk=card.pk).update(read_at=now)
    room.state, room.current_card, room.turn_started_at, room.deadline = (
        rules.READING,
        card,
        now,
        deadline,
    )
    events.reading(room, card, now)
    return Result(deadline=deadline)


@transaction.atomic
def room_next(*, code: str, actor: Actor) -> Result:
    room = get_room(code)
    if not rules.sees_answer(actor.role, actor.seat_id, room.reader_seat_id):
        raise RuleError("not_reader", "only the host or the reader can move to the next card")
    rules.check_turn(room.state, "next")
    return _advance(room, timezone.now())


def _close_card(room: Room, now, *, skipped: bool) -> Result:
    """Nobody took the read card (time ran out, or the host skipped it)."""
    card_id = room.current_card_id
    # Race: a take may land at the same instant; whoever's UPDATE matches first decides.
    if not BoardCard.objects.filter(pk=card_id, taken_by__isnull=True, timed_out=False).update(
        timed_out=True, skipped=skipped
    ):
        return Result(deadline=room.deadline)
    settings = room_settings(room)
    # Nobody took it: every wrong tap still waiting for a window came before any take.
    takes.judge_wrong_takes(room, card_id, taken_ms=None)
    pause = rules.pause_deadline(settings, now)
    room.talk_until = rules.talk_deadline(settings, now)
    Room.objects.filter(pk=room.pk, state=rules.READING, current_card_id=card_id).update(
        state=rules.TIMEOUT, deadline=pause, talk_until=room.talk_until, window_closes_at=None
    )
    events.timed_out(room, board_query(room).get(pk=card_id), next_at=pause, now=now)
    return Result(deadline=pause)


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
    if room.window_closes_at is not None:  # a fair race's window: decided before anything
        return takes.race_decide(code=code)
    if not rules.is_due(room.deadline, now):
        return Result(deadline=room.deadline)
    if room.state == rules.READING:
        return _close_card(room, now, skipped=False)
    if room.state in rules.BETWEEN_CARDS:
        try:
            return _advance(room, now)
        except RuleError:  # another process moved on first
            return Result(deadline=None)
    return Result(deadline=None)
