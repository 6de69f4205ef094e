"""The player's questionnaire (anonymous, one per player per game) and the staff research pages."""

from django.db.models import Count
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from games.models import ValueType
from surveys import admission, respondents
from surveys.admission import FULL, Door, Refused
from surveys.csv_io import csv_lines
from surveys.exports import export_lines, table_lines
from surveys.forms import QuestionnaireForm, initial_from, is_answered
from surveys.models import Group, GroupRoom, OpenLink, Response
from surveys.permissions import may_import, research_view
from surveys.questionnaires import MULTI, SCALE, SINGLE, TEXT, VALUES, question
from surveys.services import Full, response_revise, response_submit, responses_bind_seat
from surveys.text import normalize_text


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


def _refused(request, refused: Refused):
    """The page of a questionnaire that takes no answers here: why, in the page's language."""
    door = refused.door
    context = {
        "reason": refused.reason,
        "code": refused.code or (door.room_code if door else ""),
        "closes_at": door.closes_at if door else None,
        "open_link": bool(door and door.link),
    }
    return render(request, "surveys/unavailable.html", context, status=refused.status)


def _sent(door: Door, respondent: respondents.Respondent, numbers):
    """This respondent's stored answers behind this door (a seat's own, else the token's)."""
    sent = Response.objects.filter(questionnaire__in=numbers, source=Response.WEB)
    if respondent.seat_id:
        return sent.filter(seat_id=respondent.seat_id).order_by("questionnaire")
    sent = sent.filter(respondent=respondent.token)
    if door.link:
        return sent.filter(open_link=door.link).order_by("questionnaire")
    return sent.filter(room_code=door.room_code).order_by("questionnaire")


def _questionnaire(request, door: Door, thanks_url: str):
    """The questionnaire behind ``door``: shown (with the answers already sent, to change),
    or sent. Who answers comes from the door's respondent cookie, never from the form."""
    numbers = _questionnaires(request)
    known = respondents.read(request, door)
    respondent = known or respondents.new()
    status, wait = 200, 0
    if request.method == "POST":
        form = QuestionnaireForm(request.POST, questionnaires=numbers, values=_values())
        # A form shown with the answers already sent changes them; a fresh one (a second tab,
        # a double click) never replaces the first answers sent.
        revising = request.POST.get("revise") == "1"
        wait = admission.posts_wait(request)
        if wait:
            status = 429  # nothing stored; the page shows the answers again, to send later
        elif form.is_valid():
            about = {
                "gender": form.cleaned_data["gender"] or "no_response",
                "age_band": form.cleaned_data["age_band"] or "unknown",
                "nationality": form.cleaned_data["nationality"].strip(),
                "language": (get_language() or "")[:8],
            }
            where = {
                "room_code": door.room_code,
                "respondent": respondent.token,
                "seat_id": respondent.seat_id,
                "open_link_id": door.open_link_id,
                "group": door.group,
                "cap": door.capacity(),
            }
            created_any = stored_any = full = False
            for number in numbers:
                answers = form.answers_for(number)
                try:
                    if revising:
                        response_revise(**where, questionnaire=number, answers=answers, **about)
                        stored_any = True
                        continue
                    if not answers:
                        continue
                    _response, created = response_submit(
                        **where, questionnaire=number, answers=answers, **about
                    )
                except Full:
                    full = True
                    continue
                stored_any = True
                created_any = created_any or created
            if full and not stored_any:
                return _refused(request, Refused(FULL, door))
            url = thanks_url
            if revising:
                url += "?" + urlencode({"updated": 1})
            elif not created_any:
                url += "?" + urlencode({"already": 1})
            response = redirect(url)
            respondents.keep(response, door, respondent)
            respondents.forget_old(request, response)
            return response
    else:
        sent = _sent(door, respondent, numbers)
        revising = sent.exists()
        if not revising and not respondent.seat_id and door.is_full(numbers):
            return _refused(request, Refused(FULL, door))
        initial = initial_from(sent, _value_numbers()) if revising else {}
        form = QuestionnaireForm(initial=initial, questionnaires=numbers, values=_values())
    sections = _sections(form)
    progress = _progress(sections)
    context = {
        "code": door.room_code,
        "form": form,
        "sections": sections,
        "progress": progress,
        "revising": revising,
        "numbers": numbers,
        "draft_key": f"vk-survey-draft:{door.key}:{''.join(map(str, numbers))}",
        "wait_minutes": -(-wait // 60),
        "strings": {
            "draftRestored": _("We kept what you had typed."),
            "sending": _("Sending…"),
            "progress": progress["template"],
        },
        "kinds": {"single": SINGLE, "scale": SCALE, "multi": MULTI, "values": VALUES, "text": TEXT},
    }
    response = render(request, "surveys/questionnaire.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    respondents.keep(response, door, respondent)
    respondents.forget_old(request, response)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def room_survey(request, code: str):
    """The questionnaire for the players of game room ``code`` (linked from the end screen)."""
    try:
        door = admission.room_door(request, code)
        return _questionnaire(request, door, reverse("surveys:thanks", args=[door.room_code]))
    except Refused as refused:
        return _refused(request, refused)


@never_cache
@require_POST
def room_survey_from_seat(request, code: str):
    """The player's end screen posts its seat's secret token here (never in a URL): this
    browser's answers for the room become that seat's (one response per seat), then on to
    the questionnaire."""
    try:
        door = admission.room_door(request, code)
        seat = admission.seat_in(door, request.POST.get("seat", ""))
    except Refused as refused:
        return _refused(request, refused)
    known = respondents.read(request, door)
    earlier = Response.objects.filter(seat=seat, source=Response.WEB).first()
    if known and not known.seat_id:
        responses_bind_seat(room_code=door.room_code, respondent=known.token, seat_id=seat.pk)
    if earlier:
        token = earlier.respondent
    else:
        token = known.token if known else respondents.new().token
    response = redirect(reverse("surveys:room", args=[door.room_code]))
    respondents.keep(response, door, respondents.Respondent(token, seat.pk))
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def open_survey(request, token: str):
    """The questionnaire of a researcher's open link (a group that played on paper)."""
    try:
        door = admission.link_door(token)
        return _questionnaire(request, door, reverse("surveys:open_thanks", args=[token]))
    except Refused as refused:
        return _refused(request, refused)


def _thanks(request, draft_key: str):
    return render(
        request,
        "surveys/thanks.html",
        {
            "draft_key": draft_key,
            "already": bool(request.GET.get("already")),
            "updated": bool(request.GET.get("updated")),
        },
    )


@never_cache
def thanks(request, code: str):
    return _thanks(request, code.upper())


@never_cache
def open_thanks(request, token: str):
    link = get_object_or_404(OpenLink, token=token)
    return _thanks(request, f"open{link.pk}")


# --- research (staff with the surveys view permissions; others see no data) ---------------


@research_view
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
    context = {"rows": rows, "unfiled": unfiled, "may_import": may_import(request.user)}
    return render(request, "surveys/research_home.html", context)


def _report(request, pk: int):
    # Deferred: the report loads pandas and scipy, which a game server process should not.
    from surveys.research import GroupReport

    group = get_object_or_404(Group, pk=pk)
    ids = [int(i) for i in request.GET.getlist("compare") if i.isdigit() and int(i) != pk]
    others = list(Group.objects.filter(pk__in=ids))
    return GroupReport(
        group,
        others,
        by_gender=request.GET.get("by") == "gender",
        correction=request.GET.get("correction", "holm"),
    )


@research_view
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
        "correction": report.correction,
        "rooms": report.group.rooms.all(),
        "gameplay": report.gameplay(),
        "long_url": reverse("surveys:group_export_csv", args=[pk, "long"]),
    }
    return render(request, "surveys/research_group.html", context)


@research_view
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


@research_view
def group_tables_csv(request, pk: int):
    group = get_object_or_404(Group, pk=pk)
    lang = request.GET.get("lang") if request.GET.get("lang") in ("en", "ja") else "en"
    return csv_response(table_lines([group], lang), f"group-{group.pk}-tables.csv")


@research_view
def group_confusion_csv(request, pk: int):
    """The confusion pairs summed over the group's rooms (``game_report --group NAME``)."""
    from games.reports import csv_table
    from surveys.gameplay import group_rooms

    group = get_object_or_404(Group, pk=pk)
    header, rows = csv_table(group_rooms(group), per_card=False)
    return csv_response(csv_lines(header, rows), f"group-{group.pk}-confusion.csv")


@research_view
def group_room_cards_csv(request, pk: int, code: str):
    """One of the group's rooms, card by card (``game_report CODE --cards``)."""
    from games.reports import csv_table
    from surveys.gameplay import group_rooms

    group = get_object_or_404(Group, pk=pk)
    room = next((r for r in group_rooms(group) if r.code == code.strip().upper()), None)
    if room is None:
        raise Http404
    header, rows = csv_table([room], per_card=True)
    return csv_response(csv_lines(header, rows), f"room-{room.code}-cards.csv")


@research_view
def group_export_csv(request, pk: int, layout: str):
    group = get_object_or_404(Group, pk=pk)
    if layout not in ("wide", "long"):
        raise Http404
    return csv_response(
        export_lines(group.responses(), layout, group_name=group.name),
        f"group-{group.pk}-{layout}.csv",
    )
