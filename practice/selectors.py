"""Reads for solo practice: the learner of a request, the round a page carries, the memory and
confusions a review is dealt from, and (read-only) the games data a class import needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F

from games import rules as game_rules
from games.models import Room, Seat, Take, ValueType
from practice import assignments, learners
from practice.models import (
    Answer,
    Assignment,
    ClassImport,
    Confusion,
    Device,
    Enrolment,
    Learner,
    Memory,
    Result,
)

LANGS = {"ja": ("ja",), "en": ("en",), "both": ("ja", "en")}


def learner_of(token: str | None) -> Learner | None:
    if not token or not isinstance(token, str) or len(token) > learners.TOKEN_MAX:
        return None
    device = Device.objects.filter(token_hash=learners.token_hash(token)).select_related("learner")
    found = device.first()
    return found.learner if found else None


def request_learner(request, token: str | None = None) -> Learner | None:
    """The learner of a token sent in a POST body, else of the browser's cookie."""
    return learner_of(token) or learner_of(request.COOKIES.get(learners.COOKIE))


def deck() -> dict[int, ValueType]:
    return {v.number: v for v in ValueType.objects.select_related("field")}


def deck_fields() -> dict[int, str]:
    return dict(ValueType.objects.values_list("number", "field__code"))


def _texts(value: ValueType, part: str, langs) -> dict:
    return {lang: value.text(part, lang) for lang in langs}


def round_card(value: ValueType, langs: tuple[str, ...]) -> dict:
    """A card as the solo page needs it offline: its front, its concept line, the yomifuda
    (without the card's name, as a room reads it by default)."""
    read = {}
    for lang in langs:
        text = " ".join((value.text("overview", lang), value.text("explanation", lang)))
        read[lang] = game_rules.hide_name(text, (value.name_ja, value.name_en), lang)
    return {
        "number": value.number,
        "field": value.field.code,
        "image": value.image_url(),
        "name": _texts(value, "name", langs),
        "concept": _texts(value, "concept", langs),
        "read": read,
    }


def round_cards(numbers: list[int], langs: tuple[str, ...]) -> list[dict]:
    values = deck()
    return [round_card(values[n], langs) for n in numbers if n in values]


def own_pairs(learner: Learner | None) -> dict[tuple[int, int], int]:
    if learner is None:
        return {}
    rows = Confusion.objects.filter(learner=learner, count__gt=0).values_list(
        "read__number", "taken__number", "count"
    )
    return {(read, taken): count for read, taken, count in rows}


def common_pairs() -> dict[tuple[int, int], int]:
    """Everyone's confusions: the wrong takes of every game played here."""
    rows = (
        Take.objects.filter(correct=False)
        .values(read=F("read_card__value_type__number"), taken=F("card__value_type__number"))
        .annotate(n=Count("id"))
    )
    return {(row["read"], row["taken"]): row["n"] for row in rows}


def memories(learner: Learner | None) -> list[tuple[int, datetime]]:
    if learner is None:
        return []
    return list(Memory.objects.filter(learner=learner).values_list("value_type__number", "due"))


def next_due(learner: Learner | None) -> datetime | None:
    if learner is None:
        return None
    found = Memory.objects.filter(learner=learner).order_by("due").values_list("due", flat=True)
    return found.first()


def best(learner: Learner, mode: str, card_set: str, *, before: Result | None = None):
    """The learner's best (wrong, score) of this mode and card set (before a result, if given)."""
    results = Result.objects.filter(learner=learner, mode=mode, card_set=card_set)
    if before is not None:
        results = results.filter(pk__lt=before.pk)
    order = ["score_ms"] if mode == "time_attack" else ["wrong", "score_ms"]
    found = results.order_by(*order, "pk").values_list("wrong", "score_ms").first()
    return list(found) if found else None


# --- a finished room, read for a class import ---------------------------------------------


@dataclass(frozen=True)
class ClassTakes:
    room_code: str
    seat_id: int
    finished_at: datetime
    # (read number, taken number, correct, won, at) per take of this seat, in order
    takes: list[tuple[int, int, bool, bool, datetime]]


def seat_takes(room_code: str, seat_token: str) -> ClassTakes | None:
    """A finished room's takes by the seat whose token the browser holds; None if the room is
    not finished or the token is not one of its seats."""
    if not isinstance(seat_token, str) or not seat_token or len(seat_token) > 64:
        return None
    room = Room.objects.filter(code=game_rules.normalize_code(room_code)).first()
    if room is None or room.state != game_rules.FINISHED:
        return None
    seat = Seat.objects.filter(room=room, token=seat_token).first()
    if seat is None:
        return None
    rows = (
        Take.objects.filter(room=room, seat=seat)
        .order_by("created_at", "pk")
        .values_list(
            "read_card__value_type__number", "card__value_type__number", "correct", "won",
            "created_at",
        )
    )  # fmt: skip
    return ClassTakes(room.code, seat.pk, room.finished_at or room.created_at, list(rows))


def imported(learner: Learner, room_code: str) -> ClassImport | None:
    return ClassImport.objects.filter(learner=learner, room_code=room_code).first()


# --- practice assignments -------------------------------------------------------------------


def assignment(code: str) -> Assignment | None:
    code = str(code).strip().upper()
    if not assignments.valid_code(code):
        return None
    return Assignment.objects.filter(code=code).first()


def enrolment(found: Assignment, learner: Learner | None) -> Enrolment | None:
    if learner is None:
        return None
    return Enrolment.objects.filter(assignment=found, learner=learner).first()


def own_results(found: Assignment, learner: Learner | None) -> list[Result]:
    if learner is None:
        return []
    rows = Result.objects.filter(learner=learner, assignment_code=found.code)
    return list(rows.order_by("created_at", "pk"))


def stored(learner: Learner, client_id) -> bool:
    return Result.objects.filter(learner=learner, client_id=client_id).exists()


def assignment_refusal(learner: Learner, posted, now: datetime) -> str | None:
    """Why a new result may not count for its assignment (an error code), or None. A resend of
    a result stored in time is not asked (the view answers it as stored)."""
    found = assignment(posted.assignment)
    if found is None or posted.card_set != found.card_set:
        return "bad_assignment"
    if enrolment(found, learner) is None:
        return "no_nickname"
    if assignments.closed(found.deadline, now=now):
        return "assignment_closed"
    return None


def progress(found: Assignment, learner: Learner | None) -> dict:
    done = len(own_results(found, learner))
    return {"done": done, "required": found.rounds, "complete": done >= found.rounds}


def assignment_rows(
    found: Assignment,
) -> tuple[list[assignments.Student], list[assignments.Reading]]:
    """The enrolled students and every answer of the assignment's results (two queries)."""
    students = [
        assignments.Student(learner, nickname, joined)
        for learner, nickname, joined in Enrolment.objects.filter(assignment=found).values_list(
            "learner_id", "nickname", "created_at"
        )
    ]
    rows = (
        Answer.objects.filter(result__assignment_code=found.code)
        .order_by("result__created_at", "result_id", "position")
        .values_list("result__learner_id", "result_id", "read__number", "wrong",
                     "result__created_at")
    )  # fmt: skip
    readings = [
        assignments.Reading(learner, result, read, tuple(wrong), at)
        for learner, result, read, wrong, at in rows
    ]
    return students, readings


def room_confused_values(room: Room) -> list[int]:
    """The values of a room's confusion map (both sides of every wrong take), in deck order."""
    pairs = Take.objects.filter(room=room, correct=False).values_list(
        "read_card__value_type__number", "card__value_type__number"
    )
    return sorted({n for pair in pairs for n in pair})
