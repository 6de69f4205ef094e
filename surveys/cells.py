"""What a stored answer counts as in the published tables: present or not, its option code,
its comment text; and the tables' columns. Shared by the pandas tables (surveys/analysis.py)
and the database ones (surveys/aggregates.py), so both read an answer alike; no pandas or
scipy here, so a command that only counts does not load them."""

import math

TABLE_COLUMNS = [
    "questionnaire",
    "question",
    "kind",
    "option",
    "n",
    "man",
    "woman",
    "no_response",
    "pct",
    "comments",  # the texts written under the row (all, or the first few a page shows)
    "comments_total",  # how many were written
    "originals",
]
NONE_OPTION = "_none"  # a "no answer" row, shown only when someone skipped the question


def present(value) -> bool:
    """An answer was given: not missing, NaN, an empty string or an empty list."""
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


def answer_code(value) -> str | None:
    """The option code a single or scale answer counts under (None: no answer); 4.0 is "4"."""
    if not present(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def answer_text(value) -> str:
    """A comment as shown: the text without surrounding spaces ("" for anything else)."""
    return value.strip() if isinstance(value, str) else ""
