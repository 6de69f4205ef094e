"""Admin login throttling with django-axes (settings: AXES_*; docs/deploy.md "Security").

Failed logins are counted per username *and* client address, the address every other limit
counts (games.limits.client_address: behind a trusted proxy, the rightmost X-Forwarded-For
entry it did not write). A locked pair gets a translated page (HTTP 429, Retry-After) instead
of axes' English one-liner."""

from __future__ import annotations

import ipaddress

from axes.helpers import get_cool_off
from django.shortcuts import render

from games.limits import client_address


def client_ip(request) -> str | None:
    """The address axes stores with each attempt (None when it is not an IP address)."""
    address = client_address(request.META)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def locked_out(request, *args, **kwargs):
    """The page of a username locked from this address (axes' AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    context = {"minutes": max(1, -(-seconds // 60)) if seconds else 0}
    response = render(request, "login_locked.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
