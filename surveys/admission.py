"""Who may answer a questionnaire, and where the answers go in (a "door").

- A game room's questionnaire exists only for a room that exists. A well-formed code with no
  room is a 404 counted like a failed join (games/limits.py): the questionnaire must not tell
  a guesser which codes are live.
- It takes answers for ``SURVEY_WINDOW_DAYS`` after the game finished (or, never finished,
  after the room was made).
- A room takes at most as many answers per questionnaire as it has had seats. Answers from a
  player's own end screen (bound to a seat, one per seat) are always taken: a flood through
  the projector's link can fill the room's count but cannot shut its players out.
- A researcher's open link takes at most ``capacity`` answers per questionnaire into its
  group, until ``expires_at``.
- One address may send ``SURVEY_POSTS_PER_ADDRESS`` questionnaire POSTs (django-ratelimit's
  fixed window in the cache, shared by every process when REDIS_URL is set).

The count is enforced where the answer is written (surveys/services.py, one transaction);
here it is only read, to say "full" before a player fills the form in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django_ratelimit.core import get_usage

from games import limits, rules
from games.models import Room, Seat
from surveys.models import GroupRoom, OpenLink, Response

ROOM_CODE_MAX = 32

NO_ROOM, CLOSED, FULL, NOT_YOUR_SEAT = "no_room", "closed", "full", "not_your_seat"
STATUS = {NO_ROOM: 404, CLOSED: 410, FULL: 403, NOT_YOUR_SEAT: 403}


@dataclass(frozen=True)
class Door:
    """A room's questionnaire, or an open link's."""

    key: str  # the room code, or "open<pk>": names the respondent cookie and the drafts
    closes_at: datetime
    room: Room | None = None
    link: OpenLink | None = None

    @property
    def room_code(self) -> str:
        return self.room.code if self.room else ""

    @property
    def open_link_id(self) -> int | None:
        return self.link.pk if self.link else None

    @property
    def group(self):
        if self.link:
            return self.link.group
        found = GroupRoom.objects.filter(room_code=self.room_code).select_related("group").first()
        return found.group if found else None

    def capacity(self) -> int:
        """Answers per questionnaire: the seats the room has had, or the link's places."""
        if self.link:
            return self.link.capacity
        return Seat.objects.filter(room=self.room).count()

    def answers(self):
        """The web answers that count against the capacity."""
        if self.link:
            return Response.objects.filter(open_link=self.link, source=Response.WEB)
        return Response.objects.filter(room_code=self.room_code, source=Response.WEB)

    def is_full(self, numbers) -> bool:
        """No questionnaire of ``numbers`` has a place left for a new, seatless answer."""
        cap = self.capacity()
        counts = self.answers().filter(questionnaire__in=numbers).values_list("questionnaire")
        taken = {n: 0 for n in numbers}
        for (number,) in counts:
            taken[number] += 1
        return all(count >= cap for count in taken.values())


class Refused(Exception):
    """The door is shut: ``reason`` (NO_ROOM, CLOSED, FULL, NOT_YOUR_SEAT), rendered with its
    own status and text."""

    def __init__(self, reason: str, door: Door | None = None, code: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.door = door
        self.code = code

    @property
    def status(self) -> int:
        return STATUS[self.reason]


def window() -> timedelta:
    return timedelta(days=settings.SURVEY_WINDOW_DAYS)


def normalize(code: str) -> str:
    code = (code or "").strip().upper()
    if not code or len(code) > ROOM_CODE_MAX or not code.replace("-", "").isalnum():
        raise Http404  # not a code at all: tells a guesser nothing, not counted
    return code


def room_door(request, code: str, *, now: datetime | None = None) -> Door:
    """The door of room ``code``, or Refused(NO_ROOM / CLOSED). Misses count as failed room
    lookups; while this browser or address waits after too many, limits.JoinRefused (a 429)."""
    code = normalize(code)
    visitor = limits.request_visitor(request)
    wait = limits.may_enter(visitor, code)
    if wait:
        raise limits.JoinRefused(wait, code)
    room = Room.objects.filter(code=code).first()
    if room is None:
        if rules.is_code(code):
            limits.failed(visitor)
        raise Refused(NO_ROOM, code=code)
    limits.admit(visitor, code)
    door = Door(
        key=room.code, closes_at=(room.finished_at or room.created_at) + window(), room=room
    )
    if (now or timezone.now()) >= door.closes_at:
        raise Refused(CLOSED, door, code=room.code)
    return door


def link_door(token: str, *, now: datetime | None = None) -> Door:
    """The door of an open link, Http404 for no such link, Refused(CLOSED) once expired."""
    link = OpenLink.objects.filter(token=token).select_related("group").first()
    if link is None:
        raise Http404
    door = Door(key=f"open{link.pk}", closes_at=link.expires_at, link=link)
    if (now or timezone.now()) >= link.expires_at:
        raise Refused(CLOSED, door)
    return door


def seat_in(door: Door, token: str) -> Seat:
    """The seat whose secret ``token`` the player's page sent, if it is this room's."""
    seat = None
    if door.room and token and len(token) <= 64:
        seat = Seat.objects.filter(room=door.room, token=token).first()
    if seat is None:
        raise Refused(NOT_YOUR_SEAT, door, code=door.room_code)
    return seat


def _address_key(group: str, request) -> str:
    return limits.counted_address(limits.client_address(request.META))


def posts_wait(request) -> int:
    """Seconds until this address may send another questionnaire (0: now), counting this one.
    A cache that is down lets everyone through (RATELIMIT_FAIL_OPEN)."""
    usage = get_usage(
        request,
        group="surveys.post",
        key=_address_key,
        rate=settings.SURVEY_POSTS_PER_ADDRESS,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))
