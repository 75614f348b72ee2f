"""Deterministic datasets.

    build(dataset, rows=None, seed=42) -> Store

Datasets:
  regress    small, every resource populated, readable (25 companies, ...)
  demo       a small realistic tenant (50 companies with nice names, ...)
  examples   exactly the documented example objects (examples.json)
  empty      nothing
  generated  row counts from 'rows' (unspecified: 0; users: 20)

'rows' ({resource: count}) overrides counts of any dataset but examples and
empty.  Every value comes from random.Random streams seeded by (seed,
resource), so the same arguments give byte-identical data.  Children
reference existing companies (and their end users); custom-field values match
the definitions in /customfields.

Nested values are shared between rows where they are equal (the store
never mutates a row in place), which keeps 1M companies in a few GB.

genplan.py holds the plan every row relies on (ids, company assignment,
names, shared timestamps, custom values), genrows.py the row makers (one per
resource), names.py the word pools and custom-field definitions.
"""

import examples
from catalog import RESOURCES
from genrows import RowMaker
from jsonio import dump_bytes
from store import Row, Store, shape_for

REGRESS_ROWS = {
    "companies": 25, "endusers": 60, "users": 6, "licenses": 30, "invoices": 20,
    "nps": 15, "tasks": 30, "conversations": 15, "tickets": 8, "assets": 12,
    "campaigns": 6, "churn": 5, "issues": 8, "opportunities": 10, "objectives": 8,
    "projects": 8, "sales": 12, "timeentries": 15, "timesheets": 5, "workflows": 5,
    "workspaces": 4, "products": 6, "deals": 12, "dimensiondata": 40,
}
DEMO_ROWS = {
    "companies": 50, "endusers": 220, "users": 8, "licenses": 70, "invoices": 120,
    "nps": 90, "tasks": 150, "conversations": 120, "tickets": 40, "assets": 40,
    "campaigns": 10, "churn": 6, "issues": 20, "opportunities": 30, "objectives": 25,
    "projects": 20, "sales": 40, "timeentries": 100, "timesheets": 12, "workflows": 15,
    "workspaces": 10, "products": 8, "deals": 40, "dimensiondata": 1500,
}
GENERATED_ROWS = {"users": 20}
DATASETS = ("regress", "demo", "examples", "empty", "generated")

# generation order: what a resource references is generated before it
ORDER = ("users", "companies", "endusers", "licenses", "sales", "invoices", "nps",
         "assets", "projects", "campaigns", "objectives", "opportunities", "churn",
         "issues", "tasks", "conversations", "tickets", "timeentries", "timesheets",
         "workflows", "workspaces", "products", "deals", "dimensiondata")
GENERATABLE = frozenset(ORDER)
CHUNK = 10000                # rows per random stream


class Generator(RowMaker):
    """Builds a Store from the row makers, CHUNK rows at a time."""

    def run(self):
        store = Store()
        coll = store.coll("customfields")
        for seq, doc in enumerate(self.gen_customfields()):
            coll.append_row(Row(doc, seq))
        for res in ORDER:
            coll = store.coll(RESOURCES[res].collection)
            seq = coll.next_seq
            for parts in self._chunks(res):
                for keys, values, blob in parts:
                    coll.append_row(Row.from_parts(keys, values, blob, seq))
                    seq += 1
            if res == "endusers":
                self.endusers = {r.get("_id"): (r.get("email"), r.get("name")) for r in coll.rows}
        return store

    def chunk(self, res, lo, hi):
        """Rows lo..hi-1 of a resource as (keys, values, JSON bytes).  Each
        chunk of CHUNK rows has its own random stream, so a row does not depend
        on how many rows come after it."""
        r = self.rnd("%s/%d" % (res, lo // CHUNK))
        out = []
        for doc in getattr(self, "gen_" + res)(lo, hi, r):
            out.append((shape_for(tuple(doc)).keys, tuple(doc.values()), dump_bytes(doc)))
        return out

    def _chunks(self, res):
        n = self.n(res)
        for lo in range(0, n, CHUNK):
            yield self.chunk(res, lo, min(lo + CHUNK, n))


def parse_rows(spec):
    """'companies=100,endusers=300' -> {"companies": 100, "endusers": 300}."""
    out = {}
    if not spec:
        return out
    items = spec.items() if isinstance(spec, dict) else (
        p.split("=", 1) for p in spec.split(",") if p.strip())
    for item in items:
        if len(item) != 2:
            raise ValueError("rows: expected resource=count, got %r" % "=".join(item))
        name, count = item[0].strip(), item[1]
        if name not in GENERATABLE:
            raise ValueError("rows: unknown resource %r (one of %s)" % (name, ", ".join(sorted(GENERATABLE))))
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise ValueError("rows: %s count must be an integer" % name)
        if count < 0:
            raise ValueError("rows: %s count must not be negative" % name)
        out[name] = count
    return out


def counts_for(dataset, rows=None):
    """Row counts of a dataset (ValueError when the arguments are wrong)."""
    rows = parse_rows(rows)
    if dataset not in DATASETS:
        raise ValueError("unknown dataset %r (one of %s)" % (dataset, ", ".join(DATASETS)))
    base = {"regress": REGRESS_ROWS, "demo": DEMO_ROWS, "generated": GENERATED_ROWS}.get(dataset, {})
    counts = dict(base)
    counts.update(rows)
    if counts.get("companies", 0) == 0 and any(
            counts.get(r, 0) for r in ORDER if r not in ("users", "companies", "timesheets", "products")):
        raise ValueError("rows: child resources need companies > 0")
    return counts


def build(dataset, rows=None, seed=42):
    counts = counts_for(dataset, rows)
    if type(seed) is not int:
        raise ValueError("seed must be an integer")
    if dataset == "empty":
        return Store()
    if dataset == "examples":
        store = Store()
        for name, docs in examples.load().items():
            coll = store.coll(name)
            for seq, doc in enumerate(docs):
                coll.append_row(Row(doc, seq))
        return store
    return Generator(dataset, counts, seed).run()
