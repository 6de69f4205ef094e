"""Team play over the protocol: the host turns teams on, players are dealt out or pick in the
lobby, the host moves them, and a whole team game ends with teams ranked. A team's total is
always the sum of its members' (after wrong takes and set bonuses too)."""

import pytest
from channels.db import database_sync_to_async

from games.models import Seat, Team

pytestmark = pytest.mark.django_db(transaction=True)


async def answer_of(host) -> int:
    await host.send("sync")
    return (await host.expect("snapshot"))["turn"]["answer"]["id"]


async def test_the_host_turns_teams_on_and_they_get_names_colours_letters_and_shapes(host_and):
    code, host, (aki,) = await host_and("Aki", lang="en")
    await host.send("settings", settings={"teams": 3})
    teams = (await aki.expect("teams"))["teams"]
    assert [t["name"] for t in teams] == ["Red", "Blue", "Green"]
    assert [t["letter"] for t in teams] == ["A", "B", "C"]
    assert len({t["color"] for t in teams}) == len({t["shape"] for t in teams}) == 3
    assert all(t["score"] == 0 and t["cards"] == 0 for t in teams)
    await host.send("settings", settings={"teams": 2})
    assert [t["name"] for t in (await aki.expect("teams"))["teams"]] == ["Red", "Blue"]
    # The card language names them; "both" gives both names.
    await host.send("settings", settings={"lang": "both"})
    assert (await aki.expect("teams"))["teams"][0]["name"] == "赤組 Red"
    await host.send("settings", settings={"teams": 0})
    assert (await aki.expect("teams"))["teams"] == []


async def test_auto_teams_are_dealt_out_balanced_in_join_order_at_the_start(host_and):
    names = ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    code, host, players = await host_and(*names, teams=3)
    await host.send("start")
    dealt = await players[0].expect("teams")
    team_ids = [t["id"] for t in dealt["teams"]]
    of = {p["id"]: p["team"] for p in dealt["players"]}
    assert [of[p.seat] for p in players] == [team_ids[i % 3] for i in range(7)]
    await players[0].send("sync")
    snap = await players[0].expect("snapshot")
    assert snap["you"]["seat"]["team"] == team_ids[0]


async def test_players_pick_in_the_lobby_and_the_host_moves_them(host_and, clients):
    code, host, (aki, ben, cai) = await host_and("Aki", "Ben", "Cai", teams=2, team_pick="choose")
    await aki.send("sync")
    red, blue = [t["id"] for t in (await aki.expect("snapshot"))["teams"]]
    await aki.send("team", team=blue)
    picked = await ben.expect("team")
    assert (picked["seat"], picked["team"]) == (aki.seat, blue)
    # A player picks only their own team; an unknown team is refused.
    await ben.send("team", team=red, seat=aki.seat)
    assert (await ben.expect("error"))["code"] == "not_host"
    await ben.send("team", team=999999)
    assert (await ben.expect("error"))["code"] == "unknown_team"
    # The host moves a player.
    await host.send("team", team=red, seat=aki.seat)
    await aki.expect_where("team", seat=aki.seat, team=red)
    await ben.send("team", team=red)
    await host.expect_where("team", seat=ben.seat)
    # Whoever did not pick goes to the smallest team at the start; then no more picking.
    await host.send("start")
    dealt = await host.expect("teams")
    of = {p["id"]: p["team"] for p in dealt["players"]}
    assert of == {aki.seat: red, ben.seat: red, cai.seat: blue}
    await aki.send("team", team=blue)
    assert (await aki.expect("error"))["code"] == "out_of_turn"
    # A player joining now goes to the smallest team.
    late = await clients(code)
    await late.join("Late")
    await late.send("sync")
    assert (await late.expect("snapshot"))["you"]["seat"]["team"] == blue


async def test_in_auto_mode_players_do_not_pick_and_without_teams_nobody_does(host_and):
    code, host, (aki,) = await host_and("Aki", teams=2)
    await aki.send("sync")
    red = (await aki.expect("snapshot"))["teams"][0]["id"]
    await aki.send("team", team=red)
    assert (await aki.expect("error"))["code"] == "teams_by_host"
    await host.send("settings", settings={"teams": 0})
    await host.send("team", team=red, seat=aki.seat)
    assert (await host.expect("error"))["code"] == "teams_off"


def _sums():
    """Each team's totals as stored by its members (the DB), and as the room reports them."""
    by_team = {}
    for seat in Seat.objects.filter(team__isnull=False):
        score, cards = by_team.get(seat.team_id, (0, 0))
        by_team[seat.team_id] = (score + seat.score, cards + seat.cards)
    return by_team


async def test_a_whole_team_game_with_wrong_takes_and_set_bonus(host_and):
    """Two teams of two play every card of two fields; wrong takes cost points; a team that
    completes a field gets the set bonus. Every event's team totals, the snapshot's and the
    final ranking's are the sums of the members'."""
    code, host, players = await host_and(
        "Aki", "Ben", "Cai", "Dan", teams=2, fields=["psychology", "sociology"],
        set_bonus=True, wrong_take="penalty", team_talk=5,
    )  # fmt: skip
    aki, ben, cai, dan = players
    await host.send("start")
    dealt = await host.expect("teams")
    of = {p["id"]: p["team"] for p in dealt["players"]}
    red, blue = [t["id"] for t in dealt["teams"]]
    assert of == {aki.seat: red, ben.seat: blue, cai.seat: red, dan.seat: blue}
    board = (await host.expect("started"))["board"]
    # Red takes every card (Aki, Cai in turn); Ben (blue) takes a wrong card before four.
    turn = 0
    while True:
        await host.expect("reading")
        right = await answer_of(host)
        wrong = next((c["id"] for c in board if c["id"] != right), None)
        if wrong is not None:  # the last card has no wrong card left beside it
            await ben.send("take", card=wrong)
            otetsuki = await host.expect("otetsuki")
            sums = await database_sync_to_async(_sums)()
            blue_now = {"id": blue, "score": sums[blue][0], "cards": sums[blue][1]}
            assert otetsuki["teams"] == [blue_now]
        taker = (aki, cai)[turn % 2]
        await taker.send("take", card=right)
        taken = await host.expect("taken")
        sums = await database_sync_to_async(_sums)()
        assert taken["teams"] == [{"id": red, "score": sums[red][0], "cards": sums[red][1]}]
        assert 0 < taken["talk_in_ms"] <= 5000  # the team talk's countdown
        board = [c for c in board if c["id"] != right]
        turn += 1
        await host.send("next")
        if not board:
            break
    finished = await host.expect("finished")
    # Two fields completed by red: two set bonuses, each for the take that completed it.
    assert turn == 5
    ranking = finished["team_ranking"]
    assert [t["id"] for t in ranking] == [red, blue]
    assert [t["rank"] for t in ranking] == [1, 2]
    red_row, blue_row = ranking
    assert red_row["cards"] == 5 and red_row["score"] == 5 + 2 * 3
    assert blue_row["cards"] == 0 and blue_row["score"] == -4
    for row in ranking:
        assert row["score"] == sum(m["score"] for m in row["members"])
        assert row["cards"] == sum(m["cards"] for m in row["members"])
    assert [m["id"] for m in red_row["members"]][0] in (aki.seat, cai.seat)
    assert {m["id"] for m in blue_row["members"]} == {ben.seat, dan.seat}
    # And the database agrees: no team counter to drift, only its members.
    sums = await database_sync_to_async(_sums)()
    assert sums == {red: (red_row["score"], 5), blue: (-4, 0)}
    await host.send("sync")
    snap = await host.expect("snapshot")
    assert {t["id"]: (t["score"], t["cards"]) for t in snap["teams"]} == sums
    assert snap["team_ranking"] == ranking
    assert {p["id"]: p["team"] for p in finished["ranking"]} == of
    assert await database_sync_to_async(Team.objects.count)() == 2
