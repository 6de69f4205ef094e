"""What an operator watches (Prometheus, served at /metrics by karuta/views.py).

Counters and gauges live in the process that counts them. With several daphne processes behind
one socket a scrape reaches any one of them, so set ``PROMETHEUS_MULTIPROC_DIR`` (an empty
directory, cleared at deploy) and each process writes its figures there; /metrics then sums
them (gauges as ``livesum``: only processes alive count). See docs/deploy.md.
"""

from __future__ import annotations

import os

from django.db.models import Count
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from games import rules
from games.models import Room

WEBSOCKETS = Gauge(
    "karuta_websockets_open", "Websockets open to room pages.", multiprocess_mode="livesum"
)
RELAYS = Gauge(
    "karuta_relays", "Room relays (one subscription per room and process).",
    multiprocess_mode="livesum",
)  # fmt: skip
TAKES = Counter("karuta_takes", "Card takes handled, by outcome.", ["outcome"])
TAKE_SECONDS = Histogram(
    "karuta_take_seconds",
    "Server-side handling time of a take, from its frame to its answer (database included).",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
SOCKETS_REFUSED = Counter(
    "karuta_sockets_refused",
    "Websocket handshakes refused: the address held its share of sockets (games/limits.py).",
)
EVENTS_LOST = Counter(
    "karuta_events_lost", "Events the channel layer refused (tabs resync from the database)."
)


class RoomsByState:
    """Rooms per state, read from the database at scrape time (the same from every process)."""

    def collect(self):
        family = GaugeMetricFamily("karuta_rooms", "Rooms by state.", labels=["state"])
        counts = dict(Room.objects.order_by().values_list("state").annotate(n=Count("id")))
        for state in rules.ROOM_STATES:
            family.add_metric([state], counts.get(state, 0))
        yield family


_rooms = CollectorRegistry()
_rooms.register(RoomsByState())


def exposition() -> tuple[bytes, str]:
    """The text a Prometheus scrape gets: this process's figures (with
    PROMETHEUS_MULTIPROC_DIR, every live process's, summed) and the rooms by state."""
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry) + generate_latest(_rooms), CONTENT_TYPE_LATEST
