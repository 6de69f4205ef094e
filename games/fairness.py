"""Fair races across devices and networks, as plain Python (no Django, no clock of its own).

The first take to reach the server is not the fastest player's when one phone's round trip is
200 ms and a laptop's 5 ms. These rules turn arrival times into reaction times:

- each tab's **round trip** is measured over and over (the server's probes, answered at once);
  a tab's latency is the recent minimum (the path without queueing) and its jitter the spread of
  the recent samples above it (``Latency``);
- a take's **reaction time** counts from when that player could know the card, less the part of
  the delay that was the network's (``reaction_ms``): with a reading revealed on each device (the
  automatic reader's text or speech), the reading travelled down and the take up, a whole round
  trip; with a voice in the room (a human reader, the projector's speech), everyone heard it at
  once and only the way up (half a round trip) is the network's;
- a time measured on the device is accepted only within what the server saw (``checked_claim``):
  never smaller than the server's own estimate less the tab's jitter and a tolerance, never
  below a human's reaction floor; outside that, the take is flagged and the server's estimate
  kept;
- the first valid take opens a **decision window** (``window_ms``) long enough for the slowest
  connected taker's take to arrive had it reacted as fast (its network part and jitter,
  capped); the lowest reaction time in it wins (``winner``).

The bound on cheating: a tab that delays its probe answers looks slower than it is and has up
to MAX_CORRECTION_MS taken off its reaction times, never more, so it gains at most that over an
honest tab on the same network; a claimed time gains at most the tab's jitter plus
CLAIM_TOLERANCE_MS; a take faster than HUMAN_FLOOR_MS after the card could be known is flagged.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# How the reading reached the players.
DEVICE = "device"  # each device reveals it (the automatic reader: text, or speech on the phone)
ROOM = "room"  # a voice in the room (a human reader, the projector's speech): all at once
REVEALS = (DEVICE, ROOM)

SAMPLES_KEPT = 12  # round trips remembered per tab (a probe every few seconds: the last minute)
MAX_CORRECTION_MS = 400  # the most a take's reaction time is lowered for its network
WINDOW_MARGIN_MS = 5  # what the window adds to the slowest taker's way up, for the server itself
MAX_WINDOW_MS = 400  # the longest the first valid take waits for a faster one
CLAIM_TOLERANCE_MS = 30  # how far a device's own time may be below what the server saw
HUMAN_FLOOR_MS = 120  # faster than this after the card could be known: not a person's reaction
# A tab's round trip is written to its seat again only when it moved this much (and by this
# share): in a hall of 2,000 tabs, each probed every few seconds, a write per small wobble
# queued the takes' transactions behind hundreds of latency writes a second.
STORE_CHANGE_MS = 10
STORE_CHANGE_SHARE = 0.25


@dataclass(frozen=True)
class Latency:
    """A tab's recent round trips, in milliseconds, the newest last."""

    samples: tuple[float, ...] = field(default_factory=tuple)

    def add(self, round_trip_ms: float) -> Latency:
        if round_trip_ms < 0:
            raise ValueError("a round trip cannot be negative")
        return Latency((*self.samples, float(round_trip_ms))[-SAMPLES_KEPT:])

    @property
    def round_trip_ms(self) -> float | None:
        """The recent minimum: the network's delay without queueing (None before a sample)."""
        return min(self.samples) if self.samples else None

    @property
    def jitter_ms(self) -> float:
        """How far the samples spread above the minimum (their median distance from it)."""
        if len(self.samples) < 2:
            return 0.0
        low = min(self.samples)
        return statistics.median(s - low for s in self.samples)


def worth_storing(stored_ms: float | None, now_ms: float | None) -> bool:
    """Has a tab's round trip moved enough since it was stored to write it again?"""
    if now_ms is None:
        return False
    if stored_ms is None:
        return True
    return abs(now_ms - stored_ms) >= max(STORE_CHANGE_MS, STORE_CHANGE_SHARE * stored_ms)


def correction_ms(reveal: str, round_trip_ms: float | None) -> float:
    """The part of a take's delay that was the network's: a whole round trip for a reading
    revealed on the device (down, then the take up), the way up for a voice in the room."""
    if reveal not in REVEALS:
        raise ValueError(f"reveal must be one of {', '.join(REVEALS)}")
    if round_trip_ms is None:
        return 0.0
    network = round_trip_ms if reveal == DEVICE else round_trip_ms / 2
    return min(network, MAX_CORRECTION_MS)


def reaction_ms(*, arrived_ms: float, read_ms: float, reveal: str, round_trip_ms: float | None):
    """A take's reaction time: from the reading's start on the server (``read_ms``) to the
    take's arrival (``arrived_ms``), less the network's part; never below zero."""
    return max(0.0, arrived_ms - read_ms - correction_ms(reveal, round_trip_ms))


@dataclass(frozen=True)
class Checked:
    reaction_ms: float
    flagged: str | None  # None, "claim_too_fast" (a device time the server saw could not be),
    # or "inhuman" (faster than HUMAN_FLOOR_MS)


def checked_claim(estimate_ms: float, claimed_ms: float | None, jitter_ms: float) -> Checked:
    """The reaction time to use for a take the server estimated at ``estimate_ms`` when its
    device says ``claimed_ms`` (None: it said nothing). A claim is kept if it is no more than
    the tab's jitter plus CLAIM_TOLERANCE_MS below the estimate (a device measures its own
    reveal more closely than the server can); a claim above the estimate is kept too (it only
    costs its sender). Anything faster than HUMAN_FLOOR_MS is flagged."""
    reaction, flag = estimate_ms, None
    if claimed_ms is not None:
        if claimed_ms >= estimate_ms - jitter_ms - CLAIM_TOLERANCE_MS:
            reaction = max(0.0, float(claimed_ms))
        else:
            flag = "claim_too_fast"
    if flag is None and reaction < HUMAN_FLOOR_MS:
        flag = "inhuman"
    return Checked(reaction, flag)


def window_ms(reveal: str, takers: Iterable[tuple[float | None, float]]) -> float:
    """How long the first valid take waits for a faster one: long enough for the slowest
    connected taker's take to arrive had it reacted as fast, that is the network part of its
    delay (``correction_ms``: its round trip for a reading revealed on the device, the way up
    for a voice in the room) plus its jitter and a margin, capped at MAX_WINDOW_MS. ``takers``
    are (round trip, jitter) pairs; a round trip never measured counts as the cap."""
    slowest = 0.0
    for round_trip, jitter in takers:
        late = MAX_WINDOW_MS if round_trip is None else correction_ms(reveal, round_trip) + jitter
        slowest = max(slowest, late)
    return min(MAX_WINDOW_MS, slowest + WINDOW_MARGIN_MS)


@dataclass(frozen=True)
class Candidate:
    take: int  # the take's id (arrival order breaks a tie)
    reaction_ms: float
    flagged: str | None = None


def winner(candidates: Sequence[Candidate]) -> Candidate | None:
    """The fastest reaction among the window's takes; a flagged take only wins when no
    unflagged one is there (it is still a take); a tie goes to the take that came first."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.flagged is not None, c.reaction_ms, c.take))
