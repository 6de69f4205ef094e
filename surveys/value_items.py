"""Value answers normalized once: the texts of F and A2, each mapped to a deck value number
(or kept as their normalized wording) when the response is stored, into ValueItem rows that
the tables count in the database (surveys/aggregates.py).

Every writer of Response.answers keeps them in step: Response.save and ValueAlias changes
through signals (surveys/apps.py), the import's bulk_create and response_revise's update()
by calling :func:`items_refresh`; ``manage.py survey_normalize`` rebuilds them all (after a
deck reload that renamed values)."""

from django.db import transaction

from surveys.models import Response, ValueItem
from surveys.questionnaires import VALUES, all_questions
from surveys.text import normalize_text

VALUE_CODES = [q.code for q in all_questions() if q.kind == VALUES]
REFRESH_CHUNK = 1000


def option_of(normalized: str, aliases: dict[str, int]) -> str:
    number = aliases.get(normalized)
    return f"value:{number}" if number is not None else normalized


def items_of(response_id: int, answers: dict, aliases: dict[str, int], model=ValueItem) -> list:
    """The ValueItem rows of one response's answers (unsaved; ``model``: the migration's)."""
    items = []
    for code in VALUE_CODES:
        texts = answers.get(code) if isinstance(answers, dict) else None
        if not isinstance(texts, list | tuple):
            continue
        seen: set[str] = set()
        for position, text in enumerate(texts):
            text = text.strip() if isinstance(text, str) else ""
            if not text:
                continue
            normalized = normalize_text(text)
            option = option_of(normalized, aliases)
            items.append(
                model(
                    response_id=response_id,
                    question=code,
                    position=position,
                    text=text,
                    normalized=normalized,
                    option=option,
                    first_for_option=option not in seen,
                    first_for_question=not seen,
                )
            )
            seen.add(option)
    return items


def items_store(pairs, aliases: dict[str, int], *, replace: bool = True) -> None:
    """Store the items of these (response id, answers) pairs, replacing theirs (unless the
    responses are new), inside the caller's transaction."""
    pairs = list(pairs)
    if replace:
        ValueItem.objects.filter(response_id__in=[pk for pk, _a in pairs]).delete()
    ValueItem.objects.bulk_create(
        [item for pk, answers in pairs for item in items_of(pk, answers, aliases)],
        batch_size=REFRESH_CHUNK,
    )


def items_refresh(responses=None, aliases: dict[str, int] | None = None) -> int:
    """Rebuild the items of ``responses`` (a queryset; default every response), a chunk per
    transaction. Returns the number of responses read."""
    from surveys.aliases import value_catalogue

    if aliases is None:
        aliases = value_catalogue()[1]
    responses = Response.objects.all() if responses is None else responses
    done = 0
    pairs = []
    for pair in responses.order_by("pk").values_list("pk", "answers").iterator(REFRESH_CHUNK):
        pairs.append(pair)
        if len(pairs) == REFRESH_CHUNK:
            with transaction.atomic():
                items_store(pairs, aliases)
            done, pairs = done + len(pairs), []
    if pairs:
        with transaction.atomic():
            items_store(pairs, aliases)
    return done + len(pairs)


def items_remap(normalized_texts) -> None:
    """An alias was added, changed or removed: the items written that way get their value
    again, and the people's first-of-value flags with it."""
    texts = [t for t in normalized_texts if t]
    ids = set(ValueItem.objects.filter(normalized__in=texts).values_list("response_id", flat=True))
    items_refresh(Response.objects.filter(pk__in=ids))


def on_response_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        with transaction.atomic():
            items_store([(instance.pk, instance.answers)], _aliases())


def on_alias_changing(sender, instance, raw=False, **kwargs) -> None:
    if instance.pk and not raw:
        old = type(instance).objects.filter(pk=instance.pk).values_list("normalized", flat=True)
        instance._normalized_before = old.first()


def on_alias_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        items_remap([instance.normalized, getattr(instance, "_normalized_before", None)])


def _aliases() -> dict[str, int]:
    from surveys.aliases import value_catalogue

    return value_catalogue()[1]
