"""In-memory document store.

A collection is a list of Rows in storage (insertion) order.  A Row is
immutable: its field names live in a shared Shape (like a hidden class), its
values in a tuple, and its JSON serialisation is computed once and kept as
bytes, so an unfiltered list page is a join of cached bytes.  An update
replaces the Row (same storage position), never mutates it; nested values may
therefore be shared between rows and must never be modified in place (writers
deep-copy a document before changing it).

Lookup indexes (value -> rows) are built on first use per field and kept up to
date by insert/replace/delete.  Every change gives the collection a new
version number (globally unique), which keys the list caches.
"""

import bisect
import itertools

from jsonio import dump_bytes
from mongo import MISSING

_versions = itertools.count(1)


class Shape:
    __slots__ = ("keys", "pos", "projections")

    def __init__(self, keys):
        self.keys = keys
        self.pos = {k: i for i, k in enumerate(keys)}
        self.projections = {}

    def projection(self, wanted):
        """(key, position) pairs of the fields in 'wanted' (a frozenset),
        in document order."""
        p = self.projections.get(wanted)
        if p is None:
            p = tuple((k, i) for i, k in enumerate(self.keys) if k in wanted)
            self.projections[wanted] = p
        return p


_shapes = {}


def shape_for(keys):
    s = _shapes.get(keys)
    if s is None:
        s = _shapes[keys] = Shape(keys)
    return s


class Row:
    __slots__ = ("seq", "shape", "values", "blob")

    def __init__(self, doc, seq, blob=None):
        self.seq = seq
        self.shape = shape_for(tuple(doc))
        self.values = tuple(doc.values())
        self.blob = blob if blob is not None else dump_bytes(doc)

    @classmethod
    def from_parts(cls, keys, values, blob, seq):
        row = cls.__new__(cls)
        row.seq = seq
        row.shape = shape_for(keys)
        row.values = values
        row.blob = blob
        return row

    @property
    def id(self):
        return self.get("_id")

    def get(self, field, default=MISSING):
        i = self.shape.pos.get(field)
        return default if i is None else self.values[i]

    def doc(self):
        """A new dict (nested values shared: do not mutate them)."""
        return dict(zip(self.shape.keys, self.values))

    def project(self, wanted):
        v = self.values
        return {k: v[i] for k, i in self.shape.projection(wanted)}


def _index_keys(value):
    if value is MISSING:
        return ()
    if type(value) is list:
        keys = []
        for el in value:
            if type(el) is dict:
                el = el.get("id", el.get("_id"))
            if type(el) is str and el not in keys:
                keys.append(el)
        return keys
    if type(value) is str:
        return (value,)
    return ()


class Index:
    """String value (or string element of an array value) -> rows in storage order."""

    def __init__(self, field, rows):
        self.field = field
        self.map = {}
        for row in rows:
            self.add(row)

    def add(self, row):
        for k in _index_keys(row.get(self.field)):
            lst = self.map.get(k)
            if lst is None:
                self.map[k] = [row]
            elif lst[-1].seq < row.seq:
                lst.append(row)
            else:
                bisect.insort(lst, row, key=lambda r: r.seq)

    def remove(self, row):
        for k in _index_keys(row.get(self.field)):
            lst = self.map.get(k)
            if lst:
                i = bisect.bisect_left(lst, row.seq, key=lambda r: r.seq)
                if i < len(lst) and lst[i] is row:
                    del lst[i]
                if not lst:
                    del self.map[k]

    def lookup(self, value):
        return self.map.get(value, ())


class Collection:
    def __init__(self, name):
        self.name = name
        self.rows = []
        self.by_id = {}
        self.indexes = {}
        self.derived = {}              # other caches: (version, value)
        self.next_seq = 0
        self.version = next(_versions)

    def __len__(self):
        return len(self.rows)

    def clone(self):
        c = Collection(self.name)
        c.rows = list(self.rows)
        c.by_id = dict(self.by_id)
        c.next_seq = self.next_seq
        return c

    def _changed(self):
        self.version = next(_versions)

    def get(self, _id):
        return self.by_id.get(_id)

    def index(self, field):
        ix = self.indexes.get(field)
        if ix is None:
            ix = self.indexes[field] = Index(field, self.rows)
        return ix

    def find(self, field, value):
        """Rows whose field equals value (or contains it), storage order."""
        if field == "_id":
            row = self.by_id.get(value)
            return [row] if row is not None else []
        return list(self.index(field).lookup(value))

    def append_row(self, row):
        """Bulk loading: add a prebuilt Row (seq must increase)."""
        self.rows.append(row)
        self.by_id[row.get("_id")] = row
        self.next_seq = row.seq + 1

    def insert(self, doc):
        row = Row(doc, self.next_seq)
        self.append_row(row)
        for ix in self.indexes.values():
            ix.add(row)
        self._changed()
        return row

    def _position(self, row):
        i = bisect.bisect_left(self.rows, row.seq, key=lambda r: r.seq)
        if i < len(self.rows) and self.rows[i] is row:
            return i
        return self.rows.index(row)

    def replace(self, old, doc):
        new = Row(doc, old.seq)
        self.rows[self._position(old)] = new
        self._reindex(old, new)
        return new

    def _reindex(self, old, new):
        """new replaced old in self.rows: the lookups follow."""
        self.by_id.pop(old.get("_id"), None)
        self.by_id[new.get("_id")] = new
        for ix in self.indexes.values():
            ix.remove(old)
            ix.add(new)
        self._changed()

    def move(self, row, position):
        """Put row at this storage position (the end when past it): a
        store whose order is not the order of creation.  Its seq becomes a
        number between its new neighbours', so that storage order stays
        seq order."""
        del self.rows[self._position(row)]
        position = min(position, len(self.rows))
        before = self.rows[position - 1].seq if position > 0 else None
        after = self.rows[position].seq if position < len(self.rows) else None
        if after is None:
            seq = row.seq if before is None or before < row.seq else before + 1
        elif before is None:
            seq = after - 1
        else:
            seq = (before + after) / 2
        new = Row.from_parts(row.shape.keys, row.values, row.blob, seq)
        self.next_seq = max(self.next_seq, int(seq) + 1)
        self.rows.insert(position, new)
        self._reindex(row, new)
        return new

    def delete(self, row):
        del self.rows[self._position(row)]
        self.by_id.pop(row.get("_id"), None)
        for ix in self.indexes.values():
            ix.remove(row)
        self._changed()


class Store:
    """All collections of one loaded dataset."""

    def __init__(self, collections=None):
        self.collections = collections or {}

    def coll(self, name):
        c = self.collections.get(name)
        if c is None:
            c = self.collections[name] = Collection(name)
        return c

    def clone(self):
        return Store({n: c.clone() for n, c in self.collections.items()})


class IdMaker:
    """Deterministic, realistic ObjectIds: 4-byte timestamp, 5 'machine'
    bytes, 3-byte counter (lower-case hex)."""

    def __init__(self, base_ts, machine):
        self.base_ts = base_ts
        self.machine = machine & 0xFFFFFFFFFF
        self.counter = itertools.count()

    def next(self, ts=None):
        n = next(self.counter)
        return "%08x%010x%06x" % ((ts if ts is not None else self.base_ts + n) & 0xFFFFFFFF,
                                  self.machine, n & 0xFFFFFF)
