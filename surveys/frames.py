"""Selectors: stored responses → the frames that surveys/analysis.py works on (read row by
row, or expanded from the answer cubes of surveys/aggregates.py)."""

import pandas as pd

from surveys.analysis import ensure_columns
from surveys.models import Group
from surveys.questionnaires import SCALE, SINGLE, all_questions
from surveys.records import response_records

# The answers the statistics read: the scale and single questions (surveys/analysis.py).
STATISTICS_CODES = [q.code for q in all_questions() if q.kind in (SCALE, SINGLE)]
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


def cube_frame(cubes, codes) -> pd.DataFrame:
    """The statistics' frame (surveys/frames.py, ``codes`` only) from answer cubes: for each
    ``(group name, questionnaire, cube)`` one row per response, in no particular order."""
    rows, counts = [], []
    for group, number, cube in cubes:
        for gender, answers, n in cube:
            picked = {c: answers[c] for c in codes if answers.get(c) is not None}
            rows.append({"group": group, "questionnaire": number, "gender": gender, **picked})
            counts.append(n)
    frame = pd.DataFrame(rows)
    frame = frame.loc[frame.index.repeat(counts)].reset_index(drop=True) if rows else frame
    return frame.reindex(columns=[*BASE_COLUMNS, *codes])
