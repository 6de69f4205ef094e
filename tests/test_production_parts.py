"""The same code on the production parts: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)."""

import json
from urllib.request import urlopen

from tests.conftest import make_server


def test_it_runs_on_postgresql_and_redis(tmp_path, postgres_url, redis_url):
    server = make_server(tmp_path, {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url})
    try:
        with urlopen(f"{server.url}/healthz") as response:
            assert json.load(response) == {"status": "ok", "database": "ok", "channel_layer": "ok"}
        vendor = server.manage("shell", "-c", "from django.db import connection; "
                               "print(connection.vendor)")  # fmt: skip
        assert vendor.strip().splitlines()[-1] == "postgresql"
        with urlopen(f"{server.url}/en/study/") as response:
            html = response.read().decode()
        assert html.count('class="study-card"') == 24
        # Loading again on PostgreSQL updates in place as on SQLite.
        assert "0 created" in server.manage("load_deck")
    finally:
        server.stop()


def test_health_check_reports_a_dead_channel_layer(tmp_path):
    server = make_server(tmp_path, {"REDIS_URL": "redis://127.0.0.1:1/0"})
    try:
        try:
            urlopen(f"{server.url}/healthz")
            raise AssertionError("expected 503")
        except Exception as exc:  # urllib raises HTTPError for 503
            assert getattr(exc, "code", None) == 503
            body = json.load(exc)
            assert body["database"] == "ok"
            assert body["channel_layer"].startswith("error")
    finally:
        server.stop()
