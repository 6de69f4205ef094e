"""The rules of solo karuta, pure: modes, scores, personal bests and the rating each answer
gives the value's memory (no Django, no database).

The rating rule (docs/practice.md):
- right at the first take and within the pace's quick time → Good;
- right at the first take but slower than that → Hard;
- any wrong take before the right one → Again (the value read; the value taken instead is
  not rated, it is recorded as a confusion with the one read).
In class (a finished room's takes): the cards the seat won with no wrong take while they were
read → Good; any wrong take while a card was read → Again for that card. A card someone else
won without this seat tapping tells nothing about this seat: no rating.
"""

from __future__ import annotations

from dataclasses import dataclass

NORMAL = "normal"
TIME_ATTACK = "time_attack"
MODES = (NORMAL, TIME_ATTACK)

# Reading paces: how many times faster than the normal pace the text is revealed.
PACES = {"slow": 0.7, "normal": 1.0, "fast": 1.5}
# Time-attack: what each wrong take adds to the total time.
PENALTY_MS = 5000
# A right first take later than this (at the normal pace, scaled by the pace) is rated Hard.
QUICK_MS = 8000

AGAIN, HARD, GOOD = 1, 2, 3  # fsrs.Rating's values (practice/memory.py maps them)


@dataclass(frozen=True)
class Round:
    """One yomifuda of a solo game: the value read, the wrong values taken before the right
    one (in order), and the milliseconds from the start of reading to the right take."""

    read: int
    wrong: tuple[int, ...]
    ms: int


def quick_ms(pace: str) -> int:
    return round(QUICK_MS / PACES.get(pace, 1.0))


def rating(round_: Round, pace: str) -> int:
    if round_.wrong:
        return AGAIN
    return GOOD if round_.ms <= quick_ms(pace) else HARD


def class_rating(*, won: bool, wrong: int) -> int | None:
    """A card read in class: Again after a wrong take on it, Good when won cleanly."""
    if wrong:
        return AGAIN
    return GOOD if won else None


def penalty_ms(mode: str, wrong: int) -> int:
    return PENALTY_MS * wrong if mode == TIME_ATTACK else 0


def score_ms(mode: str, elapsed_ms: int, wrong: int) -> int:
    """Time-attack: the total time plus the penalties; normal: the time itself."""
    return elapsed_ms + penalty_ms(mode, wrong)


def best_key(mode: str, *, wrong: int, score: int) -> tuple[int, ...]:
    """What ranks two games of a mode (smaller is better): normal counts the wrong takes
    first, then the time; time-attack only its score (the penalties are in it)."""
    return (score,) if mode == TIME_ATTACK else (wrong, score)


def is_best(mode: str, *, wrong: int, score: int, previous: tuple[int, int] | None) -> bool:
    """Is this game a personal best, ``previous`` being the best (wrong, score) before it?"""
    if previous is None:
        return True
    return best_key(mode, wrong=wrong, score=score) < best_key(
        mode, wrong=previous[0], score=previous[1]
    )


def accuracy(rounds: list[Round]) -> float:
    """Right takes among all takes (a wrong take shows the answer: that card has no right take)."""
    right = sum(1 for r in rounds if not r.wrong)
    takes = right + sum(len(r.wrong) for r in rounds)
    return right / takes if takes else 0.0
