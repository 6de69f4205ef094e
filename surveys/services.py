"""The writes: storing a submitted questionnaire and importing a CSV file."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from surveys.csv_io import ImportRejected, Problem, decode, parse_responses
from surveys.models import Group, GroupRoom, Response


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
) -> tuple[Response, bool]:
    """Store one player's answers once. Returns (response, created).

    Race: a double click or two tabs post the same token at the same time. The unique
    constraint lets exactly one INSERT win; the loser's IntegrityError is caught and the
    winner's row returned, so the first submission is the one kept.
    """
    room_code = room_code.strip().upper()
    lookup = {
        "room_code": room_code,
        "questionnaire": questionnaire,
        "respondent": respondent,
        "source": Response.WEB,
    }
    existing = Response.objects.filter(**lookup).first()
    if existing:
        return existing, False
    link = GroupRoom.objects.filter(room_code=room_code).select_related("group").first()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                **lookup,
                group=link.group if link else None,
                gender=gender,
                age_band=age_band,
                nationality=nationality[:64],
                answers=answers,
                language=language[:8],
            )
        return response, True
    except IntegrityError:
        return Response.objects.get(**lookup), False


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
) -> Response | None:
    """A player changes the answers they sent for this game: the one response is updated
    (created if there was none), or removed when every answer was cleared. Returns the
    response kept, or None."""
    room_code = room_code.strip().upper()
    lookup = {
        "room_code": room_code,
        "questionnaire": questionnaire,
        "respondent": respondent,
        "source": Response.WEB,
    }
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
    response, _created = response_submit(room_code=room_code, questionnaire=questionnaire,
                                         respondent=respondent, **fields)  # fmt: skip
    return response


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
