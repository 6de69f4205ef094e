"""A group's table counts, kept per filing and counted again only when its answers changed.

A group's responses are those filed under it plus the unfiled ones of its rooms
(``Group.responses``): each of those *filings* ("g:<group id>", "r:<room code>") keeps its
GROUP BY counts (surveys.aggregates.counts_of) in TableCounts, with the version of its answers
they were counted at. The database bumps that version on every write (the triggers of
surveys/counting_triggers.py), so kept counts are used only while nothing was written since:
100,000 imported answers are counted once, and a page or a command afterwards reads a few
hundred rows. A filing written to while it is being counted keeps the older version and is
counted again next time; counts are never added to by hand, so they cannot drift.
"""

import pandas as pd
from django.db import connection

from surveys.aggregates import counts_of, group_table_db, merged
from surveys.frames import STATISTICS_CODES, cube_frame
from surveys.models import AnswerVersion, Response, TableCounts
from surveys.questionnaires import QUESTIONNAIRES

TRIGGERED = ("sqlite", "postgresql")  # the databases surveys/counting_triggers.py covers


def filing_keys(group) -> list[str]:
    codes = group.rooms.exclude(room_code="").values_list("room_code", flat=True)
    return [f"g:{group.pk}", *(f"r:{code}" for code in codes)]


def filing_responses(key: str):
    kind, _, name = key.partition(":")
    if kind == "g":
        return Response.objects.filter(group_id=int(name))
    return Response.objects.filter(group__isnull=True, room_code=name)


def group_counts(group, questionnaire: int) -> dict:
    """The counts of the group's table of ``questionnaire``: the kept ones of each filing
    still at its version, the others counted now (and kept)."""
    if connection.vendor not in TRIGGERED:  # no triggers to say what changed: count now
        return counts_of(group.responses(), questionnaire)
    keys = filing_keys(group)
    versions = dict(AnswerVersion.objects.filter(key__in=keys).values_list("key", "version"))
    kept = {
        key: (version, counts)
        for key, version, counts in TableCounts.objects.filter(
            key__in=keys, questionnaire=questionnaire
        ).values_list("key", "version", "counts")
    }
    parts = []
    for key in keys:
        version = versions.get(key, 0)
        if key in kept and kept[key][0] == version:
            parts.append(kept[key][1])
            continue
        counts = counts_of(filing_responses(key), questionnaire)
        TableCounts.objects.update_or_create(
            key=key, questionnaire=questionnaire, defaults={"version": version, "counts": counts}
        )
        parts.append(counts)
    return merged(parts)


def statistics_frame(groups) -> pd.DataFrame:
    """The groups' single and scale answers, one row per response (in no particular order),
    expanded from their kept counts: what surveys/analysis.py's statistics read."""
    cubes = [(g.name, n, group_counts(g, n)["cube"]) for g in groups for n in QUESTIONNAIRES]
    return cube_frame(cubes, STATISTICS_CODES)


def group_tables(group, *, comments: bool = True) -> pd.DataFrame:
    """The tables of the questionnaires the group answered (both when none), from its counts;
    the comments, when asked for, read from its responses."""
    counts = {n: group_counts(group, n) for n in QUESTIONNAIRES}
    answered = [n for n in QUESTIONNAIRES if counts[n]["cube"]] or list(QUESTIONNAIRES)
    tables = [
        group_table_db(group.responses(), n, comments=comments, counts=counts[n]) for n in answered
    ]
    return pd.concat(tables, ignore_index=True)
