"""The reteach round: one click on the debrief moves the same players to a short round of the
most-confused pairs' cards, laid out side by side, the mistaken values read first."""

import random

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Permission, User
from django.test import Client

from games import rules
from tests.games.test_debrief import play_scripted_game
from tests.games.test_debrief_page import host_browser, text_of

# --- the pure deal -------------------------------------------------------------------------


def test_the_pairs_are_the_most_confused_ones_that_fit_a_short_round():
    pairs = [(1, 2), (3, 1), (1, 2), (4, 4), (5, 6), (7, 8), (9, 10), (11, 12)]
    assert rules.reteach_pairs(pairs) == [(1, 2), (3, 1), (5, 6), (7, 8)]
    # Eight cards at most: a pair that would bring two more cards than fit is passed over.
    many = [(1, 2), (3, 4), (5, 6), (7, 9), (10, 11), (6, 3)]
    assert rules.reteach_pairs(many) == [(1, 2), (3, 4), (5, 6), (7, 9)]
    assert rules.reteach_pairs([(1, 2), (3, 4), (5, 6), (1, 3), (7, 8)]) == [
        (1, 2),
        (3, 4),
        (5, 6),
        (1, 3),
    ]


def test_each_pair_lies_side_by_side_and_the_mistaken_values_are_read_first():
    pairs = [(5, 9), (12, 5), (20, 21), (9, 12)]
    for seed in range(50):
        deal = rules.reteach_deal(pairs, random.Random(seed))
        assert sorted(deal.positions) == [5, 9, 12, 20, 21]
        assert sorted(deal.positions.values()) == list(range(5))
        assert sorted(deal.read_order.values()) == list(range(5))
        # The first three pairs' cards lie next to each other (9–12 closes a ring of three,
        # which a row cannot lay out: it is not asked).
        for read, taken in pairs[:3]:
            assert abs(deal.positions[read] - deal.positions[taken]) == 1, (seed, deal)
        first = sorted(deal.read_order, key=deal.read_order.get)
        assert first[:3] == [5, 12, 20] and set(first[3:]) == {9, 21}
    # The place of a card says nothing of the order: both directions and orders occur.
    starts = {
        min(rules.reteach_deal(pairs, random.Random(s)).positions.items(), key=lambda i: i[1])[0]
        for s in range(50)
    }
    assert len(starts) >= 3


def test_a_game_without_confusions_has_nothing_to_reteach():
    with pytest.raises(rules.RuleError) as caught:
        rules.reteach_deal([], random.Random(1))
    assert caught.value.code == "nothing_to_reteach"


# --- one click from the debrief ------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


def expected_pairs(pairs) -> list[tuple[int, int]]:
    ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    return rules.reteach_pairs(pair for pair, _count in ranked)


def click_reteach(code: str):
    browser = host_browser(code)
    page = browser.get(f"/en/play/{code}/debrief/")
    response = browser.post(f"/en/play/{code}/reteach/")
    return page, response


@pytestmark_db
async def test_one_click_deals_the_confused_cards_to_the_same_players(make_room, clients):
    from games.models import Room, Seat

    code, pairs, _cards = await play_scripted_game(make_room, clients)
    chosen = expected_pairs(pairs)
    numbers = {n for pair in chosen for n in pair}
    old_host = await clients(code)
    await old_host.hello(
        "host", (await database_sync_to_async(Room.objects.get)(code=code)).host_token
    )
    aki = await clients(code)
    seats = await database_sync_to_async(
        lambda: {s.nickname: s.token for s in Seat.objects.filter(room__code=code)}
    )()
    await aki.hello("player", seats["Aki"])

    page, response = await database_sync_to_async(click_reteach)(code)
    text = text_of(page.content.decode())
    assert (
        f"a short round of the {len(numbers)} cards of the {len(chosen)} most-confused pairs"
        in text
    )
    assert response.status_code == 302
    new_code = (await aki.expect("moved"))["code"]
    assert response["Location"] == f"/en/play/{new_code}/host/"
    host_moved = await old_host.expect("moved")
    assert host_moved["code"] == new_code

    # The new room: the same players, the confused pairs' cards only, no card read yet.
    aki_seat = await database_sync_to_async(Seat.objects.get)(room__code=new_code, nickname="Aki")
    new_aki = await clients(new_code)
    snapshot = await new_aki.hello("player", aki_seat.token)
    assert snapshot["room"]["state"] == "taken" and snapshot["turn"] is None
    assert sorted(p["nickname"] for p in snapshot["players"]) == sorted(seats)
    board = snapshot["board"]  # in board order
    assert {c["number"] for c in board} == numbers
    place = {c["number"]: i for i, c in enumerate(board)}
    number_of = {c["id"]: c["number"] for c in board}
    assert abs(place[chosen[0][0]] - place[chosen[0][1]]) == 1  # the worst pair side by side

    # The host reads: the value most often mistaken first, then the other pairs' read values.
    host = await clients(new_code)
    await host.hello("host", host_moved["token"])
    reads = []
    firsts = list(dict.fromkeys(read for read, _taken in chosen))
    for _ in firsts:
        await host.send("next")
        reading = await host.expect("reading")
        reads.append(number_of[reading["answer"]["id"]])
        await host.send("skip")
        await host.expect("timeout")
    assert reads == firsts


@pytestmark_db
async def test_the_button_is_the_hosts_alone_and_a_second_click_sends_everyone_again(
    make_room, clients
):
    code, _pairs, _cards = await play_scripted_game(make_room, clients)

    def as_staff_and_twice():
        staff = User.objects.create_user("ta", password="pw", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_room"))
        teacher = Client()
        teacher.force_login(staff)
        seen = teacher.get(f"/en/play/{code}/debrief/")
        refused = teacher.post(f"/en/play/{code}/reteach/")
        stranger = Client().post(f"/en/play/{code}/reteach/")
        host = host_browser(code)
        first = host.post(f"/en/play/{code}/reteach/")
        again = host.post(f"/en/play/{code}/reteach/")
        after = host.get(f"/en/play/{code}/debrief/")
        return seen, refused, stranger, first, again, after

    seen, refused, stranger, first, again, after = await database_sync_to_async(
        as_staff_and_twice
    )()
    assert seen.status_code == 200 and 'id="reteach"' not in seen.content.decode()
    assert refused.status_code == 403 and stranger.status_code == 403
    assert first.status_code == 302 and again["Location"] == first["Location"]
    assert 'id="reteach"' not in after.content.decode()  # the room has moved on


@pytestmark_db
async def test_a_game_without_a_wrong_take_says_there_is_nothing_to_reteach(host_and):
    code, host, (aki,) = await host_and("Aki", fields=["economics"])
    await host.send("start")
    while (message := await host.recv())["type"] != "finished":  # Aki takes every card
        if message["type"] == "reading":
            await aki.send("take", card=message["answer"]["id"])
        elif message["type"] == "taken":
            await host.send("next")

    def both_languages():
        host_page = host_browser(code)
        return {
            lang: (host_page.get(f"/{lang}/play/{code}/debrief/"),
                   host_page.post(f"/{lang}/play/{code}/reteach/"))
            for lang in ("en", "ja")
        }  # fmt: skip

    got = await database_sync_to_async(both_languages)()
    for lang, (page, refused) in got.items():
        assert 'id="reteach"' not in page.content.decode()
        assert refused.status_code == 409
        shown = text_of(refused.content.decode())
        wanted = {
            "en": "Nobody took a wrong card in this game: there is no confused pair to reteach.",
            "ja": "このゲームではお手つきがなかったので、復習する組み合わせはありません。",
        }[lang]
        assert wanted in shown, (lang, shown[:400])
