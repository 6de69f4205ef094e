"""The host's debrief page of a game played over the protocol: the confusion pairs with both
cards' concept lines, players by accuracy, each card, the CSVs; only for the room's host and
staff allowed to see rooms."""

import csv
import io
import re
from html import unescape

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth.models import Permission, User
from django.test import Client

from tests.games.test_debrief import play_scripted_game, report

pytestmark = pytest.mark.django_db(transaction=True)


def host_browser(code: str) -> Client:
    from games.models import Room
    from games.play_views import SESSION_KEY

    browser = Client()
    session = browser.session
    session[SESSION_KEY] = {code: Room.objects.get(code=code).host_token}
    session.save()
    return browser


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def pages(code: str) -> dict:
    from games.models import ValueType

    browser = host_browser(code)
    found = {lang: browser.get(f"/{lang}/play/{code}/debrief/") for lang in ("en", "ja")}
    found["csv"] = browser.get(f"/en/play/{code}/debrief/?download=pairs")
    found["cards_csv"] = browser.get(f"/en/play/{code}/debrief/?download=cards")
    found["values"] = {v.number: v for v in ValueType.objects.all()}
    found["stranger"] = Client().get(f"/en/play/{code}/debrief/")
    staff = User.objects.create_user("ta", password="pw", is_staff=True)
    teacher = Client()
    teacher.force_login(staff)
    found["staff_without"] = teacher.get(f"/en/play/{code}/debrief/")
    staff.user_permissions.add(Permission.objects.get(codename="view_room"))
    teacher.force_login(User.objects.get(pk=staff.pk))
    found["staff_with"] = teacher.get(f"/en/play/{code}/debrief/")
    found["game_report"] = report(code, "--format", "csv")
    found["game_report_cards"] = report(code, "--cards", "--format", "csv")
    return found


async def test_the_host_sees_the_confusions_players_and_cards(make_room, clients):
    code, pairs, cards = await play_scripted_game(make_room, clients)
    got = await database_sync_to_async(pages)(code)
    values = got["values"]
    expected = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    for lang in ("en", "ja"):
        assert got[lang].status_code == 200
        text = text_of(got[lang].content.decode())
        # Most-confused pair first, each with both cards' concept lines side by side.
        blocks = [text_of(b) for b in got[lang].content.decode().split('<li class="pair">')[1:]]
        assert len(blocks) == len(expected)
        for block, ((read, taken), count) in zip(blocks, expected, strict=True):
            read_v, taken_v = values[read], values[taken]
            plural = "" if count == 1 else "s"
            times = f"{count} time{plural}" if lang == "en" else f"{count} 回"
            assert block.strip().startswith(times), (lang, block)
            concept = text_of(read_v.text("concept", lang)).strip()
            assert f"{read_v.number} {read_v.text('name', lang)} {concept}" in block
            assert f"{taken_v.number} {taken_v.text('name', lang)}" in block
        total = sum(pairs.values())
        lead = f"{total} wrong takes" if lang == "en" else f"お手つき {total} 回"
        assert lead in text, (lang, lead)
    en = text_of(got["en"].content.decode())
    # Aki: 3 wrong in turn 0, 1 in turn 3, then one per later turn while the card lay there.
    aki_wrong = sum(n for (_r, _t), n in pairs.items()) - 2  # Ben was wrong twice
    aki_right = 2  # turns 1 and 2
    ben_right = sum(1 for c in cards if c[1] == "taken") - aki_right
    accuracy = {
        "Aki": round(100 * aki_right / (aki_right + aki_wrong)),
        "Ben": round(100 * ben_right / (ben_right + 2)),
    }
    first, second = sorted(accuracy, key=lambda name: -accuracy[name])
    cells = r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>([^<]+)</td>"
    rows = re.findall(cells, got["en"].content.decode())
    assert [row[0] for row in rows[:2]] == [first, second]
    assert {row[0]: (int(row[1]), int(row[2]), row[3]) for row in rows[:2]} == {
        "Aki": (aki_right, aki_wrong, f"{accuracy['Aki']} %"),
        "Ben": (ben_right, 2, f"{accuracy['Ben']} %"),
    }
    assert "Reader" in en  # the reader never took: listed last, with no accuracy
    assert "answer shown by the host" in en
    # The CSVs are game_report's, byte for byte (UTF-8 with BOM).
    assert b"".join(got["csv"].streaming_content).decode() == got["game_report"]
    assert b"".join(got["cards_csv"].streaming_content).decode() == got["game_report_cards"]
    assert got["csv"]["Content-Disposition"].startswith("attachment;")
    assert list(csv.reader(io.StringIO(got["game_report"][1:])))[0][0] == "read_number"


async def test_only_the_host_and_allowed_staff_see_it(make_room, clients):
    code, _pairs, _cards = await play_scripted_game(make_room, clients)
    got = await database_sync_to_async(pages)(code)
    assert got["stranger"].status_code == 403
    assert got["staff_without"].status_code == 403
    assert got["staff_with"].status_code == 200


async def test_staff_reach_the_debrief_from_the_rooms_admin(make_room, clients):
    code, _pairs, _cards = await play_scripted_game(make_room, clients)

    def from_admin():
        staff = User.objects.create_user("ta", password="pw", is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="view_room"))
        teacher = Client()
        teacher.force_login(staff)
        listing = teacher.get("/admin/games/room/", HTTP_ACCEPT_LANGUAGE="en")
        link = re.search(rf'href="(/\w\w/play/{code}/debrief/)"', listing.content.decode())
        return listing, link and teacher.get(link[1])

    listing, debrief_page = await database_sync_to_async(from_admin)()
    assert listing.status_code == 200
    assert debrief_page and debrief_page.status_code == 200
    assert "Which values were confused" in text_of(debrief_page.content.decode()) or (
        "取り違えられた価値" in text_of(debrief_page.content.decode())
    )
