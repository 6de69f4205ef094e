"""A practice assignment in Chromium: the host of a finished room creates one from its debrief
(the room's confused values pre-chosen), a phone opens the share link, enters a nickname and
plays a round to the end, and the teacher's page shows that student. Measured at 390x844 and
1920x1080 in both languages: nothing scrolls sideways, the QR code is on the projected screen
without scrolling and big enough to scan from the back of a room; screenshots kept in docs/img."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import PHONE, PROJECTOR, horizontal_scroll, min_font, open_page
from tests.e2e.test_debrief_browser import host_tab, prepare
from tests.e2e.test_practice_browser import take_right

pytestmark = pytest.mark.browser
# Screenshots go to VK_GALLERY (e.g. docs/img) when it is set, else to a scratch folder: a
# test run leaves the tree as it was.
IMG = Path(os.environ.get("VK_GALLERY") or tempfile.mkdtemp(prefix="vk-shots-"))
WORDS = {
    "en": {
        "button": "Practice assignment of the values confused",
        "create": "Create the assignment",
        "join": "Join",
        "start": "Start",
        "saved": "Result saved.",
        "round1": "Round 1 of 3",
        "round2": "Round 2 of 3",
        "title": "Week 2: the values we mixed up",
    },
    "ja": {
        "button": "取り違えた価値の練習課題を作る",
        "create": "課題を作る",
        "join": "参加する",
        "start": "スタート",
        "saved": "結果を保存しました。",
        "round1": "3 回中 1 回目",
        "round2": "3 回中 2 回目",
        "title": "第2週：取り違えた価値",
    },
}
NICKNAME = {"en": "Mika", "ja": "みか"}


def measure_qr(page) -> dict:
    box = page.locator(".share-qr svg").bounding_box()
    view = page.viewport_size
    return {**box, "inside": box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= view["width"]
            and box["y"] + box["height"] <= view["height"]}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_host_assigns_the_confused_values_and_sees_a_phone_play(browser, server, lang):
    words = WORDS[lang]
    room, made = prepare(server, lang)
    teacher = host_tab(browser, server, room, made, lang, PROJECTOR)
    teacher.goto(f"{server.url}/{lang}/play/{room['code']}/debrief/")
    teacher.get_by_role("link", name=words["button"]).click()
    # The room's confused values (the first three cards read) are chosen already.
    checked = teacher.locator('input[name="values"]:checked').evaluate_all(
        "nodes => nodes.map(n => Number(n.value))"
    )
    assert set(made["first"]) <= set(checked) and len(checked) == 3, checked
    assert teacher.locator('input[name="cards"][value="list"]').is_checked()
    assert horizontal_scroll(teacher) == 0
    teacher.screenshot(path=str(IMG / f"assignment-new-1920x1080-{lang}.png"), full_page=True)
    teacher.locator('input[name="title"]').fill(words["title"])
    teacher.locator('input[name="rounds"]').fill("3")
    teacher.get_by_role("button", name=words["create"]).click()
    expect(teacher.get_by_role("heading", name=words["title"])).to_be_visible()
    qr = measure_qr(teacher)
    assert qr["inside"] and qr["width"] >= 300 and qr["height"] >= 300, qr
    assert horizontal_scroll(teacher) == 0
    link = teacher.locator(".share-link a").get_attribute("href")
    assert f"/{lang}/practice/a/" in link

    phone = open_page(browser, link, lang, PHONE)
    phone.get_by_label({"en": "Your nickname", "ja": "ニックネーム"}[lang]).fill(NICKNAME[lang])
    phone.get_by_role("button", name=words["join"]).click()
    expect(phone.locator("#assignment-progress")).to_have_text(words["round1"])
    assert horizontal_scroll(phone) == 0
    phone.screenshot(path=str(IMG / f"assignment-student-390x844-{lang}.png"))
    phone.get_by_role("button", name=words["start"]).click()
    for done in range(3):
        take_right(phone, done)
    phone.locator("#practice-end").wait_for(state="visible")
    phone.get_by_text(words["saved"]).wait_for()
    expect(phone.locator("#assignment-progress")).to_have_text(words["round2"])
    assert horizontal_scroll(phone) == 0
    phone.set_viewport_size({"width": PROJECTOR[0], "height": PROJECTOR[1]})
    phone.reload()
    expect(phone.locator("#assignment-progress")).to_have_text(words["round2"])
    assert horizontal_scroll(phone) == 0
    phone.screenshot(path=str(IMG / f"assignment-student-1920x1080-{lang}.png"))
    phone.context.close()

    teacher.reload()
    row = teacher.locator(f'tr[data-student="{NICKNAME[lang]}"]')
    expect(row).to_contain_text("1 / 3")
    expect(row).to_contain_text("100 %")
    assert teacher.locator("tr[data-value]").count() == 3
    qr = measure_qr(teacher)
    assert qr["inside"] and qr["width"] >= 300, qr
    assert min_font(teacher, ".debrief-table td, .share-link") >= 22
    assert horizontal_scroll(teacher) == 0
    teacher.screenshot(path=str(IMG / f"assignment-teacher-1920x1080-{lang}.png"))
    teacher.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    teacher.reload()
    assert horizontal_scroll(teacher) == 0
    assert min_font(teacher, ".debrief-table td") >= 16
    qr = measure_qr(teacher)
    assert qr["width"] >= 300 and qr["x"] >= 0 and qr["x"] + qr["width"] <= PHONE[0], qr
    teacher.screenshot(path=str(IMG / f"assignment-teacher-390x844-{lang}.png"), full_page=True)
    teacher.context.close()
