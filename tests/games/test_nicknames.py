"""Nicknames on a projected screen: look-alike letters, accents, dots, katakana and invisible
characters do not get a word past the blocklist, an empty-looking name past the check, or a
copy of a present player's name into the room. Pure: no Django, no database."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from games import nicknames, rules
from games.rules import RuleError

INVISIBLE = ["\u3164", "\u2800", "\u115f", "\u1160", "\uffa0", "\u200b", "\u200c", "\u200d",
             "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\ufe0f", "\U000e0041"]  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [
        "fu\u0441k",  # Cyrillic с
        "\u0455hit",  # Cyrillic ѕ
        "f.u.c.k",
        "f-u_c*k you",
        "f\u00fack",  # ú
        "fu\u0301ck",  # u + combining acute
        "f\u03c5\u0441k",  # Greek υ, Cyrillic с
        "\u30b7\u30cd",  # シネ: the blocklist has しね
        "\uff7c\uff88",  # ｼﾈ halfwidth
        "\u3057\u200b\u306d",  # し<ZWSP>ね
        "\u30ac\u30a4\u30b8",  # ガイジ
        "\u304c\u3044\u3058",  # がいじ (hiragana of a katakana entry)
        "bi\u0261 d\u0456ck",  # big dick, with Latin ɡ and Cyrillic і
        "nа\u200dzi",  # Cyrillic а, zero-width joiner
    ],
)
def test_blocklist_evasions_are_refused(bad):
    with pytest.raises(RuleError) as err:
        rules.clean_nickname(bad)
    assert err.value.code == "bad_nickname"


@pytest.mark.parametrize("typed", ["Grape", "Aki", "あき", "Ålice", "José", "田中", "リンク",
                                   "ゆうぎ", "Aki 2", "🐱", "Mr. T", "O'Neil"])  # fmt: skip
def test_ordinary_names_pass_as_typed(typed):
    assert rules.clean_nickname(typed) == typed


@pytest.mark.parametrize("blank", [*INVISIBLE, "\u3164\u3164", "\u2800 \u2800", "\u200b" * 5,
                                   "\u0301", "...", "\u3000\u3164", "\ufe0f\u3164"])  # fmt: skip
def test_a_nickname_of_only_invisible_characters_is_refused(blank):
    with pytest.raises(RuleError) as err:
        rules.clean_nickname(blank)
    assert err.value.code == "bad_nickname"


def test_invisible_characters_are_not_kept_in_the_name_shown():
    assert rules.clean_nickname("A\u3164ki\u2800") == "Aki"
    assert rules.clean_nickname("\u115fBen") == "Ben"


@pytest.mark.parametrize(
    "one, other",
    [
        ("Alice", "\u0410lice"),  # Cyrillic А
        ("Alice", "ALICE"),
        ("Alice", "AIice"),  # capital I for l
        ("Alice", "A\u200blice"),
        ("Alice", "A.lice"),
        ("Alice", "Al\u00ecce"),  # ì
        ("Ben", "B\u0435n"),  # Cyrillic е
        ("Ben", "Ｂｅｎ"),
        ("bob", "b0b"),
        ("あき", "アキ"),
        ("あき", "ｱｷ"),
        ("Aki", "Aki\u3164"),
    ],
)
def test_look_alikes_share_a_skeleton(one, other):
    assert nicknames.look_alike(one, other)


@pytest.mark.parametrize(
    "one, other",
    [
        ("Alice", "Alicia"),
        ("Aki 1", "Aki 2"),
        ("ゆうき", "ゆうぎ"),
        ("Ben", "Ken"),
        ("はな", "ばな"),
    ],
)
def test_different_names_stay_different(one, other):
    assert not nicknames.look_alike(one, other)


# --- properties ----------------------------------------------------------------------------

names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
)
latin_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1,
                      max_size=12)  # fmt: skip
CYRILLIC_FOR = {"a": "\u0430", "c": "\u0441", "e": "\u0435", "o": "\u043e", "p": "\u0440",
                "x": "\u0445", "y": "\u0443", "A": "\u0410", "B": "\u0412", "E": "\u0415",
                "H": "\u041d", "K": "\u041a", "M": "\u041c", "O": "\u041e", "P": "\u0420",
                "T": "\u0422", "X": "\u0425"}  # fmt: skip


@given(names)
def test_cleaning_gives_a_short_visible_name_or_a_refusal(typed):
    try:
        name = rules.clean_nickname(typed)
    except RuleError as err:
        assert err.code == "bad_nickname"
        return
    assert 1 <= len(name) <= rules.NICKNAME_MAX
    assert nicknames.skeleton(name) != ""
    assert not any(c in name for c in INVISIBLE if unicodedata.category(c) != "Mn")
    assert rules.clean_nickname(name) == name, "cleaning is stable"


@given(latin_words, st.lists(st.sampled_from(INVISIBLE), max_size=4), st.randoms())
def test_invisible_characters_anywhere_change_no_skeleton(word, extra, rnd):
    letters = list(word)
    for char in extra:
        letters.insert(rnd.randint(0, len(letters)), char)
    assert nicknames.skeleton("".join(letters)) == nicknames.skeleton(word)


@given(latin_words)
def test_cyrillic_look_alikes_and_case_change_no_skeleton(word):
    disguised = "".join(CYRILLIC_FOR.get(c, c) for c in word)
    assert nicknames.look_alike(word, disguised)
    assert nicknames.look_alike(word, word.swapcase())
