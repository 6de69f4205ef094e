"""Every text cell of every CSV the app writes is guarded against spreadsheet formulas.

Before: a group named ``=HYPERLINK(...)`` was written raw into the multi-group tables CSV (the
admin's "Export the tables" of several groups) and into the statistics CSV, a live formula in
Excel. Numbers stay numbers: a negative confidence bound is not a formula."""

import csv
import io

import pytest
from django.core.management import call_command

from surveys.csv_io import FORMULA_START, csv_lines
from surveys.models import Group, GroupRoom, Response
from tests.surveys.test_research_pages import body

NAMES = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=2+2"]
TEXTS = ['=HYPERLINK("http://x","y")', "+1", "-3", "@me", "\t=9", "\r=8"]


@pytest.fixture
def groups(aliases):
    """A group for each dangerous name, with web and imported answers whose texts are
    dangerous too, and enough of them for the statistics to compare groups."""
    made = []
    for index, name in enumerate(NAMES):
        group = Group.objects.create(name=name)
        code = f"R{index}"
        GroupRoom.objects.create(group=group, room_code=code)
        for i in range(6):
            text = TEXTS[(index + i) % len(TEXTS)]
            answers = {"A": "satisfied", "A_reason": text, "D": [0, 20, 100][i % 3],
                       "F": [text, "Firm value"], "G": text}  # fmt: skip
            Response.objects.create(questionnaire=1, room_code=code, respondent=f"w{index}{i}",
                                    gender=["man", "woman"][i % 2], nationality=text,
                                    answers=answers)  # fmt: skip
            Response.objects.create(questionnaire=2, group=group, source=Response.IMPORT,
                                    respondent=text + str(i), gender=["man", "woman"][i % 2],
                                    answers={"B2": 1 + i % 5, "D2": 5 - i % 5, "C2": text,
                                             "E2": ["other"], "E2_other": text,
                                             "A2": [text]})  # fmt: skip
        made.append(group)
    return made


def cells(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_guarded(text: str, what: str, named: bool = True) -> list[list[str]]:
    rows = cells(text)
    assert len(rows) > 1, what
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                assert is_number(cell), f"{what}: live formula {cell!r} in {row}"
    header = rows[0]
    if "group" in header:
        column = header.index("group")
        written = {row[column] for row in rows[1:]}
        # A group named "-1" is text, not the number -1: escaped like any other.
        assert written <= {"'" + name for name in NAMES} | {"man", "woman"}, (what, written)
        assert not named or written & {"'" + name for name in NAMES}, (what, written)
    return rows


def command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_every_csv_of_the_pages_and_the_admin(admin_client, groups):
    ids = [g.pk for g in groups]
    for group in groups:
        base = f"/en/survey/research/group/{group.pk}"
        for url in (f"{base}/tables.csv", f"{base}/tables.csv?lang=ja",
                    f"{base}/responses-wide.csv", f"{base}/responses-long.csv"):  # fmt: skip
            response = admin_client.get(url)
            assert response.status_code == 200, url
            assert_guarded(body(response).decode("utf-8"), url)
    for action in ("export_wide", "export_long", "export_tables"):
        for selected in (ids, ids[:1]):
            response = admin_client.post(
                "/admin/surveys/group/", {"action": action, "_selected_action": selected}
            )
            assert response.streaming, action
            assert_guarded(body(response).decode("utf-8"), f"group admin {action}")
    every = list(Response.objects.values_list("pk", flat=True))
    for action in ("export_wide", "export_long"):
        response = admin_client.post(
            "/admin/surveys/response/", {"action": action, "_selected_action": every}
        )
        assert_guarded(body(response).decode("utf-8"), f"response admin {action}")


def test_every_csv_of_the_commands(groups, tmp_path):
    first, *others = [g.name for g in groups]
    for name in (first, *others):
        assert_guarded(command("survey_tables", "--group", name, "--format", "csv"), "tables")
    stats = command("survey_stats", "--group", first, "--compare", *others, "--format", "csv")
    rows = assert_guarded(stats, "stats --compare")
    assert {row[1] for row in rows[1:]} >= {"'" + name for name in NAMES}
    assert_guarded(command("survey_stats", "--group", first, "--format", "csv"), "stats")
    assert_guarded(
        command("survey_stats", "--group", first, "--by-gender", "--format", "csv"),
        "by gender",
        named=False,
    )
    for layout in ("wide", "long"):
        for scope in ((), ("--group", first)):
            out = tmp_path / f"{layout}.csv"
            command("survey_export", "--out", str(out), "--layout", layout, *scope)
            assert_guarded(out.read_bytes().decode("utf-8"), f"export {layout} {scope}")


def test_the_writer_guards_whatever_a_row_holds():
    """One writer path: a new column cannot forget the guard. Numbers are written as numbers."""
    text = "".join(csv_lines(["h"], [["=1", "@x", "-", -1, -0.5, 3, None, "'=kept"]]))
    assert cells(text)[1] == ["'=1", "'@x", "'-", "-1", "-0.5", "3", "", "'=kept"]


def test_export_then_import_gives_the_texts_back(groups, tmp_path):
    """The guard's apostrophe is taken off again on import: nothing is lost."""
    group = groups[0]
    out = tmp_path / "wide.csv"
    command("survey_export", "--out", str(out), "--layout", "wide", "--questionnaire", "2",
            "--group", group.name)  # fmt: skip

    def texts():
        # Items of a list are read back without surrounding spaces, as any typed list is.
        return {
            r.respondent: (r.answers["C2"], [a.strip() for a in r.answers["A2"]])
            for r in Response.objects.filter(group=group)
        }

    before = texts()
    Response.objects.filter(group=group).delete()
    command("survey_import", str(out), "--questionnaire", "2", "--group", group.name)
    assert texts() == before
