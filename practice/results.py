"""A posted solo result, checked before anything is stored: pure (no Django, no database).

``parse(data, deck)`` returns a :class:`Posted` or raises :class:`Invalid` with a code the view
turns into a translated 400 (practice/views.py). ``deck``: the card numbers that exist.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from practice import scoring

MAX_BYTES = 16 * 1024  # a full round of 24 cards with wrong takes is about 2 KB
MAX_ROUND_MS = 10 * 60 * 1000  # one yomifuda: ten minutes
MAX_ELAPSED_MS = 3 * 60 * 60 * 1000  # a whole round: three hours
LANGS = ("ja", "en", "both")
CARD_SET = re.compile(
    r"all|confused|review|field:[-a-z0-9]{1,32}|cards:[1-9][0-9]?(,[1-9][0-9]?){0,23}"
)
ASSIGNMENT = re.compile(r"[A-Za-z0-9]{0,16}")


class Invalid(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Posted:
    client_id: uuid.UUID
    mode: str
    card_set: str
    pace: str
    lang: str
    elapsed_ms: int
    rounds: tuple[scoring.Round, ...]
    assignment: str = ""

    @property
    def wrong(self) -> int:
        return sum(len(r.wrong) for r in self.rounds)


def _int(value, low: int, high: int, code: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(code)
    return value


def _choice(value, choices, code: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise Invalid(code)
    return value


def _round(item, deck: Collection[int]) -> scoring.Round:
    if not isinstance(item, dict):
        raise Invalid("bad_round")
    read = item.get("read")
    if isinstance(read, bool) or read not in deck:
        raise Invalid("unknown_card")
    wrong = item.get("wrong", [])
    if not isinstance(wrong, list) or len(wrong) >= len(deck):
        raise Invalid("bad_round")
    for number in wrong:
        if isinstance(number, bool) or number not in deck:
            raise Invalid("unknown_card")
        if number == read:
            raise Invalid("bad_round")
    ms = _int(item.get("ms"), 0, MAX_ROUND_MS, "bad_time")
    return scoring.Round(read=read, wrong=tuple(wrong), ms=ms)


def parse(data, deck: Collection[int]) -> Posted:
    if not isinstance(data, dict):
        raise Invalid("bad_json")
    try:
        client_id = uuid.UUID(str(data.get("id", "")))
    except ValueError:
        raise Invalid("bad_id") from None
    card_set = data.get("card_set")
    if not isinstance(card_set, str) or not CARD_SET.fullmatch(card_set):
        raise Invalid("bad_card_set")
    assignment = data.get("assignment", "") or ""
    if not isinstance(assignment, str) or not ASSIGNMENT.fullmatch(assignment):
        raise Invalid("bad_assignment")
    items = data.get("rounds")
    if not isinstance(items, list) or not 1 <= len(items) <= len(deck):
        raise Invalid("bad_rounds")
    rounds = tuple(_round(item, deck) for item in items)
    if len({r.read for r in rounds}) != len(rounds):
        raise Invalid("bad_rounds")  # each card is read once in a round
    elapsed = _int(data.get("elapsed_ms"), 0, MAX_ELAPSED_MS, "bad_time")
    if elapsed < max(r.ms for r in rounds):
        raise Invalid("bad_time")  # the whole round cannot be shorter than one of its readings
    return Posted(
        client_id=client_id,
        mode=_choice(data.get("mode"), scoring.MODES, "bad_mode"),
        card_set=card_set,
        pace=_choice(data.get("pace"), tuple(scoring.PACES), "bad_pace"),
        lang=_choice(data.get("lang"), LANGS, "bad_lang"),
        elapsed_ms=elapsed,
        rounds=rounds,
        assignment=assignment,
    )
