"""What a move answers: shared by the services (games/services.py, games/takes.py) and the
consumer that calls them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Result:
    """What a move answers its sender (``reply``), and the room's next deadline (the caller
    schedules a check for it)."""

    reply: dict | None = None
    deadline: object = None
    pending: int | None = None  # a take waiting for its decision window (race_outcome)
