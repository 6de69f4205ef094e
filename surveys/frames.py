"""Selectors: stored responses → the frames that surveys/analysis.py works on."""

import pandas as pd

from surveys.analysis import ensure_columns
from surveys.models import Group
from surveys.records import response_records


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
