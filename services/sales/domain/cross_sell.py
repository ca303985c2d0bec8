"""Cross-sell suggestions: "customers who bought category A also bought B", as association rules over
each customer's set of purchased categories (support, confidence and lift)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Suggestion:
    antecedent: str
    consequent: str
    customers: int  # customers who bought both
    support: float  # share of all customers who bought both
    confidence: float  # of the antecedent's buyers, the share who bought the consequent too
    lift: float  # confidence over the consequent's overall share: above 1 means bought together more than chance


def co_purchase_counts(
    baskets: Iterable[Collection[str]],
) -> tuple[dict[str, int], dict[tuple[str, str], int], int]:
    """Per category, per ordered pair of distinct categories, how many baskets hold it; and the basket count.
    One pass: a basket-by-category 0/1 matrix, whose Gram matrix counts the pairs."""
    sets = [set(b) for b in baskets]
    categories = sorted(set().union(*sets)) if sets else []
    index = {c: i for i, c in enumerate(categories)}
    matrix = np.zeros((len(sets), len(categories)), dtype=np.int64)
    for row, basket in enumerate(sets):
        matrix[row, [index[c] for c in basket]] = 1
    together = matrix.T @ matrix
    items = {c: int(together[i, i]) for c, i in index.items()}
    pairs = {
        (a, b): int(together[i, j]) for a, i in index.items() for b, j in index.items() if i != j and together[i, j] > 0
    }
    return items, pairs, len(sets)


def suggestions(
    items: Mapping[str, int],
    pairs: Mapping[tuple[str, str], int],
    customers: int,
    *,
    category: str | None = None,
    min_support: float = 0.0,
    min_customers: int = 1,
) -> list[Suggestion]:
    """Rules A -> B (A = `category` when given), best lift first (then support, then names)."""
    if customers == 0:
        return []
    found = []
    for (a, b), both in pairs.items():
        if (category is not None and a != category) or both < min_customers:
            continue
        support = both / customers
        if support < min_support:
            continue
        confidence = both / items[a]
        lift = confidence / (items[b] / customers)
        found.append(Suggestion(a, b, both, support, confidence, lift))
    found.sort(key=lambda s: (-s.lift, -s.support, s.antecedent, s.consequent))
    return found
