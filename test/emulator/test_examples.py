"""Conformance: the documented example objects are served verbatim
(dataset "examples": Planhat's example answers, listed in the appendix of
docs/planhat-api.md and kept in examples.json)."""

import hashlib
import os
import re
import unittest

import examples
from emutest import EmulatorCase
from jsonio import dump_bytes

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                         "docs", "planhat-api.md")
APPENDIX = "## Appendix: Planhat's example objects"


class ExamplesTest(EmulatorCase):
    dataset = "examples"

    def test_every_example_object_served_byte_for_byte(self):
        n = 0
        for coll, objs in examples.load().items():
            for obj in objs:
                r = self.get("/%s/%s" % (coll, obj["_id"]))
                self.assertEqual(r.status, 200, (coll, obj["_id"]))
                self.assertEqual(r.body, dump_bytes(obj), (coll, obj["_id"]))
                n += 1
        self.assertEqual(n, 28)

    def test_lists_in_documented_order(self):
        for coll, objs in examples.load().items():
            listed = self.get_json("/%s?limit=1000" % coll)
            self.assertEqual(listed, objs, coll)

    def test_documented_list_answers(self):
        # GET /leancompanies: the documented lean list is the first four companies
        lean = self.get("/leancompanies").body
        expect = [{"_id": "56bccdf554d64d837d01be8c", "name": "Chevron", "externalId": "chevron",
                   "sourceId": "0012000001UchdsAAB"},
                  {"_id": "56ccc2d39b760ff232295798", "sourceId": "0012000001Tjy5xAAB",
                   "name": "United Oil & Gas, Singapore", "externalId": "CD355120-B"},
                  {"_id": "56bccdf554d64d837d01be63", "name": "Burger King", "externalId": "",
                   "sourceId": "0012000001VKEiVAAX"},
                  {"_id": "56bccdf554d64d837d01be4e", "name": "McDonalds", "externalId": "mcdonalds",
                   "sourceId": "0012000001TwtO7AAJ"}]
        self.assertTrue(lean.startswith(dump_bytes(expect)[:-1] + b","))
        # GET /licenses?select=_id,product,value,companyId (documented: absent fields omitted)
        got = self.get_json("/licenses?select=_id,product,value,companyId")
        self.assertIn({"_id": "601188a152181c5640bf429f", "companyId": "6011889f52181c5640bf41bb",
                       "value": 292500}, got)
        self.assertIn({"_id": "598b7911c488358437484797", "value": 280950, "product": "",
                       "companyId": "598b78ef49c568a81b052f49"}, got)
        # GET /projects?select=_id,companyId,name
        got = self.get("/projects?select=companyId,name&offset=1&limit=2").body
        self.assertEqual(got, '[{"_id":"60228bae4a93f65f056d2412","companyId":"6022884d40bd001fb4b6e554",'
                              '"name":"Älvdalen 2"},{"_id":"60228915f4d2e51f9cc29856",'
                              '"companyId":"6022884d40bd001fb4b6e554","name":"URL123"}]'.encode())

    def test_documented_values(self):
        lic = self.get_json("/licenses/56bccdf554d64d837d01beb2")
        self.assertEqual(lic["mrr"], 1958.3333333333333)
        self.assertIn(b'"mrr":1958.3333333333333', self.get("/licenses/56bccdf554d64d837d01beb2").body)
        inv = self.get_json("/invoices/5bec1521b63ce46d84dd7a7d")
        self.assertEqual((inv["invoiceDate"], inv["paidDate"]), (17752, 18673))


def _appendix_rows():
    """The two tables of the reference's appendix, as lists of cell lists."""
    with open(REFERENCE, encoding="utf-8") as f:
        text = f.read()
    start = text.index(APPENDIX)
    kept, superseded = [], []
    for line in text[start:].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or not re.search(r"`[0-9a-f]{24}`", line):
            continue
        cells = [c.strip("`") for c in cells]
        (kept if len(cells) == 7 else superseded).append(cells)
    return kept, superseded


class ExamplesReferenceTest(unittest.TestCase):
    """examples.json against docs/planhat-api.md; extract() against inputs of
    its own.  Neither needs the saved copy of Planhat's examples."""

    def test_examples_json_matches_the_reference(self):
        data = examples.load_all()
        self.assertEqual(data["source"], examples.SOURCE)
        kept, superseded = _appendix_rows()
        got = []
        for n, prov in enumerate(data["provenance"], 1):
            objs = [o for o in data["collections"][prov["collection"]] if o["_id"] == prov["_id"]]
            self.assertEqual(len(objs), 1, prov)
            got.append([str(n), prov["collection"], prov["_id"], "[api/%s]" % prov["page"],
                        prov["example"], str(len(objs[0])), examples.fingerprint(objs[0])])
        self.assertEqual(kept, got)
        # provenance covers every object, in the order of the collections
        self.assertEqual([(p["collection"], p["_id"]) for p in data["provenance"]],
                         [(c, o["_id"]) for c, objs in data["collections"].items() for o in objs])
        self.assertEqual(superseded, [[s["_id"], s["collection"], s["block"]]
                                      for s in data["superseded"]])
        self.assertEqual(len(kept), 28)

    def test_extract_rules(self):
        sep = "\n--------------------------------\n"
        src = "https://www.planhat.com/developers/api/"
        text = sep.join([
            # a create answer, quoted as some excerpts are
            "### Create Thing Response Source: %sproject Made. ```json '{\"_id\": \"a1\", "
            "\"name\": \"new\"}' ```" % src,
            # a list answer: later than the create, earlier than a single GET
            "### Thing List Source: %sproject Listed. ```json [{\"_id\": \"a1\", \"name\": "
            "\"listed\"}, {\"_id\": \"b2\", \"n\": 1.50}] ```" % src,
            # a single answer; a raw newline inside a string is kept
            "### Example Thing Response Source: %sproject One. ```json {\"_id\": \"a1\", "
            "\"name\": \"got\", \"d\": \"\nx\n\"} ```" % src,
            # a create after the single answer does not replace it
            "### Create Thing Again Source: %sproject ```json {\"_id\": \"a1\"} ```" % src,
            # no _id (a bulk answer), an unknown page, a block without a source: skipped
            "### Bulk Source: %stask ```json {\"created\": 1} ```" % src,
            "### Other Source: %snosuchpage ```json {\"_id\": \"c3\"} ```" % src,
            "### Loose ```json {\"_id\": \"d4\"} ```",
            # the time-entry page maps to its collection; a trailing ';' is dropped
            "### Entry Source: %stime-entry ```json {\"_id\": \"e5\"}; ```" % src,
        ])
        out = examples.extract(text)
        self.assertEqual(out["collections"], {
            "projects": [{"_id": "a1", "name": "got", "d": "\nx\n"}, {"_id": "b2", "n": 1.5}],
            "timeentries": [{"_id": "e5"}]})
        self.assertEqual(out["provenance"], [
            {"collection": "projects", "_id": "a1", "page": "project",
             "example": "Example Thing Response"},
            {"collection": "projects", "_id": "b2", "page": "project", "example": "Thing List"},
            {"collection": "timeentries", "_id": "e5", "page": "time-entry", "example": "Entry"}])
        self.assertEqual(out["superseded"], [
            {"_id": "a1", "collection": "projects", "block": "Create Thing Response"},
            {"_id": "a1", "collection": "projects", "block": "Thing List"},
            {"_id": "a1", "collection": "projects", "block": "Create Thing Again"}])

    def test_fingerprint_is_of_the_served_bytes(self):
        obj = {"_id": "a1", "name": "Älvdalen", "n": 2.0}
        self.assertEqual(examples.fingerprint(obj),
                         hashlib.sha256('{"_id":"a1","name":"Älvdalen","n":2.0}'.encode()).hexdigest()[:12])


if __name__ == "__main__":
    unittest.main()
