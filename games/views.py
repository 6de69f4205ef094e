"""Pages of the deck: home, the rules tutorial, study mode and the printable deck."""

import re

from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from games import rules as game_rules
from games.models import Field, ValueType
from games.pictograms import render_svg
from games.printing import LANG_CHOICES, deck_pdf


def card_lang(request) -> str:
    """Card texts follow the page language; ``?both=1`` adds English under Japanese."""
    return "both" if request.GET.get("both") == "1" else translation.get_language()[:2]


def study_strings() -> dict[str, str]:
    """Text the study page's script shows, translated here (the JS holds no English)."""
    return {
        "readAloud": _("Read aloud"),
        "stop": _("Stop reading"),
        "noVoice": _("This browser cannot read aloud; the text is shown on the card."),
    }


@require_safe
def home(request):
    fields = Field.objects.all()
    sample = ValueType.objects.select_related("field").filter(number__in=[10, 22, 24])
    return render(request, "games/home.html", {"fields": fields, "sample": sample})


# The tutorial's board: two rows of four torifuda from all four fields.
RULES_BOARD = (1, 8, 10, 13, 6, 9, 12, 24)


def points(count: int) -> str:
    return ngettext("%(count)d point", "%(count)d points", count) % {"count": count}


@require_safe
def rules(request):
    values = ValueType.objects.select_related("field")
    shown = {v.number: v for v in values.filter(number__in=RULES_BOARD)}
    board = [
        {"x": 4 + (i % 4) * 37, "y": 4 + (i // 4) * 48, "value": shown[number]}
        for i, number in enumerate(n for n in RULES_BOARD if n in shown)
    ]
    context = {
        "sample": values.filter(number=13).first(),
        "board": board,
        # The scoring as games/rules.py counts it (a card's point, the otetsuki penalty, the
        # set bonus), so the tutorial never says "most cards" while the ranking counts points.
        "card_points": points(1),
        "penalty_points": points(game_rules.PENALTY_POINTS),
        "bonus_points": points(game_rules.SET_BONUS_POINTS),
    }
    return render(request, "games/rules.html", context)


CARD_LIST = re.compile(r"[1-9][0-9]?(,[1-9][0-9]?){0,23}")  # at most 24 card numbers


def chosen_cards(text: str) -> list[int]:
    """``?cards=3,7,12`` (a player's review: the values they confused) as numbers in that
    order; Http404 for anything but distinct numbers of the deck, comma-separated."""
    if not CARD_LIST.fullmatch(text):
        raise Http404("No such cards")
    numbers = [int(n) for n in text.split(",")]
    if len(set(numbers)) != len(numbers):
        raise Http404("No such cards")
    return numbers


@require_safe
def study(request):
    fields = list(Field.objects.all())
    values = ValueType.objects.select_related("field")
    active = request.GET.get("field", "")
    if active:
        if active not in {f.code for f in fields}:
            raise Http404("No such field")
        values = values.filter(field__code=active)
    cards = request.GET.get("cards", "")
    title = ""
    if cards:
        numbers = chosen_cards(cards)
        by_number = {v.number: v for v in values.filter(number__in=numbers)}
        if len(by_number) != len(numbers):
            raise Http404("No such cards")
        values = [by_number[n] for n in numbers]  # most-confused first, as the review lists them
        title = ngettext("Practise %(count)d card", "Practise these %(count)d cards", len(values))
    context = {
        "fields": fields,
        "values": values,
        "active_field": active,
        "cards": cards,
        "cards_title": title % {"count": len(values)} if title else "",
        "lang": card_lang(request),
        "study_strings": study_strings(),
    }
    return render(request, "games/study.html", context)


@require_safe
def card_detail(request, slug: str):
    value = get_object_or_404(ValueType.objects.select_related("field"), slug=slug)
    neighbours = list(ValueType.objects.values_list("slug", flat=True))
    index = neighbours.index(value.slug)
    context = {
        "value": value,
        "lang": card_lang(request),
        "previous": neighbours[index - 1] if index > 0 else None,
        "next": neighbours[index + 1] if index + 1 < len(neighbours) else None,
        "study_strings": study_strings(),
    }
    return render(request, "games/card_detail.html", context)


@require_safe
def print_deck(request):
    labels = {
        "ja": _("Japanese deck (PDF)"),
        "en": _("English deck (PDF)"),
        "both": _("Bilingual deck: English under Japanese (PDF)"),
    }
    downloads = [(code, labels[code]) for code in LANG_CHOICES]
    return render(
        request, "games/print.html", {"fields": Field.objects.all(), "downloads": downloads}
    )


@require_safe
def print_deck_pdf(request, lang: str):
    if lang not in LANG_CHOICES:
        raise Http404("No such language")
    field = request.GET.get("field", "")
    values = ValueType.objects.select_related("field")
    if field:
        values = values.filter(field__code=field)
    stamp = values.aggregate(last=Max("updated_at"))["last"]
    count = values.count()
    if not count:
        raise Http404("No cards")
    # Rendering takes seconds: keep the PDF until any card changes.
    key = f"deck-pdf:{lang}:{field}:{count}:{stamp.isoformat() if stamp else ''}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = deck_pdf(list(values), lang)
        cache.set(key, pdf, 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{field}" if field else ""
    response["Content-Disposition"] = f'attachment; filename="value-karuta-{lang}{suffix}.pdf"'
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def pictogram(request, number: int):
    value = get_object_or_404(ValueType.objects.select_related("field"), number=number)
    svg = render_svg(value.number, value.field.color, title=value.name)
    return HttpResponse(svg, content_type="image/svg+xml")


COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")
FIELD_CODE = re.compile(r"[-\w]+")


@require_safe
@cache_control(public=True, max_age=300)
def field_colours(request):
    """Each field's colour as ``--field`` on elements marked ``data-field="<code>"``: pages keep
    no inline style, so the Content-Security-Policy allows styles from this site's files only.
    A colour edited in the admin shows within five minutes."""
    css = [
        f'[data-field="{field.code}"] {{ --field: {field.color}; }}\n'
        for field in Field.objects.all()
        if COLOUR.fullmatch(field.color) and FIELD_CODE.fullmatch(field.code)
    ]
    return HttpResponse("".join(css), content_type="text/css; charset=utf-8")
