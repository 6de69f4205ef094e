"""What a nickname looks like, as opposed to what was typed: a skeleton to compare names by.

Two names that a class cannot tell apart on a projector ("Alice" and "Аlice" with a Cyrillic
А, "Aki" and "Aki" followed by a HANGUL FILLER) have the same skeleton, and a word on the
blocklist is found in a name whose skeleton holds the word's ("f.u.c.k", "fúck", "fuсk",
"シネ" for しね). The skeleton follows UTS #39 (Unicode's confusables, games/confusables_data.py,
see tools/confusables_table.py) and adds what a classroom filter needs:

1. NFKC (full-width and half-width forms, ligatures), then without the characters that show
   nothing (default-ignorable code points: zero-width characters, fillers, variation
   selectors, tags; plus the blank-looking BRAILLE PATTERN BLANK and MUSICAL SYMBOL NULL
   NOTEHEAD);
2. NFD and without combining marks (accents, dots, strokes), except the kana voicing marks:
   が and か are different names;
3. each character replaced by its confusables prototype, lower-cased (casefold), and
   katakana written as hiragana;
4. without punctuation, spaces and modifier or math symbols (what is put between letters),
   unless the character looks like a letter (| is an l).

Two skeletons are made, because folding case and mapping look-alikes do not commute:
``folded`` lower-cases first ("ALICE" is "alice"), ``glyph`` maps first, so a capital I,
which looks like an l, is an l ("AIice" is "Alice"), and katakana stay katakana, whose
look-alikes are kanji (カ and 力). Names look alike when either skeleton is the same.

Pure Python: no Django, no database (games/rules.py and games/services.py use it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from games.confusables_data import PROTOTYPES

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15.0), as ranges.
_IGNORABLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
# Not default-ignorable, yet drawn as nothing by every font a projector uses.
_BLANK = frozenset({0x2800, 0x1D159})
# Variation selectors change how the character before them is drawn (an emoji in colour):
# kept in the name shown, left out of the skeleton.
_VARIATION_SELECTORS = frozenset([*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])

INVISIBLE = frozenset(
    cp for start, end in _IGNORABLE_RANGES for cp in range(start, end + 1)
) | _BLANK  # fmt: skip
_DROP_INVISIBLE = dict.fromkeys(INVISIBLE)
_DROP_SHOWN = dict.fromkeys(INVISIBLE - _VARIATION_SELECTORS)

KANA_VOICING = frozenset({"\u3099", "\u309a"})  # が, ぱ: a different sound, a visible mark
# Katakana ァ..ヶ and the iteration marks ヽヾ, as their hiragana.
_HIRAGANA = {cp: cp - 0x60 for cp in [*range(0x30A1, 0x30F7), 0x30FD, 0x30FE]}
# Between letters: punctuation (P*), separators (Z*), modifier (Sk) and math (Sm) symbols.
_BETWEEN = ("P", "Z", "Sk", "Sm")


class Skeleton(NamedTuple):
    folded: str
    glyph: str


def visible(text: str) -> str:
    """``text`` without the characters that show nothing (variation selectors stay)."""
    return text.translate(_DROP_SHOWN)


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = (
        c for c in decomposed if c in KANA_VOICING or not unicodedata.category(c).startswith("M")
    )
    return unicodedata.normalize("NFC", "".join(kept))


def _between(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PZ" or category in _BETWEEN


def _map(text: str) -> str:
    """Each character as its prototype. What was put between letters goes, unless it looks
    like a letter itself (| is an l); a letter whose look-alike is punctuation stays (ノ is
    /), so a name does not lose letters to the glyph skeleton."""
    out = []
    for char in text:
        prototype = PROTOTYPES.get(ord(char))
        if _between(char) and not (prototype and any(c.isalnum() for c in prototype)):
            continue
        out.append(char if prototype is None else prototype)
    return "".join(out)


def _finish(text: str) -> str:
    """After the look-alikes are mapped: a prototype may carry a mark or a capital."""
    text = unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE)
    return _without_marks(text).casefold()


def _base(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    return _without_marks(text)


def _folded(text: str) -> str:
    return _finish(_map(_base(text).casefold().translate(_HIRAGANA)))


def _glyph(text: str) -> str:
    return _finish(_map(_base(text)))


@lru_cache(maxsize=8192)  # a room's names are compared again at every join
def skeletons(text: str) -> Skeleton:
    return Skeleton(_folded(text), _glyph(text))


def skeleton(text: str) -> str:
    """The case-folded skeleton: what a name is compared and searched by."""
    return skeletons(text).folded


def is_blank(text: str) -> bool:
    """Nothing a reader could tell another name by: no letter, digit or symbol shows."""
    return not skeleton(text)


def look_alike(one: str, other: str) -> bool:
    a, b = skeletons(one), skeletons(other)
    return a.folded == b.folded or a.glyph == b.glyph


def clash(name: str, others: Iterable[str | None]) -> bool:
    """Whether ``name`` looks like one of ``others`` (the names already in a room)."""
    return any(other and look_alike(name, other) for other in others)


def contains(name: str, words: Iterable[str]) -> bool:
    """Whether a word's skeleton is inside the name's, wherever it is and whatever was put
    between its letters."""
    mine = skeletons(name)
    return any(
        (theirs := skeletons(word)).folded in mine.folded or theirs.glyph in mine.glyph
        for word in words
    )


def starts_a_word(name: str, words: Iterable[str]) -> bool:
    """Whether a word's skeleton starts one of the name's words: the pieces between spaces,
    and between punctuation ("big.dick"), each compared as a whole ("d.i.c.k")."""
    pieces = visible(name).split()
    pieces += [
        piece
        for word in pieces
        for piece in "".join(" " if _between(c) else c for c in word).split()
    ]
    words = [skeletons(w) for w in words]
    for piece in pieces:
        mine = skeletons(piece)
        if any(
            w.folded
            and mine.folded.startswith(w.folded)
            or w.glyph
            and mine.glyph.startswith(w.glyph)
            for w in words
        ):
            return True
    return False
