"""Deals, products and workspaces (docs/planhat-api.md §11; README readings 14, 16, 18, 45)."""

import re
import unittest

from emutest import EmulatorCase

HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
MIDNIGHT = re.compile(r"^\d{4}-\d\d-\d\dT00:00:00\.000Z$")
NOW = "2025-06-01T12:00:00.000Z"        # EmulatorCase.fixed_time

# the fields section 11 documents (plus _id and Mongoose's __v, section 2.1)
FIELDS = {
    "deals": {"_id", "name", "companyId", "companyName", "externalId", "sourceId", "stage",
              "ownerId", "followers", "mrr", "arr", "total", "fees", "currency", "closeDate",
              "renewalDate", "startDate", "endDate", "subscriptions", "__v"},
    "products": {"_id", "name", "externalId", "sourceId", "type", "mrr", "arr", "value",
                 "currency", "fixedPeriod", "autoRenews", "length", "renewalMrr", "renewalArr",
                 "renewalPeriod", "noticePeriod", "noticeUnit", "packages", "color", "custom",
                 "createdAt", "updatedAt", "__v"},
    "workspaces": {"_id", "name", "ownerId", "companyId", "companyName", "externalId",
                   "sourceId", "custom", "__v"},
}


class DataTest(EmulatorCase):
    def test_regress_rows_carry_only_documented_fields(self):
        for res, fields in FIELDS.items():
            rows = self.data(res)
            self.assertTrue(rows, res)
            seen = set()
            for d in rows:
                self.assertRegex(d["_id"], HEX24)
                self.assertLessEqual(set(d), fields, res)
                seen |= set(d)
            self.assertEqual(seen, fields, res)          # and every one of them somewhere

    def test_values(self):
        companies = {c["_id"]: c["name"] for c in self.data("companies")}
        users = {u["_id"] for u in self.data("users")}
        for d in self.data("deals"):
            self.assertEqual(d["companyName"], companies[d["companyId"]])
            self.assertTrue(d["ownerId"] is None or d["ownerId"] in users)
            self.assertLessEqual(set(d["followers"]), users)
            if "mrr" in d:
                self.assertEqual(d["arr"], d["mrr"] * 12)
            for f in ("closeDate", "renewalDate", "startDate", "endDate"):
                if d.get(f) is not None:
                    self.assertRegex(d[f], MIDNIGHT)
            self.assertIs(type(d["subscriptions"]), int)
        self.assertEqual({d["stage"] for d in self.data("deals")} >= {"Closed Won", "Closed Lost"}, True)
        for p in self.data("products"):
            self.assertIn(p["type"], ("subscription", "fee"))
            self.assertEqual(p["type"] == "fee", "value" in p and "mrr" not in p)
            self.assertRegex(p["createdAt"], ISO)
            self.assertNotIn("companyId", p)
        for w in self.data("workspaces"):
            self.assertEqual(w["companyName"], companies[w["companyId"]])


class ListTest(EmulatorCase):
    def test_limits(self):
        # not documented: 100 / 2000 like sales, workflows and workspaces (reading 14)
        for res in ("deals", "products", "workspaces"):
            self.emu.reset({"rows": {res: 2100}})
            self.assertEqual(len(self.get_json("/" + res)), 100, res)
            self.assertEqual(len(self.get_json("/%s?limit=5000" % res)), 2000, res)
            self.assertEqual(len(self.get_json("/%s?limit=2000&offset=2000" % res)), 100, res)

    def test_company_filter_and_products_without_company(self):
        deals = self.get_json("/deals")
        cid = deals[0]["companyId"]
        got = self.get_json("/deals?companyId=" + cid)
        self.assertEqual(self.ids(got), [d["_id"] for d in deals if d["companyId"] == cid])
        products = self.get_json("/products")
        self.assertEqual(self.get_json("/products?companyId=" + cid), products)   # ignored

    def test_select_and_sort(self):
        rows = self.get_json("/deals?select=stage,mrr&sort=-mrr")
        self.assertTrue(all(set(r) <= {"_id", "stage", "mrr"} for r in rows))
        mrrs = [r["mrr"] for r in rows if "mrr" in r]
        self.assertEqual(mrrs, sorted(mrrs, reverse=True))


class KeyTest(EmulatorCase):
    def test_get_by_id_extid_srcid(self):
        for res in ("deals", "products", "workspaces"):
            rows = self.data(res)
            d = rows[0]
            self.assertEqual(self.get_json("/%s/%s" % (res, d["_id"])), d, res)
            ext = next(r for r in rows if r.get("externalId"))
            self.assertEqual(self.get_json("/%s/extid-%s" % (res, ext["externalId"]))["_id"], ext["_id"])
            src = next(r for r in rows if r.get("sourceId"))
            self.assertEqual(self.get_json("/%s/srcid-%s" % (res, src["sourceId"]))["_id"], src["_id"])
            self.assertEqual(self.get("/%s/%s" % (res, "0" * 24)).status, 404)

    def test_line_items_are_not_served(self):
        # the line-item path is not documented (section 11)
        for path in ("/lineitems", "/lineItems", "/line-items"):
            self.assertEqual(self.get(path).status, 404, path)


class WriteTest(EmulatorCase):
    def company(self):
        return self.data("companies")[0]

    def test_create_deal(self):
        c = self.company()
        obj = self.send_json("POST", "/deals", {"companyId": c["_id"], "name": "Big one",
                                                "mrr": 1000.5, "closeDate": "2025-07-01T15:30:00Z",
                                                "ownerId": self.data("users")[0]["_id"]})
        self.assertRegex(obj["_id"], HEX24)
        self.assertEqual(obj["companyName"], c["name"])
        self.assertEqual(obj["arr"], 12006)                             # from mrr
        self.assertEqual(obj["closeDate"], "2025-07-01T00:00:00.000Z")  # a Date field
        self.assertEqual(obj["followers"], [])
        self.assertNotIn("ownerName", obj)                              # not documented
        self.assertNotIn("createdAt", obj)                              # nor timestamps
        self.assertNotIn("updatedAt", obj)
        self.assertEqual(set(obj) - FIELDS["deals"], set())
        self.assertEqual(self.request("POST", "/deals", body={"name": "x"}).status, 400)
        upd = self.send_json("PUT", "/deals/" + obj["_id"], {"mrr": 10})
        self.assertEqual(upd["arr"], 120)
        self.assertEqual(upd["name"], "Big one")

    def test_create_product(self):
        obj = self.send_json("POST", "/products", {"name": "Gadget", "mrr": 50, "renewalMrr": 60})
        self.assertEqual(obj["type"], "subscription")                   # the default
        self.assertEqual((obj["arr"], obj["renewalArr"]), (600, 720))
        self.assertEqual(obj["packages"], [])
        self.assertEqual((obj["createdAt"], obj["updatedAt"]), (NOW, NOW))
        self.assertEqual(set(obj) - FIELDS["products"], set())
        r = self.request("POST", "/products", body={"name": "Bad", "type": "bundle"})
        self.assertEqual((r.status, r.json()), (400, "type must be subscription or fee"))
        self.assertEqual(self.request("POST", "/products", body={"type": "fee"}).status, 400)
        # externalId is unique across the model (a product has no company)
        self.send_json("POST", "/products", {"name": "A", "externalId": "P-1"})
        r = self.request("POST", "/products", body={"name": "B", "externalId": "P-1"})
        self.assertEqual((r.status, r.json()), (400, "externalId duplicated"))

    def test_create_workspace(self):
        c = self.company()
        obj = self.send_json("POST", "/workspaces", {"companyId": "extid-" + c["externalId"],
                                                     "name": "Lab", "ownerId": self.data("users")[1]["_id"]})
        self.assertEqual((obj["companyId"], obj["companyName"]), (c["_id"], c["name"]))
        self.assertEqual(set(obj), {"_id", "companyId", "companyName", "name", "ownerId", "custom", "__v"})

    def test_bulk_and_delete(self):
        c = self.company()
        r = self.send_json("PUT", "/deals", [{"companyId": c["_id"], "externalId": "D-1", "mrr": 1},
                                             {"companyId": c["_id"], "externalId": "D-1", "mrr": 2}])
        self.assertEqual((r["created"], r["updated"]), (1, 1))        # the second matches the first
        d = self.get_json("/deals/extid-D-1")
        self.assertEqual((d["mrr"], d["arr"]), (2, 24))
        self.assertEqual(self.send_json("DELETE", "/deals/" + d["_id"], None),
                         {"n": 1, "ok": 1, "deletedCount": 1})
        self.assertEqual(self.get("/deals/" + d["_id"]).status, 404)


if __name__ == "__main__":
    unittest.main()
