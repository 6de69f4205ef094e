"""A class on the local network (karuta/lan.py): phones get a join link and QR they can reach,
the host is told when they cannot, and the README's set-up commands do what it says."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client as Browser

from karuta import lan
from tests.conftest import ROOT

WARNING_EN = "Phones cannot open this link: it leads to this computer only."
WARNING_JA = "スマートフォンからはこのリンクを開けません。"


@pytest.mark.parametrize(
    ("page", "listen", "lan_found", "expected"),
    [
        ("127.0.0.1:8000", "0.0.0.0", ["192.168.1.23"], "192.168.1.23:8000"),
        ("localhost:8000", "::", ["10.0.0.5", "192.168.1.23"], "10.0.0.5:8000"),
        ("127.0.0.1", "0.0.0.0", ["10.0.0.5"], "10.0.0.5"),
        ("[::1]:8000", "0.0.0.0", ["10.0.0.5"], "10.0.0.5:8000"),
        ("127.0.0.1:8000", "192.168.1.40", [], "192.168.1.40:8000"),
        ("127.0.0.1:8000", "fd00::2", [], "[fd00::2]:8000"),
        # Opened with an address phones can reach already: kept as it is.
        ("192.168.1.23:8000", "0.0.0.0", ["10.0.0.5"], "192.168.1.23:8000"),
        ("karuta.example.org", "0.0.0.0", ["10.0.0.5"], "karuta.example.org"),
        # Listening on loopback only, or no LAN address found: nothing better to offer.
        ("127.0.0.1:8000", "127.0.0.1", ["192.168.1.23"], "127.0.0.1:8000"),
        ("127.0.0.1:8000", "", ["192.168.1.23"], "127.0.0.1:8000"),
        ("127.0.0.1:8000", "0.0.0.0", [], "127.0.0.1:8000"),
    ],
)
def test_it_chooses_a_host_phones_can_reach(page, listen, lan_found, expected):
    assert lan.join_host(page, listen, lan_found) == expected


def test_it_knows_loopback_hosts():
    for host in ("127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:80", "[::1]:8000",
                 "::1", "app.localhost", "127.1.2.3"):  # fmt: skip
        assert lan.is_loopback(host), host
    for host in ("192.168.1.23:8000", "10.0.0.5", "karuta.example.org", "[fd00::2]:8000"):
        assert not lan.is_loopback(host), host


def test_the_lan_addresses_are_ones_other_machines_can_reach():
    found = lan.lan_addresses()
    for address in found:
        assert not lan.is_loopback(address)
        assert not address.startswith("169.254.")


def test_make_run_prints_where_the_class_joins(capsys):
    lan.main(["0.0.0.0", "8000"])
    out = capsys.readouterr().out
    for address in lan.lan_addresses():
        assert f"Phones on this network: http://{address}:8000/" in out
    lan.main(["127.0.0.1", "8000"])
    assert "make run HOST=0.0.0.0" in capsys.readouterr().out


def settings_of(env: dict, names: list[str]) -> dict:
    """Some settings as the project computes them from ``env`` (a fresh process)."""
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    full = {**os.environ, **env, "SECRET_KEY": "x"}
    full.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=full, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def test_serving_the_network_allows_the_lan_addresses_and_the_machine_name():
    found = settings_of({"LISTEN_HOST": "0.0.0.0"}, ["ALLOWED_HOSTS", "LAN_ADDRESSES"])
    assert found["LAN_ADDRESSES"] == lan.lan_addresses()
    for address in found["LAN_ADDRESSES"]:
        assert address in found["ALLOWED_HOSTS"]
    assert "127.0.0.1" in found["ALLOWED_HOSTS"]  # the teacher's own page still opens
    quiet = settings_of({}, ["ALLOWED_HOSTS", "LAN_ADDRESSES"])
    assert quiet["LAN_ADDRESSES"] == []
    assert set(quiet["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost", "[::1]", "testserver"}


def test_a_public_url_is_allowed_and_trusted_for_forms():
    found = settings_of(
        {"PUBLIC_URL": "https://karuta.example.org/"},
        ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "PUBLIC_URL"],
    )
    assert found["PUBLIC_URL"] == "https://karuta.example.org"
    assert "karuta.example.org" in found["ALLOWED_HOSTS"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://karuta.example.org"]


def test_with_redis_the_join_counters_live_in_the_shared_cache():
    found = settings_of({"REDIS_URL": "redis://127.0.0.1:6390/0"}, ["CACHES"])
    assert found["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6390/0"
    assert "locmem" in settings_of({}, ["CACHES"])["CACHES"]["default"]["BACKEND"]


# --- the host page ----------------------------------------------------------------------------


def hosted_room(browser: Browser, lang: str, host: str) -> tuple[str, str]:
    """A room made by ``browser``'s click on "Create a room"; (code, host page HTML)."""
    response = browser.post(f"/{lang}/play/new/", HTTP_HOST=host)
    code = response["Location"].rstrip("/").split("/")[-2]
    page = browser.get(f"/{lang}/play/{code}/host/", HTTP_HOST=host)
    assert page.status_code == 200
    return code, page.content.decode()


@pytest.mark.django_db
def test_opened_on_loopback_while_serving_the_network_the_link_and_qr_use_the_lan(deck, settings):
    settings.LISTEN_HOST = "0.0.0.0"
    settings.LAN_ADDRESSES = ["192.168.1.23"]
    teacher = Browser()
    code, page = hosted_room(teacher, "en", "127.0.0.1:8000")
    link = f"http://192.168.1.23:8000/en/play/{code}/"
    assert f'id="join-link">{link}</a>' in page
    assert WARNING_EN not in page
    qr = teacher.get(f"/en/play/{code}/qr.svg", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert f"<title>{link}</title>" in qr
    screen = teacher.get(f"/en/play/{code}/screen/", HTTP_HOST="localhost:8000").content.decode()
    assert f"http://192.168.1.23:8000/en/play/{code}/" in screen


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "warning"), [("en", WARNING_EN), ("ja", WARNING_JA)])
def test_a_loopback_join_link_is_flagged_on_the_host_page(deck, settings, lang, warning):
    settings.LISTEN_HOST = "127.0.0.1"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "192.168.1.23"]
    code, page = hosted_room(Browser(), lang, "127.0.0.1:8000")
    assert f'id="join-link">http://127.0.0.1:8000/{lang}/play/{code}/</a>' in page
    assert warning in page
    assert "<code>make run HOST=0.0.0.0</code>" in page
    # Opened with an address phones reach, no warning.
    _, reachable = hosted_room(Browser(), lang, "192.168.1.23:8000")
    assert warning not in reachable


@pytest.mark.django_db
def test_a_public_url_overrides_the_join_link(deck, settings):
    settings.PUBLIC_URL = "https://karuta.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "karuta.example.org"]
    teacher = Browser()
    code, page = hosted_room(teacher, "ja", "127.0.0.1:8000")
    assert f'id="join-link">https://karuta.example.org/ja/play/{code}/</a>' in page
    assert WARNING_JA not in page
    survey_qr = teacher.get(f"/ja/play/{code}/qr.svg?for=survey", HTTP_HOST="127.0.0.1:8000")
    assert f"<title>https://karuta.example.org/ja/survey/room/{code}/</title>" in (
        survey_qr.content.decode()
    )


# --- the README's admin account ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_account_is_made_without_questions(monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "teacher")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long class password")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "teacher@example.org")
    call_command("createsuperuser", interactive=False, verbosity=0)
    user = get_user_model().objects.get(username="teacher")
    assert user.is_superuser and user.is_staff
    assert user.check_password("a long class password")
