"""The fair-race rules on their own (games/fairness.py): a tab's latency from its round trips,
reaction times per reveal mode, device times checked against the server's, the decision window
and its winner; and, simulated, the faster player winning whatever the networks."""

import random

import pytest

from games import fairness
from games.fairness import DEVICE, ROOM, Candidate, Latency


def test_latency_is_the_recent_minimum_and_its_spread():
    latency = Latency()
    assert latency.round_trip_ms is None and latency.jitter_ms == 0
    for sample in (80, 120, 95, 300, 90):
        latency = latency.add(sample)
    assert latency.round_trip_ms == 80
    assert latency.jitter_ms == 15  # distances 0, 40, 15, 220, 10: median 15
    # Only the recent samples count: a network that got better is believed.
    for _ in range(fairness.SAMPLES_KEPT):
        latency = latency.add(20)
    assert latency.round_trip_ms == 20 and len(latency.samples) == fairness.SAMPLES_KEPT
    with pytest.raises(ValueError):
        latency.add(-1)


def test_the_network_part_is_a_round_trip_on_the_device_and_the_way_up_in_the_room():
    assert fairness.correction_ms(DEVICE, 200) == 200
    assert fairness.correction_ms(ROOM, 200) == 100
    assert fairness.correction_ms(DEVICE, None) == 0
    assert fairness.correction_ms(DEVICE, 5000) == fairness.MAX_CORRECTION_MS
    assert (
        fairness.reaction_ms(arrived_ms=1900, read_ms=1000, reveal=DEVICE, round_trip_ms=200) == 700
    )
    assert (
        fairness.reaction_ms(arrived_ms=1900, read_ms=1000, reveal=ROOM, round_trip_ms=200) == 800
    )
    assert (
        fairness.reaction_ms(arrived_ms=1050, read_ms=1000, reveal=DEVICE, round_trip_ms=200) == 0
    )
    with pytest.raises(ValueError):
        fairness.correction_ms("telepathy", 10)


def test_a_device_time_is_kept_only_within_what_the_server_saw():
    tolerance = fairness.CLAIM_TOLERANCE_MS
    # Within the jitter and the tolerance below the server's estimate: the device's time.
    assert fairness.checked_claim(700, 700 - 20 - tolerance, 20) == fairness.Checked(650, None)
    # Further below: flagged, and the server's estimate is kept.
    assert fairness.checked_claim(700, 600, 20) == fairness.Checked(700, "claim_too_fast")
    # Slower than the estimate costs only its sender.
    assert fairness.checked_claim(700, 900, 20) == fairness.Checked(900, None)
    assert fairness.checked_claim(700, None, 20) == fairness.Checked(700, None)
    # No person reacts within HUMAN_FLOOR_MS of the card.
    assert fairness.checked_claim(60, None, 0) == fairness.Checked(60, "inhuman")
    assert fairness.checked_claim(fairness.HUMAN_FLOOR_MS, None, 0).flagged is None


def test_the_window_waits_for_the_slowest_taker_and_no_longer_than_the_cap():
    near, far = (4, 0.5), (300, 10)  # (round trip, jitter)
    margin = fairness.WINDOW_MARGIN_MS
    assert fairness.window_ms(ROOM, [near]) == 2 + 0.5 + margin  # a few ms
    assert fairness.window_ms(ROOM, [near, far]) == 150 + 10 + margin  # the way up
    assert fairness.window_ms(DEVICE, [near, far]) == 300 + 10 + margin  # down and up
    assert fairness.window_ms(DEVICE, [near, (None, 0)]) == fairness.MAX_WINDOW_MS
    assert fairness.window_ms(ROOM, [(2000, 0)]) == fairness.MAX_WINDOW_MS
    assert fairness.window_ms(ROOM, []) == margin


def test_the_fastest_unflagged_take_wins_and_a_tie_goes_to_the_first():
    assert fairness.winner([]) is None
    takes = [Candidate(1, 500), Candidate(2, 420), Candidate(3, 420), Candidate(4, 90, "inhuman")]
    assert fairness.winner(takes).take == 2
    assert fairness.winner([Candidate(4, 90, "inhuman")]).take == 4


def race(reveal: str, rng: random.Random, rtts: tuple[float, float], fair: bool) -> bool:
    """Two players, the first faster by 30 to 100 ms, on networks of the given round trips
    with ±20 ms jitter; True when the faster one wins."""

    def one_way(rtt: float) -> float:
        return max(0.0, rtt / 2 + rng.uniform(-10, 10))

    measured = []
    for rtt in rtts:
        latency = Latency()
        for _ in range(fairness.SAMPLES_KEPT):
            latency = latency.add(one_way(rtt) + one_way(rtt))
        measured.append(latency)
    base = rng.uniform(400, 1500)
    reactions = [base, base + rng.uniform(30, 100)]
    arrivals = [
        (one_way(rtt) if reveal == DEVICE else 0.0) + reaction + one_way(rtt)
        for rtt, reaction in zip(rtts, reactions, strict=True)
    ]
    if not fair:
        return arrivals[0] < arrivals[1]
    candidates = [
        Candidate(i, fairness.reaction_ms(arrived_ms=arrivals[i], read_ms=0.0, reveal=reveal,
                                          round_trip_ms=measured[i].round_trip_ms))
        for i in range(2)
    ]  # fmt: skip
    return fairness.winner(candidates).take == 0


@pytest.mark.parametrize("reveal", [DEVICE, ROOM])
def test_simulated_the_faster_player_wins_95_percent_whatever_the_networks(reveal):
    rng = random.Random(12)
    wins = 0
    for _ in range(2000):
        wins += race(reveal, rng, (rng.uniform(10, 300), rng.uniform(10, 300)), fair=True)
    assert wins / 2000 >= 0.95, wins


@pytest.mark.parametrize("reveal", [DEVICE, ROOM])
def test_simulated_first_to_arrive_gives_the_race_to_the_better_network(reveal):
    """The faster player on a 300 ms phone, the other on a 10 ms cable."""
    rng = random.Random(7)
    fair = sum(race(reveal, rng, (300, 10), fair=True) for _ in range(1000)) / 1000
    first_in = sum(race(reveal, rng, (300, 10), fair=False) for _ in range(1000)) / 1000
    assert fair >= 0.95, fair
    assert first_in < 0.5, first_in  # the slower player on the cable wins most races


def test_a_round_trip_is_stored_again_only_when_it_moved():
    """A hall's 2,000 tabs are probed every few seconds: a wobble of a few ms is no write."""
    assert fairness.worth_storing(None, 40)  # the first measurement
    assert not fairness.worth_storing(40, None)
    assert not fairness.worth_storing(40, 47)  # 7 ms: under 10 ms
    assert fairness.worth_storing(40, 51)
    assert not fairness.worth_storing(300, 360)  # 60 ms: under a quarter of 300
    assert fairness.worth_storing(300, 380)
    assert fairness.worth_storing(300, 220)  # better too: the window can be shorter
