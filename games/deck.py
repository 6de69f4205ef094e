"""Loading the deck fixture into the database (used by ``load_deck`` and the tests).

Loading is idempotent: fields and values are matched by code/number and updated in place.
An admin's edit survives a reload: each value remembers what the last load wrote
(``fixture_snapshot``); a field whose stored text differs from that snapshot was edited by
hand and is left alone unless ``reset`` is asked for.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from games.models import CARD_TEXTS, LANGS, Field, ValueType

DECK_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "deck.json"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    kept_edits: list[str] = field(default_factory=list)


def read_fixture(path: Path = DECK_FIXTURE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def value_attrs(entry: dict, field_obj: Field) -> dict:
    """The model attributes a fixture entry sets, flattened to ``<part>_<lang>``."""
    attrs = {
        "slug": entry["slug"],
        "order": entry.get("order", entry["number"]),
        "source": entry.get("source", ""),
        "reading": entry.get("reading", ""),
    }
    for part in CARD_TEXTS:
        for lang in LANGS:
            attrs[f"{part}_{lang}"] = entry[part][lang]
    attrs["field_id"] = field_obj.pk
    return attrs


@transaction.atomic
def load_deck(data: dict | None = None, *, reset: bool = False) -> LoadReport:
    data = data if data is not None else read_fixture()
    report = LoadReport()
    fields = {}
    for entry in data["fields"]:
        obj, _ = Field.objects.update_or_create(
            code=entry["code"],
            defaults={
                "order": entry["order"],
                "color": entry["color"],
                "name_ja": entry["name"]["ja"],
                "name_en": entry["name"]["en"],
                "description_ja": entry.get("description", {}).get("ja", ""),
                "description_en": entry.get("description", {}).get("en", ""),
            },
        )
        fields[obj.code] = obj
    for entry in data["values"]:
        attrs = value_attrs(entry, fields[entry["field"]])
        value = ValueType.objects.filter(number=entry["number"]).first()
        if value is None:
            ValueType.objects.create(number=entry["number"], fixture_snapshot=attrs, **attrs)
            report.created += 1
            continue
        snapshot = value.fixture_snapshot or {}
        changed = False
        for name, new in attrs.items():
            current = getattr(value, name)
            edited = name in snapshot and current != snapshot[name]
            if edited and not reset:
                report.kept_edits.append(f"{value.number:02d}.{name}")
                continue
            if current != new:
                setattr(value, name, new)
                changed = True
        if changed or snapshot != attrs:
            value.fixture_snapshot = attrs
            value.save()
            report.updated += 1
    return report
