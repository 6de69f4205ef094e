"""Selectors: stored responses as flat dicts, streamed from the database.

No pandas here: the wide and long exports stream these records, and frames.py builds the
research frames from them.
"""

from surveys.models import GroupRoom, Response


def response_records(responses, group_name: str | None = None):
    """One flat dict per response (answers spread into columns), streamed from the DB."""
    fields = ("pk", "source", "respondent", "group__name", "room_code", "questionnaire",
              "gender", "age_band", "nationality", "answers")  # fmt: skip
    rows = responses.order_by("pk").values_list(*fields)
    # Unfiled responses count for the group their room is linked to.
    room_groups = dict(GroupRoom.objects.values_list("room_code", "group__name"))
    for (
        pk,
        source,
        respondent,
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
            "group": group_name or group or room_groups.get(room, ""),
            "room": room,
            "questionnaire": number,
            "gender": gender,
            "age_band": age,
            "nationality": nationality,
            **answers,
        }
