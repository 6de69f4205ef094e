"""The host's debrief in Chromium, at phone, laptop and projector sizes, in both languages: the
host's end screen links to it, the most-confused pair comes first with both cards side by side
(stacked on a phone), nothing scrolls sideways and the type is large enough to read."""

from __future__ import annotations

import json
import os
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
    seed_room,
)

pytestmark = pytest.mark.browser
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots
LINK = {"en": "Debrief: which values were confused", "ja": "ふりかえり：取り違えられた価値"}
TITLE = {"en": "Which values were confused", "ja": "取り違えられた価値"}

# Wrong takes on a finished room: the first card read was taken for the second three times
# and for the third once; the second for the first once. Then a session hosting the room.
WRONG = """
import json
from importlib import import_module
from django.conf import settings
from games.models import BoardCard, Room, Seat, Take
room = Room.objects.get(code=CODE)
cards = list(BoardCard.objects.filter(room=room).order_by("read_order"))
seat = Seat.objects.filter(room=room).first()
for read, taken, times in ((0, 1, 3), (0, 2, 1), (1, 0, 1)):
    for _ in range(times):
        Take.objects.create(room=room, seat=seat, card=cards[taken], read_card=cards[read],
                            correct=False)
session = import_module(settings.SESSION_ENGINE).SessionStore()
session["hosted_rooms"] = {room.code: room.host_token}
session.create()
made = {"session": session.session_key, "cookie": settings.SESSION_COOKIE_NAME,
        "first": [cards[0].value_type.number, cards[1].value_type.number]}
print("DEBRIEF " + json.dumps(made))
"""


def prepare(server, lang: str) -> tuple[dict, dict]:
    room = seed_room(server, players=6, stage="finished", lang=lang)
    out = server.manage("shell", "-c", f"CODE = {room['code']!r}\n" + WRONG)
    line = next(line for line in out.splitlines() if line.startswith("DEBRIEF "))
    return room, json.loads(line.removeprefix("DEBRIEF "))


def host_tab(browser, server, room, made, lang, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=lang)
    context.add_cookies([{"name": made["cookie"], "value": made["session"], "url": server.url}])
    context.add_init_script(
        "for (const [k, v] of Object.entries(" + json.dumps(host_storage(room)) + "))"
        " localStorage.setItem(k, v);"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [PHONE, LAPTOP, PROJECTOR], ids=["phone", "laptop", "projector"])
def test_the_host_opens_the_debrief_from_the_end_screen(browser, server, lang, size):
    room, made = prepare(server, lang)
    page = host_tab(browser, server, room, made, lang, size)
    page.goto(f"{server.url}/{lang}/play/{room['code']}/host/")
    link = page.get_by_role("link", name=LINK[lang])
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name=TITLE[lang])).to_be_visible()
    first = page.locator(".pair").first
    read, taken = made["first"]
    expect(first.locator(".pair-card h3").first).to_contain_text(str(read))
    expect(first.locator(".pair-card h3").nth(1)).to_contain_text(str(taken))
    expect(first.locator(".pair-count")).to_contain_text("3")
    assert horizontal_scroll(page) == 0
    # Both boxes in one look: a scroll between two measurements would move one of them.
    left, right = page.locator(".pair:first-child .pair-card").evaluate_all(
        "nodes => nodes.slice(0, 2).map(n => { const r = n.getBoundingClientRect();"
        " return {x: r.x, y: r.y, height: r.height}; })"
    )
    if size == PHONE:
        assert right["y"] >= left["y"] + left["height"] - 1  # stacked
    else:
        assert abs(right["y"] - left["y"]) < 1 and right["x"] > left["x"]  # side by side
    smallest = min_font(page, ".pair-card .concept, .debrief-table td")
    assert smallest >= (22 if size == PROJECTOR else 16), smallest
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(GALLERY) / f"debrief-{size[0]}x{size[1]}-{lang}.png"))
    page.context.close()
