"""A hall's phone below the top of the ranking still finds its own place: the top rows, then
"…" and its own row (marked as its own), and "You placed 2nd of 6". Played with the list cap
lowered to 3, so that 6 players are a hall (docs/protocol.md, Halls)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import PHONE, horizontal_scroll, open_page, seat_storage, seed_room
from tests.e2e.test_teams_browser import shoot

pytestmark = pytest.mark.browser
PLACED = {"en": "You placed 2nd of 6", "ja": "6人中2位"}


@pytest.fixture(scope="module")
def hall_server(tmp_path_factory):
    from tests.conftest import make_server

    server = make_server(tmp_path_factory.mktemp("hall"), {"HALL_LIST_MAX": "3"})
    yield server
    server.stop()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_phone_below_the_top_sees_its_own_place(browser, hall_server, lang):
    # Seven cards taken in turn by six players: the first takes two, the others one each.
    room = seed_room(hall_server, players=6, stage="finished", lang=lang, fields=["economics"])
    names = list(room["seats"])
    # Equal results are listed by name: the last name of the five on one card is below the top.
    below = max(names[1:], key=str.casefold)
    phone = open_page(
        browser, f"{hall_server.url}/{lang}/play/{room['code']}/", lang, PHONE,
        seat_storage(room, below),
    )  # fmt: skip
    rows = phone.locator("#ranking-list > li")
    expect(rows).to_have_count(5)  # the top 3, "…", its own
    expect(rows.nth(3)).to_have_text("…")
    own = rows.nth(4)
    expect(own).to_have_class(re.compile(r"\byou\b"))
    expect(own.locator(".nick")).to_contain_text(below)
    expect(own.locator(".rank")).to_have_text("2")
    expect(phone.locator("#placed")).to_contain_text(PLACED[lang])
    assert below not in " ".join(rows.nth(i).inner_text() for i in range(3))
    assert horizontal_scroll(phone) == 0
    shoot(phone, f"hall-ranking-phone-390x844-{lang}.png")
    phone.context.close()
