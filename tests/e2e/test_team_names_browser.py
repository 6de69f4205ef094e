"""The host names a team on the laptop and every screen shows the name; after a card, the team
talk counts down on the phone, the laptop and the projector, and the host may read on early."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import (
    LAPTOP,
    PHONE,
    PROJECTOR,
    horizontal_scroll,
    host_storage,
    min_font,
    open_page,
    outside_viewport,
    overflowing,
    read_card_id,
    seat_storage,
    seed_room,
)
from tests.e2e.test_teams_browser import RED, shoot

pytestmark = pytest.mark.browser
NEW = {"en": "Marketing", "ja": "3年2組"}
TALK = {"en": r"Team talk: \d+ s", "ja": r"チーム相談：あと\d+秒"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_host_names_a_team_and_the_team_talks_after_a_card(browser, server, lang):
    room = seed_room(
        server, players=4, stage="lobby", lang=lang, fields=["psychology"], teams=2,
        team_talk=20,
    )  # fmt: skip
    code = room["code"]
    aiko = list(room["seats"])[0]  # dealt into the first team (Red) at the start
    base = f"{server.url}/{lang}/play/{code}"
    host = open_page(browser, f"{base}/host/", lang, LAPTOP, host_storage(room))
    phone = open_page(browser, f"{base}/", lang, PHONE, seat_storage(room, aiko))
    screen = open_page(browser, f"{base}/screen/", lang, PROJECTOR)

    # The host renames Red from its row of the scoreboard.
    rename = host.locator("#team-scores .team-rename-button").first
    expect(rename).to_be_visible()
    assert rename.bounding_box()["height"] >= 32  # a target a finger or a mouse finds
    rename.click()
    field = host.locator("#team-rename-name")
    expect(field).to_be_focused()
    expect(field).to_have_value(RED[lang])
    assert outside_viewport(host, "#team-rename") == []
    shoot(host, f"team-rename-laptop-1366x768-{lang}.png")
    field.fill(NEW[lang])
    field.press("Enter")
    expect(host.locator("#team-rename")).to_be_hidden()  # done once the room has the name
    expect(host.locator("#team-scores .team-name").first).to_have_text(NEW[lang])
    expect(phone.locator("#team-pick .team-name").first).to_have_text(NEW[lang])

    # A name that looks like the other team's is refused, and says why.
    host.locator("#team-scores .team-rename-button").first.click()
    field.fill(host.locator("#team-scores .team-name").nth(1).inner_text())
    field.press("Enter")
    expect(host.locator("#toast")).to_be_visible()
    expect(host.locator("#team-rename")).to_be_visible()  # what was typed is still there
    host.locator("#team-rename-cancel").click()
    expect(host.locator("#team-rename")).to_be_hidden()

    host.locator("#start").click()
    expect(screen.locator("#team-scores .team-name", has_text=NEW[lang])).to_be_visible()
    assert overflowing(screen, "#team-scores .team-name") == []  # whole, not "M…"
    expect(phone.locator("#me .team-badge")).to_contain_text(NEW[lang])

    # Aiko takes the card: every screen counts the team talk down.
    phone.locator(f'.torifuda[data-id="{read_card_id(server, code)}"]').click()
    for page in (phone, host, screen):
        expect(page.locator("#talk")).to_be_visible()
        expect(page.locator("#talk")).to_have_text(re.compile(TALK[lang]))
    assert min_font(screen, "#talk") >= 30  # read from the back of the hall
    assert outside_viewport(screen, "#talk") == []
    assert outside_viewport(phone, "#talk") == []
    assert horizontal_scroll(phone) == 0 and horizontal_scroll(screen) == 0
    shoot(phone, f"team-talk-phone-390x844-{lang}.png")
    shoot(screen, f"team-talk-projector-1920x1080-{lang}.png")

    # The host reads on before the talk is over: the talk line goes on every screen.
    host.locator("#next").click()
    for page in (phone, host, screen):
        expect(page.locator("body")).to_have_attribute("data-state", "reading")
        expect(page.locator("#talk")).to_be_hidden()
    for page in (host, phone, screen):
        page.context.close()
