"""The host closes the room to new players and hands out generated nicknames, in Chromium, in
both languages: the host's button says what it does, a phone that opens the room then says it
is closed (no form to fill in vain), and with generated nicknames a phone joins with one button
and gets a name nobody typed."""

from __future__ import annotations

import os
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
    outside_viewport,
    seed_room,
)

pytestmark = pytest.mark.browser

CLOSE = {"en": "Close the room to new players", "ja": "ルームへの新しい参加を締め切る"}
OPEN = {"en": "Open the room to new players", "ja": "ルームへの新しい参加を再開する"}
CLOSED = {
    "en": "The host has closed this room to new players.",
    "ja": "ホストがこのルームへの新しい参加を締め切りました。",
}
GENERATED = {"en": "Give every player a generated nickname", "ja": "参加者全員に自動のニックネーム"}
JOIN = {"en": "Join", "ja": "参加する"}
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots


def shot(page, name: str) -> None:
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GALLERY) / f"{name}.png"))


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [LAPTOP, PROJECTOR], ids=["laptop", "projector"])
def test_the_host_closes_the_room_and_a_phone_is_told(browser, server, lang, size):
    room = seed_room(server, players=3, lang=lang)
    url = f"{server.url}/{lang}/play/{room['code']}"
    host = open_page(browser, f"{url}/host/", lang, size, host_storage(room))
    lock = host.locator("#lock")
    expect(lock).to_have_text(CLOSE[lang])
    lock.click()
    expect(lock).to_have_text(OPEN[lang])
    expect(lock).to_have_attribute("aria-pressed", "true")
    assert outside_viewport(host, "#lock") == []
    shot(host, f"room-closed-host-{size[0]}x{size[1]}-{lang}")

    phone = open_page(browser, f"{url}/", lang, PHONE)
    expect(phone.locator("#waiting")).to_have_text(CLOSED[lang])
    expect(phone.locator("#join-form")).to_be_hidden()
    assert horizontal_scroll(phone) == 0 and min_font(phone, "#waiting") >= 16
    shot(phone, f"room-closed-phone-390x844-{lang}")
    # Opened again: the phone's form comes back without a reload.
    lock.click()
    expect(phone.locator("#join-form")).to_be_visible()
    phone.context.close()
    host.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_generated_nicknames_join_with_one_button(browser, server, lang):
    room = seed_room(server, players=1, lang=lang)
    url = f"{server.url}/{lang}/play/{room['code']}"
    host = open_page(browser, f"{url}/host/", lang, LAPTOP, host_storage(room))
    host.get_by_label(re.compile(GENERATED[lang])).check()
    expect(host.locator("#settings-status")).not_to_have_text("")

    phone = open_page(browser, f"{url}/", lang, PHONE)
    expect(phone.locator("#nickname")).to_be_hidden()
    button = phone.locator("#random-nickname")
    expect(button).to_have_text(JOIN[lang])
    assert outside_viewport(phone, "#random-nickname") == []
    shot(phone, f"generated-names-phone-390x844-{lang}")
    button.click()
    expect(phone.locator("#me")).not_to_have_text("")
    me = phone.locator("#me").inner_text()
    name = re.split("[:：]", me)[0].strip()
    assert name and name not in ("Aiko",), me
    expect(host.locator("#scores")).to_contain_text(name)
    phone.context.close()
    host.context.close()
