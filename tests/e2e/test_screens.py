"""Every screen a class meets, at every size it is used at, in both languages: nothing wider
than the screen, and (with VK_GALLERY=docs/img) a screenshot of each for the gallery that the
README shows.

The screens: the public pages (home, play, rules, study, a card, print, the questionnaire, a
room that does not exist) and each room page (player, host, projector) in the lobby with 40
players, while a card is read, after a take and at the end. Each screen's own layout tests
(test_phone_layout, test_projector_layout, test_host_browser…) measure it in detail; this one
walks all of them, so a page nobody thought of still gets looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import (
    LAPTOP,
    PHONE,
    PHONE_LANDSCAPE,
    PROJECTOR,
    horizontal_scroll,
    seed_rooms,
)

pytestmark = pytest.mark.browser

GALLERY = os.environ.get("VK_GALLERY")
SIZES = {"phone": PHONE, "landscape": PHONE_LANDSCAPE, "laptop": LAPTOP, "projector": PROJECTOR}
STAGES = ("lobby", "reading", "taken", "finished")
# Who uses which page at which size: a projector is never a phone.
ROOM_PAGES = {
    "player": ("{code}/", ("phone", "landscape", "laptop")),
    "host": ("{code}/host/", ("phone", "laptop", "projector")),
    "projector": ("{code}/screen/", ("laptop", "projector")),
}
PUBLIC_PAGES = {
    "home": "/{lang}/",
    "play": "/{lang}/play/",
    "rules": "/{lang}/rules/",
    "study": "/{lang}/study/",
    "card": "/{lang}/study/{slug}/",
    "print": "/{lang}/print/",
    "questionnaire": "/{lang}/survey/room/{code}/",
    "not-found": "/{lang}/play/ZZZZZ/",
}


@pytest.fixture(scope="module")
def rooms(server) -> dict:
    """(lang, stage) → a room of 40 players in that stage, its cards in that language."""
    keys = [(lang, stage) for lang in ("en", "ja") for stage in STAGES]
    specs = [{"stage": stage, "takes": 5, "options": {"lang": lang}} for lang, stage in keys]
    return dict(zip(keys, seed_rooms(server, specs), strict=True))


@pytest.fixture(scope="module")
def slug(server) -> str:
    """A card's address on the study pages."""
    out = server.manage(
        "shell",
        "-c",
        "from games.models import ValueType; print('SLUG', ValueType.objects.first().slug)",
    )
    return next(line for line in out.splitlines() if line.startswith("SLUG ")).split()[1]


def look(page, name: str) -> None:
    """The page settled, then measured (and kept for the gallery)."""
    page.evaluate("document.fonts.ready.then(() => true)")
    assert horizontal_scroll(page) <= 0, f"{name}: wider than the screen"
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GALLERY) / f"walk-{name}.png"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_screen_fits_its_screen(browser, server, rooms, slug, size, lang):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale=lang)
    tokens = {}
    for stage in STAGES:
        room = rooms[(lang, stage)]
        tokens[f"vk-host-{room['code']}"] = room["host"]
        tokens[f"vk-seat-{room['code']}"] = room["seats"]["Bartholomew"]
    context.add_init_script(
        f"for (const [k, v] of Object.entries({tokens!r})) localStorage.setItem(k, v);"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    suffix = f"{width}x{height}-{lang}"

    for name, path in PUBLIC_PAGES.items():
        if size == "projector" and name not in ("home", "play"):
            continue
        url = path.format(lang=lang, slug=slug, code=rooms[(lang, "finished")]["code"])
        page.goto(server.url + url)
        look(page, f"{name}-{suffix}")

    for role, (path, sizes) in ROOM_PAGES.items():
        if size not in sizes:
            continue
        for stage in STAGES:
            room = rooms[(lang, stage)]
            page.goto(f"{server.url}/{lang}/play/" + path.format(code=room["code"]))
            expect(page.locator("body")).to_have_attribute("data-state", stage)
            look(page, f"{role}-{stage}-{suffix}")
    assert not errors, errors
    context.close()
