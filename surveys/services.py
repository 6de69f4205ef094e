"""The writes: storing a submitted questionnaire and importing a CSV file."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from games.models import Room
from surveys.csv_io import ImportRejected, Problem, decode, parse_responses
from surveys.models import Group, GroupRoom, OpenLink, Response


class Full(Exception):
    """The room has as many answers to this questionnaire as it has had seats (or the open
    link as many as its places): nothing was stored."""


def _identity(room_code, questionnaire, respondent, seat_id) -> dict:
    """Which stored response is this respondent's: a seat's own, else the room's token's."""
    who = {"seat_id": seat_id} if seat_id else {"room_code": room_code, "respondent": respondent}
    return {**who, "questionnaire": questionnaire, "source": Response.WEB}


def _lock(room_code: str, open_link_id) -> None:
    """Inside the writing transaction, before counting: the room's (or link's) row.

    Race: many answers at once. PostgreSQL: the count and the insert of one submission happen
    before the next one's count; SQLite's IMMEDIATE transactions are serialized already. So
    the cap is never overrun."""
    if open_link_id:
        list(OpenLink.objects.select_for_update().filter(pk=open_link_id).values_list("pk"))
    else:
        list(Room.objects.select_for_update().filter(code=room_code).values_list("pk"))


def _place_left(room_code: str, questionnaire: int, open_link_id, cap: int) -> bool:
    taken = Response.objects.filter(questionnaire=questionnaire, source=Response.WEB)
    if open_link_id:
        return taken.filter(open_link_id=open_link_id).count() < cap
    return taken.filter(room_code=room_code).count() < cap


def response_submit(
    *,
    room_code: str,
    questionnaire: int,
    respondent: str,
    gender: str,
    age_band: str,
    nationality: str,
    answers: dict,
    language: str = "",
    seat_id: int | None = None,
    open_link_id: int | None = None,
    group: Group | None = None,
    cap: int | None = None,
) -> tuple[Response, bool]:
    """Store one player's answers once. Returns (response, created); raises Full when the
    room (``cap`` answers) or the open link has no place left. A seat's own answers (one per
    seat) are always taken: its players must not be shut out by answers from the plain link.

    Race: a double click or two tabs post the same token (or seat) at the same time. The
    unique constraints let exactly one INSERT win; the loser's IntegrityError is caught and
    the winner's row returned, so the first submission is the one kept.
    """
    room_code = room_code.strip().upper()
    lookup = _identity(room_code, questionnaire, respondent, seat_id)
    existing = Response.objects.filter(**lookup).first()
    if existing:
        return existing, False
    if group is None and room_code:
        link = GroupRoom.objects.filter(room_code=room_code).select_related("group").first()
        group = link.group if link else None
    try:
        with transaction.atomic():
            if cap is not None and not seat_id:
                _lock(room_code, open_link_id)
                # The same answers sent twice at once: the copy that waited finds the first
                # one here, so it is "already recorded", not refused by the room's last place.
                existing = Response.objects.filter(**lookup).first()
                if existing:
                    return existing, False
                if not _place_left(room_code, questionnaire, open_link_id, cap):
                    raise Full
            response = Response.objects.create(
                room_code=room_code,
                questionnaire=questionnaire,
                respondent=respondent,
                source=Response.WEB,
                seat_id=seat_id,
                open_link_id=open_link_id,
                group=group,
                gender=gender,
                age_band=age_band,
                nationality=nationality[:64],
                answers=answers,
                language=language[:8],
            )
        return response, True
    except IntegrityError:
        # The same seat from two browsers (two tokens), or one token twice: the first kept.
        same_token = _identity(room_code, questionnaire, respondent, None)
        kept = Response.objects.filter(**lookup).first()
        return kept or Response.objects.get(**same_token), False


def response_revise(
    *,
    room_code: str,
    questionnaire: int,
    respondent: str,
    gender: str,
    age_band: str,
    nationality: str,
    answers: dict,
    language: str = "",
    seat_id: int | None = None,
    open_link_id: int | None = None,
    group: Group | None = None,
    cap: int | None = None,
) -> Response | None:
    """A player changes the answers they sent for this game: the one response is updated
    (created if there was none, within the room's ``cap``: may raise Full), or removed when
    every answer was cleared. Returns the response kept, or None."""
    room_code = room_code.strip().upper()
    lookup = _identity(room_code, questionnaire, respondent, seat_id)
    if not answers:
        Response.objects.filter(**lookup).delete()
        return None
    fields = {
        "gender": gender,
        "age_band": age_band,
        "nationality": nationality[:64],
        "answers": answers,
        "language": language[:8],
    }
    if Response.objects.filter(**lookup).update(**fields):
        return Response.objects.get(**lookup)
    response, _created = response_submit(
        room_code=room_code, questionnaire=questionnaire, respondent=respondent,
        seat_id=seat_id, open_link_id=open_link_id, group=group, cap=cap, **fields,
    )  # fmt: skip
    return response


def responses_bind_seat(*, room_code: str, respondent: str, seat_id: int) -> int:
    """A browser that answered through the room's plain link opens the questionnaire from its
    seat: its answers become the seat's (for each questionnaire the seat has not answered
    yet), so one player is not counted twice. Returns how many were bound."""
    room_code = room_code.strip().upper()
    answered = Response.objects.filter(seat_id=seat_id).values_list("questionnaire", flat=True)
    return (
        Response.objects.filter(
            room_code=room_code, respondent=respondent, source=Response.WEB, seat__isnull=True
        )
        .exclude(questionnaire__in=list(answered))
        .update(seat_id=seat_id)
    )


@dataclass
class ImportResult:
    group: Group | None = None
    created: int = 0
    skipped: int = 0
    slips: list[str] = field(default_factory=list)
    is_table: bool = False


def responses_import(*, data: bytes, questionnaire: int, group_name: str) -> ImportResult:
    """Import a CSV of paper answers: all rows or none (raises ImportRejected with every
    problem found, each naming its row and column)."""
    group_name = group_name.strip()
    if not group_name:
        raise ImportRejected([Problem(0, "group", gettext("a group name is required"))])
    parsed = parse_responses(decode(data), questionnaire, group_name)
    if parsed.is_table:
        return ImportResult(slips=parsed.slips, is_table=True)
    if parsed.problems:
        raise ImportRejected(parsed.problems)
    with transaction.atomic():
        group, _created = Group.objects.get_or_create(name=group_name)
        taken = set(
            Response.objects.filter(
                group=group, questionnaire=questionnaire, source=Response.IMPORT
            ).values_list("respondent", flat=True)
        )
        clashes = [
            Problem(
                0,
                "respondent",
                gettext("%(respondent)s was already imported into this group")
                % {"respondent": repr(row["respondent"])},
            )
            for row in parsed.rows
            if row["respondent"] in taken
        ]
        if clashes:
            raise ImportRejected(clashes)
        Response.objects.bulk_create(
            [
                Response(
                    questionnaire=questionnaire,
                    group=group,
                    source=Response.IMPORT,
                    respondent=row["respondent"],
                    room_code=row["room_code"],
                    gender=row["gender"],
                    age_band=row["age_band"],
                    nationality=row["nationality"],
                    answers=row["answers"],
                )
                for row in parsed.rows
            ],
            batch_size=2000,
        )
    return ImportResult(group=group, created=len(parsed.rows), skipped=parsed.skipped)
