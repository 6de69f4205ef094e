"""Team play's rules on their own: settings, balanced teams, who may pick, the team ranking."""

from datetime import UTC, datetime, timedelta

import pytest

from games import rules
from games.rules import RuleError, Standing


def test_teams_are_off_by_default_and_round_trip():
    settings = rules.settings_from({"teams": 4, "team_pick": "choose", "team_talk": 10})
    assert rules.Settings().teams == 0
    assert (settings.teams, settings.team_pick, settings.team_talk) == (4, "choose", 10)
    assert rules.settings_from(settings.as_dict()) == settings


@pytest.mark.parametrize(
    "change",
    [
        {"teams": 1},
        {"teams": 9},
        {"teams": -2},
        {"teams": True},
        {"teams": "2"},
        {"team_pick": "random"},
        {"team_talk": 31},
        {"team_talk": -1},
        {"team_talk": 5.0},
    ],
)
def test_it_refuses_bad_team_settings(change):
    with pytest.raises(RuleError) as err:
        rules.settings_from(change)
    assert err.value.code == "bad_settings"


def test_balanced_teams_deal_players_round_robin_in_join_order():
    assignment = rules.balanced_teams([11, 12, 13, 14, 15, 16, 17], [1, 2, 3])
    assert assignment == {11: 1, 12: 2, 13: 3, 14: 1, 15: 2, 16: 3, 17: 1}
    sizes = [list(assignment.values()).count(t) for t in (1, 2, 3)]
    assert max(sizes) - min(sizes) <= 1


def test_a_newcomer_joins_the_smallest_team_first_in_order_on_a_tie():
    assert rules.smallest_team({1: 3, 2: 2, 3: 2}) == 2
    assert rules.smallest_team({1: 0, 2: 0}) == 1


def test_who_may_pick_a_team():
    choose = rules.settings_from({"teams": 2, "team_pick": "choose"})
    auto = rules.settings_from({"teams": 2})
    rules.check_team_pick(choose, rules.LOBBY, rules.PLAYER, own=True)
    rules.check_team_pick(auto, rules.LOBBY, rules.HOST, own=False)
    cases = [
        (rules.Settings(), rules.LOBBY, rules.HOST, False, "teams_off"),
        (auto, rules.LOBBY, rules.PLAYER, True, "teams_by_host"),
        (choose, rules.LOBBY, rules.PLAYER, False, "not_host"),
        (choose, rules.READING, rules.PLAYER, True, "out_of_turn"),
        (choose, rules.LOBBY, rules.SCREEN, False, "not_player"),
    ]
    for settings, state, role, own, code in cases:
        with pytest.raises(RuleError) as err:
            rules.check_team_pick(settings, state, role, own=own)
        assert err.value.code == code, (role, state)


def test_team_talk_lengthens_the_automatic_pause_and_counts_down_in_human_mode():
    now = datetime(2025, 1, 1, tzinfo=UTC)
    auto = rules.settings_from({"teams": 2, "team_talk": 10, "reader_mode": "auto", "pause": 8})
    human = rules.settings_from({"teams": 2, "team_talk": 10})
    assert rules.pause_deadline(auto, now) == now + timedelta(seconds=18)
    assert rules.talk_deadline(auto, now) == now + timedelta(seconds=10)
    assert rules.pause_deadline(human, now) is None
    assert rules.talk_deadline(human, now) == now + timedelta(seconds=10)
    # Without teams, no talk.
    solo = rules.settings_from({"team_talk": 10, "reader_mode": "auto", "pause": 8})
    assert rules.talk_deadline(solo, now) is None
    assert rules.pause_deadline(solo, now) == now + timedelta(seconds=8)


def test_team_ranking_ranks_teams_then_players_within_them():
    players = [
        Standing(1, "Aki", 3, 3),
        Standing(2, "Ben", 1, 2),
        Standing(3, "Cai", 4, 4),
        Standing(4, "Dan", -1, 0),
        Standing(5, "Eve", 2, 2),
    ]
    members = {1: 10, 2: 10, 3: 20, 4: 20, 5: 30}
    ranked = rules.team_ranking([10, 20, 30], players, members)
    assert [(t.team, t.rank, t.score, t.cards) for t in ranked] == [
        (10, 1, 4, 5),
        (20, 2, 3, 4),
        (30, 3, 2, 2),
    ]
    assert [p.seat for p in ranked[0].members] == [1, 2]
    assert [p.seat for p in ranked[1].members] == [3, 4]
    # Totals are the sums of the members', whatever the order.
    for team in ranked:
        assert team.score == sum(p.score for p in team.members)
        assert team.cards == sum(p.cards for p in team.members)


def test_equal_teams_share_a_rank():
    players = [Standing(1, "Aki", 2, 2), Standing(2, "Ben", 2, 2)]
    ranked = rules.team_ranking([1, 2], players, {1: 1, 2: 2})
    assert [t.rank for t in ranked] == [1, 1]


def test_team_styles_differ_by_letter_and_shape_not_only_colour():
    styles = rules.TEAM_STYLES
    assert len(styles) == rules.MAX_TEAMS == 8
    for attr in ("letter", "shape", "color"):
        assert len({getattr(s, attr) for s in styles}) == 8, attr
