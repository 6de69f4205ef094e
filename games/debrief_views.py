"""The host's debrief of a finished game (games/reports.py gathers it): which values were
confused with which, how each card went, each player's accuracy, and the same as CSV."""

import secrets

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from games import debrief, reports, selectors
from games.models import Room
from games.play_views import SESSION_KEY

DOWNLOADS = {"pairs": "confusions", "cards": "cards"}


def may_see(request, room: Room) -> bool:
    """The room's host (by this browser's session, or the host of the room it followed) or a
    staff user allowed to see rooms in the admin."""
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm("games.view_room"):
        return True
    hosted = request.session.get(SESSION_KEY, {})
    token = hosted.get(room.code)
    if token is not None and secrets.compare_digest(str(token), room.host_token):
        return True
    return selectors.hosted_by_succession(room, hosted) is not None


def _csv(room: Room, kind: str) -> StreamingHttpResponse:
    from surveys.csv_io import csv_lines  # the app's one formula-safe CSV writer

    header, rows = reports.csv_table([room], per_card=kind == "cards")
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    filename = f"value-karuta-{room.code}-{DOWNLOADS[kind]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def debrief_page(request, code: str):
    room = get_object_or_404(Room, code=code.strip().upper())
    if not may_see(request, room):
        raise PermissionDenied
    kind = request.GET.get("download")
    if kind in DOWNLOADS:
        return _csv(room, kind)
    return render(
        request,
        "games/play/debrief.html",
        {"room": room, "debrief": reports.room_debrief(room), "outcomes": debrief},
    )
