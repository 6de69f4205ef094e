"""A practice assignment's figures, pure (no Django, no database): each student's completion,
each value's accuracy and the class's confusion map, from the answers of the assignment's
results. The confusion map is games/debrief.py's, so the teacher reads it as a room's debrief.

Accuracy follows solo practice (practice/scoring.py): a student's accuracy is right takes over
all takes (a wrong take shows the answer, so that reading has no right take); a value's
accuracy is its right takes over the times it was read.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from games import debrief

# Long enough not to be guessed (29^10 ≈ 4e14), short enough to type from a projector, of the
# device code's alphabet (no 0/O, 1/I/L, U/V). Fits Result.assignment_code (16).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 10
ROUNDS_MAX = 20
TITLE_MAX = 80


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def valid_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def card_set(kind: str, field: str, values: Iterable[int]) -> str:
    """The card set key a round of these cards posts (practice/results.py CARD_SET)."""
    if kind == "field":
        return f"field:{field}"
    if kind == "list":
        return "cards:" + ",".join(str(n) for n in sorted(set(values)))
    return "all"


def closed(deadline: datetime, *, now: datetime) -> bool:
    return now >= deadline


@dataclass(frozen=True)
class Student:
    key: int  # the learner
    nickname: str
    joined_at: datetime


@dataclass(frozen=True)
class Reading:
    """One yomifuda of an assignment's result: whose, which result, the value read, the values
    wrongly taken before it was shown, when the result arrived."""

    student: int
    result: int
    read: int
    wrong: tuple[int, ...]
    at: datetime


@dataclass(frozen=True)
class Completion:
    key: int
    nickname: str
    rounds_done: int
    rounds_required: int
    right: int
    wrong: int
    last_activity: datetime

    @property
    def complete(self) -> bool:
        return self.rounds_done >= self.rounds_required

    @property
    def accuracy(self) -> float | None:
        takes = self.right + self.wrong
        return self.right / takes if takes else None

    @property
    def accuracy_percent(self) -> int | None:
        return None if self.accuracy is None else round(self.accuracy * 100)


@dataclass(frozen=True)
class ValueAccuracy:
    number: int
    right: int
    read: int

    @property
    def accuracy(self) -> float:
        return self.right / self.read if self.read else 0.0

    @property
    def accuracy_percent(self) -> int:
        return round(self.accuracy * 100)


def completion(
    students: Iterable[Student], readings: Iterable[Reading], *, required: int
) -> list[Completion]:
    """Every student, by nickname (case-insensitive), with the rounds they sent."""
    readings = list(readings)
    rows = []
    for student in students:
        own = [r for r in readings if r.student == student.key]
        rows.append(
            Completion(
                key=student.key,
                nickname=student.nickname,
                rounds_done=len({r.result for r in own}),
                rounds_required=required,
                right=sum(1 for r in own if not r.wrong),
                wrong=sum(len(r.wrong) for r in own),
                last_activity=max([student.joined_at, *(r.at for r in own)]),
            )
        )
    return sorted(rows, key=lambda row: (row.nickname.casefold(), row.key))


def value_accuracy(
    readings: Iterable[Reading], *, enrolled: Collection[int]
) -> list[ValueAccuracy]:
    """Each value read, weakest first (then by number)."""
    read: Counter[int] = Counter()
    right: Counter[int] = Counter()
    for r in readings:
        if r.student not in enrolled:
            continue
        read[r.read] += 1
        right[r.read] += 0 if r.wrong else 1
    rows = [ValueAccuracy(n, right[n], read[n]) for n in read]
    return sorted(rows, key=lambda row: (row.accuracy, row.number))


def confusion_pairs(
    readings: Iterable[Reading], *, enrolled: Collection[int]
) -> list[debrief.Pair]:
    """The class's confusion map: every wrong take as a (read, taken) pair, as in a room."""
    taps = (
        debrief.Tap(seat=r.student, read=r.read, taken=taken, correct=False, at=r.at)
        for r in readings
        if r.student in enrolled
        for taken in r.wrong
    )
    return debrief.confusion_pairs(taps)
