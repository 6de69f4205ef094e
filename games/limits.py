"""Limits against abuse: a per-socket message budget and a cap on failed room lookups.

A flooding tab must not slow its room down, and room codes (five characters) must not be
found by trying them one after another. Both limits answer with an error and change nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

# Messages per second a socket may send on average, and the burst it may send at once.
MESSAGE_RATE = 20.0
MESSAGE_BURST = 40


class TokenBucket:
    """``allow()`` is True while the sender stays within ``rate`` per second (``burst`` at
    once); each refused call costs nothing and is not counted."""

    def __init__(self, rate: float = MESSAGE_RATE, burst: int = MESSAGE_BURST, clock=None):
        self.rate = rate
        self.burst = burst
        self.clock = clock or time.monotonic
        self.tokens = float(burst)
        self.updated = self.clock()

    def allow(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def join_failure_limit() -> int:
    """Failed room lookups one client address may make per window (settings override)."""
    return getattr(settings, "JOIN_FAILURE_LIMIT", 20)


def join_failure_window() -> int:
    return getattr(settings, "JOIN_FAILURE_WINDOW", 600)


def _key(address: str) -> str:
    return f"karuta:join-failures:{address}"


def join_blocked(address: str) -> bool:
    """True once ``address`` has failed too many room lookups in the current window.

    A cache that is down blocks nobody: the limit protects codes, it must not lock a class
    out of its game."""
    try:
        return (cache.get(_key(address)) or 0) >= join_failure_limit()
    except Exception:  # noqa: BLE001 - fail open, see above
        return False


def join_failed(address: str) -> None:
    """Count one failed room lookup; the window starts with the first failure."""
    key = _key(address)
    try:
        if not cache.add(key, 1, join_failure_window()):
            cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, join_failure_window())
    except Exception:  # noqa: BLE001 - fail open, see join_blocked
        pass


def client_address(scope_or_meta: dict) -> str:
    """The client's address from an ASGI scope or a request's META (daphne's --proxy-headers
    puts a load balancer's X-Forwarded-For there)."""
    client = scope_or_meta.get("client")
    if client:
        return str(client[0])
    return str(scope_or_meta.get("REMOTE_ADDR") or "unknown")
