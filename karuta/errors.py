"""Error pages a player can act on: a room code that leads nowhere, a back-off to wait out,
a form that expired. Django's own handlers render templates/403.html, 404.html and 500.html
for everything else (500.html without a request context, so it cannot fail in turn).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

from games import limits


def room_not_found(request, code: str):
    return render(request, "404.html", {"room_code": code}, status=404)


def too_many_lookups(request, refused: limits.JoinRefused):
    seconds = refused.wait.seconds
    context = {
        "code": refused.code,
        "by": refused.wait.by,
        "seconds": seconds,
        # Over two minutes, whole minutes read better ("5 minutes", not "300 seconds").
        "minutes": -(-seconds // 60) if seconds > 120 else 0,
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def csrf_failure(request, reason: str = ""):
    """An expired form (a page left open since yesterday, a server restarted with a new key)."""
    return render(request, "403.html", {"csrf": True}, status=403)


class GettingInMiddleware(MiddlewareMixin):
    """Renders the room lookups' refusals and misses, and keeps the join limit's cookie
    (games/limits.py) up to date. Listed after LocaleMiddleware: the pages are translated."""

    def process_exception(self, request, exception):
        if isinstance(exception, limits.JoinRefused):
            return too_many_lookups(request, exception)
        if isinstance(exception, limits.RoomNotFound):
            return room_not_found(request, exception.code)
        return None

    def process_response(self, request, response):
        visitor = getattr(request, "join_visitor", None)
        if visitor is not None and visitor.changed:
            response.set_cookie(
                limits.COOKIE,
                limits.signed_cookie(visitor),
                max_age=limits.COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
