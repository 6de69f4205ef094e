"""The host's debrief of a finished game (games/reports.py gathers it): which values were
confused with which, how each card went, each player's accuracy, and the same as CSV."""

import secrets

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from games import debrief, reports, rules, selectors, services
from games.models import Room
from games.play_views import SESSION_KEY
from games.realtime import protocol
from games.rules import RuleError
from games.selectors import Actor

DOWNLOADS = {"pairs": "confusions", "cards": "cards"}


def hosts(request, room: Room) -> bool:
    """This browser's session hosts the room (or the room it followed)."""
    hosted = request.session.get(SESSION_KEY, {})
    token = hosted.get(room.code)
    if token is not None and secrets.compare_digest(str(token), room.host_token):
        return True
    return selectors.hosted_by_succession(room, hosted) is not None


def may_see(request, room: Room) -> bool:
    """The room's host, or a staff user allowed to see rooms in the admin."""
    user = request.user
    staff = user.is_authenticated and user.is_staff and user.has_perm("games.view_room")
    return staff or hosts(request, room)


def _csv(room: Room, kind: str) -> StreamingHttpResponse:
    from surveys.csv_io import csv_lines  # the app's one formula-safe CSV writer

    header, rows = reports.csv_table([room], per_card=kind == "cards")
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"value-karuta-{room.code}-{DOWNLOADS[kind]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page(request, room: Room, *, error: str | None = None, status: int = 200):
    shown = reports.room_debrief(room)
    # What one click on "reteach" would deal (services.room_reteach chooses the same).
    pairs = rules.reteach_pairs((p.read.number, p.taken.number) for p in shown.pairs)
    context = {
        "room": room,
        "debrief": shown,
        "outcomes": debrief,
        "reteach": {"pairs": len(pairs), "cards": len({n for pair in pairs for n in pair})}
        if pairs and room.next_room_id is None and hosts(request, room)
        else None,
        "error": error,
        "practice_assignment": _may_assign(request, room),
    }
    return render(request, "games/play/debrief.html", context, status=status)


def _may_assign(request, room: Room) -> bool:
    """Whether the debrief offers a practice assignment of these confusions (practice decides)."""
    from practice.assignment_views import may_create  # practice builds on games, not back

    return may_create(request, room)


@require_safe
def debrief_page(request, code: str):
    room = get_object_or_404(Room, code=code.strip().upper())
    if not may_see(request, room):
        raise PermissionDenied
    kind = request.GET.get("download")
    if kind in DOWNLOADS:
        return _csv(room, kind)
    return _page(request, room)


@require_POST
def reteach(request, code: str):
    """One click from the debrief: the same players in a reteach round of the most-confused
    pairs (services.room_reteach); the host's page of the new room opens."""
    room = get_object_or_404(Room, code=code.strip().upper())
    if not hosts(request, room):
        raise PermissionDenied
    try:
        new = services.room_reteach(code=room.code, actor=Actor(role=rules.HOST))
    except RuleError as err:  # nothing confused, nobody left, not finished: say so, keep all
        return _page(request, room, error=str(protocol.ERRORS[err.code]), status=409)
    return redirect("play_host", code=new.code)
