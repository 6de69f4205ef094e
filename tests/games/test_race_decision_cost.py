"""What a fair race's decision costs: it stands between the window's close and every screen.

When the decision window closes, one transaction decides the race and the ``taken`` event is
published after it commits, so each statement in it delays every tab of the room. The bench
(`make bench`, [1]) measures the whole path against a bare relay; this test keeps the
transaction's statements few and independent of the number of players and takes, and checks
that what the event says is still whole (the winner, every taker's time, the wrong tap judged).
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from games import events, fairness, rules, services, takes
from games.models import BoardCard, Room, Seat
from games.selectors import Actor

pytestmark = pytest.mark.django_db

# BEGIN, the room, the window closed (compare-and-set), the window's takes (the read card with
# its right takes), the card taken, the taker's score, the take won, the room's state, the
# event's version, COMMIT.
STATEMENTS = 10
WRONG_TAP = 3  # one counted: the take's points, the seat's score, the otetsuki event's version


def race(deck, players: int):
    """A started room (human reader: the way up, half the round trip, is taken off) of
    ``players``, P1 on a 300 ms network; three taps inside one window: P2 a wrong card
    first, then P0 and P1 the right one, P1 arriving last but reacting first."""
    room = services.room_create(options={"reader_mode": "human"})
    seats = []
    for n in range(players):
        seat = services.seat_join(code=room.code, nickname=f"P{n}").seat
        services.seat_latency(seat_id=seat.pk, round_trip_ms=300.0 if n == 1 else 20.0, jitter_ms=0)
        seats.append(seat)
    services.room_start(code=room.code, actor=Actor(rules.HOST))
    room.refresh_from_db()
    begun = timezone.now() - timedelta(seconds=2)
    Room.objects.filter(pk=room.pk).update(turn_started_at=begun)
    right = room.current_card_id
    wrong = BoardCard.objects.filter(room=room).exclude(pk=right).first().pk

    def tap(seat, card, at_ms, rtt):
        return takes.card_take(
            code=room.code,
            actor=Actor(rules.PLAYER, seat.pk),
            card_id=card,
            latency=fairness.Latency((rtt,)),
            arrived_at=begun + timedelta(milliseconds=at_ms),
        )

    tap(seats[2], wrong, 440, 20)  # reacted at 430 ms; opens a window of 150 ms and more
    first = tap(seats[0], right, 500, 20)  # 490 ms
    fastest = tap(seats[1], right, 585, 300)  # 435 ms: arrived last, reacted first
    return room.code, seats, first, fastest


@pytest.mark.parametrize("players", [3, 40])
def test_deciding_a_race_is_one_short_transaction_whatever_the_room_size(
    deck, players, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    code, seats, first, fastest = race(deck, players)
    with (
        events.collect() as sent,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(STATEMENTS + WRONG_TAP),
    ):
        result = takes.race_outcome(
            code=code, actor=Actor(rules.PLAYER, seats[1].pk), take_id=fastest.pending
        )
    assert result.reply["outcome"] == "won"
    assert result.reply["reaction_ms"] == 435
    taken = [e for e in sent if e.kind == "taken"]
    assert len(taken) == 1
    body = json.loads(taken[0].public)
    assert body["by"] == seats[1].pk
    assert [(t["nickname"], t["ms"]) for t in body["fastest"]] == [("P1", 435), ("P0", 490)]
    assert {key: json.loads(part) for key, part in taken[0].personal.items()} == {
        f"seat:{seats[1].pk}": {"yours_ms": 435},
        f"seat:{seats[0].pk}": {"yours_ms": 490},
    }
    assert body["scores"] == [{"id": seats[1].pk, "score": 1, "cards": 1}]
    # P2's wrong tap (430 ms) came before the winner's reaction: it counts, and its screen is told.
    assert [e.kind for e in sent].count("otetsuki") == 1
    assert Seat.objects.get(pk=seats[2].pk).wrong_takes == 1


def test_the_slower_taker_of_a_decided_race_is_told_it_lost(deck):
    code, seats, first, fastest = race(deck, 3)
    winner = takes.race_outcome(
        code=code, actor=Actor(rules.PLAYER, seats[1].pk), take_id=fastest.pending
    )
    assert winner.reply["outcome"] == "won"
    with pytest.raises(rules.RuleError) as lost:
        takes.race_outcome(code=code, actor=Actor(rules.PLAYER, seats[0].pk), take_id=first.pending)
    assert lost.value.code == "card_taken"


def test_the_slower_taker_who_asks_first_decides_the_race_and_loses_it(deck):
    code, seats, first, fastest = race(deck, 3)
    with pytest.raises(rules.RuleError) as lost:
        takes.race_outcome(code=code, actor=Actor(rules.PLAYER, seats[0].pk), take_id=first.pending)
    assert lost.value.code == "card_taken"
    winner = takes.race_outcome(
        code=code, actor=Actor(rules.PLAYER, seats[1].pk), take_id=fastest.pending
    )
    assert winner.reply["outcome"] == "won"
    assert Seat.objects.get(pk=seats[1].pk).score == 1
