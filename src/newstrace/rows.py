"""Compact row sets for the link stage: one table's rows held column by column.

The link stage reads every stored quote, claim, local entity and attribution at once. As one
dict per row they took about 21 KB an article (2 GB at 94k articles, issue #5); column lists
with repeated strings shared, integer columns packed into arrays and JSON left as text until a
value is read take a fraction of that. Consumers read columns (``rows.col("name")[i]``) and keep
row numbers, not row dicts.
"""

from __future__ import annotations

import functools
import gc
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

_NONE = -(2 ** 63)  # an integer column's None


def without_cycle_collection(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` with Python's cyclic garbage collector paused while it runs (and run as before after).

    The link stage holds the whole corpus's rows, docs and indexes: each full collection walks
    all of them (every element of every column list), and the allocations of a link set off one
    every ~25% of growth. At 10,000 articles that was 3.3 s of a full link's 48 s CPU and 1.2 s
    of an incremental link's 8.7 s, O(corpus) in the incremental link too (issue #16); reading
    the link inputs and writing the link tables, 0.2 s more. Their objects are freed by
    reference counting; the few reference cycles they make wait for the next collection after
    them (same peak memory, 504 MB, with and without, measured on a full link)."""
    @functools.wraps(func)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()
    return paused


class Indexed(Sequence):
    """A sequence whose items are made by ``_item(k)`` (0 <= k < len): indexing with negatives
    and slices (a list) and iteration come from here."""

    __slots__ = ()

    def _item(self, k: int) -> Any:
        raise NotImplementedError

    def __getitem__(self, k: Any) -> Any:
        n = len(self)
        if isinstance(k, slice):
            return [self._item(x) for x in range(*k.indices(n))]
        if not -n <= k < n:
            raise IndexError(k)
        return self._item(k % n)

    def __iter__(self) -> Iterator[Any]:
        return (self._item(k) for k in range(len(self)))


class _IntColumn(Indexed):
    """Integers (or None) packed 8 bytes each."""

    __slots__ = ("data",)

    def __init__(self, data: array):
        self.data = data

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, k: Any) -> Any:
        # indexed and iterated here, not through Indexed's _item: the array checks the index, and
        # Indexed's checks and call per value were half of reading a packed column
        if isinstance(k, slice):
            return [None if v == _NONE else v for v in self.data[k]]
        v = self.data[k]
        return None if v == _NONE else v

    def __iter__(self) -> Iterator[Any]:
        return (None if v == _NONE else v for v in self.data)


class Rows(Indexed):
    """Rows of one table, column by column.

    Indexing or iterating gives a fresh dict per row (JSON columns decoded), for code that wants
    row dicts; code that goes over millions of rows reads columns with :meth:`col` and
    :meth:`decoded` and keeps row numbers.

    >>> rows = Rows.from_dicts([dict(id="q1", article_id="a", start=3), dict(id="q2", article_id="a")])
    >>> len(rows), rows.col("start")[1], rows[0]["article_id"] is rows[1]["article_id"]
    (2, None, True)
    """

    def __init__(self, columns: Mapping[str, Sequence[Any]], *, json_columns: Iterable[str] = ()):
        self.columns = dict(columns)
        self.json_columns = frozenset(json_columns) & set(self.columns)
        lengths = {len(c) for c in self.columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"columns of unequal length: {sorted(lengths)}")
        self.n = lengths.pop() if lengths else 0

    @classmethod
    def from_tuples(cls, names: Sequence[str], tuples: Iterable[Sequence[Any]], *,
                    shared: Iterable[str] = (), json_columns: Iterable[str] = (),
                    strings: dict[str, str] | None = None) -> Rows:
        """Build from row tuples (a database cursor). Strings in ``shared`` columns are kept once
        (``strings`` is the table of them, passed on so that tables share it); all-integer columns
        are packed."""
        names = list(names)
        cols: list[list[Any]] = [[] for _ in names]
        strings = {} if strings is None else strings
        share = [n in set(shared) for n in names]
        for t in tuples:
            for k, v in enumerate(t):
                if isinstance(v, str) and (share[k] or len(v) <= 2):  # "[]", "", "m": one object
                    v = strings.setdefault(v, v)
                cols[k].append(v)
        return cls({n: _pack(c) for n, c in zip(names, cols)}, json_columns=json_columns)

    @classmethod
    def from_dicts(cls, rows: Iterable[Mapping[str, Any]], *, shared: Iterable[str] | None = None) -> Rows:
        """Build from row dicts (the keys of all rows become the columns; a row without one has None).
        Values are taken as they are (JSON columns already decoded)."""
        rows = list(rows)
        names: dict[str, None] = {}
        for r in rows:
            names.update(dict.fromkeys(r))
        strings: dict[str, str] = {}
        share = set(names) if shared is None else set(shared)
        cols = {}
        for n in names:
            vals = [r.get(n) for r in rows]
            if n in share:
                vals = [strings.setdefault(v, v) if isinstance(v, str) else v for v in vals]
            cols[n] = _pack(vals)
        return cls(cols)

    def __len__(self) -> int:
        return self.n

    def col(self, name: str) -> Sequence[Any]:
        """One column's raw values (JSON columns undecoded); None throughout if no row has it."""
        c = self.columns.get(name)
        return _IntColumn(array("q", [_NONE]) * self.n) if c is None else c

    def decoded(self, name: str, i: int) -> Any:
        """Row i's value of a column, JSON decoded."""
        c = self.columns.get(name)
        v = None if c is None else c[i]
        return decode_json(v) if name in self.json_columns else v

    def take(self, order: Iterable[int]) -> Rows:
        """A new Rows of these rows in the given order (or a subset of them)."""
        order = list(order)
        cols = {n: _pack([c[i] for i in order]) if isinstance(c, _IntColumn) else [c[i] for i in order]
                for n, c in self.columns.items()}
        return Rows(cols, json_columns=self.json_columns)

    def _item(self, i: int) -> dict[str, Any]:
        return {n: self.decoded(n, i) for n in self.columns}

    def __repr__(self) -> str:
        return f"<Rows {self.n} x {list(self.columns)}>"


def _pack(values: list[Any]) -> Sequence[Any]:
    """An all-integer (or None) column as a packed array; anything else as the list."""
    types = set(map(type, values))
    if int not in types or not types <= {int, type(None)} or _NONE in values:
        return values
    try:
        return _IntColumn(array("q", values if len(types) == 1 else
                                [_NONE if v is None else v for v in values]))
    except OverflowError:
        return values


def as_rows(rows: Iterable[Mapping[str, Any]] | Rows) -> Rows:
    """``rows`` as :class:`Rows` (itself if it already is)."""
    return rows if isinstance(rows, Rows) else Rows.from_dicts(rows)


def decode_json(value: Any) -> Any:
    """A JSON column's value decoded: text starting with ``[`` or ``{`` becomes a list or dict;
    anything else, and text that is not valid JSON, is returned as it is. The one rule for JSON
    columns, used here and by ``store.schema.decode_row``."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class SortedLookup:
    """Rows of a stream sorted by their first field, looked up by keys asked in ascending order:
    one pass over both (a merge of two id-ordered streams), nothing held but the current row.

    >>> look = SortedLookup([("a", 1), ("c", 3)])
    >>> look.get("a"), look.get("b"), look.get("c"), look.get("d")
    (('a', 1), None, ('c', 3), None)
    """

    __slots__ = ("_rows", "_held")

    def __init__(self, rows: Iterable[Sequence[Any]] | None) -> None:
        self._rows = iter(rows or ())
        self._held = next(self._rows, None)

    def get(self, key: Any) -> Any:
        """The row whose first field is ``key``, or None; keys must come in ascending order."""
        held = self._held
        while held is not None and held[0] < key:
            held = next(self._rows, None)
        self._held = held
        return held if held is not None and held[0] == key else None
