"""Many players tap the read card at the same moment: exactly one wins, every time."""

import asyncio

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PLAYERS = 20


async def race(players, answer):
    """Everyone taps ``answer`` at once; returns (winners, refused, taken messages)."""
    await asyncio.gather(*(p.send("take", card=answer) for p in players))
    winners, refused, taken = [], [], []
    for p in players:
        got = await p.collect("outcome", "taken")
        taken.append(got["taken"])
        if got["outcome"]["type"] == "take_result":
            winners.append(p.seat)
        else:
            assert got["outcome"]["code"] == "card_taken", got
            refused.append(p.seat)
    return winners, refused, taken


async def test_exactly_one_player_wins_each_card(make_room, clients):
    code, token = await make_room(fields=["economics"])  # seven cards
    host = await clients(code)
    await host.hello("host", token)
    players = []
    for i in range(PLAYERS):
        player = await clients(code)
        await player.join(f"P{i:02d}")
        players.append(player)
    await host.send("start")
    wins: dict[int, int] = {}
    for _ in range(7):
        answer = (await host.expect("reading"))["answer"]["id"]
        for p in players:
            await p.expect("reading")
        winners, refused, taken = await race(players, answer)
        assert len(winners) == 1 and len(refused) == PLAYERS - 1
        wins[winners[0]] = wins.get(winners[0], 0) + 1
        # Every screen is told the same winner.
        assert {t["by"] for t in taken} == {winners[0]}
        await host.send("next")
    finished = await host.expect("finished")
    assert sum(r["cards"] for r in finished["ranking"]) == 7
    assert {r["id"]: r["cards"] for r in finished["ranking"] if r["cards"]} == wins
