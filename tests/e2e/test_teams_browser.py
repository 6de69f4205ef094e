"""A team game in Chromium: a phone picks its team in the lobby, the host starts, cards are
taken, the team scores follow on the phone and the projector (big, readable from the back),
and the end ranks the teams, then their players."""

from __future__ import annotations

import re
from pathlib import Path

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
    overflowing,
    read_card_id,
    seat_storage,
    seed_room,
)
from tests.e2e.test_debrief_browser import GALLERY

pytestmark = pytest.mark.browser
BLUE = {"en": "Blue", "ja": "青組"}
RED = {"en": "Red", "ja": "赤組"}


def shoot(page, name: str) -> None:
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GALLERY) / name))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_team_game_from_the_lobby_pick_to_the_team_ranking(browser, server, lang):
    room = seed_room(
        server, players=4, stage="lobby", lang=lang, fields=["psychology"], teams=2,
        team_pick="choose",
    )  # fmt: skip
    code = room["code"]
    aiko, bart = list(room["seats"])[:2]
    base = f"{server.url}/{lang}/play/{code}"
    phone = open_page(browser, f"{base}/", lang, PHONE, seat_storage(room, aiko))
    other = open_page(browser, f"{base}/", lang, PHONE, seat_storage(room, bart))
    host = open_page(browser, f"{base}/host/", lang, LAPTOP, host_storage(room))
    screen = open_page(browser, f"{base}/screen/", lang, PROJECTOR)

    # The lobby: the phone picks Blue; every screen shows who is in it.
    picker = phone.locator("#team-pick")
    expect(picker).to_be_visible()
    blue = picker.get_by_role("button", name=re.compile(BLUE[lang]))
    blue.click()
    expect(blue).to_have_attribute("aria-pressed", "true")
    expect(phone.locator("#me .team-badge")).to_contain_text(BLUE[lang])
    other.locator("#team-pick").get_by_role("button", name=re.compile(RED[lang])).click()
    expect(other.locator("#me .team-badge")).to_contain_text(RED[lang])
    assert horizontal_scroll(phone) == 0
    shoot(phone, f"teams-lobby-phone-390x844-{lang}.png")
    # The host sees the teams in the settings and a team menu by each player.
    expect(host.locator('select[name="teams"]')).to_have_value("2")
    expect(host.locator("#scores .team-select")).to_have_count(4)

    host.locator("#start").click()
    for page in (phone, screen):
        expect(page.locator("body")).to_have_attribute("data-state", "reading")
    expect(picker).to_be_hidden()
    expect(screen.locator("#team-scores li")).to_have_count(2)

    # Aiko (Blue) takes both cards: Blue's score follows on her phone and the projector.
    for taken in (1, 2):
        phone.locator(f'.torifuda[data-id="{read_card_id(server, code)}"]').click()
        row = f'#team-scores li:has(.team-name:text-is("{BLUE[lang]}")) .pts'
        for page in (phone, screen):
            expect(page.locator(row)).to_contain_text(str(taken))
        if taken == 1:
            assert horizontal_scroll(screen) == 0 and horizontal_scroll(phone) == 0
            # Readable from the back row: the team board is the largest text of the side.
            assert min_font(screen, "#team-scores .team-name") >= 30
            assert min_font(screen, "#team-scores .pts") >= 30
            assert overflowing(screen, "#team-scores li") == []
            shoot(phone, f"teams-phone-390x844-{lang}.png")
            shoot(screen, f"teams-projector-1920x1080-{lang}.png")
        host.locator("#next").click()

    # The end ranks the teams (Blue first), then the players within them.
    for page in (phone, screen):
        expect(page.locator("body")).to_have_attribute("data-state", "finished")
    podium = screen.locator("#podium-teams > li")
    expect(podium.first).to_contain_text(BLUE[lang])
    expect(podium.first.locator(".members li").first).to_contain_text(aiko)
    expect(podium.nth(1)).to_contain_text(RED[lang])
    ranking = phone.locator("#team-ranking > li")
    expect(ranking.first).to_contain_text(BLUE[lang])
    assert min_font(screen, "#podium-teams .team-name") >= 30
    assert horizontal_scroll(screen) == 0 and horizontal_scroll(phone) == 0
    shoot(phone, f"teams-end-phone-390x844-{lang}.png")
    shoot(screen, f"teams-end-projector-1920x1080-{lang}.png")
    for page in (phone, other, host, screen):
        page.context.close()
