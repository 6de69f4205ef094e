"""Selectors: stored responses → the frames that surveys/analysis.py works on."""

import pandas as pd

from surveys.analysis import ensure_columns
from surveys.models import Group, GroupRoom, Response


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


def responses_frame(responses, group_name: str | None = None) -> pd.DataFrame:
    return ensure_columns(pd.DataFrame(list(response_records(responses, group_name))))


def group_frame(group: Group) -> pd.DataFrame:
    return responses_frame(group.responses(), group.name)


def groups_frame(groups) -> pd.DataFrame:
    """Several groups stacked, each response labelled with the group it is counted in."""
    frames = [group_frame(g) for g in groups]
    if not frames:
        return ensure_columns(pd.DataFrame())
    return pd.concat(frames, ignore_index=True)
