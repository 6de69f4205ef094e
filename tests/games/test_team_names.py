"""The host names the teams ("3年2組", "Marketing"): every screen shows the name at once, the
end ranks the team under it, and nobody else may rename one."""

import pytest
from channels.db import database_sync_to_async

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_host_names_a_team_and_every_tab_shows_it(host_and, clients):
    code, host, (aki, ben) = await host_and("Aki", "Ben", teams=2, fields=["economics"], lang="en")
    screen = await clients(code)
    snap = await screen.hello("screen")
    red, blue = (t["id"] for t in snap["teams"])
    await host.send("team_name", team=red, name="  3年2組 ")
    for tab in (host, screen, aki, ben):
        named = await tab.expect("team_names")
        assert [t["name"] for t in named["teams"]] == ["3年2組", "Blue"]
    # A reload shows it, and changing the card language leaves it (the other follows).
    await host.send("settings", settings={"lang": "ja"})
    await host.expect("settings")
    snap = await (await clients(code)).hello("screen")
    assert [t["name"] for t in snap["teams"]] == ["3年2組", "青組"]


async def team_ids(clients, code) -> list[int]:
    return [t["id"] for t in (await (await clients(code)).hello("screen"))["teams"]]


async def test_only_the_host_names_a_team_and_a_name_is_checked(host_and, clients):
    code, host, (aki,) = await host_and("Aki", teams=2, lang="en")
    teams = await team_ids(clients, code)
    await aki.send("team_name", team=teams[0], name="Winners")
    assert (await aki.expect("error"))["code"] == "not_host"
    await host.send("team_name", team=teams[0], name="Blue")  # the other team's name
    assert (await host.expect("error"))["code"] == "team_name_taken"
    await host.send("team_name", team=teams[0], name="Вlue")  # a Cyrillic В: looks the same
    assert (await host.expect("error"))["code"] == "team_name_taken"
    await host.send("team_name", team=teams[0], name="   ")
    error = await host.expect("error")
    assert error["code"] == "bad_team_name" and "1 to 20 characters" in error["message"]
    await host.send("team_name", team=teams[0], name="x" * 21)
    assert (await host.expect("error"))["code"] == "bad_team_name"

    @database_sync_to_async
    def names():
        from games.models import Team

        return list(Team.objects.filter(room__code=code).values_list("name", flat=True))

    assert await names() == ["Red", "Blue"]  # nothing was changed by a refused name


async def test_the_end_ranks_a_team_under_its_new_name(host_and, clients):
    code, host, (aki, ben) = await host_and("Aki", "Ben", teams=2, fields=["economics"], lang="en")
    teams = await team_ids(clients, code)
    await host.send("start")
    for number in range(7):
        answer = (await host.expect("reading"))["answer"]["id"]
        await aki.send("take", card=answer)
        await host.expect("taken")
        if number == 0:  # between cards, too
            await host.send("team_name", team=teams[0], name="Marketing")
            await host.expect("team_names")
        await host.send("next")
    finished = await ben.expect("finished")
    assert finished["team_ranking"][0]["name"] == "Marketing"
    assert finished["team_ranking"][0]["members"][0]["nickname"] == "Aki"
