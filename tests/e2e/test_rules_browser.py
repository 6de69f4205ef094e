"""Issue 9, "Smaller", in a real Chromium: the rules tutorial's pictures are drawn (no emoji
that a machine without a colour emoji font shows as empty boxes), the keyboard focus ring is
visible on every surface (WCAG 2.2: at least 3:1 against what is around it), and the
questionnaire counts the questions answered as the player goes."""

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import LAPTOP, PHONE, horizontal_scroll, open_page
from tests.surveys.conftest import seed_room

pytestmark = pytest.mark.browser

# Relative luminance and contrast ratio as WCAG 2 defines them, for "rgb(r, g, b[, a])".
CONTRAST = """
(() => {
  const parse = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const channel = v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [x, y] = [luminance(parse(a)), luminance(parse(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  // The colour painted behind a node: the first opaque background up its ancestors.
  const behind = node => {
    for (let n = node; n; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      const parts = parse(c);
      if (parts.length === 3 || (parts.length === 4 && parts[3] > 0.5)) return c;
    }
    return "rgb(255, 255, 255)";
  };
  return {ratio, behind};
})()
"""

RING = (
    """node => {
  const {ratio, behind} = """
    + CONTRAST
    + """;
  const style = getComputedStyle(node);
  const ring = style.outlineColor;
  const width = parseFloat(style.outlineWidth), offset = parseFloat(style.outlineOffset);
  const around = behind(node.parentElement);
  // A halo drawn by box-shadow ("rgb(…) 0px 0px 0px 7px"): what lies right inside and right
  // outside the ring is the halo where it reaches, else the surface around the element.
  const shadow = style.boxShadow === 'none' ? null : style.boxShadow;
  const halo = shadow && shadow.match(/rgba?\\([^)]*\\)/)[0];
  const lengths = shadow ? shadow.replace(/rgba?\\([^)]*\\)/, '').trim().split(/\\s+/) : [];
  const spread = parseFloat(lengths[3] || 0);
  const own = parseFloat((style.backgroundColor.match(/[\\d.]+/g) || [0, 0, 0, 0])[3] ?? 1) > 0.5
    ? style.backgroundColor : around;
  const inside = offset <= 0 ? own : (halo && spread >= offset ? halo : around);
  const outside = halo && spread >= offset + width ? halo : around;
  return {
    focusVisible: node.matches(':focus-visible'),
    ring, width, style: style.outlineStyle, around, inside, outside,
    againstAround: ratio(ring, around),
    againstInside: ratio(ring, inside),
    againstOutside: ratio(ring, outside),
    againstPaper: ratio(ring, getComputedStyle(document.documentElement).getPropertyValue('--paper')
      .trim().replace(/^#(..)(..)(..)$/, (m, r, g, b) =>
        `rgb(${parseInt(r, 16)}, ${parseInt(g, 16)}, ${parseInt(b, 16)})`)),
  };
}"""
)


def focus_ring(page, selector: str) -> dict:
    """Focus the first match from the keyboard and measure its focus ring."""
    node = page.locator(selector).first
    node.scroll_into_view_if_needed()
    page.keyboard.press("Tab")  # a keyboard user: focus is shown (:focus-visible)
    node.evaluate("node => node.focus()")
    return node.evaluate(RING)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_rules_picture_is_drawn(browser, server, lang, size):
    page = open_page(browser, f"{server.url}/{lang}/rules/", lang, size)
    pictures = page.locator(".step-art svg, .step-art img")
    steps = page.locator(".rules-steps > li")
    expect(steps).to_have_count(4)
    for index in range(4):
        assert steps.nth(index).locator("svg, img").count() >= 1, f"step {index + 1}"
    page.wait_for_load_state("load")
    measured = pictures.evaluate_all(
        """nodes => nodes.map(node => {
            const r = node.getBoundingClientRect();
            return {tag: node.tagName, width: r.width, height: r.height,
                    loaded: node.tagName !== 'IMG' || (node.complete && node.naturalWidth > 0)};
        })"""
    )
    assert measured
    for picture in measured:
        assert picture["width"] > 0 and picture["height"] > 0, picture
        assert picture["loaded"], picture
    # The deck's pictures inside the drawings arrived as SVG.
    statuses = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/pictograms/'))
            .map(e => [e.name, e.responseStatus])"""
    )
    assert statuses and all(status == 200 for _name, status in statuses), statuses
    assert horizontal_scroll(page) == 0
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_focus_ring_stands_out_on_every_surface(browser, server, lang):
    page = open_page(browser, f"{server.url}/{lang}/rules/", lang, LAPTOP)
    checks = {
        "header link (paper)": ".site-header nav a",
        "language button": ".lang-switch button",
        "button on the tip (yellow)": ".tip .button",
    }
    results = {name: focus_ring(page, selector) for name, selector in checks.items()}
    page.goto(f"{server.url}/{lang}/study/")
    results["card (paper, field colour)"] = focus_ring(page, ".card-flip")
    results["summary on a card"] = focus_ring(page, ".yomifuda summary")
    seed_room(server, f"RING1{lang.upper()}")  # a questionnaire is a real room's
    page.goto(f"{server.url}/{lang}/survey/room/RING1{lang.upper()}/")
    ring = focus_ring(page, "#q-A input[type=radio]")
    ring_box = page.locator("#q-A label.choice").first.evaluate(RING)
    results["questionnaire choice"] = {**ring_box, "focusVisible": ring["focusVisible"]}
    for name, ring in results.items():
        assert ring["focusVisible"], name
        assert ring["style"] != "none" and ring["width"] >= 2, (name, ring)
        # The ring against the page around it (what the same pixels show unfocused), against
        # what touches it on either side, and against the cards' paper.
        for against in ("againstAround", "againstInside", "againstOutside", "againstPaper"):
            assert ring[against] >= 3, (name, against, ring)
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_questionnaire_counts_the_answers_as_they_are_given(browser, server, lang):
    seed_room(server, f"COUNT1{lang.upper()}")
    page = open_page(browser, f"{server.url}/{lang}/survey/room/COUNT1{lang.upper()}/", lang, PHONE)
    progress = page.locator("[data-progress]")
    bar = page.locator("[data-progress] progress")
    expect(bar).to_have_attribute("value", "0")
    total = bar.get_attribute("max")
    page.locator("#q-A label.choice").first.click()
    expect(bar).to_have_attribute("value", "1")
    page.fill("textarea[name=G]", "Fun" if lang == "en" else "楽しい")
    expect(bar).to_have_attribute("value", "2")
    page.locator("#q-E2 label.choice").first.click()
    expect(bar).to_have_attribute("value", "3")
    page.fill("textarea[name=G]", "")
    expect(bar).to_have_attribute("value", "2")
    if lang == "en":
        expect(progress).to_contain_text(f"2 of {total} questions answered")
    else:
        expect(progress).to_contain_text(f"全{total}問中2問に回答済み")
    # The count stays in sight while the player scrolls through the questions.
    page.locator("#q-G2").scroll_into_view_if_needed()
    r = progress.evaluate("n => { const r = n.getBoundingClientRect(); return [r.top, r.bottom]; }")
    assert r[0] >= -1 and r[1] <= 844
    assert horizontal_scroll(page) == 0
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_card_page_with_a_doi_fits_a_phone(browser, server, lang):
    """The cited handle and DOI are long unbroken links: they wrap instead of widening the
    page of a phone."""
    for slug, link in (("cultural-value", "hdl.handle.net"), ("dominant-social-value", "doi.org")):
        page = open_page(browser, f"{server.url}/{lang}/study/{slug}/", lang, PHONE)
        anchor = page.locator(f".card-facts a[href*='{link}']")
        expect(anchor).to_be_visible()
        assert horizontal_scroll(page) == 0, slug
        right = anchor.evaluate("n => n.getBoundingClientRect().right")
        assert right <= PHONE[0], (slug, right)
        page.locator(".yomifuda summary").click()
        inner = page.locator(f".yomifuda a[href*='{link}']")
        expect(inner).to_be_visible()
        box = page.locator(".yomifuda").evaluate("n => n.getBoundingClientRect().right")
        assert inner.evaluate("n => n.getBoundingClientRect().right") <= box + 1
        page.context.close()
