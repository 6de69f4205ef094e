"""A game server process never loads pandas or scipy: only research work does.

Each daphne process imports the URLconf and the admin; pandas and scipy cost about 130 MiB and
a second of start-up there, for a game that never uses them.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVER_START = """
import sys
import django
django.setup()  # autodiscovers every app's admin module
import karuta.asgi  # builds the ASGI application, as daphne does
from django.urls import get_resolver, resolve
get_resolver().url_patterns
resolve('/ja/')
resolve('/ja/survey/research/')
resolve('/admin/surveys/group/')
heavy = sorted(name for name in ('pandas', 'scipy', 'numpy') if name in sys.modules)
print(' '.join(heavy))
"""


def run_fresh(code: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "karuta.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_it_starts_the_server_without_pandas_or_scipy():
    assert run_fresh(SERVER_START) == ""


def test_it_loads_pandas_when_research_code_is_imported():
    loaded = run_fresh(SERVER_START + "import surveys.research\nprint('pandas' in sys.modules)")
    assert loaded.splitlines()[-1] == "True"
