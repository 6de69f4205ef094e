"""Exact p-values where scipy would approximate (pure numpy/scipy, numbers in, numbers out).

- Fisher's test of an R×C table: every table with the observed margins is enumerated and the
  probabilities of those no more likely than the observed one are summed. Past
  ``FISHER_MAX_TABLES`` tables a seeded Monte Carlo over ``MONTE_CARLO_DRAWS`` random tables
  with the same margins gives p = (hits + 1) / (draws + 1) and its standard error.
- Mann-Whitney U with ties: the exact null distribution of the rank sum (mid-ranks included)
  over every split of the pooled answers, counted by dynamic programming, while the two
  groups have at most ``MANN_WHITNEY_MAX_N`` answers together; the normal approximation
  (tie- and continuity-corrected) beyond.
"""

import math
from functools import cache

import numpy as np
from scipy import stats
from scipy.special import gammaln

FISHER_MAX_TABLES = 100_000  # enumerate up to this many tables (about 0.6 s in Python)
MONTE_CARLO_DRAWS = 100_000  # random tables drawn past it
MONTE_CARLO_SEED = 13  # the same table always gets the same p
MANN_WHITNEY_MAX_N = 100  # n₁ + n₂ up to which Mann-Whitney's p is exact
RELATIVE_TOLERANCE = 1e-7  # "no more likely than observed" allows this much rounding


def count_tables(rows: tuple[int, ...], cols: tuple[int, ...], limit: int) -> int:
    """How many tables have these margins, counted up to ``limit`` (then limit + 1)."""

    @cache
    def count(j: int, remaining: tuple[int, ...]) -> int:
        if j == len(cols) - 1:
            return 1  # the last column is what is left of each row
        total = 0
        for column in _splits(cols[j], remaining):
            total += count(j + 1, tuple(r - x for r, x in zip(remaining, column, strict=True)))
            if total > limit:
                return limit + 1
        return total

    return count(0, tuple(rows))


def _splits(total: int, bounds: tuple[int, ...]):
    """Every way to put ``total`` into cells bounded by ``bounds``."""
    if len(bounds) == 1:
        if total <= bounds[0]:
            yield (total,)
        return
    rest = sum(bounds[1:])
    for x in range(max(0, total - rest), min(total, bounds[0]) + 1):
        for tail in _splits(total - x, bounds[1:]):
            yield (x, *tail)


def _log_weight(table: np.ndarray) -> float:
    """log P(table) up to the constant its margins give: −Σ log(x!)."""
    return -float(gammaln(table + 1).sum(axis=(-2, -1)))


def fisher(observed) -> dict:
    """Fisher's two-sided p of an R×C table: {"p_value", "p_se", "method"}."""
    table = np.asarray(observed, dtype=int)
    rows, cols = tuple(int(x) for x in table.sum(axis=1)), tuple(int(x) for x in table.sum(0))
    n = sum(rows)
    constant = float(
        gammaln(np.array(rows) + 1).sum() + gammaln(np.array(cols) + 1).sum() - gammaln(n + 1)
    )
    threshold = _log_weight(table) + math.log1p(RELATIVE_TOLERANCE)
    if count_tables(rows, cols, FISHER_MAX_TABLES) <= FISHER_MAX_TABLES:
        return {"p_value": min(1.0, _enumerate(rows, cols, threshold, constant)), "p_se": 0.0,
                "method": "exact"}  # fmt: skip
    draws = stats.random_table(rows, cols, seed=MONTE_CARLO_SEED).rvs(size=MONTE_CARLO_DRAWS)
    weights = -gammaln(draws + 1).sum(axis=(1, 2))
    hits = int((weights <= threshold).sum())
    p = (hits + 1) / (MONTE_CARLO_DRAWS + 1)
    return {"p_value": p, "p_se": math.sqrt(p * (1 - p) / MONTE_CARLO_DRAWS),
            "method": "monte-carlo"}  # fmt: skip


def _enumerate(rows, cols, threshold: float, constant: float) -> float:
    lf = gammaln(np.arange(sum(rows) + 2) + 1)
    total = 0.0

    def walk(j: int, remaining: tuple[int, ...], weight: float) -> None:
        nonlocal total
        if j == len(cols) - 1:
            weight -= float(sum(lf[r] for r in remaining))
            if weight <= threshold:
                total += math.exp(weight + constant)
            return
        for column in _splits(cols[j], remaining):
            walk(
                j + 1,
                tuple(r - x for r, x in zip(remaining, column, strict=True)),
                weight - float(sum(lf[x] for x in column)),
            )

    walk(0, tuple(rows), 0.0)
    return total


def mann_whitney(a, b) -> dict:
    """U of ``a`` against ``b`` and its two-sided p: {"statistic", "p_value", "method"}."""
    n1, n2 = len(a), len(b)
    pooled = np.concatenate([np.asarray(a, dtype=float), np.asarray(b, dtype=float)])
    doubled = np.rint(2 * stats.rankdata(pooled)).astype(int)  # mid-ranks ×2: integers
    u = float(doubled[:n1].sum()) / 2 - n1 * (n1 + 1) / 2
    if n1 + n2 > MANN_WHITNEY_MAX_N:
        test = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
        return {"statistic": u, "p_value": float(test.pvalue), "method": "asymptotic"}
    # ways[k, s]: the splits putting k answers with doubled rank sum s into the first group
    ways = np.zeros((n1 + 1, int(doubled.sum()) + 1))
    ways[0, 0] = 1.0
    for w in doubled:
        ways[1:, w:] = ways[1:, w:] + ways[:-1, : ways.shape[1] - w]
    sums = np.arange(ways.shape[1])
    centre = n1 * (n1 + n2 + 1)  # the expected doubled rank sum
    observed = abs(int(doubled[:n1].sum()) - centre)
    extreme = np.abs(sums - centre) >= observed
    p = float(ways[n1, extreme].sum() / ways[n1].sum())
    return {"statistic": u, "p_value": min(1.0, p), "method": "exact"}
