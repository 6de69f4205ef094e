"""Admin login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
username from one address, that username is refused from that address, even with the right
password, for the cool-off. Before: 50 wrong passwords in 17 s, then the right one accepted.

Locked by username *and* address: a student guessing a teacher's password from the classroom
locks that pair only; the teacher still signs in from elsewhere. The address is the one every
other limit counts (games.limits.client_address: behind a trusted proxy, the rightmost
X-Forwarded-For entry it did not write)."""

from __future__ import annotations

import re
from datetime import timedelta
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from django.contrib.auth.models import User

from tests.conftest import make_server

PASSWORD = "right-horse-battery-staple"
STUDENT = "203.0.113.5"  # the classroom's address, as nginx saw it
TEACHER = "198.51.100.7"  # the teacher's office


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser on the login form of a live server, from one address (behind nginx on the
    machine: X-Forwarded-For is what nginx writes, TRUSTED_PROXIES=127.0.0.1)."""

    def __init__(self, base: str, address: str, language: str = "en") -> None:
        self.base, self.address, self.language = base, address, language
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirect())

    def _open(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        request = Request(
            self.base + path,
            data=urlencode(data).encode() if data is not None else None,
            headers={"X-Forwarded-For": self.address, "Accept-Language": self.language},
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def sign_in(self, username: str, password: str) -> tuple[int, str, dict]:
        _status, form, _headers = self._open("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        return self._open(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password,
             "next": "/admin/"},
        )  # fmt: skip


def test_the_right_password_is_refused_after_the_limit_on_a_live_server(tmp_path):
    server = make_server(tmp_path, {"TRUSTED_PROXIES": "127.0.0.1", "AXES_FAILURE_LIMIT": "5",
                                    "AXES_COOLOFF_MINUTES": "15"})  # fmt: skip
    try:
        server.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User\n"
            f"for name in ('teacher', 'colleague'):\n"
            f"    User.objects.create_user(name, password={PASSWORD!r}, is_staff=True)\n",
        )
        student = Browser(server.url, STUDENT)
        for attempt in range(4):
            status, page, _headers = student.sign_in("teacher", f"guess-{attempt}")
            assert status == 200 and "Please enter the correct username" in page, attempt
        status, page, headers = student.sign_in("teacher", "guess-4")
        assert status == 429, "the fifth failure locks the pair"
        status, page, headers = student.sign_in("teacher", PASSWORD)
        assert status == 429, "the right password is refused during the cool-off"
        assert "Too many failed sign-ins" in page and "15 minutes" in page
        assert headers["Retry-After"] == str(15 * 60)
        assert "Please enter the correct username" not in page

        japanese = Browser(server.url, STUDENT, language="ja")
        status, page, _headers = japanese.sign_in("teacher", PASSWORD)
        assert status == 429 and "ログインの失敗が多すぎます" in page and "15 分" in page

        # The same username from the teacher's office, another username from the classroom.
        assert Browser(server.url, TEACHER).sign_in("teacher", PASSWORD)[0] == 302
        assert Browser(server.url, STUDENT).sign_in("colleague", PASSWORD)[0] == 302
        # A forged entry to the left of nginx's own is not another address.
        forged = Browser(server.url, f"192.0.2.99, {STUDENT}")
        assert forged.sign_in("teacher", PASSWORD)[0] == 429

        # Fifteen minutes later (the attempts' clock moved back): the right password works.
        server.manage(
            "shell",
            "-c",
            "from datetime import timedelta\n"
            "from axes.models import AccessAttempt\n"
            "for a in AccessAttempt.objects.all():\n"
            "    a.attempt_time -= timedelta(minutes=15, seconds=1)\n"
            "    a.save(update_fields=['attempt_time'])\n",
        )
        assert Browser(server.url, STUDENT).sign_in("teacher", PASSWORD)[0] == 302
    finally:
        server.stop()


# --- in process: the settings and the address ---------------------------------------------


def post_login(client, username: str, password: str, **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    client.get("/admin/login/", **extra)
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


@pytest.fixture
def teacher(db):
    return User.objects.create_user("teacher", password=PASSWORD, is_staff=True)


def test_limit_and_cool_off_come_from_the_settings(client, teacher, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)
    assert post_login(client, "teacher", "wrong").status_code == 200
    locked = post_login(client, "teacher", "wrong")
    assert locked.status_code == 429
    assert "3 minutes" in locked.content.decode() and locked["Retry-After"] == "180"
    assert post_login(client, "teacher", PASSWORD).status_code == 429


def test_a_success_before_the_limit_forgets_the_failures(client, teacher):
    for _ in range(4):
        assert post_login(client, "teacher", "typo").status_code == 200
    assert post_login(client, "teacher", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "teacher", "typo").status_code == 200
    assert post_login(client, "teacher", PASSWORD).status_code == 302


def test_the_address_is_the_one_the_limits_use(client, teacher, settings):
    """Without TRUSTED_PROXIES a forged X-Forwarded-For changes nothing; behind the proxy the
    client's own entry counts."""
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        post_login(client, "teacher", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert post_login(client, "teacher", PASSWORD).status_code == 429
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    behind = post_login(client, "teacher", PASSWORD, HTTP_X_FORWARDED_FOR=TEACHER)
    assert behind.status_code == 302
