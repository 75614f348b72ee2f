"""Conformance: the documented example objects are served verbatim
(dataset "examples", built from planhat-api-examples.txt)."""

import json
import os
import unittest

import examples
from emutest import EmulatorCase
from jsonio import dump_bytes

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                      "shared", "planhat-api-examples.txt")


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

    @unittest.skipUnless(os.path.exists(SHARED), "planhat-api-examples.txt not beside the repository")
    def test_examples_json_matches_the_source(self):
        with open(SHARED, encoding="utf-8") as f:
            extracted = examples.extract(f.read())
        with open(examples.EXAMPLES_JSON, encoding="utf-8") as f:
            self.assertEqual(json.load(f), extracted)


if __name__ == "__main__":
    unittest.main()
