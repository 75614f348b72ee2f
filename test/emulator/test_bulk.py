"""Bulk upsert PUT /<resource> (docs/planhat-api.md §4, §8.7)."""

import unittest

from emutest import RO_TOKEN, EmulatorCase

TEN_KEYS = ["created", "createdErrors", "insertsKeys", "updated", "updatedErrors",
            "updatesKeys", "nonupdates", "modified", "upsertedIds", "permissionErrors"]


class BulkTest(EmulatorCase):
    def bulk(self, res, items, status=200, **kw):
        r = self.request("PUT", "/" + res, body=items, **kw)
        self.assertEqual(r.status, status, r.body[:800])
        result = r.json()
        expect = TEN_KEYS + (["validationErrors"] if res == "timeentries" else [])
        self.assertEqual(list(result), expect)
        return result

    def test_create_shape(self):
        cid = self.data("companies")[0]["_id"]
        r = self.bulk("assets", [
            {"name": "A1", "companyId": cid, "sourceId": "sfc-1234", "externalId": "1234"},
            {"name": "A2", "companyId": cid, "sourceId": "sfc-1235", "externalId": 1235},
            {"name": "A3", "companyId": cid}])
        self.assertEqual(r["created"], 3)
        self.assertEqual(r["updated"], 0)
        ids = r["upsertedIds"]
        self.assertEqual(r["insertsKeys"], [
            {"_id": ids[0], "sourceId": "sfc-1234", "externalId": "1234"},
            {"_id": ids[1], "sourceId": "sfc-1235", "externalId": "1235"},
            {"_id": ids[2]}])
        for k in ("createdErrors", "updatedErrors", "updatesKeys", "modified", "permissionErrors"):
            self.assertEqual(r[k], [])
        self.assertEqual(self.get_json("/assets/" + ids[1])["name"], "A2")

    def test_update_and_nonupdate(self):
        e = self.data("endusers")[0]
        r = self.bulk("endusers", [{"_id": e["_id"], "position": "Boss"},
                                   {"_id": e["_id"], "position": "Boss"}])
        self.assertEqual((r["created"], r["updated"], r["nonupdates"]), (0, 1, 1))
        self.assertEqual(r["modified"], [e["_id"]])
        self.assertEqual(r["updatesKeys"], [{"_id": e["_id"]}])
        self.assertEqual(r["upsertedIds"], [])
        self.assertEqual(self.get_json("/endusers/" + e["_id"])["position"], "Boss")

    def test_keyable_priority(self):
        comps = self.data("companies")
        a, b = comps[0], comps[1]
        # _id wins over sourceId: a is matched, and taking b's sourceId is a duplicate
        r = self.bulk("companies", [{"_id": a["_id"], "sourceId": b["sourceId"]}], status=400)
        self.assertEqual(r["updatedErrors"][0]["error"], "sourceId duplicated")
        r = self.bulk("companies", [{"_id": a["_id"], "sourceId": "new-src", "phase": "P1"}])
        self.assertEqual(r["modified"], [a["_id"]])
        # sourceId wins over externalId (a is matched; b's externalId is a duplicate)
        r = self.bulk("companies", [{"sourceId": "new-src", "externalId": b["externalId"]}], status=400)
        self.assertEqual(r["updatedErrors"][0]["error"], "externalId duplicated")
        r = self.bulk("companies", [{"sourceId": "new-src", "externalId": "new-ext", "phase": "P2"}])
        self.assertEqual(r["modified"], [a["_id"]])
        self.assertEqual(r["updatesKeys"], [{"_id": a["_id"], "sourceId": "new-src",
                                             "externalId": "new-ext"}])
        # no sourceId match: externalId
        r = self.bulk("companies", [{"sourceId": "none", "externalId": b["externalId"], "phase": "P3"}])
        self.assertEqual(r["modified"], [b["_id"]])
        # nothing matches: created
        r = self.bulk("companies", [{"externalId": "brand-new", "name": "New"}])
        self.assertEqual(r["created"], 1)

    def test_enduser_email_keyable(self):
        e = self.data("endusers")[5]
        r = self.bulk("endusers", [{"email": e["email"], "position": "Keyed by email"}])
        self.assertEqual(r["modified"], [e["_id"]])
        self.assertEqual(r["updatesKeys"], [{"_id": e["_id"], "email": e["email"]}])

    def test_users_keyables(self):
        u = self.data("users")[0]
        r = self.bulk("users", [{"email": u["email"], "nickName": "Renamed"}])
        self.assertEqual(r["modified"], [u["_id"]])

    def test_external_id_scoped_to_company(self):
        comps = self.data("companies")
        c0, c1 = comps[0]["_id"], comps[1]["_id"]
        r = self.bulk("endusers", [{"email": "a@x.test", "companyId": c0, "externalId": "same"},
                                   {"email": "b@x.test", "companyId": c1, "externalId": "same"}])
        self.assertEqual(r["created"], 2)
        first, second = r["upsertedIds"]
        r = self.bulk("endusers", [{"companyId": c1, "externalId": "same", "position": "C1"},
                                   {"companyId": "extid-" + comps[0]["externalId"],
                                    "externalId": "same", "position": "C0"}])
        self.assertEqual(r["modified"], [second, first])
        self.assertEqual(self.get_json("/endusers/" + second)["position"], "C1")

    def test_sequential_items_see_earlier_ones(self):
        cid = self.data("companies")[0]["_id"]
        r = self.bulk("projects", [{"name": "X", "companyId": cid, "sourceId": "s1"},
                                   {"sourceId": "s1", "name": "Y"}])
        self.assertEqual((r["created"], r["updated"]), (1, 1))
        self.assertEqual(r["modified"], r["upsertedIds"])

    def test_partial_failure_206(self):
        cid = self.data("companies")[0]["_id"]
        bad = {"name": "no company"}
        r = self.bulk("projects", [{"name": "ok", "companyId": cid}, bad, "not an object"], status=206)
        self.assertEqual(r["created"], 1)
        self.assertEqual(r["createdErrors"], [
            {"item": bad, "error": "companyId is required"},
            {"item": "not an object", "error": "each item must be a JSON object"}])

    def test_all_failed_400(self):
        r = self.bulk("projects", [{"name": "no company"}], status=400)
        self.assertEqual(len(r["createdErrors"]), 1)
        r = self.bulk("projects", [{"_id": "0" * 24, "name": "x"}], status=400)
        self.assertEqual(r["updatedErrors"][0]["item"], {"_id": "0" * 24, "name": "x"})
        self.assertIn("_id", r["updatedErrors"][0]["error"])

    def test_update_error(self):
        p = self.data("projects")[0]
        r = self.bulk("projects", [{"_id": p["_id"], "startDate": "not a date"}], status=400)
        self.assertIn("startDate", r["updatedErrors"][0]["error"])

    def test_payload_problems_400(self):
        r = self.bulk("companies", {"name": "not an array"}, status=400)
        self.assertEqual(r["createdErrors"][0]["item"], None)
        r = self.request("PUT", "/companies", body=b"[{")
        self.assertEqual(r.status, 400)
        self.assertEqual(list(r.json()), TEN_KEYS)
        self.assertEqual(self.bulk("companies", [], status=200)["created"], 0)

    def test_5000_cap(self):
        cid = self.data("companies")[0]["_id"]
        items = [{"name": "T%d" % i, "companyId": cid} for i in range(5000)]
        r = self.bulk("tasks", [dict(i, companyId=cid) for i in items])
        self.assertEqual(r["created"], 5000)
        r = self.bulk("tasks", items + [{"companyId": cid}], status=400)
        self.assertEqual(r["created"], 0)
        self.assertIn("5000", r["createdErrors"][0]["error"])
        self.assertEqual(len(self.get_json("/tasks?limit=10000")), 5000 + 27)

    def test_read_only_token_403(self):
        items = [{"name": "x"}, {"name": "y"}]
        r = self.bulk("companies", items, status=403, token=RO_TOKEN)
        self.assertEqual(r["permissionErrors"], [
            {"item": items[0], "error": "the API token does not have write permission"},
            {"item": items[1], "error": "the API token does not have write permission"}])
        self.assertEqual(len(self.data("companies")), 25)

    def test_bulk_invoice_required_and_keys(self):
        c = self.data("companies")[0]
        r = self.bulk("invoices", [{"cId": c["_id"]}], status=400)
        self.assertIn("currency", r["createdErrors"][0]["error"])
        r = self.bulk("invoices", [{"cId": c["_id"], "currency": "EUR", "invoiceDate": 19000,
                                    "extId": "INV-NEW"}])
        self.assertEqual(r["insertsKeys"][0]["extId"], "INV-NEW")
        r = self.bulk("invoices", [{"extId": "INV-NEW", "cId": c["_id"], "status": "paid"}])
        self.assertEqual(r["updated"], 1)

    def test_issues_bulk_requires_company_ids(self):
        r = self.bulk("issues", [{"title": "T"}], status=400)
        self.assertIn("companyIds", r["createdErrors"][0]["error"])

    def test_tickets(self):
        c = self.data("companies")[0]
        r = self.bulk("tickets", [
            {"sourceId": "zd-1", "email": "a@b.c", "companyId": c["_id"], "title": "Broken",
             "description": "<p>It is broken</p>", "status": "open"},
            {"sourceId": "zd-2", "companyId": c["_id"]},                      # no email: dropped
            {"sourceId": "zd-3", "email": "x@y.z", "companyExternalId": c["externalId"]},
            {"sourceId": "zd-4", "email": "x@y.z", "domains": [c["domains"][0]]},
            {"sourceId": "zd-5", "email": "x@y.z"}], status=206)
        self.assertEqual((r["created"], r["nonupdates"], len(r["createdErrors"])), (3, 1, 1))
        t = self.get_json("/tickets?email=a@b.c")[0]
        self.assertEqual((t["type"], t["subject"], t["snippet"], t["companyName"]),
                         ("ticket", "Broken", "It is broken", c["name"]))
        r = self.bulk("tickets", [{"sourceId": "zd-1", "email": "a@b.c", "status": "solved"}])
        self.assertEqual(r["updated"], 1)
        r = self.bulk("tickets", {"sourceId": "zd-9", "email": "a@b.c", "companyId": c["_id"]})
        self.assertEqual(r["created"], 1)                    # a single object is accepted

    def test_timeentries_have_validation_errors(self):
        self.assertEqual(self.bulk("timeentries", [])["validationErrors"], [])


if __name__ == "__main__":
    unittest.main()
