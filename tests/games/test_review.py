"""Each player's review at the end, and the projector's debrief, over real websockets.

A game is played against a live daphne server with a scripted pattern of wrong takes. Each
seat's ``finished`` event carries its own review (the cards it took, the pairs it confused with
both cards' backs, the cards to practise) and nothing of another seat's; the projector's carries
the room's most-confused pairs and counts, without a nickname; a phone or a projector that comes
back later gets the same in its snapshot.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from games import review
from games.debrief import Pair
from tests.games.conftest import LiveClient, room_on_server, run_async

DECK = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "deck.json").read_text())
CONCEPTS = {v["number"]: v["concept"] for v in DECK["values"]}


def test_practise_lists_both_values_of_each_pair_once_most_confused_first():
    pairs = [Pair(3, 5, 2), Pair(5, 3, 1), Pair(1, 3, 1)]
    assert review.practise_numbers(pairs) == [3, 5, 1]
    assert review.practise_numbers([]) == []


class Script:
    """What the scripted game did, per seat: the cards each took (in taking order), the
    pairs each confused, and the board's cards by number (as the board draws them)."""

    def __init__(self, board: list[dict]) -> None:
        self.number_of = {c["id"]: c["number"] for c in board}
        self.front = {c["number"]: c for c in board}
        self.taken: dict[int, list[int]] = {}
        self.pairs: dict[int, Counter] = {}

    def value(self, number: int, *, concept: bool) -> dict:
        card = self.front[number]
        shown = {
            "number": number,
            "field": card["field"],
            "color": card["color"],
            "image": card["image"],
            "name": card["name"],
        }
        if concept:
            shown["concept"] = {lang: CONCEPTS[number][lang] for lang in card["name"]}
        return shown

    def pair_list(self, counts: Counter) -> list[dict]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            {
                "read": self.value(read, concept=True),
                "taken": self.value(taken, concept=True),
                "count": count,
            }
            for (read, taken), count in ordered
        ]

    def review_of(self, seat: int) -> dict:
        pairs = self.pair_list(self.pairs.get(seat, Counter()))
        practise = list(
            dict.fromkeys(n for p in pairs for n in (p["read"]["number"], p["taken"]["number"]))
        )
        return {
            "taken": [self.value(n, concept=False) for n in self.taken.get(seat, [])],
            "pairs": pairs,
            "practise": practise,
        }

    def debrief(self) -> dict:
        room = sum(self.pairs.values(), Counter())
        pairs = self.pair_list(room)
        return {
            "pairs": pairs[: review.SCREEN_PAIRS],
            "more": max(0, len(pairs) - review.SCREEN_PAIRS),
            "wrong": sum(room.values()),
            "right": sum(len(t) for t in self.taken.values()),
        }


async def play(server) -> dict:
    """Seven cards (economics), wrong takes "discuss" (no lock-out), the host reads. Per
    reading: 0) Aki taps one wrong card twice, Ben another once, Ben takes it; 1) Ben taps a
    wrong card, Aki takes it; 2) Aki takes it; 3) Aki taps a wrong card, the host shows the
    answer; 4–6) Aki taps the card of 0) again while it lies on the board, Ben takes it."""
    code, token = room_on_server(server, fields=["economics"], wrong_take="discuss", lang="en")
    host = await LiveClient(server.url, code).open()
    await host.hello("host", token)
    screen = await LiveClient(server.url, code).open()
    await screen.hello("screen")
    aki = await LiveClient(server.url, code).open()
    await aki.join("Aki")
    ben = await LiveClient(server.url, code).open()
    await ben.join("Ben")
    await host.send("start")
    script = Script((await host.expect("started"))["board"])
    gone: set[int] = set()
    first_wrong = None

    async def tap(player, card: int, answer: int) -> None:
        await player.send("take", card=card)
        outcome = (await player.expect_where("take_result", card=card))["outcome"]
        assert outcome == ("won" if card == answer else "wrong")
        if card == answer:
            script.taken.setdefault(player.seat, []).append(script.number_of[card])
            gone.add(card)
            await host.expect_where("taken", card=card)
        else:
            pair = (script.number_of[answer], script.number_of[card])
            script.pairs.setdefault(player.seat, Counter())[pair] += 1

    def a_wrong_card(answer: int, avoid: int | None = None) -> int:
        return next(i for i in script.number_of if i not in (answer, avoid) and i not in gone)

    for turn in range(len(script.number_of)):
        answer = (await host.expect("reading"))["answer"]["id"]
        if turn == 0:
            first_wrong = a_wrong_card(answer)
            await tap(aki, first_wrong, answer)
            await tap(aki, first_wrong, answer)  # the same wrong card again: counts twice
            await tap(ben, a_wrong_card(answer, avoid=first_wrong), answer)
            await tap(ben, answer, answer)
        elif turn == 1:
            await tap(ben, a_wrong_card(answer), answer)
            await tap(aki, answer, answer)
        elif turn == 2:
            await tap(aki, answer, answer)
        elif turn == 3:
            await tap(aki, a_wrong_card(answer), answer)
            await host.send("skip")
            await host.expect("timeout")
            gone.add(answer)
        else:
            if first_wrong not in gone and first_wrong != answer:
                await tap(aki, first_wrong, answer)
            await tap(ben, answer, answer)
        await host.send("next")
    finished = {}
    for name, tab in (("host", host), ("screen", screen), ("aki", aki), ("ben", ben)):
        finished[name] = await tab.expect("finished")
    tabs = {"host": host, "screen": screen, "aki": aki, "ben": ben}
    return {"code": code, "script": script, "finished": finished, "tabs": tabs}


async def _a_scripted_game_gives_each_seat_its_own_review(server):
    game = await play(server)
    script, finished, tabs = game["script"], game["finished"], game["tabs"]
    aki, ben = tabs["aki"], tabs["ben"]
    assert script.pairs[aki.seat] and script.pairs[ben.seat]  # both confused something

    # Each seat: exactly its own review, no room debrief.
    for tab in (aki, ben):
        own = finished["aki" if tab is aki else "ben"]
        assert own["review"] == script.review_of(tab.seat)
        assert "debrief" not in own
    # Nothing of Ben's in Aki's review, and the other way round.
    aki_review, ben_review = finished["aki"]["review"], finished["ben"]["review"]
    aki_pairs = {(p["read"]["number"], p["taken"]["number"]) for p in aki_review["pairs"]}
    ben_pairs = {(p["read"]["number"], p["taken"]["number"]) for p in ben_review["pairs"]}
    assert aki_pairs == set(script.pairs[aki.seat]) and not aki_pairs & ben_pairs
    aki_cards = {c["number"] for c in aki_review["taken"]}
    assert aki_cards == set(script.taken[aki.seat])
    assert not aki_cards & {c["number"] for c in ben_review["taken"]}
    for text in (json.dumps(aki_review), json.dumps(ben_review)):
        assert "Aki" not in text and "Ben" not in text and '"seat"' not in text

    # The projector: the room's pairs and counts, no review, no nickname in the debrief.
    assert finished["screen"]["debrief"] == script.debrief()
    assert "review" not in finished["screen"]
    assert "Aki" not in json.dumps(finished["screen"]["debrief"])
    # The host's tab gets neither (its debrief is a page of its own).
    assert "review" not in finished["host"] and "debrief" not in finished["host"]
    # Everyone still gets the same public ranking.
    assert {json.dumps(m["ranking"]) for m in finished.values()} == {
        json.dumps(finished["host"]["ranking"])
    }

    # A phone that comes back (asleep, reloaded): the same review in its snapshot.
    for tab in (aki, ben):
        await tab.close()
        back = await LiveClient(server.url, game["code"]).open()
        snap = await back.hello("player", tab.token)
        assert snap["room"]["state"] == "finished"
        assert snap["review"] == finished["aki" if tab is aki else "ben"]["review"]
        assert snap["debrief"] is None
        await back.close()
    # The projector reloaded, and a phone that never joined (it watches as a screen).
    for _ in range(2):
        late = await LiveClient(server.url, game["code"]).open()
        snap = await late.hello("screen")
        assert snap["debrief"] == finished["screen"]["debrief"] and snap["review"] is None
        await late.close()
    await tabs["host"].send("sync")
    snap = await tabs["host"].expect("snapshot")
    assert snap["review"] is None and snap["debrief"] is None
    for name in ("host", "screen"):
        await tabs[name].close()


def test_a_scripted_game_gives_each_seat_its_own_review(server):
    run_async(_a_scripted_game_gives_each_seat_its_own_review, server)
