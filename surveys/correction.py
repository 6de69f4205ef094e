"""Multiple-comparison correction across the tests of one comparison (pure Python).

A comparison of groups runs one test per question (about seven): read each at 0.05 and a
third of comparisons with no real difference anywhere would still report one. Holm's step-down
method (the default) keeps the chance of any false "difference" at 0.05; Benjamini-Hochberg
("bh") keeps the expected share of false ones among those reported at 0.05, and is less strict.
"""

import math

HOLM, BH, NONE = "holm", "bh", "none"
METHODS = (HOLM, BH, NONE)


def adjust_p(p_values, method: str = HOLM) -> list[float]:
    """The adjusted p-values, in the given order; a missing p (NaN, no test run) stays NaN and
    does not count among the tests."""
    ps = [float(p) for p in p_values]
    tested = sorted((p, i) for i, p in enumerate(ps) if not math.isnan(p))
    out = [math.nan] * len(ps)
    m = len(tested)
    if method == NONE:
        for p, i in tested:
            out[i] = p
    elif method == HOLM:
        running = 0.0
        for rank, (p, i) in enumerate(tested):
            running = max(running, min(1.0, (m - rank) * p))
            out[i] = running
    elif method == BH:
        running = 1.0
        for rank in range(m - 1, -1, -1):
            p, i = tested[rank]
            running = min(running, m * p / (rank + 1))
            out[i] = running
    else:
        raise ValueError(f"unknown correction {method!r}; one of {', '.join(METHODS)}")
    return out


def correct(results: list[dict], method: str = HOLM, alpha: float = 0.05) -> list[dict]:
    """Each result with ``p_adjusted`` and ``correction``, its verdict read from the adjusted p
    (a result without a test keeps its verdict)."""
    adjusted = adjust_p([r["p_value"] for r in results], method)
    out = []
    for result, p in zip(results, adjusted, strict=True):
        result = {**result, "p_adjusted": p, "correction": method}
        if not math.isnan(p):
            result["verdict"] = "difference" if p < alpha else "no_difference"
        out.append(result)
    return out
