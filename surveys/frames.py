"""Selectors: stored responses → the frames that surveys/analysis.py works on."""

import pandas as pd

from surveys.analysis import ensure_columns
from surveys.models import Group
from surveys.records import response_records

BASE_COLUMNS = ["id", "respondent", "person", "group", "room", "questionnaire", "gender",
                "age_band", "nationality"]  # fmt: skip


def responses_frame(responses, group_name: str | None = None, codes=None) -> pd.DataFrame:
    """One row per response; with ``codes`` only those answers' columns are read."""
    records = response_records(responses, group_name, codes=codes)
    frame = pd.DataFrame(list(records))
    if codes is not None:
        return frame.reindex(columns=[*BASE_COLUMNS, *codes])
    return ensure_columns(frame)


def group_frame(group: Group, codes=None) -> pd.DataFrame:
    return responses_frame(group.responses(), group.name, codes)


def groups_frame(groups, codes=None) -> pd.DataFrame:
    """Several groups stacked, each response labelled with the group it is counted in."""
    frames = [group_frame(g, codes) for g in groups]
    if not frames:
        return ensure_columns(pd.DataFrame())
    return pd.concat(frames, ignore_index=True)
