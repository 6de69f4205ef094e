"""Export streams: the lines of the wide, long and table CSV files for views and commands.

Imported by the views and the admin of every server process, so pandas is loaded only when a
table is exported (the wide and long files stream plain records).
"""

from collections.abc import Iterator

from surveys.aliases import value_catalogue
from surveys.csv_io import (
    LONG_HEADER,
    TABLE_HEADER,
    csv_lines,
    long_rows,
    table_rows,
    wide_header,
    wide_rows,
)
from surveys.gameplay import response_figures
from surveys.records import response_records


def export_lines(responses, layout: str, *, group_name=None, questionnaire=None) -> Iterator[str]:
    """CSV lines, BOM first, read from the database in chunks (never all in memory)."""
    records = response_records(responses, group_name, by_person=layout == "wide")
    if layout == "long":
        values, aliases = value_catalogue()
        figures = response_figures(responses)  # the seats' games, by response id
        return csv_lines(LONG_HEADER, long_rows(records, aliases, values, figures))
    numbers = (questionnaire,) if questionnaire else (1, 2)
    return csv_lines(wide_header(numbers), wide_rows(records, numbers))


def table_lines(groups, lang: str = "en") -> Iterator[str]:
    """The tables of one or more groups; with several, a group column comes first."""
    # Deferred: these load pandas, which a game server process should never pay for.
    from surveys.summaries import group_tables

    values, _aliases = value_catalogue()
    groups = list(groups)
    if len(groups) == 1:
        table = group_tables(groups[0], comments=False)
        return csv_lines(TABLE_HEADER, table_rows(table, values, lang))

    def rows():
        for group in groups:
            table = group_tables(group, comments=False)
            for row in table_rows(table, values, lang):
                yield [group.name, *row]

    return csv_lines(["group", *TABLE_HEADER], rows())
