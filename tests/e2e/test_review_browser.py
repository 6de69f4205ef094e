"""The end of a game in Chromium, in both languages: a player's own review on a phone (390×844)
and the room's debrief on the projector (1920×1080), both drawn from the ``finished`` event as it
arrives (the pages are open when the last card is taken), then again from a reload's snapshot.

The phone shows the cards the player took and each pair they confused with both cards side by
side, and links to study mode with those cards; the projector shows the most-confused pairs and
their counts, large, without any nickname. Nothing scrolls sideways."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import (
    NICKNAMES,
    PHONE,
    PROJECTOR,
    box,
    horizontal_scroll,
    min_font,
    open_page,
    outside_viewport,
    overflowing,
    read_card_id,
    seat_storage,
    seed_room,
)
from tests.games.conftest import LiveClient, run_async

pytestmark = pytest.mark.browser
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots
REVIEW = {"en": "Your review", "ja": "ふりかえり"}
PRACTISE = {"en": "Practise these cards", "ja": "この札を練習する"}
DEBRIEF = {"en": "Which values were confused", "ja": "取り違えられた価値"}
PLAYER = "Aiko"  # seat_room's players take in turn: Aiko took the first card

# Before the last card: Aiko's earlier wrong takes (read card, taken card, times), by reading
# order of the room's three cards; another player's one, which Aiko's review must not show.
WRONG = """
import json
from games.models import BoardCard, Room, Seat, Take
room = Room.objects.get(code=CODE)
cards = list(BoardCard.objects.filter(room=room).order_by("read_order"))
aiko = Seat.objects.get(room=room, nickname="Aiko")
other = Seat.objects.get(room=room, nickname="Bartholomew")
for seat, read, taken, times in ((aiko, 0, 2, 2), (aiko, 0, 1, 1), (other, 1, 0, 1)):
    for _ in range(times):
        Take.objects.create(room=room, seat=seat, card=cards[taken], read_card=cards[read],
                            correct=False)
print("CARDS " + json.dumps([c.value_type.number for c in cards]))
"""


def prepare(server, lang: str) -> tuple[dict, list[int]]:
    """A room of three cards (sociology), six players, wrong takes "discuss" (no lock-out),
    the first card taken by Aiko and the second being read; earlier wrong takes stored.
    Returns the room and its cards' numbers in reading order."""
    room = seed_room(
        server,
        players=6,
        stage="reading",
        takes=1,
        lang=lang,
        fields=["sociology"],
        wrong_take="discuss",
    )
    out = server.manage("shell", "-c", f"CODE = {room['code']!r}\n" + WRONG)
    line = next(line for line in out.splitlines() if line.startswith("CARDS "))
    return room, json.loads(line.removeprefix("CARDS "))


async def finish(server, room: dict) -> None:
    """Aiko (from another tab) takes a wrong card while the second card is read, then takes
    it; the host reads the third, Aiko takes it too, and the game is over."""
    code = room["code"]
    host = await LiveClient(server.url, code).open()
    await host.hello("host", room["host"])
    aiko = await LiveClient(server.url, code).open()
    snap = await aiko.hello("player", room["seats"][PLAYER])
    for _ in range(2):
        answer = read_card_id(server, code)
        left = [c["id"] for c in snap["board"] if not c["gone"] and c["id"] != answer]
        if left:
            await aiko.send("take", card=left[0])
            assert (await aiko.expect_where("take_result", card=left[0]))["outcome"] == "wrong"
        await aiko.send("take", card=answer)
        assert (await aiko.expect_where("take_result", card=answer))["outcome"] == "won"
        await host.expect("taken")
        await host.send("next")
        await host.expect("reading" if left else "finished")
        snap = await sync(aiko)
    await host.close()
    await aiko.close()


async def sync(client):
    await client.send("sync")
    return await client.expect("snapshot")


def save(page, name: str) -> None:
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GALLERY) / name))


def check_phone(page, lang: str, numbers: list[int]) -> list[int]:
    review = page.locator("#review")
    expect(review.get_by_role("heading", name=REVIEW[lang])).to_be_visible()
    # The cards Aiko took: the first and the last two (all three of this room).
    expect(page.locator("#review-taken > li")).to_have_count(3)
    pairs = page.locator("#review-pairs > .pair")
    # Aiko's pairs, most frequent first: 1st read × 3rd taken twice, then the others once.
    expect(pairs).to_have_count(3)
    first = pairs.first
    assert first.get_attribute("data-read") == str(numbers[0])
    assert first.get_attribute("data-taken") == str(numbers[2])
    expect(first.locator(".pair-count")).to_contain_text("2")
    # Bartholomew's pair (2nd read × 1st taken) is not Aiko's.
    assert page.locator(f'.pair[data-read="{numbers[1]}"][data-taken="{numbers[0]}"]').count() == 0
    for other in NICKNAMES[1:6]:
        expect(review).not_to_contain_text(other)
    # Both cards' backs side by side, each with its name and concept line.
    left = box(page, "#review-pairs > .pair:first-child .pair-card.read")
    right = box(page, "#review-pairs > .pair:first-child .pair-card.taken")
    assert abs(left["y"] - right["y"]) < 1 and right["x"] >= left["x"] + left["width"]
    expect(first.locator(".pair-card .concept").first).not_to_be_empty()
    assert horizontal_scroll(page) == 0
    assert (
        overflowing(
            page, "#review .pair-card, #review .name, #review .concept p, #review .pair-count"
        )
        == []
    )
    assert outside_viewport(page, "#review h2") == []  # brought into view at the end
    # Everything lies within the width; what is below the screen is reached by scrolling.
    width = page.evaluate("innerWidth")
    assert page.evaluate(
        "w => [...document.querySelectorAll('#review *')].every(n => {"
        " const r = n.getBoundingClientRect();"
        " return !r.width || (r.left >= -1 && r.right <= w + 1); })",
        width,
    )
    assert page.evaluate("document.documentElement.scrollHeight") > page.evaluate("innerHeight")
    assert min_font(page, "#review .concept p") >= 15
    assert min_font(page, "#review .pair-face .name .main") >= 16
    link = page.get_by_role("link", name=PRACTISE[lang])
    expect(link).to_be_visible()
    assert box(page, "#review-practise .button")["height"] >= 44
    return [int(n) for n in link.get_attribute("href").split("cards=")[1].split(",")]


def check_projector(page, lang: str, numbers: list[int]) -> None:
    page.get_by_role("button", name=DEBRIEF[lang]).click()
    debrief = page.locator("#debrief")
    expect(debrief.get_by_role("heading", name=DEBRIEF[lang])).to_be_visible()
    pairs = page.locator("#debrief-pairs > .pair")
    expect(pairs).to_have_count(3)  # four pairs in the room: the first three, one more
    assert pairs.first.get_attribute("data-read") == str(numbers[0])
    assert pairs.first.get_attribute("data-taken") == str(numbers[2])
    expect(pairs.first.locator(".pair-count")).to_have_text("×2")
    expect(page.locator("#debrief-more")).to_be_visible()
    expect(page.locator("#debrief-figures")).to_contain_text("5")  # five wrong takes
    for name in NICKNAMES[:6]:
        expect(debrief).not_to_contain_text(name)
    expect(page.locator("#podium")).to_be_hidden()
    left = box(page, "#debrief-pairs > .pair:first-child .pair-card.read")
    right = box(page, "#debrief-pairs > .pair:first-child .pair-card.taken")
    assert abs(left["y"] - right["y"]) < 1 and right["x"] >= left["x"] + left["width"]
    assert outside_viewport(page, "#debrief .pair, #debrief h2, #debrief-more, #end-views") == []
    assert overflowing(page, "#debrief .pair-card, #debrief .concept p, #debrief .pair-count") == []
    assert horizontal_scroll(page) == 0
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight + 1")
    # From the back row: at 1920×1080 a line of text is at least 26 px, a name 36 px.
    assert min_font(page, "#debrief .concept p:not(.sub)") >= 26
    assert min_font(page, "#debrief .pair-face .name .main") >= 36
    assert min_font(page, "#debrief h2") >= 44
    assert min_font(page, "#debrief .pair-count") >= 40
    # Back to the ranking with one click.
    page.get_by_role("button", name={"en": "Ranking", "ja": "順位"}[lang]).click()
    expect(page.locator("#podium")).to_be_visible()
    expect(debrief).to_be_hidden()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_end_shows_each_player_their_review_and_the_projector_the_debrief(
    browser, server, lang
):
    room, numbers = prepare(server, lang)
    code = room["code"]
    phone = open_page(browser, f"{server.url}/{lang}/play/{code}/", lang, PHONE,
                      storage=seat_storage(room, PLAYER))  # fmt: skip
    projector = open_page(
        browser, f"{server.url}/{lang}/play/{code}/screen/", lang, PROJECTOR, clock=True
    )
    for page in (phone, projector):
        expect(page.locator("body")).to_have_attribute("data-state", "reading")
    run_async(finish, server, room)

    # As the finished event arrives.
    expect(phone.locator("body")).to_have_attribute("data-state", "finished")
    practise = check_phone(phone, lang, numbers)
    assert practise == [numbers[0], numbers[2], numbers[1]]
    save(phone, f"review-phone-390x844-{lang}.png")
    expect(projector.locator("body")).to_have_attribute("data-state", "finished")
    # Nobody touches the projector: the ranking and the debrief take turns every 20 s.
    body = projector.locator("body")
    expect(body).to_have_attribute("data-view", "ranking")
    projector.clock.fast_forward(21_000)
    expect(body).to_have_attribute("data-view", "debrief")
    expect(projector.locator("#debrief-pairs > .pair")).to_have_count(3)
    projector.clock.fast_forward(20_000)
    expect(body).to_have_attribute("data-view", "ranking")
    check_projector(projector, lang, numbers)
    # A view picked by a click stays.
    projector.clock.fast_forward(45_000)
    expect(body).to_have_attribute("data-view", "ranking")
    projector.get_by_role("button", name=DEBRIEF[lang]).click()
    projector.wait_for_timeout(100)  # the fitting after the switch (animation frames)
    save(projector, f"debrief-projector-1920x1080-{lang}.png")

    # Reloaded (a phone woken up, the projector restarted): the same, from the snapshot.
    phone.reload()
    check_phone(phone, lang, numbers)
    projector.reload()
    check_projector(projector, lang, numbers)

    # "Practise these cards": study mode with exactly those cards, most-confused first.
    phone.get_by_role("link", name=PRACTISE[lang]).click()
    expect(phone).to_have_url(f"{server.url}/{lang}/study/?cards={','.join(map(str, practise))}")
    expect(phone.locator(".study-card")).to_have_count(3)
    assert horizontal_scroll(phone) == 0
    phone.context.close()
    projector.context.close()
