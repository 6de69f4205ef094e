"""Words for the numbers: table sections for pages, plain text for the command line and the
plain-language line under each comparison. Reads analysis frames, never the database."""

import math

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys.csv_io import table_option_label
from surveys.questionnaires import QUESTIONNAIRES, question
from surveys.text import percent

TEST_NAMES = {
    "mann-whitney-u": gettext_lazy("Mann-Whitney U"),
    "kruskal-wallis": gettext_lazy("Kruskal-Wallis H"),
    "chi-square": gettext_lazy("chi-square"),
    "fisher-exact": gettext_lazy("Fisher's exact test"),
    "fisher-monte-carlo": gettext_lazy("Fisher's test (Monte Carlo)"),
}
CORRECTION_NAMES = {
    "holm": gettext_lazy("Holm"),
    "bh": gettext_lazy("Benjamini-Hochberg"),
}
EFFECT_SYMBOLS = {"rank-biserial r": "r", "epsilon²": "ε²", "Cramér's V": "V"}
EFFECT_WORDS = {
    "negligible": gettext_lazy("negligible"),
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
}


def shows_no_response(table: pd.DataFrame) -> bool:
    """The "no response" gender column appears only where someone withheld their gender."""
    return bool(len(table)) and int(table.loc[table["question"] == "N", "no_response"].sum()) > 0


def table_sections(table: pd.DataFrame, values: dict, lang: str) -> list[dict]:
    """The table grouped by question, with labels in ``lang``, ready for a template."""
    sections: dict[str, dict] = {}
    for _index, row in table.iterrows():
        code = row["question"]
        if code == "N":
            continue
        if code not in sections:
            q = question(code)
            sections[code] = {"code": code, "text": str(q.text), "kind": q.kind, "rows": [],
                              "answered": int(row.get("answered", 0)),
                              "no_answer": int(row.get("no_answer", 0))}  # fmt: skip
        sections[code]["rows"].append(
            {
                "label": table_option_label(row, values, lang),
                "n": int(row["n"]),
                "man": int(row["man"]),
                "woman": int(row["woman"]),
                "no_response": int(row["no_response"]),
                "pct": row["pct"],
                "pct_text": percent(row["pct"]),
                # the share of those who answered (surveys.tables.with_missing), if given
                "pct_answered_text": _share(row.get("pct_answered")),
                "comments": list(row["comments"]),
                # comments written but not listed (a page lists the first few)
                "comments_more": int(row.get("comments_total", 0)) - len(row["comments"]),
                "originals": list(row["originals"]),
            }
        )
    return list(sections.values())


def _share(value) -> str:
    return percent(value) if value is not None and value == value else ""


def table_text(table: pd.DataFrame, values: dict, lang: str) -> str:
    """The published table as aligned plain text (``survey_tables --format text``)."""
    with_nr = shows_no_response(table)
    head = [_("Question"), _("Evaluation"), "N", _("Men"), _("Women")]
    if with_nr:
        head.append(_("No response"))
    lines = []
    for number in sorted(table["questionnaire"].unique()):
        part = table[table["questionnaire"] == number]
        total = part[part["question"] == "N"].iloc[0]
        lines.append(f"{QUESTIONNAIRES[int(number)].title}  (N = {int(total['n'])})")
        lines.append("  ".join(f"{h:<14}" if i == 1 else f"{h:<8}" for i, h in enumerate(head)))
        previous = None
        for _index, row in part.iterrows():
            if row["question"] == "N":
                continue
            code = row["question"] if row["question"] != previous else ""
            previous = row["question"]
            cells = [
                f"{code:<8}",
                f"{table_option_label(row, values, lang):<14}",
                f"{int(row['n']):>8}",
                f"{int(row['man']):>8}",
                f"{int(row['woman']):>8}",
            ]
            if with_nr:
                cells.append(f"{int(row['no_response']):>8}")
            lines.append("  ".join(cells))
            for comment in row["comments"]:
                lines.append(f"{'':<10}· {comment}")
            if row["originals"]:
                lines.append(f"{'':<10}({_('written as')}: {', '.join(row['originals'])})")
        lines.append("")
    return "\n".join(lines)


def _fmt_p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _p_read(result: dict) -> str:
    """The p the sentence reads: the adjusted one when a correction was applied."""
    method = result.get("correction", "none")
    if method in CORRECTION_NAMES and _ok(result.get("p_adjusted")):
        return _("%(method)s-adjusted %(p)s") % {
            "method": CORRECTION_NAMES[method],
            "p": _fmt_p(result["p_adjusted"]),
        }
    return _fmt_p(result["p_value"])


def plain_line(result: dict, labels: dict | None = None) -> str:
    """What a comparison means, in one sentence a teacher can read out."""
    labels = labels or {}
    if result["verdict"] == "too_few":
        return _("Too few responses to say: each group needs at least 5 answers to this question.")
    if result["verdict"] == "no_variation":
        return _("Everyone gave the same answer: there is nothing to compare, so no test was run.")
    name = labels.get(result["higher"], result["higher"])
    effect = EFFECT_WORDS.get(result["effect_word"], result["effect_word"])
    p = _p_read(result)
    if result["verdict"] == "difference":
        if result["higher"] and result["test"] in ("mann-whitney-u", "kruskal-wallis"):
            return _(
                "A real difference is likely (%(p)s, %(effect)s effect): %(name)s answered higher."
            ) % {"p": p, "effect": effect, "name": name}
        return _("The answers differ between the groups (%(p)s, %(effect)s effect).") % {
            "p": p,
            "effect": effect,
        }
    return _(
        "No clear difference (%(p)s): what differs could well be chance with this many answers."
    ) % {"p": p}


def _bounds(result: dict) -> str:
    """ " [0.12, 0.63]": the 95 % bootstrap interval, if there is one."""
    if not _ok(result.get("effect_low")):
        return ""
    return f" [{result['effect_low']:.2f}, {result['effect_high']:.2f}]"


def effect_text(result: dict) -> str:
    """ "r = 0.41 [0.12, 0.63]": the effect size and its 95 % bootstrap interval (for V the
    interval goes with the bias-corrected V, in :func:`effect_note`)."""
    symbol = EFFECT_SYMBOLS.get(result["effect_name"], result["effect_name"])
    if not _ok(result.get("effect_size")):
        return "—"
    text = f"{symbol} = {result['effect_size']:.2f}"
    if result.get("interval_of", "effect_size") == "effect_size":
        text += _bounds(result)
    return text


def effect_note(result: dict) -> str:
    """What goes with the effect size: the bias-corrected V, or why no interval is given."""
    from surveys import effects  # deferred: it loads scipy, which the tables do not need

    notes = []
    if _ok(result.get("effect_corrected")):
        corrected = _("bias-corrected V = %(v).2f") % {"v": result["effect_corrected"]}
        if result.get("interval_of") == "effect_corrected":
            corrected += _bounds(result)
        notes.append(corrected)
    if result.get("effect_ci") == "too_few":
        notes.append(
            _("no interval: fewer than %(n)d answers in a group") % {"n": effects.MIN_PER_GROUP}
        )
    return "; ".join(notes)


def test_name(result: dict) -> str:
    name = str(TEST_NAMES.get(result["test"], result["test"]))
    return _("%(test)s on the option ranks") % {"test": name} if result.get("ordinal") else name


def pair_rows(result: dict, labels: dict) -> list[dict]:
    """Dunn's pairs for a page or a text: the groups' names, z, p, Holm-adjusted p, a line."""
    rows = []
    for pair in result.get("pairs", []):
        first = labels.get(pair["first"], pair["first"])
        second = labels.get(pair["second"], pair["second"])
        higher = labels.get(pair["higher"], pair["higher"])
        if pair["verdict"] == "difference":
            line = _("%(name)s ranked higher (Holm-adjusted %(p)s).") % {
                "name": higher,
                "p": _fmt_p(pair["p_adjusted"]),
            }
        else:
            line = _("No clear difference (Holm-adjusted %(p)s).") % {
                "p": _fmt_p(pair["p_adjusted"])
            }
        rows.append({**pair, "first_label": first, "second_label": second,
                     "z_text": f"{pair['z']:.3f}", "p_text": _fmt_p(pair["p_value"]),
                     "p_adjusted_text": _fmt_p(pair["p_adjusted"]), "plain": line})  # fmt: skip
    return rows


def comparison_rows(results: list[dict], labels: dict | None = None) -> list[dict]:
    rows = []
    labels = labels or {}
    for result in results:
        rows.append(
            {
                **result,
                "question_text": str(question(result["question"]).text),
                "test_name": test_name(result),
                "plain": plain_line(result, labels),
                "statistic_text": _num(result["statistic"], 3),
                "p_text": _fmt_p(result["p_value"]) if _ok(result["p_value"]) else "—",
                "p_adjusted_text": (
                    _fmt_p(result["p_adjusted"]) if _ok(result.get("p_adjusted")) else "—"
                ),
                "p_se_text": _num(result["p_se"], 4)
                if _ok(result.get("p_se")) and result["p_se"] > 0
                else "",
                "effect_text": effect_text(result),
                "effect_note": effect_note(result),
                "pair_rows": pair_rows(result, labels),
            }
        )
    return rows


def _ok(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _num(value, digits: int) -> str:
    return f"{value:.{digits}f}" if _ok(value) else "—"
