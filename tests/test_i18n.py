"""Both languages are first class: every Japanese message is translated and compiled."""

import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/ja/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def parse_po(path: Path) -> list[tuple[object, str, str, bool]]:
    """(msgctxt, msgid, first msgstr, fuzzy) for every entry; a small reader of gettext's format."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if line.startswith("#"):
                continue
            if line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
                continue
            head, _, rest = line.partition(" ")
            key = head
            fields[key] = ast.literal_eval(rest) if rest else ""
        msgid = fields.get("msgid", "")
        if msgid:
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            context = fields.get("msgctxt")
            if "msgid_plural" in fields:  # compared through ngettext, singular form
                context = ("plural", fields["msgid_plural"])
            entries.append((context, msgid, msgstr, fuzzy))
    return entries


def lookup(compiled: gettext.GNUTranslations, context, msgid: str) -> str:
    if isinstance(context, tuple):
        return compiled.ngettext(msgid, context[1], 1)
    return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)


def test_there_are_catalogues_for_the_project_and_each_app():
    folders = {str(p.relative_to(ROOT).parents[3]) for p in CATALOGUES}
    assert {".", "games"} <= folders


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_japanese_message_is_translated_and_compiled(po):
    entries = parse_po(po)
    untranslated = [msgid for _, msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not untranslated, f"untranslated in {po}: {untranslated[:5]}"
    with open(po.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid for context, msgid, msgstr, _ in entries if lookup(compiled, context, msgid) != msgstr
    ]
    assert not stale, f"{po.with_suffix('.mo')} is out of date (run `make messages`): {stale[:3]}"
