"""What the responses tell a browser: a strict Content-Security-Policy on every page, and with
``HTTPS=1`` HSTS, a redirect to https (not for the proxy's health check and the scraper),
secure cookies; `manage.py check --deploy` is clean in the production environment that
docs/deploy.md documents. The pages load without a CSP violation in Chromium:
tests/e2e/test_csp_browser.py.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest

from tests.conftest import make_server

ROOT = Path(__file__).resolve().parent.parent

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/play/", "/en/study/", "/admin/login/"])
def test_every_page_carries_the_strict_policy(client, deck, path):
    response = client.get(path)
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == STRICT


@pytest.mark.django_db
def test_the_play_page_does_not_reflect_an_error_parameter(client):
    response = client.get("/en/play/", {"error": "<b>x</b> Your room was closed, call 0800"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your room was closed" not in html
    assert "&lt;b&gt;x" not in html
    assert 'role="alert"' not in html


@pytest.mark.django_db
def test_field_colours_are_a_stylesheet_of_plain_colours(client, deck):
    from games.models import Field

    Field.objects.filter(code="economics").update(color="red;}*")  # not a colour: left out
    response = client.get("/fields.css")
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert '[data-field="psychology"] { --field: #7b3fa0; }' in css
    assert "economics" not in css and "red" not in css


# --- HTTPS=1 on a real server ----------------------------------------------------------------


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str):
    """(status, headers) of a GET that follows no redirect."""
    opener = build_opener(NoRedirect)
    try:
        with opener.open(Request(url, headers=headers), timeout=10) as response:
            return response.status, response.headers
    except HTTPError as error:
        return error.code, error.headers


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """daphne as behind nginx with TLS: HTTPS=1, X-Forwarded-Proto tells the scheme."""
    server = make_server(tmp_path_factory.mktemp("https"), {"HTTPS": "1"})
    yield server
    server.stop()


def test_with_https_plain_http_is_redirected(https_server):
    status, headers = fetch(f"{https_server.url}/en/play/")
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{https_server.port}/en/play/"


def test_with_https_the_health_check_and_the_scraper_are_answered_over_http(https_server):
    assert fetch(f"{https_server.url}/healthz")[0] == 200
    assert fetch(f"{https_server.url}/metrics")[0] == 200  # a loopback scraper


def test_with_https_pages_send_hsts_for_a_day_and_secure_cookies(https_server):
    status, headers = fetch(f"{https_server.url}/en/play/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=86400"  # no subdomains, no preload
    assert policy(headers["Content-Security-Policy"]) == STRICT
    cookies = headers.get_all("Set-Cookie")
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf


def test_hsts_lasts_as_long_as_the_environment_says(tmp_path):
    env = {"HTTPS": "1", "SECURE_HSTS_SECONDS": "31536000", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1"}
    server = make_server(tmp_path, env)
    try:
        status, headers = fetch(f"{server.url}/en/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    finally:
        server.stop()


def test_without_https_there_is_no_redirect_and_no_hsts(client, db):
    response = client.get("/en/play/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


# --- check --deploy ----------------------------------------------------------------------------


def documented_environment() -> dict[str, str]:
    """The .env of docs/deploy.md's worked set-up, with a real secret in place of the
    placeholder."""
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"<<'ENV'\n(.*?)\nENV\n", deploy, flags=re.S)
    assert block, "docs/deploy.md has no .env block"
    env = dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)
    assert env["SECRET_KEY"].startswith("change-me")
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def test_check_deploy_is_clean_in_the_documented_production_environment(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        **documented_environment(),
    }
    assert env["HTTPS"] == "1" and "DEBUG" not in env
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output
