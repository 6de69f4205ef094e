"""A finished game's debrief read from the database (games/debrief.py does the counting), and
its CSV rows: the confusion pairs and the cards, value names in English."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from games import debrief
from games.models import BoardCard, Room, Seat, Take, ValueType

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


@dataclass(frozen=True)
class PairShown:
    read: ValueType
    taken: ValueType
    count: int


@dataclass(frozen=True)
class CardShown:
    value: ValueType
    figures: debrief.CardFigures
    taken_by: str  # the winner's nickname ("" when nobody took it)

    @property
    def seconds(self) -> float | None:
        ms = self.figures.reading_to_take_ms
        return None if ms is None else ms / 1000


@dataclass(frozen=True)
class PlayerShown:
    nickname: str
    score: int
    figures: debrief.PlayerFigures

    @property
    def accuracy_percent(self) -> int | None:
        accuracy = self.figures.accuracy
        return None if accuracy is None else round(accuracy * 100)


@dataclass(frozen=True)
class Debrief:
    pairs: list[PairShown]
    cards: list[CardShown]
    players: list[PlayerShown]  # most accurate first
    wrong_takes: int
    flagged: int = 0  # fair races' takes not trusted (games/fairness.py: inhuman, claim_too_fast)


def room_debrief(room: Room) -> Debrief:
    """The host's debrief of one room, with the values and nicknames to show (four queries)."""
    room_taps = taps([room])
    values = {v.number: v for v in ValueType.objects.select_related("field")}
    seats = {s.pk: s for s in Seat.objects.filter(room=room)}
    pairs = debrief.confusion_pairs(room_taps)
    figures = debrief.card_figures(cards(room), room_taps)
    players = {p.seat: p for p in debrief.player_figures(list(seats), room_taps)}
    ranked = debrief.by_accuracy(players.values())
    return Debrief(
        pairs=[PairShown(values[p.read], values[p.taken], p.count) for p in pairs],
        cards=[
            CardShown(
                values[f.number], f, seats[f.taken_by].nickname if f.taken_by in seats else ""
            )
            for f in figures
        ],
        players=[PlayerShown(seats[p.seat].nickname, seats[p.seat].score, p) for p in ranked],
        wrong_takes=sum(p.count for p in pairs),
        flagged=Take.objects.filter(room=room).exclude(flag="").count(),
    )


def csv_table(rooms: list[Room], *, per_card: bool) -> tuple[list[str], list[list]]:
    """The header and rows of a debrief CSV: the rooms' confusion pairs summed, or (per_card)
    the first room's cards; value names in English."""
    room_taps = taps(rooms)
    names = value_names("en")
    if per_card:
        return CARDS_HEADER, card_rows(debrief.card_figures(cards(rooms[0]), room_taps), names)
    return CONFUSION_HEADER, confusion_rows(debrief.confusion_pairs(room_taps), names)
