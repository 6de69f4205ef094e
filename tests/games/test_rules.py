"""The rules on their own: no Django, no database, no socket."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from games import rules
from games.rules import RuleError, Standing


def test_default_settings_round_trip():
    settings = rules.settings_from({})
    assert settings == rules.Settings()
    assert rules.settings_from(settings.as_dict()) == settings


@pytest.mark.parametrize(
    "change",
    [
        {"lang": "fr"},
        {"fields": []},
        {"fields": ["astrology"]},
        {"fields": "economics"},
        {"wrong_take": "shout"},
        {"voice": "yes"},
        {"time_limit": 7},
        {"time_limit": True},
        {"reveal": "never"},
        {"reveal_delay": 99},
        {"pause": 0},
        {"set_bonus": 1},
        {"colour": "red"},
    ],
)
def test_it_refuses_bad_settings(change):
    with pytest.raises(RuleError) as err:
        rules.settings_from(change)
    assert err.value.code == "bad_settings"


def test_fields_keep_the_deck_order():
    settings = rules.settings_from({"fields": ["marketing", "economics"]})
    assert settings.fields == ("economics", "marketing")


def test_codes_avoid_look_alike_characters():
    rng = random.Random(1)
    codes = {rules.new_code(rng) for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert rules.is_code(code)
        assert not set(code) & set("01OILZ2S5B8G")
    assert rules.normalize_code(" k7m-qx ") == "K7MQX"
    assert rules.normalize_code("ＡＢＣ") == "ABC"  # full-width input from a Japanese IME


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Aki  ", "Aki"),
        ("A\u200bki\n", "Aki"),
        ("あき　ちゃん", "あき ちゃん"),
        ("<b>Ben</b>", "<b>Ben</b>"),
        ("Grape", "Grape"),
    ],
)
def test_nicknames_are_cleaned(typed, kept):
    assert rules.clean_nickname(typed) == kept


@pytest.mark.parametrize(
    "bad", ["", "   ", "x" * 21, None, 42, "Shit happens", "F U C K", "big dick", "ｓｈｉｔ"]
)
def test_bad_nicknames_are_refused(bad):
    with pytest.raises(RuleError) as err:
        rules.clean_nickname(bad)
    assert err.value.code == "bad_nickname"


def test_the_deal_is_a_shared_shuffle():
    numbers = list(range(1, 25))
    dealt = rules.deal(numbers, random.Random(7))
    assert sorted(dealt.positions.values()) == list(range(24))
    assert sorted(dealt.read_order.values()) == list(range(24))
    assert dealt == rules.deal(numbers, random.Random(7))
    assert dealt.positions != {n: n - 1 for n in numbers}
    with pytest.raises(RuleError):
        rules.deal([], random.Random(1))


@pytest.mark.parametrize(
    ("state", "allowed", "refused"),
    [
        ("lobby", ["start", "settings", "kick"], ["take", "next"]),
        ("reading", ["take", "skip", "reader"], ["start", "next", "settings"]),
        ("taken", ["next", "remove"], ["take", "start"]),
        ("timeout", ["next"], ["take", "skip"]),
        ("finished", ["kick"], ["take", "next", "start", "settings"]),
    ],
)
def test_moves_follow_the_state(state, allowed, refused):
    for action in allowed:
        rules.check_turn(state, action)
    for action in refused:
        with pytest.raises(RuleError) as err:
            rules.check_turn(state, action)
        assert err.value.code == "out_of_turn"


def test_wrong_take_modes():
    assert rules.wrong_take("penalty") == rules.WrongTake(-1, True, True)
    assert rules.wrong_take("discuss") == rules.WrongTake(0, False, True)
    assert rules.wrong_take("off") == rules.WrongTake(0, False, False)
    with pytest.raises(RuleError):
        rules.wrong_take("loud")


def test_set_bonus_only_for_a_whole_field_and_only_when_asked():
    assert rules.take_points(set_bonus=True, field_taken_by_seat=2, field_on_board=2) == (1, 3)
    assert rules.take_points(set_bonus=True, field_taken_by_seat=1, field_on_board=2) == (1, 0)
    assert rules.take_points(set_bonus=True, field_taken_by_seat=1, field_on_board=1) == (1, 0)
    assert rules.take_points(set_bonus=False, field_taken_by_seat=2, field_on_board=2) == (1, 0)


def test_deadlines():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.deadline_after(start, 0) is None
    deadline = rules.deadline_after(start, 30)
    assert deadline == start + timedelta(seconds=30)
    assert not rules.is_due(deadline, start + timedelta(seconds=29))
    assert rules.is_due(deadline, start + timedelta(seconds=30))
    assert not rules.is_due(None, start)


def test_ranking_shares_places_on_ties():
    ranked = rules.ranking(
        [
            Standing(1, "Chie", 6, 6),
            Standing(2, "Aki", 12, 12),
            Standing(3, "Ben", 6, 6),
            Standing(4, "Dan", 6, 7),
            Standing(5, "Eri", -1, 0),
        ]
    )
    assert [(s.nickname, s.rank) for s in ranked] == [
        ("Aki", 1),
        ("Dan", 2),
        ("Ben", 3),
        ("Chie", 3),
        ("Eri", 5),
    ]


def test_the_read_text_can_hide_the_name():
    names = ("こだわり価値", "Sticking value (commitment)")
    assert rules.hide_name("こだわり価値とは、細部の満足である。", names, "ja") == (
        "この価値とは、細部の満足である。"
    )
    assert rules.hide_name(
        "Sticking value is private. Nobody sees sticking values. Values stay.", names, "en"
    ) == ("This value is private. Nobody sees this value. Values stay.")
