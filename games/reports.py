"""A finished game's debrief read from the database (games/debrief.py does the counting), and
its CSV rows: the confusion pairs and the cards, value names in English."""

from __future__ import annotations

from collections.abc import Iterable

from games import debrief
from games.models import BoardCard, Room, Take, ValueType

CONFUSION_HEADER = ["read_number", "read_value", "taken_number", "taken_value", "count"]
CARDS_HEADER = ["number", "value", "outcome", "takes_before", "reading_to_take_ms"]


def taps(rooms: Iterable[Room] | Iterable[int]) -> list[debrief.Tap]:
    """Every take of these rooms (rooms or their ids), oldest first."""
    rows = (
        Take.objects.filter(room__in=list(rooms))
        .order_by("created_at", "pk")
        .values_list(
            "seat_id", "read_card__value_type__number", "card__value_type__number",
            "correct", "created_at",
        )
    )  # fmt: skip
    return [debrief.Tap(*row) for row in rows]


def cards(room: Room) -> list[debrief.Card]:
    rows = BoardCard.objects.filter(room=room).values_list(
        "value_type__number", "read_order", "read_at", "taken_at", "taken_by_id",
        "timed_out", "skipped",
    )  # fmt: skip
    return [debrief.Card(*row) for row in rows]


def value_names(lang: str = "en") -> dict[int, str]:
    return {v.number: v.text("name", lang) for v in ValueType.objects.all()}


def confusion_rows(pairs: Iterable[debrief.Pair], names: dict[int, str]) -> list[list]:
    return [
        [p.read, names.get(p.read, ""), p.taken, names.get(p.taken, ""), p.count] for p in pairs
    ]


def card_rows(figures: Iterable[debrief.CardFigures], names: dict[int, str]) -> list[list]:
    return [
        [
            f.number, names.get(f.number, ""), f.outcome, f.takes_before,
            "" if f.reading_to_take_ms is None else f.reading_to_take_ms,
        ]
        for f in figures
    ]  # fmt: skip
