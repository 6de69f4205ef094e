"""Solo practice pages and their JSON endpoints: thin (parse, call a selector or a service,
answer). The rules are in scoring.py and schedule.py, the writes in services.py."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST, require_safe

from games import rules as game_rules
from games.models import Field
from games.views import card_lang, chosen_cards
from practice import learners, limits, results, schedule, scoring, selectors, services
from practice.messages import ERRORS, page_strings


def _error(code: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(ERRORS[code]), **extra}, status=status)


def _body(request) -> dict | JsonResponse:
    if len(request.body) > results.MAX_BYTES:
        return _error("too_big", 413)
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error("bad_json")
    return data if isinstance(data, dict) else _error("bad_json")


def _with_cookie(response, token: str):
    response.set_cookie(
        learners.COOKIE, token, max_age=learners.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
        secure=request_secure(),
    )  # fmt: skip
    return response


def request_secure() -> bool:
    return bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def _config(request, *, numbers: list[int], card_set: str, learner, extra=None) -> dict:
    lang = card_lang(request)
    langs = selectors.LANGS[lang]
    best = {}
    if learner is not None:
        best = {mode: selectors.best(learner, mode, card_set) for mode in scoring.MODES}
    return {
        "cards": selectors.round_cards(numbers, langs),
        "card_set": card_set,
        "lang": lang,
        "langs": list(langs),
        "read_speed": game_rules.READ_SPEED,
        "paces": scoring.PACES,
        "penalty_ms": scoring.PENALTY_MS,
        "known": learner is not None,
        "best": best,
        "assignment": "",
        "urls": {
            "results": reverse("practice:results"),
            "learner": reverse("practice:learner"),
            "code": reverse("practice:code"),
            "adopt": reverse("practice:adopt"),
            "import": reverse("practice:import"),
            "review": reverse("practice:review"),
            "solo": reverse("practice:solo"),
            "study": reverse("study"),
        },
        "strings": page_strings(),
        **(extra or {}),
    }


def _chosen(request, learner) -> tuple[list[int], str, str]:
    """The cards of the round the page is asked for: (numbers, card set key, active field)."""
    fields = dict(selectors.deck_fields())
    if cards := request.GET.get("cards", ""):
        numbers = [n for n in chosen_cards(cards) if n in fields]
        if len(numbers) != len(cards.split(",")):
            raise Http404("No such cards")
        return numbers, f"cards:{cards}", ""
    if field := request.GET.get("field", ""):
        numbers = sorted(n for n, f in fields.items() if f == field)
        if not numbers:
            raise Http404("No such field")
        return numbers, f"field:{field}", field
    if request.GET.get("set") == "confused":
        return schedule.confused_values(selectors.own_pairs(learner)), "confused", ""
    return sorted(fields), "all", ""


@require_safe
@ensure_csrf_cookie
def solo(request):
    learner = selectors.request_learner(request)
    numbers, card_set, active = _chosen(request, learner)
    context = {
        "fields": Field.objects.all(),
        "active_field": active,
        "card_set": card_set,
        "count": len(numbers),
        "has_confusions": bool(selectors.own_pairs(learner)),
        "lang": card_lang(request),
        "config": _config(request, numbers=numbers, card_set=card_set, learner=learner),
    }
    return render(request, "practice/solo.html", context)


@require_safe
@ensure_csrf_cookie
def review(request):
    learner = selectors.request_learner(request)
    room = request.GET.get("from", "")
    importing = game_rules.normalize_code(room) if room else ""
    numbers: list[int] = []
    if not importing:
        numbers = schedule.review_deal(
            selectors.memories(learner),
            timezone.now(),
            own=selectors.own_pairs(learner),
            common=selectors.common_pairs(),
            fields=selectors.deck_fields(),
        )
    config = _config(
        request, numbers=numbers, card_set="review", learner=learner,
        extra={"import_from": importing},
    )  # fmt: skip
    context = {
        "count": len(numbers),
        "importing": importing,
        "next_due": selectors.next_due(learner),
        "learner": learner,
        "lang": card_lang(request),
        "config": config,
    }
    return render(request, "practice/review.html", context)


@require_POST
def learner_post(request):
    """This browser's learner: the token it sends (from localStorage) or its cookie's, else a
    new learner. Answers the token (for localStorage) and sets the cookie."""
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    sent = data.get("token") if isinstance(data.get("token"), str) else None
    for token in (sent, request.COOKIES.get(learners.COOKIE)):
        if selectors.learner_of(token) is not None:
            return _with_cookie(JsonResponse({"token": token, "created": False}), token)
    _learner, token = services.learner_create()
    return _with_cookie(JsonResponse({"token": token, "created": True}), token)


def _posting_learner(request):
    """(learner, posted JSON, None), or (None, None, the error response): within the rate
    limit, a readable body, and a learner (by its token in the body or its cookie)."""
    if wait := limits.result_wait(request):
        return None, None, _error("rate_limited", 429, retry_after=wait)
    data = _body(request)
    if isinstance(data, JsonResponse):
        return None, None, data
    learner = selectors.request_learner(request, data.get("token"))
    if learner is None:
        return None, None, _error("no_learner")
    return learner, data, None


@require_POST
def result_post(request):
    learner, data, refused = _posting_learner(request)
    if refused is not None:
        return refused
    try:
        posted = results.parse(data, set(selectors.deck_fields()))
    except results.Invalid as invalid:
        return _error(invalid.code)
    if posted.assignment and not selectors.stored(learner, posted.client_id):
        # Checked when the result arrives: a round finished offline before the deadline and
        # sent after it is refused too (410: the page's queue drops it and says why).
        refusal = selectors.assignment_refusal(learner, posted, timezone.now())
        if refusal:
            return _error(refusal, 410 if refusal == "assignment_closed" else 400)
    recorded = services.result_record(learner=learner, posted=posted)
    result = recorded.result
    previous = tuple(result.previous_best) if result.previous_best else None
    extra = {}
    if posted.assignment and (found := selectors.assignment(posted.assignment)):
        extra["assignment"] = selectors.progress(found, learner)
    return JsonResponse(
        {
            **extra,
            "id": str(result.client_id),
            "stored": recorded.created,
            "rounds": result.rounds,
            "wrong": result.wrong,
            "elapsed_ms": result.elapsed_ms,
            "score_ms": result.score_ms,
            "personal_best": scoring.is_best(
                result.mode, wrong=result.wrong, score=result.score_ms, previous=previous
            ),
            "previous_best": result.previous_best,
        }
    )


@require_POST
def code_post(request):
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    learner = selectors.request_learner(request, data.get("token"))
    if learner is None:
        return _error("no_learner")
    code = services.code_issue(learner=learner)
    return JsonResponse({"code": learners.shown_code(code), "hours": settings.PRACTICE_CODE_HOURS})


@require_POST
def adopt_post(request):
    if wait := limits.code_wait(request):
        return _error("code_rate_limited", 429, retry_after=wait)
    data = _body(request)
    if isinstance(data, JsonResponse):
        return data
    adopted = services.code_adopt(typed=str(data.get("code", "")))
    if adopted is None:
        limits.code_failed(request)
        return _error("bad_code")
    _learner, token = adopted
    return _with_cookie(JsonResponse({"token": token}), token)


@require_POST
def import_post(request):
    """A finished room's takes by this browser's seat (its token from the room page's
    localStorage, sent in the body) into this browser's learner; once per room."""
    learner, data, refused = _posting_learner(request)
    if refused is not None:
        return refused
    takes = selectors.seat_takes(str(data.get("room", ""))[:16], data.get("seat"))
    if takes is None:
        return _error("no_seat")
    record, created = services.class_import(learner=learner, takes=takes)
    return JsonResponse({"room": record.room_code, "rated": record.rated, "imported": created})
