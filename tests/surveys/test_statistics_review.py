"""Issue 13's review findings: each statistic checked against an independent computation
written here (exact enumeration or plain arithmetic), never the code path under test."""

import io
import itertools
import math
import warnings
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from surveys import analysis
from tests.surveys.test_csv_io import csv_rows, write


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def category_frame(counts: dict[str, dict[str, int]], code="A", qn=1) -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "questionnaire": qn, "gender": "man", code: option}
         for g, by_option in counts.items() for option, k in by_option.items()
         for _ in range(k)]
    )  # fmt: skip


def scale_frame(groups: dict[str, list], code="B2") -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "questionnaire": 2, "gender": "man", code: v}
         for g, values in groups.items() for v in values]
    )  # fmt: skip


def _log_prob(table) -> float:
    """log P of a table under independence with its margins fixed (hypergeometric)."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    n = sum(rows)
    lf = math.lgamma
    return (
        sum(lf(r + 1) for r in rows) + sum(lf(c + 1) for c in cols) - lf(n + 1)
        - sum(lf(x + 1) for r in table for x in r)
    )  # fmt: skip


def fisher_3x3_by_enumeration(table) -> float:
    """Every 3×3 table with the observed margins, written out with four free cells."""
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    observed = _log_prob(table)
    p = 0.0
    for a, b in itertools.product(range(rows[0] + 1), repeat=2):
        c = rows[0] - a - b
        if c < 0:
            continue
        for d, e in itertools.product(range(rows[1] + 1), repeat=2):
            f = rows[1] - d - e
            g, h, i = cols[0] - a - d, cols[1] - b - e, cols[2] - c - f
            if min(f, g, h, i) < 0:
                continue
            candidate = [[a, b, c], [d, e, f], [g, h, i]]
            lp = _log_prob(candidate)
            if lp <= observed + 1e-7:
                p += math.exp(lp)
    return p


FISHER_COUNTS = {
    "X": {"satisfied": 5, "neither": 1, "dissatisfied": 0},
    "Y": {"satisfied": 1, "neither": 4, "dissatisfied": 1},
    "Z": {"satisfied": 0, "neither": 1, "dissatisfied": 5},
}


def test_fisher_on_a_3x3_table_is_exact_and_the_same_every_time():
    options = ["satisfied", "neither", "dissatisfied"]
    table = [[FISHER_COUNTS[g][o] for o in options] for g in ("X", "Y", "Z")]
    expected = fisher_3x3_by_enumeration(table)
    first = analysis.compare_categories(category_frame(FISHER_COUNTS), "A")
    second = analysis.compare_categories(category_frame(FISHER_COUNTS), "A")
    assert first["test"] == "fisher-exact"
    assert first["p_value"] == second["p_value"]
    assert first["p_value"] == pytest.approx(expected, rel=1e-9)
    assert first["p_se"] == 0.0  # exact: no sampling error


def test_fisher_past_the_enumeration_size_is_seeded_monte_carlo_with_its_error(monkeypatch):
    monkeypatch.setattr(analysis.exact, "FISHER_MAX_TABLES", 10)
    options = ["satisfied", "neither", "dissatisfied"]
    table = [[FISHER_COUNTS[g][o] for o in options] for g in ("X", "Y", "Z")]
    expected = fisher_3x3_by_enumeration(table)
    first = analysis.compare_categories(category_frame(FISHER_COUNTS), "A")
    second = analysis.compare_categories(category_frame(FISHER_COUNTS), "A")
    assert first["test"] == "fisher-monte-carlo"
    assert first["p_value"] == second["p_value"]  # seeded
    draws = analysis.exact.MONTE_CARLO_DRAWS
    assert first["p_se"] == pytest.approx(
        math.sqrt(first["p_value"] * (1 - first["p_value"]) / draws)
    )
    assert abs(first["p_value"] - expected) < 4 * first["p_se"] + 1 / draws


def mann_whitney_by_enumeration(a, b):
    """U by counting pairs; two-sided p over every split of the pooled answers."""
    pooled = a + b

    def u_of(xs, ys):
        return sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in xs for y in ys)

    centre = len(a) * len(b) / 2
    observed = abs(u_of(a, b) - centre)
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), len(a)):
        rest = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        total += 1
        hits += abs(u_of([pooled[i] for i in chosen], rest) - centre) >= observed - 1e-9
    return u_of(a, b), hits / total


def test_mann_whitney_with_ties_on_6_vs_6_gives_the_exact_p():
    a, b = [3, 4, 4, 5, 5, 3], [2, 3, 3, 1, 4, 2]
    u, p = mann_whitney_by_enumeration(a, b)
    result = analysis.compare_scale(scale_frame({"A": a, "B": b}), "B2")
    assert result["statistic"] == pytest.approx(u)
    assert result["p_value"] == pytest.approx(p, rel=1e-9)
    assert result["p_method"] == "exact"


def test_a_group_with_no_answers_is_too_few_not_dropped():
    frame = scale_frame({"A": [1, 2, 3, 4, 5, 3], "B": [2, 3, 4, 5, 5, 4]})
    result = analysis.compare_scale(frame, "B2", groups=["A", "B", "Empty"])
    assert result["groups"] == ["A", "B", "Empty"] and result["n"]["Empty"] == 0
    assert result["verdict"] == "too_few"
    cats = analysis.compare_categories(
        category_frame({"X": {"satisfied": 6, "neither": 6}}), "A", groups=["X", "Empty"]
    )
    assert cats["n"] == {"X": 12, "Empty": 0} and cats["verdict"] == "too_few"


def test_all_identical_answers_run_no_test_and_say_why():
    frame = scale_frame({"A": [4] * 6, "B": [4] * 7})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = analysis.compare_scale(frame, "B2")
        three = analysis.compare_scale(scale_frame({"A": [4] * 6, "B": [4] * 6, "C": [4] * 5}),
                                       "B2")  # fmt: skip
        cats = analysis.compare_categories(
            category_frame({"X": {"satisfied": 6}, "Y": {"satisfied": 5}}), "A"
        )
    for r in (result, three, cats):
        assert r["verdict"] == "no_variation" and math.isnan(r["p_value"])
    from surveys.reporting import comparison_rows

    (row,) = comparison_rows([result])
    assert "nan" not in row["plain"] + row["p_text"]
    assert "no test was run" in row["plain"]


def test_percentages_are_rounded_once_and_charts_round_like_tables():
    from surveys.text import percent

    # 12.46 % (the table keeps the unrounded share; one rounding, half up, everywhere)
    assert percent(12.46) == "12" and percent(12.5) == "13" and percent(0.5) == "1"
    people = [{"respondent": f"p{i}", "group": "G", "questionnaire": 1, "gender": "man",
               "A": "satisfied" if i < 100 else "neither"} for i in range(802)]  # fmt: skip
    table = analysis.group_table(pd.DataFrame(people), 1, {})
    pct = table[(table["question"] == "A") & (table["option"] == "satisfied")]["pct"].iloc[0]
    exact = Decimal(100 * 100) / Decimal(802)  # 12.4688 %
    assert pct == pytest.approx(float(exact))
    assert percent(pct) == str(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP)) == "12"
    from surveys import charts

    assert "100 (12%)" in charts.bars("A", [("satisfied", 100, pct)])
    svg = charts.diverging_bars("B2", ["low", "high"], [("G", [100, 702])])
    assert "low: 100 (12%)" in svg and "high: 702 (88%)" in svg
    # 7 of 40 is 17.5 %: half up in the table's text and the chart's alike
    assert percent(100.0 * 7 / 40) == "18"
    assert "low: 7 (18%)" in charts.diverging_bars("B2", ["low", "high"], [("G", [7, 33])])


def test_holm_and_benjamini_hochberg_by_hand():
    ps = [0.01, 0.04, 0.03, 0.005, float("nan")]
    holm = analysis.adjust_p(ps, "holm")
    # Holm: sort ascending, multiply by (m − rank + 1), running maximum, cap at 1.
    order = [3, 0, 2, 1]
    m = 4
    running, by_hand = 0.0, {}
    for rank, i in enumerate(order):
        running = max(running, min(1.0, ps[i] * (m - rank)))
        by_hand[i] = running
    assert [holm[i] for i in range(4)] == pytest.approx([by_hand[i] for i in range(4)])
    assert math.isnan(holm[4])
    bh = analysis.adjust_p(ps, "bh")
    running, by_hand = 1.0, {}
    for rank in range(m - 1, -1, -1):  # step up from the largest
        i = order[rank]
        running = min(running, ps[i] * m / (rank + 1))
        by_hand[i] = running
    assert [bh[i] for i in range(4)] == pytest.approx([by_hand[i] for i in range(4)])


def test_the_sentence_reads_the_adjusted_p():
    base = {"test": "mann-whitney-u", "statistic": 1.0, "effect_size": 0.4, "effect_name": "r",
            "effect_word": "medium", "verdict": "difference", "higher": "A",
            "groups": ["A", "B"], "n": {"A": 9, "B": 9}}  # fmt: skip
    results = [{**base, "question": q, "p_value": p}
               for q, p in (("B2", 0.001), ("D2", 0.03), ("D", 0.04))]  # fmt: skip
    adjusted = analysis.correct(results, "holm")
    # By hand: 0.001 × 3 = 0.003; 0.03 × 2 = 0.06; 0.04 × 1 = 0.04, raised to the 0.06 before it.
    assert [r["p_adjusted"] for r in adjusted] == pytest.approx([0.003, 0.06, 0.06])
    assert [r["verdict"] for r in adjusted] == ["difference", "no_difference", "no_difference"]
    assert [r["p_value"] for r in adjusted] == [0.001, 0.03, 0.04]  # the raw p is kept
    from surveys.reporting import comparison_rows

    rows = comparison_rows(adjusted)
    assert "No clear difference" in rows[1]["plain"] and "0.060" in rows[1]["plain"]
    assert "Holm" in rows[1]["plain"]


# --- through the commands ------------------------------------------------------------------


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        raise CommandError(f"{error}\n{err.getvalue()}") from None
    return out.getvalue()


def rank_biserial_by_hand(first, second) -> float:
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in first for y in second)
    return 2 * u / (len(first) * len(second)) - 1


def test_by_gender_effect_follows_the_rows_order_and_names_who_is_higher(deck, tmp_path):
    # Questionnaire 1 answered first by a woman, questionnaire 2 first by a man: the rows
    # list women first (their first response), the test must compare in that same order.
    q1 = "respondent,gender,D\n" + "".join(f"w{i},woman,80\n" for i in range(6))
    men, women = [1, 2, 2, 3, 1, 2], [4, 5, 5, 4, 3, 5]
    q2 = "respondent,gender,B2\n" + "".join(f"m{i},man,{v}\n" for i, v in enumerate(men))
    q2 += "".join(f"w{i},woman,{v}\n" for i, v in enumerate(women))
    run("survey_import", write(tmp_path, "a.csv", q1), "--questionnaire", "1", "--group", "G")
    run("survey_import", write(tmp_path, "b.csv", q2), "--questionnaire", "2", "--group", "G")
    rows = csv_rows(run("survey_stats", "--group", "G", "--by-gender", "--format", "csv"))
    b2 = [r for r in rows if r["question"] == "B2"]
    order = [r["group"] for r in b2]
    samples = {"man": men, "woman": women}
    r = rank_biserial_by_hand(samples[order[0]], samples[order[1]])
    assert float(b2[0]["effect_size"]) == pytest.approx(r)
    assert b2[0]["reference"] == order[0]  # r > 0 when this group answered higher
    assert b2[0]["higher"] == "woman"
    assert "p_adjusted" in b2[0]


def test_by_gender_with_only_no_response_says_why(deck, tmp_path):
    q2 = "respondent,gender,B2\n" + "".join(f"{i},,{1 + i % 5}\n" for i in range(8))
    run("survey_import", write(tmp_path, "b.csv", q2), "--questionnaire", "2", "--group", "G")
    for format in ("text", "csv"):
        with pytest.raises(CommandError, match="No man or woman in group G has answered"):
            run("survey_stats", "--group", "G", "--by-gender", "--format", format)


@pytest.mark.django_db
def test_the_wide_export_has_one_row_per_respondent_and_reads_back(aliases, tmp_path):
    from surveys.models import Group, Response

    camp = Group.objects.create(name="Camp")
    from surveys.models import GroupRoom

    GroupRoom.objects.create(group=camp, room_code="CAMP")
    # Two players answered both questionnaires in the room, one only the first.
    for token, d, b2 in (("tok-a", 100, 5), ("tok-b", 60, 2)):
        Response.objects.create(
            questionnaire=1,
            room_code="CAMP",
            respondent=token,
            gender="woman",
            age_band="20s",
            answers={"A": "satisfied", "D": d},
        )
        Response.objects.create(
            questionnaire=2,
            room_code="CAMP",
            respondent=token,
            gender="woman",
            age_band="20s",
            answers={"B2": b2, "D2": 4},
        )
    Response.objects.create(
        questionnaire=1,
        room_code="CAMP",
        respondent="tok-c",
        gender="man",
        age_band="30s",
        answers={"A": "neither", "D": 40},
    )
    # A paper respondent answered both sheets.
    for number, answers in ((1, {"A": "dissatisfied", "D": 0}), (2, {"B2": 1, "D2": 3})):
        Response.objects.create(questionnaire=number, group=camp, source=Response.IMPORT,
                                respondent="p1", gender="man", answers=answers)  # fmt: skip
    wide = tmp_path / "wide.csv"
    run("survey_export", "--out", str(wide), "--group", "Camp")
    rows = csv_rows(wide.read_text(encoding="utf-8"))
    assert len(rows) == 4  # people, not questionnaires
    pairs = sorted((r["D"], r["B2"], r["questionnaire"]) for r in rows)
    assert pairs == [("0", "1", "1;2"), ("100", "5", "1;2"), ("40", "", "1"), ("60", "2", "1;2")]
    assert len({r["respondent"] for r in rows}) == 4

    def stored():
        out = {}
        for r in Response.objects.filter(group__name="Camp").order_by("questionnaire"):
            out.setdefault(r.respondent, {}).update(r.answers)
        return sorted(sorted(a.items()) for a in out.values())

    Response.objects.all().delete()
    camp.delete()
    for number in ("1", "2"):
        run("survey_import", str(wide), "--questionnaire", number, "--group", "Camp")
    assert Response.objects.filter(group__name="Camp").count() == 7
    expected = sorted(
        sorted(a.items())
        for a in (
            {"A": "satisfied", "D": 100, "B2": 5, "D2": 4},
            {"A": "satisfied", "D": 60, "B2": 2, "D2": 4},
            {"A": "neither", "D": 40},
            {"A": "dissatisfied", "D": 0, "B2": 1, "D2": 3},
        )
    )
    assert stored() == expected
    again = tmp_path / "again.csv"
    run("survey_export", "--out", str(again), "--group", "Camp")
    key = ("D", "B2", "D2", "questionnaire", "gender", "age_band", "A")
    assert sorted(tuple(r[k] for k in key) for r in csv_rows(again.read_text("utf-8"))) == sorted(
        tuple(r[k] for k in key) for r in rows
    )


@pytest.mark.django_db
def test_the_page_shows_adjusted_p_and_rounds_percentages_once(admin_client, aliases):
    from surveys.models import Group, Response

    one, two = Group.objects.create(name="One"), Group.objects.create(name="Two")
    # 1 of 8 is 12.5 %: the table shows 13 % (half up), as the charts do.
    for group, d2 in ((one, [5, 5, 4, 5, 4, 5, 4, 5]), (two, [1, 2, 1, 2, 2, 1, 2, 1])):
        for i, v in enumerate(d2):
            answers = {"D2": v, "E2": ["pretty"] if i == 0 else []}
            Response.objects.create(questionnaire=2, group=group, source=Response.IMPORT,
                                    respondent=f"{group.name}{i}", gender="man",
                                    answers=answers)  # fmt: skip
    for correction, hint in (("", "Holm's method"), ("bh", "Benjamini-Hochberg method")):
        query = f"?compare={two.pk}" + (f"&correction={correction}" if correction else "")
        page = admin_client.get(f"/en/survey/research/group/{one.pk}/{query}").content.decode()
        assert "adjusted p" in page and hint in page
        assert "-adjusted p" in page  # the sentence reads the adjusted p
        assert ">13%<" in page and ">12%<" not in page
