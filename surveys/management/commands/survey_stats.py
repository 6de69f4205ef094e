import math
import numbers

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from surveys import ordinal
from surveys.analysis import compare_all, scale_stats
from surveys.correction import HOLM, METHODS
from surveys.csv_io import Number, csv_lines
from surveys.management.commands._common import get_group
from surveys.questionnaires import SINGLE, all_questions
from surveys.reporting import comparison_rows, pair_rows
from surveys.summaries import statistics_frame

STATS_HEADER = ["question", "group", "n", "mean", "sd", "median", "ci_low", "ci_high"]
# Questions with ordered options (A, B, C, E): median, quartiles as ranks (1 = lowest option)
# and the top-box share; their mean, SD and t interval stay empty.
ORDINAL_HEADER = ["q1", "q3", "top_box_pct"]
COMPARE_HEADER = ["test", "statistic", "p_value", "p_method", "p_se", "p_adjusted", "correction",
                  "effect_size", "effect_name", "reference", "higher", "effect_low",
                  "effect_high", "effect_ci", "interval_of", "effect_corrected",
                  "versus"]  # fmt: skip
# Men and women compared, in this order (rows, U and r alike); a withheld gender is left out.
GENDER_ORDER = ["man", "woman"]


def _cell(value):
    """Numbers stay numbers (csv_lines guards every other cell)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return Number(f"{value:.10g}")
    if isinstance(value, numbers.Integral):
        return int(value)
    return str(value)


class Command(BaseCommand):
    help = (
        "Statistics of a group's scale questions (n, mean, SD, median, 95% t confidence "
        "interval); with --compare, tests against other groups (Mann-Whitney U / "
        "Kruskal-Wallis for scales, chi-square or Fisher's exact for categories)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--group", required=True)
        parser.add_argument("--compare", nargs="+", default=[], metavar="OTHER")
        parser.add_argument(
            "--by-gender", action="store_true", help="compare men and women within the group"
        )
        parser.add_argument(
            "--correction",
            choices=list(METHODS),
            default=HOLM,
            help="multiple-comparison correction across the tests (default: holm)",
        )
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument("--lang", choices=["en", "ja"], default="en")

    def handle(self, *args, group, compare, by_gender, correction, format, lang, **options):
        groups = [get_group(group)] + [get_group(name) for name in compare]
        if len({g.pk for g in groups}) != len(groups):
            raise CommandError("a group is named twice")
        frame = statistics_frame(groups)  # from the kept counts (surveys/summaries.py)
        by = "gender" if by_gender else "group"
        order = GENDER_ORDER if by_gender else [g.name for g in groups]
        if by_gender:  # men and women of the first group; a withheld gender is left out
            frame = frame[(frame["group"] == groups[0].name)]
            frame = frame[frame["gender"].isin(GENDER_ORDER)]
        descriptives = scale_stats(frame, by=by, groups=order)
        ordered = [q for q in all_questions() if q.kind == SINGLE and q.ordered]
        ranked = ordinal.summaries(frame[frame["questionnaire"] == 1], ordered, by, order)
        results = compare_all(frame, by=by, groups=order, correction=correction)
        results = results if (compare or by_gender) else []
        with translation.override(lang):
            if by_gender and not len(frame):
                raise CommandError(
                    gettext(
                        "No man or woman in group %(group)s has answered (genders withheld "
                        "are left out of --by-gender): nothing to compare."
                    )
                    % {"group": groups[0].name}
                )
            if format == "csv":
                self._csv(descriptives, ranked, results)
            else:
                self._text(descriptives, ranked, results)

    def _csv(self, descriptives: pd.DataFrame, ranked: list[dict], results: list[dict]) -> None:
        header = STATS_HEADER + ORDINAL_HEADER + (COMPARE_HEADER if results else [])
        tests = {r["question"]: r for r in results}
        rows = []
        for _index, row in descriptives.iterrows():
            cells = [_cell(row[c]) for c in STATS_HEADER] + [""] * len(ORDINAL_HEADER)
            if results:
                cells += self._test_cells(tests.get(row["question"]))
            rows.append(cells)
        summaries = {(r["question"], r["group"]): r for r in ranked}
        for row in ranked:  # without a comparison, each ordered question's descriptives alone
            if not results and row["n"]:
                rows.append(self._ordinal_cells(row["question"], row["group"], summaries))
        scales = set(descriptives["question"])
        for result in results:
            if result["question"] not in scales:
                for name in result["n"]:
                    rows.append(
                        self._ordinal_cells(result["question"], name, summaries, result["n"])
                        + self._test_cells(result)
                    )
            for pair in result["pairs"]:
                cells = [result["question"], pair["first"]] + [""] * 9
                rows.append(cells + self._pair_cells(pair))
        for line in csv_lines(header, rows):
            self.stdout.write(line, ending="")

    @staticmethod
    def _ordinal_cells(code, name, summaries, sizes=None) -> list:
        summary = summaries.get((code, name))
        if summary is None:
            return [code, name, (sizes or {}).get(name, "")] + [""] * 8
        return [code, name, summary["n"], "", "", _cell(summary["median"]), "", "",
                _cell(summary["q1"]), _cell(summary["q3"]),
                _cell(summary["top_box_pct"])]  # fmt: skip

    @staticmethod
    def _pair_cells(pair) -> list:
        """Dunn's test of one pair: z, p, Holm-adjusted p across the pairs, who ranks higher."""
        return ["dunn", _cell(pair["z"]), _cell(pair["p_value"]), "asymptotic", "",
                _cell(pair["p_adjusted"]), pair["correction"], "", "", pair["first"],
                pair["higher"], "", "", "", "", "", pair["second"]]  # fmt: skip

    @staticmethod
    def _test_cells(result) -> list[str]:
        if result is None:
            return [""] * len(COMPARE_HEADER)
        return [
            result["test"],
            _cell(result["statistic"]),
            _cell(result["p_value"]),
            result["p_method"],
            _cell(result["p_se"]),
            _cell(result["p_adjusted"]),
            result["correction"],
            _cell(result["effect_size"]),
            result["effect_name"],
            result["reference"],
            result["higher"],
            _cell(result["effect_low"]),
            _cell(result["effect_high"]),
            result["effect_ci"],
            result["interval_of"],
            _cell(result["effect_corrected"]),
            "",
        ]

    def _text(self, descriptives: pd.DataFrame, ranked: list[dict], results: list[dict]) -> None:
        self.stdout.write(
            "question  group                     n    mean     sd  median   95% CI (t)"
        )
        for _index, row in descriptives.iterrows():
            ci = f"{row['ci_low']:.2f} – {row['ci_high']:.2f}" if row["n"] >= 2 else "—"
            mean = f"{row['mean']:7.2f}" if row["n"] else "      —"
            sd = f"{row['sd']:6.2f}" if row["n"] >= 2 else "     —"
            median = f"{row['median']:7.1f}" if row["n"] else "      —"
            self.stdout.write(
                f"{row['question']:<9} {str(row['group'])[:24]:<24} {row['n']:>3} {mean} {sd}"
                f" {median}   {ci}"
            )
        if any(row["n"] for row in ranked):
            self.stdout.write("")
            self.stdout.write(
                "question  group                     n  median               IQR"
                "                          top box"
            )
        for row in ranked:
            if row["n"]:
                iqr = f"{row['q1_label']} – {row['q3_label']}"
                self.stdout.write(
                    f"{row['question']:<9} {str(row['group'])[:24]:<24} {row['n']:>3}  "
                    f"{row['median_label'][:20]:<20} {iqr[:28]:<28} "
                    f"{row['top_box_pct']:5.1f}% ({', '.join(row['top_box'])})"
                )
        for row in comparison_rows(results):
            self.stdout.write("")
            note = f"; {row['effect_note']}" if row["effect_note"] else ""
            self.stdout.write(
                f"{row['question']}: {row['test_name']} = {row['statistic_text']}, "
                f"{row['p_text']} ({row['correction']}: {row['p_adjusted_text']}), "
                f"{row['effect_text']}{note} "
                f"(n: {', '.join(f'{k} {v}' for k, v in row['n'].items())})"
            )
            self.stdout.write(f"  {row['plain']}")
            for pair in pair_rows(row, {}):
                self.stdout.write(
                    f"  Dunn {pair['first']} – {pair['second']}: z = {pair['z_text']}, "
                    f"{pair['p_text']}. {pair['plain']}"
                )
