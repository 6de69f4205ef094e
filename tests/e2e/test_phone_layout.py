"""The player's board as a person holding a phone sees it, measured in Chromium: in portrait
(390×844, 360×740) and landscape (844×390) every one of the 24 cards and the read text are on
the screen at once, as on the paper game's table; no name sticks out of its card in any card
language (ja, en, both), Japanese names never break inside 価値, English sub-names are at least
12 px, every card is a tap target of at least 44×44 px, nothing scrolls sideways. The same board
on a laptop (1366×768) keeps its names inside the cards. A keyboard user's focus stays on the
card it was on when the board is redrawn. The home page fits a phone in both languages."""

import json

import pytest
from playwright.sync_api import expect
from websockets.sync.client import connect

from tests.e2e.layout import (
    LAPTOP,
    PHONE,
    PHONE_LANDSCAPE,
    SMALL_PHONE,
    horizontal_scroll,
    min_font,
    open_page,
    outside_viewport,
    overflowing,
    seat_storage,
    seed_room,
    seed_rooms,
)

pytestmark = pytest.mark.browser

PHONES = [PHONE, SMALL_PHONE, PHONE_LANDSCAPE]
CARD_LANGS = ["ja", "en", "both"]
# The whole read text at once ("delayed" with no delay): the longest it gets on the screen.
WHOLE_TEXT = {"reveal": "delayed", "reveal_delay": 0}


@pytest.fixture(scope="module")
def rooms(server):
    """One room per card language, 40 players, 3 cards taken, a card being read."""
    specs = [
        {"players": 40, "stage": "reading", "takes": 3, "options": {"lang": lang, **WHOLE_TEXT}}
        for lang in CARD_LANGS
    ]
    return dict(zip(CARD_LANGS, seed_rooms(server, specs), strict=True))


def player_page(browser, server, room: dict, lang: str, size: tuple[int, int]):
    page = open_page(
        browser, f"{server.url}/{lang}/play/{room['code']}/", lang, size, seat_storage(room, "Aiko")
    )
    expect(page.locator(".torifuda")).to_have_count(24, timeout=15_000)
    expect(page.locator("#me")).not_to_be_empty()
    expect(page.locator("#read-text p").first).not_to_be_empty()
    return page


def small_cards(page, minimum: float = 44) -> list[str]:
    """Cards (tap targets) smaller than ``minimum`` px either way: "name w×h"."""
    return page.evaluate(
        """minimum => [...document.querySelectorAll('.torifuda')].map(card => {
            const r = card.getBoundingClientRect(), name = card.textContent.trim();
            return r.width < minimum || r.height < minimum
                ? `${name} ${Math.round(r.width)}×${Math.round(r.height)}` : null;
        }).filter(Boolean)""",
        minimum,
    )


def split_kachi(page) -> list[str]:
    """Japanese names whose 価値 is broken over two lines (its characters on different tops)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.torifuda .name [lang="ja"]')].filter(node => {
            const text = node.textContent, at = text.lastIndexOf('価値');
            if (at < 0) return false;
            const range = document.createRange();
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            let offset = 0, start = null, end = null;
            for (let t = walker.nextNode(); t; t = walker.nextNode()) {
                const len = t.data.length;
                if (start === null && at < offset + len) start = [t, at - offset];
                if (end === null && at + 2 <= offset + len) end = [t, at + 2 - offset];
                offset += len;
            }
            range.setStart(...start);
            range.setEnd(...end);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                .map(r => Math.round(r.top)));
            return tops.size > 1;
        }).map(node => node.textContent)"""
    )


SIZES = [*PHONES, LAPTOP]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("cards", CARD_LANGS)
def test_every_card_and_the_read_text_fit_the_screen(browser, server, rooms, size, lang, cards):
    page = player_page(browser, server, rooms[cards], lang, size)
    try:
        assert overflowing(page, ".torifuda .name span") == []
        assert split_kachi(page) == []
        assert small_cards(page) == []
        assert min_font(page, ".torifuda .name span") >= 12
        assert horizontal_scroll(page) == 0
        # Nothing scrolled: the board and the read text are there as the page opens.
        assert page.evaluate("scrollY") == 0
        assert outside_viewport(page, ".torifuda") == []
        assert outside_viewport(page, "#reading") == []
        assert outside_viewport(page, "#read-text p") == [] or page.evaluate(
            "() => { const box = document.getElementById('reading');"
            " return box.scrollHeight > box.clientHeight; }"
        ), "the read text is cut off, but its box does not scroll"
        assert outside_viewport(page, ".room-bar") == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def taken_room(server):
    """Just after a take, both languages on the cards (the longest names)."""
    return seed_room(server, players=40, stage="taken", takes=3, lang="both")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_after_a_take_the_cards_back_is_in_view_and_no_card_overflows(
    browser, server, taken_room, size
):
    page = open_page(
        browser,
        f"{server.url}/en/play/{taken_room['code']}/",
        "en",
        size,
        seat_storage(taken_room, "Aiko"),
    )
    try:
        expect(page.locator("#result .card-back")).to_be_visible(timeout=15_000)
        expect(page.locator(".torifuda")).to_have_count(24)
        assert outside_viewport(page, "#result .who") == []
        assert outside_viewport(page, "#result .card-back .name") == []
        assert outside_viewport(page, "#turn-info") == []
        assert overflowing(page, ".torifuda .name span") == []
        assert small_cards(page) == []
        assert horizontal_scroll(page) == 0
    finally:
        page.context.close()


def test_the_english_sub_names_are_at_least_12px(browser, server, rooms):
    for size in PHONES:
        page = player_page(browser, server, rooms["both"], "en", size)
        try:
            assert min_font(page, ".torifuda .name .sub") >= 12, size
        finally:
            page.context.close()


@pytest.mark.parametrize("size", [(740, 360), (667, 375)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("cards", ["en", "both"])
def test_a_smaller_landscape_phone_keeps_every_card_and_english_names_whole(
    browser, server, rooms, size, cards
):
    page = player_page(browser, server, rooms[cards], "en", size)
    try:
        assert outside_viewport(page, ".torifuda") == []
        assert overflowing(page, ".torifuda .name span") == []
        assert min_font(page, ".torifuda .name span") >= 12
        assert small_cards(page) == []
    finally:
        page.context.close()


def hello(ws, token: str, role: str = "player") -> dict:
    """Say hello on a room's socket; the snapshot it answers."""
    ws.send(json.dumps({"type": "hello", "role": role, "token": token}))
    while (reply := json.loads(ws.recv(timeout=10)))["type"] != "snapshot":
        assert reply["type"] != "error", reply
    return reply


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_keyboard_users_focus_stays_on_its_card_when_another_player_takes(browser, server, size):
    room = seed_room(server, players=3, stage="reading", takes=1, lang="en")
    url = server.url.replace("http://", "ws://") + f"/ws/rooms/{room['code']}/"
    page = player_page(browser, server, room, "en", size)
    try:
        with connect(url, origin=server.url, open_timeout=10) as host:
            answer = hello(host, room["host"], role="host")["turn"]["answer"]["id"]
        # Tab from the room bar to a card still on the board that is not the one being read.
        page.locator("#me").click()
        target = None
        for _ in range(30):
            page.keyboard.press("Tab")
            target = page.evaluate(
                "() => { const a = document.activeElement;"
                " return a.matches('.torifuda:not(:disabled)') ? Number(a.dataset.id) : null; }"
            )
            if target is not None and target != answer:
                break
        assert target is not None and target != answer, "no card reached with Tab"

        with connect(url, origin=server.url, open_timeout=10) as other:
            hello(other, room["seats"]["Bartholomew"])
            other.send(json.dumps({"type": "take", "card": answer}))
            expect(page.locator(f'.torifuda[data-id="{answer}"]')).to_be_disabled()
        expect(page.locator("#result")).to_be_visible()
        assert page.evaluate("() => Number(document.activeElement.dataset.id)") == target
        # and the keyboard goes on from there, to the next card
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.matches('.torifuda')")
    finally:
        page.context.close()


@pytest.mark.parametrize("size", [PHONE, SMALL_PHONE], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_home_page_fits_a_phone(browser, server, size, lang):
    page = open_page(browser, f"{server.url}/{lang}/", lang, size)
    try:
        assert horizontal_scroll(page) == 0
        # The example cards and their names are inside the screen (not pushed out to the right).
        assert outside_viewport(page, ".hero-cards li") == [] or page.evaluate(
            "() => [...document.querySelectorAll('.hero-cards li')].every(li => {"
            " const r = li.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })"
        )
        assert overflowing(page, ".hero-cards li span") == []
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["rules/", "study/", "print/", "play/"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_page_of_the_header_fits_a_phone(browser, server, path, lang):
    for size in (PHONE, SMALL_PHONE):
        page = open_page(browser, f"{server.url}/{lang}/{path}", lang, size)
        try:
            assert horizontal_scroll(page) == 0, size
        finally:
            page.context.close()
