"""The published tables counted in the database: GROUP BY over the group's responses (one
query per questionnaire for its single, scale and text questions, one per multi question,
one over the value items), never one Python object per response. The same frame, number by
number, as surveys.analysis.group_table computes in pandas (the tests check it on random
data); the comments under the options (reasons, "other" texts, free text) are read only when
asked for, as a stream of those texts alone."""

from collections import Counter, defaultdict
from itertools import islice

import pandas as pd
from django.db import connection
from django.db.models import Count, F, Min, Q
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform

from surveys.cells import NONE_OPTION, TABLE_COLUMNS
from surveys.cells import answer_code as _code
from surveys.cells import answer_text as _text
from surveys.models import ValueItem
from surveys.questionnaires import GENDER_CODES, MULTI, QUESTIONNAIRES, SCALE, SINGLE, TEXT, VALUES

# Python's str.strip() strips exactly the characters for which str.isspace() is true; the
# database trims the same set, so "has a comment" means the same in SQL and in pandas.
WHITESPACE = "".join(chr(c) for c in range(0x3000 + 1) if chr(c).isspace())
FIRST = 1_000_000  # a text's first place: response id * FIRST + its place in the list
CHUNK = 2000


def _has_text(code: str):
    """True where answers[code] is a string with more than whitespace."""
    if connection.vendor == "postgresql":
        sql = (
            "(jsonb_typeof(surveys_response.answers -> %s) = 'string' "
            "AND btrim(surveys_response.answers ->> %s, %s) <> '')"
        )
        return RawSQL(sql, (code, code, WHITESPACE))
    path = f'$."{code}"'
    sql = (
        "(json_type(surveys_response.answers, %s) = 'text' "
        "AND trim(json_extract(surveys_response.answers, %s), %s) <> '')"
    )
    return RawSQL(sql, (path, path, WHITESPACE))


class _Counts:
    """Counts by gender: n of everyone, the gender columns of the known genders."""

    def __init__(self):
        self.n = 0
        self.by = Counter()

    def add(self, gender: str, count: int) -> None:
        self.n += count
        self.by[gender] += count

    def minus(self, other: "_Counts") -> "_Counts":
        out = _Counts()
        out.n = self.n - other.n
        out.by = Counter({g: self.by[g] - other.by[g] for g in set(self.by) | set(other.by)})
        return out


def _row(qn, code, kind, option, counts: _Counts, total, comments=(), originals=(), written=0):
    return {
        "questionnaire": qn,
        "question": code,
        "kind": kind,
        "option": option,
        "n": counts.n,
        **{g: int(counts.by.get(g, 0)) for g in GENDER_CODES},
        "pct": 100.0 * counts.n / total if total else 0.0,
        "comments": list(comments),
        "comments_total": int(written),
        "originals": list(originals),
    }


def answer_cube(responses, questionnaire: int) -> list[tuple[str, dict, int]]:
    """Each distinct (gender, answers) of the questionnaire's single and scale answers as
    stored, free texts and reasons as written or not (True/False), with how many responses
    gave it: one GROUP BY. The tables count it (:func:`group_table_db`) and the statistics
    expand it back into one row per response (:func:`cube_frame`), so a page reads the
    answers once."""
    qn = QUESTIONNAIRES[questionnaire]
    responses = responses.filter(questionnaire=questionnaire).order_by()
    texts = {q.code for q in qn.questions if q.kind == TEXT or q.comment_for}
    cube = [q.code for q in qn.questions if q.kind in (SINGLE, SCALE) or q.code in texts]
    names = {code: f"a{i}" for i, code in enumerate(cube)}
    exprs = {
        names[code]: _has_text(code) if code in texts else KeyTransform(code, "answers")
        for code in cube
    }
    grouped = responses.annotate(**exprs).values("gender", *exprs).annotate(n=Count("pk"))
    return [(row["gender"], {code: row[names[code]] for code in cube}, row["n"]) for row in grouped]


def counts_of(responses, questionnaire: int) -> dict:
    """Every GROUP BY a questionnaire's table is counted from, as plain data (it is stored as
    JSON by surveys/summaries.py): ``cube`` (:func:`answer_cube`), ``multi`` (per multi
    question: [gender, the options ticked as stored, "other" written or not, n]) and
    ``values`` (per value question: [option, text, gender, occurrences, people, named,
    first place]). The counts of several sets of responses add up: :func:`merged`."""
    qn = QUESTIONNAIRES[questionnaire]
    responses = responses.filter(questionnaire=questionnaire).order_by()
    multi, values = {}, {}
    for question in qn.questions:
        code = question.code
        if question.kind == MULTI:
            picked = responses.annotate(v=KeyTransform(code, "answers"),
                                        t=_has_text(f"{code}_other"))  # fmt: skip
            grouped = picked.values("gender", "v", "t").annotate(n=Count("pk"))
            multi[code] = [[r["gender"], r["v"], bool(r["t"]), r["n"]] for r in grouped]
        elif question.kind == VALUES:
            items = (
                ValueItem.objects.filter(question=code, response__in=responses.values("pk"))
                .values("option", "text", "response__gender")
                .annotate(
                    occurrences=Count("pk"),
                    people=Count("pk", filter=Q(first_for_option=True)),
                    named=Count("pk", filter=Q(first_for_question=True)),
                    first=Min(F("response_id") * FIRST + F("position")),
                )
                .order_by()
            )
            values[code] = [
                [r["option"], r["text"], r["response__gender"], r["occurrences"], r["people"],
                 r["named"], r["first"]]
                for r in items
            ]  # fmt: skip
    cube = [list(row) for row in answer_cube(responses, questionnaire)]
    return {"cube": cube, "multi": multi, "values": values}


def merged(parts) -> dict:
    """The counts of several sets of responses (each from :func:`counts_of`) as one: every
    consumer adds them up, so their rows are simply put together."""
    out: dict = {"cube": [], "multi": defaultdict(list), "values": defaultdict(list)}
    for part in parts:
        out["cube"] += part["cube"]
        for kind in ("multi", "values"):
            for code, rows in part[kind].items():
                out[kind][code] += rows
    return out


def option_counts(cube, code: str, gender: str | None = None) -> Counter:
    """How many responses of the cube (of one gender, if given) counted under each option of
    a single or scale question (None: no answer)."""
    counts = Counter()
    for who, answers, n in cube:
        if gender is None or who == gender:
            counts[_code(answers[code])] += n
    return counts


def group_table_db(
    responses, questionnaire: int, *, comments: bool = True, shown: int | None = None, counts=None
) -> pd.DataFrame:
    """:func:`surveys.analysis.group_table` of these responses (a queryset), counted in the
    database. Without ``comments`` the comment lists stay empty (the tables CSV has none);
    with ``shown`` a row lists only its first ``shown`` comments (``comments_total`` still
    counts them all). ``counts``: their :func:`counts_of` already read (or kept), if any;
    the comments are read from ``responses``."""
    qn = QUESTIONNAIRES[questionnaire]
    if counts is None:
        counts = counts_of(responses, questionnaire)
    cube = counts["cube"]
    responses = responses.filter(questionnaire=questionnaire).order_by()
    reasons = {q.comment_for: q.code for q in qn.questions if q.comment_for}
    shown = shown if comments else 0
    listed_ = [q for q in qn.questions if not q.comment_for]
    everyone = _Counts()
    tally: dict[str, dict] = defaultdict(lambda: defaultdict(_Counts))
    with_reason: dict[str, Counter] = defaultdict(Counter)
    for gender, answers, n in cube:
        everyone.add(gender, n)
        for question in listed_:
            code = question.code
            if question.kind == TEXT:
                tally[code][bool(answers[code])].add(gender, n)
            elif question.kind in (SINGLE, SCALE):
                key = _code(answers[code])
                tally[code][key].add(gender, n)
                if code in reasons and answers[reasons[code]]:
                    with_reason[code][key] += n
    total = everyone.n
    rows = [_row(questionnaire, "N", "n", "respondents", everyone, total)]
    for question in listed_:
        code = question.code
        if question.kind in (SINGLE, SCALE):
            listed = {}
            if comments and code in reasons:
                listed = _reasons(responses, code, reasons[code], shown, with_reason[code])
            for option in question.options:
                rows.append(_row(questionnaire, code, question.kind, option.code,
                                 tally[code][option.code], total,
                                 listed.get(option.code, ()),
                                 written=with_reason[code][option.code]))  # fmt: skip
            if tally[code][None].n:
                rows.append(_row(questionnaire, code, question.kind, NONE_OPTION,
                                 tally[code][None], total, listed.get(None, ()),
                                 written=with_reason[code][None]))  # fmt: skip
        elif question.kind == MULTI:
            rows += _multi_rows(responses, questionnaire, question, total, comments, shown,
                                counts["multi"].get(code, []))  # fmt: skip
        elif question.kind == VALUES:
            rows += _value_rows(questionnaire, code, everyone, total,
                                counts["values"].get(code, []))  # fmt: skip
        elif question.kind == TEXT:
            written = tally[code][True]
            texts = _texts(responses, code, shown) if comments else []
            rows.append(_row(questionnaire, code, TEXT, "with comments", written, total, texts,
                             written=written.n))  # fmt: skip
            rows.append(_row(questionnaire, code, TEXT, "no comments", tally[code][False],
                             total))  # fmt: skip
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _stream(responses, *codes):
    """(answers[code], ...) of the responses that have the last key, in the frame's order."""
    picked = responses.filter(answers__has_key=codes[-1]).order_by("pk")
    exprs = {f"a{i}": KeyTransform(c, "answers") for i, c in enumerate(codes)}
    return picked.annotate(**exprs).values_list(*exprs).iterator(chunk_size=CHUNK)


def _reasons(responses, code: str, reason: str, shown: int | None, written: Counter) -> dict:
    """The reasons written under each option, in the frame's order: all of them, or the
    first ``shown`` (reading stops once every option has its share: ``written`` counts)."""
    listed = defaultdict(list)
    for value, text in _stream(responses, code, reason):
        if not _text(text):
            continue
        key = _code(value)
        if shown is None or len(listed[key]) < shown:
            listed[key].append(_text(text))
        elif all(len(listed[k]) >= min(shown, n) for k, n in written.items()):
            break
    return listed


def _texts(responses, code: str, shown: int | None) -> list[str]:
    texts = (_text(v) for (v,) in _stream(responses, code) if _text(v))
    return list(islice(texts, shown))


def _multi_rows(responses, qn, question, total, comments, shown, counted):
    code = question.code
    chosen: dict = defaultdict(_Counts)
    skipped = _Counts()
    written = 0  # "other" ticked with its text written
    for gender, ticked, other_written, n in counted:
        picked = set(ticked) if isinstance(ticked, list | tuple) else set()
        for option in picked:
            chosen[option].add(gender, n)
        if not picked:
            skipped.add(gender, n)
        if "other" in picked and other_written:
            written += n
    others = []
    if comments and written:
        texts = (
            _text(text)
            for picked, text in _stream(responses, code, f"{code}_other")
            if isinstance(picked, list | tuple) and "other" in picked and _text(text)
        )
        others = list(islice(texts, shown))
    rows = []
    for option in question.options:
        listed = (others, (), written) if option.code == "other" else ()
        rows.append(_row(qn, code, MULTI, option.code, chosen[option.code], total, *listed))
    if skipped.n:
        rows.append(_row(qn, code, MULTI, NONE_OPTION, skipped, total))
    return rows


def _value_rows(qn, code, everyone: _Counts, total, counted):
    """One row per value named, from the value items' counts (people once per value)."""
    people: dict = defaultdict(_Counts)
    named = _Counts()
    texts: dict = defaultdict(dict)  # option -> text -> [first place, occurrences]
    for option, text, gender, occurrences, persons, naming, first in counted:
        people[option].add(gender, persons)
        named.add(gender, naming)
        seen = texts[option].setdefault(text, [first, 0])
        seen[0] = min(seen[0], first)
        seen[1] += occurrences

    def mapped(option):
        return option.startswith("value:") and option[6:].isdigit()

    keys = [o for o in people if people[o].n]
    numbers = sorted((o for o in keys if mapped(o)), key=lambda o: (-people[o].n, int(o[6:])))
    words = sorted((o for o in keys if not mapped(o)), key=lambda o: (-people[o].n, o))
    rows = []
    for option in numbers + words:
        ordered = sorted(texts[option].items(), key=lambda item: item[1][0])
        counter = Counter({text: count for text, (_first, count) in ordered})
        listed = [f"{t} ×{c}" if c > 1 else t for t, c in counter.most_common()]
        label = option
        if not mapped(option):
            label = ordered[0][0]  # the first wording met, as the pandas table shows it
            if len(counter) == 1 and listed == [label]:
                listed = []
        rows.append(_row(qn, code, VALUES, label, people[option], total, originals=listed))
    missing = everyone.minus(named)
    if total and missing.n:
        rows.append(_row(qn, code, VALUES, NONE_OPTION, missing, total))
    return rows
