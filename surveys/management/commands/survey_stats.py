import math
import numbers

import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from surveys.analysis import compare_all, scale_stats
from surveys.correction import HOLM, METHODS
from surveys.csv_io import Number, csv_lines
from surveys.frames import groups_frame
from surveys.management.commands._common import get_group
from surveys.reporting import comparison_rows

STATS_HEADER = ["question", "group", "n", "mean", "sd", "median", "ci_low", "ci_high"]
COMPARE_HEADER = ["test", "statistic", "p_value", "p_method", "p_se", "p_adjusted", "correction",
                  "effect_size", "effect_name", "reference", "higher"]  # fmt: skip
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
        frame = groups_frame(groups)
        by = "gender" if by_gender else "group"
        order = GENDER_ORDER if by_gender else [g.name for g in groups]
        if by_gender:  # men and women of the first group; a withheld gender is left out
            frame = frame[(frame["group"] == groups[0].name)]
            frame = frame[frame["gender"].isin(GENDER_ORDER)]
        descriptives = scale_stats(frame, by=by, groups=order)
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
                self._csv(descriptives, results, frame, by)
            else:
                self._text(descriptives, results)

    def _csv(self, descriptives: pd.DataFrame, results: list[dict], frame, by) -> None:
        header = STATS_HEADER + (COMPARE_HEADER if results else [])
        tests = {r["question"]: r for r in results}
        rows = []
        for _index, row in descriptives.iterrows():
            cells = [_cell(row[c]) for c in STATS_HEADER]
            if results:
                cells += self._test_cells(tests.get(row["question"]))
            rows.append(cells)
        for result in results:
            if result["question"] in set(descriptives["question"]):
                continue
            for name, n in result["n"].items():
                rows.append(
                    [result["question"], name, n, "", "", "", "", ""] + self._test_cells(result)
                )
        for line in csv_lines(header, rows):
            self.stdout.write(line, ending="")

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
        ]

    def _text(self, descriptives: pd.DataFrame, results: list[dict]) -> None:
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
        for row in comparison_rows(results):
            self.stdout.write("")
            self.stdout.write(
                f"{row['question']}: {row['test_name']} = {row['statistic_text']}, "
                f"{row['p_text']}, {row['effect_name']} = {row['effect_text']} "
                f"(n: {', '.join(f'{k} {v}' for k, v in row['n'].items())})"
            )
            self.stdout.write(f"  {row['plain']}")
