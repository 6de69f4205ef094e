"""Every page under the strict Content-Security-Policy (karuta/settings.py), in Chromium: no
violation on any page a class, a host, a researcher or an admin opens, the room pages still
talk over their websocket (connect-src 'self'), and the field colours still come through
(fields.css instead of inline styles). The header itself: tests/test_security_headers.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import seed_rooms

pytestmark = pytest.mark.browser

STAFF = ("csp-admin", "pw-csp-admin-5823")


@pytest.fixture(scope="module")
def rooms(server) -> dict:
    stages = ("lobby", "reading", "finished")
    specs = [{"stage": stage, "players": 6, "takes": 3} for stage in stages]
    return dict(zip(stages, seed_rooms(server, specs), strict=True))


@pytest.fixture(scope="module")
def staff(server):
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "from surveys.models import Group, GroupRoom; "
        f"User.objects.filter(username={STAFF[0]!r}).exists() or "
        f"User.objects.create_superuser({STAFF[0]!r}, 'a@example.org', {STAFF[1]!r}); "
        "g, _ = Group.objects.get_or_create(name='CSP seminar'); print('GROUP', g.pk)",
    )
    return STAFF


class Watched:
    """A tab whose CSP violations (the ``securitypolicyviolation`` events of every document
    it opens, and Chromium's console reports of them) and script errors are collected."""

    def __init__(self, browser, storage: dict | None = None, **options) -> None:
        self.context = browser.new_context(locale="en-GB", **options)
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.context.expose_function("reportViolation", lambda text: self.violations.append(text))
        script = (
            "document.addEventListener('securitypolicyviolation', (e) => window.reportViolation("
            "`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI} at "
            "${e.sourceFile}:${e.lineNumber} ${e.sample}`));"
        )
        for key, value in (storage or {}).items():
            script += f"localStorage.setItem({key!r}, {value!r});"
        self.context.add_init_script(script)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def assert_clean(self) -> None:
        # Violations are reported asynchronously: one round trip through the page lets the
        # last events arrive before the tab is judged.
        self.page.evaluate("() => new Promise((done) => setTimeout(done, 50))")
        assert self.violations == [], self.violations
        assert self.errors == [], self.errors

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser):
    opened: list[Watched] = []

    def make(**options) -> Watched:
        opened.append(Watched(browser, **options))
        return opened[-1]

    yield make
    for watched in opened:
        watched.close()


def border_colour(page, selector: str) -> str:
    return page.locator(selector).first.evaluate(
        "node => getComputedStyle(node).getPropertyValue('--field').trim()"
    )


def test_the_public_pages_keep_to_the_policy(server, tab):
    watched = tab()
    for path in ("/en/", "/en/play/", "/en/rules/", "/en/study/", "/en/print/",
                 "/en/play/ZZZZZ/", "/ja/"):  # fmt: skip
        watched.open(server.url + path)
    watched.open(f"{server.url}/en/study/")
    slug = watched.page.locator(".study-card").first.get_attribute("id").removeprefix("card-")
    watched.open(f"{server.url}/en/study/{slug}/")
    watched.open(f"{server.url}/en/play/?error=%3Cscript%3Ealert(1)%3C/script%3E")
    watched.assert_clean()


def test_field_colours_come_from_the_stylesheet(server, tab):
    watched = tab()
    watched.open(f"{server.url}/en/")
    # The deck's colours (fixtures/deck.json), as the pages showed them with inline styles.
    assert border_colour(watched.page, ".field-list li") == "#1f6fb2"
    colours = watched.page.locator(".field-list li").evaluate_all(
        "nodes => nodes.map(n => getComputedStyle(n).borderLeftColor)"
    )
    assert len(set(colours)) == 4, colours
    watched.open(f"{server.url}/en/study/")
    assert border_colour(watched.page, ".study-card") in {
        "#1f6fb2",
        "#7b3fa0",
        "#c0392b",
        "#1e8449",
    }
    watched.assert_clean()


def test_the_room_pages_keep_to_the_policy_and_their_sockets_work(server, rooms, tab):
    for stage, room in rooms.items():
        code = room["code"]
        nickname = next(iter(room["seats"]))
        storage = {f"vk-host-{code}": room["host"], f"vk-seat-{code}": room["seats"][nickname]}
        watched = tab(storage=storage)
        for path in (f"/en/play/{code}/host/", f"/en/play/{code}/screen/", f"/en/play/{code}/"):
            watched.open(server.url + path)
            # data-state comes from the snapshot: the websocket was allowed to connect.
            expect(watched.page.locator("body")).to_have_attribute("data-state", stage)
        if stage == "finished":  # the end screen leads to the questionnaire
            expect(watched.page.locator("#survey-link")).to_be_visible()
            link = watched.page.locator("#survey-link").get_attribute("href")
            watched.open(link if link.startswith("http") else server.url + link)
            expect(watched.page.locator("[data-submit]")).to_be_visible()
        watched.assert_clean()


def test_the_host_lobby_settings_keep_their_field_colours(server, rooms, tab):
    code = rooms["lobby"]["code"]
    watched = tab(storage={f"vk-host-{code}": rooms["lobby"]["host"]})
    watched.open(f"{server.url}/en/play/{code}/host/")
    expect(watched.page.locator("body")).to_have_attribute("data-state", "lobby")
    assert border_colour(watched.page, ".settings fieldset label[data-field]") == "#1f6fb2"
    watched.assert_clean()


def test_the_research_pages_and_the_admin_keep_to_the_policy(server, staff, rooms, tab):
    watched = tab(viewport={"width": 1366, "height": 768})
    watched.open(f"{server.url}/admin/login/?next=/en/survey/research/")
    watched.page.fill("#id_username", staff[0])
    watched.page.fill("#id_password", staff[1])
    watched.page.click("input[type=submit]")
    watched.page.wait_for_url("**/survey/research/")
    group = watched.page.locator("a[href*='/survey/research/group/']").first
    watched.open(server.url + group.get_attribute("href"))
    for path in (
        "/admin/",
        "/admin/games/valuetype/",
        "/admin/games/valuetype/1/change/",
        "/admin/games/room/",
        "/admin/games/room/add/",
        "/admin/surveys/group/import/",
        "/admin/surveys/response/",
        "/admin/auth/user/",
        "/admin/auth/user/1/change/",
    ):
        watched.open(server.url + path)
        expect(watched.page.locator("#content")).to_be_visible()
    # The admin's own scripts run: the change list's "select all" box ticks every row.
    watched.open(f"{server.url}/admin/games/valuetype/")
    watched.page.locator("#action-toggle").check()
    expect(watched.page.locator("input.action-select:checked")).to_have_count(24)
    # A finished game's debrief (staff may see rooms): its cards take their field's colour.
    watched.open(f"{server.url}/en/play/{rooms['finished']['code']}/debrief/")
    expect(watched.page.locator("#players-title")).to_be_visible()
    watched.assert_clean()
