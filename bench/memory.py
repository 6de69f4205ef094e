"""Resident memory of an idle game server process, before and after a research page.

The game server is one daphne process: it is measured after it has answered /healthz and one
host's websocket hello (so the game code is loaded) and then gone quiet. The second figure is
the same process after a staff user has opened a research page, which loads pandas and scipy.
"""

import asyncio
import random
import time
from pathlib import Path
from urllib.request import Request, urlopen

from bench.game import create_rooms, host_hello
from bench.servers import daphne_servers, manage
from bench.surveys import write_q1

GROUP = "bench-memory"
STAFF_SESSION = f"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from surveys.models import Group
from surveys.permissions import READ

User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-staff", defaults={{"is_staff": True}})
# Being staff is not enough to see answers (surveys/permissions.py): a researcher's read rights.
user.user_permissions.add(*(Permission.objects.get(content_type__app_label=app, codename=code)
                            for app, code in (name.split(".") for name in READ)))
client = Client()
client.force_login(user)
cookie = settings.SESSION_COOKIE_NAME
print(cookie, client.cookies[cookie].value, Group.objects.get(name={GROUP!r}).pk)
"""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_ticks(pid: int) -> int:
    # utime and stime, the 14th and 15th fields; the name in parentheses may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def idle_rss(pid: int, quiet: float = 1.0, timeout: float = 20.0) -> float:
    """RSS once the process has used no CPU for ``quiet`` seconds (or after ``timeout``)."""
    deadline = time.monotonic() + timeout
    ticks, since = cpu_ticks(pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = cpu_ticks(pid)
        if now != ticks:
            ticks, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return rss_mib(pid)


def research_page(env: dict, workdir: Path, base_url: str) -> str:
    """Import a small group, open its research page as a staff user; returns its path."""
    csv_path = workdir / "memory-q1.csv"
    write_q1(csv_path, 200, GROUP, random.Random(3))
    manage(env, "survey_import", str(csv_path), "--questionnaire", "1", "--group", GROUP)
    # The last line: Django's shell may first say what it imported automatically.
    cookie, session, pk = manage(env, "shell", "-c", STAFF_SESSION).splitlines()[-1].split()
    path = f"/en/survey/research/group/{pk}/"
    request = Request(base_url + path, headers={"Cookie": f"{cookie}={session}"})
    with urlopen(request, timeout=60) as response:
        if response.status != 200 or "/admin/login" in response.geturl():
            raise RuntimeError(f"research page not shown: {response.status} {response.geturl()}")
        response.read()
    return path


def memory_figures(env: dict, workdir: Path) -> dict:
    with daphne_servers(env) as (server,):
        with urlopen(f"{server.url}/healthz", timeout=10) as response:
            response.read()
        code, token = create_rooms(env, 1)[0]
        asyncio.run(host_hello(server.url, code, token))
        idle = idle_rss(server.pid)
        path = research_page(env, workdir, server.url)
        after = idle_rss(server.pid)
    return {"idle_game_mib": idle, "after_research_page_mib": after, "research_page": path}
