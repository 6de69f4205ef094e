"""Shared test fixtures: the deck, real servers (daphne, redis-server) and a real browser.

Missing system parts (redis-server, Chromium) skip their tests with a clear reason on a
developer's machine and fail them in CI (CI=true), where .ci/run installs them.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.servers import RedisProcess, free_port, wait_for

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def require(condition: bool, what: str) -> None:
    """Skip (fail in CI) when a system component the test needs is missing."""
    if condition:
        return
    message = f"{what} is not installed here (.ci/run installs it in CI)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def deck(db):
    """The full 24-value deck from fixtures/deck.json, loaded as `make run` loads it."""
    from games.deck import load_deck
    from games.models import ValueType

    load_deck()
    return list(ValueType.objects.select_related("field"))


@dataclass
class Server:
    """A daphne process serving the app on loopback, with its own SQLite database."""

    url: str
    env: dict
    process: subprocess.Popen
    port: int

    def manage(self, *args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def stop(self, sig: int | None = None) -> None:
        if self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            self.process.wait(timeout=10)

    def start(self) -> None:
        self.process = start_daphne(self.env, self.port)


def start_daphne(env: dict, port: int) -> subprocess.Popen:
    log = open(Path(env["KARUTA_TEST_DIR"]) / f"daphne-{port}.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "karuta.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process


def make_server(tmp_path: Path, extra_env: dict | None = None) -> Server:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "KARUTA_TEST_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for args in (["migrate", "--noinput"], ["load_deck"]):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = free_port()
    return Server(
        url=f"http://127.0.0.1:{port}", env=env, process=start_daphne(env, port), port=port
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """One live daphne server for the browser tests of a session."""
    srv = make_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A private redis-server on a free loopback port, started for this test session."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    redis = RedisProcess(binary, free_port(), tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis.url
    redis.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    require(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> Iterator[str]:
    """A private PostgreSQL cluster on a free loopback port, made for this test session.

    PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user that
    Debian's package creates.
    """
    bindir = postgres_bin()
    require(bindir is not None, "PostgreSQL (initdb)")
    # Not under pytest's tmp folder: that one is private to the user running the tests.
    datadir = Path(tempfile.mkdtemp(prefix="karuta-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        require(runuser is not None, "runuser (to start PostgreSQL as a non-root user)")
        prefix = [runuser, "-u", "postgres", "--"]
        shutil.chown(datadir, "postgres", "postgres")
    cluster = datadir / "data"
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(cluster), "-A", "trust",
                    "-U", "karuta", "-E", "UTF8", "--locale=C.UTF-8"], check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        [*prefix, str(bindir / "postgres"), "-D", str(cluster), "-p", str(port),
         "-k", str(datadir), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
         "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while subprocess.run([str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                         capture_output=True).returncode != 0:  # fmt: skip
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("PostgreSQL did not start")
        time.sleep(0.1)
    subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "karuta",
                    "karuta"], check=True)  # fmt: skip
    yield f"postgres://karuta@127.0.0.1:{port}/karuta"
    process.terminate()
    process.wait(timeout=20)
    shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_failed_room_lookups():
    """games/limits.py counts failed room lookups per address in the cache, and the in-process
    tests all share one address: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()
