"""The loaded state: the store of one dataset plus what writes need (clock,
id maker, invoice numbers).  Datasets are generated once per (dataset, rows,
seed) and kept as a pristine snapshot, so a reset to the same data is a copy
of row lists (rows are immutable and shared)."""

import gc

import generator
from genplan import NOW_TS
from store import IdMaker

RUNTIME_TS = NOW_TS      # ObjectId timestamp base of created objects


class Tenant:
    def __init__(self, store, seed, clock):
        self.store = store
        self.clock = clock
        self.ids = IdMaker(RUNTIME_TS, 0xE0A1C0FFEE ^ (seed & 0xFFFFFFFFFF))
        nos = [r.get("invoiceNo", 0) for r in store.coll("invoices").rows]
        self._invoice_no = max([n for n in nos if type(n) is int] or [0])

    def new_id(self):
        return self.ids.next()

    def next_invoice_no(self):
        self._invoice_no += 1
        return self._invoice_no


class DatasetCache:
    """Keeps the most recently built dataset pristine."""

    def __init__(self):
        self.key = None
        self.store = None

    def load(self, dataset, rows, seed):
        key = (dataset, tuple(sorted(generator.parse_rows(rows).items())), seed)
        if key != self.key:
            generator.counts_for(dataset, rows)     # raises before anything is dropped
            self.key = self.store = None   # free the old one before building
            enabled = gc.isenabled()
            gc.disable()                   # building creates millions of objects
            try:
                self.store = generator.build(dataset, rows, seed)
            finally:
                gc.freeze()                # loaded rows are never collected
                if enabled:
                    gc.enable()
            self.key = key
        return self.store.clone()
