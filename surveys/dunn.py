"""Dunn's (1964) pairwise test after a significant Kruskal-Wallis test (pure numpy/scipy).

Ranks are those of all groups pooled (mid-ranks for ties), so each pair is judged on the
ranking the Kruskal-Wallis test used:
z = (R̄ᵢ − R̄ⱼ) / √((N(N + 1)/12 − Σ(t³ − t)/(12(N − 1))) · (1/nᵢ + 1/nⱼ)), two-sided normal p,
and the p-values of all k(k − 1)/2 pairs adjusted together by Holm's method.
"""

import math
from itertools import combinations

import numpy as np
from scipy import stats

from surveys.correction import HOLM, adjust_p

ALPHA = 0.05


def dunn(samples: dict[str, list[float]], alpha: float = ALPHA) -> list[dict]:
    """One dict per pair, in the groups' order (first with second, first with third, …):
    first, second, z (positive when the first ranks higher), p_value, p_adjusted (Holm over the
    pairs), correction, higher (the group ranking higher, "" for a tie) and verdict."""
    names = list(samples)
    pooled = np.concatenate([np.asarray(samples[k], dtype=float) for k in names])
    ranks = stats.rankdata(pooled)
    n = len(pooled)
    _values, ties = np.unique(pooled, return_counts=True)
    variance = n * (n + 1) / 12 - float((ties**3 - ties).sum()) / (12 * (n - 1))
    sizes, means, start = {}, {}, 0
    for name in names:
        sizes[name] = len(samples[name])
        means[name] = float(ranks[start : start + sizes[name]].mean())
        start += sizes[name]
    pairs = []
    for first, second in combinations(names, 2):
        se = math.sqrt(variance * (1 / sizes[first] + 1 / sizes[second]))
        z = (means[first] - means[second]) / se if se > 0 else 0.0
        pairs.append(
            {
                "first": first,
                "second": second,
                "mean_rank_first": means[first],
                "mean_rank_second": means[second],
                "z": z,
                "p_value": float(2 * stats.norm.sf(abs(z))),
                "higher": first if z > 0 else second if z < 0 else "",
            }
        )
    for pair, p in zip(pairs, adjust_p([q["p_value"] for q in pairs], HOLM), strict=True):
        pair.update(
            p_adjusted=p,
            correction=HOLM,
            verdict="difference" if p < alpha else "no_difference",
        )
    return pairs
