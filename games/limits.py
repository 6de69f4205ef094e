"""Limits against abuse: a per-socket message budget, and back-off for failed room lookups.

A flooding tab must not slow its room down, and room codes (five characters) must not be
found by trying them one after another. Neither limit may lock a class out of its game.

Failed room lookups (a well-formed code with no room) are counted twice: per browser (an id in
a signed cookie) and per address, the address with a far higher free budget, because a school
puts a whole class behind one address. Past its free failures, each further failure makes
that browser or address wait before its next lookup: a few seconds, doubling, capped
(back-off, not a lockout). While it waits, a lookup is refused whether the room exists or not,
so a guesser learns nothing from the answer; refused lookups are not counted.

Never refused: a browser's lookup of a room it was let into before (the cookie lists them: a
seated player reloading, the projector), the host's (the session knows the rooms it created),
and on the socket a hello whose token the room accepts. Only failures are counted, and a cache
that is down blocks nobody (fail open).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404
from django.http.cookie import parse_cookie
from django.utils.crypto import salted_hmac
from django_ratelimit.core import get_usage

log = logging.getLogger(__name__)

# Messages per second a socket may send on average, and the burst it may send at once.
MESSAGE_RATE = 20.0
MESSAGE_BURST = 40
# What a message costs from its address's budget (Crowd): a snapshot (hello, join, sync) reads
# the whole room, a take or a ping one row. Sixty sockets each within their own budget, asking
# for snapshots, would otherwise slow everyone's.
MESSAGE_COSTS = {"hello": 10, "join": 10, "sync": 10}

COOKIE = "karuta_visitor"
COOKIE_SALT = "games.limits"
COOKIE_MAX_AGE = 60 * 60 * 24 * 60  # two months: a course's worth of weekly classes
ROOMS_KEPT = 20  # the rooms a browser was let into that its cookie remembers, newest last


class TokenBucket:
    """``allow()`` is True while the sender stays within ``rate`` per second (``burst`` at
    once); each refused call costs nothing and is not counted."""

    def __init__(self, rate: float = MESSAGE_RATE, burst: int = MESSAGE_BURST, clock=None):
        self.rate = rate
        self.burst = burst
        self.clock = clock or time.monotonic
        self.tokens = float(burst)
        self.updated = self.clock()

    def allow(self, cost: float = 1) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True


def message_cost(kind: str) -> int:
    return MESSAGE_COSTS.get(kind, 1)


class Crowd:
    """This process's open sockets by counted address: at most ``SOCKETS_PER_ADDRESS`` each,
    and one message budget that all of an address's sockets share (``ADDRESS_MESSAGE_RATE``
    a second, ``ADDRESS_MESSAGE_BURST`` at once), on top of each socket's own.

    Counted per process, not in the shared cache: a process that dies takes its sockets with
    it, where a count in Redis would stay behind and lock a school out. With N processes an
    address may hold N times the cap; the cap is about one process's memory and CPU."""

    def __init__(self) -> None:
        self.open: dict[str, int] = {}
        self.budgets: dict[str, TokenBucket] = {}

    def enter(self, address: str) -> bool:
        """Count a new socket from ``address``; False (not counted) when it holds its cap."""
        held = self.open.get(address, 0)
        if held >= settings.SOCKETS_PER_ADDRESS:
            return False
        self.open[address] = held + 1
        return True

    def leave(self, address: str) -> None:
        held = self.open.get(address, 0) - 1
        if held > 0:
            self.open[address] = held
        else:  # the last one: forget the address and its budget
            self.open.pop(address, None)
            self.budgets.pop(address, None)

    def budget(self, address: str) -> TokenBucket:
        bucket = self.budgets.get(address)
        if bucket is None:
            rate, burst = settings.ADDRESS_MESSAGE_RATE, settings.ADDRESS_MESSAGE_BURST
            bucket = self.budgets[address] = TokenBucket(rate=rate, burst=burst)
        return bucket


crowd = Crowd()


def network_key(address: str) -> str:
    """What a seat keeps of its network: a keyed hash of the counted address (an IPv4 address
    or an IPv6 /64), enough to count seats per network, useless to find a person."""
    return salted_hmac("games.limits.network", address).hexdigest()[:32]


# --- back-off -------------------------------------------------------------------------------


def backoff_seconds(failures: int, *, free: int, base: float, cap: float) -> float:
    """How long to wait after the ``failures``-th failure: nothing for the first ``free``, then
    ``base`` seconds, doubling with each further failure, at most ``cap``."""
    if failures <= free:
        return 0.0
    return min(base * 2 ** min(failures - free - 1, 40), cap)


@dataclass(frozen=True)
class Wait:
    """A refusal: ``seconds`` to wait, ``by`` whose failures caused it."""

    seconds: int
    by: str  # "browser" or "network"


class JoinRefused(Exception):
    """A room lookup refused while its browser or address waits (rendered as a 429)."""

    def __init__(self, wait: Wait, code: str = ""):
        super().__init__(f"wait {wait.seconds} s")
        self.wait = wait
        self.code = code


class RoomNotFound(Http404):
    """No room has this code (rendered as the 404 page with a form to try again)."""

    def __init__(self, code: str):
        super().__init__(f"no room {code}")
        self.code = code


# --- who is asking ----------------------------------------------------------------------------


@dataclass
class Visitor:
    """Whoever looks a room up: an address, and a browser if its cookie says which."""

    address: str
    browser: str | None = None
    rooms: list[str] = field(default_factory=list)
    can_set_cookie: bool = False  # a page response can; a websocket cannot
    changed: bool = False  # the cookie has to be written again


def client_address(scope_or_meta: dict) -> str:
    """The client's address from an ASGI scope or a request's META: the socket's peer, unless
    the peer is one of ``TRUSTED_PROXIES``; then the rightmost X-Forwarded-For entry that is
    not a trusted proxy (what the nearest untrusted hop connected from).

    Entries to the left of it were written by the client and prove nothing: a guesser who
    rotates them still counts as one address. daphne must run without --proxy-headers (it
    would put the leftmost entry in the scope), see docs/deploy.md."""
    peer = _peer(scope_or_meta)
    if not _is_trusted(peer):
        return peer
    for entry in reversed(_forwarded_for(scope_or_meta)):
        address = _address(entry)
        if address is None:  # not what a trusted proxy writes: count the proxy
            return peer
        if not _is_trusted(address):
            return address
    return peer  # the proxy itself (a health check on the machine), or no header


def _peer(scope_or_meta: dict) -> str:
    client = scope_or_meta.get("client")
    found = client[0] if client else scope_or_meta.get("REMOTE_ADDR")
    return (_address(str(found)) if found else None) or str(found or "unknown")


def _forwarded_for(scope_or_meta: dict) -> list[str]:
    """The X-Forwarded-For entries, left to right, of every header line."""
    if "headers" in scope_or_meta:  # an ASGI scope: raw header lines
        lines = [
            value.decode("latin-1")
            for name, value in scope_or_meta["headers"]
            if name.lower() == b"x-forwarded-for"
        ]
    else:  # META: Django joins repeated lines with ","
        lines = [scope_or_meta.get("HTTP_X_FORWARDED_FOR", "")]
    return [entry.strip() for line in lines for entry in line.split(",") if entry.strip()]


def _address(text: str) -> str | None:
    """``text`` as a normalised IP address (an IPv4-mapped IPv6 one as IPv4), or None."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@functools.lru_cache(maxsize=8)
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def counted_address(address: str) -> str:
    """IPv6 clients are counted by their /64: one home or phone gets a whole /64 to pick from."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def visitor_from(address: str, cookie: str | None, *, can_set_cookie: bool) -> Visitor:
    """The visitor of a request or socket; a missing, forged or old cookie counts as none."""
    visitor = Visitor(counted_address(address), can_set_cookie=can_set_cookie)
    if cookie:
        try:
            data = signing.loads(cookie, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
            visitor.browser = str(data["b"]) if data.get("b") else None
            visitor.rooms = [str(code) for code in data.get("r", [])][-ROOMS_KEPT:]
        except (signing.BadSignature, KeyError, TypeError, AttributeError, ValueError):
            pass
    return visitor


def request_visitor(request) -> Visitor:
    """The visitor of a page request (kept on the request: karuta.errors writes its cookie)."""
    visitor = getattr(request, "join_visitor", None)
    if visitor is None:
        address = client_address(request.META)
        visitor = visitor_from(address, request.COOKIES.get(COOKIE), can_set_cookie=True)
        request.join_visitor = visitor
    return visitor


def scope_visitor(scope: dict) -> Visitor:
    """The visitor of a websocket: the page's cookie comes with the handshake."""
    headers = dict(scope.get("headers") or [])
    cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
    return visitor_from(client_address(scope), cookies.get(COOKIE), can_set_cookie=False)


def signed_cookie(visitor: Visitor) -> str:
    return signing.dumps(
        {"b": visitor.browser, "r": visitor.rooms[-ROOMS_KEPT:]}, salt=COOKIE_SALT, compress=True
    )


# --- the counters -------------------------------------------------------------------------------


def _keys(visitor: Visitor) -> list[tuple[str, int, float, str]]:
    """(cache key, free failures, back-off cap, who) for each counter of ``visitor``."""
    keys = [(f"join:a:{visitor.address}", settings.JOIN_ADDRESS_FREE,
             settings.JOIN_ADDRESS_BACKOFF_CAP, "network")]  # fmt: skip
    if visitor.browser:
        keys.insert(0, (f"join:b:{visitor.browser}", settings.JOIN_BROWSER_FREE,
                        settings.JOIN_BROWSER_BACKOFF_CAP, "browser"))  # fmt: skip
    return keys


def waiting(visitor: Visitor, now: float | None = None) -> Wait | None:
    """How long ``visitor`` must still wait before its next lookup, or None."""
    now = time.time() if now is None else now
    keys = _keys(visitor)
    try:
        values = cache.get_many([f"{key}:{part}" for key, *_ in keys for part in "nt"])
    except Exception:  # noqa: BLE001 - fail open: the limit must not lock a class out
        log.warning("join limit: the cache is unavailable, nobody waits", exc_info=True)
        return None
    longest = None
    for key, free, cap, who in keys:
        failures = int(values.get(f"{key}:n") or 0)
        last = float(values.get(f"{key}:t") or 0)
        pause = backoff_seconds(failures, free=free, base=settings.JOIN_BACKOFF_BASE, cap=cap)
        remaining = last + pause - now
        if remaining > 0 and (longest is None or remaining > longest.seconds):
            longest = Wait(max(1, math.ceil(remaining)), who)
    return longest


def may_enter(visitor: Visitor, code: str, *, hosted=()) -> Wait | None:
    """None when ``visitor`` may look ``code`` up now, else how long it has to wait.

    A room this browser was let into before, or one it hosts, is never refused."""
    if code in visitor.rooms or code in hosted:
        return None
    return waiting(visitor)


def failed(visitor: Visitor, now: float | None = None) -> None:
    """Count one failed lookup for the browser (given an id now if it has none and a page
    can set its cookie) and for the address."""
    now = time.time() if now is None else now
    if visitor.browser is None and visitor.can_set_cookie:
        visitor.browser = secrets.token_urlsafe(12)
        visitor.changed = True
    window = settings.JOIN_FAILURE_WINDOW
    for key, *_ in _keys(visitor):
        try:
            # add + incr are atomic in Redis and in the in-process cache: concurrent failures
            # from one class are all counted. The time is last-writer-wins, which is enough.
            if not cache.add(f"{key}:n", 1, window):
                try:
                    cache.incr(f"{key}:n")
                    cache.touch(f"{key}:n", window)
                except ValueError:  # expired between add and incr
                    cache.add(f"{key}:n", 1, window)
            cache.set(f"{key}:t", now, window)
        except Exception:  # noqa: BLE001 - fail open, see waiting()
            log.warning("join limit: the cache is unavailable, failure not counted", exc_info=True)


def admit(visitor: Visitor, code: str) -> None:
    """Remember that this browser was let into ``code``: it is never refused that room again."""
    if not visitor.can_set_cookie or (visitor.rooms and visitor.rooms[-1] == code):
        return
    visitor.rooms = [room for room in visitor.rooms if room != code][-(ROOMS_KEPT - 1) :] + [code]
    if visitor.browser is None:
        visitor.browser = secrets.token_urlsafe(12)
    visitor.changed = True


# --- creating rooms -------------------------------------------------------------------------


def _address_key(group: str, request) -> str:
    return counted_address(client_address(request.META))


def room_creation_wait(request) -> int:
    """Seconds until this address may create another room (0: now), counting this attempt.

    django-ratelimit's fixed window in the cache (shared by every process with REDIS_URL):
    ``ROOM_CREATE_RATE`` rooms per address; a school's teachers share one address."""
    usage = get_usage(
        request,
        group="games.room_create",
        key=_address_key,
        rate=settings.ROOM_CREATE_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))
