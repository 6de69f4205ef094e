"""How often one address may post results and try device codes (django-ratelimit's fixed
window in the cache, shared by every process when REDIS_URL is set; fails open, as the site's
other limits do). Addresses are counted as games/limits.py counts them (IPv6 by /64)."""

from __future__ import annotations

from django.conf import settings
from django_ratelimit.core import get_usage

from games.limits import client_address, counted_address


def _address(group: str, request) -> str:
    return counted_address(client_address(request.META))


def _wait(request, group: str, rate: str, increment: bool) -> int:
    usage = get_usage(request, group=group, key=_address, rate=rate, increment=increment)
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def result_wait(request) -> int:
    """Seconds until this address may post another result (0: now), counting this one."""
    return _wait(request, "practice.results", settings.PRACTICE_POSTS_PER_ADDRESS, True)


def code_wait(request) -> int:
    """Seconds this address must wait before trying a code again (its failures are used up)."""
    rate = settings.PRACTICE_CODE_FAILURES
    usage = get_usage(request, group="practice.code", key=_address, rate=rate, increment=False)
    if usage is None or usage["count"] < usage["limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def code_failed(request) -> None:
    _wait(request, "practice.code", settings.PRACTICE_CODE_FAILURES, True)


def assignment_wait(request) -> int:
    """Seconds until this address may create another assignment (0: now), counting this one."""
    return _wait(request, "practice.assignments", settings.PRACTICE_ASSIGNMENTS_PER_ADDRESS, True)
