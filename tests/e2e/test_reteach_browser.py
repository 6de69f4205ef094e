"""The reteach round in Chromium: the host clicks "Reteach round" on the debrief, and the host's
laptop, a player's phone and the projector all move to a round of the confused cards only, side
by side, waiting for the host's first reading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import LAPTOP, PHONE, PROJECTOR, horizontal_scroll, open_page, seat_storage
from tests.e2e.test_debrief_browser import GALLERY, host_tab, prepare

pytestmark = pytest.mark.browser
BUTTON = {"en": "Reteach round", "ja": "復習ラウンド"}
NEXT = {"en": "Next card", "ja": "次の札"}


def board_numbers(page) -> list[str]:
    return page.locator("#board .torifuda").evaluate_all("ns => ns.map(n => n.dataset.id)")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_one_click_on_the_debrief_moves_everyone_to_the_confused_cards(browser, server, lang):
    room, made = prepare(server, lang)
    code = room["code"]
    base = f"{server.url}/{lang}/play/{code}"
    name = next(iter(room["seats"]))
    phone = open_page(browser, f"{base}/", lang, PHONE, seat_storage(room, name))
    screen = open_page(browser, f"{base}/screen/", lang, PROJECTOR)
    for tab in (phone, screen):
        expect(tab.locator("body")).to_have_attribute("data-state", "finished")
    host = host_tab(browser, server, room, made, lang, LAPTOP)
    host.goto(f"{base}/debrief/")

    host.get_by_role("button", name=BUTTON[lang]).click()
    moved = re.compile(rf"/{lang}/play/(?!{code})\w{{5}}/")
    for tab in (host, phone, screen):
        tab.wait_for_url(moved)
        # The three confused cards only, laid out; no card read yet.
        expect(tab.locator("#board .torifuda")).to_have_count(3)
        expect(tab.locator("body")).to_have_attribute("data-state", "taken")
        assert horizontal_scroll(tab) == 0
    new_code = re.search(r"/play/(\w{5})/", host.url)[1]
    assert phone.url.endswith(f"/play/{new_code}/")
    assert board_numbers(host) == board_numbers(phone) == board_numbers(screen)
    expect(phone.locator("#me")).to_contain_text(name)
    # A short round's cards are card-sized on a phone, not stretched down the whole screen.
    for card in phone.locator("#board .torifuda").all():
        shape = card.bounding_box()
        assert shape["height"] <= PHONE[1] / 3 and shape["y"] + shape["height"] <= PHONE[1], shape
    # The host reads the first card when the class has looked at the pairs.
    next_card = host.get_by_role("button", name=NEXT[lang])
    expect(next_card).to_be_visible()
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        for tab, size in ((host, LAPTOP), (phone, PHONE), (screen, PROJECTOR)):
            shot = Path(GALLERY) / f"reteach-{size[0]}x{size[1]}-{lang}.png"
            tab.screenshot(path=str(shot))
    next_card.click()
    for tab in (host, phone, screen):
        expect(tab.locator("body")).to_have_attribute("data-state", "reading")
    for tab in (host, phone, screen):
        tab.context.close()
