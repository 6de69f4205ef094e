"""What a finished game teaches: which values were confused with which, how each card went and
how accurate each player was. Pure: plain rows in, figures out (no Django, no database), so
the debrief page, the ``game_report`` command and the research pages share one computation.

Every wrong take is a pair, the value that was read and the value that was taken; a player
who taps the same wrong card twice makes the pair count twice, as it cost them twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

TAKEN = "taken"
TIMED_OUT = "timed_out"
SKIPPED = "skipped"
NOT_READ = "not_read"
OUTCOMES = (TAKEN, TIMED_OUT, SKIPPED, NOT_READ)


@dataclass(frozen=True)
class Tap:
    """One take, right or wrong: who, which value was being read, which value they took."""

    seat: int
    read: int  # the read card's value number
    taken: int  # the taken card's value number
    correct: bool
    at: datetime


@dataclass(frozen=True)
class Card:
    """One card of the board as the game left it."""

    number: int
    read_order: int
    read_at: datetime | None
    taken_at: datetime | None
    taken_by: int | None  # seat
    timed_out: bool
    skipped: bool


@dataclass(frozen=True)
class Pair:
    read: int
    taken: int
    count: int


@dataclass(frozen=True)
class CardFigures:
    number: int
    outcome: str  # one of OUTCOMES
    takes_before: int  # wrong takes while it was read, before it was decided
    reading_to_take_ms: int | None  # from the reading's start to the winning take
    taken_by: int | None


@dataclass(frozen=True)
class PlayerFigures:
    seat: int
    correct: int
    wrong: int

    @property
    def accuracy(self) -> float | None:
        """Right takes among all takes; None for a player who never took."""
        tapped = self.correct + self.wrong
        return self.correct / tapped if tapped else None


def confusion_pairs(taps: Iterable[Tap]) -> list[Pair]:
    """Wrong takes as (read, taken) pairs, most frequent first, then by card numbers."""
    counts = Counter((t.read, t.taken) for t in taps if not t.correct)
    return [
        Pair(read, taken, count)
        for (read, taken), count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


def outcome(card: Card) -> str:
    if card.taken_by is not None or card.taken_at is not None:
        return TAKEN
    if card.skipped:
        return SKIPPED
    if card.timed_out:
        return TIMED_OUT
    return NOT_READ


def card_figures(cards: Iterable[Card], taps: Iterable[Tap]) -> list[CardFigures]:
    """Each card in reading order: how it ended, the wrong takes before that, the time it took."""
    wrong_while_read: dict[int, list[datetime]] = {}
    for tap in taps:
        if not tap.correct:
            wrong_while_read.setdefault(tap.read, []).append(tap.at)
    figures = []
    for card in sorted(cards, key=lambda c: c.read_order):
        ended = outcome(card)
        wrong = wrong_while_read.get(card.number, [])
        if card.taken_at is not None:
            wrong = [at for at in wrong if at <= card.taken_at]
        elapsed = None
        if ended == TAKEN and card.read_at is not None and card.taken_at is not None:
            elapsed = round((card.taken_at - card.read_at).total_seconds() * 1000)
        figures.append(CardFigures(card.number, ended, len(wrong), elapsed, card.taken_by))
    return figures


def player_figures(seats: Iterable[int], taps: Iterable[Tap]) -> list[PlayerFigures]:
    """Right and wrong takes per seat, in the order the seats are given (every seat, even one
    that never took)."""
    right = Counter(t.seat for t in taps if t.correct)
    wrong = Counter(t.seat for t in taps if not t.correct)
    return [PlayerFigures(seat, right[seat], wrong[seat]) for seat in seats]


def by_accuracy(players: Iterable[PlayerFigures]) -> list[PlayerFigures]:
    """Most accurate first (then most right takes); players who never took last."""
    return sorted(
        players,
        key=lambda p: (p.accuracy is None, -(p.accuracy or 0), -p.correct, p.seat),
    )


def confused_by(seat: int, taps: Iterable[Tap]) -> list[Pair]:
    """One player's confusions, most frequent first."""
    return confusion_pairs(t for t in taps if t.seat == seat)
