"""CSV in and out: the import of paper questionnaires and the wide, long and table exports.

Every file written is UTF-8 with a BOM (Excel then shows Japanese correctly) and written row
by row, so a view can stream it. Every file goes through :func:`csv_lines`, which guards every
text cell: one a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
leading apostrophe. Only numbers (``int``, ``float``, or :class:`Number` text that reads as a
number) are written as they are, so −1 stays a number while a group named "-1" is text. The
import removes that apostrophe again, so export → import is lossless.
"""

import csv
import io
import numbers
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from surveys.questionnaires import (
    AGE_BANDS,
    GENDERS,
    MULTI,
    QUESTIONNAIRES,
    SCALE,
    SINGLE,
    TEXT,
    VALUES,
    Question,
    label_in,
)
from surveys.text import normalize_text

BOM = "\ufeff"
COMMON = ["respondent", "group", "gender", "age_band"]
OPTIONAL = ["nationality", "room", "questionnaire"]
TABLE_HEADER = ["question", "option", "n", "man", "woman", "no_response"]
LONG_HEADER = [
    "respondent", "group", "room", "questionnaire", "gender", "age_band", "nationality",
    "question", "answer", "value",
]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = re.compile(r"[;；]")
OTHER_PREFIX = re.compile(r"^\s*(other|その他)\s*[:：]\s*", re.IGNORECASE)


def question_columns(questionnaire: int) -> list[str]:
    return [q.code for q in QUESTIONNAIRES[questionnaire].questions]


def wide_header(questionnaires: Iterable[int] = (1, 2)) -> list[str]:
    header = COMMON + OPTIONAL
    for number in questionnaires:
        header += question_columns(number)
    return header


# --- writing ----------------------------------------------------------------------------


class Number(str):
    """A number already formatted as text (``f"{x:.10g}"``): written as it is, if it reads as
    a number; any other text in it is guarded like all text."""


def safe_text(value) -> str:
    """A text cell a spreadsheet will show, not run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_cell(value):
    """What the writer puts in a cell: numbers as numbers, everything else as guarded text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Real):  # numpy's numbers too
        return value
    if isinstance(value, Number) and _is_number(value):
        return str(value)
    return safe_text(value)


def unsafe_text(text: str) -> str:
    """Undo :func:`safe_text` on import."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text, one line at a time, BOM first (for StreamingHttpResponse or a file).

    The one writer of the app's CSV files: every cell passes :func:`csv_cell`, so no column,
    present or future, bypasses the formula guard."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def write_csv(path, header: list[str], rows: Iterable[list]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for line in csv_lines(header, rows):
            handle.write(line)


_EN_LABELS: dict[tuple[str, str], str] = {}


def _label(question: Question, code) -> str:
    key = (question.code, str(code))
    if key not in _EN_LABELS:
        option = question.option(str(code))
        _EN_LABELS[key] = label_in(option.label, "en") if option else str(code)
    return _EN_LABELS[key]


GENDER_EN = {}


def _gender_en(code: str) -> str:
    if code not in GENDER_EN:
        GENDER_EN[code] = label_in(dict((g.code, g.label) for g in GENDERS)[code], "en")
    return GENDER_EN[code]


def _answer_cells(question: Question, record: dict) -> str:
    """One question's answer as the wide file writes it (labels in English)."""
    value = record.get(question.code)
    if question.kind in (SINGLE, SCALE):
        if value is None or value == "" or (isinstance(value, float) and value != value):
            return ""
        if question.kind == SCALE:
            return str(int(value))
        return _label(question, value)
    if question.kind == MULTI:
        items = []
        for code in value or []:
            if code == "other" and record.get(f"{question.code}_other"):
                items.append("other: " + record[f"{question.code}_other"])
            else:
                items.append(_label(question, code))
        return ";".join(items)
    if question.kind == VALUES:
        return ";".join(value or [])
    return value or ""


def wide_rows(records: Iterable[dict], questionnaires=(1, 2)) -> Iterator[list]:
    for record in records:
        row = [
            record["respondent"],
            record["group"],
            _gender_en(record["gender"]),
            record["age_band"],
            record.get("nationality", ""),
            record.get("room", ""),
            record["questionnaire"],
        ]
        for number in questionnaires:
            for question in QUESTIONNAIRES[number].questions:
                row.append(
                    _answer_cells(question, record) if record["questionnaire"] == number else ""
                )
        yield row


def long_rows(records: Iterable[dict], aliases: dict[str, int], values: dict) -> Iterator[list]:
    """One row per answer: multi-choice and value questions give one row per item."""
    for record in records:
        head = [
            record["respondent"],
            record["group"],
            record.get("room", ""),
            record["questionnaire"],
            record["gender"],
            record["age_band"],
            record.get("nationality", ""),
        ]
        for question in QUESTIONNAIRES[record["questionnaire"]].questions:
            value = record.get(question.code)
            if question.kind == MULTI:
                for code in value or []:
                    answer = _label(question, code)
                    if code == "other" and record.get(f"{question.code}_other"):
                        answer = "other: " + record[f"{question.code}_other"]
                    yield head + [question.code, answer, ""]
            elif question.kind == VALUES:
                for text in value or []:
                    number = aliases.get(normalize_text(text))
                    mapped = values[number]["en"] if number in values else ""
                    yield head + [question.code, text, mapped]
            else:
                cell = _answer_cells(question, record)
                if cell != "":
                    yield head + [question.code, cell, ""]


def table_option_label(row, values: dict, lang: str = "en") -> str:
    """The words for a table row's option (labels of the questionnaire, deck value names)."""
    from surveys.analysis import NONE_OPTION  # deferred: analysis loads pandas and scipy

    option = row["option"]
    if row["question"] == "N":
        return label_in(_("respondents"), lang)
    if option == NONE_OPTION:
        return label_in(_("no answer"), lang)
    if row["kind"] == VALUES:
        if option.startswith("value:"):
            number = int(option.split(":", 1)[1])
            return values.get(number, {}).get(lang, option)
        return option
    if row["kind"] == TEXT:
        return label_in(_("with comments") if option == "with comments" else _("no comments"), lang)
    question = next(
        q for qn in QUESTIONNAIRES.values() for q in qn.questions if q.code == row["question"]
    )
    return label_in(question.option(option).label, lang)


def table_rows(table, values: dict, lang: str = "en") -> Iterator[list]:
    """The rows of a table frame (surveys.analysis.group_table) as the table CSV writes them."""
    for _index, row in table.iterrows():
        question = row["question"] if row["question"] != "N" else f"N{row['questionnaire']}"
        yield [
            question,
            table_option_label(row, values, lang),
            int(row["n"]),
            int(row["man"]),
            int(row["woman"]),
            int(row["no_response"]),
        ]


# --- reading ----------------------------------------------------------------------------


@dataclass
class Problem:
    """What is wrong, where. Messages are written in the active language (the admin's; the
    import command runs in English)."""

    row: int  # the spreadsheet row: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.row and self.column:
            return gettext("row %(row)d, column %(column)s: %(message)s") % values
        if self.row:
            return gettext("row %(row)d: %(message)s") % values
        if self.column:
            return gettext("file, column %(column)s: %(message)s") % values
        return gettext("file: %(message)s") % values


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    slips: list[str] = field(default_factory=list)
    is_table: bool = False


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = gettext(
            "bad encoding: the file is not UTF-8 (byte %(byte)s at position %(position)d)."
        ) % {"byte": f"{data[error.start]:#04x}", "position": error.start}
        try:
            data.decode("cp932")
            message += " " + gettext(
                "It looks like Shift_JIS: save it as “CSV UTF-8” and import again."
            )
        except UnicodeDecodeError:
            pass
        raise ImportRejected([Problem(0, "", message)]) from None


_INDEXES: dict[int, dict[str, str]] = {}


def _index(options) -> dict[str, str]:
    """normalized code / English label / Japanese label → option code (built once per
    option list: rendering labels in two languages per cell made a 100k-row import slow)."""
    key = id(options)
    if key not in _INDEXES:
        index = {}
        for option in options:
            for name in (option.code, label_in(option.label, "en"), label_in(option.label, "ja")):
                index.setdefault(normalize_text(name).rstrip("%"), option.code)
        _INDEXES[key] = index
    return _INDEXES[key]


def _lookup(options, text: str) -> str | None:
    """The option code whose code, English label or Japanese label matches the text."""
    return _index(options).get(normalize_text(text).rstrip("%"))


GENDER_EXTRA = {
    "male": "man",
    "m": "man",
    "男": "man",
    "female": "woman",
    "f": "woman",
    "女": "woman",
    "": "no_response",
    "無回答": "no_response",
    "no_response": "no_response",
}


def _parse_cell(question: Question, raw: str, answers: dict) -> str | None:
    """Store one cell's answer in ``answers``; return a problem message or None."""
    text = unsafe_text(raw.strip())
    if text == "":
        return None
    found = {"text": repr(text), "choices": _choices(question)}
    if question.kind == SINGLE:
        code = _lookup(question.options, text)
        if code is None:
            return gettext("unknown option %(text)s (expected one of %(choices)s)") % found
        answers[question.code] = code
    elif question.kind == SCALE:
        number = normalize_text(text).rstrip("%").strip()
        code = _lookup(question.options, text)
        if code is None:
            try:
                float(number)
            except ValueError:
                return gettext("not a number: %(text)s (expected one of %(choices)s)") % found
            return gettext("scale out of range: %(text)s (expected one of %(choices)s)") % found
        answers[question.code] = int(code)
    elif question.kind == MULTI:
        chosen = []
        for item in (i.strip() for i in SEPARATORS.split(text)):
            if not item:
                continue
            if OTHER_PREFIX.match(item):
                chosen.append("other")
                other = OTHER_PREFIX.sub("", item)
                previous = answers.get(f"{question.code}_other")
                answers[f"{question.code}_other"] = f"{previous}; {other}" if previous else other
                continue
            code = _lookup(question.options, item)
            if code is None:
                return gettext(
                    "unknown option %(text)s (expected %(choices)s; write free text as "
                    "'other: %(item)s')"
                ) % {"text": repr(item), "choices": _choices(question), "item": item}
            chosen.append(code)
        answers[question.code] = list(dict.fromkeys(chosen))
    elif question.kind == VALUES:
        answers[question.code] = [i.strip() for i in SEPARATORS.split(text) if i.strip()]
    else:
        answers[question.code] = text
    return None


def _choices(question: Question) -> str:
    """The options' labels in the active language."""
    return ", ".join(str(o.label) for o in question.options)


def parse_responses(text: str, questionnaire: int, group_name: str) -> ParsedFile:
    """Check every row of a responses CSV; nothing is stored here."""
    parsed = ParsedFile()
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if [h.lower() for h in header[:2]] == ["question", "option"]:
        parsed.is_table = True
        parsed.slips = published_table_slips(text)
        return parsed
    own = {q.code: q for q in QUESTIONNAIRES[questionnaire].questions}
    others = {
        q.code for n, qn in QUESTIONNAIRES.items() if n != questionnaire for q in qn.questions
    }
    known = set(COMMON + OPTIONAL) | set(own) | others
    for name in header:
        if name not in known:
            column = name or gettext("(empty)")
            parsed.problems.append(Problem(1, column, gettext("unknown column")))
    if len(set(header)) != len(header):
        parsed.problems.append(Problem(1, "", gettext("a column name appears twice")))
    if parsed.problems:
        return parsed
    seen: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            parsed.problems.append(
                Problem(
                    line,
                    "",
                    gettext("%(cells)d cells, the header has %(columns)d")
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        record = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        record = {k: v.strip() for k, v in record.items()}
        row_questionnaire = record.get("questionnaire", "")
        if row_questionnaire and row_questionnaire != str(questionnaire):
            parsed.skipped += 1
            continue
        parsed_row = _parse_row(record, line, own, others, group_name, parsed.problems)
        if parsed_row is None:
            continue
        respondent = parsed_row["respondent"]
        if respondent in seen:
            parsed.problems.append(
                Problem(
                    line,
                    "respondent",
                    gettext("%(respondent)s already on row %(row)d")
                    % {"respondent": repr(respondent), "row": seen[respondent]},
                )
            )
        seen[respondent] = line
        parsed.rows.append(parsed_row)
    return parsed


def _parse_row(record, line, own, others, group_name, problems) -> dict | None:
    before = len(problems)
    group = unsafe_text(record.get("group", ""))
    if group and normalize_text(group) != normalize_text(group_name):
        problems.append(
            Problem(
                line,
                "group",
                gettext("%(group)s is not the group being imported (%(imported)s)")
                % {"group": repr(group), "imported": repr(group_name)},
            )
        )
    gender_text = normalize_text(record.get("gender", ""))
    gender = _lookup(GENDERS, gender_text) or GENDER_EXTRA.get(gender_text)
    if gender is None:
        problems.append(
            Problem(
                line,
                "gender",
                gettext("unknown option %(text)s (expected one of %(choices)s)")
                % {
                    "text": repr(record["gender"]),
                    "choices": ", ".join(str(o.label) for o in GENDERS),
                },
            )
        )
    age_text = record.get("age_band", "")
    age = "unknown" if not age_text else _lookup(AGE_BANDS, age_text)
    if age is None and re.fullmatch(r"\d0", normalize_text(age_text).rstrip("代s")):
        age = _lookup(AGE_BANDS, normalize_text(age_text).rstrip("代s") + "s")
    if age is None:
        problems.append(
            Problem(
                line,
                "age_band",
                gettext("unknown option %(text)s (expected one of %(choices)s)")
                % {"text": repr(age_text), "choices": ", ".join(o.code for o in AGE_BANDS)},
            )
        )
    answers: dict = {}
    for code, question in own.items():
        message = _parse_cell(question, record.get(code, ""), answers)
        if message:
            problems.append(Problem(line, code, message))
    for code in others:
        if record.get(code, ""):
            problems.append(Problem(line, code, gettext("belongs to the other questionnaire")))
    if len(problems) > before:
        return None
    return {
        "respondent": unsafe_text(record.get("respondent", "")) or f"row-{line}",
        "gender": gender,
        "age_band": age,
        "nationality": unsafe_text(record.get("nationality", "")),
        "room_code": unsafe_text(record.get("room", "")),
        "answers": answers,
    }


def published_table_slips(text: str) -> list[str]:
    """Arithmetic slips in a published table CSV (question,option,n,man,woman[,no_response]).

    A blank question cell continues the question above, as printed tables do."""
    # Deferred: analysis loads pandas and scipy; the rest of this module must not.
    from surveys.analysis import published_slips

    reader = csv.DictReader(io.StringIO(text))
    rows, current = [], ""
    for line, record in enumerate(reader, start=2):
        current = (record.get("question") or "").strip() or current
        try:
            numbers = {
                k: int(float(record.get(k) or 0)) for k in ("n", "man", "woman", "no_response")
            }
        except ValueError:
            raise ImportRejected([Problem(line, "n", gettext("not a number"))]) from None
        question = current if not re.fullmatch(r"N[12]?", current) else "N"
        kind = "n" if question == "N" else _kind_of(question)
        rows.append(
            {
                "question": question,
                "option": record.get("option", ""),
                "kind": kind,
                **numbers,
                "line": line,
            }
        )
    return published_slips(rows)


def _kind_of(code: str) -> str:
    for qn in QUESTIONNAIRES.values():
        for question in qn.questions:
            if question.code == code:
                return question.kind
    return "unknown"
