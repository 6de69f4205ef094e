"""Study mode in a real Chromium: open it, switch language, flip a card, read its yomifuda."""

import pytest

pytestmark = pytest.mark.browser


def test_study_mode_switch_language_and_flip_a_card(server, page):
    page.goto(f"{server.url}/en/study/")
    first = page.locator(".study-card").first
    assert page.locator(".study-card").count() == 24
    assert first.locator(".front .card-name").inner_text() == "Use value"

    page.get_by_role("button", name="日本語").click()
    page.wait_for_url(f"{server.url}/ja/study/")
    assert page.locator("html").get_attribute("lang") == "ja"
    first = page.locator(".study-card").first
    assert first.locator(".front .card-name").inner_text() == "使用価値"

    flip = first.locator("[data-flip]")
    assert flip.get_attribute("aria-pressed") == "false"
    assert not first.locator(".back").is_visible()
    flip.click()
    assert flip.get_attribute("aria-pressed") == "true"
    assert first.locator(".back").is_visible()
    assert not first.locator(".front").is_visible()
    assert "概念" in first.locator(".back").inner_text()

    # Keyboard users flip with Enter too.
    flip.focus()
    page.keyboard.press("Enter")
    assert first.locator(".front").is_visible()

    first.locator("summary").click()
    assert first.locator(".yomifuda p").first.is_visible()


def test_field_filter_and_bilingual_cards(server, page):
    page.goto(f"{server.url}/ja/study/")
    page.get_by_role("link", name="心理学 (2)").click()
    assert page.locator(".study-card").count() == 2
    page.get_by_role("switch").click()
    assert page.locator(".card-name-sub").first.inner_text() == "Terminal value"
    assert page.locator(".study-card").count() == 2
