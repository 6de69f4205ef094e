"""The writes: storing a submitted questionnaire and importing a CSV file."""

import io
import time
from array import array
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from games.models import Room
from surveys.aliases import value_catalogue
from surveys.csv_io import ImportRejected, Problem, read_sheet
from surveys.models import Group, GroupRoom, OpenLink, Response, ValueItem
from surveys.value_items import items_of, items_store


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
    with transaction.atomic():
        if Response.objects.filter(**lookup).update(**fields):
            response = Response.objects.get(**lookup)
            items_store([(response.pk, response.answers)], value_catalogue()[1])
            return response
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


# An import stores this many rows per transaction (a game's take waits at most for one batch);
# a group's name is at most this long (Group.name).
IMPORT_BATCH = 1000
GROUP_NAME_LENGTH = 200


@dataclass
class ImportResult:
    group: Group | None = None
    created: int = 0
    skipped: int = 0
    slips: list[str] = field(default_factory=list)
    is_table: bool = False
    # The longest a batch's transaction was open, in seconds: how long a game on the same
    # database may have waited for this import at most (make bench prints it).
    longest_batch: float = 0.0


def _batches(rows, size: int):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _file_size(file) -> int:
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return size


def _check_size(file) -> None:
    """Refuse a file over SURVEY_IMPORT_MAX_BYTES before reading any of it."""
    size, limit = _file_size(file), settings.SURVEY_IMPORT_MAX_BYTES
    if size > limit:
        message = gettext(
            "the file is %(size)s; at most %(limit)s can be imported at once. Split it into "
            "several files (each with the header row) and import them one by one."
        ) % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        raise ImportRejected([Problem(0, "", message)])


def _clashes(group: Group, questionnaire: int, batch: list[dict], problems) -> None:
    """Rows of this batch whose respondent was imported into the group before."""
    taken = set(
        Response.objects.filter(
            group=group,
            questionnaire=questionnaire,
            source=Response.IMPORT,
            respondent__in=[row["respondent"] for row in batch],
        ).values_list("respondent", flat=True)
    )
    for row in batch:
        if row["respondent"] in taken:
            message = gettext("%(respondent)s was already imported into this group") % {
                "respondent": repr(row["respondent"])
            }
            problems.add(Problem(row["row"], "respondent", message))


def _response(row: dict, questionnaire: int, group: Group) -> Response:
    return Response(
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


def responses_import(*, file, questionnaire: int, group_name: str) -> ImportResult:
    """Import a CSV of paper answers (a binary file: an upload or an open file): all rows or
    none. Raises ImportRejected with the problems found (the first hundred, each naming its
    row and column), and then nothing is stored.

    Never the whole file in memory, never the database for long: a first pass reads the file
    as a stream and checks every row, storing nothing; only a file without a problem is read
    again and stored, IMPORT_BATCH rows per transaction, so that a game on the same SQLite
    file takes its cards between two batches. Should a batch fail all the same (another
    import of the same respondents at the same moment, the file changed in between), the
    batches already stored are deleted again: nothing is left half-imported."""
    group_name = group_name.strip()
    if not group_name:
        raise ImportRejected([Problem(0, "group", gettext("a group name is required"))])
    if len(group_name) > GROUP_NAME_LENGTH:
        message = gettext("%(length)s characters; at most %(limit)s") % {
            "length": len(group_name),
            "limit": GROUP_NAME_LENGTH,
        }
        raise ImportRejected([Problem(0, "group", message)])
    _check_size(file)
    sheet = read_sheet(file, questionnaire, group_name)
    if sheet.is_table:
        return ImportResult(slips=sheet.slips, is_table=True)
    group = Group.objects.filter(name=group_name).first()
    for batch in _batches(sheet.rows(), IMPORT_BATCH):
        if group is not None:
            _clashes(group, questionnaire, batch, sheet.problems)
    if sheet.problems:
        raise ImportRejected(sheet.problems.listed())
    file.seek(0)
    return _store(read_sheet(file, questionnaire, group_name), questionnaire, group_name)


def _store(sheet, questionnaire: int, group_name: str) -> ImportResult:
    """The second pass: a checked file's rows stored, a batch per transaction (undone whole on
    any failure)."""
    group, created_group = Group.objects.get_or_create(name=group_name)
    aliases = value_catalogue()[1]
    stored = array("q")  # the primary keys of the batches committed, 8 bytes a row
    longest = 0.0
    try:
        for batch in _batches(sheet.rows(check_duplicates=False), IMPORT_BATCH):
            responses = [_response(row, questionnaire, group) for row in batch]
            # The value answers normalized once, before the transaction: inside it only the
            # rows are written.
            items = [items_of(None, r.answers, aliases) for r in responses]
            started = time.perf_counter()
            with transaction.atomic():
                made = Response.objects.bulk_create(responses)
                for response, own in zip(made, items, strict=True):
                    for item in own:
                        item.response_id = response.pk
                ValueItem.objects.bulk_create([i for own in items for i in own])
            longest = max(longest, time.perf_counter() - started)
            stored.extend(response.pk for response in made)
        if sheet.problems:  # the file is not what the first pass read
            raise ImportRejected(sheet.problems.listed())
    except BaseException as error:
        _undo(stored, group if created_group else None)
        if isinstance(error, IntegrityError):
            message = gettext(
                "another import stored some of these respondents into this group at the same "
                "time; nothing was imported from this file"
            )
            raise ImportRejected([Problem(0, "respondent", message)]) from None
        raise
    return ImportResult(
        group=group, created=len(stored), skipped=sheet.skipped, longest_batch=longest
    )


def _undo(stored: array, group: Group | None) -> None:
    """Delete what a failed import stored, a batch at a time, and the group it created."""
    for start in range(0, len(stored), IMPORT_BATCH):
        with transaction.atomic():
            Response.objects.filter(pk__in=list(stored[start : start + IMPORT_BATCH])).delete()
    if group is not None and not Response.objects.filter(group=group).exists():
        if not group.rooms.exists() and not group.open_links.exists():
            group.delete()
