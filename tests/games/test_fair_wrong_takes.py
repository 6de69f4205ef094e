"""In a fair race a wrong take is judged as a right one is: by reaction time, not by arrival.

A player on a fast network who taps a wrong card after (in reaction time) a player on a slow
network took the right one is not penalised, although the wrong tap reached the server first;
a player on a slow network whose wrong tap came before the winner's take is, although it
arrived after. The takes are placed on the timeline by hand (``arrived_at``, ``latency``), in
the past, so every decision window has already closed when the outcome is asked for.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from games import fairness, rules, services, takes
from games.models import BoardCard, Room, Seat, Take
from games.rules import RuleError
from games.selectors import Actor

pytestmark = pytest.mark.django_db

FAST, SLOW = 10.0, 300.0  # round trips (ms): the cable and a crowded Wi-Fi


def started(deck, **options):
    """A started room (human reader: the way up is taken off) with players Ken and Aiko,
    their networks measured; the reading began two seconds ago."""
    room = services.room_create(options={"reader_mode": "human", **options})
    host = Actor(rules.HOST)
    seats = {}
    for name, rtt in (("Ken", FAST), ("Aiko", SLOW)):
        seat = services.seat_join(code=room.code, nickname=name).seat
        services.seat_latency(seat_id=seat.pk, round_trip_ms=rtt, jitter_ms=0)
        seats[name] = seat
    services.room_start(code=room.code, actor=host)
    room.refresh_from_db()
    begun = timezone.now() - timedelta(seconds=2)
    Room.objects.filter(pk=room.pk).update(turn_started_at=begun)
    wrong = BoardCard.objects.filter(room=room).exclude(pk=room.current_card_id).first()
    return room.code, begun, seats, room.current_card_id, wrong.pk


def tap(code, begun, seat, card, *, at_ms, rtt):
    """``seat`` taps ``card``; its frame reached the server ``at_ms`` after the reading began."""
    return takes.card_take(
        code=code,
        actor=Actor(rules.PLAYER, seat.pk),
        card_id=card,
        latency=fairness.Latency((rtt,)),
        arrived_at=begun + timedelta(milliseconds=at_ms),
    )


def outcome(code, seat, result):
    """The answer the taker's screen gets once the window closed: the reply, or the error."""
    if result.pending is None:
        return result.reply["outcome"]
    try:
        return takes.race_outcome(
            code=code, actor=Actor(rules.PLAYER, seat.pk), take_id=result.pending
        ).reply["outcome"]
    except RuleError as err:
        return err.code


def counts(name):
    seat = Seat.objects.get(nickname=name)
    return seat.score, seat.wrong_takes


def test_a_wrong_tap_after_the_winners_reaction_costs_nothing(deck):
    code, begun, seats, right, wrong = started(deck)
    # Ken (10 ms) taps a wrong card 600 ms into the reading: it arrives at 605 ms.
    ken = tap(code, begun, seats["Ken"], wrong, at_ms=605, rtt=FAST)
    # Aiko (300 ms) took the right card at 500 ms: her take arrives later, at 650 ms.
    aiko = tap(code, begun, seats["Aiko"], right, at_ms=650, rtt=SLOW)
    assert outcome(code, seats["Aiko"], aiko) == "won"
    assert outcome(code, seats["Ken"], ken) == "card_taken"  # the card was gone by then
    assert counts("Ken") == (0, 0)
    assert counts("Aiko") == (1, 0)
    assert not Take.objects.filter(seat=seats["Ken"]).exists()  # nothing for the debrief


def test_a_wrong_tap_before_the_winners_reaction_is_penalised_though_it_arrived_later(deck):
    code, begun, seats, right, wrong = started(deck)
    # Ken took the right card at 600 ms (arrives 605); Aiko tapped a wrong one at 500 ms,
    # which reaches the server at 650 ms, after Ken's take.
    ken = tap(code, begun, seats["Ken"], right, at_ms=605, rtt=FAST)
    aiko = tap(code, begun, seats["Aiko"], wrong, at_ms=650, rtt=SLOW)
    assert outcome(code, seats["Ken"], ken) == "won"
    assert outcome(code, seats["Aiko"], aiko) == "wrong"
    assert counts("Aiko") == (-1, 1)
    take = Take.objects.get(seat=seats["Aiko"])
    assert not take.correct and take.points == -1 and take.reaction_ms == pytest.approx(500)


def test_a_wrong_tap_with_no_right_take_in_its_window_is_penalised_and_locks_the_seat(deck):
    code, begun, seats, right, wrong = started(deck)
    ken = tap(code, begun, seats["Ken"], wrong, at_ms=605, rtt=FAST)
    assert outcome(code, seats["Ken"], ken) == "wrong"
    assert counts("Ken") == (-1, 1)
    assert Room.objects.get(code=code).state == rules.READING  # the card is still read
    with pytest.raises(RuleError) as refused:  # penalty mode: Ken sits this card out
        tap(code, begun, seats["Ken"], right, at_ms=900, rtt=FAST)
    assert refused.value.code == "locked_out"
    aiko = tap(code, begun, seats["Aiko"], right, at_ms=1100, rtt=SLOW)
    assert outcome(code, seats["Aiko"], aiko) == "won"


def test_with_fairness_off_a_wrong_tap_is_judged_on_arrival(deck):
    code, begun, seats, right, wrong = started(deck, fair=False)
    ken = tap(code, begun, seats["Ken"], wrong, at_ms=605, rtt=FAST)
    aiko = tap(code, begun, seats["Aiko"], right, at_ms=650, rtt=SLOW)
    assert outcome(code, seats["Ken"], ken) == "wrong"
    assert outcome(code, seats["Aiko"], aiko) == "won"
    assert counts("Ken") == (-1, 1)
