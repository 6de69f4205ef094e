"""One settings module, configured from the environment.

With no environment at all it runs on embedded defaults: a SQLite file in the project,
the in-memory channel layer, DEBUG off, loopback hosts only.
"""

import ipaddress
import os
import secrets
import socket
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from karuta import lan

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in a git-ignored file."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = BASE_DIR / ".secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# A class on the local network (see karuta/lan.py and the README): `make run HOST=0.0.0.0`
# passes the bound address as LISTEN_HOST; the machine's LAN addresses (and its name) are then
# allowed hosts, and the join link and QR use a LAN address instead of 127.0.0.1. PUBLIC_URL
# (e.g. https://karuta.example.org behind a proxy) is the join link's base whatever the page's.
LISTEN_HOST = os.environ.get("LISTEN_HOST", "").strip()
LAN_ADDRESSES: list[str] = []
if lan.serves_network(LISTEN_HOST):
    LAN_ADDRESSES = lan.lan_addresses() if LISTEN_HOST in lan.WILDCARDS else [LISTEN_HOST]
    _name = socket.gethostname()
    ALLOWED_HOSTS += [
        f"[{a}]" if ":" in a else a for a in LAN_ADDRESSES if a not in ALLOWED_HOSTS
    ] + [_name, f"{_name}.local"]
PUBLIC_URL = os.environ.get("PUBLIC_URL", "").strip().rstrip("/")
if PUBLIC_URL:
    _public = urlsplit(PUBLIC_URL)
    ALLOWED_HOSTS.append(_public.hostname)
    # Same-origin posts pass Django's CSRF check on their own; behind a proxy that rewrites
    # the Host header, the public origin has to be trusted explicitly.
    CSRF_TRUSTED_ORIGINS.append(f"{_public.scheme}://{_public.netloc}")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "csp",
    "axes",
    "games",
    "surveys",
    "practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Room codes that lead nowhere and the join limit's back-off, as pages (karuta/errors.py).
    "karuta.errors.GettingInMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its page (karuta/login_throttle.py).
    "axes.middleware.AxesMiddleware",
]
CSRF_FAILURE_VIEW = "karuta.errors.csrf_failure"

ROOT_URLCONF = "karuta.urls"
ASGI_APPLICATION = "karuta.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Every websocket move is a database call from a worker thread; reopening the SQLite file
    # each time (and re-running its PRAGMAs) cost more than the move itself. A server-side
    # database keeps Django's ASGI advice instead (no persistent connections: each request
    # thread would hold one open), see docs/deploy.md.
    if "DB_CONN_MAX_AGE" not in os.environ:
        DATABASES["default"]["CONN_MAX_AGE"] = 600
    # WAL lets readers and the single writer overlap; the timeout waits out short locks
    # instead of failing a take with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Under daphne every HTTP request's view runs in a thread of its own, so without a pool a
    # burst of requests opens one PostgreSQL connection each: 200 questionnaires submitted at
    # once ran past max_connections ("too many clients already", HTTP 500). A pool per process
    # (psycopg_pool, Django's own support) makes the burst wait for a connection instead.
    pool_size = int(os.environ.get("DB_POOL_MAX_SIZE", "20"))
    if pool_size > 0 and DATABASES["default"]["CONN_MAX_AGE"] == 0:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": int(os.environ.get("DB_POOL_TIMEOUT", "30")),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket_timeout and channels_redis blocks 5 s in
                # BZPOPMIN: an idle receive would die with "Timeout reading". A URL's own
                # ?socket_timeout= still wins.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                # A full queue drops messages silently: leave room for bursts of takes.
                "capacity": int(os.environ.get("CHANNEL_CAPACITY", "1000")),
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": int(os.environ.get("CHANNEL_CAPACITY", "1000")), "expiry": 60},
        }
    }

# The cache holds the join limit's counters (games/limits.py): in-process by default, shared by
# every process through Redis when REDIS_URL is set (a guesser must not get a fresh budget from
# each process). Short timeouts: a Redis that is down must not stall a page; the limit then
# fails open.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "karuta",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Failed room lookups (a code with no room), see games/limits.py. A browser (signed cookie) may
# fail JOIN_BROWSER_FREE times, an address (a school behind one NAT: a whole class) far more,
# before each further failure makes it wait: JOIN_BACKOFF_BASE seconds, doubling, at most the
# cap. Failures are forgotten JOIN_FAILURE_WINDOW seconds after the last one.
JOIN_BROWSER_FREE = int(os.environ.get("JOIN_BROWSER_FREE", "5"))
JOIN_ADDRESS_FREE = int(os.environ.get("JOIN_ADDRESS_FREE", "200"))
JOIN_BACKOFF_BASE = float(os.environ.get("JOIN_BACKOFF_BASE", "2"))
JOIN_BROWSER_BACKOFF_CAP = float(os.environ.get("JOIN_BROWSER_BACKOFF_CAP", "300"))
JOIN_ADDRESS_BACKOFF_CAP = float(os.environ.get("JOIN_ADDRESS_BACKOFF_CAP", "600"))
JOIN_FAILURE_WINDOW = int(os.environ.get("JOIN_FAILURE_WINDOW", "600"))

# Rooms and sockets under abuse (games/limits.py, docs/deploy.md "Security"). Rooms one address
# may create (django-ratelimit's "count/period"); players one network may seat in a room (a
# class of 100 behind one school address fits, a script cannot fill a room of 500); sockets one
# address may hold open on each process, and the message budget they share (a snapshot costs
# 10, a take 1); seconds a socket may stay open without saying hello.
ROOM_CREATE_RATE = os.environ.get("ROOM_CREATE_RATE", "30/h")
SEATS_PER_ADDRESS = int(os.environ.get("SEATS_PER_ADDRESS", "150"))
SOCKETS_PER_ADDRESS = int(os.environ.get("SOCKETS_PER_ADDRESS", "300"))
ADDRESS_MESSAGE_RATE = float(os.environ.get("ADDRESS_MESSAGE_RATE", "100"))
ADDRESS_MESSAGE_BURST = int(os.environ.get("ADDRESS_MESSAGE_BURST", "3000"))
HELLO_TIMEOUT = float(os.environ.get("HELLO_TIMEOUT", "10"))
# Seconds between latency probes to each player's tab (fair races, games/fairness.py); 0: none.
LATENCY_PROBE_SECONDS = float(os.environ.get("LATENCY_PROBE_SECONDS", "3"))
# A hall: no message lists more players than this (the final ranking, a team's members, the
# snapshot's players, the teams event); each tab also gets its own row (docs/protocol.md).
HALL_LIST_MAX = int(os.environ.get("HALL_LIST_MAX", "100"))
# How often at most a hall's tabs hear of its joins (the last join and the total, merged by each
# process's relay): one frame per tab a second, not one per join.
HALL_JOIN_SECONDS = float(os.environ.get("HALL_JOIN_SECONDS", "1"))
# A limit whose cache is down lets everyone through (as the join limit does): a Redis outage
# must not lock a class out.
RATELIMIT_FAIL_OPEN = True
# When rooms expire (games/expiry.py, `manage.py expire_rooms`; each server process also runs
# it every ROOM_EXPIRY_EVERY seconds): a lobby nobody started, a game nobody moved on, a
# finished game (kept while a research group lists it).
ROOM_LOBBY_HOURS = int(os.environ.get("ROOM_LOBBY_HOURS", "24"))
ROOM_IDLE_HOURS = int(os.environ.get("ROOM_IDLE_HOURS", "24"))
ROOM_FINISHED_DAYS = int(os.environ.get("ROOM_FINISHED_DAYS", "90"))
ROOM_EXPIRY_EVERY = int(os.environ.get("ROOM_EXPIRY_EVERY", "3600"))

# Questionnaires (surveys/admission.py): a room's questionnaire takes answers for this many
# days after its game finished (or the room was made); questionnaire POSTs one address may send
# (django-ratelimit's "count/period": a class of 100 behind one school address, each sending
# and changing once, fits).
SURVEY_WINDOW_DAYS = int(os.environ.get("SURVEY_WINDOW_DAYS", "14"))
SURVEY_POSTS_PER_ADDRESS = os.environ.get("SURVEY_POSTS_PER_ADDRESS", "200/10m")
# CSV imports of paper answers (surveys/services.py responses_import): a bigger file is refused
# before any of it is read (20 MB holds some 200,000 rows of questionnaire 1).
SURVEY_IMPORT_MAX_BYTES = int(os.environ.get("SURVEY_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# The real-time layer (games/realtime/): how long a room's relay stays subscribed after its last
# tab on this process left (a reload comes back within it), and how often each process looks
# for room deadlines coming up.
RELAY_GRACE_SECONDS = 30
DEADLINE_WATCH_SECONDS = 5
# Seconds between a server process's full garbage-collector passes (karuta/garbage.py): on a
# clock, not every few seconds under a hall's load; 0 leaves CPython's own schedule.
GC_FULL_SECONDS = float(os.environ.get("GC_FULL_SECONDS", "60"))

# Solo practice (practice/, docs/practice.md): result POSTs one address may send and failed
# "continue on another device" codes one address may try (django-ratelimit's "count/period");
# how many hours a shown code stays valid.
PRACTICE_POSTS_PER_ADDRESS = os.environ.get("PRACTICE_POSTS_PER_ADDRESS", "600/10m")
PRACTICE_CODE_FAILURES = os.environ.get("PRACTICE_CODE_FAILURES", "20/h")
PRACTICE_CODE_HOURS = int(os.environ.get("PRACTICE_CODE_HOURS", "24"))
# Practice assignments (docs/practice.md "Assignments"): creations one address may make, the
# students (nicknames) one assignment takes, the furthest deadline in days.
PRACTICE_ASSIGNMENTS_PER_ADDRESS = os.environ.get("PRACTICE_ASSIGNMENTS_PER_ADDRESS", "30/h")
PRACTICE_ASSIGNMENT_STUDENTS_MAX = int(os.environ.get("PRACTICE_ASSIGNMENT_STUDENTS_MAX", "500"))
PRACTICE_ASSIGNMENT_DAYS_MAX = int(os.environ.get("PRACTICE_ASSIGNMENT_DAYS_MAX", "180"))

# Admin login throttling (django-axes, karuta/login_throttle.py, docs/deploy.md "Security"): after
# AXES_FAILURE_LIMIT wrong passwords for one username from one address (games.limits'
# client_address), that username is refused from that address for AXES_COOLOFF_MINUTES, even
# with the right password; a student's address cannot lock a teacher out elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before any check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "karuta.login_throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "karuta.login_throttle.locked_out"
AXES_RESET_ON_SUCCESS = True  # a teacher's typos are forgotten once they get in
# axes' own admin pages have no Japanese labels: off; `manage.py axes_reset` lifts a lockout.
AXES_ENABLE_ADMIN = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Serve straight from the app and static/ folders: no collectstatic step needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Uploaded card illustrations (see games/images.py).
CARD_IMAGE_MAX_BYTES = int(os.environ.get("CARD_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
# A pixel count (width × height), checked from the header before decoding: it bounds the
# memory of an upload (about 4 bytes a pixel), 16.8 megapixels by default (4096 × 4096).
CARD_IMAGE_MAX_PIXELS = int(os.environ.get("CARD_IMAGE_MAX_PIXELS", str(4096 * 4096)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# A CJK font for Pillow-rendered cards and the printable deck (see games/fonts.py).
CARD_FONT = os.environ.get("CARD_FONT", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # nginx overwrites it with its own $scheme (docs/deploy.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain http is sent to https, except the proxy's health check and the scraper on the
    # machine, which ask daphne directly.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    # HSTS for a day by default, so a mistake is forgotten by tomorrow; raise it to a year
    # (31536000) once https works (docs/deploy.md). Subdomains and preload only when asked:
    # they bind names this app may not own, for as long as the browsers remember.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "86400"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# check --deploy asks for HSTS on subdomains and preload: the deployer's choice (above).
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Content-Security-Policy (django-csp): scripts, styles, pictures, sockets and forms from this
# site only, no inline script or style anywhere (field colours come from fields.css), never in
# a frame. Pages are checked for violations in Chromium (tests/e2e/test_csp_browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],  # 'self' covers the page's own ws:// or wss:// (CSP level 3)
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Proxies whose X-Forwarded-For is believed (games/limits.py client_address), comma-separated
# addresses or CIDRs (e.g. 127.0.0.1 for nginx on the machine); empty: no header is believed,
# the socket's peer is the client. A typo stops the server at start, not at the first request.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes: lockouts (warnings) kept, not a line per login and per command started.
    "loggers": {"daphne": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
