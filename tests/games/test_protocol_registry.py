"""One registry of error codes (games/realtime/protocol.py), and everything else agrees with it:
the codes the server raises, docs/protocol.md, the Japanese catalogue and the pages' strings.

Found in a real run: eight codes the server sent had no translated text (players saw developer
English) and two were missing from the protocol document.
"""

import re
from pathlib import Path

import pytest
from django.utils import translation

from games.play_views import play_strings
from games.realtime.protocol import ERRORS

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r"""(?:RuleError|self\.error)\(\s*["'](\w+)["']""")


def raised_codes() -> set[str]:
    codes = set()
    for path in (ROOT / "games").rglob("*.py"):
        codes |= set(RAISED.findall(path.read_text()))
    return codes


def test_every_code_the_server_raises_is_registered_and_every_registered_code_is_raised():
    raised = raised_codes()
    assert raised - ERRORS.keys() == set()
    assert ERRORS.keys() - raised == set()


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "protocol.md").read_text()
    missing = sorted(code for code in ERRORS if f"`{code}`" not in doc)
    assert missing == []


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_code_has_a_japanese_text(code):
    with translation.override("en"):
        english = str(ERRORS[code])
    with translation.override("ja"):
        japanese = str(ERRORS[code])
    assert japanese != english, f"{code} is not translated"
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese)


def test_the_pages_get_every_error_text_in_their_language():
    with translation.override("ja"):
        strings = play_strings()
        for code, text in ERRORS.items():
            assert strings[f"err_{code}"] == str(text)


def test_the_scripts_only_name_registered_codes():
    named = set()
    for path in (ROOT / "static" / "js").rglob("*.js"):
        named |= set(re.findall(r"err_(\w+)", path.read_text()))
        named |= set(re.findall(r"""code === ["'](\w+)["']""", path.read_text()))
    assert named - ERRORS.keys() == set()
