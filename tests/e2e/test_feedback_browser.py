"""What the room's state module decides, as a person sees it in Chromium, in both languages:
a player's own wrong-take message stays (the room-wide line does not replace it), and after a
card the read text stays beside the card's back, inside a projector's screen."""

import pytest
from playwright.sync_api import expect

from tests.games.conftest import room_on_server

pytestmark = pytest.mark.browser

OWN = {"en": "Wrong card: −1 point, and you sit out this card", "ja": "お手つき：1点減点"}
ROOM_WIDE = {"en": "Aki took a wrong card", "ja": "Aki"}


def open_page(browser, url: str, lang: str, width: int, height: int):
    page = browser.new_context(viewport={"width": width, "height": height}, locale=lang).new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return page


def inside_viewport(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "node => { const r = node.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight && r.width > 0; }"
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_own_wrong_take_message_stays_and_the_read_text_stays_after_the_card(browser, server, lang):
    code, token = room_on_server(server, fields=["sociology"], lang=lang)
    base = f"{server.url}/{lang}/play/{code}"
    host = open_page(browser, f"{base}/host/", lang, 1366, 768)
    host.evaluate(f"localStorage.setItem('vk-host-{code}', '{token}')")
    host.evaluate("localStorage.setItem('vk-host-answer', 'shown')")  # the answer is hidden else
    host.reload()
    phone = open_page(browser, f"{base}/", lang, 390, 844)
    phone.locator("#nickname").fill("Aki")
    phone.locator("#nickname").press("Enter")
    expect(phone.locator("#me")).to_contain_text("Aki")
    screen = open_page(browser, f"{base}/screen/", lang, 1920, 1080)
    host.locator("#start").click()

    answer = host.locator("#host-answer .name .main").inner_text()
    cards = phone.locator("button.torifuda")
    expect(cards).to_have_count(3)
    labels = [cards.nth(i).get_attribute("aria-label") for i in range(3)]
    wrong = next(i for i, label in enumerate(labels) if answer not in label)
    cards.nth(wrong).click()
    expect(screen.locator("#notices")).to_contain_text(ROOM_WIDE[lang])  # the room heard it
    expect(phone.locator("#mine")).to_contain_text(OWN[lang])  # and the taker still reads own

    host.locator("#skip").click()
    for page in (screen, phone):
        expect(page.locator("#result")).to_be_visible()
        expect(page.locator("#read-text p").first).not_to_be_empty()
    assert inside_viewport(screen, "#read-text")
    assert inside_viewport(screen, "#result .card-back .name")
    for page in (host, phone, screen):
        page.context.close()
