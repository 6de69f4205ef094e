"""Selectors: stored responses as flat dicts, streamed from the database.

No pandas here: the wide and long exports stream these records, and frames.py builds the
research frames from them.
"""

from surveys.models import GroupRoom, Response


def response_records(responses, group_name: str | None = None, *, by_person: bool = False):
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
    yield from _records(responses.order_by("pk"), group_name)


def _records(responses, group_name):
    fields = ("pk", "source", "respondent", "group_id", "group__name", "room_code",
              "questionnaire", "gender", "age_band", "nationality", "answers")  # fmt: skip
    rows = responses.values_list(*fields)
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
    ) in rows.iterator(chunk_size=2000):
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
