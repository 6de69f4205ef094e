"""The missing-data columns of a published table (surveys/aggregates.py counts it)."""

import math

import pandas as pd

from surveys.cells import NONE_OPTION
from surveys.questionnaires import TEXT

MISSING_COLUMNS = ["answered", "no_answer", "pct_answered"]


def with_missing(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each question's missing data beside every row: ``answered`` (the
    question's n: respondents who gave any answer; for free text, those who wrote something),
    ``no_answer`` (respondents who did not) and ``pct_answered`` (the row's share of those who
    answered; ``pct`` stays the share of all respondents). The "no answer" and "no comments"
    rows have no ``pct_answered`` (NaN)."""
    table = table.copy()
    answered, missing, share = [], [], []
    group_n = 0
    for number, code, option, n in zip(table["questionnaire"], table["question"],
                                       table["option"], table["n"], strict=True):  # fmt: skip
        if code == "N":
            group_n = int(n)
        rows = table[(table["questionnaire"] == number) & (table["question"] == code)]
        if code == "N":
            no = 0
        elif rows["kind"].iloc[0] == TEXT:
            no = int(rows.loc[rows["option"] == "no comments", "n"].sum())
        else:
            no = int(rows.loc[rows["option"] == NONE_OPTION, "n"].sum())
        yes = group_n - no
        answered.append(yes)
        missing.append(no)
        blank = option in (NONE_OPTION, "no comments") and code != "N"
        share.append(math.nan if blank or not yes else 100.0 * int(n) / yes)
    return table.assign(answered=answered, no_answer=missing, pct_answered=share)
