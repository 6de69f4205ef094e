"""The research tables and statistics: pure pandas/scipy, frames in and frames out.

No ORM here. The input is a *responses frame*, one row per response, with the columns
``respondent, group, questionnaire, gender, age_band`` and one column per question code as
stored (see surveys/questionnaires.py): single → code or None, scale → number or NaN,
multi/values → list, text → str; ``<code>_other`` holds the "other" text of a multi question.
Value questions also need ``aliases`` (normalized text → deck value number).
"""

import math
from collections import Counter

import numpy as np
import pandas as pd
from django.utils.translation import gettext
from scipy import stats

from surveys import dunn, effects, exact, ordinal
from surveys.cells import NONE_OPTION, TABLE_COLUMNS  # noqa: F401 (the tables' API)
from surveys.cells import answer_code as _code
from surveys.cells import answer_text as _text
from surveys.cells import present as _present
from surveys.correction import HOLM, adjust_p, correct  # noqa: F401 (adjust_p: the API)
from surveys.questionnaires import GENDER_CODES, MULTI, QUESTIONNAIRES, SCALE, SINGLE, TEXT, VALUES
from surveys.text import normalize_text

MIN_PER_GROUP = 5  # below this a comparison is "too few responses to say"
ALPHA = 0.05


def _gender_counts(genders: pd.Series) -> dict[str, int]:
    counts = genders.value_counts()
    return {g: int(counts.get(g, 0)) for g in GENDER_CODES}


def _row(qn: int, code: str, kind: str, option: str, genders: pd.Series, total: int, **extra):
    counts = _gender_counts(genders)
    n = int(len(genders))
    return {
        "questionnaire": qn,
        "question": code,
        "kind": kind,
        "option": option,
        "n": n,
        **counts,
        "pct": 100.0 * n / total if total else 0.0,  # rounded once, when shown (text.percent)
        "comments": extra.get("comments", []),
        "comments_total": len(extra.get("comments", [])),
        "originals": extra.get("originals", []),
    }


def value_key(text: str, aliases: dict[str, int]) -> int | str:
    """A deck value number when the text names one (directly or by alias), else the text."""
    normalized = normalize_text(text)
    return aliases.get(normalized, normalized)


def group_table(frame: pd.DataFrame, questionnaire: int, aliases: dict[str, int]) -> pd.DataFrame:
    """The published table of one group for one questionnaire.

    One row per option of every closed question in its defined order (zero rows included),
    counts by gender; reasons listed under the option they explain; value questions one row
    per value named (aliases mapped, original wording kept); free text as with/no comments.
    """
    qn = QUESTIONNAIRES[questionnaire]
    frame = ensure_columns(frame)
    frame = frame[frame["questionnaire"] == questionnaire].reset_index(drop=True)
    total = len(frame)
    genders = frame["gender"]
    rows = [_row(questionnaire, "N", "n", "respondents", genders, total)]
    reasons = {q.comment_for: q.code for q in qn.questions if q.comment_for}
    for question in qn.questions:
        if question.comment_for:
            continue
        column = frame[question.code]
        if question.kind in (SINGLE, SCALE):
            rows += _choice_rows(frame, question, column, reasons.get(question.code), total)
        elif question.kind == MULTI:
            rows += _multi_rows(frame, question, column, total)
        elif question.kind == VALUES:
            rows += _value_rows(frame, question, column, aliases, total)
        elif question.kind == TEXT:
            has = column.map(lambda v: bool(_text(v))).astype(bool)
            listed = [t for t in column[has].map(_text)]
            rows.append(
                _row(
                    questionnaire,
                    question.code,
                    TEXT,
                    "with comments",
                    genders[has],
                    total,
                    comments=listed,
                )
            )
            rows.append(
                _row(questionnaire, question.code, TEXT, "no comments", genders[~has], total)
            )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _choice_rows(frame, question, column, reason_code, total):
    rows = []
    qn = _qn(question)
    as_code = column.map(_code)
    for option in question.options:
        mask = as_code == option.code
        comments = _comments(frame, reason_code, mask)
        rows.append(
            _row(
                qn,
                question.code,
                question.kind,
                option.code,
                frame["gender"][mask],
                total,
                comments=comments,
            )
        )
    skipped = as_code.isna()
    if skipped.any():
        rows.append(
            _row(
                qn,
                question.code,
                question.kind,
                NONE_OPTION,
                frame["gender"][skipped],
                total,
                comments=_comments(frame, reason_code, skipped),
            )
        )
    return rows


def _qn(question) -> int:
    return 2 if question.code.endswith("2") else 1


def ensure_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every expected column present (an empty group has none)."""
    frame = frame.copy()
    for name in ("respondent", "group", "questionnaire", "gender", "age_band"):
        if name not in frame:
            frame[name] = pd.Series(dtype=object)
    for qn in QUESTIONNAIRES.values():
        for question in qn.questions:
            for name in (question.code, f"{question.code}_other"):
                if name not in frame:
                    frame[name] = pd.Series([None] * len(frame), dtype=object)
    return frame


def _comments(frame, reason_code, mask) -> list[str]:
    if not reason_code or not len(frame):
        return []
    return [t for t in (frame.loc[mask, reason_code].map(_text)) if t]


def _multi_rows(frame, question, column, total):
    rows = []
    qn = _qn(question)
    lists = column.map(lambda v: set(v) if isinstance(v, list | tuple) else set())
    for option in question.options:
        mask = lists.map(lambda chosen, c=option.code: c in chosen).astype(bool)
        comments = []
        if option.code == "other" and total:
            other_col = f"{question.code}_other"
            if other_col in frame:
                comments = [t for t in frame.loc[mask, other_col].map(_text) if t]
        genders = frame["gender"][mask]
        rows.append(_row(qn, question.code, MULTI, option.code, genders, total, comments=comments))
    skipped = lists.map(len) == 0
    if skipped.any():
        rows.append(_row(qn, question.code, MULTI, NONE_OPTION, frame["gender"][skipped], total))
    return rows


def _value_rows(frame, question, column, aliases, total):
    """One row per value named; people are counted once per value even if they wrote it twice."""
    qn = _qn(question)
    people: dict[int | str, list[int]] = {}
    originals: dict[int | str, Counter] = {}
    first_text: dict[str, str] = {}
    for position, items in enumerate(column.tolist()):
        if not isinstance(items, list | tuple):
            continue
        seen = set()
        for text in items:
            text = _text(text)
            if not text:
                continue
            key = value_key(text, aliases)
            originals.setdefault(key, Counter())[text] += 1
            if isinstance(key, str):
                first_text.setdefault(key, text)
            if key not in seen:
                seen.add(key)
                people.setdefault(key, []).append(position)
    mapped = sorted((k for k in people if isinstance(k, int)), key=lambda k: (-len(people[k]), k))
    unmapped = sorted((k for k in people if isinstance(k, str)), key=lambda k: (-len(people[k]), k))
    rows = []
    for key in mapped + unmapped:
        option = f"value:{key}" if isinstance(key, int) else first_text[key]
        genders = frame["gender"].iloc[people[key]]
        listed = [f"{t} ×{c}" if c > 1 else t for t, c in originals[key].most_common()]
        if isinstance(key, str) and len(originals[key]) == 1 and listed == [option]:
            listed = []  # written once, exactly as the row's label: nothing to add
        rows.append(_row(qn, question.code, VALUES, option, genders, total, originals=listed))
    named = column.map(lambda v: isinstance(v, list | tuple) and any(_text(t) for t in v))
    if total and (~named.astype(bool)).any():
        rows.append(
            _row(
                qn, question.code, VALUES, NONE_OPTION, frame["gender"][~named.astype(bool)], total
            )
        )
    return rows


def table_slips(table: pd.DataFrame) -> list[str]:
    """Arithmetic slips in a (published) table: rows whose gender split ≠ n, and single-choice
    questions whose rows do not add up to N. A computed table must return []."""
    slips = []
    for _, row in table.iterrows():
        split = int(row["man"]) + int(row["woman"]) + int(row.get("no_response", 0) or 0)
        if split != int(row["n"]):
            slip = gettext(
                "%(question)s / %(option)s: men %(men)s + women %(women)s + no response "
                "%(no_response)s = %(split)d, but n = %(n)s"
            ) % {
                "question": row["question"],
                "option": row["option"],
                "men": row["man"],
                "women": row["woman"],
                "no_response": row.get("no_response", 0) or 0,
                "split": split,
                "n": row["n"],
            }
            if "line" in row and row["line"] == row["line"]:
                slip = gettext("row %(row)d: %(message)s") % {
                    "row": int(row["line"]),
                    "message": slip,
                }
            slips.append(slip)
    totals = table[table["question"] == "N"]
    if len(totals):
        group_n = int(totals["n"].iloc[0])
        for code, rows in table[table["kind"].isin([SINGLE, SCALE])].groupby(
            "question", sort=False
        ):
            if int(rows["n"].sum()) != group_n:  # a published table may omit "no answer"
                slips.append(
                    gettext("%(question)s: options add up to %(sum)d, but N = %(n)d")
                    % {"question": code, "sum": int(rows["n"].sum()), "n": group_n}
                )
    return slips


def published_slips(rows: list[dict]) -> list[str]:
    """:func:`table_slips` of a published table read row by row (``line`` is its CSV row).
    Tables of two questionnaires are each checked against their own N."""
    frame = pd.DataFrame(rows)
    if not len(frame):
        return []
    starts = list(frame.index[frame["question"] == "N"]) or [0]
    bounds = starts + [len(frame)]
    slips = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        slips += table_slips(frame.iloc[start:end])
    return slips


# --- statistics -------------------------------------------------------------------------


def describe(values) -> dict:
    """n, mean, SD (n−1), median and the 95 % t confidence interval of the mean."""
    x = np.asarray([v for v in values if _present(v)], dtype=float)
    n = int(len(x))
    out = {
        "n": n,
        "mean": np.nan,
        "sd": np.nan,
        "median": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
    }
    if n == 0:
        return out
    out["mean"] = float(x.mean())
    out["median"] = float(np.median(x))
    if n >= 2:
        sd = float(x.std(ddof=1))
        half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        out.update(sd=sd, ci_low=out["mean"] - half, ci_high=out["mean"] + half)
    return out


def scale_stats(
    frame: pd.DataFrame, questions=None, by: str = "group", groups=None
) -> pd.DataFrame:
    """One row per (scale question, group): n, mean, sd, median, ci_low, ci_high; groups in
    ``groups`` order (the order the comparisons use), else in order of appearance."""
    questions = questions or [
        q.code for qn in QUESTIONNAIRES.values() for q in qn.questions if q.kind == SCALE
    ]
    rows = []
    for code in questions:
        if code not in frame:
            continue
        names = groups if groups is not None else frame[by].dropna().unique()
        for name in names:
            values = frame.loc[frame[by] == name, code].tolist()
            rows.append({"question": code, "group": name, **describe(values)})
    columns = ["question", "group", "n", "mean", "sd", "median", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)


def multi_percentages(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """Share of respondents choosing each option of a multi-choice question (may sum > 100)."""
    question = QUESTIONNAIRES[2 if code.endswith("2") else 1].question(code)
    lists = frame[code].map(lambda v: set(v) if isinstance(v, list | tuple) else set())
    n = len(frame)
    rows = []
    for option in question.options:
        count = int(lists.map(lambda s, c=option.code: c in s).sum())
        rows.append({"option": option.code, "count": count, "pct": 100.0 * count / n if n else 0})
    return pd.DataFrame(rows)


def _size_word(value: float, cuts: tuple[float, float, float]) -> str:
    value = abs(value)
    if value < cuts[0]:
        return "negligible"
    if value < cuts[1]:
        return "small"
    if value < cuts[2]:
        return "medium"
    return "large"


def _samples(frame: pd.DataFrame, code: str, by: str, groups) -> dict[str, list[float]]:
    """Each group's answers, in ``groups`` order (default: order of appearance); a group
    with no answer stays, empty."""
    names = [str(g) for g in (groups if groups is not None else frame[by].dropna().unique())]
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name, part in frame.groupby(by, sort=False):
        if str(name) in samples:
            samples[str(name)] = [float(v) for v in part[code] if _present(v)]
    return samples


def _not_tested(code: str, by: str, samples: dict, test: str, effect: str) -> dict:
    return {
        "question": code,
        "by": by,
        "groups": list(samples),
        "n": {k: len(v) for k, v in samples.items()},
        "test": test,
        "statistic": np.nan,
        "p_value": np.nan,
        "p_method": "",
        "p_se": np.nan,
        "effect_size": np.nan,
        "effect_name": effect,
        "effect_word": "",
        "verdict": "too_few",
        "higher": "",
        "reference": "",
        "effect_low": np.nan,  # the effect size's bootstrap interval (surveys/effects.py)
        "effect_high": np.nan,
        "effect_ci": "",  # "bca", "percentile", "too_few" (no interval) or "" (no test)
        "effect_corrected": np.nan,  # Cramér's V: Bergsma's bias-corrected V beside it
        "interval_of": "",  # what effect_low/high bound: "effect_size", or "effect_corrected"
        "ordinal": False,  # a rank test of a single question's ordered options
        "pairs": [],  # Dunn's follow-ups after a significant Kruskal-Wallis test
    }


def _interval(result: dict, statistic, counts, of: str = "effect_size") -> None:
    ci = effects.interval(statistic, counts)
    result.update(effect_low=ci["low"], effect_high=ci["high"], effect_ci=ci["method"],
                  interval_of=of)  # fmt: skip


def compare_scale(frame: pd.DataFrame, code: str, by: str = "group", groups=None) -> dict:
    """Mann-Whitney U (two groups, rank-biserial r; exact p up to exact.MANN_WHITNEY_MAX_N
    answers) or Kruskal-Wallis H (more, epsilon²). ``groups`` fixes the order (r is positive
    when the first group answered higher); a group without answers makes it "too few"."""
    samples = _samples(frame, code, by, groups)
    two = len(samples) <= 2
    result = _not_tested(
        code,
        by,
        samples,
        "mann-whitney-u" if two else "kruskal-wallis",
        "rank-biserial r" if two else "epsilon²",
    )
    result["medians"] = {k: float(np.median(v)) if v else np.nan for k, v in samples.items()}
    if len(samples) < 2 or min(len(v) for v in samples.values()) < MIN_PER_GROUP:
        return result
    if len({x for v in samples.values() for x in v}) < 2:
        result["verdict"] = "no_variation"  # everyone gave the same answer: nothing to rank
        return result
    names = list(samples)
    if len(samples) == 2:
        a, b = samples[names[0]], samples[names[1]]
        test = exact.mann_whitney(a, b)
        r = 2 * test["statistic"] / (len(a) * len(b)) - 1  # rank-biserial, + = first higher
        result.update(
            statistic=test["statistic"],
            p_value=test["p_value"],
            p_method=test["method"],
            effect_size=r,
            effect_word=_size_word(r, (0.1, 0.3, 0.5)),
            reference=names[0],
        )
        result["higher"] = names[0] if r > 0 else names[1] if r < 0 else ""
        _interval(result, effects.rank_biserial, effects.level_counts(samples.values()))
    else:
        test = stats.kruskal(*samples.values())
        n = sum(len(v) for v in samples.values())
        eps = float(test.statistic) / (n - 1)
        result.update(
            statistic=float(test.statistic),
            p_value=float(test.pvalue),
            p_method="asymptotic",
            effect_size=eps,
            effect_word=_size_word(eps, (0.01, 0.08, 0.26)),
        )
        means = {k: float(np.mean(v)) for k, v in samples.items()}
        result["higher"] = max(means, key=means.get)
        _interval(result, effects.epsilon_squared, effects.level_counts(samples.values()))
    result["verdict"] = "difference" if result["p_value"] < ALPHA else "no_difference"
    return result


def contingency(frame: pd.DataFrame, code: str, by: str = "group", groups=None) -> pd.DataFrame:
    """Counts of each option (defined order) by group (``groups`` order, a group without
    answers a row of zeros); options nobody chose are dropped."""
    question = next(q for qn in QUESTIONNAIRES.values() for q in qn.questions if q.code == code)
    answered = frame[frame[code].map(_present)]
    table = pd.crosstab(answered[by].astype(str), answered[code].map(_code))
    names = [str(g) for g in (groups if groups is not None else frame[by].dropna().unique())]
    table = table.reindex(index=names, fill_value=0)
    table = table.reindex(columns=[c for c in question.codes if c in table.columns], fill_value=0)
    return table


def compare_categories(frame: pd.DataFrame, code: str, by: str = "group", groups=None) -> dict:
    """Chi-square test of independence, or Fisher's test when any expected count < 5 (exact
    by enumeration, or seeded Monte Carlo past exact.FISHER_MAX_TABLES tables); effect size
    Cramér's V."""
    table = contingency(frame, code, by, groups)
    samples = {str(g): [None] * int(table.loc[g].sum()) for g in table.index}
    result = _not_tested(code, by, samples, "chi-square", "Cramér's V")
    if table.shape[0] < 2 or min(result["n"].values(), default=0) < MIN_PER_GROUP:
        return result
    if table.shape[1] < 2:  # everyone gave the same answer: nothing to test
        result["verdict"] = "no_variation"
        return result
    observed = table.to_numpy()
    chi2, p, _dof, expected = stats.chi2_contingency(observed, correction=False)
    n = observed.sum()
    v = math.sqrt(chi2 / (n * (min(observed.shape) - 1)))
    if (expected < 5).any():
        fisher = exact.fisher(observed)
        result.update(
            test="fisher-exact" if fisher["method"] == "exact" else "fisher-monte-carlo",
            statistic=np.nan,  # Fisher's test has no statistic beyond the table's probability
            p_value=fisher["p_value"],
            p_method=fisher["method"],
            p_se=fisher["p_se"],
        )
    else:
        result.update(statistic=float(chi2), p_value=float(p), p_method="asymptotic")
    result.update(effect_size=v, effect_word=_size_word(v, (0.1, 0.3, 0.5)))
    result["effect_corrected"] = effects.cramers_v_corrected(observed)
    # V sits above 0 even with no association, and so does every resample's V: its interval
    # would leave V out. The interval is the bias-corrected V's, which can reach 0.
    _interval(result, effects.cramers_v_bias_corrected, observed, of="effect_corrected")
    result["verdict"] = "difference" if result["p_value"] < ALPHA else "no_difference"
    return result


def compare_ordinal(frame: pd.DataFrame, code: str, by: str = "group", groups=None) -> dict:
    """:func:`compare_scale` on the option ranks of a question with ordered options."""
    ranked = frame.assign(**{code: ordinal.scores(frame, _question(code))})
    return {**compare_scale(ranked, code, by, groups), "ordinal": True}


def _question(code: str):
    return next(q for qn in QUESTIONNAIRES.values() for q in qn.questions if q.code == code)


def compare_all(
    frame: pd.DataFrame, by: str = "group", groups=None, correction: str = HOLM
) -> list[dict]:
    """Every scale and single-choice question compared across ``by`` (in ``groups`` order):
    a question with ordered options by a rank test and, beside it, chi-square/Fisher; the
    p-values adjusted together (``correction``: holm, bh or none), the verdicts read from the
    adjusted p, and Dunn's pairs (Holm) after a Kruskal-Wallis test that found a difference."""
    results, parts = [], {}
    for qn in QUESTIONNAIRES.values():
        part = frame[frame["questionnaire"] == qn.number]
        for question in qn.questions:
            if question.code not in part or not len(part):
                continue
            if question.kind == SCALE:
                results.append(compare_scale(part, question.code, by, groups))
                parts[question.code] = part
            elif question.kind == SINGLE:
                if question.ordered:
                    results.append(compare_ordinal(part, question.code, by, groups))
                    parts[question.code] = part.assign(
                        **{question.code: ordinal.scores(part, question)}
                    )
                results.append(compare_categories(part, question.code, by, groups))
    results = correct(results, correction)
    for result in results:
        if result["test"] == "kruskal-wallis" and result["verdict"] == "difference":
            samples = _samples(parts[result["question"]], result["question"], by, groups)
            result["pairs"] = dunn.dunn(samples)
    return results


# --- gameplay beside the answers (surveys/play_figures.py gives the figures) ----------------

MIN_FOR_CORRELATION = 3  # below this many players a rank correlation is "too few to say"


def rank_correlation(x, y) -> dict:
    """Spearman's rank correlation of the pairs where both are present: n, rho, p and a
    verdict: "ok", "too_few" (fewer than 3 pairs) or "constant" (one side all equal)."""
    pairs = [(float(a), float(b)) for a, b in zip(x, y, strict=True) if _present(a) and _present(b)]
    result = {"n": len(pairs), "rho": np.nan, "p_value": np.nan, "verdict": "too_few"}
    if len(pairs) < MIN_FOR_CORRELATION:
        return result
    xs, ys = zip(*pairs, strict=True)
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return {**result, "verdict": "constant"}
    test = stats.spearmanr(xs, ys)
    return {**result, "rho": float(test.statistic), "p_value": float(test.pvalue), "verdict": "ok"}


def band_stats(frame: pd.DataFrame, bands, codes=("B2", "D2")) -> list[dict]:
    """One row per accuracy band (``bands``: (name, low, high), low included): for each scale
    question its n, mean and median among the band's players (column ``band``)."""
    rows = []
    for name, _low, _high in bands:
        part = frame[frame["band"] == name] if "band" in frame else frame.iloc[0:0]
        row = {"band": name}
        for code in codes:
            values = part[code].tolist() if code in part else []
            described = describe(values)
            row[code] = {
                "n": described["n"],
                "mean": described["mean"],
                "median": described["median"],
            }
        rows.append(row)
    return rows
