"""Union-find (disjoint sets of row numbers) over one packed array of parents, 8 bytes a row, so
that millions of rows fit (issue #5). In :func:`~newstrace.link.core.link_articles` it serves
``entities.merge_entities`` (first: local entities of one global entity), ``quote_groups.group_quotes``
(quotes of one utterance) and ``candidates.by_component`` (candidate pairs by connected group of
articles).
"""

from __future__ import annotations

from array import array


class UnionFind:
    """Disjoint sets of the integers ``0 .. n-1``: :meth:`union` merges the sets of two items
    under the smaller root, :meth:`attach` puts one root under another of the caller's choosing,
    and :meth:`find` gives an item's root (path halving).

    >>> uf = UnionFind(5)
    >>> uf.union(3, 1)
    >>> uf.union(4, 3)
    >>> [uf.find(x) for x in range(5)]
    [0, 1, 2, 1, 1]
    >>> uf.attach(uf.find(4), 2)  # the caller picks the surviving root
    >>> [uf.find(x) for x in range(5)]
    [0, 2, 2, 2, 2]
    """

    def __init__(self, n: int) -> None:
        self.p = array("q", range(n))  # 8 bytes a row: millions of rows at scale (issue #5)

    def find(self, x: int) -> int:
        """The root of x's set."""
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Merge the sets of a and b under the smaller of their roots."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)

    def attach(self, root: int, new_root: int) -> None:
        """Put the set of root ``root`` under root ``new_root`` (both must be roots)."""
        self.p[root] = new_root
