"""Start the app (or the relay baseline) under daphne on loopback, for the benchmark."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urlopen(url, timeout=2):
                return
        except HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer") from None
            time.sleep(0.1)


def base_env(workdir: Path, extra: dict | None = None) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SECRET_KEY": "bench-secret-key",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Every simulated player connects from 127.0.0.1: the per-address limits a real class
        # never meets (games/limits.py) would measure the limits instead of the game.
        "SEATS_PER_ADDRESS": "100000",
        "SOCKETS_PER_ADDRESS": "100000",
        "ADDRESS_MESSAGE_BURST": "1000000",
        "ADDRESS_MESSAGE_RATE": "1000000",
        **(extra or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid


@contextmanager
def daphne_servers(env: dict, app: str = "karuta.asgi:application", count: int = 1):
    """``count`` daphne processes on their own ports; yields them (base URL and process)."""
    servers: list[Server] = []
    logdir = Path(env.get("BENCH_LOG_DIR", tempfile.gettempdir()))
    try:
        for _ in range(count):
            port = free_port()
            log = open(logdir / f"bench-daphne-{port}.log", "wb")  # noqa: SIM115
            process = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), app],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            servers.append(Server(f"http://127.0.0.1:{port}", process))
        for server in servers:
            wait_for(f"{server.url}/healthz" if app.startswith("karuta") else f"{server.url}/")
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()


@contextmanager
def daphne(env: dict, app: str = "karuta.asgi:application", count: int = 1):
    """``count`` daphne processes on their own ports; yields their base URLs."""
    with daphne_servers(env, app, count) as servers:
        yield [server.url for server in servers]


class RedisProcess:
    """A private redis-server on a loopback port (benchmarks and tests start their own)."""

    def __init__(self, binary: str, port: int, workdir: Path | None = None) -> None:
        self.binary, self.port, self.workdir = binary, port, workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no"]  # fmt: skip
        if self.workdir is not None:
            args += ["--dir", str(self.workdir)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not self.answers():
            if time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def redis_server():
    """A private redis-server on a free port, or None when it is not installed."""
    binary = shutil.which("redis-server")
    if not binary:
        yield None
        return
    redis = RedisProcess(binary, free_port())
    redis.start()
    try:
        yield redis.url
    finally:
        redis.stop()
