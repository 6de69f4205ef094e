"""Practice assignments: the teacher's form and page (with the share link's QR, completion,
accuracy per value, the class's confusion map and CSVs) and the student's page. Thin: the
figures are practice/assignments.py's, the writes practice/services.py's.

Who may do what (least privilege, as the room debrief decides it in games/debrief_views.py):
- create: the host of the room it starts from, or staff with ``practice.add_assignment``;
- see the teacher's page: the session that created it, or staff with
  ``practice.view_assignment``;
- students: anyone with the link (no account), under a nickname.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from games import rules as game_rules
from games.debrief_views import hosts
from games.models import Field, Room, ValueType
from games.qr import qr_svg
from games.reports import PairShown
from karuta import lan
from practice import assignments, learners, limits, selectors, services
from practice.forms import AssignmentForm, NicknameForm
from practice.messages import ERRORS
from practice.models import Assignment
from practice.views import _config, _with_cookie

SESSION_KEY = "practice_assignments"
SESSION_KEEP = 50  # assignments one browser remembers creating
DOWNLOADS = ("students", "values", "pairs")


def owns(request, found: Assignment) -> bool:
    token = request.session.get(SESSION_KEY, {}).get(found.code)
    return isinstance(token, str) and secrets.compare_digest(
        learners.token_hash(token), found.owner_hash
    )


def _staff_may(request, perm: str) -> bool:
    user = request.user
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(perm)


def may_see(request, found: Assignment) -> bool:
    return owns(request, found) or _staff_may(request, "practice.view_assignment")


def may_create(request, room: Room | None) -> bool:
    hosted = room is not None and hosts(request, room)
    return hosted or _staff_may(request, "practice.add_assignment")


def _assignment_or_404(code: str) -> Assignment:
    found = selectors.assignment(code)
    if found is None:
        raise Http404("No such assignment")
    return found


def _room(request) -> Room | None:
    typed = request.POST.get("room") or request.GET.get("room") or ""
    if not typed:
        return None
    room = Room.objects.filter(code=game_rules.normalize_code(typed)).first()
    if room is None:
        raise Http404("No such room")
    return room


def _form(request, room: Room | None, data=None) -> AssignmentForm:
    fields = [(f.code, f.name) for f in Field.objects.all()]
    values = [(v.number, f"{v.number} {v.name}") for v in ValueType.objects.order_by("number")]
    if data is not None:
        return AssignmentForm(data, fields=fields, values=values)
    deadline = timezone.localtime(timezone.now() + timedelta(days=7)).replace(
        hour=23, minute=59, second=0, microsecond=0
    )
    initial = {"rounds": 3, "deadline": deadline, "cards": "all", "room": room.code if room else ""}
    if room is not None:
        initial["title"] = _("Practice after room %(code)s") % {"code": room.code}
        if request.GET.get("cards") == "confused" and (
            found := selectors.room_confused_values(room)
        ):
            initial.update(cards="list", values=found)
    return AssignmentForm(initial=initial, fields=fields, values=values)


def _numbers(form: AssignmentForm) -> list[int]:
    data, deck = form.cleaned_data, selectors.deck_fields()
    if data["cards"] == "field":
        return sorted(n for n, f in deck.items() if f == data["field"])
    if data["cards"] == "list":
        return sorted(set(data["values"]))
    return sorted(deck)


@require_http_methods(["GET", "HEAD", "POST"])
def assignment_new(request):
    room = _room(request)
    if not may_create(request, room):
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request, "practice/assignment_new.html", {"form": _form(request, room), "room": room}
        )
    if wait := limits.assignment_wait(request):
        context = {"form": _form(request, room, request.POST), "room": room, "wait": wait}
        response = render(request, "practice/assignment_new.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    form = _form(request, room, request.POST)
    if not form.is_valid():
        return render(
            request, "practice/assignment_new.html", {"form": form, "room": room}, status=400
        )
    found, token = services.assignment_create(
        title=form.cleaned_data["title"], card_set=form.card_set(), cards=_numbers(form),
        rounds=form.cleaned_data["rounds"], deadline=form.cleaned_data["deadline"],
        room_code=room.code if room else "", user=request.user,
    )  # fmt: skip
    kept = dict(list(request.session.get(SESSION_KEY, {}).items())[-(SESSION_KEEP - 1) :])
    request.session[SESSION_KEY] = {**kept, found.code: token}
    return redirect("practice:assignment", code=found.code)


def _figures(found: Assignment) -> dict:
    students, readings = selectors.assignment_rows(found)
    enrolled = {s.key for s in students}
    values = {v.number: v for v in ValueType.objects.select_related("field")}
    pairs = assignments.confusion_pairs(readings, enrolled=enrolled)
    return {
        "students": assignments.completion(students, readings, required=found.rounds),
        "values": [
            (values[r.number], r) for r in assignments.value_accuracy(readings, enrolled=enrolled)
        ],
        "pairs": [PairShown(values[p.read], values[p.taken], p.count) for p in pairs],
        "raw_pairs": pairs,
        "names": {n: v.text("name", "en") for n, v in values.items()},
    }


def _csv(found: Assignment, kind: str, figures: dict) -> StreamingHttpResponse:
    from surveys.csv_io import csv_lines  # the app's one formula-safe CSV writer

    names = figures["names"]
    if kind == "students":
        header = ["nickname", "rounds_done", "rounds_required", "complete", "right", "wrong",
                  "accuracy", "last_activity"]  # fmt: skip
        rows = [
            [s.nickname, s.rounds_done, s.rounds_required, int(s.complete), s.right, s.wrong,
             "" if s.accuracy is None else round(s.accuracy, 4), s.last_activity.isoformat()]
            for s in figures["students"]
        ]  # fmt: skip
    elif kind == "values":
        header = ["number", "value", "right", "read", "accuracy"]
        rows = [[r.number, names.get(r.number, ""), r.right, r.read, round(r.accuracy, 4)]
                for _v, r in figures["values"]]  # fmt: skip
    else:
        header = ["read_number", "read_value", "taken_number", "taken_value", "count"]
        rows = [[p.read, names.get(p.read, ""), p.taken, names.get(p.taken, ""), p.count]
                for p in figures["raw_pairs"]]  # fmt: skip
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="assignment-{found.code}-{kind}.csv"'
    return response


def share_url(request, found: Assignment) -> str:
    return lan.join_base_url(request) + reverse("practice:assignment_play", args=[found.code])


@require_safe
def assignment_teacher(request, code: str):
    found = _assignment_or_404(code)
    if not may_see(request, found):
        raise PermissionDenied
    figures = _figures(found)
    if (kind := request.GET.get("download")) in DOWNLOADS:
        return _csv(found, kind, figures)
    link = share_url(request, found)
    context = {
        "assignment": found,
        "closed": assignments.closed(found.deadline, now=timezone.now()),
        "share_url": link,
        "qr": mark_safe(qr_svg(link, scale=1, fluid=True)),  # segno's SVG of our own URL  # noqa: S308
        "wrong_takes": sum(p.count for p in figures["pairs"]),
        "complete": sum(1 for s in figures["students"] if s.complete),
        **figures,
    }
    return render(request, "practice/assignment_teacher.html", context)


def _student_page(request, found: Assignment, *, form=None, status: int = 200):
    learner = selectors.request_learner(request)
    enrolled = selectors.enrolment(found, learner)
    closed = assignments.closed(found.deadline, now=timezone.now())
    progress = selectors.progress(found, learner)
    extra = {"assignment": found.code, "assignment_progress": progress}
    context = {
        "assignment": found,
        "enrolment": enrolled,
        "closed": closed,
        "progress": progress,
        "round_now": min(progress["done"] + 1, found.rounds),
        "results": selectors.own_results(found, learner),
        "form": form or NicknameForm(initial={"nickname": enrolled.nickname if enrolled else ""}),
        "count": len(found.cards),
        "config": _config(
            request, numbers=found.cards, card_set=found.card_set, learner=learner, extra=extra
        ),  # fmt: skip
    }
    return render(request, "practice/assignment_play.html", context, status=status)


@require_safe
@ensure_csrf_cookie
def assignment_play(request, code: str):
    return _student_page(request, _assignment_or_404(code))


@require_POST
def assignment_join(request, code: str):
    """The student's nickname (a plain form, so it works before the page's script runs). A
    browser that is no learner yet becomes one here (the cookie; the script copies it)."""
    found = _assignment_or_404(code)
    if limits.result_wait(request):
        form = NicknameForm(request.POST)
        form.is_valid()
        form.add_error(None, ERRORS["rate_limited"])
        return _student_page(request, found, form=form, status=429)
    if assignments.closed(found.deadline, now=timezone.now()):
        return _student_page(request, found, status=410)
    form = NicknameForm(request.POST)
    if not form.is_valid():
        return _student_page(request, found, form=form, status=400)
    learner, token = selectors.request_learner(request), None
    if learner is None:
        learner, token = services.learner_create()
    try:
        services.enrolment_join(
            assignment=found, learner=learner, nickname=form.cleaned_data["nickname"]
        )
    except services.JoinRefused as refused:
        form.add_error("nickname", ERRORS[refused.code])
        return _student_page(request, found, form=form, status=400)
    response = redirect("practice:assignment_play", code=found.code)
    return _with_cookie(response, token) if token else response
