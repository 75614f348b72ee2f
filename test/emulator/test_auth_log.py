"""Authentication (docs/planhat-api.md §1.2, §3.1) and the request log (contract)."""

import base64
import json
import time
import unittest

from emutest import RO_TOKEN, TOKEN, EmulatorCase


class AuthTest(EmulatorCase):
    def test_bearer_and_basic(self):
        self.assertEqual(self.get("/companies?limit=1").status, 200)
        self.assertEqual(self.get("/companies?limit=1", basic=True).status, 200)
        h = {"Authorization": "bearer " + TOKEN}
        self.assertEqual(self.get("/companies?limit=1", token=None, headers=h).status, 200)

    def test_401(self):
        cases = [None, "Bearer nope", "Bearer", "Token " + TOKEN, "Basic !!!",
                 "Basic " + base64.b64encode(b"nope:").decode(), TOKEN]
        for value in cases:
            h = {} if value is None else {"Authorization": value}
            r = self.get("/companies", token=None, headers=h)
            self.assertEqual(r.status, 401, value)
            self.assertEqual(r.json(), {"error": "Unauthorized"})
        r = self.request("PUT", "/companies", body=[], token="wrong")
        self.assertEqual(r.status, 401)

    def test_read_only_token(self):
        cid = self.data("companies")[0]["_id"]
        self.assertEqual(self.get("/companies", token=RO_TOKEN).status, 200)
        self.assertEqual(self.get("/companies/" + cid, token=RO_TOKEN).status, 200)
        for method, path, body in (("POST", "/companies", {"name": "x"}),
                                   ("PUT", "/companies/" + cid, {"name": "x"}),
                                   ("DELETE", "/companies/" + cid, None)):
            r = self.request(method, path, body=body, token=RO_TOKEN)
            self.assertEqual(r.status, 403, method)
            self.assertIn("error", r.json())
        self.assertEqual(self.data("companies")[0]["name"], self.emu.tenant.store.coll(
            "companies").rows[0].get("name"))
        self.assertEqual(len(self.data("companies")), 25)


class LogTest(EmulatorCase):
    def log(self):
        return self.get_json("/__emulator/requests", token=None)

    def test_entry_shape(self):
        t0 = time.time()
        self.get("/companies?limit=2&offset=0&select=name%2Cmrr&x=a+b")
        self.request("POST", "/companies", body={"name": "Ünïcode"})
        self.get("/companies", token=None)
        t1 = time.time()
        entries = self.log()
        self.assertEqual(len(entries), 3)
        e = entries[0]
        self.assertEqual(list(e), ["seq", "method", "path", "query", "params", "headers", "auth",
                                   "body", "status", "time"])
        self.assertEqual((e["method"], e["path"], e["query"]),
                         ("GET", "/companies", "limit=2&offset=0&select=name%2Cmrr&x=a+b"))
        self.assertEqual(e["params"], [["limit", "2"], ["offset", "0"], ["select", "name,mrr"],
                                       ["x", "a+b"]])
        self.assertEqual((e["auth"], e["body"], e["status"]), ("bearer", None, 200))
        self.assertEqual(e["headers"]["Authorization"], "Bearer <redacted>")
        self.assertEqual(json.loads(entries[1]["body"]), {"name": "Ünïcode"})
        self.assertEqual([x["seq"] for x in entries], [1, 2, 3])
        self.assertEqual((entries[2]["auth"], entries[2]["status"]), ("none", 401))
        # arrival times, in order
        times = [x["time"] for x in entries]
        self.assertEqual(times, sorted(times))
        self.assertTrue(t0 <= times[0] and times[-1] <= t1, (t0, times, t1))

    def test_auth_kinds(self):
        self.get("/companies", basic=True)
        self.get("/companies", token="bad")
        self.get("/companies", token=RO_TOKEN)
        self.assertEqual([e["auth"] for e in self.log()], ["basic", "invalid", "bearer"])
        self.assertEqual(self.log()[0]["headers"]["Authorization"], "Basic <redacted>")

    def test_tokens_never_logged(self):
        self.get("/companies?api_token=" + TOKEN, headers={"X-Api-Key": TOKEN})
        self.request("POST", "/companies", body={"name": TOKEN, "note": RO_TOKEN})
        self.get("/companies/" + TOKEN, basic=True)
        self.get("/companies", token=RO_TOKEN)
        self.get("/companies", token=None, headers={"Authorization": TOKEN})
        raw = self.get("/__emulator/requests", token=None).body.decode()
        for secret in (TOKEN, RO_TOKEN, base64.b64encode((TOKEN + ":").encode()).decode(),
                       base64.b64encode((RO_TOKEN + ":").encode()).decode()):
            self.assertNotIn(secret, raw)
        self.assertIn("<redacted>", raw)

    def test_admin_requests_not_logged_and_clear(self):
        self.get("/companies")
        self.get("/__emulator/status", token=None)
        self.assertEqual(len(self.log()), 1)
        self.assertEqual(self.request("DELETE", "/__emulator/requests", token=None).status, 200)
        self.assertEqual(self.log(), [])

    def test_reset_clears_log_faults_latency(self):
        self.get("/companies")
        self.send_json("POST", "/__emulator/faults", [{"action": "status", "status": 500, "times": -1}],
                       token=None)
        self.send_json("POST", "/__emulator/latency", {"ms": 5}, token=None)
        self.send_json("POST", "/__emulator/reset", {}, token=None)
        self.assertEqual(self.log(), [])
        self.assertEqual(self.get_json("/__emulator/faults", token=None), [])
        self.assertEqual(self.get_json("/__emulator/latency", token=None), {"ms": 0})
        self.assertEqual(self.get("/companies").status, 200)

    def test_reset_reloads_data(self):
        self.send_json("POST", "/companies", {"name": "extra"})
        self.send_json("POST", "/__emulator/reset", {}, token=None)
        self.assertEqual(len(self.data("companies")), 25)
        st = self.send_json("POST", "/__emulator/reset", {"dataset": "regress",
                                                          "rows": {"companies": 30}, "seed": 7},
                            token=None)
        self.assertEqual(st["counts"]["companies"], 30)
        self.assertEqual(st["seed"], 7)
        r = self.request("POST", "/__emulator/reset", body={"dataset": "nope"}, token=None)
        self.assertEqual(r.status, 400)


if __name__ == "__main__":
    unittest.main()
