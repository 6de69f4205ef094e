"""CSV in and out through the management commands: import, tables, stats, export."""

import csv
import io
import math
import statistics

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Group, Response

Q1_CSV = """respondent,group,gender,age_band,A,A_reason,B,C,D,E,F,G
1,,man,20s,Satisfied,Fun,Good,Normal,100%,Good,Corporate value,=1+2
2,,woman,20代,満足,楽しかった,良い,Bad,80,Normal,企業価値;Link value,
3,,,30s,Neither,so so,normal,普通,60,Bad,Something new,"-5 points, but ok"
4,,woman,,SATISFIED,,Good,Good,100,Good,Firm value,Nice
5,,男性,unknown,dissatisfied,Too hard,Bad,Bad,0,Bad,,@admin
"""
Q2_CSV = """respondent,gender,age_band,A2,B2,C2,D2,E2,F2,G2
1,man,20s,Use value;Exchange value,4,I get it,3,pretty;cool,when taking a card,
2,woman,20s,リンク価値,5,よくわかった,2,かわいい;other: shiny,札を探しているとき;other: the end,good
3,woman,30s,,3,,5,quiet,,
4,no response,40s,Dominant value,4,"commas, quotes ""and"" new
lines",4,,,
"""


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def csv_rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def imported(aliases, tmp_path):
    run("survey_import", write(tmp_path, "q1.csv", Q1_CSV), "--questionnaire", "1",
        "--group", "Camp")  # fmt: skip
    run("survey_import", write(tmp_path, "q2.csv", Q2_CSV), "--questionnaire", "2",
        "--group", "Camp")  # fmt: skip
    return Group.objects.get(name="Camp")


def tables(group="Camp") -> dict:
    rows = csv_rows(run("survey_tables", "--group", group, "--format", "csv"))
    assert list(rows[0])[:6] == ["question", "option", "n", "man", "woman", "no_response"]
    out = {}
    for row in rows:
        out.setdefault(row["question"], []).append(
            (row["option"], int(row["n"]), int(row["man"]), int(row["woman"]),
             int(row["no_response"]))
        )  # fmt: skip
    return out


def test_import_then_tables_number_by_number(imported):
    assert Response.objects.filter(group=imported).count() == 9
    t = tables()
    assert t["N1"] == [("respondents", 5, 2, 2, 1)]
    assert t["A"] == [("Satisfied", 3, 1, 2, 0), ("Neither", 1, 0, 0, 1),
                      ("Dissatisfied", 1, 1, 0, 0)]  # fmt: skip
    assert t["C"] == [("Bad", 2, 1, 1, 0), ("Normal", 2, 1, 0, 1), ("Good", 1, 0, 1, 0)]
    assert t["D"] == [("100%", 2, 1, 1, 0), ("80%", 1, 0, 1, 0), ("60%", 1, 0, 0, 1),
                      ("40%", 0, 0, 0, 0), ("20%", 0, 0, 0, 0), ("0%", 1, 1, 0, 0)]  # fmt: skip
    assert t["F"] == [("Firm value", 3, 1, 2, 0), ("Linking value", 1, 0, 1, 0),
                      ("Something new", 1, 0, 0, 1), ("no answer", 1, 1, 0, 0)]  # fmt: skip
    assert t["G"] == [("with comments", 4, 2, 1, 1), ("no comments", 1, 0, 1, 0)]
    assert t["N2"] == [("respondents", 4, 1, 2, 1)]
    assert t["A2"] == [("Use value", 1, 1, 0, 0), ("Exchange value", 1, 1, 0, 0),
                       ("Linking value", 1, 0, 1, 0), ("Dominant social value", 1, 0, 0, 1),
                       ("no answer", 1, 0, 1, 0)]  # fmt: skip
    assert t["B2"] == [("1 (do not understand)", 0, 0, 0, 0), ("2", 0, 0, 0, 0),
                       ("3", 1, 0, 1, 0), ("4", 2, 1, 0, 1),
                       ("5 (understand well)", 1, 0, 1, 0)]  # fmt: skip
    assert t["E2"][0] == ("pretty", 2, 1, 1, 0) and t["E2"][-2:] == [
        ("other", 1, 0, 1, 0),
        ("no answer", 1, 0, 0, 1),
    ]
    assert t["F2"] == [("when taking a card", 1, 1, 0, 0), ("when looking for a card", 1, 0, 1, 0),
                       ("when deciding the winner", 0, 0, 0, 0), ("other", 1, 0, 1, 0),
                       ("no answer", 2, 0, 1, 1)]  # fmt: skip


def test_text_tables_list_comments_under_their_answer(imported):
    text = run("survey_tables", "--group", "Camp")
    satisfied = text.index("Satisfied")
    assert satisfied < text.index("· Fun") < text.index("· 楽しかった") < text.index("Neither")
    assert text.index("· Too hard") > text.index("Dissatisfied")
    assert "No response" in text  # someone withheld their gender
    four = text.index("\nB2")
    assert text.index("· I get it", four) < text.index("5 (understand well)", four)
    assert "written as: Corporate value" in text or "Corporate value" in text
    ja = run("survey_tables", "--group", "Camp", "--lang", "ja")
    assert "満足" in ja and "企業価値" in ja and "記述あり" in ja


def test_stats_against_the_statistics_module(imported):
    rows = csv_rows(run("survey_stats", "--group", "Camp", "--format", "csv"))
    assert list(rows[0]) == ["question", "group", "n", "mean", "sd", "median", "ci_low",
                             "ci_high", "q1", "q3", "top_box_pct"]  # fmt: skip
    by_q = {r["question"]: r for r in rows}
    d = [100, 80, 60, 100, 0]
    assert int(by_q["D"]["n"]) == 5
    assert float(by_q["D"]["mean"]) == pytest.approx(statistics.mean(d))
    assert float(by_q["D"]["sd"]) == pytest.approx(statistics.stdev(d), rel=1e-5)
    assert float(by_q["D"]["median"]) == statistics.median(d)
    half = 2.7764451051977987 * statistics.stdev(d) / math.sqrt(5)  # t(0.975, 4)
    assert float(by_q["D"]["ci_low"]) == pytest.approx(statistics.mean(d) - half, rel=1e-5)
    b2 = [4, 5, 3, 4]
    assert float(by_q["B2"]["mean"]) == pytest.approx(statistics.mean(b2))
    d2 = [3, 2, 5, 4]
    assert float(by_q["D2"]["ci_high"]) == pytest.approx(
        statistics.mean(d2) + 3.182446305284263 * statistics.stdev(d2) / 2, rel=1e-5
    )


def test_a_negative_number_is_not_neutralised(deck, tmp_path):
    run("survey_import", write(tmp_path, "s.csv", "respondent,D2\n1,1\n2,5\n"),
        "--questionnaire", "2", "--group", "Spread")  # fmt: skip
    rows = csv_rows(run("survey_stats", "--group", "Spread", "--format", "csv"))
    d2 = next(r for r in rows if r["question"] == "D2")
    assert d2["ci_low"].startswith("-") and float(d2["ci_low"]) == pytest.approx(
        3 - 12.706204736174705 * statistics.stdev([1, 5]) / math.sqrt(2), rel=1e-5
    )


def test_stats_compare_groups(imported, tmp_path):
    other = "respondent,gender,B2,D2\n" + "".join(f"{i},woman,{1 + i % 2},{5 - i % 2}\n"
                                                    for i in range(8))  # fmt: skip
    run("survey_import", write(tmp_path, "o.csv", other), "--questionnaire", "2", "--group",
        "Other")  # fmt: skip
    rows = csv_rows(run("survey_stats", "--group", "Camp", "--compare", "Other", "--format",
                        "csv"))  # fmt: skip
    assert {"test", "statistic", "p_value", "effect_size"} <= set(rows[0])
    b2 = [r for r in rows if r["question"] == "B2"]
    assert {r["group"] for r in b2} == {"Camp", "Other"}
    assert b2[0]["test"] == "mann-whitney-u" and b2[0]["p_value"] == ""  # Camp has 4: too few
    text = run("survey_stats", "--group", "Camp", "--compare", "Other")
    assert "Too few responses to say" in text


def test_round_trip_import_tables_export_import(imported, tmp_path):
    before = tables()
    wide = tmp_path / "wide.csv"
    run("survey_export", "--out", str(wide), "--group", "Camp")
    data = wide.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data.decode("utf-8"))
    # One row per respondent: 1 and 2 answered both questionnaires; 3 and 4 gave another
    # gender or age band on each, so each of their responses keeps a row of its own.
    assert [(r["respondent"], r["questionnaire"]) for r in rows] == [
        ("1", "1;2"), ("2", "1;2"), ("3", "1"), ("3", "2"), ("4", "1"), ("4", "2"), ("5", "1")
    ]  # fmt: skip
    g = {r["respondent"]: r["G"] for r in rows if "1" in r["questionnaire"].split(";")}
    assert g["1"] == "'=1+2" and g["5"] == "'@admin"  # formula cells neutralised
    assert g["3"] == "'-5 points, but ok"  # text starting with "-" is text, so neutralised
    assert {r["D"] for r in rows if "1" in r["questionnaire"]} == {"100", "80", "60", "0"}
    answers = {(r.questionnaire, r.respondent): r.answers for r in Response.objects.all()}
    Group.objects.get(name="Camp").delete()
    Response.objects.all().delete()
    for number in ("1", "2"):
        run("survey_import", str(wide), "--questionnaire", number, "--group", "Camp")
    assert tables() == before
    again = {(r.questionnaire, r.respondent): r.answers for r in Response.objects.all()}
    assert again == answers
    assert again[(2, "4")]["C2"] == 'commas, quotes "and" new\nlines'


def test_long_export_has_one_row_per_answer(imported, tmp_path):
    out = tmp_path / "long.csv"
    run("survey_export", "--out", str(out), "--group", "Camp", "--layout", "long")
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert list(rows[0]) == ["respondent", "group", "room", "questionnaire", "gender",
                             "age_band", "nationality", "question", "answer", "value",
                             "game_cards_taken", "game_wrong_takes", "game_accuracy",
                             "game_values_confused", "game_median_take_ms",
                             "value_in_game"]  # fmt: skip
    # Imported from paper: no seat, so no game figures.
    assert {r["game_cards_taken"] + r["value_in_game"] for r in rows} == {""}
    f2 = [
        (r["answer"], r["value"]) for r in rows if r["respondent"] == "2" and r["question"] == "F"
    ]
    assert f2 == [("企業価値", "Firm value"), ("Link value", "Linking value")]
    e2 = [r["answer"] for r in rows if r["respondent"] == "2" and r["question"] == "E2"]
    assert e2 == ["pretty", "other: shiny"]


def rejected(tmp_path, text, number="1", encoding="utf-8") -> str:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("survey_import", write(tmp_path, "bad.csv", text, encoding),
                     "--questionnaire", number, "--group", "Bad", stdout=io.StringIO(),
                     stderr=err)  # fmt: skip
    assert Response.objects.count() == 0 and not Group.objects.filter(name="Bad").exists()
    return err.getvalue()


def test_bad_files_are_rejected_whole_with_row_column_and_problem(deck, tmp_path):
    good = "1,man,20s,Satisfied,Good\n"
    assert "row 3, column A: unknown option 'Happy'" in rejected(
        tmp_path, "respondent,gender,age_band,A,B\n" + good + "2,man,20s,Happy,Good\n"
    )
    errors = rejected(tmp_path, "respondent,B2,D2\n1,6,3\n2,3,x\n", "2")
    assert "row 2, column B2: scale out of range: '6'" in errors
    assert "row 3, column D2: not a number: 'x'" in errors
    assert "row 2, column D: scale out of range: '55'" in rejected(tmp_path, "respondent,D\n1,55\n")
    assert "row 1, column Colour: unknown column" in rejected(tmp_path, "respondent,Colour\n1,x\n")
    assert "bad encoding" in rejected(tmp_path, "respondent,A\n1,満足\n", encoding="cp932")
    assert "Shift_JIS" in rejected(tmp_path, "respondent,A\n1,満足\n", encoding="cp932")
    assert "row 2, column E2: unknown option 'shiny'" in rejected(
        tmp_path, "respondent,E2\n1,pretty;shiny\n", "2"
    )
    assert "row 2, column gender: unknown option 'robot'" in rejected(
        tmp_path, "respondent,gender\n1,robot\n"
    )
    assert "row 3, column respondent: '1' already on row 2" in rejected(
        tmp_path, "respondent,A\n1,Satisfied\n1,Neither\n"
    )
    assert "row 2, column B2: belongs to the other questionnaire" in rejected(
        tmp_path, "respondent,A,B2\n1,Satisfied,3\n"
    )


def test_a_published_table_reports_its_arithmetic_slips(deck, tmp_path):
    table = (
        "question,option,n,man,woman\n"
        "N,respondents,10,5,5\n"
        "A,Satisfied,9,4,4\n"
        ",Neither,1,1,0\n"
        ",Dissatisfied,0,0,0\n"
        "B,Bad,0,0,0\n,Normal,2,1,1\n,Good,7,4,4\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 arithmetic slip"):
        call_command("survey_import", write(tmp_path, "t.csv", table), "--questionnaire", "1",
                     "--group", "T", stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "row 3: A / Satisfied: men 4 + women 4 + no response 0 = 8, but n = 9" in text
    assert "row 8: B / Good: men 4 + women 4 + no response 0 = 8, but n = 7" in text
    assert "B: options add up to 9, but N = 10" in text
    assert Response.objects.count() == 0


def test_computed_tables_csv_reads_back_without_slips(imported, tmp_path):
    text = run("survey_tables", "--group", "Camp", "--format", "csv")
    path = tmp_path / "tables.csv"
    path.write_text(text, encoding="utf-8")
    out = run("survey_import", str(path), "--questionnaire", "1", "--group", "T")
    assert "every row adds up" in out


def test_a_second_import_of_the_same_sheets_is_refused(imported, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("survey_import", write(tmp_path, "q1.csv", Q1_CSV), "--questionnaire", "1",
                     "--group", "Camp", stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert "'1' was already imported into this group" in err.getvalue()
    assert Response.objects.count() == 9
