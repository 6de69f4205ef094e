"""Taking a card: the only code that writes a take.

A tap on a card is one transaction (``card_take``). Without fair races the first to arrive wins,
by a conditional UPDATE (``_right_take``). In a fair race (games/fairness.py) every take, right or
wrong, is stored with its reaction time and the first opens a short decision window; when it
closes (``race_decide``, from any process, by compare-and-set) the fastest reaction wins and the
wrong takes before it count. docs/protocol.md, "Races", is the contract.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from games import events, fairness, rules
from games.models import BoardCard, Room, Seat, Take
from games.outcome import Result
from games.rules import RuleError
from games.selectors import Actor, board_query, get_room, room_settings


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
    reading = on_board and room.state == rules.READING
    # This seat's earlier taps of this reading: its wrong ones lock it out (penalty), and a
    # second tap of the right card in a fair window keeps the first. One read for both.
    mine = (
        list(
            Take.objects.filter(read_card_id=room.current_card_id, seat=seat).values_list(
                "correct", "pk"
            )
        )
        if reading and (settings.fair or settings.wrong_take == rules.PENALTY)
        else []
    )
    rules.check_take(
        rules.TakeAttempt(
            state=room.state,
            is_reader=room.reader_seat_id == seat.pk,
            card_on_board=on_board,
            card_gone=on_board and bool(card.taken_by_id or card.timed_out),
            deadline_passed=rules.is_due(room.deadline, now),
            wrong_takes_this_card=(
                sum(not correct for correct, _ in mine)
                if settings.wrong_take == rules.PENALTY
                else 0
            ),
            wrong_take_mode=settings.wrong_take,
        )
    )
    if settings.fair:
        earlier = next((pk for correct, pk in mine if correct), None)
        return _candidate(room, seat, card, settings, arrived, latency, claimed_ms, earlier)
    if card.pk != room.current_card_id:
        return _wrong_take(room, seat, card, settings)
    return _right_take(room, seat, card, settings, now)


def _candidate(room, seat, card, settings, arrived, latency, claimed_ms, earlier) -> Result:
    """A take in a fair race, right or wrong: stored with its reaction time and judged when
    the decision window closes (``race_decide``). The first take opens the window, long
    enough for the slowest connected taker's take. ``earlier``: the seat's right take in
    this window, if it has one."""
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
    if correct and earlier is not None:  # a second tap of the right card: the first stands
        return Result(deadline=room.window_closes_at, pending=earlier)
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
        room.window_closes_at = closes
    else:
        room.refresh_from_db(fields=["window_closes_at"])


@transaction.atomic
def race_decide(*, code: str) -> Result:
    """Close a passed decision window: the fastest reaction among its takes wins the card.
    Safe from any process, any number of times (the window is closed by compare-and-set)."""
    return _decide(get_room(code)).result


@dataclass(frozen=True)
class Decision:
    result: Result
    judged: dict[int, Take]  # the window's takes this call judged, by id; a void one's pk is None


def _decide(room: Room) -> Decision:
    """``race_decide`` inside the caller's transaction. Every statement here delays every
    screen of the room (the ``taken`` event is published after the commit), so the window's
    takes, right and wrong, are read once, with what the events show of them."""
    now = timezone.now()
    closes = room.window_closes_at
    if closes is None or room.state != rules.READING:
        return Decision(Result(deadline=room.deadline), {})
    if now < closes:
        return Decision(Result(deadline=closes), {})
    if not Room.objects.filter(pk=room.pk, window_closes_at=closes).update(window_closes_at=None):
        return Decision(Result(deadline=None), {})  # another process decided
    room.window_closes_at = None
    read = room.current_card_id
    # The read card comes with its right takes (the card they took), not in a read of its own.
    window = list(
        Take.objects.filter(read_card_id=read, won=False)
        .filter(Q(card_id=read, correct=True) | Q(correct=False, pending=True))
        .select_related("seat", "card__value_type__field")
    )
    judged = {take.pk: take for take in window}
    right = [take for take in window if take.correct]
    best = fairness.winner(
        [
            fairness.Candidate(t.pk, t.reaction_ms, t.flag or None)
            for t in right
            if t.seat.status == rules.ACTIVE
        ]
    )
    settings = room_settings(room)
    judge_wrong_takes(
        room,
        read,
        taken_ms=None if best is None else best.reaction_ms,
        waiting=[take for take in window if not take.correct],
        settings=settings,
    )
    if best is None:  # only wrong takes, or their players left: the card is read on
        return Decision(Result(deadline=room.deadline), judged)
    won = judged[best.take]
    result = _right_take(room, won.seat, won.card, settings, now, take=won, race=right)
    return Decision(result, judged)


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
    room = get_room(code)
    decision = _decide(room)
    if take_id in decision.judged:  # judged just now: as it stands after the decision
        take = decision.judged[take_id]
        take = take if take.pk is not None and take.seat_id == actor.seat_id else None
    else:
        take = Take.objects.filter(pk=take_id, seat_id=actor.seat_id).first()
    deadline = decision.result.deadline
    if take is not None and not take.correct and not take.pending:
        return Result(reply=_wrong_reply(take, room_settings(room)), deadline=deadline)
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
        deadline=deadline,
    )


def _right_take(
    room: Room, seat: Seat, card: BoardCard, settings, now, take=None, race=None
) -> Result:
    # Race: many players (on any process) tap this card at once. One UPDATE with
    # "taken_by IS NULL" in its WHERE clause runs atomically; its row count names the winner.
    # (In a fair race, ``take`` is the window's fastest, taken when it arrived, and ``race``
    # all the window's right takes, whose times every screen is shown.)
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
    # Read back with the write: concurrent wrong takes of this seat may have moved its score.
    _add_to_seat(seat, score=point + bonus, cards=1)
    if take is not None:
        Take.objects.filter(pk=take.pk).update(won=True, points=point, bonus=bonus)
        take.won, take.points, take.bonus = True, point, bonus
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
    card.taken_by = seat
    events.taken(room, card, seat, bonus=bonus, next_at=pause, now=now, race=race)
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


def judge_wrong_takes(
    room: Room,
    read_card_id: int,
    *,
    taken_ms: float | None,
    waiting: list[Take] | None = None,
    settings: rules.Settings | None = None,
) -> None:
    """A fair race's wrong takes, judged by reaction time as the right ones are: one that
    came before the winner's reaction (or with no winner) counts; one after it is void, as
    a tap on a card already taken would be (its row goes, so no count or debrief sees it).
    ``waiting``: the pending wrong takes when the caller has read them already."""
    settings = settings or room_settings(room)
    if waiting is None:
        waiting = list(
            Take.objects.filter(
                read_card_id=read_card_id, correct=False, pending=True
            ).select_related("seat", "card__value_type")
        )
    for take in sorted(waiting, key=lambda t: (t.reaction_ms, t.pk)):
        if taken_ms is not None and take.reaction_ms >= taken_ms:
            take.delete()
        else:
            _count_wrong_take(room, take, settings)


def _count_wrong_take(room: Room, take: Take, settings: rules.Settings) -> None:
    effect = rules.wrong_take(settings.wrong_take)
    Take.objects.filter(pk=take.pk).update(points=effect.points, pending=False)
    take.points, take.pending = effect.points, False
    seat = take.seat
    _add_to_seat(seat, score=effect.points, wrong_takes=1)
    # Sent in every mode, so every screen's counts stay true; "off" screens show nothing.
    events.otetsuki(
        room, seat, take, mode=settings.wrong_take, points=effect.points, locked=effect.locks_out
    )


def _add_to_seat(seat: Seat, **added: int) -> None:
    """Add to a seat's counters and read them back, in one statement (UPDATE … RETURNING):
    the seat's other takes, on any process, may have moved them since it was read."""
    table = connection.ops.quote_name(Seat._meta.db_table)
    column = connection.ops.quote_name
    sets = ", ".join(f"{column(name)} = {column(name)} + %s" for name in added)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} WHERE id = %s "  # noqa: S608 - names from code, not input
            "RETURNING score, cards, wrong_takes",
            [*added.values(), seat.pk],
        )
        seat.score, seat.cards, seat.wrong_takes = cursor.fetchone()


def _wrong_reply(take: Take, settings: rules.Settings) -> dict:
    effect = rules.wrong_take(settings.wrong_take)
    return {
        "type": "take_result",
        "card": take.card_id,
        "outcome": "wrong",
        "locked": effect.locks_out,
        "points": effect.points,
    }
