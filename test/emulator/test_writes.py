"""Create, update (merge, array operations), delete (docs/planhat-api.md §2.4, §2.5, §8.4-8.6)."""

import re
import unittest

from emutest import EmulatorCase

HEX24 = re.compile(r"^[0-9a-f]{24}$")
NOW = "2025-06-01T12:00:00.000Z"        # EmulatorCase.fixed_time


class CreateTest(EmulatorCase):
    def company(self, i=0):
        return self.data("companies")[i]

    def test_create_company(self):
        obj = self.send_json("POST", "/companies", {"name": "Nova", "externalId": 1234,
                                                    "custom": {"Seats": 3}})
        self.assertRegex(obj["_id"], HEX24)
        self.assertEqual(obj["__v"], 0)
        self.assertEqual(obj["externalId"], "1234")                  # coerced to string
        self.assertEqual(obj["createDate"], NOW)
        self.assertEqual(obj["updatedAt"], NOW)
        self.assertEqual(obj["custom"], {"Seats": 3})
        self.assertEqual(obj["status"], "prospect")
        self.assertEqual(self.get_json("/companies/" + obj["_id"]), obj)
        self.assertEqual(self.get_json("/companies?limit=100")[-1], obj)   # appended

    def test_external_id_number_formats(self):
        obj = self.send_json("POST", "/companies", {"name": "F", "externalId": 12.0})
        self.assertEqual(obj["externalId"], "12")
        obj = self.send_json("POST", "/companies", {"name": "G", "externalId": 1.5})
        self.assertEqual(obj["externalId"], "1.5")

    def test_required_fields(self):
        cid = self.company()["_id"]
        cases = [
            ("companies", {}, "name"),
            ("companies", {"name": ""}, "name"),
            ("companies", {"name": None}, "name"),
            ("endusers", {"companyId": cid}, "email"),
            ("assets", {"name": "A"}, "companyId"),
            ("assets", {"companyId": cid}, "name"),
            ("campaigns", {"companyId": cid}, "name"),
            ("churn", {}, "companyId"),
            ("conversations", {}, "companyId"),
            ("customfields", {"type": "text", "parent": "company"}, "name"),
            ("customfields", {"name": "X", "parent": "company"}, "type"),
            ("customfields", {"name": "X", "type": "text"}, "parent"),
            ("invoices", {}, "cId"),
            ("issues", {}, "title"),
            ("licenses", {"_currency": "USD", "fromDate": "2024-01-01", "mrr": 1}, "companyId"),
            ("licenses", {"companyId": cid, "fromDate": "2024-01-01", "mrr": 1}, "_currency"),
            ("licenses", {"companyId": cid, "_currency": "USD", "mrr": 1}, "fromDate"),
            ("licenses", {"companyId": cid, "_currency": "USD", "fromDate": "2024-01-01"}, "mrr"),
            ("licenses", {"companyId": cid, "_currency": "USD", "fromDate": "2024-01-01",
                          "fixedPeriod": True}, "value"),
            ("nps", {"score": 5}, "email"),
            ("nps", {"email": "a@b.c"}, "score"),
            ("opportunities", {}, "companyId"),
            ("objectives", {"companyId": cid}, "name"),
            ("projects", {"name": "P"}, "companyId"),
            ("sales", {"companyId": cid, "salesDate": "2024-01-01", "value": 1}, "_currency"),
            ("sales", {"_currency": "USD", "companyId": cid, "value": 1}, "salesDate"),
            ("sales", {"_currency": "USD", "companyId": cid, "salesDate": "2024-01-01"}, "value"),
            ("tasks", {"action": "x"}, "companyId"),
            ("users", {"email": "u@x.y", "nickName": "n", "firstName": "f"}, "lastName"),
            ("users", {"nickName": "n", "firstName": "f", "lastName": "l"}, "email"),
            ("timeentries", {"hours": 1}, "date"),
            ("timeentries", {"date": "2025-01-30"}, "hours"),
            ("workspaces", {"companyId": cid}, "name"),
        ]
        for res, body, field in cases:
            r = self.request("POST", "/" + res, body=body)
            self.assertEqual(r.status, 400, (res, body))
            msg = r.json()
            self.assertIsInstance(msg, str)
            self.assertIn(field, msg, (res, body))
        self.assertEqual(self.send_json("POST", "/timesheets", {})["status"], "submitted")

    def test_company_reference_and_names(self):
        c = self.company(0)
        for ref in (c["_id"], "extid-" + c["externalId"], "srcid-" + c["sourceId"]):
            p = self.send_json("POST", "/projects", {"name": "P", "companyId": ref})
            self.assertEqual(p["companyId"], c["_id"])
            self.assertEqual(p["companyName"], c["name"])
        inv = self.send_json("POST", "/invoices", {"cId": "extid-" + c["externalId"],
                                                   "lineItems": [{"amount": 10.5}, {"amount": 2}]})
        self.assertEqual((inv["cId"], inv["cName"]), (c["_id"], c["name"]))
        self.assertEqual(inv["amountTotal"], 12.5)
        self.assertRegex(inv["lineItems"][0]["_id"], HEX24)
        self.assertEqual(inv["invoiceNo"], 21)                  # after the 20 regress invoices
        iss = self.send_json("POST", "/issues", {"title": "T", "companyIds": ["extid-" + c["externalId"]]})
        self.assertEqual(iss["companyIds"], [c["_id"]])
        self.assertEqual(iss["companies"], [{"id": c["_id"], "name": c["name"]}])
        r = self.request("POST", "/projects", body={"name": "P", "companyId": "extid-nope"})
        self.assertEqual(r.status, 400)
        self.assertIn("companyId", r.json())

    def test_enduser_derived_fields_and_domain_matching(self):
        c = self.company(2)
        e = self.send_json("POST", "/endusers", {"email": "new.person@" + c["domains"][0],
                                                 "firstName": "Zoë", "lastName": "Ångström"})
        self.assertEqual(e["companyId"], c["_id"])              # matched by domain
        self.assertEqual(e["companyName"], c["name"])
        self.assertEqual(e["name"], "Zoë Ångström")
        self.assertEqual(e["archived"], False)
        r = self.request("POST", "/endusers", body={"email": "x@unknown-domain.test"})
        self.assertEqual(r.status, 400)
        self.assertIn("companyId", r.json())

    def test_license_computations(self):
        c = self.company(0)
        lic = self.send_json("POST", "/licenses", {
            "companyId": c["_id"], "_currency": "USD", "fromDate": "2021-07-27T00:00:00.000Z",
            "toDate": "2022-07-27", "fixedPeriod": True, "value": 1000, "product": "Large License"})
        self.assertEqual(lic["length"], 12)
        self.assertEqual(lic["mrr"], 83.33333333333333)
        self.assertEqual(lic["toDate"], "2022-07-27T00:00:00.000Z")
        self.assertEqual(lic["renewalDate"], "2022-07-27T00:00:00.000Z")
        up = self.send_json("PUT", "/licenses/" + lic["_id"], {"mrr": 100000})
        self.assertEqual(up["value"], 1200000)                  # as in the documented example

    def test_dates_normalised(self):
        c = self.company(0)
        t = self.send_json("POST", "/tasks", {"companyId": c["_id"], "startTime": "2021-07-29T00:00:00.00Z",
                                              "description": "<p>Book a thing</p><p>Was it fun?</p>"})
        self.assertEqual(t["startTime"], "2021-07-29T00:00:00.000Z")
        self.assertEqual(t["snippet"], "Book a thing\n\nWas it fun?")
        self.assertEqual(t["mainType"], "task")
        te = self.send_json("POST", "/timeentries", {"date": "2025-01-30T14:51:01.691Z", "hours": 2,
                                                     "companyId": c["_id"]})
        self.assertEqual(te["date"], "2025-01-30T00:00:00.000Z")
        r = self.request("POST", "/tasks", body={"companyId": c["_id"], "startTime": "tomorrow"})
        self.assertEqual(r.status, 400)
        self.assertIn("startTime", r.json())
        inv = self.send_json("POST", "/invoices", {"cId": c["_id"], "invoiceDate": "2018-08-09"})
        self.assertEqual(inv["invoiceDate"], 17752)             # day number

    def test_validation(self):
        c = self.company(0)
        r = self.request("POST", "/nps", body={"email": "a@b.c", "score": 11})
        self.assertEqual(r.status, 400)
        r = self.request("POST", "/timeentries", body={"date": "2025-01-01", "hours": 25})
        self.assertEqual(r.status, 400)
        r = self.request("POST", "/customfields", body={"name": "X", "type": "colour", "parent": "company"})
        self.assertEqual(r.status, 400)
        r = self.request("POST", "/companies", body=[{"name": "x"}])
        self.assertEqual(r.status, 400)
        r = self.request("POST", "/companies", body=b"{not json")
        self.assertEqual(r.status, 400)
        self.assertIsInstance(r.json(), str)
        r = self.request("POST", "/companies", body=b'{"name": NaN}')
        self.assertEqual(r.status, 400)
        self.assertEqual(self.request("POST", "/endusers", body={"email": "a@b.c", "companyId": c["_id"],
                                                                 "mrr": 100.0}).json()["mrr"], 100)

    def test_uniqueness(self):
        c0, c1 = self.company(0), self.company(1)
        r = self.request("POST", "/companies", body={"name": "Dup", "externalId": c0["externalId"]})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json(), "externalId duplicated")
        r = self.request("POST", "/companies", body={"name": "Dup", "sourceId": c0["sourceId"]})
        self.assertEqual(r.json(), "sourceId duplicated")
        # child models: externalId unique per company only
        self.send_json("POST", "/endusers", {"email": "p@q.r", "companyId": c0["_id"], "externalId": "E1"})
        self.send_json("POST", "/endusers", {"email": "s@q.r", "companyId": c1["_id"], "externalId": "E1"})
        r = self.request("POST", "/endusers", body={"email": "t@q.r", "companyId": c0["_id"], "externalId": "E1"})
        self.assertEqual(r.status, 400)


class UpdateTest(EmulatorCase):
    def setUp(self):
        super().setUp()
        self.c = self.data("companies")[0]
        self.path = "/companies/" + self.c["_id"]

    def test_partial_update_keeps_other_fields(self):
        up = self.send_json("PUT", self.path, {"phase": "Onboarding", "name": "Renamed"})
        self.assertEqual(up["phase"], "Onboarding")
        self.assertEqual(up["name"], "Renamed")
        for k, v in self.c.items():
            if k not in ("phase", "name", "updatedAt", "lastUpdated"):
                self.assertEqual(up[k], v, k)
        self.assertEqual(up["updatedAt"], NOW)
        self.assertEqual(up["createDate"], self.c["createDate"])
        self.assertEqual(up["_id"], self.c["_id"])
        self.assertEqual(self.get_json(self.path), up)

    def test_json_types_are_compared_strictly(self):
        self.send_json("PUT", self.path, {"flag": True})
        up = self.send_json("PUT", self.path, {"flag": 1})
        self.assertIs(type(up["flag"]), int)

    def test_id_and_v_cannot_change(self):
        up = self.send_json("PUT", self.path, {"_id": "0" * 24, "__v": 9, "phase": "X"})
        self.assertEqual((up["_id"], up["__v"]), (self.c["_id"], 0))

    def test_noop_update_keeps_timestamps(self):
        up = self.send_json("PUT", self.path, {"name": self.c["name"]})
        self.assertEqual(up, self.c)

    def test_custom_merges_per_key(self):
        up = self.send_json("PUT", self.path, {"custom": {"Seats": 42, "New Field": "x", "Industry": None}})
        expect = dict(self.c["custom"])
        expect.update({"Seats": 42, "New Field": "x", "Industry": None})
        self.assertEqual(up["custom"], expect)
        up = self.send_json("PUT", self.path, {"custom": None})
        self.assertIsNone(up["custom"])

    def test_array_operations_top_level(self):
        self.send_json("PUT", self.path, {"tags": ["a", "b"]})
        up = self.send_json("PUT", self.path, {"tags": {"operation": "add", "data": ["c", "a"]}})
        self.assertEqual(up["tags"], ["a", "b", "c", "a"])
        up = self.send_json("PUT", self.path, {"tags": {"operation": "remove", "data": ["a"]}})
        self.assertEqual(up["tags"], ["b", "c"])
        up = self.send_json("PUT", self.path, {"tags": {"operation": "replace", "data": ["z"]}})
        self.assertEqual(up["tags"], ["z"])
        up = self.send_json("PUT", self.path, {"newList": {"operation": "add", "data": ["q"]}})
        self.assertEqual(up["newList"], ["q"])

    def test_array_operations_in_custom(self):
        self.send_json("PUT", self.path, {"custom": {"Segments": ["SMB", "Healthcare", "Retail"]}})
        up = self.send_json("PUT", self.path, {"custom": {"Segments": {"operation": "remove",
                                                                       "data": ["Healthcare"]}}})
        self.assertEqual(up["custom"]["Segments"], ["SMB", "Retail"])
        up = self.send_json("PUT", self.path, {"custom": {"Segments": {"operation": "add", "data": ["X"]}}})
        self.assertEqual(up["custom"]["Segments"], ["SMB", "Retail", "X"])
        r = self.request("PUT", self.path, body={"custom": {"Segments": {"operation": "merge", "data": []}}})
        self.assertEqual(r.status, 400)
        self.assertIn("custom.Segments", r.json())

    def test_company_change_updates_name(self):
        p = self.data("projects")[0]
        other = self.data("companies")[5]
        up = self.send_json("PUT", "/projects/" + p["_id"], {"companyId": "extid-" + other["externalId"]})
        self.assertEqual((up["companyId"], up["companyName"]), (other["_id"], other["name"]))

    def test_update_unknown_and_bad_body(self):
        self.assertEqual(self.request("PUT", "/companies/" + "0" * 24, body={}).status, 404)
        r = self.request("PUT", self.path, body=b"[1,2")
        self.assertEqual(r.status, 400)
        r = self.request("PUT", self.path, body=["x"])
        self.assertEqual(r.status, 400)


class DeleteTest(EmulatorCase):
    def test_delete_returns_mongo_result(self):
        for res in ("companies", "endusers", "licenses", "invoices", "tasks", "customfields",
                    "users", "timesheets"):
            obj = self.data(res)[0]
            r = self.request("DELETE", "/%s/%s" % (res, obj["_id"]))
            self.assertEqual(r.status, 200, res)
            self.assertEqual(r.json(), {"n": 1, "ok": 1, "deletedCount": 1})
            self.assertEqual(self.get("/%s/%s" % (res, obj["_id"])).status, 404)
            self.assertNotIn(obj["_id"], self.ids(self.data(res)))
            self.assertEqual(self.request("DELETE", "/%s/%s" % (res, obj["_id"])).status, 404)

    def test_delete_conversation_returns_document(self):
        conv = self.data("conversations")[0]
        self.assertEqual(self.send_json("DELETE", "/conversations/" + conv["_id"], None), conv)

    def test_list_after_delete(self):
        before = self.ids(self.get_json("/companies?sort=name"))
        self.request("DELETE", "/companies/" + before[3])
        self.assertEqual(self.ids(self.get_json("/companies?sort=name")), before[:3] + before[4:])


if __name__ == "__main__":
    unittest.main()
