"""List endpoints: GET /<resource>?limit&offset&sort&select&companyId&<filters>.

Order of operations (docs/planhat-api.md §2.3, §8.3): filters, then sort, then
offset, then limit, then the select projection.  Unfiltered, unsorted pages
are a join of the rows' cached JSON bytes.
"""

import re
from collections import OrderedDict
from urllib.parse import unquote

from mongo import MISSING, sort_key, value_matches
from jsonio import dump_bytes


class BadRequest(Exception):
    """400 with a JSON string message."""


LEAN_FIELDS = frozenset(("_id", "name", "externalId", "sourceId"))
_UINT = re.compile(r"^[0-9]+$")


def parse_query(raw_query):
    """Decode a raw query string into [(name, value), ...] in order.

    Strict RFC 3986 decoding: %XX sequences are decoded (as UTF-8), a literal
    '+' stays '+' (it is NOT a space).  Pairs without '=' get value ''."""
    pairs = []
    if not raw_query:
        return pairs
    for part in raw_query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote(name, errors="replace"), unquote(value, errors="replace")))
    return pairs


def params_dict(pairs):
    """Last occurrence wins; empty values count as absent."""
    d = {}
    for k, v in pairs:
        if v == "":
            d.pop(k, None)
        else:
            d[k] = v
    return d


def _uint(params, name):
    v = params.get(name)
    if v is None:
        return None
    if not _UINT.match(v):
        raise BadRequest("%s must be a non-negative integer, got %r" % (name, v))
    return int(v)


def _int(params, name):
    v = params.get(name)
    if v is None:
        return None
    if not re.match(r"^-?[0-9]+$", v):
        raise BadRequest("%s must be an integer day number, got %r" % (name, v))
    return int(v)


def predicates(res, params):
    """The row predicates of a list request, as hashable tuples
    (op, field, value) in evaluation order (index-friendly ones first)."""
    preds = []
    if res.scope:
        preds.append(("eq", res.scope[0], res.scope[1]))
    if res.company_field and "companyId" in params:
        ids = tuple(v for v in params["companyId"].split(",") if v)
        if ids:
            preds.append(("in", res.company_field, ids))
    for f in res.filters:
        v = params.get(f.param)
        if v is None:
            continue
        if f.op == "in":
            vals = tuple(x for x in v.split(",") if x)
            if vals:
                preds.append(("in", f.field, vals))
        elif f.op in ("day_from", "day_to"):
            preds.append((f.op, f.field, _int(params, f.param)))
        else:
            preds.append((f.op, f.field, v))
    if res.name == "endusers" and params.get("archived") != "true":
        preds.append(("not_true", "archived", None))
    if res.name == "tasks":
        if params.get("isArchived") == "true":
            preds.append(("is_true", "isArchived", None))
        else:
            preds.append(("not_true", "isArchived", None))
    return preds


def _test(op, field, value):
    """A function row -> bool for one predicate."""
    if op == "eq":
        return lambda r: value_matches(r.get(field), value)
    if op == "in":
        vs = set(value)
        if len(vs) == 1:
            (one,) = vs
            return lambda r: value_matches(r.get(field), one)
        return lambda r: any(value_matches(r.get(field), v) for v in vs)
    if op == "ieq":
        low = value.casefold()
        return lambda r: isinstance(r.get(field), str) and r.get(field).casefold() == low
    if op == "search":
        low = value.casefold()
        return lambda r: isinstance(r.get(field), str) and low in r.get(field).casefold()
    if op == "day_from":
        return lambda r: _is_num(r.get(field)) and r.get(field) >= value
    if op == "day_to":
        return lambda r: _is_num(r.get(field)) and r.get(field) <= value
    if op == "not_true":
        return lambda r: r.get(field) is not True
    if op == "is_true":
        return lambda r: r.get(field) is True
    raise ValueError(op)


def _is_num(v):
    return type(v) in (int, float)


def _candidates(coll, preds):
    """Rows to scan: from an index when a predicate allows it."""
    for i, (op, field, value) in enumerate(preds):
        if op in ("eq", "in") and field != "_id":
            values = (value,) if op == "eq" else value
            ix = coll.index(field)
            if len(values) == 1:
                rows = list(ix.lookup(values[0]))
            else:
                seen = {}
                for v in values:
                    for r in ix.lookup(v):
                        seen[r.seq] = r
                rows = [seen[s] for s in sorted(seen)]
            return rows, preds[:i] + preds[i + 1:]
        if op in ("eq", "in") and field == "_id":
            values = (value,) if op == "eq" else value
            rows = {r.seq: r for r in (coll.get(v) for v in values) if r is not None}
            return [rows[s] for s in sorted(rows)], preds[:i] + preds[i + 1:]
    return coll.rows, preds


class ListCache:
    """Filtered and sorted row lists, keyed by collection version."""

    def __init__(self, size=16):
        self.size = size
        self.entries = OrderedDict()

    def get(self, key):
        v = self.entries.get(key)
        if v is not None:
            self.entries.move_to_end(key)
        return v

    def put(self, key, rows):
        self.entries[key] = rows
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)

    def clear(self):
        self.entries.clear()


def select_rows(coll, res, params, cache):
    """Filtered + sorted rows (a list that must not be modified)."""
    preds = predicates(res, params)
    sort = params.get("sort")
    if sort in ("-", "+"):
        sort = None
    if not preds and not sort:
        return coll.rows
    key = (res.name, coll.version, tuple(preds), sort)
    rows = cache.get(key)
    if rows is not None:
        return rows
    rows, rest = _candidates(coll, preds)
    for test in [_test(*p) for p in rest]:
        rows = [r for r in rows if test(r)]
    if sort:
        desc = sort.startswith("-")
        field = sort[1:] if desc else sort
        # Python's sort is stable also with reverse=True: ties keep storage order
        rows = sorted(rows, key=lambda r: sort_key(r.get(field, MISSING)), reverse=desc)
    elif rows is coll.rows:
        rows = list(rows)
    cache.put(key, rows)
    return rows


def page_bounds(res, params):
    limit = _uint(params, "limit")
    offset = _uint(params, "offset") or 0
    if limit is None:
        limit = res.default_limit
    elif limit > res.max_limit:
        limit = res.max_limit           # clamp (docs/planhat-api.md §2.3 proposal)
    return offset, limit


def wanted_fields(res, params):
    """frozenset of top-level fields to return, or None for whole objects."""
    sel = params.get("select")
    if sel is not None:
        names = [s for s in sel.split(",") if s]
        if names:
            return frozenset(names) | {"_id"}
    if res.default_select:
        return frozenset(res.default_select) | {"_id"}
    return None


def render(rows, wanted):
    """The JSON array of rows (projected on 'wanted' unless None)."""
    if wanted is None:
        return b"[" + b",".join([r.blob for r in rows]) + b"]"
    full = [len(r.shape.projection(wanted)) == len(r.shape.keys) for r in rows]
    if not any(full):
        return dump_bytes([r.project(wanted) for r in rows])     # one encoder call
    # rows with every field selected are served from their cached bytes
    parts = [r.blob if f else dump_bytes(r.project(wanted)) for r, f in zip(rows, full)]
    return b"[" + b",".join(parts) + b"]"


def list_body(coll, res, params, cache):
    """The JSON body of a list request (bytes)."""
    if res.default_limit is None:           # leancompanies: unpaginated, fixed fields
        rows = select_rows(coll, res, {k: v for k, v in params.items() if k != "sort"}, cache)
        return render(rows, LEAN_FIELDS)
    offset, limit = page_bounds(res, params)
    wanted = wanted_fields(res, params)
    rows = select_rows(coll, res, params, cache)
    return render(rows[offset:offset + limit], wanted)
