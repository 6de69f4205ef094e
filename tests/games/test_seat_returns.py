"""A removed player's cards never vanish: coming back gives the same seat (score, cards), and
the final ranking accounts for every card taken.

Found in a real run: a removed player who rejoined (``previous`` was documented but ignored)
got a new seat with 0 points, and the cards they had taken stayed on a seat no ranking showed.
"""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


async def play_one_card(host, taker) -> None:
    answer = (await host.expect("reading"))["answer"]["id"]
    await taker.send("take", card=answer)
    await host.expect("taken")


async def test_a_removed_player_who_comes_back_gets_their_seat_and_score(host_and, clients):
    code, host, (aki,) = await host_and("Aki", fields=["sociology"])
    await host.send("start")
    await play_one_card(host, aki)
    await host.send("remove", seat=aki.seat)
    assert (await host.expect("player_left"))["seat"] == aki.seat

    back = await clients(code)
    await back.send("join", nickname="", previous=aki.token, lang="en")
    welcome = await back.expect("welcome")
    assert (welcome["seat"], welcome["nickname"], welcome["restored"]) == (aki.seat, "Aki", True)
    snap = await back.expect("snapshot")
    assert snap["you"]["seat"] == {"id": aki.seat, "nickname": "Aki", "score": 1, "cards": 1,
                                   "wrong": 0, "team": None}  # fmt: skip
    returned = await host.expect("player_joined")
    assert returned["player"]["score"] == 1 and returned["player"]["cards"] == 1
    # A seat is given back once: another tab with the same old token gets a seat of its own.
    twice = await clients(code)
    await twice.send("join", nickname="Other", previous=aki.token)
    other = await twice.expect("welcome")
    assert other["seat"] != aki.seat and not other["restored"]


async def test_the_ranking_accounts_for_every_card_taken(host_and):
    code, host, (aki, ben, chie) = await host_and("Aki", "Ben", "Chie", fields=["sociology"])
    await host.send("start")  # three cards
    await play_one_card(host, aki)
    await host.send("next")
    await play_one_card(host, ben)
    await host.send("next")
    await play_one_card(host, chie)
    await host.send("remove", seat=aki.seat)  # left, and never came back
    await host.send("kick", seat=ben.seat)
    await host.send("next")
    ranking = (await host.expect("finished"))["ranking"]
    assert sum(row["cards"] for row in ranking) == 3
    rows = {row["id"]: row for row in ranking}
    assert rows[aki.seat]["status"] == "removed" and rows[aki.seat]["nickname"] == "Aki"
    # A kicked player's name is not projected again; their card still counts.
    assert rows[ben.seat]["status"] == "kicked" and rows[ben.seat]["nickname"] is None
    assert rows[chie.seat]["status"] == "active"
    assert all(row["rank"] == 1 for row in ranking)  # one card each: a three-way tie
