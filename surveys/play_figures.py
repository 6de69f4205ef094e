"""What each seat did in its game, set beside what its player answered: pure (plain rows in,
figures out; no database, no pandas), built on the counting of games/debrief.py, so the
research page and the exports (which stream without pandas) share one computation.

Nothing here knows who a player is: a seat is a number, never a nickname.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from games import debrief

# Accuracy bands for B2 and D2 (lower bound included, upper excluded; the last includes 100 %).
BANDS = (("low", 0.0, 0.5), ("middle", 0.5, 0.8), ("high", 0.8, 1.01))

TAKEN, CONFUSED, BOTH, NEITHER, NOT_IN_DECK = (
    "taken", "confused", "taken;confused", "neither", "not_in_deck"
)  # fmt: skip
EXPORT_HEADER = [
    "game_cards_taken", "game_wrong_takes", "game_accuracy", "game_values_confused",
    "game_median_take_ms",
]  # fmt: skip
VALUE_IN_GAME = "value_in_game"


@dataclass(frozen=True)
class SeatFigures:
    seat: int
    cards_taken: int
    correct: int  # right takes (each one won its card)
    wrong: int
    confused: frozenset[int]  # value numbers of the seat's wrong takes: read or taken instead
    taken: frozenset[int]  # value numbers of the cards the seat took
    median_take_ms: int | None  # over the cards it took, from the reading's start to the take
    pairs: tuple[debrief.Pair, ...]  # its confusions, most frequent first

    @property
    def accuracy(self) -> float | None:
        """Right takes among all takes, as on the host's debrief; None for one who never took."""
        return debrief.PlayerFigures(self.seat, self.correct, self.wrong).accuracy


def seat_figures(
    seats: Iterable[int], taps: Iterable[debrief.Tap], taken_cards: Iterable[debrief.Card]
) -> dict[int, SeatFigures]:
    """Each seat's figures from its own takes and the cards it took (every seat given, even
    one that never took)."""
    taps = list(taps)
    times: dict[int, list[int]] = {}
    numbers: dict[int, set[int]] = {}
    for card in debrief.card_figures(taken_cards, []):
        if card.taken_by is None:
            continue
        numbers.setdefault(card.taken_by, set()).add(card.number)
        if card.reading_to_take_ms is not None:
            times.setdefault(card.taken_by, []).append(card.reading_to_take_ms)
    seats = list(seats)
    players = {p.seat: p for p in debrief.player_figures(seats, taps)}
    out = {}
    for seat in seats:
        pairs = tuple(debrief.confused_by(seat, taps))
        ms = times.get(seat)
        out[seat] = SeatFigures(
            seat=seat,
            cards_taken=len(numbers.get(seat, ())),
            correct=players[seat].correct,
            wrong=players[seat].wrong,
            confused=frozenset(n for p in pairs for n in (p.read, p.taken)),
            taken=frozenset(numbers.get(seat, ())),
            median_take_ms=round(statistics.median(ms)) if ms else None,
            pairs=pairs,
        )
    return out


def band(accuracy: float | None) -> str | None:
    if accuracy is None:
        return None
    return next(name for name, low, high in BANDS if low <= accuracy < high)


def value_in_game(number: int | None, figures: SeatFigures | None) -> str:
    """What the player did with a value they named: taken, confused, both or neither; "" when
    there is no game (no seat) or the text names no deck value."""
    if figures is None:
        return ""
    if number is None:
        return NOT_IN_DECK
    taken, confused = number in figures.taken, number in figures.confused
    if taken and confused:
        return BOTH
    return TAKEN if taken else CONFUSED if confused else NEITHER


def named_summary(statuses: Iterable[str]) -> dict[str, int]:
    """How many named values were taken / confused / neither / not in the deck (a value both
    taken and confused counts in both)."""
    statuses = [s for s in statuses if s]
    return {
        "named": len(statuses),
        TAKEN: sum(s in (TAKEN, BOTH) for s in statuses),
        CONFUSED: sum(s in (CONFUSED, BOTH) for s in statuses),
        NEITHER: statuses.count(NEITHER),
        NOT_IN_DECK: statuses.count(NOT_IN_DECK),
    }


def export_cells(figures: SeatFigures | None) -> list:
    """The long export's game columns for one response (empty without a seat)."""
    if figures is None:
        return [""] * len(EXPORT_HEADER)
    accuracy = figures.accuracy
    return [
        figures.cards_taken,
        figures.wrong,
        "" if accuracy is None else round(accuracy, 4),
        len(figures.confused),
        "" if figures.median_take_ms is None else figures.median_take_ms,
    ]
