"""The research group page's games in Chromium, on a phone and a projector, in both languages:
the confusion map and each seat's figures beside its answers are there, with no nickname, and
nothing scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import PHONE, PROJECTOR, horizontal_scroll, seed_room

pytestmark = pytest.mark.browser
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots
HEADING = {"en": "Across games", "ja": "ゲームの記録"}

# On a finished room (players took the cards in turn): seat i taps i wrong cards, then every
# seat answers questionnaire 2 from its end screen; a staff user's session to open the page.
ANSWERED = """
import json
from django.test import Client
from django.contrib.auth.models import User
from games.models import BoardCard, Room, Seat, Take
from surveys.models import Group, GroupRoom
from surveys.services import response_submit
room = Room.objects.get(code=CODE)
cards = list(BoardCard.objects.filter(room=room).order_by("read_order"))
seats = list(Seat.objects.filter(room=room).order_by("pk"))
for i, seat in enumerate(seats):
    for k in range(i):
        Take.objects.create(room=room, seat=seat, card=cards[(k + 1 + i) % len(cards)],
                            read_card=cards[k], correct=False)
group, _ = Group.objects.get_or_create(name="Seminar camp " + CODE)
GroupRoom.objects.get_or_create(group=group, room_code=CODE)
for i, seat in enumerate(seats):
    mine = [c.value_type for c in cards if c.taken_by_id == seat.pk]
    named = [mine[0].name_en, cards[i].value_type.name_ja, "Happiness value"][: 1 + i % 3]
    response_submit(room_code=CODE, questionnaire=2, respondent=f"r{i}", gender="woman",
                    age_band="20s", nationality="", seat_id=seat.pk,
                    answers={"B2": 1 + i % 5, "D2": 5 - i % 4, "A2": named})
user = User.objects.filter(username="research").first() or User.objects.create_superuser(
    "research", "r@example.org", "pw-research-123")
client = Client()
client.force_login(user)
cookie = next(iter(client.cookies.values()))
print("ANSWERED " + json.dumps({"group": group.pk, "cookie": cookie.key, "value": cookie.value,
                                "nicknames": [s.nickname for s in seats]}))
"""


def prepare(server, lang: str) -> dict:
    room = seed_room(server, players=6, stage="finished", lang=lang)
    out = server.manage("shell", "-c", f"CODE = {room['code']!r}\n" + ANSWERED)
    line = next(line for line in out.splitlines() if line.startswith("ANSWERED "))
    return {**json.loads(line.removeprefix("ANSWERED ")), "code": room["code"]}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [PHONE, PROJECTOR], ids=["phone", "projector"])
def test_the_research_page_shows_each_seat_s_game(browser, server, lang, size):
    made = prepare(server, lang)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=lang)
    context.add_cookies([{"name": made["cookie"], "value": made["value"], "url": server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/{lang}/survey/research/group/{made['group']}/")
    heading = page.get_by_role("heading", name=HEADING[lang], exact=True)
    expect(heading).to_be_visible()
    rows = page.locator("#gameplay-seats tbody tr")
    expect(rows).to_have_count(6)
    # The last seat tapped five wrong cards: its row says so.
    expect(rows.nth(5).locator("td").nth(2)).to_have_text("5")
    expect(page.locator("#group-confusion tbody tr")).to_have_count(15)
    text = page.locator("body").inner_text()
    for nickname in made["nicknames"]:
        assert nickname not in text
    assert horizontal_scroll(page) == 0
    section = page.locator("section.gameplay")
    section.scroll_into_view_if_needed()
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        section.screenshot(
            path=str(Path(GALLERY) / f"research-gameplay-{size[0]}x{size[1]}-{lang}.png")
        )
    context.close()
