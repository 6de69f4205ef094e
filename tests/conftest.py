"""Shared test fixtures: the deck, real servers (daphne, redis-server) and a real browser.

Missing system parts (redis-server, Chromium) skip their tests with a clear reason on a
developer's machine and fail them in CI (CI=true), where .ci/run installs them.

Tests that start processes (daphne, redis-server, PostgreSQL, Chromium) are marked ``live``
here, at collection: `pytest -m "not live"` runs only the in-process tests.
"""

import inspect
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from bench.servers import RedisProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


# --- the live marker -----------------------------------------------------------------------

# Fixtures that start a process, and names whose use in a test (or in a helper or fixture it
# uses, followed through the tests package) starts one.
LIVE_FIXTURES = frozenset(
    {"server", "redis_url", "postgres_url", "browser", "page", "cluster", "module_database",
     "own_redis"}
)  # fmt: skip
LIVE_NAMES = frozenset(
    {"make_server", "start_daphne", "start_cluster", "RedisProcess", "OwnRedis", "redis_server",
     "sync_playwright", "Popen"}
)  # fmt: skip
LIVE_FOLDERS = (ROOT / "tests" / "e2e",)


def _ours(obj) -> bool:
    return getattr(obj, "__module__", "").startswith("tests.")


def _names_used(obj, seen: set[int]) -> set[str]:
    """The global and attribute names a function uses, through its nested functions and the
    functions and classes of the tests package that it names."""
    obj = inspect.unwrap(getattr(obj, "__func__", obj))
    obj = getattr(getattr(obj, "hypothesis", None), "inner_test", obj)  # a @given test
    if id(obj) in seen:
        return set()
    seen.add(id(obj))
    if isinstance(obj, type):
        methods = (v for v in vars(obj).values() if callable(getattr(v, "__func__", v)))
        return set().union(*(_names_used(method, seen) for method in methods))
    code = getattr(obj, "__code__", None)
    if code is None:
        return set()
    names: set[str] = set()
    codes = [code]
    while codes:
        current = codes.pop()
        names.update(current.co_names)
        codes.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    namespace = getattr(obj, "__globals__", {})
    for name in list(names):
        found = namespace.get(name)
        if isinstance(found, types.FunctionType | type) and _ours(found):
            names |= _names_used(found, seen)
    return names


def is_live(item: pytest.Item) -> bool:
    if any(folder in Path(item.path).parents for folder in LIVE_FOLDERS):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & LIVE_FIXTURES:
        return True
    seen: set[int] = set()
    functions = [getattr(item, "obj", None)]
    info = getattr(item, "_fixtureinfo", None)
    for defs in info.name2fixturedefs.values() if info else ():
        # The tests' own fixtures only: pytest's and plugins' do not start servers.
        functions += [d.func for d in defs if _ours(d.func)]
    return any(f is not None and _names_used(f, seen) & LIVE_NAMES for f in functions)


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by mark
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if is_live(item):
            item.add_marker(pytest.mark.live)


_running: pytest.Item | None = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item):
    global _running
    _running = item
    try:
        return (yield)
    finally:
        _running = None


def check_live(what: str) -> None:
    """Fail a test that starts a process without the ``live`` mark (the detection above missed
    it): `-m "not live"` must never start one."""
    if _running is not None and _running.get_closest_marker("live") is None:
        pytest.fail(
            f"{_running.nodeid} starts {what} but is not marked live: add @pytest.mark.live "
            "(or use one of tests/conftest.py's LIVE_FIXTURES)",
            pytrace=False,
        )


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
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # daphne waits for its open sockets' handlers on SIGTERM; a test is over.
                self.process.kill()
                self.process.wait(timeout=10)

    def start(self) -> None:
        self.process = start_daphne(self.env, self.port)


def start_daphne(env: dict, port: int) -> subprocess.Popen:
    check_live("daphne")
    log_path = Path(env["KARUTA_TEST_DIR"]) / f"daphne-{port}.log"
    with open(log_path, "ab") as log:  # the child keeps its own copy of the file
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "karuta.asgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    wait_for_daphne(process, f"http://127.0.0.1:{port}/healthz", log_path)
    return process


def wait_for_daphne(process: subprocess.Popen, url: str, log: Path, timeout: float = 30) -> None:
    """Until ``url`` answers (any HTTP status); a process that exits fails at once, with its log
    (an import error, say), rather than after the whole timeout."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urlopen(url, timeout=2):
                return
        except HTTPError:  # 503 from /healthz: up, with a part down
            return
        except OSError:
            pass
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"daphne exited ({process.returncode}) before answering:\n{tail}")
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{url} did not answer in {timeout:.0f} s (log: {log})")
        time.sleep(0.05)


def prepare_database(env: dict) -> None:
    """Migrate the database of ``env`` and load the deck, as `make run` does (one process)."""
    script = (
        "from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); "
        "call_command('load_deck', verbosity=0)"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


# Databases made from a migrated template, with the deck: make_server does not migrate them.
PREPARED_DATABASES: set[str] = set()
_sqlite_template: Path | None = None


def sqlite_template() -> Path:
    """A migrated SQLite database with the deck loaded, made once per session; each server
    starts from a copy. Made on first use rather than by a session fixture, so that a run
    without live tests never pays for it and make_server keeps its plain signature."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="karuta-template-"))
        built = folder / "built.sqlite3"
        prepare_database(server_env(folder, {"DATABASE_URL": f"sqlite:///{built}"}))
        template = folder / "template.sqlite3"
        # One self-contained file, whatever the WAL of the built one still holds.
        with closing(sqlite3.connect(built)) as connection:
            connection.execute("VACUUM INTO ?", (str(template),))
        _sqlite_template = template
    return _sqlite_template


def pytest_sessionfinish() -> None:
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)


def server_env(tmp_path: Path, extra_env: dict | None = None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "KARUTA_TEST_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "LATENCY_PROBE_SECONDS": "0",  # as in-process (_no_latency_probes); tests may ask
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def sqlite_path(database_url: str) -> Path | None:
    """The file of a ``sqlite:///…`` URL (None for another database or SQLite in memory)."""
    parts = urlsplit(database_url)
    if parts.scheme != "sqlite" or parts.path in ("", "/", "/:memory:"):
        return None
    return Path(parts.path)


def make_server(tmp_path: Path, extra_env: dict | None = None) -> Server:
    check_live("a daphne server")
    env = server_env(tmp_path, extra_env)
    database = sqlite_path(env["DATABASE_URL"])
    if env["DATABASE_URL"] in PREPARED_DATABASES:
        pass
    elif database is not None and not database.exists():
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sqlite_template(), database)
    else:  # another database, or a file of the test's own: migrate it as `make run` does
        prepare_database(env)
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
    check_live("redis-server")
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    redis = RedisProcess(binary, free_port(), tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis.url
    redis.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright."""
    check_live("Chromium")
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


POSTGRES_TEMPLATE = "karuta_template"


def createdb(postgres_url: str, name: str, template: str | None = None) -> str:
    """A new database on the cluster of ``postgres_url``; its URL. Made from ``template`` it is
    migrated and has the deck (make_server then leaves it as it is)."""
    parts = urlsplit(postgres_url)
    args = [str(postgres_bin() / "createdb"), "-h", parts.hostname, "-p", str(parts.port),
            "-U", parts.username, *(["-T", template] if template else []), name]  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        done = subprocess.run(args, capture_output=True, text=True)
        # The template's last user (the migrating process) may take a moment to disconnect.
        if done.returncode == 0 or "being accessed" not in done.stderr:
            break
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if done.returncode != 0:
        raise RuntimeError(f"createdb {name}: {done.stderr}")
    url = parts._replace(path=f"/{name}").geturl()
    if template:
        PREPARED_DATABASES.add(url)
    return url


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
    check_live("PostgreSQL")
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
         "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
         # PostgreSQL's default, as a deployment has: a burst must fit through the pools.
         "-c", "max_connections=100"],
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
    server_url = f"postgres://karuta@127.0.0.1:{port}"
    # Migrated once, with the deck: each database of the session is a copy (CREATE DATABASE …
    # TEMPLATE), which takes a fraction of a second where migrating takes seconds.
    createdb(server_url, POSTGRES_TEMPLATE)
    prepare_database(server_env(datadir, {"DATABASE_URL": f"{server_url}/{POSTGRES_TEMPLATE}"}))
    yield createdb(server_url, "karuta", template=POSTGRES_TEMPLATE)
    process.terminate()
    process.wait(timeout=20)
    shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture(autouse=True)
def _language_reset():
    """A request through Django's test client leaves its language active in the thread: each
    test starts from the default language, whatever the test before it asked for."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_latency_probes(settings):
    """No latency probes unless a test asks for them (the fair-race tests): a test client
    answers a probe only when the test reads its messages, so an unread probe would look like
    a slow network. Races are still fair, with every tab's network unmeasured (zero)."""
    settings.LATENCY_PROBE_SECONDS = 0


@pytest.fixture(autouse=True)
def _no_failed_room_lookups():
    """games/limits.py counts failed room lookups per address in the cache, and the in-process
    tests all share one address: each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()
