"""Questions with ordered options (A, B, C, E; see ``Question.ordered``) read as ranks:
median and quartiles in option labels and the top-box share (pure pandas/numpy).

An option's rank is its ``score`` (1 = lowest: Dissatisfied, Bad). Quartiles are numpy's
``averaged_inverted_cdf`` (the usual median; a quartile is an answer given, or halfway between
two neighbouring ones), so each lands on an option or between two, shown "Normal–Good".
The top box is the options above the middle of the scale, at most two: Good (or Satisfied) of
three options, 4 and 5 of five, 100 % and 80 % of D's six. (Of three options the "top two"
would count the neutral middle as favourable.)
"""

import math

import numpy as np
import pandas as pd

from surveys.questionnaires import Question


def score_of(question: Question):
    """A function from a stored answer to its rank (NaN when not answered or unknown)."""
    scores = {option.code: float(option.score) for option in question.options}

    def score(value) -> float:
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))
        if isinstance(value, int):
            value = str(value)
        return scores.get(value, math.nan) if isinstance(value, str) else math.nan

    return score


def scores(frame: pd.DataFrame, question: Question) -> pd.Series:
    """The frame's answers to ``question`` as ranks (NaN where not answered)."""
    return frame[question.code].map(score_of(question)).astype(float)


def top_box(question: Question) -> list:
    """The top-box options, highest first (see the module's note)."""
    ranked = question.ranked_options
    return list(reversed(ranked[-min(2, len(ranked) // 2) :]))


def rank_label(question: Question, rank: float) -> str:
    """An option's label for a rank, or "low–high" for a rank halfway between two options."""
    if not math.isfinite(rank):
        return "—"
    by_score = {float(o.score): str(o.label) for o in question.options}
    if rank in by_score:
        return by_score[rank]
    below = max(s for s in by_score if s < rank)
    above = min(s for s in by_score if s > rank)
    return f"{by_score[below]}–{by_score[above]}"


def summary(question: Question, ranks) -> dict:
    """n, median, q1, q3 (ranks, and as labels), top_box_pct (of those who answered)."""
    x = np.asarray([r for r in ranks if math.isfinite(r)], dtype=float)
    out = {"n": int(len(x)), "median": math.nan, "q1": math.nan, "q3": math.nan,
           "top_box_pct": math.nan}  # fmt: skip
    if len(x):
        q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="averaged_inverted_cdf")
        top = {float(o.score) for o in top_box(question)}
        out.update(median=float(median), q1=float(q1), q3=float(q3),
                   top_box_pct=100.0 * float(np.isin(x, list(top)).mean()))  # fmt: skip
    out.update(
        median_label=rank_label(question, out["median"]),
        q1_label=rank_label(question, out["q1"]),
        q3_label=rank_label(question, out["q3"]),
        top_box=[str(o.label) for o in top_box(question)],
    )
    return out


def summaries(frame: pd.DataFrame, questions, by: str = "group", groups=None) -> list[dict]:
    """One row per (ordered question, group), groups in ``groups`` order."""
    rows = []
    for question in questions:
        if question.code not in frame:
            continue
        ranked = scores(frame, question)
        names = groups if groups is not None else list(frame[by].dropna().unique())
        for name in names:
            part = ranked[frame[by] == name]
            rows.append({"question": question.code, "group": name, **summary(question, part)})
    return rows
