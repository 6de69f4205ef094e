"""Reads for solo practice: the learner of a request, the round a page carries, the memory and
confusions a review is dealt from, and (read-only) the games data a class import needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F

from games import rules as game_rules
from games.models import Room, Seat, Take, ValueType
from practice import learners
from practice.models import ClassImport, Confusion, Device, Learner, Memory, Result

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
