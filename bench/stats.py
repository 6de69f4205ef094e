"""Small statistics for benchmark samples (milliseconds)."""

import gc
import statistics
from collections.abc import Iterator
from contextlib import contextmanager


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation, as numpy's default."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": statistics.median(samples) if samples else float("nan"),
        "p99": percentile(samples, 99),
        "max": max(samples) if samples else float("nan"),
    }


def spread(values: list[float]) -> dict[str, float]:
    """Median and range of per-run figures (e.g. the ratio of each game/relay pair)."""
    return {
        "median": statistics.median(values) if values else float("nan"),
        "min": min(values) if values else float("nan"),
        "max": max(values) if values else float("nan"),
    }


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Keep the load generator's own garbage-collector pauses out of what it measures: what it
    holds while measuring (hundreds of sockets) is left out of full collections meanwhile.
    The server is measured as it runs (karuta/startup.py freezes what it loads at start)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
