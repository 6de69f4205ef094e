"""What the end of a game shows each player on their phone (their review) and the room on the
projector (its debrief): built here from the stored takes, counted by games/debrief.py.

A seat's review holds only that seat's data: the cards it took, the pairs it confused (the
value read and the value it took instead, each with its card's back: name, picture, concept
line, so the two can be told apart) and the cards to practise. The projector's debrief holds
the room's most-confused pairs and counts, never who confused what. Both travel in the
``finished`` event (a personal part per seat, the screens' part) and in the snapshot of a
finished room (docs/protocol.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from games import debrief, reports, rules
from games.models import BoardCard, Room, Seat, Take, ValueType

# The projector shows this many pairs, large enough for the back row; the rest are counted.
SCREEN_PAIRS = 3


def _texts(value: ValueType, part: str, langs: tuple[str, ...]) -> dict:
    return {lang: value.text(part, lang) for lang in langs}


def value_shown(value: ValueType, langs: tuple[str, ...], *, concept: bool) -> dict:
    """A card as the board draws it (number, field, colour, picture, name), with its concept
    line when it is shown as a back."""
    shown = {
        "number": value.number,
        "field": value.field.code,
        "color": value.field.color,
        "image": value.image_url(),
        "name": _texts(value, "name", langs),
    }
    if concept:
        shown["concept"] = _texts(value, "concept", langs)
    return shown


def practise_numbers(pairs: Iterable[debrief.Pair]) -> list[int]:
    """The cards to practise: both values of each pair, most-confused pair first, each once."""
    return list(dict.fromkeys(n for p in pairs for n in (p.read, p.taken)))


def _pairs_shown(pairs: Iterable[debrief.Pair], values: dict, langs) -> list[dict]:
    return [
        {
            "read": value_shown(values[p.read], langs, concept=True),
            "taken": value_shown(values[p.taken], langs, concept=True),
            "count": p.count,
        }
        for p in pairs
    ]


def _values() -> dict[int, ValueType]:
    return {v.number: v for v in ValueType.objects.select_related("field")}


def _hands(room: Room, seat: int | None = None) -> dict[int, list[int]]:
    """The card numbers each seat took, in taking order (one seat's, or every seat's)."""
    cards = BoardCard.objects.filter(room=room, taken_by__isnull=False)
    if seat is not None:
        cards = cards.filter(taken_by_id=seat)
    hands: dict[int, list[int]] = {}
    rows = cards.order_by("taken_at", "pk").values_list("taken_by_id", "value_type__number")
    for taker, number in rows:
        hands.setdefault(taker, []).append(number)
    return hands


def _review(taken: list[int], pairs: list[debrief.Pair], values: dict, langs) -> dict:
    return {
        "taken": [value_shown(values[n], langs, concept=False) for n in taken],
        "pairs": _pairs_shown(pairs, values, langs),
        "practise": practise_numbers(pairs),
    }


def seat_review(room: Room, seat: int, langs: tuple[str, ...]) -> dict:
    """One seat's review (for its snapshot): three queries, its own rows only."""
    rows = (
        Take.objects.filter(room=room, seat_id=seat)
        .order_by("created_at", "pk")
        .values_list(
            "seat_id", "read_card__value_type__number", "card__value_type__number",
            "correct", "created_at",
        )
    )  # fmt: skip
    taps = [debrief.Tap(*row) for row in rows]
    return _review(
        _hands(room, seat).get(seat, []), debrief.confused_by(seat, taps), _values(), langs
    )


def reviews(room: Room, langs: tuple[str, ...]) -> dict[int, dict]:
    """Every active seat's review at once (for the ``finished`` event): four queries."""
    taps = reports.taps([room])
    values = _values()
    hands = _hands(room)
    seats = Seat.objects.filter(room=room, status=rules.ACTIVE).values_list("pk", flat=True)
    return {
        seat: _review(hands.get(seat, []), debrief.confused_by(seat, taps), values, langs)
        for seat in seats
    }


def room_debrief(room: Room, langs: tuple[str, ...]) -> dict:
    """The projector's debrief: the most-confused pairs with both backs and their counts, how
    many more pairs there were, the room's wrong and right takes. No seat, no nickname."""
    taps = reports.taps([room])
    pairs = debrief.confusion_pairs(taps)
    return {
        "pairs": _pairs_shown(pairs[:SCREEN_PAIRS], _values(), langs),
        "more": max(0, len(pairs) - SCREEN_PAIRS),
        "wrong": sum(p.count for p in pairs),
        "right": sum(1 for t in taps if t.correct),
    }
