"""Which values a review deals, and in which order: pure (no Django, no database).

A review deals the values whose memory is due (most overdue first), each followed by the value
it is most often confused with: the learner's own confusions first, else everyone's (the
confusion map of all the finished games), else its nearest neighbour in its own field. Reading
two confusable values one after the other is what teaches their difference (interleaving,
Rohrer 2012); a pair is placed next to each other, and never more than ``MAX_GAP`` apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

# Values in learning (fsrs' short steps: 1 and 10 minutes) count as due this much early, as
# Anki's "learn ahead" does: a value confused in class a minute ago is dealt at once.
LEARN_AHEAD = timedelta(minutes=5)
# The most values a review deals (the board of one round).
REVIEW_MAX = 12
MAX_GAP = 2

Pairs = Mapping[tuple[int, int], int]  # (read, taken) → how many times


def due(memories: Iterable[tuple[int, datetime]], now: datetime) -> list[int]:
    """The values due at ``now`` (within LEARN_AHEAD), most overdue first, then by number."""
    horizon = now + LEARN_AHEAD
    return [n for n, at in sorted(memories, key=lambda m: (m[1], m[0])) if at <= horizon]


def _partners(pairs: Pairs) -> dict[int, list[int]]:
    """Each value's confusables, most confused first (both directions of a pair count)."""
    counts: dict[int, Counter] = {}
    for (read, taken), count in pairs.items():
        if read == taken:
            continue
        counts.setdefault(read, Counter())[taken] += count
        counts.setdefault(taken, Counter())[read] += count
    return {
        n: [m for m, _ in sorted(c.items(), key=lambda i: (-i[1], i[0]))] for n, c in counts.items()
    }


def partner(number: int, *, own: Pairs, common: Pairs, fields: Mapping[int, str]) -> int | None:
    """The value to deal next to ``number``: its most frequent confusion in the learner's own
    pairs, else in everyone's, else the nearest number of the same field."""
    for pairs in (own, common):
        found = _partners(pairs).get(number)
        if found:
            return found[0]
    same = [n for n, f in fields.items() if f == fields.get(number) and n != number]
    return min(same, key=lambda n: (abs(n - number), n)) if same else None


def interleave(order: list[int], partner_of: Mapping[int, int | None], limit: int) -> list[int]:
    """``order`` (due first) with each value's partner placed right after it; a partner dealt
    already pulls the value next to it instead. At most ``limit`` values."""
    dealt: list[int] = []
    for number in order:
        if len(dealt) >= limit:
            break
        mate = partner_of.get(number)
        if number in dealt:
            if mate is not None and mate not in dealt and len(dealt) < limit:
                dealt.insert(dealt.index(number) + 1, mate)
            continue
        if mate is not None and mate in dealt:
            dealt.insert(dealt.index(mate) + 1, number)
            continue
        dealt.append(number)
        if mate is not None and len(dealt) < limit:
            dealt.append(mate)
    return dealt


def review_deal(
    memories: Iterable[tuple[int, datetime]],
    now: datetime,
    *,
    own: Pairs,
    common: Pairs,
    fields: Mapping[int, str],
    limit: int = REVIEW_MAX,
) -> list[int]:
    """The values a review reads now, in reading order (empty when nothing is due)."""
    order = due(memories, now)
    mates = {n: partner(n, own=own, common=common, fields=fields) for n in order}
    return interleave(order, mates, limit)


def confused_values(own: Pairs) -> list[int]:
    """The learner's confused values for "my confused values": both of each pair, most
    confused pair first, each once (as games/review.py's practise list)."""
    ordered = sorted(own.items(), key=lambda i: (-i[1], i[0]))
    return list(dict.fromkeys(n for (read, taken), _ in ordered for n in (read, taken)))
