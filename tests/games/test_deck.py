"""The deck as loaded by `load_deck`: 24 values in 4 fields, complete in both languages."""

import re
from collections import Counter

import pytest
from django.core.management import call_command

from games.models import CARD_TEXTS, LANGS, Field, ValueType

pytestmark = pytest.mark.django_db

KANA_OR_KANJI = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff]+$")


def test_it_has_24_values_in_four_fields(deck):
    counts = Counter(value.field.code for value in deck)
    assert counts == {"economics": 7, "psychology": 2, "sociology": 3, "marketing": 12}
    assert [value.number for value in ValueType.objects.order_by("number")] == list(range(1, 25))
    assert Field.objects.count() == 4


def test_every_text_is_present_in_both_languages(deck):
    for value in deck:
        for part in CARD_TEXTS:
            for lang in LANGS:
                text = getattr(value, f"{part}_{lang}").strip()
                assert text, f"{value.slug}: {part}_{lang} is empty"
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value.overview_ja), value.slug
        assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value.overview_en), value.slug
        assert value.source and value.reading


def test_japanese_names_keep_their_scripts(deck):
    names = {value.number: value.name_ja for value in deck}
    assert names[10] == "リンク価値"  # the only katakana name
    assert names[22] == "こだわり価値"  # the only hiragana name
    assert names[1] == "使用価値" and names[24] == "環境価値"
    assert all(KANA_OR_KANJI.match(name) for name in names.values())
    katakana = [n for n in names.values() if re.search(r"[\u30a0-\u30ff]", n)]
    hiragana = [n for n in names.values() if re.search(r"[\u3040-\u309f]", n)]
    assert katakana == ["リンク価値"] and hiragana == ["こだわり価値"]


def test_yomifuda_can_be_read_aloud_in_about_15_seconds(deck):
    for value in deck:
        words = len(f"{value.overview_en} {value.explanation_en}".split())
        chars = len(value.overview_ja + value.explanation_ja)
        # About 3.5 English words or 8 Japanese characters a second, read clearly.
        assert words <= 60, (value.slug, words)
        assert chars <= 140, (value.slug, chars)


def test_loading_again_updates_and_never_duplicates(deck):
    call_command("load_deck")
    call_command("load_deck")
    assert ValueType.objects.count() == 24
    assert Field.objects.count() == 4


def test_it_keeps_admin_edits_unless_reset(deck):
    value = ValueType.objects.get(number=6)
    original = value.concept_en
    value.concept_en = "Edited by a teacher."
    value.save()
    call_command("load_deck")
    assert ValueType.objects.get(number=6).concept_en == "Edited by a teacher."
    call_command("load_deck", "--reset")
    assert ValueType.objects.get(number=6).concept_en == original


def test_card_text_follows_the_language(deck):
    value = ValueType.objects.get(number=2)
    assert value.as_card("ja")["name"] == "交換価値"
    assert value.as_card("en")["name"] == "Exchange value"
    assert value.as_card("en")["field_name"] == "Economics"
