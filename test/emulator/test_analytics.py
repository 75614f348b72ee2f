"""Analytics host routes: metrics push and activities (docs/planhat-api.md §7)."""

import unittest

from emutest import TENANT, TOKEN, EmulatorCase


class MetricsTest(EmulatorCase):
    def push(self, body, tenant=TENANT, token=None):
        r = self.request("POST", "/dimensiondata/" + tenant, body=body, token=token)
        self.assertEqual(r.status, 200)
        return r.json()

    def test_single_and_array_visible_in_list(self):
        c = self.data("companies")[0]
        before = len(self.data("dimensiondata"))
        res = self.push({"dimensionId": "logins", "value": 3, "externalId": c["externalId"],
                         "date": "2024-02-29T10:11:12Z"})
        self.assertEqual(res, {"processed": 1, "errors": []})
        res = self.push([{"dimensionId": "logins", "value": 1.5, "externalId": c["externalId"]},
                         {"dimensionId": "api_calls", "value": 7, "externalId": c["externalId"],
                          "model": "Company"}], token=TOKEN)
        self.assertEqual(res, {"processed": 2, "errors": []})
        points = self.data("dimensiondata")
        self.assertEqual(len(points), before + 3)
        p = points[before]
        self.assertEqual({k: p[k] for k in ("dimensionId", "value", "time", "date", "day", "model",
                                            "parentId", "companyId", "companyName")},
                         {"dimensionId": "logins", "value": 3, "time": "2024-02-29T10:11:12.000Z",
                          "date": "2024-02-29T00:00:00.000Z", "day": 19782, "model": "Company",
                          "parentId": c["_id"], "companyId": c["_id"], "companyName": c["name"]})
        self.assertEqual(points[before + 1]["time"], "2025-06-01T12:00:00.000Z")   # default: now
        got = self.get_json("/dimensiondata?cid=%s&dimid=logins&from=19782&to=19782" % c["_id"])
        self.assertEqual([g["_id"] for g in got], [p["_id"]])

    def test_other_models(self):
        eu = next(e for e in self.data("endusers") if "externalId" in e)
        res = self.push({"dimensionId": "clicks", "value": 2, "externalId": eu["externalId"],
                         "model": "EndUser"})
        self.assertEqual(res["errors"], [])
        p = self.data("dimensiondata")[-1]
        self.assertEqual((p["model"], p["parentId"], p["companyId"]), ("EndUser", eu["_id"], eu["companyId"]))

    def test_item_errors(self):
        ext = self.data("companies")[0]["externalId"]
        items = [{"value": 1, "externalId": ext, "model": "Company"},
                 {"dimensionId": "d", "externalId": ext},
                 {"dimensionId": "d", "value": "x", "externalId": ext},
                 {"dimensionId": "d", "value": 1},
                 {"dimensionId": "has space", "value": 1, "externalId": ext},
                 {"dimensionId": "d", "value": 1, "externalId": ext, "model": "Planet"},
                 {"dimensionId": "d", "value": 1, "externalId": "no-such-company"},
                 {"dimensionId": "d", "value": 1, "externalId": ext, "date": "someday"},
                 42]
        res = self.push(items)
        self.assertEqual(res["processed"], len(items))
        self.assertEqual([e["item"] for e in res["errors"]], items)
        self.assertEqual(res["errors"][0]["error"], "dimensionId must be specified")
        msgs = [e["error"] for e in res["errors"]]
        for word, i in (("value", 1), ("number", 2), ("externalId", 3), ("special", 4),
                        ("model", 5), ("no-such-company", 6), ("date", 7)):
            self.assertIn(word, msgs[i])

    def test_unknown_tenant_stores_nothing(self):
        before = len(self.data("dimensiondata"))
        res = self.push({"dimensionId": "d", "value": 1, "externalId": "x"}, tenant="not-a-tenant")
        self.assertEqual(res["processed"], 1)
        self.assertEqual(res["errors"][0]["error"], "unknown tenant token")
        self.assertEqual(len(self.data("dimensiondata")), before)

    def test_invalid_json_still_200(self):
        r = self.request("POST", "/dimensiondata/" + TENANT, body=b"{oops", token=None)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["processed"], 0)


class ActivityTest(EmulatorCase):
    def test_single_and_bulk(self):
        r = self.request("POST", "/analytics/" + TENANT, token=None,
                         body={"email": "a@b.c", "action": "Logged in", "weight": 2})
        self.assertEqual(r.json(), {"processed": 1, "errors": []})
        r = self.request("POST", "/analytics/bulk/" + TENANT, token=TOKEN,
                         body=[{"email": "a@b.c", "action": "Exported", "count": 3},
                               {"id": "u1", "action": "Viewed"},
                               {"action": "nobody"}])
        self.assertEqual(r.status, 200)
        res = r.json()
        self.assertEqual(res["processed"], 3)
        self.assertEqual(res["errors"], [{"item": {"action": "nobody"},
                                          "error": "email or id must be specified"}])
        acts = self.data("activities")
        self.assertEqual([a["action"] for a in acts], ["Logged in", "Exported", "Viewed"])
        self.assertEqual([a["kind"] for a in acts], ["single", "bulk", "bulk"])
        r = self.request("POST", "/analytics/" + TENANT, token=None, body={"action": "x"})
        self.assertIn("externalId", r.json()["errors"][0]["error"])

    def test_unknown_tenant(self):
        r = self.request("POST", "/analytics/other", token=None, body={"email": "a@b.c"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["errors"][0]["error"], "unknown tenant token")
        self.assertEqual(self.data("activities"), [])

    def test_segment(self):
        r = self.request("POST", "/dock/segment", token=TENANT, basic=True,
                         body={"type": "track", "user_id": "u1", "event": "Signed up"})
        self.assertEqual(r.json(), {"processed": 1, "errors": []})
        self.assertEqual(self.data("segment")[0]["event"], "Signed up")
        r = self.request("POST", "/dock/segment", token=None, body={"type": "track"})
        self.assertEqual(r.json()["errors"][0]["error"], "unknown tenant token")


if __name__ == "__main__":
    unittest.main()
