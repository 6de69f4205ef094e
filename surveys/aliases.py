"""Value aliases: loading them from the deck fixture and the text → value map used by tables."""

from django.db import transaction

from surveys.models import ValueAlias
from surveys.text import normalize_text


@transaction.atomic
def load_aliases(data: dict) -> int:
    """Create the aliases listed in the deck fixture (``values[].aliases = {lang: [...]}``).

    Idempotent, and it never removes or moves an alias edited in the admin.
    Returns the number of aliases created.
    """
    from games.models import ValueType

    by_number = {v.number: v for v in ValueType.objects.all()}
    created = 0
    for entry in data.get("values", []):
        value = by_number.get(entry.get("number"))
        if value is None:
            continue
        for lang, texts in (entry.get("aliases") or {}).items():
            for text in texts:
                normalized = normalize_text(text)
                if not normalized or ValueAlias.objects.filter(normalized=normalized).exists():
                    continue
                ValueAlias.objects.create(value_type=value, text=text, language=lang[:2])
                created += 1
    return created


def value_catalogue() -> tuple[dict[int, dict], dict[str, int]]:
    """(values, aliases): deck values by number with both names, and normalized text → number.

    Deck names in either language always map to their value; admin aliases add to that.
    """
    from games.models import ValueType

    values = {}
    aliases: dict[str, int] = {}
    for value in ValueType.objects.order_by("number"):
        values[value.number] = {"en": value.name_en, "ja": value.name_ja, "slug": value.slug}
        for name in (value.name_en, value.name_ja, value.slug):
            aliases[normalize_text(name)] = value.number
    for normalized, number in ValueAlias.objects.values_list("normalized", "value_type__number"):
        aliases.setdefault(normalized, number)
    return values, aliases
