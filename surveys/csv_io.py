"""CSV in and out: the import of paper questionnaires and the wide, long and table exports.

Every file written is UTF-8 with a BOM (Excel then shows Japanese correctly) and written row
by row, so a view can stream it. Every file goes through :func:`csv_lines`, which guards every
text cell: one a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a
leading apostrophe. Only numbers (``int``, ``float``, or :class:`Number` text that reads as a
number) are written as they are, so −1 stays a number while a group named "-1" is text. The
import removes that apostrophe again, so export → import is lossless.
"""

import csv
import numbers
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from surveys.play_figures import EXPORT_HEADER, VALUE_IN_GAME, export_cells, value_in_game
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
# The counts, then the missing data (surveys.tables.with_missing) and, for value questions,
# the wordings people wrote that were counted under the row (docs/surveys.md).
TABLE_HEADER = ["question", "option", "n", "man", "woman", "no_response",
                "pct", "answered", "no_answer", "pct_answered", "originals"]  # fmt: skip
LONG_HEADER = [
    "respondent", "group", "room", "questionnaire", "gender", "age_band", "nationality",
    "question", "answer", "value",
    # The seat's game (surveys/play_figures.py): empty for a response given without a seat.
    *EXPORT_HEADER, VALUE_IN_GAME,
]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = re.compile(r"[;；]")
# Reading: a file is read CHUNK_BYTES at a time; a cell may hold MAX_CELL_CHARS characters
# (the csv module's own default limit, which the reader is freed from so that the row and
# column can be named), the columns stored in short database fields less; at most
# MAX_PROBLEMS problems are listed, the rest counted.
CHUNK_BYTES = 64 * 1024
MAX_CELL_CHARS = 131_072
MAX_LENGTHS = {"respondent": 64, "nationality": 64, "room": 32}
MAX_PROBLEMS = 100
MAX_TABLE_ROWS = 10_000
CSV_FIELD_LIMIT = 2**31 - 1
LINE_ENDS = re.compile(rb"\r\n|\r|\n")
BOM_BYTES = BOM.encode()
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


def _people(records: Iterable[dict]) -> Iterator[list[dict]]:
    """Consecutive records of one person (``person`` key) together."""
    current: list[dict] = []
    for record in records:
        if current and record.get("person", record["respondent"]) != current[0].get(
            "person", current[0]["respondent"]
        ):
            yield current
            current = []
        current.append(record)
    if current:
        yield current


def _about(record: dict) -> tuple:
    """What a wide row holds once for both questionnaires."""
    return tuple(record.get(k, "") for k in ("gender", "age_band", "nationality", "room"))


def wide_rows(records: Iterable[dict], questionnaires=(1, 2)) -> Iterator[list]:
    """One row per respondent: the questionnaires they answered side by side (records of one
    person consecutive, see surveys.records.response_records ``by_person``); the
    ``questionnaire`` cell lists what they answered (``1``, ``2`` or ``1;2``). A respondent
    whose two responses give a different gender, age band, nationality or room gets one row
    per questionnaire (the same id), so that the file still reads back as it was stored."""
    for person in _people(records):
        first = person[0]
        if any(_about(r) != _about(first) for r in person):  # not one row without a loss
            yield from (row for r in person for row in wide_rows([r], questionnaires))
            continue
        answered = {r["questionnaire"]: r for r in person}  # one per questionnaire
        row = [
            first["respondent"],
            first["group"],
            _gender_en(first["gender"]),
            first["age_band"],
            first.get("nationality", ""),
            first.get("room", ""),
            ";".join(str(n) for n in sorted(answered)),
        ]
        for number in questionnaires:
            record = answered.get(number)
            for question in QUESTIONNAIRES[number].questions:
                row.append(_answer_cells(question, record) if record else "")
        yield row


def long_rows(
    records: Iterable[dict], aliases: dict[str, int], values: dict, figures: dict | None = None
) -> Iterator[list]:
    """One row per answer: multi-choice and value questions give one row per item. Each row
    ends with the game figures of the response's seat (``figures``: response id → SeatFigures)
    and, on a value question's row, what the player did with that value in the game."""
    figures = figures or {}
    for record in records:
        seat = figures.get(record.get("id"))
        game = export_cells(seat)
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
                    yield head + [question.code, answer, "", *game, ""]
            elif question.kind == VALUES:
                for text in value or []:
                    number = aliases.get(normalize_text(text))
                    mapped = values[number]["en"] if number in values else ""
                    played = value_in_game(number, seat) if number in values else ""
                    yield head + [question.code, text, mapped, *game, played]
            else:
                cell = _answer_cells(question, record)
                if cell != "":
                    yield head + [question.code, cell, "", *game, ""]


def table_option_label(row, values: dict, lang: str = "en") -> str:
    """The words for a table row's option (labels of the questionnaire, deck value names)."""
    from surveys.cells import NONE_OPTION

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
    """The rows of a table frame (surveys.analysis.group_table) as the table CSV writes them;
    the shares unrounded to two decimals (a share of no one who answered is left blank)."""
    from surveys.tables import with_missing  # deferred: pandas

    for _index, row in with_missing(table).iterrows():
        question = row["question"] if row["question"] != "N" else f"N{row['questionnaire']}"
        share = row["pct_answered"]
        yield [
            question,
            table_option_label(row, values, lang),
            int(row["n"]),
            int(row["man"]),
            int(row["woman"]),
            int(row["no_response"]),
            f"{row['pct']:.2f}",
            int(row["answered"]),
            int(row["no_answer"]),
            "" if share != share else f"{share:.2f}",
            "; ".join(row["originals"]),
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


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class More(Problem):
    """The count of problems not listed."""

    def __str__(self) -> str:
        return self.message


class Problems:
    """The problems found in a file: the first MAX_PROBLEMS listed (a file of a million bad
    rows must not make a million messages), the rest counted."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.count = 0

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)

    def __bool__(self) -> bool:
        return self.count > 0

    def listed(self) -> list[Problem]:
        more = self.count - len(self.kept)
        if not more:
            return list(self.kept)
        text = ngettext("and %(n)d more problem", "and %(n)d more problems", more) % {"n": more}
        return [*self.kept, More(0, "", text)]


def _bad_encoding(raw: bytes, offset: int, error: UnicodeDecodeError) -> ImportRejected:
    message = gettext(
        "bad encoding: the file is not UTF-8 (byte %(byte)s at position %(position)d)."
    ) % {"byte": f"{raw[error.start]:#04x}", "position": offset + error.start}
    try:
        raw.decode("cp932")
        message += " " + gettext(
            "It looks like Shift_JIS: save it as “CSV UTF-8” and import again."
        )
    except UnicodeDecodeError:
        pass
    return ImportRejected([Problem(0, "", message)])


def _decode_line(raw: bytes, offset: int) -> str:
    if offset == 0 and raw.startswith(BOM_BYTES):
        raw, offset = raw[len(BOM_BYTES) :], len(BOM_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _bad_encoding(raw, offset, error) from None


def text_lines(file) -> Iterator[str]:
    """The lines of a binary file as text, read CHUNK_BYTES at a time (never the whole file):
    UTF-8 with or without a BOM, line ends \\r\\n, \\n or \\r kept for the csv reader (a quoted
    cell may hold them). Bad UTF-8 raises ImportRejected, naming the byte's position."""
    pending = bytearray()
    offset = 0  # the position in the file of pending's first byte
    while chunk := file.read(CHUNK_BYTES):
        pending += chunk
        start = 0
        for match in LINE_ENDS.finditer(pending):
            if match.end() == len(pending) and match.group() == b"\r":
                break  # its \n may begin the next chunk
            yield _decode_line(bytes(pending[start : match.end()]), offset + start)
            start = match.end()
        del pending[:start]
        offset += start
    if pending:
        yield _decode_line(bytes(pending), offset)


def _records(lines: Iterable[str], problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(row, cells) of each record, the header being row 1. A cell is never cut by the csv
    module's own field limit (the file's size is capped before): cells are measured here,
    where the row and column can be named."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(lines, strict=True)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                message = gettext("a quoted cell is not closed before the end of the file")
            else:
                message = gettext("not valid CSV here (%(error)s)") % {"error": error}
            problems.add(Problem(row + 1, "", message))
            return
        row += 1
        yield row, cells


def _cell_problem(column: str, text: str) -> str | None:
    """Why a cell cannot be stored as it is (the reader's and the databases' limits)."""
    if "\x00" in text:
        return gettext(
            "contains a NUL character (a zero byte), which the database cannot store: remove "
            "it and import again"
        )
    limit = MAX_LENGTHS.get(column, MAX_CELL_CHARS)
    if len(text) > limit:
        values = {"length": f"{len(text):,}", "limit": f"{limit:,}"}
        if column in MAX_LENGTHS:
            return gettext("%(length)s characters; at most %(limit)s") % values
        return gettext("%(length)s characters; a cell may hold at most %(limit)s") % values
    return None


class Seen:
    """Respondent ids already read and their row, kept in a private temporary SQLite database
    (``sqlite3.connect("")``: on disk, deleted when closed), so that memory stays flat however
    many rows a file has."""

    def __init__(self) -> None:
        self.db = sqlite3.connect("")
        self.db.execute("CREATE TABLE seen (respondent TEXT PRIMARY KEY, row INTEGER)")

    def earlier_row(self, respondent: str, row: int) -> int | None:
        """The row this respondent was first read on, or None (then it is now)."""
        added = self.db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (respondent, row))
        if added.rowcount:
            return None
        query = "SELECT row FROM seen WHERE respondent = ?"
        return self.db.execute(query, (respondent,)).fetchone()[0]

    def close(self) -> None:
        self.db.close()


@dataclass
class Sheet:
    """One pass over a CSV of paper answers: the header is read and checked when the sheet is
    opened (:func:`read_sheet`), then :meth:`rows` streams the rows. Rows with a problem are
    not yielded; ``problems`` lists them."""

    header: list[str]
    questionnaire: int
    group_name: str
    records: Iterator[tuple[int, list[str]]]
    problems: Problems = field(default_factory=Problems)
    skipped: int = 0
    slips: list[str] = field(default_factory=list)
    is_table: bool = False

    def rows(self, *, check_duplicates: bool = True) -> Iterator[dict]:
        """Each good row as it will be stored (with its ``row``), in file order."""
        if self.problems:  # the header is wrong: nothing below it can be read
            return
        questionnaire = self.questionnaire
        own = {q.code: q for q in QUESTIONNAIRES[questionnaire].questions}
        others = {
            q.code for n, qn in QUESTIONNAIRES.items() if n != questionnaire for q in qn.questions
        }
        width = len(self.header)
        seen = Seen() if check_duplicates else None
        try:
            for line, cells in self.records:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width:
                    message = gettext("%(cells)d cells, the header has %(columns)d") % {
                        "cells": len(cells),
                        "columns": width,
                    }
                    self.problems.add(Problem(line, "", message))
                    continue
                record = dict(zip(self.header, cells + [""] * (width - len(cells)), strict=True))
                record = {k: v.strip() for k, v in record.items()}
                if not self._cells_fit(record, line):
                    continue
                listed = {n.strip() for n in SEPARATORS.split(record.get("questionnaire", ""))}
                listed.discard("")
                if listed and str(questionnaire) not in listed:
                    self.skipped += 1
                    continue
                # A wide export's row of both questionnaires: the other's cells are its own.
                other = set() if len(listed) > 1 else others
                parsed = _parse_row(record, line, own, other, self.group_name, self.problems)
                if parsed is None:
                    continue
                if seen is not None:
                    earlier = seen.earlier_row(parsed["respondent"], line)
                    if earlier is not None:
                        message = gettext("%(respondent)s already on row %(row)d") % {
                            "respondent": repr(parsed["respondent"]),
                            "row": earlier,
                        }
                        self.problems.add(Problem(line, "respondent", message))
                        continue
                yield parsed
        finally:
            if seen is not None:
                seen.close()

    def _cells_fit(self, record: dict, line: int) -> bool:
        fits = True
        for column, text in record.items():
            message = _cell_problem(column, unsafe_text(text))
            if message:
                self.problems.add(Problem(line, column, message))
                fits = False
        return fits


def read_sheet(file, questionnaire: int, group_name: str) -> Sheet:
    """Open a CSV of paper answers (a binary file, read from where it stands) and check its
    header; nothing is stored here. A published table (header ``question,option,…``) is
    checked at once for arithmetic slips."""
    problems = Problems()
    records = _records(text_lines(file), problems)
    first = next(records, None)
    header = [h.strip() for h in first[1]] if first else []
    sheet = Sheet(header, questionnaire, group_name, records, problems)
    if [h.lower() for h in header[:2]] == ["question", "option"]:
        sheet.is_table = True
        sheet.slips = published_table_slips(header, records)
        if problems:  # a table that is not valid CSV
            raise ImportRejected(problems.listed())
        return sheet
    known = set(COMMON + OPTIONAL) | {
        q.code for qn in QUESTIONNAIRES.values() for q in qn.questions
    }
    for name in header:
        if name not in known:
            column = (name or gettext("(empty)")).replace("\x00", "\\x00")[:80]
            problems.add(Problem(1, column, gettext("unknown column")))
    if len(set(header)) != len(header):
        problems.add(Problem(1, "", gettext("a column name appears twice")))
    return sheet


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
    if question.kind == SINGLE:
        code = _lookup(question.options, text)
        if code is None:
            return gettext("unknown option %(text)s (expected one of %(choices)s)") % _found(
                question, text
            )
        answers[question.code] = code
    elif question.kind == SCALE:
        number = normalize_text(text).rstrip("%").strip()
        code = _lookup(question.options, text)
        if code is None:
            try:
                float(number)
            except ValueError:
                return gettext("not a number: %(text)s (expected one of %(choices)s)") % _found(
                    question, text
                )
            return gettext("scale out of range: %(text)s (expected one of %(choices)s)") % _found(
                question, text
            )
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


def _found(question: Question, text: str) -> dict:
    """What a problem message says was found and was expected (built only for a problem:
    the labels' translation is too slow for every cell of a big file)."""
    return {"text": repr(text), "choices": _choices(question)}


def _choices(question: Question) -> str:
    """The options' labels in the active language."""
    return ", ".join(str(o.label) for o in question.options)


def _parse_row(record, line, own, others, group_name, problems) -> dict | None:
    before = problems.count
    group = unsafe_text(record.get("group", ""))
    if group and normalize_text(group) != normalize_text(group_name):
        problems.add(
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
        problems.add(
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
        problems.add(
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
            problems.add(Problem(line, code, message))
    for code in others:
        if record.get(code, ""):
            problems.add(Problem(line, code, gettext("belongs to the other questionnaire")))
    if problems.count > before:
        return None
    return {
        "respondent": unsafe_text(record.get("respondent", "")) or f"row-{line}",
        "gender": gender,
        "age_band": age,
        "nationality": unsafe_text(record.get("nationality", "")),
        "room_code": unsafe_text(record.get("room", "")),
        "answers": answers,
        "row": line,
    }


def published_table_slips(header: list[str], records) -> list[str]:
    """Arithmetic slips in a published table CSV (question,option,n,man,woman[,no_response]),
    from its header and its (row, cells) records.

    A blank question cell continues the question above, as printed tables do."""
    # Deferred: analysis loads pandas and scipy; the rest of this module must not.
    from surveys.analysis import published_slips

    names = [h.lower() for h in header]
    rows, current = [], ""
    for line, cells in records:
        if len(rows) >= MAX_TABLE_ROWS:
            raise ImportRejected([Problem(line, "", gettext("too many rows for a table"))])
        record = dict(zip(names, cells, strict=False))
        current = (record.get("question") or "").strip() or current
        try:
            counts = {
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
                **counts,
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
