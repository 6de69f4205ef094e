"""A finished game's takes fed into the memory of the learner whose browser held the seat:
once per learner and room; wrong takes become confusions and Again ratings."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from games.models import Seat
from practice.models import ClassImport, Confusion, Memory
from tests.games.test_debrief import play_scripted_game
from tests.practice.conftest import Learner

pytestmark = pytest.mark.django_db(transaction=True)


def bring_in(code: str, pairs) -> dict:
    aki = Seat.objects.get(room__code=code, nickname="Aki")
    learner = Learner()
    first = learner.post("import/", {"room": code, "seat": aki.token})
    again = learner.post("import/", {"room": code, "seat": aki.token})
    stranger = Learner().post("import/", {"room": code, "seat": "not-a-seat-token"})
    review = learner.client.get("/en/practice/review/")
    return {
        "first": first.json(),
        "again": again.json(),
        "stranger": stranger,
        "imports": ClassImport.objects.count(),
        "confusions": {
            (r, t): n
            for r, t, n in Confusion.objects.values_list("read__number", "taken__number", "count")
        },
        "again_rated": set(
            Memory.objects.filter(lapses__gt=0).values_list("value_type__number", flat=True)
        ),
        "reviews": sorted(Memory.objects.values_list("reviews", flat=True)),
        "review": review.context["config"]["cards"],
    }


async def test_a_seat_brings_its_game_into_its_review_once(make_room, clients):
    code, pairs, _cards = await play_scripted_game(make_room, clients)
    got = await database_sync_to_async(bring_in)(code, pairs)
    assert got["first"]["imported"] is True and got["again"]["imported"] is False
    assert got["first"]["rated"] == got["again"]["rated"] > 0
    assert got["imports"] == 1
    assert got["stranger"].status_code == 400 and got["stranger"].json()["error"] == "no_seat"
    # Aki's wrong takes (see play_scripted_game) are its confusions, counted as often as made
    seat_pairs = {pair: n for pair, n in got["confusions"].items()}
    assert seat_pairs and sum(seat_pairs.values()) >= 3
    reads = {read for read, _ in seat_pairs}
    assert got["again_rated"] == reads
    assert set(got["reviews"]) == {1}  # imported once: one review per value
    # the review deals the confused values now, each next to what it was taken for
    dealt = [c["number"] for c in got["review"]]
    for read, taken in seat_pairs:
        if read in dealt[:-1]:
            assert abs(dealt.index(read) - dealt.index(taken)) <= 2
    assert reads <= set(dealt)
