"""Datasets: determinism and realism."""

import json
import re
import unittest

import emutest  # noqa: F401  (sets sys.path)
import generator
from catalog import CUSTOM_FIELD_TYPES, RESOURCES

HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def docs(store, coll):
    return [json.loads(r.blob) for r in store.coll(coll).rows]


def walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


class DeterminismTest(unittest.TestCase):
    def blobs(self, *args):
        store = generator.build(*args)
        return {n: [r.blob for r in c.rows] for n, c in store.collections.items()}

    def test_same_arguments_same_bytes(self):
        self.assertEqual(self.blobs("regress", None, 42), self.blobs("regress", None, 42))
        self.assertEqual(self.blobs("generated", "companies=300,endusers=500", 9),
                         self.blobs("generated", {"companies": 300, "endusers": 500}, 9))

    def test_fingerprints(self):
        """The pg_regress expected files and the demo show these data: a
        change here means re-recording them (say so when you change it)."""
        import hashlib
        for ds, digest in (("regress", "7ed24a0bccde43a38792a5eac172a73a916ce868aa33a31bacb702678d959f88"),
                           ("demo", "6e75acb08302aa934726c61b89639f212740186e6985ced97be229b9e2baeec1")):
            store = generator.build(ds)
            h = hashlib.sha256()
            for name in sorted(store.collections):
                for r in store.collections[name].rows:
                    h.update(r.blob)
                    h.update(b"\n")
            self.assertEqual(h.hexdigest(), digest, ds)

    def test_seed_changes_data(self):
        a, b = self.blobs("regress", None, 1), self.blobs("regress", None, 2)
        self.assertNotEqual(a["companies"], b["companies"])

    def test_rows_override_counts(self):
        store = generator.build("regress", "companies=40,tasks=3", 42)
        self.assertEqual(len(store.coll("companies")), 40)
        self.assertEqual(len(store.coll("tasks")), 3)
        self.assertEqual(len(store.coll("endusers")), generator.REGRESS_ROWS["endusers"])
        names = [d["name"] for d in docs(store, "companies")]
        self.assertEqual(len(set(names)), 40)                    # still duplicate-free
        self.assertEqual(names[:25], [d["name"] for d in docs(generator.build("regress"), "companies")])

    def test_generated_counts(self):
        store = generator.build("generated", "companies=100,licenses=30")
        counts = {n: len(c) for n, c in store.collections.items() if len(c)}
        self.assertEqual(counts, {"companies": 100, "licenses": 30, "users": 20,
                                  "customfields": len(self.blobs("regress")["customfields"])})

    def test_bad_arguments(self):
        for ds, rows in (("nope", None), ("regress", "nope=3"), ("regress", "companies=x"),
                         ("regress", "companies=-1"), ("generated", "endusers=5"),
                         ("regress", "companies"), ("regress", "leancompanies=3")):
            with self.assertRaises(ValueError, msg=(ds, rows)):
                generator.build(ds, rows)

    def test_empty_and_examples(self):
        self.assertEqual(generator.build("empty").collections, {})
        ex = generator.build("examples")
        self.assertEqual(len(ex.coll("companies")), 8)


class RealismTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.store = generator.build("regress")
        cls.big = generator.build("generated", "companies=400,endusers=1200,tasks=300,invoices=200,"
                                  "conversations=200,tickets=50,issues=40,nps=100,timesheets=20,"
                                  "timeentries=60,licenses=200,dimensiondata=100")

    def test_every_resource_populated_in_regress(self):
        for name, res in RESOURCES.items():
            self.assertTrue(len(self.store.coll(res.collection)), name)

    def test_regress_specifics(self):
        comps = docs(self.store, "companies")
        self.assertEqual(len(comps), 25)
        self.assertEqual(len({c["name"] for c in comps}), 25)
        self.assertEqual(sum(1 for c in comps if "mrr" in c and c["mrr"] is None), 3)
        self.assertEqual(sum(1 for c in comps if "mrr" not in c), 1)
        self.assertEqual(sum(1 for e in docs(self.store, "endusers") if e["archived"]), 4)
        self.assertEqual(sum(1 for t in docs(self.store, "tasks") if t["isArchived"]), 3)

    def test_ids_unique_realistic(self):
        seen = set()
        for store in (self.store, self.big):
            for name, coll in store.collections.items():
                for r in coll.rows:
                    self.assertRegex(r.id, HEX24)
                    self.assertNotIn((id(store), r.id), seen)
                    seen.add((id(store), r.id))

    def test_unicode_html_nulls_missing_fractions(self):
        comps = docs(self.big, "companies") + docs(self.store, "companies")
        names = " ".join(c["name"] for c in comps)
        self.assertTrue(re.search(r"[À-ɏ]", names))                  # accents
        self.assertTrue(re.search(r"[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]", names))   # CJK
        self.assertTrue(re.search(r"[\U0001F300-\U0001FAFF]", names))  # emoji
        self.assertTrue(any(re.match(r"^[a-z]+[A-Z]", c["name"]) for c in comps))   # mixed case
        self.assertTrue(any("<p>" in (c.get("description") or "") for c in comps))
        self.assertTrue(any("phase" not in c for c in comps))
        self.assertTrue(any(c.get("csmScore") is None for c in comps))
        floats = [v for c in comps for v in walk(c) if type(v) is float]
        self.assertTrue(any(len(repr(v).split(".")[1]) >= 10 for v in floats))
        self.assertFalse([v for v in floats if v.is_integer()])      # JS prints 100, not 100.0

    def test_custom_fields_registered_and_typed(self):
        for store in (self.store, self.big):
            defs = docs(store, "customfields")
            by_parent = {}
            for d in defs:
                self.assertIn(d["type"], CUSTOM_FIELD_TYPES)
                by_parent.setdefault(d["parent"], {})[d["name"]] = d
            self.assertEqual({d["type"] for d in by_parent["company"].values()}, set(CUSTOM_FIELD_TYPES))
            self.assertEqual({d["type"] for d in by_parent["enduser"].values()}, set(CUSTOM_FIELD_TYPES))
            users = {u["_id"] for u in docs(store, "users")}
            eus = {e["_id"]: e["companyId"] for e in docs(store, "endusers")}
            seen_types = set()
            for res in RESOURCES.values():
                if not res.parent or res.name == "tickets":
                    continue
                for doc in docs(store, res.collection):
                    for name, value in (doc.get("custom") or {}).items():
                        d = by_parent[res.parent].get(name)
                        self.assertIsNotNone(d, (res.name, name))
                        if value is not None:
                            self.check_value(d, value, users, eus, doc)
                            seen_types.add(d["type"])
            self.assertEqual(seen_types, set(CUSTOM_FIELD_TYPES))

    def check_value(self, d, v, users, eus, doc):
        t = d["type"]
        if t in ("number", "rating"):
            self.assertIn(type(v), (int, float))
            if t == "rating":
                self.assertTrue(1 <= v <= 5)
        elif t == "checkbox":
            self.assertIs(type(v), bool)
        elif t in ("day", "date"):
            self.assertRegex(v, ISO)
            if t == "day":
                self.assertTrue(v.endswith("T00:00:00.000Z"))
        elif t == "list":
            self.assertIn(v, d["listValues"])
        elif t == "multipicklist":
            self.assertTrue(set(v) <= set(d["listValues"]))
        elif t == "team member":
            self.assertIn(v, users)
        elif t == "team members":
            self.assertTrue(set(v) <= users)
        elif t == "enduser":
            self.assertIn(v, eus)
        elif t == "endusers":
            self.assertTrue(set(v) <= set(eus))
            cid = doc.get("companyId", doc["_id"])
            self.assertTrue(all(eus[e] == cid for e in v))
        elif t == "email":
            self.assertIn("@", v)
        elif t == "url":
            self.assertTrue(v.startswith("https://"))
        else:
            self.assertIsInstance(v, str)

    def test_children_reference_companies(self):
        for store in (self.store, self.big):
            comps = {c["_id"]: c["name"] for c in docs(store, "companies")}
            for res in RESOURCES.values():
                if res.company_field in ("companyId", "cId") and res.name != "leancompanies":
                    for d in docs(store, res.collection):
                        if res.scope and d.get(res.scope[0]) != res.scope[1]:
                            continue
                        self.assertIn(d[res.company_field], comps, res.name)
                        if res.company_name_field and res.company_name_field in d:
                            self.assertEqual(d[res.company_name_field], comps[d[res.company_field]])
            for i in docs(store, "issues"):
                self.assertTrue(set(i["companyIds"]) <= set(comps))

    def test_day_numbers(self):
        for inv in docs(self.big, "invoices"):
            for f in ("invoiceDate", "dueDate"):
                self.assertIs(type(inv[f]), int)
            for li in inv["lineItems"]:
                self.assertIs(type(li["dateFrom"]), int)
        for ts in docs(self.big, "timesheets"):
            self.assertEqual(ts["dateTo"] - ts["dateFrom"], 6)
        for c in docs(self.big, "conversations"):
            import dates
            self.assertEqual(c["days"], dates.day_number(dates.parse(c["date"])))

    def test_arrays_and_nested_objects(self):
        comps = docs(self.big, "companies")
        self.assertTrue(any(len(c["tags"]) >= 2 for c in comps))
        self.assertTrue(any(c["usage"] for c in comps))
        self.assertTrue(all(isinstance(c["shareable"]["team"], dict) for c in comps))
        self.assertTrue(any(len(i["lineItems"]) > 1 for i in docs(self.big, "invoices")))


if __name__ == "__main__":
    unittest.main()
