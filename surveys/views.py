"""The player's questionnaire (anonymous, one per player per game) and the staff research pages."""

import secrets

from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from games.models import ValueType
from surveys.exports import export_lines, table_lines
from surveys.forms import TOKEN, QuestionnaireForm, initial_from, is_answered
from surveys.models import Group, GroupRoom, Response
from surveys.questionnaires import MULTI, SCALE, SINGLE, TEXT, VALUES, question
from surveys.services import response_revise, response_submit
from surveys.text import normalize_text

COOKIE = "vk_respondent"
COOKIE_AGE = 60 * 60 * 24 * 180
ROOM_CODE_MAX = 32


def _questionnaires(request) -> tuple[int, ...]:
    wanted = request.GET.get("q", "")
    return (int(wanted),) if wanted in ("1", "2") else (1, 2)


def _values() -> list[tuple[int, str]]:
    lang = (get_language() or "ja")[:2]
    return [(v.number, v.text("name", lang)) for v in ValueType.objects.order_by("number")]


def _value_numbers() -> dict[str, str]:
    """Normalized deck value name, in either language → value number (as the form's choice)."""
    numbers = {}
    for number, name_en, name_ja in ValueType.objects.values_list("number", "name_en", "name_ja"):
        for name in (name_en, name_ja):
            numbers.setdefault(normalize_text(name), str(number))
    return numbers


def _sections(form: QuestionnaireForm) -> list[dict]:
    """The form's fields grouped by questionnaire and question, for the template, with where
    each question stands ("Question 3 of 15") and how many are answered."""
    total = sum(len(qn.questions) for qn in form.questionnaires)
    sections = []
    position = 0
    for qn in form.questionnaires:
        items = []
        for q in qn.questions:
            position += 1
            item = {
                "q": q,
                "field": form[q.code],
                "other": None,
                "kind": q.kind,
                "answered": is_answered(form, q),
                "position": _("Question %(number)d of %(total)d")
                % {"number": position, "total": total},
            }
            if q.kind in (MULTI, VALUES):
                item["other"] = form[f"{q.code}_other"]
            items.append(item)
        count = len(qn.questions)
        sections.append(
            {
                "qn": qn,
                "items": items,
                "count": ngettext("%(count)d question", "%(count)d questions", count)
                % {"count": count},
            }
        )
    return sections


def _progress(sections: list[dict]) -> dict:
    """How many questions are answered, as the page first shows it; the page's script keeps
    it up to date with ``template`` ({answered} stands for the count)."""
    total = sum(len(section["items"]) for section in sections)
    answered = sum(item["answered"] for section in sections for item in section["items"])

    def text(count):
        return ngettext(
            "%(answered)s of %(total)d question answered",
            "%(answered)s of %(total)d questions answered",
            total,
        ) % {"answered": count, "total": total}

    return {
        "total": total,
        "answered": answered,
        "text": text(answered),
        "template": text("{answered}"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def room_survey(request, code: str):
    """The questionnaire for the players of game room ``code`` (linked from the end screen)."""
    code = code.strip().upper()
    if not code or len(code) > ROOM_CODE_MAX or not code.replace("-", "").isalnum():
        raise Http404
    numbers = _questionnaires(request)
    token = request.COOKIES.get(COOKIE, "")
    if not TOKEN.match(token):
        token = secrets.token_urlsafe(24)
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, questionnaires=numbers, values=_values())
        # A form shown with the answers already sent changes them; a fresh one (a second tab,
        # a double click) never replaces the first answers sent.
        revising = request.POST.get("revise") == "1"
        if form.is_valid():
            respondent = form.cleaned_data["respondent"]
            about = {
                "gender": form.cleaned_data["gender"] or "no_response",
                "age_band": form.cleaned_data["age_band"] or "unknown",
                "nationality": form.cleaned_data["nationality"].strip(),
                "language": (get_language() or "")[:8],
            }
            created_any = False
            for number in numbers:
                answers = form.answers_for(number)
                common = {"room_code": code, "questionnaire": number, "respondent": respondent}
                if revising:
                    response_revise(**common, answers=answers, **about)
                    continue
                if not answers:
                    continue
                _response, created = response_submit(**common, answers=answers, **about)
                created_any = created_any or created
            url = reverse("surveys:thanks", args=[code])
            if revising:
                url += "?" + urlencode({"updated": 1})
            elif not created_any:
                url += "?" + urlencode({"already": 1})
            response = redirect(url)
            response.set_cookie(COOKIE, respondent, max_age=COOKIE_AGE, samesite="Lax")
            return response
    else:
        sent = Response.objects.filter(
            room_code=code, questionnaire__in=numbers, respondent=token, source=Response.WEB
        ).order_by("questionnaire")
        revising = sent.exists()
        initial = {"respondent": token}
        if revising:
            initial.update(initial_from(sent, _value_numbers()))
        form = QuestionnaireForm(initial=initial, questionnaires=numbers, values=_values())
    sections = _sections(form)
    progress = _progress(sections)
    context = {
        "code": code,
        "form": form,
        "sections": sections,
        "progress": progress,
        "revising": revising,
        "numbers": numbers,
        "draft_key": f"vk-survey-draft:{code}:{''.join(map(str, numbers))}",
        "strings": {
            "draftRestored": _("We kept what you had typed."),
            "sending": _("Sending…"),
            "progress": progress["template"],
        },
        "kinds": {"single": SINGLE, "scale": SCALE, "multi": MULTI, "values": VALUES, "text": TEXT},
    }
    response = render(request, "surveys/questionnaire.html", context)
    response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, samesite="Lax")
    return response


@never_cache
def thanks(request, code: str):
    return render(
        request,
        "surveys/thanks.html",
        {
            "code": code.upper(),
            "already": bool(request.GET.get("already")),
            "updated": bool(request.GET.get("updated")),
        },
    )


# --- research (staff only: others are sent to the admin login and see no data) -----------


@staff_member_required
def research_home(request):
    groups = Group.objects.annotate(rooms_count=Count("rooms", distinct=True))
    rows = [
        {"group": g, "rooms": g.rooms_count, "responses": g.responses().count()} for g in groups
    ]
    linked = GroupRoom.objects.values_list("room_code", flat=True)
    unfiled = (
        Response.objects.filter(group__isnull=True)
        .exclude(room_code__in=linked)
        .exclude(room_code="")
        .values("room_code")
        .annotate(n=Count("id"))
        .order_by("room_code")
    )
    return render(request, "surveys/research_home.html", {"rows": rows, "unfiled": unfiled})


def _report(request, pk: int):
    # Deferred: the report loads pandas and scipy, which a game server process should not.
    from surveys.research import GroupReport

    group = get_object_or_404(Group, pk=pk)
    ids = [int(i) for i in request.GET.getlist("compare") if i.isdigit() and int(i) != pk]
    others = list(Group.objects.filter(pk__in=ids))
    return GroupReport(group, others, by_gender=request.GET.get("by") == "gender")


@staff_member_required
def research_group(request, pk: int):
    report = _report(request, pk)
    query = request.GET.urlencode()
    charts = [
        {
            "code": code,
            "svg": report.chart(code),
            "url": reverse("surveys:chart", args=[pk, code]) + (f"?{query}" if query else ""),
        }
        for code in report.chart_codes()
    ]
    context = {
        "group": report.group,
        "report": report,
        "questionnaires": report.questionnaires(),
        "stats": report.stats(),
        "comparisons": report.comparisons(),
        "charts": charts,
        "all_groups": Group.objects.exclude(pk=pk),
        "compared": {g.pk for g in report.groups[1:]},
        "by_gender": report.by_gender,
        "rooms": report.group.rooms.all(),
    }
    return render(request, "surveys/research_group.html", context)


@staff_member_required
def chart(request, pk: int, code: str):
    try:
        q = question(code)
    except StopIteration:
        raise Http404 from None
    report = _report(request, pk)
    if q.code not in report.chart_codes():
        raise Http404
    response = HttpResponse(report.chart(code), content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{report.group.pk}-{code}.svg"'
    return response


def csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_member_required
def group_tables_csv(request, pk: int):
    group = get_object_or_404(Group, pk=pk)
    lang = request.GET.get("lang") if request.GET.get("lang") in ("en", "ja") else "en"
    return csv_response(table_lines([group], lang), f"group-{group.pk}-tables.csv")


@staff_member_required
def group_export_csv(request, pk: int, layout: str):
    group = get_object_or_404(Group, pk=pk)
    if layout not in ("wide", "long"):
        raise Http404
    return csv_response(
        export_lines(group.responses(), layout, group_name=group.name),
        f"group-{group.pk}-{layout}.csv",
    )
