"""The pure figures of a practice assignment (practice/assignments.py): completion per student,
accuracy per value, the confusion map. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from practice import assignments as A

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


STUDENTS = [A.Student(1, "ben", at(0)), A.Student(2, "Aki", at(1)), A.Student(3, "Chi", at(2))]
READINGS = [
    # Aki, two rounds of cards 1 and 2
    A.Reading(2, 10, 1, (), at(5)),
    A.Reading(2, 10, 2, (1,), at(5)),
    A.Reading(2, 11, 1, (), at(9)),
    A.Reading(2, 11, 2, (), at(9)),
    # ben, one round, two wrong takes on card 1
    A.Reading(1, 12, 1, (2, 2), at(7)),
    A.Reading(1, 12, 2, (), at(7)),
    # somebody not enrolled: ignored
    A.Reading(9, 13, 1, (2,), at(8)),
]


def test_it_counts_rounds_accuracy_and_last_activity_per_student_by_nickname():
    rows = A.completion(STUDENTS, READINGS, required=2)
    assert [r.nickname for r in rows] == ["Aki", "ben", "Chi"]
    aki, ben, chi = rows
    assert (aki.rounds_done, aki.right, aki.wrong, aki.complete) == (2, 3, 1, True)
    assert aki.accuracy == 3 / 4 and aki.last_activity == at(9)
    assert (ben.rounds_done, ben.right, ben.wrong, ben.complete) == (1, 1, 2, False)
    assert ben.accuracy == 1 / 3 and ben.last_activity == at(7)
    assert (chi.rounds_done, chi.accuracy, chi.last_activity) == (0, None, at(2))  # joined only


def test_it_gives_each_value_right_takes_over_times_read_weakest_first():
    rows = A.value_accuracy(READINGS, enrolled={1, 2, 3})
    assert [(r.number, r.right, r.read) for r in rows] == [(1, 2, 3), (2, 2, 3)]
    assert rows[0].accuracy == 2 / 3


def test_the_confusion_map_counts_every_wrong_take_of_the_enrolled():
    pairs = A.confusion_pairs(READINGS, enrolled={1, 2, 3})
    assert [(p.read, p.taken, p.count) for p in pairs] == [(1, 2, 2), (2, 1, 1)]


def test_an_assignment_closes_at_its_deadline():
    assert not A.closed(at(10), now=at(9))
    assert A.closed(at(10), now=at(10))


def test_card_sets_name_what_is_played():
    assert A.card_set("all", "", []) == "all"
    assert A.card_set("field", "economics", []) == "field:economics"
    assert A.card_set("list", "", [9, 1, 5, 5]) == "cards:1,5,9"


def test_codes_are_long_and_of_an_unambiguous_alphabet():
    codes = {A.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == A.CODE_LENGTH and set(c) <= set(A.CODE_ALPHABET) for c in codes)
    assert A.valid_code(next(iter(codes))) and not A.valid_code("abc") and not A.valid_code("")
