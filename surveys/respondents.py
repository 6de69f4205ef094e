"""Who is answering: a respondent token per room (or open link), in a cookie of that room's.

The token links a browser's answers to one game's questionnaire only (a double click, a second
tab, "change your answers"), never one game to another: each room has its own cookie, kept
until that room's questionnaire closes, HttpOnly, SameSite=Lax, Secure in HTTPS mode. Opened
from a player's end screen, the cookie also names the seat, signed so that a browser cannot
claim someone else's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from surveys.admission import Door

PREFIX = "vk_survey_"
OLD_COOKIE = "vk_respondent"  # the one browser-wide cookie of before: removed when seen


@dataclass(frozen=True)
class Respondent:
    token: str
    seat_id: int | None = None


def cookie_name(door: Door) -> str:
    return PREFIX + door.key


def _salt(door: Door) -> str:
    return f"surveys.respondent:{door.key}"


def new() -> Respondent:
    return Respondent(secrets.token_urlsafe(24))


def read(request, door: Door) -> Respondent | None:
    """The respondent this browser is for this door; a missing or forged cookie is none."""
    value = request.get_signed_cookie(cookie_name(door), default=None, salt=_salt(door))
    if not value:
        return None
    token, _, seat = value.partition("|")
    if not (16 <= len(token) <= 64) or (seat and not seat.isdigit()):
        return None
    return Respondent(token, int(seat) if seat else None)


def keep(response, door: Door, respondent: Respondent) -> None:
    """Write the cookie onto ``response``, to last until the door closes."""
    seconds = int((door.closes_at - timezone.now()).total_seconds())
    response.set_signed_cookie(
        cookie_name(door),
        f"{respondent.token}|{respondent.seat_id or ''}",
        salt=_salt(door),
        max_age=max(60, seconds),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_old(request, response) -> None:
    """Remove the browser-wide cookie older versions set (it linked answers across games)."""
    if OLD_COOKIE in request.COOKIES:
        response.delete_cookie(OLD_COOKIE, samesite="Lax")
