"""TODO docstring."""

from __future__ import annotations

from array import array


class UnionFind:
    def __init__(self, n: int) -> None:
        self.p = array("q", range(n))  # 8 bytes a row: millions of rows at scale (issue #5)

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)

