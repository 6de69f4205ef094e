"""A small production cluster for the fault tests: two daphne processes sharing one PostgreSQL
database and one Redis, as docs/deploy.md sets it up. Each test module gets its own database
and its own Redis db number, so modules cannot see each other's rooms."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from bench.game import create_rooms as bench_create_rooms
from bench.servers import RedisProcess, free_port
from tests.conftest import (
    POSTGRES_TEMPLATE,
    Server,
    createdb,
    make_server,
    postgres_bin,
    require,
    start_daphne,
)

# redis-py 8 reads with a 5 s socket timeout, channels_redis blocks 5 s in BZPOPMIN: give the
# read more room (see tests/games/test_race_daphne.py).
SAFE_TIMEOUT = "?socket_timeout=30"
_redis_dbs = itertools.count(1)


def create_database(postgres_url: str, name: str) -> str:
    """A new database on the session's PostgreSQL cluster, migrated and with the deck (a copy of
    the session's template); its URL."""
    require(postgres_bin() is not None, "PostgreSQL (createdb)")
    return createdb(postgres_url, name, template=POSTGRES_TEMPLATE)


@dataclass
class Cluster:
    """Two daphne processes (``servers[0]``, ``servers[1]``) on one database and one Redis."""

    servers: list[Server]
    env: dict
    database_url: str

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    def manage(self, *args: str) -> str:
        return self.servers[0].manage(*args)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url) as conn:
            return conn.execute(sql, params).fetchall()

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def start_cluster(tmp_path: Path, database_url: str, redis: str, extra: dict | None = None):
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis, "LOG_LEVEL": "WARNING"}
    first = make_server(tmp_path, {**env, **(extra or {})})
    port = free_port()
    second = Server(
        url=f"http://127.0.0.1:{port}",
        env=first.env,
        process=start_daphne(first.env, port),
        port=port,
    )
    return Cluster([first, second], first.env, database_url)


@pytest.fixture(scope="module")
def module_database(request, postgres_url) -> str:
    name = "karuta_" + request.module.__name__.rsplit(".", 1)[-1]
    return create_database(postgres_url, name)


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory, module_database, redis_url) -> Iterator[Cluster]:
    redis = redis_url.rsplit("/", 1)[0] + f"/{next(_redis_dbs)}" + SAFE_TIMEOUT
    extra = getattr(request.module, "CLUSTER_ENV", None)  # a module's own settings
    running = start_cluster(tmp_path_factory.mktemp("cluster"), module_database, redis, extra)
    yield running
    running.stop()


# --- a Redis of a test's own, to stop and start ---------------------------------------------


class OwnRedis(RedisProcess):
    """A redis-server of the test's own, to stop and start again mid-game."""

    @property
    def url(self) -> str:
        return super().url + SAFE_TIMEOUT


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    redis = OwnRedis(binary, free_port(), tmp_path)
    redis.start()
    yield redis
    redis.stop()


def health(url: str) -> tuple[int, dict]:
    try:
        with urlopen(f"{url}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def create_rooms(cluster: Cluster, count: int, **options) -> list[tuple[str, str]]:
    """(code, host token) of ``count`` new rooms, made by the app's own service."""
    return bench_create_rooms(cluster.env, count, options)


def check_takes(cluster: Cluster, codes: list[str]) -> dict:
    """The stored truth of these rooms, asserted consistent: every taken card has one winning
    take, each seat's score and card count equal its winning takes. Returns counts."""
    rows = cluster.query(
        "SELECT r.code, b.id, b.taken_by_id, "
        " (SELECT count(*) FROM games_take t WHERE t.card_id = b.id AND t.won) "
        "FROM games_boardcard b JOIN games_room r ON r.id = b.room_id WHERE r.code = ANY(%s)",
        (codes,),
    )
    taken = [row for row in rows if row[2] is not None]
    for code, card, seat, wins in rows:
        assert wins == (1 if seat is not None else 0), (code, card, seat, wins)
    seats = cluster.query(
        "SELECT s.id, s.score, s.cards, s.wrong_takes, "
        " (SELECT count(*) FROM games_boardcard b WHERE b.taken_by_id = s.id), "
        " (SELECT count(*) FROM games_take t WHERE t.seat_id = s.id AND t.won) "
        "FROM games_seat s JOIN games_room r ON r.id = s.room_id WHERE r.code = ANY(%s)",
        (codes,),
    )
    for seat, score, cards, wrong, held, won in seats:
        assert cards == held == won, (seat, cards, held, won)
        assert score == cards - wrong, (seat, score, cards, wrong)  # no bonus, no penalties
    assert sum(s[2] for s in seats) == len(taken)
    return {"cards": len(rows), "taken": len(taken), "seats": len(seats)}


async def gather_limited(coros, limit: int):
    semaphore = asyncio.Semaphore(limit)

    async def run(coro):
        async with semaphore:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros))


# The in-process room fixtures of tests/games, for the fuzz and abuse tests.
from tests.games.conftest import clients, make_room  # noqa: E402, F401
