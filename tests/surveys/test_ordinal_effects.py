"""Issue 13's statistics still to build: Dunn's pairs after Kruskal-Wallis, ordered options read
as ranks (A, B, C, E), bootstrap intervals of the effect sizes and Bergsma's bias-corrected
Cramér's V. Each is checked against an independent computation written here (hand formulas,
exact enumeration, scipy on the raw answers), never the code path under test."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from django.utils import translation
from scipy import stats

from surveys import analysis, charts, dunn, effects, ordinal, reporting
from surveys.questionnaires import question
from tests.surveys.test_csv_io import csv_rows, write
from tests.surveys.test_statistics_review import category_frame, run, scale_frame


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- Dunn's test --------------------------------------------------------------------------


def dunn_by_hand(samples: dict[str, list[float]]) -> dict[tuple[str, str], tuple[float, float]]:
    """z and the two-sided p of each pair, from mid-ranks computed by counting."""
    pooled = [v for values in samples.values() for v in values]
    n = len(pooled)
    rank = {v: sum(1 for w in pooled if w < v) + (pooled.count(v) + 1) / 2 for v in set(pooled)}
    ties = sum(t**3 - t for t in (pooled.count(v) for v in set(pooled)))
    variance = n * (n + 1) / 12 - ties / (12 * (n - 1))
    mean = {k: sum(rank[v] for v in values) / len(values) for k, values in samples.items()}
    out = {}
    for a, b in itertools.combinations(samples, 2):
        z = (mean[a] - mean[b]) / math.sqrt(variance * (1 / len(samples[a]) + 1 / len(samples[b])))
        out[(a, b)] = (z, math.erfc(abs(z) / math.sqrt(2)))
    return out


def holm_by_hand(ps: list[float]) -> list[float]:
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        out[i] = running
    return out


THREE = {
    "X": [1, 1, 2, 2, 1, 2, 1, 3, 2, 1],
    "Y": [3, 3, 2, 4, 3, 3, 2, 3, 4, 3],
    "Z": [5, 4, 5, 5, 4, 3, 5, 4, 5, 4],
}


def test_dunn_matches_the_hand_formula_with_ties_and_holm():
    pairs = dunn.dunn({k: [float(v) for v in vs] for k, vs in THREE.items()})
    hand = dunn_by_hand(THREE)
    assert [(p["first"], p["second"]) for p in pairs] == list(hand)  # the groups' order
    for pair in pairs:
        z, p = hand[(pair["first"], pair["second"])]
        assert pair["z"] == pytest.approx(z, abs=1e-6)
        assert pair["p_value"] == pytest.approx(p, abs=1e-6)
    adjusted = holm_by_hand([hand[k][1] for k in hand])
    assert [p["p_adjusted"] for p in pairs] == pytest.approx(adjusted, abs=1e-6)
    assert pairs[1]["higher"] == "Z" and pairs[1]["verdict"] == "difference"  # X vs Z


def test_dunn_follows_only_a_kruskal_wallis_that_is_significant_after_correction():
    results = analysis.compare_all(scale_frame({k: v for k, v in THREE.items()}, "B2"))
    (b2,) = [r for r in results if r["question"] == "B2"]
    assert b2["test"] == "kruskal-wallis" and b2["verdict"] == "difference"
    assert [(p["first"], p["second"]) for p in b2["pairs"]] == [("X", "Y"), ("X", "Z"), ("Y", "Z")]
    flat = {"X": [1, 2, 3, 4, 5, 3], "Y": [2, 3, 4, 1, 5, 3], "Z": [3, 4, 2, 5, 1, 3]}
    (same,) = analysis.compare_all(scale_frame(flat, "B2"))
    assert same["verdict"] == "no_difference" and same["pairs"] == []


# --- ordered options --------------------------------------------------------------------


def quantile_by_hand(sorted_values: list[float], p: float) -> float:
    """numpy's averaged_inverted_cdf written out: n·p whole → the mean of the two answers
    around it, else the answer at ⌈n·p⌉."""
    n = len(sorted_values)
    g = n * p
    if abs(g - round(g)) < 1e-12:
        j = int(round(g))
        return (sorted_values[j - 1] + sorted_values[j]) / 2
    return sorted_values[math.ceil(g) - 1]


def test_ordered_questions_are_flagged_and_ranked():
    assert [c for c in "ABCDEFG" if question(c).ordinal] == ["A", "B", "C", "D", "E"]
    assert [o.code for o in question("A").ranked_options] == ["dissatisfied", "neither",
                                                              "satisfied"]  # fmt: skip
    assert [str(o.label) for o in ordinal.top_box(question("B"))] == ["Good"]
    assert [o.code for o in ordinal.top_box(question("B2"))] == ["5", "4"]
    assert [o.code for o in ordinal.top_box(question("D"))] == ["100", "80"]


@pytest.mark.parametrize(
    "answers",
    [["bad", "normal", "normal", "good", "good", "good"],
     ["bad", "good", "normal", "normal", "good", None, "bad", "good"],
     ["normal"] * 3 + ["good"]],
)  # fmt: skip
def test_median_iqr_and_top_box_in_option_labels(answers):
    q = question("B")
    rank = {"bad": 1, "normal": 2, "good": 3}
    given = sorted(rank[a] for a in answers if a)
    summary = ordinal.summary(q, ordinal.scores(pd.DataFrame({"B": answers}), q))
    assert summary["n"] == len(given)
    for key, p in (("q1", 0.25), ("median", 0.5), ("q3", 0.75)):
        assert summary[key] == pytest.approx(quantile_by_hand(given, p), abs=1e-9)
    assert summary["top_box_pct"] == pytest.approx(100 * given.count(3) / len(given))
    names = {1: "Bad", 2: "Normal", 3: "Good", 1.5: "Bad–Normal", 2.5: "Normal–Good"}
    assert summary["median_label"] == names[summary["median"]]


def mann_whitney_exact_by_enumeration(a, b) -> float:
    """Two-sided p over every split of the pooled answers (mid-ranks), written out."""
    pooled = list(a) + list(b)
    rank = {v: sum(1 for w in pooled if w < v) + (pooled.count(v) + 1) / 2 for v in set(pooled)}
    ranks = [rank[v] for v in pooled]
    centre = len(a) * (len(pooled) + 1) / 2
    observed = abs(sum(ranks[: len(a)]) - centre)
    splits = list(itertools.combinations(range(len(pooled)), len(a)))
    hits = sum(1 for s in splits if abs(sum(ranks[i] for i in s) - centre) >= observed - 1e-9)
    return hits / len(splits)


def test_an_ordered_question_gets_a_rank_test_beside_chi_square():
    counts = {"One": {"satisfied": 5, "neither": 2, "dissatisfied": 0},
              "Two": {"satisfied": 1, "neither": 3, "dissatisfied": 3}}  # fmt: skip
    results = [r for r in analysis.compare_all(category_frame(counts)) if r["question"] == "A"]
    assert [(r["test"], r["ordinal"]) for r in results] == [
        ("mann-whitney-u", True), ("fisher-exact", False)]  # fmt: skip
    rank = {"satisfied": 3, "neither": 2, "dissatisfied": 1}
    one = [rank[o] for o, k in counts["One"].items() for _ in range(k)]
    two = [rank[o] for o, k in counts["Two"].items() for _ in range(k)]
    ranked = results[0]
    assert ranked["p_value"] == pytest.approx(mann_whitney_exact_by_enumeration(one, two), abs=1e-6)
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in one for y in two)
    assert ranked["effect_size"] == pytest.approx(2 * u / (len(one) * len(two)) - 1, abs=1e-6)
    assert ranked["higher"] == "One"  # more satisfied
    # Both are in the correction's family (two tests here: Holm by hand over both).
    by_hand = holm_by_hand([r["p_value"] for r in results])
    assert [r["p_adjusted"] for r in results] == pytest.approx(by_hand, abs=1e-9)


# --- Cramér's V, bias-corrected -----------------------------------------------------------


def chi2_by_hand(table) -> float:
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    n = sum(rows)
    return sum((table[i][j] - rows[i] * cols[j] / n) ** 2 / (rows[i] * cols[j] / n)
               for i in range(len(rows)) for j in range(len(cols)))  # fmt: skip


@pytest.mark.parametrize("table", [[[10, 5, 3], [4, 8, 9]], [[6, 1], [2, 7]],
                                   [[3, 3, 4], [4, 3, 3], [3, 4, 3]]])  # fmt: skip
def test_bias_corrected_cramers_v_by_bergsma_s_formula(table):
    r, c, n = len(table), len(table[0]), sum(map(sum, table))
    chi2 = chi2_by_hand(table)
    phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
    rt, ct = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    assert effects.cramers_v_corrected(table) == pytest.approx(
        math.sqrt(phi2 / min(rt - 1, ct - 1)), abs=1e-6
    )
    plain = math.sqrt(chi2 / (n * (min(r, c) - 1)))
    assert float(effects.cramers_v(np.array(table, float))) == pytest.approx(plain, abs=1e-6)
    assert effects.cramers_v_corrected(table) <= plain  # the correction only ever lowers it


def test_the_category_comparison_carries_the_corrected_v():
    counts = {"One": {"satisfied": 12, "neither": 5, "dissatisfied": 3},
              "Two": {"satisfied": 4, "neither": 8, "dissatisfied": 9}}  # fmt: skip
    (chi,) = [r for r in analysis.compare_all(category_frame(counts)) if not r["ordinal"]]
    table = [[3, 5, 12], [9, 8, 4]]
    assert chi["effect_size"] == pytest.approx(math.sqrt(chi2_by_hand(table) / 41), abs=1e-6)
    assert chi["effect_corrected"] == pytest.approx(effects.cramers_v_corrected(table), abs=1e-9)


@pytest.mark.parametrize("table", [[[10, 5, 3], [4, 8, 9]], [[6, 1], [2, 7]],
                                   [[3, 3, 4], [4, 3, 3], [3, 4, 3]]])  # fmt: skip
def test_the_bias_corrected_v_of_many_tables_at_once_is_bergsma_s(table):
    """The bootstrap's vectorised Ṽ equals the formula above, table by table and stacked."""
    stacked = np.array([table, np.array(table)[:, ::-1]], dtype=float)
    assert effects.cramers_v_bias_corrected(stacked).tolist() == pytest.approx(
        [effects.cramers_v_corrected(t) for t in stacked], abs=1e-9
    )


def test_the_interval_of_v_near_zero_is_of_the_corrected_v_and_holds_it():
    """Before: with no association (V = 0.02) every resample's V lay above V, and the page
    printed "V = 0.02 [0.03, 0.12]", an interval without its estimate. Now the interval is
    the bias-corrected V's (0 here), which a resample can reach."""
    counts = {"One": {"satisfied": 52, "neither": 48, "dissatisfied": 50},
              "Two": {"satisfied": 49, "neither": 51, "dissatisfied": 50}}  # fmt: skip
    (chi,) = [r for r in analysis.compare_all(category_frame(counts)) if not r["ordinal"]]
    table = [[52, 48, 50], [49, 51, 50]]
    assert chi["effect_size"] == pytest.approx(math.sqrt(chi2_by_hand(table) / 300), abs=1e-9)
    assert chi["effect_corrected"] == 0.0
    assert chi["interval_of"] == "effect_corrected"
    assert chi["effect_low"] == 0.0 <= chi["effect_corrected"] <= chi["effect_high"] < 0.2
    # Shown as such: V alone, the interval beside the corrected V.
    assert reporting.effect_text(chi) == f"V = {chi['effect_size']:.2f}"
    assert reporting.effect_note(chi) == f"bias-corrected V = 0.00 [0.00, {chi['effect_high']:.2f}]"


def test_a_strong_association_s_interval_holds_its_corrected_v():
    counts = {"One": {"satisfied": 40, "neither": 5, "dissatisfied": 5},
              "Two": {"satisfied": 5, "neither": 10, "dissatisfied": 35}}  # fmt: skip
    (chi,) = [r for r in analysis.compare_all(category_frame(counts)) if not r["ordinal"]]
    assert chi["effect_low"] <= chi["effect_corrected"] <= chi["effect_high"]
    assert chi["effect_corrected"] < chi["effect_size"] and chi["effect_low"] > 0.4


# --- bootstrap intervals ------------------------------------------------------------------


def r_raw(x, y, axis=-1):
    u = stats.mannwhitneyu(x, y, axis=axis, method="asymptotic").statistic
    return 2 * u / (x.shape[axis] * y.shape[axis]) - 1


def test_effect_sizes_from_counts_equal_those_from_the_answers():
    rng = np.random.default_rng(5)
    x, y, z = rng.integers(1, 6, 23), rng.integers(2, 6, 31), rng.integers(1, 4, 17)
    two, three = effects.level_counts([x, y]), effects.level_counts([x, y, z])
    assert float(effects.rank_biserial(two)) == pytest.approx(float(r_raw(x, y)), abs=1e-6)
    h = stats.kruskal(x, y, z).statistic
    assert float(effects.epsilon_squared(three)) == pytest.approx(h / (71 - 1), abs=1e-6)
    table = pd.crosstab(np.repeat([0, 1, 2], [23, 31, 17]), np.concatenate([x, y, z])).to_numpy()
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    assert float(effects.cramers_v(three)) == pytest.approx(math.sqrt(chi2 / (71 * 2)), abs=1e-6)


@pytest.mark.parametrize("method", ["BCa", "percentile"])
def test_the_interval_agrees_with_scipy_s_bootstrap_of_the_answers(method):
    rng = np.random.default_rng(7)
    x, y = rng.integers(1, 6, 40), rng.integers(2, 6, 35)
    ours = effects.interval(
        effects.rank_biserial, effects.level_counts([x, y]), method=method.lower()
    )
    theirs = stats.bootstrap((x, y), r_raw, n_resamples=20_000, method=method,
                             rng=np.random.default_rng(0)).confidence_interval  # fmt: skip
    assert ours["method"] == method.lower()
    # Two Monte Carlo estimates (2,000 and 20,000 resamples): they agree within their error.
    assert ours["low"] == pytest.approx(theirs.low, abs=0.03)
    assert ours["high"] == pytest.approx(theirs.high, abs=0.03)
    again = effects.interval(
        effects.rank_biserial, effects.level_counts([x, y]), method=method.lower()
    )
    assert again == ours  # seeded: the same interval twice


def test_interval_is_the_same_twice_and_skipped_below_ten_per_group():
    frame = scale_frame({"A": [5, 4, 4, 5, 3, 5, 4, 2, 5, 4, 3, 5],
                         "B": [2, 3, 1, 2, 4, 2, 3, 1, 2, 3, 2]})  # fmt: skip
    first, second = analysis.compare_scale(frame, "B2"), analysis.compare_scale(frame, "B2")
    assert first["effect_ci"] == "bca"
    assert (first["effect_low"], first["effect_high"]) == (
        second["effect_low"],
        second["effect_high"],
    )
    assert first["effect_low"] < first["effect_size"] < first["effect_high"]
    small = analysis.compare_scale(scale_frame({"A": [5, 4, 4, 5, 3, 5], "B": [2, 3, 1, 2, 4, 2]}),
                                   "B2")  # fmt: skip
    assert small["effect_ci"] == "too_few" and math.isnan(small["effect_low"])
    from surveys.reporting import comparison_rows

    (row,) = comparison_rows([{**first, "p_adjusted": first["p_value"], "correction": "holm"}])
    assert row["effect_text"] == (
        f"r = {first['effect_size']:.2f} [{first['effect_low']:.2f}, {first['effect_high']:.2f}]"
    )
    (row,) = comparison_rows([{**small, "p_adjusted": small["p_value"], "correction": "holm"}])
    assert "no interval: fewer than 10 answers in a group" in row["effect_note"]


def test_bootstrap_is_fast_at_a_hundred_thousand_answers():
    import time

    rng = np.random.default_rng(3)
    samples = {g: list(rng.integers(1, 6, 33_000).astype(float)) for g in "XYZ"}
    frame = scale_frame(samples, "B2")
    start = time.perf_counter()
    result = analysis.compare_scale(frame, "B2")
    assert result["effect_ci"] == "bca"
    assert time.perf_counter() - start < 3.0


# --- charts -----------------------------------------------------------------------------


def test_the_likert_chart_prints_low_neutral_high_totals_and_a_percent_axis():
    svg = charts.diverging_bars("B. Visibility", ["Bad", "Normal", "Good"],
                                [("One", [1, 2, 5]), ("Two", [4, 3, 1])])  # fmt: skip
    import re

    totals = re.findall(r'data-total="(\w+)">(\d+)%', svg)
    assert totals == [("low", "13"), ("high", "63"), ("neutral", "25"),
                      ("low", "50"), ("high", "13"), ("neutral", "38")]  # fmt: skip
    for tick in ("100%", "50%", "0%"):
        assert f">{tick}</text>" in svg
    assert "One (n=8)" in svg and "Bad: 1 (13%)" in svg


# --- through the command and the page -----------------------------------------------------


def test_the_statistics_csv_has_intervals_ordinal_columns_and_dunn_rows(deck, tmp_path):
    for name, values in THREE.items():
        q2 = "respondent,gender,B2\n" + "".join(
            f"{name}{i},man,{v}\n" for i, v in enumerate(values)
        )
        run("survey_import", write(tmp_path, f"{name}.csv", q2), "--questionnaire", "2",
            "--group", name)  # fmt: skip
        visibility = ["bad", "normal", "good"]
        q1 = "respondent,gender,B\n" + "".join(
            f"{name}{i},man,{visibility[min(2, v // 2)]}\n" for i, v in enumerate(values)
        )
        run("survey_import", write(tmp_path, f"{name}1.csv", q1), "--questionnaire", "1",
            "--group", name)  # fmt: skip
    text = run("survey_stats", "--group", "X", "--compare", "Y", "Z", "--format", "csv")
    rows = csv_rows(text)
    assert all(len(r) == len(rows[0]) for r in rows)
    assert {"effect_low", "effect_high", "effect_ci", "interval_of", "effect_corrected",
            "versus", "q1", "q3", "top_box_pct"} <= set(rows[0])  # fmt: skip
    dunn_rows = [r for r in rows if r["test"] == "dunn" and r["question"] == "B2"]
    hand = dunn_by_hand(THREE)
    assert [(r["group"], r["versus"]) for r in dunn_rows] == list(hand)
    for r in dunn_rows:
        assert float(r["statistic"]) == pytest.approx(hand[(r["group"], r["versus"])][0], abs=1e-6)
    b = [r for r in rows if r["question"] == "B" and r["test"] == "kruskal-wallis"]
    assert [r["group"] for r in b] == ["X", "Y", "Z"] and b[0]["top_box_pct"] != ""
    kw = next(r for r in rows if r["question"] == "B2" and r["test"] == "kruskal-wallis")
    assert float(kw["effect_low"]) < float(kw["effect_size"]) < float(kw["effect_high"])
    plain = run("survey_stats", "--group", "X", "--compare", "Y", "Z")
    assert "Dunn X – Z" in plain and "ε² = " in plain and "top box" in plain


@pytest.mark.django_db
def test_the_page_shows_intervals_ordinal_summary_dunn_and_likert_charts(admin_client, aliases):
    from surveys.models import Group, Response

    groups = {name: Group.objects.create(name=name) for name in THREE}
    visibility = ["bad", "normal", "good"]
    for name, values in THREE.items():
        for i, v in enumerate(values):
            for number, answers in ((1, {"B": visibility[min(2, v // 2)], "A": "satisfied"}),
                                    (2, {"B2": v})):  # fmt: skip
                Response.objects.create(questionnaire=number, group=groups[name], answers=answers,
                                        source=Response.IMPORT, respondent=f"{name}{i}",
                                        gender="man")  # fmt: skip
    query = f"?compare={groups['Y'].pk}&compare={groups['Z'].pk}"
    page = admin_client.get(f"/en/survey/research/group/{groups['X'].pk}/{query}").content.decode()
    assert "Questions with ordered options" in page and "Top box" in page
    assert "Pairs (Dunn's test, Holm-adjusted)" in page
    assert "Kruskal-Wallis H on the option ranks" in page
    import re

    assert re.search(r"ε² = 0\.\d\d \[0\.\d\d, 0\.\d\d\]", page)
    assert page.count('data-total="low"') >= 3  # A, B (and the scales) as Likert charts
    chart = admin_client.get(f"/en/survey/research/group/{groups['X'].pk}/chart/B.svg")
    assert chart.status_code == 200 and 'data-total="high"' in chart.content.decode()


def test_v_near_zero_falls_back_to_the_percentile_interval():
    # Three groups answering alike: V is near 0 and nearly every resample lies above it, so
    # BCa's interval would leave the estimate out ([0.03, 0.03] around V = 0.05 on the page).
    same = np.array([[4, 3, 3], [4, 3, 3], [5, 4, 3]], dtype=float)
    ci = effects.interval(effects.cramers_v, same)
    draws = effects.cramers_v(effects.resample(same, effects.RESAMPLES,
                                               np.random.default_rng(effects.SEED)))  # fmt: skip
    assert ci["method"] == "percentile"
    assert (ci["low"], ci["high"]) == pytest.approx(tuple(np.percentile(draws, [2.5, 97.5])))
