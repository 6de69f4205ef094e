"""A class on the local network, in Chromium: served as `make run HOST=0.0.0.0` serves it, the
teacher opens the host page on 127.0.0.1 and gets a join link with the machine's LAN address;
a phone opening that link (the LAN address is an allowed host, its websocket origin too) joins
the room. Served on loopback only, the host page says phones cannot reach the link."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from bench.servers import free_port
from karuta import lan
from tests.conftest import ROOT, server_env, sqlite_template, wait_for_daphne
from tests.e2e.layout import LAPTOP, PHONE, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def lan_server(tmp_path):
    """daphne on every interface, told so through LISTEN_HOST (the Makefile's `run` does both)."""
    addresses = lan.lan_addresses()
    if not addresses:
        pytest.skip("this machine has no LAN address to serve on")
    shutil.copyfile(sqlite_template(), tmp_path / "db.sqlite3")
    env = server_env(tmp_path, {"LISTEN_HOST": "0.0.0.0"})
    port = free_port()
    log = tmp_path / "daphne.log"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "0.0.0.0", "-p", str(port),
             "karuta.asgi:application"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_daphne(process, f"http://127.0.0.1:{port}/healthz", log)
        yield port, addresses[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_phone_joins_through_the_lan_link_of_a_host_page_opened_on_loopback(
    browser, lan_server, lang
):
    port, address = lan_server
    create = {"en": "Create a room", "ja": "ルームを作る"}[lang]
    host = open_page(browser, f"http://127.0.0.1:{port}/{lang}/play/", lang, LAPTOP)
    host.get_by_role("button", name=create).click()
    expect(host).to_have_url(re.compile(rf"/{lang}/play/[A-Z0-9]{{5}}/host/$"))
    code = host.locator("#room-code").inner_text()
    link = f"http://{address}:{port}/{lang}/play/{code}/"
    expect(host.locator("#join-link")).to_have_text(link)
    expect(host.locator("#join-warning")).to_have_count(0)

    phone = open_page(browser, link, lang, PHONE)
    phone.locator("#nickname").fill("Aki")
    phone.locator("#nickname").press("Enter")
    expect(phone.locator("#me")).to_contain_text("Aki")  # the websocket from the LAN origin
    expect(host.locator("#scores")).to_contain_text("Aki")
    host.context.close()
    phone.context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390x844", "1366x768"])
def test_a_loopback_join_link_is_flagged_on_the_host_page(browser, server, lang, size):
    create = {"en": "Create a room", "ja": "ルームを作る"}[lang]
    text = {"en": "Phones cannot open this link", "ja": "スマートフォンからはこのリンクを開け"}
    host = open_page(browser, f"{server.url}/{lang}/play/", lang, size)
    host.get_by_role("button", name=create).click()
    warning = host.locator("#join-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(text[lang])
    expect(warning.locator("code")).to_have_text("make run HOST=0.0.0.0")
    # Inside the screen's width, nothing of it cut off.
    box = warning.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]
    assert warning.evaluate("node => node.scrollWidth <= node.clientWidth")
    host.context.close()
