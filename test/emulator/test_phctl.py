"""phctl output (used from pg_regress through \\!: must be deterministic)."""

import contextlib
import io
import json
import time
import unittest

import phctl
from emutest import EmulatorCase


class PhctlTest(EmulatorCase):
    def phctl(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = phctl.main(["--url", self.url] + list(args))
        return rc, out.getvalue(), err.getvalue()

    def ok(self, *args):
        rc, out, err = self.phctl(*args)
        self.assertEqual(rc, 0, err)
        return out

    def test_log_formats(self):
        self.get("/companies?limit=10&offset=0")
        self.request("POST", "/companies", body={"name": "Zoë", "a": [1, 2]},
                     headers={"User-Agent": "planhat_fdw/0.1.0"})
        self.get("/companies", token=None)
        self.assertEqual(self.ok("log"), "GET /companies?limit=10&offset=0\nPOST /companies\nGET /companies\n")
        self.assertEqual(self.ok("log", "--auth"),
                         "GET /companies?limit=10&offset=0 [auth=bearer]\nPOST /companies [auth=bearer]\n"
                         "GET /companies [auth=none]\n")
        out = self.ok("log", "--body", "--status")
        self.assertIn('POST /companies -> 200\n    {"a":[1,2],"name":"Zoë"}\n', out)
        self.assertIn("GET /companies -> 401\n", out)
        out = self.ok("log", "--headers")
        self.assertIn("POST /companies\n    Accept: application/json\n    Accept-Encoding: identity\n"
                      "    Authorization: Bearer <redacted>\n"
                      "    Content-Type: application/json\n    User-Agent: planhat_fdw/0.1.0\n", out)
        out = self.ok("log", "--headers=content-type")
        self.assertIn("POST /companies\n    content-type: application/json\n", out)
        self.assertEqual(self.ok("count"), "3\n")
        self.ok("log", "--clear")
        self.assertEqual(self.ok("count"), "0\n")

    def test_log_time(self):
        t0 = time.time()
        self.get("/companies?limit=1")
        time.sleep(0.05)
        self.get("/endusers")
        t1 = time.time()
        lines = self.ok("log", "--time").splitlines()
        stamps = [float(line.split(" ", 1)[0]) for line in lines]
        self.assertEqual([line.split(" ", 1)[1] for line in lines],
                         ["GET /companies?limit=1", "GET /endusers"])
        self.assertTrue(t0 <= stamps[0] <= stamps[1] <= t1, (t0, stamps, t1))
        self.assertGreaterEqual(stamps[1] - stamps[0], 0.05)

    def test_clear_reset(self):
        self.get("/companies")
        self.assertEqual(self.ok("clear"), "")
        self.assertEqual(self.ok("count"), "0\n")
        self.request("POST", "/companies", body={"name": "x"})
        self.assertEqual(self.ok("reset", "--dataset", "regress", "--rows", "companies=30", "--seed", "42"), "")
        self.assertEqual(len(self.data("companies")), 30)
        self.assertEqual(self.ok("count"), "0\n")
        self.ok("reset")
        self.assertEqual(len(self.data("companies")), 25)

    def test_fault_latency(self):
        self.ok("fault", '{"path": "/companies", "action": "status", "status": 503}')
        self.assertEqual(self.get("/companies").status, 503)
        self.ok("fault", '[{"action": "status", "status": 500, "times": -1}]')
        self.assertEqual(self.get("/endusers").status, 500)
        self.ok("faults-clear")
        self.assertEqual(self.get("/endusers").status, 200)
        self.ok("latency", "0")
        rc, _, err = self.phctl("fault", "{nope")
        self.assertEqual(rc, 1)
        self.assertIn("invalid JSON", err)
        rc, _, err = self.phctl("fault", '{"action": "nope"}')
        self.assertEqual(rc, 1)
        self.assertIn("action", err)

    def test_id_and_data(self):
        comps = self.data("companies")
        self.assertEqual(self.ok("id", "companies", "3"), comps[3]["_id"] + "\n")
        tickets = self.data("tickets")
        self.assertEqual(self.ok("id", "tickets", "0"), tickets[0]["_id"] + "\n")
        rc, _, err = self.phctl("id", "companies", "99")
        self.assertEqual(rc, 1)
        out = self.ok("data", "companies", "--select", "name,mrr")
        lines = out.splitlines()
        self.assertEqual(len(lines), 25)
        self.assertEqual(json.loads(lines[0]), {"_id": comps[0]["_id"], "name": comps[0]["name"],
                                                "mrr": comps[0]["mrr"]})
        self.assertEqual(lines[0], json.dumps(json.loads(lines[0]), ensure_ascii=False,
                                              sort_keys=True, separators=(",", ":")))
        self.assertEqual(self.ok("data", "companies"), self.ok("data", "companies"))
        rc, _, err = self.phctl("data", "nope")
        self.assertEqual(rc, 1)

    def test_no_url(self):
        import os
        old = os.environ.pop("PLANHAT_EMULATOR_URL", None)
        try:
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                self.assertEqual(phctl.main(["count"]), 1)
            self.assertIn("PLANHAT_EMULATOR_URL", err.getvalue())
        finally:
            if old is not None:
                os.environ["PLANHAT_EMULATOR_URL"] = old


if __name__ == "__main__":
    unittest.main()
