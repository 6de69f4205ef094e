"""A learner's memory of one value, scheduled by FSRS (the ``fsrs`` package): pure, no Django.

The memory is kept as fsrs' own Card dictionary (``Card.to_dict``) with its due time beside
it, so the stored state is exactly what the scheduler reads back. Fuzzing is off: it spreads
many cards' reviews over days, which 24 values do not need, and a deterministic schedule can
be tested.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from practice import scoring

SCHEDULER = Scheduler(enable_fuzzing=False)
RATINGS = {scoring.AGAIN: Rating.Again, scoring.HARD: Rating.Hard, scoring.GOOD: Rating.Good}


def review(state: dict | None, number: int, rating: int, at: datetime) -> tuple[dict, datetime]:
    """The memory after a review rated ``rating`` at ``at``: (new state, its due time)."""
    card = Card.from_dict(state) if state else Card(card_id=number, due=at.astimezone(UTC))
    utc = at.astimezone(UTC)
    if card.last_review and card.last_review > utc:
        utc = card.last_review  # a late-arriving result must not step the card back in time
    card, _log = SCHEDULER.review_card(card, RATINGS[rating], review_datetime=utc)
    return card.to_dict(), card.due
