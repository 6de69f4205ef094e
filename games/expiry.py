"""Rooms do not live for ever: the schedule on which they expire, and the one writer that
applies it (``rooms_expire``, run by ``manage.py expire_rooms`` and by every server process
each ``ROOM_EXPIRY_EVERY`` seconds, see games/realtime/timers.py).

- A lobby nobody started is deleted ``ROOM_LOBBY_HOURS`` after it was created: it holds no
  game, only the seats that joined it.
- A game nobody moved on for ``ROOM_IDLE_HOURS`` is finished, as if its last card had been
  read: the takes so far are kept for the debrief and the research pages.
- A finished game is deleted ``ROOM_FINISHED_DAYS`` after it ended, with its seats and takes,
  unless an app says it must be kept (the surveys app keeps the rooms a research group lists;
  questionnaire answers are kept apart from the room and are not deleted with it).
- Django's expired sessions are cleared at the same time (``clearsessions``).

Every step is a compare-and-set on the room's state, so two processes expiring at once, or a
player moving while a room expires, can never both win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from games import events, rules
from games.models import Room

# Functions returning room codes that must not be deleted (apps register theirs when ready).
keepers: list[Callable[[], Iterable[str]]] = []

PLAYING = (rules.READING, rules.TAKEN, rules.TIMEOUT)


@dataclass(frozen=True)
class Expired:
    lobbies_deleted: int
    games_finished: int
    games_deleted: int
    sessions_cleared: int


def kept_codes() -> set[str]:
    return {code for keeper in keepers for code in keeper()}


def rooms_expire(*, now=None) -> Expired:
    """Apply the schedule once; what it did."""
    now = now or timezone.now()
    lobbies = Room.objects.filter(
        state=rules.LOBBY, created_at__lt=now - timedelta(hours=settings.ROOM_LOBBY_HOURS)
    )
    lobbies_deleted = lobbies.delete()[1].get("games.Room", 0)

    idle_since = now - timedelta(hours=settings.ROOM_IDLE_HOURS)
    idle = Room.objects.filter(state__in=PLAYING).filter(
        Q(turn_started_at__lt=idle_since)
        | Q(turn_started_at__isnull=True, created_at__lt=idle_since)
    )
    finished = sum(_finish(room, now) for room in idle)

    old = Room.objects.filter(
        state=rules.FINISHED,
        finished_at__lt=now - timedelta(days=settings.ROOM_FINISHED_DAYS),
    ).exclude(code__in=kept_codes())
    games_deleted = old.delete()[1].get("games.Room", 0)

    sessions = Session.objects.filter(expire_date__lt=now).delete()[1].get("sessions.Session", 0)
    return Expired(lobbies_deleted, finished, games_deleted, sessions)


@transaction.atomic
def _finish(room: Room, now) -> bool:
    # Race: a player's move in the same instant; only the write that sees the state it read wins.
    if not Room.objects.filter(pk=room.pk, state=room.state).update(
        state=rules.FINISHED, deadline=None, finished_at=now
    ):
        return False
    events.finished(room)
    return True
