"""What a player is told about themself, in Chromium, in both languages: their own wrong take
stays on their phone until the next card (and a tap while sitting the card out is answered),
the room's wrong takes stay on every screen and mark the card taken, their row is highlighted
in the ranking with "you placed 3rd of 40", a removed player is told so (not "connecting…"
for ever), and in delayed mode the empty text box says when the text comes."""

import json
import re

import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from tests.e2e.layout import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    open_page,
    outside_viewport,
    read_card_id,
    seat_storage,
    seed_room,
)

pytestmark = pytest.mark.browser

OWN = {"en": "Wrong card: −1 point, and you sit out this card", "ja": "お手つき：1点減点"}
ROOM_WIDE = {"en": "Aiko took a wrong card", "ja": "Aiko"}
PLACED = {"en": re.compile(r"You placed \d+(st|nd|rd|th) of 40"), "ja": re.compile(r"40人中\d+位")}
REMOVED = {"en": "The host removed you from this room", "ja": "ホスト"}
REVEAL = {"en": "The text appears in", "ja": "秒で読み札の文が表示されます"}


def as_host(server, room: dict, message) -> None:
    """Say hello as the room's host over a real socket, then send ``message(players)``
    (players: nickname → seat id, from the snapshot)."""
    url = server.url.replace("http://", "ws://") + f"/ws/rooms/{room['code']}/"
    with connect(url, origin=server.url, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "hello", "role": "host", "token": room["host"]}))
        while (reply := json.loads(ws.recv(timeout=10)))["type"] != "snapshot":
            pass
        players = {p["nickname"]: p["id"] for p in reply["players"]}
        ws.send(json.dumps(message(players)))
        while (event := json.loads(ws.recv(timeout=10)))["type"] != "player_left":
            assert event["type"] != "error", event


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_wrong_takes_stay_until_the_next_card(browser, server, lang):
    room = seed_room(server, players=3, stage="reading", lang=lang, fields=["sociology"])
    code = room["code"]
    base = f"{server.url}/{lang}/play/{code}"
    phone = open_page(browser, f"{base}/", lang, PHONE, seat_storage(room, "Aiko"), clock=True)
    other = open_page(
        browser, f"{base}/", lang, PHONE, seat_storage(room, "Bartholomew"), clock=True
    )
    screen = open_page(browser, f"{base}/screen/", lang, PROJECTOR, clock=True)
    for page in (phone, other, screen):
        expect(page.locator("#read-text p").first).not_to_be_empty()

    wrong = next(
        card
        for card in phone.locator(".torifuda").evaluate_all("ns => ns.map(n => +n.dataset.id)")
        if card != read_card_id(server, code)
    )
    phone.locator(f'.torifuda[data-id="{wrong}"]').click()
    expect(phone.locator("#mine")).to_contain_text(OWN[lang])
    for page in (screen, other):
        expect(page.locator("#notices")).to_contain_text(ROOM_WIDE[lang])
        expect(page.locator(f'.torifuda[data-id="{wrong}"]')).to_have_class(re.compile("mistaken"))
    # The room's line is not the taker's: the phone keeps its own, in the first person.
    expect(phone.locator("#notices")).to_be_hidden()

    # Minutes later (a toast would be long gone), all of it is still on screen.
    for page in (phone, other, screen):
        page.clock.fast_forward("00:30")
    expect(phone.locator("#mine")).to_contain_text(OWN[lang])
    expect(screen.locator("#notices")).to_contain_text(ROOM_WIDE[lang])
    assert not outside_viewport(screen, "#notices")

    # A tap while sitting the card out is answered, visibly.
    phone.locator(f'.torifuda[data-id="{wrong}"]').click(force=True)
    expect(phone.locator("#mine")).to_have_class(re.compile("pulse"))
    for page in (phone, other, screen):
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_player_finds_themself_in_the_final_ranking(browser, server, lang):
    room = seed_room(server, players=40, stage="finished", lang=lang)
    phone = open_page(
        browser, f"{server.url}/{lang}/play/{room['code']}/", lang, PHONE,
        seat_storage(room, "Mei"),
    )  # fmt: skip
    expect(phone.locator("#placed")).to_have_text(PLACED[lang])
    mine = phone.locator("#ranking-list li.you")
    expect(mine).to_have_count(1)
    expect(mine.locator(".nick")).to_contain_text("Mei")
    phone.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_removed_player_is_told_and_can_join_again(browser, server, lang):
    room = seed_room(server, players=2, stage="lobby", lang=lang)
    code = room["code"]
    phone = open_page(
        browser, f"{server.url}/{lang}/play/{code}/", lang, PHONE, seat_storage(room, "Aiko")
    )
    expect(phone.locator("#me")).to_contain_text("Aiko")
    as_host(server, room, lambda players: {"type": "remove", "seat": players["Aiko"]})
    expect(phone.locator("#waiting")).to_contain_text(REMOVED[lang])
    expect(phone.locator("#waiting button")).to_be_visible()
    expect(phone.locator("#connection")).to_be_hidden()
    phone.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_delayed_text_says_when_it_comes(browser, server, lang):
    room = seed_room(
        server, players=2, stage="reading", lang=lang, reveal="delayed", reveal_delay=30
    )
    host = open_page(
        browser, f"{server.url}/{lang}/play/{room['code']}/screen/", lang, LAPTOP, None
    )
    expect(host.locator("#read-text p").first).to_contain_text(REVEAL[lang])
    host.context.close()


def test_the_newest_words_stay_in_view_while_the_text_appears(browser, server):
    """A phone's read-text box is bounded: as the text appears, its end is scrolled into it."""
    room = seed_room(server, players=2, stage="reading", lang="en")
    url = f"{server.url}/en/play/{room['code']}/"
    phone = open_page(browser, url, "en", PHONE, seat_storage(room, "Aiko"), clock=True)
    expect(phone.locator("#read-text p").first).not_to_be_empty()
    # The text's pace counts from the reading's start on the server, so how much is shown when
    # the page opens depends on how long it took to open: step the clock until the text has
    # run past the box, then look at its newest words while it is still appearing.
    measure = """p => { const range = document.createRange(); const text = p.firstChild;
        range.setStart(text, text.length - 1); range.setEnd(text, text.length);
        const r = range.getBoundingClientRect();
        const box = p.closest('#reading').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, boxTop: box.top, boxBottom: box.bottom,
                scrolled: p.closest('#reading').scrollTop,
                appearing: p.textContent.endsWith('…')}; }"""
    text = phone.locator("#read-text p").first
    for _ in range(60):
        end = text.evaluate(measure)
        if end["scrolled"] > 0:
            break
        phone.clock.fast_forward(500)
    assert end["appearing"], end  # still appearing when it first ran past the box
    assert end["scrolled"] > 0, end
    assert end["boxTop"] <= end["top"] and end["bottom"] <= end["boxBottom"] + 1, end
    phone.context.close()
