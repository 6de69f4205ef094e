"""Both questionnaires' tables of one group (pure: frames in, frame out)."""

import pandas as pd

from surveys.analysis import TABLE_COLUMNS, group_table


def group_tables(frame: pd.DataFrame, aliases: dict) -> pd.DataFrame:
    """The tables of the questionnaires the group answered (both when it answered none)."""
    answered = sorted(int(q) for q in frame["questionnaire"].dropna().unique()) or [1, 2]
    parts = [group_table(frame, number, aliases) for number in answered]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TABLE_COLUMNS)
