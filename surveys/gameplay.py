"""A research group's games read from the database: its rooms, their confusion pairs summed,
and each seat's figures beside the answers given from that seat (Response.seat).

Selectors only; the counting is pure (games/debrief.py, surveys/play_figures.py) and so are
the statistics (surveys/analysis.py). No pandas at import: the exports stream without it.
Anonymous by construction: nicknames, addresses and browsers are never read here; a seat is
known by its number only, and a person by the response's export id (``web-<n>``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from games import debrief
from games.models import BoardCard, Room, Take
from surveys.models import Group, Response
from surveys.play_figures import SeatFigures, seat_figures, value_in_game
from surveys.text import normalize_text


def group_rooms(group: Group) -> list[Room]:
    """The group's rooms that still exist, by code (as ``game_report --group`` finds them)."""
    codes = list(group.rooms.values_list("room_code", flat=True))
    return list(Room.objects.filter(code__in=codes).order_by("code"))


SEATS_PER_QUERY = 1000  # well under SQLite's limit on a query's parameters


def figures_for_seats(seat_ids: Iterable[int | None]) -> dict[int, SeatFigures]:
    """Each seat's game figures (two queries per thousand seats: their takes, and the cards
    they took)."""
    ids = sorted({i for i in seat_ids if i})
    figures: dict[int, SeatFigures] = {}
    for start in range(0, len(ids), SEATS_PER_QUERY):
        figures.update(_figures(ids[start : start + SEATS_PER_QUERY]))
    return figures


def _figures(ids: list[int]) -> dict[int, SeatFigures]:
    taps = (
        Take.objects.filter(seat__in=ids)
        .order_by("created_at", "pk")
        .values_list(
            "seat_id", "read_card__value_type__number", "card__value_type__number",
            "correct", "created_at",
        )
    )  # fmt: skip
    cards = BoardCard.objects.filter(taken_by__in=ids).values_list(
        "value_type__number", "read_order", "read_at", "taken_at", "taken_by_id",
        "timed_out", "skipped",
    )  # fmt: skip
    return seat_figures(ids, (debrief.Tap(*t) for t in taps), (debrief.Card(*c) for c in cards))


def response_figures(responses) -> dict[int, SeatFigures]:
    """Response id → its seat's figures, for the responses answered from a seat."""
    seats = dict(responses.filter(seat__isnull=False).values_list("pk", "seat_id"))
    figures = figures_for_seats(seats.values())
    return {pk: figures[seat] for pk, seat in seats.items() if seat in figures}


@dataclass
class SeatAnswers:
    """One seat: its game figures and what was answered from it."""

    figures: SeatFigures
    room: str
    respondents: list[str] = field(default_factory=list)  # export ids, questionnaire 1 first
    answers: dict = field(default_factory=dict)  # questionnaire 2's (B2, D2, A2, …)
    named: list[tuple[str, int | None, str]] = field(
        default_factory=list
    )  # A2: text, value, status


def seat_answers(group: Group, aliases: dict[str, int]) -> list[SeatAnswers]:
    """The group's seats that answered a questionnaire from the end screen, in the order of
    their first response."""
    rows = (
        group.responses()
        .filter(seat__isnull=False)
        .order_by("questionnaire", "pk")
        .values_list("pk", "seat_id", "room_code", "questionnaire", "answers")
    )
    rows = list(rows)
    figures = figures_for_seats(seat for _pk, seat, *_rest in rows)
    seats: dict[int, SeatAnswers] = {}
    for _pk, seat, room, *_rest in sorted(rows, key=lambda r: r[0]):
        if seat in figures and seat not in seats:
            seats[seat] = SeatAnswers(figures[seat], room)
    for pk, seat, _room, questionnaire, answers in rows:
        if seat not in seats:
            continue
        entry = seats[seat]
        entry.respondents.append(Response(pk=pk, source=Response.WEB).export_id)
        if questionnaire == 2:
            entry.answers = answers
            for text in answers.get("A2") or []:
                number = aliases.get(normalize_text(text))
                entry.named.append((text, number, value_in_game(number, entry.figures)))
    return list(seats.values())
