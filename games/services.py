"""Operations on rooms: the only code that writes them.

Each public function is one transaction. It loads the room (games/selectors.py), asks rules.py
what the move means, writes with conditional UPDATEs (so two processes can never both win a
race) and emits its events (games/events.py), which are sent only once the write committed.
A refused move raises ``RuleError`` before anything is written.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from games import debrief, events, fairness, nicknames, reports, rules, teams
from games.models import BoardCard, Room, Seat, Take, ValueType
from games.rules import RuleError
from games.selectors import (
    Actor,
    board_query,
    get_room,
    room_settings,
    seconds_needed,
    wrong_takes,
)


@dataclass
class Result:
    """What a move answers its sender (``reply``), and the room's next deadline (the caller
    schedules a check for it)."""

    reply: dict | None = None
    deadline: object = None
    pending: int | None = None  # a take waiting for its decision window (race_outcome)


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
    _judge_wrong_takes(room, board_query(room).get(pk=card_id), taken_ms=None)
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
        return race_decide(code=code)
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


@transaction.atomic
def card_take(
    *,
    code: str,
    actor: Actor,
    card_id: int,
    latency: fairness.Latency | None = None,
    arrived_at=None,
    claimed_ms: float | None = None,
) -> Result:
    """A tap on a card. A wrong card is judged at once; the right card, in a fair room, joins
    the decision window (``Result.pending``: ask ``race_outcome`` once the window closed),
    else the first to arrive wins. ``latency`` is the tab's measured network, ``arrived_at``
    when its frame arrived, ``claimed_ms`` the reaction time its device measured."""
    if actor.role != rules.PLAYER or actor.seat_id is None:
        raise RuleError("not_player", "only a player can take a card")
    room = get_room(code)
    now = timezone.now()
    arrived = arrived_at or now
    settings = room_settings(room)
    if settings.fair and room.window_closes_at is not None and arrived >= room.window_closes_at:
        race_decide(code=code)  # this take missed a window: that window is decided first
        room = get_room(code)
    seat = Seat.objects.filter(room=room, pk=actor.seat_id, status=rules.ACTIVE).first()
    if seat is None:
        raise RuleError("not_player", "you are no longer in this room")
    card = board_query(room).filter(pk=card_id).first()
    on_board = card is not None
    rules.check_take(
        rules.TakeAttempt(
            state=room.state,
            is_reader=room.reader_seat_id == seat.pk,
            card_on_board=on_board,
            card_gone=on_board and bool(card.taken_by_id or card.timed_out),
            deadline_passed=rules.is_due(room.deadline, now),
            wrong_takes_this_card=(
                wrong_takes(room.current_card_id, seat.pk)
                if on_board and room.state == rules.READING and settings.wrong_take == rules.PENALTY
                else 0
            ),
            wrong_take_mode=settings.wrong_take,
        )
    )
    if settings.fair:
        return _candidate(room, seat, card, settings, arrived, latency, claimed_ms)
    if card.pk != room.current_card_id:
        return _wrong_take(room, seat, card, settings)
    return _right_take(room, seat, card, settings, now)


def _candidate(room, seat, card, settings, arrived, latency, claimed_ms) -> Result:
    """A take in a fair race, right or wrong: stored with its reaction time and judged when
    the decision window closes (``race_decide``). The first take opens the window, long
    enough for the slowest connected taker's take."""
    if room.window_closes_at is not None and arrived >= room.window_closes_at:
        raise RuleError("card_taken", "someone else took this card first")
    correct = card.pk == room.current_card_id
    reveal = fairness.DEVICE if settings.reader_mode == rules.AUTO else fairness.ROOM
    latency = latency or fairness.Latency()
    estimate = fairness.reaction_ms(
        arrived_ms=arrived.timestamp() * 1000,
        read_ms=room.turn_started_at.timestamp() * 1000,
        reveal=reveal,
        round_trip_ms=latency.round_trip_ms,
    )
    # A device's own time counts only where it saw the reading itself (auto reader).
    claimed = claimed_ms if reveal == fairness.DEVICE else None
    checked = fairness.checked_claim(estimate, claimed, latency.jitter_ms)
    earlier = Take.objects.filter(read_card=card, card=card, seat=seat).first()
    if correct and earlier is not None:  # a second tap in the window: the first one stands
        return Result(deadline=room.window_closes_at, pending=earlier.pk)
    take = Take.objects.create(
        room=room, seat=seat, card=card, read_card_id=room.current_card_id, correct=correct,
        won=False, pending=not correct, reaction_ms=checked.reaction_ms,
        flag=checked.flagged or "",
    )  # fmt: skip
    if room.window_closes_at is None:
        _open_window(room, reveal, arrived)
    return Result(deadline=room.window_closes_at, pending=take.pk)


def _open_window(room: Room, reveal: str, arrived) -> None:
    takers = (
        Seat.objects.filter(room=room, status=rules.ACTIVE, round_trip_ms__isnull=False)
        .exclude(pk=room.reader_seat_id)
        .values_list("round_trip_ms", "jitter_ms")
    )
    wait = fairness.window_ms(reveal, takers)
    closes = arrived + timedelta(milliseconds=wait)
    # Race: two first takes at once; one window is opened, the other take joins it.
    if Room.objects.filter(
        pk=room.pk,
        state=rules.READING,
        current_card_id=room.current_card_id,
        window_closes_at__isnull=True,
    ).update(window_closes_at=closes):
        BoardCard.objects.filter(pk=room.current_card_id).update(window_ms=wait)
    room.refresh_from_db(fields=["window_closes_at"])


@transaction.atomic
def race_decide(*, code: str) -> Result:
    """Close a passed decision window: the fastest reaction among its takes wins the card.
    Safe from any process, any number of times (the window is closed by compare-and-set)."""
    room = get_room(code)
    now = timezone.now()
    closes = room.window_closes_at
    if closes is None or room.state != rules.READING:
        return Result(deadline=room.deadline)
    if now < closes:
        return Result(deadline=closes)
    if not Room.objects.filter(pk=room.pk, window_closes_at=closes).update(window_closes_at=None):
        return Result(deadline=None)  # another process decided
    room.window_closes_at = None
    card = board_query(room).get(pk=room.current_card_id)
    takes = {
        t.pk: t
        for t in Take.objects.filter(read_card=card, card=card, correct=True, won=False)
        .filter(seat__status=rules.ACTIVE)
        .select_related("seat")
    }
    best = fairness.winner(
        [fairness.Candidate(t.pk, t.reaction_ms, t.flag or None) for t in takes.values()]
    )
    _judge_wrong_takes(room, card, taken_ms=None if best is None else best.reaction_ms)
    if best is None:  # only wrong takes, or their players left: the card is read on
        return Result(deadline=room.deadline)
    return _right_take(room, takes[best.take].seat, card, room_settings(room), now,
                       take=takes[best.take])  # fmt: skip


def card_take_and_wait(*, code: str, actor: Actor, card_id: int) -> Result:
    """``card_take`` for a script (seeding, the shell), where a socket's consumer would wait:
    in a fair race, sleep out the decision window (a few ms when no tab's network was
    measured) and answer as ``race_outcome`` does."""
    result = card_take(code=code, actor=actor, card_id=card_id)
    if result.pending is None:
        return result
    time.sleep(max(0.0, (result.deadline - timezone.now()).total_seconds()))
    return race_outcome(code=code, actor=actor, take_id=result.pending)


@transaction.atomic
def race_outcome(*, code: str, actor: Actor, take_id: int) -> Result:
    """The answer to a take in a fair race, once its window has closed (deciding it first if
    nobody has yet): won (with its reaction time), or lost to a faster one."""
    decided = race_decide(code=code)
    take = Take.objects.filter(pk=take_id, seat_id=actor.seat_id).first()
    if take is not None and not take.correct and not take.pending:
        return Result(reply=_wrong_reply(take, room_settings(take.room)), deadline=decided.deadline)
    if take is None or not take.won:  # a wrong take voided by a faster right one, too
        raise RuleError("card_taken", "someone else took this card first")
    return Result(
        reply={
            "type": "take_result",
            "card": take.card_id,
            "outcome": "won",
            "bonus": take.bonus,
            "reaction_ms": round(take.reaction_ms),
        },
        deadline=decided.deadline,
    )


def _right_take(room: Room, seat: Seat, card: BoardCard, settings, now, take=None) -> Result:
    # Race: many players (on any process) tap this card at once. One UPDATE with
    # "taken_by IS NULL" in its WHERE clause runs atomically; its row count names the winner.
    # (In a fair race, ``take`` is the window's fastest, taken when it arrived.)
    taken_at = take.created_at if take is not None else now
    won = BoardCard.objects.filter(pk=card.pk, taken_by__isnull=True, timed_out=False).update(
        taken_by=seat, taken_at=taken_at
    )
    if not won:
        raise RuleError("card_taken", "someone else took this card first")
    taken_in_field = in_field = 0
    if settings.set_bonus:  # two counts on the take's path only when the bonus can be earned
        field_on_board = BoardCard.objects.filter(
            room=room, value_type__field_id=card.value_type.field_id
        )
        # In a team game the team's cards count: the take that completes a field in the
        # team's hands earns the bonus (for its taker, so the team's total stays the sum).
        hands = Q(taken_by__team_id=seat.team_id) if seat.team_id else Q(taken_by=seat)
        taken_in_field = field_on_board.filter(hands).count()
        in_field = field_on_board.count()
    point, bonus = rules.take_points(
        set_bonus=settings.set_bonus, field_taken_by_seat=taken_in_field, field_on_board=in_field
    )
    Seat.objects.filter(pk=seat.pk).update(score=F("score") + point + bonus, cards=F("cards") + 1)
    if take is not None:
        Take.objects.filter(pk=take.pk).update(won=True, points=point, bonus=bonus)
    else:
        Take.objects.create(
            room=room, seat=seat, card=card, read_card=card, correct=True, won=True,
            points=point, bonus=bonus,
        )  # fmt: skip
    pause = rules.pause_deadline(settings, now)
    room.talk_until = rules.talk_deadline(settings, now)
    Room.objects.filter(pk=room.pk, state=rules.READING, current_card=card).update(
        state=rules.TAKEN, deadline=pause, talk_until=room.talk_until
    )
    # Re-read: concurrent wrong takes of this seat may have changed its score meanwhile.
    seat.refresh_from_db()
    card.taken_by = seat
    events.taken(room, card, seat, bonus=bonus, next_at=pause, now=now, race=take is not None)
    return Result(
        reply={"type": "take_result", "card": card.pk, "outcome": "won", "bonus": bonus},
        deadline=pause,
    )


def _wrong_take(room: Room, seat: Seat, card: BoardCard, settings: rules.Settings) -> Result:
    take = Take.objects.create(
        room=room, seat=seat, card=card, read_card_id=room.current_card_id, correct=False
    )
    _count_wrong_take(room, take, settings)
    return Result(reply=_wrong_reply(take, settings))


def _judge_wrong_takes(room: Room, card: BoardCard, *, taken_ms: float | None) -> None:
    """A fair race's wrong takes, judged by reaction time as the right ones are: one that
    came before the winner's reaction (or with no winner) counts; one after it is void, as
    a tap on a card already taken would be (its row goes, so no count or debrief sees it)."""
    settings = room_settings(room)
    for take in Take.objects.filter(read_card=card, correct=False, pending=True).order_by(
        "reaction_ms", "pk"
    ):
        if taken_ms is not None and take.reaction_ms >= taken_ms:
            take.delete()
        else:
            _count_wrong_take(room, take, settings)


def _count_wrong_take(room: Room, take: Take, settings: rules.Settings) -> None:
    effect = rules.wrong_take(settings.wrong_take)
    Take.objects.filter(pk=take.pk).update(points=effect.points, pending=False)
    take.points, take.pending = effect.points, False
    Seat.objects.filter(pk=take.seat_id).update(
        score=F("score") + effect.points, wrong_takes=F("wrong_takes") + 1
    )
    seat = Seat.objects.get(pk=take.seat_id)
    # Sent in every mode, so every screen's counts stay true; "off" screens show nothing.
    events.otetsuki(
        room, seat, take, mode=settings.wrong_take, points=effect.points, locked=effect.locks_out
    )


def _wrong_reply(take: Take, settings: rules.Settings) -> dict:
    effect = rules.wrong_take(settings.wrong_take)
    return {
        "type": "take_result",
        "card": take.card_id,
        "outcome": "wrong",
        "locked": effect.locks_out,
        "points": effect.points,
    }
