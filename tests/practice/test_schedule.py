"""The review's choice of values, and the memory's ratings: pure, no database."""

from datetime import UTC, datetime, timedelta

from practice import memory, schedule, scoring
from practice.scoring import Round

NOW = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
FIELDS = {n: ("economics" if n <= 7 else "marketing") for n in range(1, 25)}


def test_it_brings_a_value_answered_wrong_back_sooner_than_one_answered_right():
    wrong, wrong_due = memory.review(None, 3, scoring.AGAIN, NOW)
    right, right_due = memory.review(None, 4, scoring.GOOD, NOW)
    assert wrong_due < right_due
    # and after a second review, the gap widens: the right one graduates to days
    _, wrong_due = memory.review(wrong, 3, scoring.AGAIN, wrong_due)
    _, right_due = memory.review(right, 4, scoring.GOOD, right_due)
    assert right_due - wrong_due > timedelta(hours=12)


def test_it_rates_the_first_take_and_its_speed():
    assert scoring.rating(Round(1, (), 3000), "normal") == scoring.GOOD
    assert scoring.rating(Round(1, (), 9000), "normal") == scoring.HARD
    assert scoring.rating(Round(1, (), 9000), "slow") == scoring.GOOD  # a slower reading
    assert scoring.rating(Round(1, (5,), 1000), "normal") == scoring.AGAIN


def test_it_deals_the_due_values_most_overdue_first():
    memories = [
        (5, NOW - timedelta(hours=1)),
        (2, NOW - timedelta(days=2)),
        (9, NOW + timedelta(days=3)),
    ]
    assert schedule.due(memories, NOW) == [2, 5]
    # a value in learning (due in a minute) is dealt now too; one due tomorrow is not
    assert schedule.due([(7, NOW + timedelta(minutes=1)), (8, NOW + timedelta(days=1))], NOW) == [7]


def test_it_places_each_due_value_next_to_the_value_it_is_most_confused_with():
    memories = [
        (3, NOW - timedelta(days=3)),
        (10, NOW - timedelta(days=2)),
        (20, NOW - timedelta(days=1)),
    ]
    own = {(3, 5): 2, (3, 1): 1, (20, 21): 1, (22, 10): 3}
    dealt = schedule.review_deal(memories, NOW, own=own, common={}, fields=FIELDS)
    assert dealt == [3, 5, 10, 22, 20, 21]
    for a, b in [(3, 5), (10, 22), (20, 21)]:
        assert abs(dealt.index(a) - dealt.index(b)) == 1


def test_its_own_confusions_come_before_everyones_then_the_field():
    common = {(3, 7): 9}
    assert schedule.partner(3, own={(3, 5): 1}, common=common, fields=FIELDS) == 5
    assert schedule.partner(3, own={}, common=common, fields=FIELDS) == 7
    assert schedule.partner(3, own={}, common={}, fields=FIELDS) == 2


def test_a_partner_dealt_already_pulls_the_value_next_to_it():
    memories = [
        (1, NOW - timedelta(days=5)),
        (4, NOW - timedelta(days=4)),
        (2, NOW - timedelta(days=3)),
    ]
    own = {(1, 2): 1, (4, 6): 1, (2, 1): 1}
    dealt = schedule.review_deal(memories, NOW, own=own, common={}, fields=FIELDS)
    assert dealt == [1, 2, 4, 6]


def test_confused_pairs_stay_within_the_gap_in_a_full_review():
    memories = [(n, NOW - timedelta(hours=n)) for n in range(1, 25)]
    own = {(n, 25 - n): 1 for n in range(1, 13)}
    dealt = schedule.review_deal(memories, NOW, own=own, common={}, fields=FIELDS, limit=24)
    assert sorted(dealt) == list(range(1, 25))
    for n in range(1, 13):
        assert abs(dealt.index(n) - dealt.index(25 - n)) <= schedule.MAX_GAP


def test_nothing_due_deals_nothing():
    assert (
        schedule.review_deal([(1, NOW + timedelta(days=1))], NOW, own={}, common={}, fields=FIELDS)
        == []
    )


def test_time_attack_adds_the_penalties_and_ranks_by_score_alone():
    assert scoring.score_ms(scoring.TIME_ATTACK, 60_000, 2) == 60_000 + 2 * scoring.PENALTY_MS
    assert scoring.score_ms(scoring.NORMAL, 60_000, 2) == 60_000
    assert scoring.is_best(scoring.NORMAL, wrong=0, score=90_000, previous=(1, 50_000))
    assert not scoring.is_best(scoring.TIME_ATTACK, wrong=0, score=90_000, previous=(1, 55_000))
    assert scoring.is_best(scoring.TIME_ATTACK, wrong=0, score=1, previous=None)
