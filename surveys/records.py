"""Selectors: stored responses as flat dicts, streamed from the database.

No pandas here: the wide and long exports stream these records, and frames.py builds the
research frames from them.
"""

from django.db.models.fields.json import KeyTransform

from surveys.models import GroupRoom, Response


def response_records(
    responses, group_name: str | None = None, *, by_person: bool = False, codes=None
):
    """One flat dict per response (answers spread into columns), streamed from the DB.

    ``person`` says whose it is: a browser's token in one room (or open link), or a sheet's
    respondent id in one group. With ``by_person`` a person's responses come one after the
    other (questionnaire 1 first), so that a wide file can put them on one row while
    streaming."""
    if by_person:
        web = responses.filter(source=Response.WEB)
        paper = responses.exclude(source=Response.WEB)
        yield from _records(web.order_by("room_code", "respondent", "questionnaire", "pk"),
                            group_name)  # fmt: skip
        yield from _records(paper.order_by("group_id", "respondent", "questionnaire", "pk"),
                            group_name)  # fmt: skip
        return
    yield from _records(responses.order_by("pk"), group_name, codes)


def _records(responses, group_name, codes=None):
    fields = ("pk", "source", "respondent", "group_id", "group__name", "room_code",
              "questionnaire", "gender", "age_band", "nationality", "answers")  # fmt: skip
    if codes is not None:  # only these answers, read by the database from the JSON
        picked = {f"answer_{c}": KeyTransform(c, "answers") for c in codes}
        responses = responses.annotate(**picked)
        rows = responses.values_list(*fields[:-1], *picked)
        width = len(fields) - 1
        rows = (
            (*row[:width], {c: v for c, v in zip(codes, row[width:], strict=True) if v is not None})
            for row in rows.iterator(chunk_size=2000)
        )
        yield from _flat(rows, group_name)
        return
    yield from _flat(responses.values_list(*fields).iterator(chunk_size=2000), group_name)


def _flat(rows, group_name):
    # Unfiled responses count for the group their room is linked to.
    room_groups = dict(GroupRoom.objects.values_list("room_code", "group__name"))
    for (
        pk,
        source,
        respondent,
        group_id,
        group,
        room,
        number,
        gender,
        age,
        nationality,
        answers,
    ) in rows:
        yield {
            "id": pk,
            "respondent": respondent if source == Response.IMPORT else f"web-{pk}",
            "person": (source, room, respondent)
            if source == Response.WEB
            else (source, group_id, respondent),
            "group": group_name or group or room_groups.get(room, ""),
            "room": room,
            "questionnaire": number,
            "gender": gender,
            "age_band": age,
            "nationality": nationality,
            **answers,
        }
