"""The tables and statistics on frames built here: numbers checked one by one, statistics
against hand formulas and the statistics module (not the code path under test)."""

import math
import statistics

import pandas as pd
import pytest
from django.utils import translation

from surveys import analysis
from surveys.analysis import NONE_OPTION, group_table, table_slips

ALIASES = {"firm value": 6, "企業価値": 6, "corporate value": 6, "linking value": 10,
           "link value": 10, "use value": 1}  # fmt: skip


def person(gender, **answers):
    return {"respondent": f"p{len(answers)}", "group": "G", "questionnaire": 1,
            "gender": gender, "age_band": "20s", **answers}  # fmt: skip


@pytest.fixture
def q1_frame():
    rows = [
        person("man", A="satisfied", A_reason="Fun", B="good", D=100, F=["Corporate value"],
               G="More cards"),
        person("man", A="satisfied", B="good", D=80, F=["Firm value", "企業価値"]),
        person("woman", A="satisfied", A_reason="楽しかった", B="normal", D=100,
               F=["Link value"]),
        person("woman", A="neither", A_reason="So so", B="good", D=60, F=["Mystery value"]),
        person("no_response", A="satisfied", B="bad", D=80, F=[]),
        person("woman", B="good", D=None, G="  "),
    ]  # fmt: skip
    return pd.DataFrame(rows)


def rows_of(table, code):
    part = table[table["question"] == code]
    return [(r.option, r.n, r.man, r.woman, r.no_response) for r in part.itertuples()]


def test_it_counts_every_option_in_order_with_zero_rows(q1_frame):
    table = group_table(q1_frame, 1, ALIASES)
    assert rows_of(table, "N") == [("respondents", 6, 2, 3, 1)]
    assert rows_of(table, "A") == [
        ("satisfied", 4, 2, 1, 1),
        ("neither", 1, 0, 1, 0),
        ("dissatisfied", 0, 0, 0, 0),
        (NONE_OPTION, 1, 0, 1, 0),
    ]
    assert rows_of(table, "B") == [
        ("bad", 1, 0, 0, 1),
        ("normal", 1, 0, 1, 0),
        ("good", 4, 2, 2, 0),
    ]
    assert rows_of(table, "C") == [
        ("bad", 0, 0, 0, 0),
        ("normal", 0, 0, 0, 0),
        ("good", 0, 0, 0, 0),
        (NONE_OPTION, 6, 2, 3, 1),
    ]
    assert rows_of(table, "D") == [
        ("100", 2, 1, 1, 0),
        ("80", 2, 1, 0, 1),
        ("60", 1, 0, 1, 0),
        ("40", 0, 0, 0, 0),
        ("20", 0, 0, 0, 0),
        ("0", 0, 0, 0, 0),
        (NONE_OPTION, 1, 0, 1, 0),
    ]
    assert rows_of(table, "G") == [("with comments", 1, 1, 0, 0), ("no comments", 5, 1, 3, 1)]
    assert table_slips(table) == []


def test_it_lists_reasons_under_the_answer_they_explain(q1_frame):
    table = group_table(q1_frame, 1, ALIASES).set_index(["question", "option"])
    assert table.loc[("A", "satisfied"), "comments"] == ["Fun", "楽しかった"]
    assert table.loc[("A", "neither"), "comments"] == ["So so"]
    assert table.loc[("A", "dissatisfied"), "comments"] == []
    assert table.loc[("G", "with comments"), "comments"] == ["More cards"]


def test_it_maps_value_aliases_and_keeps_what_was_written(q1_frame):
    table = group_table(q1_frame, 1, ALIASES)
    assert rows_of(table, "F") == [
        ("value:6", 2, 2, 0, 0),  # one person wrote Firm value twice: counted once
        ("value:10", 1, 0, 1, 0),
        ("Mystery value", 1, 0, 1, 0),
        (NONE_OPTION, 2, 0, 1, 1),
    ]
    firm = table[(table["question"] == "F") & (table["option"] == "value:6")].iloc[0]
    assert sorted(firm["originals"]) == ["Corporate value", "Firm value", "企業価値"]


def test_it_counts_people_per_option_in_multi_choice():
    frame = pd.DataFrame(
        [
            {"questionnaire": 2, "gender": "man", "E2": ["pretty", "cool"]},
            {"questionnaire": 2, "gender": "woman", "E2": ["pretty", "other"],
             "E2_other": "shiny"},
            {"questionnaire": 2, "gender": "woman", "E2": []},
        ]
    )  # fmt: skip
    table = group_table(frame, 2, {})
    assert rows_of(table, "E2") == [
        ("pretty", 2, 1, 1, 0),
        ("pleasant", 0, 0, 0, 0),
        ("bright", 0, 0, 0, 0),
        ("cool", 1, 1, 0, 0),
        ("sober", 0, 0, 0, 0),
        ("quiet", 0, 0, 0, 0),
        ("other", 1, 0, 1, 0),
        (NONE_OPTION, 1, 0, 1, 0),
    ]
    e2 = table[table["question"] == "E2"].set_index("option")
    assert e2.loc["other", "comments"] == ["shiny"]
    # of the group's respondents, unrounded (rounded once when shown: surveys.text.percent)
    assert e2.loc["pretty", "pct"] == pytest.approx(200 / 3)


def test_an_empty_group_still_has_every_row():
    table = group_table(pd.DataFrame(), 2, {})
    assert rows_of(table, "B2") == [(str(n), 0, 0, 0, 0) for n in range(1, 6)]
    assert rows_of(table, "N") == [("respondents", 0, 0, 0, 0)]


def test_table_slips_names_rows_that_do_not_add_up():
    table = pd.DataFrame(
        [
            {"question": "N", "option": "", "kind": "n", "n": 10, "man": 5, "woman": 5,
             "no_response": 0},
            {"question": "A", "option": "Satisfied", "kind": "single", "n": 9, "man": 4,
             "woman": 4, "no_response": 0},
            {"question": "A", "option": "Neither", "kind": "single", "n": 1, "man": 1,
             "woman": 0, "no_response": 0},
        ]
    )  # fmt: skip
    with translation.override("en"):  # slips are in the reader's language
        slips = table_slips(table)
    assert len(slips) == 1 and "A / Satisfied" in slips[0] and "= 8, but n = 9" in slips[0]


# --- statistics checked against independent computations ---------------------------------

SAMPLE = [5, 4, 4, 3, 5, 2, 4, 5, 3, 4]
T_975_DF9 = 2.262157162740992  # Student's t, 0.975 quantile, 9 df (printed tables)


def test_describe_matches_the_statistics_module_and_the_t_formula():
    out = analysis.describe(SAMPLE + [None, float("nan")])
    assert out["n"] == 10
    assert out["mean"] == pytest.approx(statistics.mean(SAMPLE))
    assert out["sd"] == pytest.approx(statistics.stdev(SAMPLE))
    assert out["median"] == pytest.approx(statistics.median(SAMPLE))
    half = T_975_DF9 * statistics.stdev(SAMPLE) / math.sqrt(10)
    assert out["ci_low"] == pytest.approx(statistics.mean(SAMPLE) - half, abs=1e-9)
    assert out["ci_high"] == pytest.approx(statistics.mean(SAMPLE) + half, abs=1e-9)


def test_describe_of_one_answer_has_no_spread():
    out = analysis.describe([3])
    assert out["n"] == 1 and out["mean"] == 3 and math.isnan(out["sd"])


def _mann_whitney_by_hand(a, b):
    """U by counting pairs; two-sided p by the normal approximation with tie and
    continuity corrections (what scipy's asymptotic method does)."""
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b)
    n1, n2 = len(a), len(b)
    n = n1 + n2
    counts = {v: (a + b).count(v) for v in set(a + b)}
    tie = sum(t**3 - t for t in counts.values())
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie / (n * (n - 1))))
    z = (abs(u - n1 * n2 / 2) - 0.5) / sigma
    p = math.erfc(z / math.sqrt(2))
    return u, p, 2 * u / (n1 * n2) - 1


def scale_frame(groups: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "questionnaire": 2, "gender": "man", "B2": v}
         for g, values in groups.items() for v in values]
    )  # fmt: skip


def test_mann_whitney_u_with_rank_biserial_effect():
    from tests.surveys.test_statistics_review import mann_whitney_by_enumeration

    a, b = [5, 4, 4, 5, 3, 5, 4], [2, 3, 3, 1, 4, 2, 3, 2]
    result = analysis.compare_scale(scale_frame({"A": a, "B": b}), "B2")
    u, p = mann_whitney_by_enumeration(a, b)  # small samples: the exact p
    r = 2 * u / (len(a) * len(b)) - 1
    assert result["test"] == "mann-whitney-u" and result["p_method"] == "exact"
    assert result["statistic"] == pytest.approx(u)
    assert result["p_value"] == pytest.approx(p, rel=1e-9)
    assert result["effect_size"] == pytest.approx(r)
    assert result["verdict"] == "difference" and result["higher"] == "A"


def test_mann_whitney_on_large_samples_uses_the_normal_approximation():
    a = [5, 4, 4, 5, 3, 5, 4, 2] * 7
    b = [2, 3, 3, 1, 4, 2, 3, 2] * 7  # 112 answers: past exact.MANN_WHITNEY_MAX_N
    result = analysis.compare_scale(scale_frame({"A": a, "B": b}), "B2")
    u, p, r = _mann_whitney_by_hand(a, b)
    assert result["test"] == "mann-whitney-u" and result["p_method"] == "asymptotic"
    assert result["statistic"] == pytest.approx(u)
    assert result["p_value"] == pytest.approx(p, rel=1e-9)
    assert result["effect_size"] == pytest.approx(r)
    assert result["verdict"] == "difference" and result["higher"] == "A"


def test_kruskal_wallis_by_hand():
    groups = {"A": [1, 2, 2, 3, 1], "B": [3, 4, 3, 5, 4], "C": [2, 3, 5, 4, 5, 4]}
    values = sorted(v for vs in groups.values() for v in vs)
    n = len(values)
    rank = {}
    for v in set(values):  # midranks
        positions = [i + 1 for i, x in enumerate(values) if x == v]
        rank[v] = sum(positions) / len(positions)
    h = 12 / (n * (n + 1)) * sum(
        sum(rank[v] for v in vs) ** 2 / len(vs) for vs in groups.values()
    ) - 3 * (n + 1)
    tie = 1 - sum(values.count(v) ** 3 - values.count(v) for v in set(values)) / (n**3 - n)
    h /= tie
    result = analysis.compare_scale(scale_frame(groups), "B2")
    assert result["test"] == "kruskal-wallis"
    assert result["statistic"] == pytest.approx(h)
    assert result["p_value"] == pytest.approx(math.exp(-h / 2))  # chi-square, 2 df
    assert result["effect_size"] == pytest.approx(h / (n - 1))


def test_too_few_responses_to_say():
    result = analysis.compare_scale(scale_frame({"A": [5, 4, 3], "B": [1, 2, 3, 4, 5]}), "B2")
    assert result["verdict"] == "too_few" and math.isnan(result["p_value"])


def category_frame(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"group": g, "questionnaire": 1, "gender": "man", "A": option}
         for g, by_option in counts.items() for option, k in by_option.items()
         for _ in range(k)]
    )  # fmt: skip


def test_chi_square_and_cramers_v_by_hand():
    counts = {"X": {"satisfied": 20, "neither": 10, "dissatisfied": 6},
              "Y": {"satisfied": 10, "neither": 15, "dissatisfied": 9}}  # fmt: skip
    result = analysis.compare_categories(category_frame(counts), "A")
    options = ["satisfied", "neither", "dissatisfied"]
    table = [[counts[g][o] for o in options] for g in ("X", "Y")]
    n = sum(map(sum, table))
    rows = [sum(r) for r in table]
    cols = [sum(c) for c in zip(*table, strict=True)]
    chi2 = sum(
        (table[i][j] - rows[i] * cols[j] / n) ** 2 / (rows[i] * cols[j] / n)
        for i in range(2)
        for j in range(3)
    )
    assert result["test"] == "chi-square"
    assert result["statistic"] == pytest.approx(chi2)
    assert result["p_value"] == pytest.approx(math.exp(-chi2 / 2))  # 2 df
    assert result["effect_size"] == pytest.approx(math.sqrt(chi2 / n))


def test_fisher_exact_when_expected_counts_are_small():
    counts = {"X": {"satisfied": 6, "neither": 0}, "Y": {"satisfied": 1, "neither": 5}}
    result = analysis.compare_categories(category_frame(counts), "A")
    # Two-sided Fisher p by hand: sum of hypergeometric probabilities <= the observed one.
    a, b, c, d = 6, 0, 1, 5
    row1, col1, n = a + b, a + c, a + b + c + d

    def prob(x):
        return math.comb(col1, x) * math.comb(n - col1, row1 - x) / math.comb(n, row1)

    observed = prob(a)
    p = sum(prob(x) for x in range(max(0, row1 + col1 - n), min(row1, col1) + 1)
            if prob(x) <= observed * (1 + 1e-7))  # fmt: skip
    assert result["test"] == "fisher-exact"
    assert result["p_value"] == pytest.approx(p)
    assert result["verdict"] == "difference"
