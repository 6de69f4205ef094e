"""A hall: no message a tab gets lists more players than HALL_LIST_MAX, whatever the room's
size, and each tab still gets its own row (its team, its place in the final ranking).

Played over the protocol with the list cap lowered to 4, so that 10 players are a hall."""

import pytest
from channels.db import database_sync_to_async

pytestmark = pytest.mark.django_db(transaction=True)

CAP = 4
PLAYERS = 10
CARDS = 7  # the economics field


def lists_in(message: dict) -> dict[str, int]:
    """The lengths of the player lists a message carries."""
    found = {}
    for key in ("players", "ranking"):
        if isinstance(message.get(key), list):
            found[key] = len(message[key])
    for team in message.get("team_ranking") or []:
        found.setdefault("members", 0)
        found["members"] = max(found["members"], len(team["members"]))
    return found


async def test_a_hall_lists_its_top_and_each_tab_its_own_row(make_room, clients, settings):
    settings.HALL_LIST_MAX = CAP
    code, token = await make_room(fields=["economics"], teams=2, set_bonus=False)
    host = await clients(code)
    await host.hello("host", token)
    screen = await clients(code)
    await screen.hello("screen")
    players = []
    for number in range(PLAYERS):
        players.append(await clients(code))
        snap = await players[-1].join(f"P{number}")
        # The leaders (all on 0: the first to join) and the tab's own seat.
        assert snap["players_total"] == number + 1
        assert len(snap["players"]) <= CAP + 1
        assert players[-1].seat in {p["id"] for p in snap["players"]}
    await host.expect_where("player_joined", players_total=PLAYERS)
    joined = [m for m in host.seen if m["type"] == "player_joined"]
    # Up to the cap each join is an event of its own; past it (a hall) the relay sends the
    # last of the joins of each HALL_JOIN_SECONDS, unversioned, and it says the total.
    assert [m["players_total"] for m in joined[:CAP]] == list(range(1, CAP + 1))
    assert all(isinstance(m["version"], int) for m in joined[:CAP])
    assert all("version" not in m for m in joined[CAP:])
    assert [m["players_total"] for m in joined[CAP:]] == sorted(
        {m["players_total"] for m in joined[CAP:]}
    )

    await host.send("start")
    # P0 … P6 take one card each; P7, P8 and P9 take none.
    for number in range(CARDS):
        answer = (await host.expect("reading"))["answer"]["id"]
        await players[number].send("take", card=answer)
        assert (await players[number].collect("outcome"))["outcome"]["outcome"] == "won"
        await host.expect("taken")
        await host.send("next")
    for tab in (host, screen, *players):
        await tab.expect("finished")

    # The teams the start dealt out: each seat is told its own, host and screen the first CAP.
    for player in players:
        (teams,) = [m for m in player.seen if m["type"] == "teams"]
        assert [p["id"] for p in teams["players"]] == [player.seat]
    for tab in (host, screen):
        (teams,) = [m for m in tab.seen if m["type"] == "teams"]
        assert len(teams["players"]) == CAP

    # No message any tab got lists more than CAP players (a snapshot: CAP and its own seat).
    for tab in (host, screen, *players):
        for message in tab.seen:
            limit = CAP + 1 if message["type"] == "snapshot" else CAP
            for key, length in lists_in(message).items():
                assert length <= limit, (message["type"], key, length)

    # The final ranking: 7 players share first place with 1 card, 3 share 8th with none.
    finished = [m for m in players[9].seen if m["type"] == "finished"][0]
    assert finished["ranked_total"] == PLAYERS
    assert [row["rank"] for row in finished["ranking"]] == [1, 1, 1, 1]
    for number, player in enumerate(players):
        (mine,) = [m for m in player.seen if m["type"] == "finished"]
        rank, cards = (1, 1) if number < CARDS else (8, 0)
        assert mine["standing"]["id"] == player.seat
        assert (mine["standing"]["rank"], mine["standing"]["cards"]) == (rank, cards)
    members = [(t["members_total"], len(t["members"])) for t in finished["team_ranking"]]
    assert sum(total for total, _ in members) == PLAYERS
    assert all(shown == max(3, CAP // 2) for _, shown in members)

    # A phone that reloads after the game gets the same: its own place, the top CAP.
    again = await clients(code)
    snap = await again.hello("player", players[9].token)
    assert snap["standing"]["rank"] == 8 and len(snap["ranking"]) == CAP
    assert snap["ranked_total"] == PLAYERS and snap["players_total"] == PLAYERS

    @database_sync_to_async
    def scores() -> list[int]:
        from games.models import Seat

        return sorted(Seat.objects.filter(room__code=code).values_list("cards", flat=True))

    assert await scores() == [0] * 3 + [1] * CARDS


async def test_a_halls_joins_reach_each_tab_about_once_a_second_not_once_per_join(
    make_room, clients, settings
):
    """Every join sent to every tab would be 4 million frames for a hall of 2,000: past the
    cap a tab gets one player_joined per HALL_JOIN_SECONDS, the last, with the room's total;
    the events after it keep their versions in order (no tab has to ask for a snapshot)."""
    settings.HALL_LIST_MAX = 2
    settings.HALL_JOIN_SECONDS = 0.5
    code, token = await make_room()
    host = await clients(code)
    first = await host.hello("host", token)
    players = [await clients(code) for _ in range(8)]
    for number, player in enumerate(players):
        await player.join(f"P{number}")  # all 8 well inside half a second
    last = await host.expect_where("player_joined", players_total=8)
    assert "version" not in last and last["player"]["nickname"] == "P7"
    joined = [m for m in host.seen if m["type"] == "player_joined"]
    assert [m["players_total"] for m in joined[:2]] == [1, 2]  # below the cap: each join
    assert len(joined) <= 2 + 2  # the six hall joins in one frame, or two at a boundary
    # An early phone heard of the hall's joins the same way, and still plays in order.
    early = [m for m in players[0].seen if m["type"] == "player_joined"]
    assert len(early) <= 1 + 2
    assert await players[0].expect_where("player_joined", players_total=8)
    await host.send("start")
    started = await host.expect("started")
    versions = [m["version"] for m in host.seen if "version" in m and m["type"] != "snapshot"]
    assert versions == list(range(first["version"] + 1, started["version"] + 1))
