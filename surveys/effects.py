"""Effect sizes from level counts, their bootstrap confidence intervals and the bias-corrected
Cramér's V (pure numpy/scipy, numbers in, numbers out).

Every answer compared here takes one of a few levels (an option, a scale point), so a group is
its count per level, and resampling a group with replacement is a multinomial draw of counts
with the observed shares: the bootstrap costs the same for 10 answers or 100,000. Groups are
resampled apart (their sizes are fixed by the design), as ``scipy.stats.bootstrap`` does with
several samples; the interval is Efron's BCa, computed as ``scipy.stats.bootstrap`` computes it
(mid-rank bias correction, jackknife acceleration per group), from ``RESAMPLES`` resamples
drawn from ``numpy.random.default_rng(SEED)`` afresh for each interval: the same answers give
the same interval, whatever else the page shows. Where BCa is undefined (every jackknife value
equal, or every resample on one side of the estimate) or leaves the estimate out, the
percentile interval is given. Cramér's V is bootstrapped as its bias-corrected value
(:func:`cramers_v_bias_corrected`): the plain V is above 0 even with no association, and so
is every resample's, so its interval would lie above it.
"""

import math

import numpy as np
from scipy import stats
from scipy.special import ndtr, ndtri

RESAMPLES = 2_000  # bootstrap resamples per interval
SEED = 13  # numpy.random.default_rng(SEED) for each interval: the same answers, the same interval
CONFIDENCE = 0.95
MIN_PER_GROUP = 10  # fewer answers in any group: no interval (a bootstrap of 5 says little)

BCA, PERCENTILE = "bca", "percentile"
TOO_FEW = "too_few"


def level_counts(samples) -> np.ndarray:
    """The groups' counts per level (rows: groups in order; columns: levels ascending)."""
    samples = [np.asarray(s, dtype=float) for s in samples]
    levels = np.unique(np.concatenate(samples)) if samples else np.array([])
    return np.stack([np.array([(s == v).sum() for v in levels]) for s in samples]).astype(float)


def rank_biserial(counts: np.ndarray) -> np.ndarray:
    """2U/(n₁n₂) − 1 of the first group against the second, from counts (..., 2, levels)."""
    x, y = counts[..., 0, :], counts[..., 1, :]
    below = np.cumsum(y, axis=-1) - y  # answers of y strictly below each level
    u = (x * (below + y / 2)).sum(axis=-1)
    return 2 * u / (x.sum(axis=-1) * y.sum(axis=-1)) - 1


def epsilon_squared(counts: np.ndarray) -> np.ndarray:
    """Kruskal-Wallis H (tie-corrected) / (N − 1), from counts (..., groups, levels)."""
    totals = counts.sum(axis=-2)
    n = totals.sum(axis=-1)
    midrank = np.cumsum(totals, axis=-1) - totals + (totals + 1) / 2
    sums = (counts * midrank[..., None, :]).sum(axis=-1)
    sizes = counts.sum(axis=-1)
    h = 12 / (n * (n + 1)) * (sums**2 / sizes).sum(axis=-1) - 3 * (n + 1)
    ties = 1 - (totals**3 - totals).sum(axis=-1) / (n**3 - n)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(ties > 0, h / np.where(ties > 0, ties, 1), 0.0)  # one level: H = 0
    return h / (n - 1)


def _chi2_and_shape(counts: np.ndarray):
    """χ² of each table in ``counts`` (..., rows, columns), its N and its rows and columns
    anybody chose (levels nobody chose are left out, as the contingency table leaves them)."""
    rows, cols = counts.sum(axis=-1), counts.sum(axis=-2)
    n = rows.sum(axis=-1)
    expected = rows[..., :, None] * cols[..., None, :] / n[..., None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = np.where(expected > 0, (counts - expected) ** 2 / expected, 0.0)
    return cells.sum(axis=(-2, -1)), n, (rows > 0).sum(axis=-1), (cols > 0).sum(axis=-1)


def cramers_v(counts: np.ndarray) -> np.ndarray:
    """Cramér's V = √(χ²/(N·(min(r, c) − 1))); 0 when only one level was chosen."""
    chi2, n, r, c = _chi2_and_shape(counts)
    m = np.minimum(r, c) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(m > 0, np.sqrt(chi2 / (n * np.where(m > 0, m, 1))), 0.0)


def cramers_v_bias_corrected(counts: np.ndarray) -> np.ndarray:
    """:func:`cramers_v_corrected` of each table in ``counts`` at once (the bootstrap's
    statistic); 0 where it is undefined (one level chosen), as V is. Unlike V it reaches 0
    when there is no association, so its interval can hold its estimate near 0."""
    chi2, n, r, c = _chi2_and_shape(counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi2 = np.maximum(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
        m = np.minimum(r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)) - 1
        defined = (np.minimum(r, c) >= 2) & (m > 0)
        return np.where(defined, np.sqrt(phi2 / np.where(defined, m, 1)), 0.0)


def cramers_v_corrected(table) -> float:
    """Bergsma's (2013) bias-corrected Cramér's V of an r×c table:
    φ̃² = max(0, χ²/n − (r − 1)(c − 1)/(n − 1)), r̃ = r − (r − 1)²/(n − 1) (c̃ alike),
    Ṽ = √(φ̃² / min(r̃ − 1, c̃ − 1)). Plain V overstates a small sample's association."""
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    r, c = table.shape
    n = table.sum()
    if min(r, c) < 2 or n < 2:
        return math.nan
    chi2 = float(stats.chi2_contingency(table, correction=False)[0])
    phi2 = max(0.0, chi2 / n - (r - 1) * (c - 1) / (n - 1))
    r_tilde, c_tilde = r - (r - 1) ** 2 / (n - 1), c - (c - 1) ** 2 / (n - 1)
    return math.sqrt(phi2 / min(r_tilde - 1, c_tilde - 1))


def resample(counts: np.ndarray, resamples: int, rng) -> np.ndarray:
    """``resamples`` bootstrap copies of the groups' counts (resamples, groups, levels)."""
    out = np.empty((resamples, *counts.shape))
    for g, row in enumerate(counts):
        n = int(row.sum())
        out[:, g, :] = rng.multinomial(n, row / n, size=resamples)
    return out


def _jackknife_acceleration(statistic, counts: np.ndarray) -> float:
    """BCa's acceleration as scipy computes it for several samples: for each group, the
    statistic with one of its answers left out (one value per level, weighted by its count)."""
    numerator = denominator = 0.0
    for g, row in enumerate(counts):
        n = row.sum()
        chosen = np.flatnonzero(row)
        left_out = np.repeat(counts[None], len(chosen), axis=0)
        left_out[np.arange(len(chosen)), g, chosen] -= 1
        values = statistic(left_out)
        weights = row[chosen]
        mean = (weights * values).sum() / n
        u = (n - 1) * (mean - values)
        numerator += (weights * u**3).sum() / n**3
        denominator += (weights * u**2).sum() / n**2
    if denominator <= 0 or not math.isfinite(denominator):
        return math.nan
    return numerator / (6 * denominator**1.5)


def interval(statistic, counts, *, resamples=RESAMPLES, seed=SEED, confidence=CONFIDENCE,
             min_per_group=MIN_PER_GROUP, method=BCA) -> dict:  # fmt: skip
    """{"low", "high", "method"} of ``statistic`` (a function of counts (..., groups, levels));
    method "bca", "percentile", or "too_few" (no interval) when a group has fewer than
    ``min_per_group`` answers."""
    counts = np.asarray(counts, dtype=float)
    if counts.sum(axis=-1).min() < min_per_group:
        return {"low": math.nan, "high": math.nan, "method": TOO_FEW}
    estimate = float(statistic(counts))
    draws = statistic(resample(counts, resamples, np.random.default_rng(seed)))
    alpha = (1 - confidence) / 2
    share = ((draws < estimate).sum() + (draws <= estimate).sum()) / (2 * resamples)
    z0 = ndtri(share) if 0 < share < 1 else math.nan
    a = _jackknife_acceleration(statistic, counts) if method == BCA else math.nan
    if math.isfinite(z0) and math.isfinite(a):
        z = ndtri([alpha, 1 - alpha])
        levels = ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
        method = BCA
    else:
        levels = np.array([alpha, 1 - alpha])
        method = PERCENTILE
    low, high = np.percentile(draws, 100 * levels)
    if method == BCA and not low <= estimate <= high:
        # Near a bound (most resamples at 0, or above it) BCa's levels run to the edge and
        # the interval can leave the estimate out: the percentile interval instead.
        low, high = np.percentile(draws, [100 * alpha, 100 * (1 - alpha)])
        method = PERCENTILE
    return {"low": float(low), "high": float(high), "method": method}
