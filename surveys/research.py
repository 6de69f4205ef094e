"""What the research pages show, assembled from frames (analysis), words (reporting) and
charts. Reads the database only through surveys/frames.py, and for the games through
surveys/gameplay.py and games/reports.py."""

import pandas as pd
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from games import debrief, reports
from surveys import charts, gameplay, ordinal, play_figures
from surveys.aggregates import group_table_db, option_counts
from surveys.aliases import value_catalogue
from surveys.analysis import (
    MIN_FOR_CORRELATION,
    NONE_OPTION,
    band_stats,
    compare_all,
    rank_correlation,
    scale_stats,
)
from surveys.correction import HOLM, METHODS
from surveys.csv_io import table_option_label
from surveys.frames import STATISTICS_CODES, cube_frame
from surveys.questionnaires import (
    GENDER_CODES,
    GENDERS,
    MULTI,
    QUESTIONNAIRES,
    SCALE,
    SINGLE,
    VALUES,
    all_questions,
    question,
)
from surveys.reporting import comparison_rows, shows_no_response, table_sections
from surveys.summaries import group_counts
from surveys.tables import with_missing
from surveys.text import percent

CHARTED = {SCALE, MULTI, VALUES}
COMMENTS_SHOWN = 20  # per table row on the page; the long export lists every comment
COMPARED_GENDERS = ["man", "woman"]  # the order of the rows, U and r; a withheld gender is left out
BAND_LABELS = {
    "low": gettext_lazy("below 50%"),
    "middle": gettext_lazy("50% to under 80%"),
    "high": gettext_lazy("80% and above"),
}
GAME = "value in the player's game"
STATUS_LABELS = {
    play_figures.TAKEN: pgettext_lazy(GAME, "taken"),
    play_figures.CONFUSED: pgettext_lazy(GAME, "confused"),
    play_figures.BOTH: pgettext_lazy(GAME, "taken and confused"),
    play_figures.NEITHER: pgettext_lazy(GAME, "neither"),
    play_figures.NOT_IN_DECK: pgettext_lazy(GAME, "not a deck value"),
}


def lang() -> str:
    return (get_language() or "ja")[:2]


class GroupReport:
    """One group's tables, statistics and charts; optionally compared with other groups or
    between genders."""

    def __init__(self, group, others=(), by_gender: bool = False, correction: str = HOLM):
        self.group = group
        self.groups = [group, *others]
        self.by_gender = by_gender
        self.correction = correction if correction in METHODS else HOLM
        self.values, self.aliases = value_catalogue()
        # Each group's answers are counted once per questionnaire as GROUP BYs, kept until
        # they change (surveys/summaries.py): the tables add up the counts, and the
        # statistics expand the cube of single and scale answers into one row per response.
        self._counts: dict = {}
        self._tables: dict = {}
        cubes = [(g.name, n, self._cube(g, n)) for g in self.groups
                 for n in QUESTIONNAIRES]  # fmt: skip
        self.frame = cube_frame(cubes, STATISTICS_CODES)
        self.own = self.frame[self.frame["group"] == group.name]

    def _group_counts(self, group, number: int) -> dict:
        if (group.pk, number) not in self._counts:
            self._counts[group.pk, number] = group_counts(group, number)
        return self._counts[group.pk, number]

    def _cube(self, group, number: int) -> list:
        return self._group_counts(group, number)["cube"]

    def table(self, number: int) -> pd.DataFrame:
        """The group's table, each row with its first few comments (the export has all)."""
        if number not in self._tables:
            self._tables[number] = group_table_db(
                self.group.responses(), number, shown=COMMENTS_SHOWN,
                counts=self._group_counts(self.group, number),
            )  # fmt: skip
        return self._tables[number]

    def questionnaires(self) -> list[dict]:
        answered = sorted(int(q) for q in self.own["questionnaire"].dropna().unique()) or [1, 2]
        out = []
        for number in answered:
            table = self.table(number)
            total = table[table["question"] == "N"].iloc[0]
            out.append(
                {
                    "number": number,
                    "title": str(QUESTIONNAIRES[number].title),
                    "n": int(total["n"]),
                    "man": int(total["man"]),
                    "woman": int(total["woman"]),
                    "no_response": int(total["no_response"]),
                    "show_no_response": shows_no_response(table),
                    "sections": table_sections(with_missing(table), self.values, lang()),
                }
            )
        return out

    def stats(self) -> list[dict]:
        if self.by_gender:
            labels = {o.code: str(o.label) for o in GENDERS}
            rows = scale_stats(self.own, by="gender", groups=GENDER_CODES).to_dict("records")
            for row in rows:
                row["group"] = f"{self.group.name} · {labels.get(row['group'], row['group'])}"
        else:
            names = [g.name for g in self.groups]
            rows = scale_stats(self.frame, by="group", groups=names).to_dict("records")
        for row in rows:
            row["question_text"] = str(question(row["question"]).text)
        return [r for r in rows if r["n"] or r["group"] == self.group.name]

    def comparisons(self) -> list[dict]:
        if self.by_gender:
            # Men and women: those who withheld their gender are not a third group here.
            labels = {o.code: str(o.label) for o in GENDERS}
            known = self.own[self.own["gender"].isin(COMPARED_GENDERS)]
            results = compare_all(
                known, by="gender", groups=COMPARED_GENDERS, correction=self.correction
            )
            return comparison_rows(results, labels)
        if len(self.groups) > 1:
            names = [g.name for g in self.groups]
            results = compare_all(self.frame, by="group", groups=names, correction=self.correction)
            return comparison_rows(results)
        return []

    def ordinal_summary(self) -> list[dict]:
        """Median, IQR (in option labels) and top box of the ordered questions, per group."""
        questions = [q for q in all_questions() if q.kind == SINGLE and q.ordered]
        if self.by_gender:
            labels = {o.code: str(o.label) for o in GENDERS}
            rows = ordinal.summaries(self.own, questions, by="gender", groups=GENDER_CODES)
            for row in rows:
                row["group"] = f"{self.group.name} · {labels.get(row['group'], row['group'])}"
        else:
            names = [g.name for g in self.groups]
            rows = ordinal.summaries(self.frame, questions, by="group", groups=names)
        for row in rows:
            row["question_text"] = str(question(row["question"]).text)
            row["top_box_text"] = percent(row["top_box_pct"]) if row["n"] else ""
        answered = {r["question"] for r in rows if r["n"]}  # a question nobody answered: no rows
        return [
            r
            for r in rows
            if r["question"] in answered and (r["n"] or r["group"] == self.group.name)
        ]

    def gameplay(self) -> dict:
        return gameplay_section(self.group, self.values, self.aliases, lang())

    def chart_codes(self) -> list[str]:
        answered = set(int(q) for q in self.own["questionnaire"].dropna().unique())
        return [
            q.code
            for number in sorted(answered)
            for q in QUESTIONNAIRES[number].questions
            if q.kind in CHARTED or q.ordinal
        ]

    def chart(self, code: str) -> str:
        q = question(code)
        number = 2 if code.endswith("2") else 1
        if q.ordinal:  # scales and ordered options: a diverging (Likert) chart
            ordered = q.ranked_options
            labels = [str(o.label) for o in ordered]
            rows = []
            for name, cube, gender in self._chart_parts(number):
                counts = option_counts(cube, code, gender)
                rows.append((name, [counts[o.code] for o in ordered]))
            return charts.diverging_bars(
                f"{code}. {q.text}", labels, rows, _("Share of those who answered.")
            )
        table = self.table(number)
        rows = table[(table["question"] == code) & (table["option"] != NONE_OPTION)]
        items = [
            (table_option_label(row, self.values, lang()), int(row["n"]), float(row["pct"]))
            for _index, row in rows.head(20).iterrows()
        ]
        return charts.bars(
            f"{code}. {q.text}",
            items,
            _("Percent of the group's respondents (N = %(n)d).") % {"n": int(table.iloc[0]["n"])},
        )

    def _chart_parts(self, number: int):
        """(name, answer cube, gender or None) of each bar of a diverging chart."""
        own = self._cube(self.group, number)
        if self.by_gender:
            for option in GENDERS:
                if (self.own["gender"] == option.code).any():
                    yield str(option.label), own, option.code
            return
        for group in self.groups:
            yield group.name, self._cube(group, number), None


def _p_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def gameplay_section(group, values: dict, aliases: dict, lang: str) -> dict:
    """The group's games for the page: the confusion map summed over its rooms, each seat's
    figures beside its answers, B2 and D2 by accuracy band with Spearman's rank correlation,
    and what the values named in A2 were in the player's game. No nickname anywhere."""

    def name(number: int) -> str:
        return values.get(number, {}).get(lang, str(number))

    rooms = gameplay.group_rooms(group)
    pairs = debrief.confusion_pairs(reports.taps(rooms))
    seats = gameplay.seat_answers(group, aliases)
    rows = []
    for seat in seats:
        figures = seat.figures
        accuracy = figures.accuracy
        rows.append(
            {
                "respondents": ", ".join(seat.respondents),
                "room": seat.room,
                "figures": figures,
                "accuracy_percent": None if accuracy is None else round(accuracy * 100),
                "confused": [name(n) for n in sorted(figures.confused)],
                "B2": seat.answers.get("B2"),
                "D2": seat.answers.get("D2"),
                "named": [(text, str(STATUS_LABELS[status])) for text, _n, status in seat.named],
            }
        )
    frame = pd.DataFrame(
        [
            {
                "accuracy": s.figures.accuracy,
                "band": play_figures.band(s.figures.accuracy),
                "B2": s.answers.get("B2"),
                "D2": s.answers.get("D2"),
            }
            for s in seats
            if s.answers
        ],
        columns=["accuracy", "band", "B2", "D2"],
    )
    bands = [
        {**row, "label": str(BAND_LABELS[row["band"]])}
        for row in band_stats(frame, play_figures.BANDS)
    ]
    correlations = []
    for code in ("B2", "D2"):
        result = rank_correlation(frame["accuracy"].tolist(), frame[code].tolist())
        result.update(code=code, text=str(question(code).text))
        if result["verdict"] == "ok":
            result.update(rho_text=f"{result['rho']:.3f}", p_text=_p_text(result["p_value"]))
        correlations.append(result)
    named = play_figures.named_summary(status for s in seats for _t, _n, status in s.named)
    return {
        "rooms": [r.code for r in rooms],
        "pairs": [
            {
                "read": p.read,
                "read_name": name(p.read),
                "taken": p.taken,
                "taken_name": name(p.taken),
                "count": p.count,
            }
            for p in pairs
        ],  # fmt: skip
        "wrong_takes": sum(p.count for p in pairs),
        "seats": rows,
        "bands": bands,
        "correlations": correlations,
        "named": named,
        "min_players": MIN_FOR_CORRELATION,
    }
