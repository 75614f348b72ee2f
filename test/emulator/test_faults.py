"""Fault injection and latency (contract: POST /__emulator/faults)."""

import base64
import http.client
import json
import socket
import time
import unittest

from emutest import TOKEN, EmulatorCase


class FaultTest(EmulatorCase):
    def arm(self, spec):
        return self.send_json("POST", "/__emulator/faults", spec, token=None)

    def raw(self, path, method="GET"):
        """Send one request on a fresh socket; return all bytes until close/timeout."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        s.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Connection: keep-alive\r\n\r\n" % (method, path, TOKEN)).encode())
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        except socket.timeout:
            pass
        s.close()
        return b"".join(chunks)

    def test_status_with_body_type_and_headers(self):
        self.arm({"path": "/companies", "action": "status", "status": 503, "body": "<b>down</b>",
                  "content_type": "text/html", "headers": {"X-Why": "maintenance"}})
        r = self.get("/companies")
        self.assertEqual((r.status, r.body, r.header("Content-Type"), r.header("X-Why")),
                         (503, b"<b>down</b>", "text/html", "maintenance"))
        self.assertEqual(self.get("/companies").status, 200)          # times: 1
        self.arm({"action": "status", "status": 500})
        r = self.get("/endusers")
        self.assertEqual((r.status, r.json()), (500, {"error": "Internal Server Error"}))
        self.arm({"action": "status", "status": 400, "body": {"message": "bad"}})
        self.assertEqual(self.get("/endusers").json(), {"message": "bad"})

    def test_status_with_raw_bytes(self):
        raw = b'[{"_id": "x", "name": "\xc0\xaf\xed\xa0\x80\xff"}]'
        self.arm({"path": "/companies", "action": "status", "status": 200,
                  "body_base64": base64.b64encode(raw).decode()})
        r = self.get("/companies")
        self.assertEqual((r.status, r.body), (200, raw))
        r = self.request("POST", "/__emulator/faults", token=None,
                         body={"action": "status", "body_base64": "not base64!"})
        self.assertEqual(r.status, 400)

    def test_status_does_not_run_the_request_unless_process(self):
        self.arm({"method": "POST", "action": "status", "status": 500})
        self.request("POST", "/companies", body={"name": "lost"})
        self.assertEqual(len(self.data("companies")), 25)
        self.arm({"method": "POST", "action": "status", "status": 500, "process": True})
        self.request("POST", "/companies", body={"name": "kept"})
        self.assertEqual(len(self.data("companies")), 26)

    def test_rate_limit(self):
        self.arm({"path_prefix": "/companies", "action": "rate_limit", "retry_after": 2, "times": 2})
        for _ in range(2):
            r = self.get("/companies/" + "0" * 24)
            self.assertEqual(r.status, 429)
            self.assertEqual(r.header("Retry-After"), "2")
            self.assertEqual(r.header("X-Rate-Limit-Limit"), "200")
            self.assertEqual(r.header("X-Rate-Limit-Remaining"), "0")
        self.assertEqual(self.get("/companies").status, 200)

    def test_match_skip_times_forever(self):
        self.arm({"path": "/companies", "query_contains": "offset=10", "skip": 1, "times": -1,
                  "action": "status", "status": 502})
        self.assertEqual(self.get("/companies?offset=0").status, 200)
        self.assertEqual(self.get("/companies?offset=10").status, 200)    # skipped
        self.assertEqual(self.get("/companies?offset=10").status, 502)
        self.assertEqual(self.get("/companies?offset=10").status, 502)
        self.assertEqual(self.get("/endusers?offset=10").status, 200)
        self.assertEqual(len(self.get_json("/__emulator/faults", token=None)), 1)
        self.request("DELETE", "/__emulator/faults", token=None)
        self.assertEqual(self.get("/companies?offset=10").status, 200)

    def test_first_matching_fault_fires(self):
        self.arm([{"action": "status", "status": 501}, {"action": "status", "status": 502}])
        self.assertEqual(self.get("/companies").status, 501)
        self.assertEqual(self.get("/companies").status, 502)
        self.assertEqual(self.get("/companies").status, 200)

    def test_delay_headers_and_body(self):
        self.arm({"action": "delay_headers", "ms": 300})
        t = time.monotonic()
        r = self.get("/companies?limit=1")
        self.assertGreaterEqual(time.monotonic() - t, 0.3)
        self.assertEqual(r.status, 200)
        self.arm({"action": "delay_body", "ms": 300})
        # t before the request: the server may start its delay before
        # request() returns.  On a loaded machine the client can be slow to
        # see the headers, so the delay after them is checked with a margin.
        t = time.monotonic()
        self.conn.request("GET", "/companies", headers={"Authorization": "Bearer " + TOKEN})
        resp = self.conn.getresponse()
        head = time.monotonic() - t
        body = resp.read()
        total = time.monotonic() - t
        self.assertGreaterEqual(total, 0.3)
        self.assertGreaterEqual(total - head, 0.15)
        self.assertEqual(len(json.loads(body)), 25)

    def test_malformed_json(self):
        self.arm({"action": "malformed_json"})
        r = self.get("/companies")
        self.assertEqual(r.status, 200)
        self.assertEqual(int(r.header("Content-Length")), len(r.body))
        with self.assertRaises(ValueError):
            json.loads(r.body)
        self.arm({"action": "malformed_json", "body": "[{\"_id\": "})
        self.assertEqual(self.get("/companies").body, b'[{"_id": ')

    def test_truncated_body(self):
        self.arm({"action": "truncated_body"})
        with self.assertRaises(http.client.IncompleteRead):
            self.get("/companies")
        self.arm({"action": "truncated_body", "bytes": 10})
        raw = self.raw("/companies")
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertIn(b"HTTP/1.1 200", head)
        self.assertEqual(len(body), 10)
        length = int([ln for ln in head.split(b"\r\n") if ln.lower().startswith(b"content-length")][0]
                     .split(b":")[1])
        self.assertGreater(length, 10)

    def test_drop_connection(self):
        self.arm({"action": "drop_connection"})
        self.assertEqual(self.raw("/companies"), b"")
        self.assertEqual(self.get("/companies").status, 200)
        log = self.get_json("/__emulator/requests", token=None)
        self.assertEqual([(e["status"], e.get("fault")) for e in log],
                         [(None, "drop_connection"), (200, None)])

    def test_content_type_and_html_error(self):
        self.arm({"action": "content_type", "content_type": "text/plain"})
        r = self.get("/companies")
        self.assertEqual((r.status, r.header("Content-Type")), (200, "text/plain"))
        self.assertEqual(len(r.json()), 25)
        self.arm({"action": "html_error", "status": 502})
        r = self.get("/companies")
        self.assertEqual((r.status, r.header("Content-Type")), (502, "text/html"))
        self.assertIn(b"<h1>502 Bad Gateway</h1>", r.body)

    def test_ignore_params(self):
        cid = self.data("companies")[0]["_id"]
        path = "/endusers?companyId=%s&select=_id,companyId&limit=1000" % cid
        filtered = self.get_json(path)
        self.assertTrue(filtered and all(u["companyId"] == cid for u in filtered))
        self.arm({"path": "/endusers", "action": "ignore_params", "times": -1})
        every = self.get_json(path)
        self.assertGreater(len(every), len(filtered))
        self.assertEqual(set(every[0]), {"_id", "companyId"})       # select kept
        self.assertEqual(len(self.get_json(path.replace("limit=1000", "limit=2"))), 2)
        self.request("DELETE", "/__emulator/faults", token=None)
        self.arm({"action": "ignore_params", "params": ["archived"]})
        self.assertEqual(len(self.get_json("/endusers?archived=true&limit=1000")),
                         len([u for u in self.data("endusers") if u.get("archived") is not True]))
        log = self.get_json("/__emulator/requests", token=None)
        self.assertEqual(log[-1]["query"], "archived=true&limit=1000")  # as sent
        self.assertEqual(log[-1].get("fault"), "ignore_params")

    def test_ignore_sort(self):
        natural = [c["_id"] for c in self.get_json("/companies?select=_id")]
        self.assertNotEqual([c["_id"] for c in self.get_json("/companies?select=_id&sort=-mrr")],
                            natural)
        self.arm({"action": "ignore_sort"})
        self.assertEqual([c["_id"] for c in self.get_json("/companies?select=_id&sort=-mrr")],
                         natural)

    def test_change(self):
        natural = [c["_id"] for c in self.get_json("/companies?select=_id")]
        # after the first request: one row deleted, one updated, two inserted
        # at storage position 1; the second request sees the change
        self.arm({"path": "/companies", "skip": 1, "action": "change",
                  "delete": [natural[3]], "update": [{"_id": natural[5], "phase": "Moved"}],
                  "insert": [{"name": "New A"}, {"name": "New B"}], "insert_at": 1})
        self.assertEqual([c["_id"] for c in self.get_json("/companies?select=_id")], natural)
        after = self.get_json("/companies?select=_id,name,phase")
        self.assertEqual([c["name"] for c in after[1:3]], ["New A", "New B"])
        ids = [c["_id"] for c in after]
        self.assertEqual(ids[:1] + ids[3:], [i for i in natural if i != natural[3]])
        self.assertEqual(after[ids.index(natural[5])]["phase"], "Moved")
        log = self.get_json("/__emulator/requests", token=None)
        self.assertEqual(log[-1].get("fault"), "change")
        # storage order and lookups stay consistent: a page, a key, a later create
        self.assertEqual([c["_id"] for c in self.get_json("/companies?select=_id&offset=1&limit=2")],
                         ids[1:3])
        self.assertEqual(self.get_json("/companies/" + ids[2])["name"], "New B")
        self.send_json("POST", "/companies", {"name": "Last"})
        self.assertEqual(self.get_json("/companies?select=name")[-1]["name"], "Last")
        for bad in ({"insert": {"name": "x"}}, {"update": [{"name": "no id"}]},
                    {"delete": [1]}, {"insert": [{}], "insert_at": -1}):
            r = self.request("POST", "/__emulator/faults", body=dict(bad, action="change"),
                             token=None)
            self.assertEqual(r.status, 400, bad)

    def test_faults_apply_to_analytics_not_admin(self):
        self.arm({"action": "status", "status": 500, "times": -1})
        self.assertEqual(self.get("/__emulator/status", token=None).status, 200)
        r = self.request("POST", "/analytics/x", body={"email": "a"}, token=None)
        self.assertEqual(r.status, 500)

    def test_bad_fault_specs(self):
        for spec in ({"action": "explode"}, {"action": "status", "status": "500"},
                     {"action": "status", "times": 0}, {"action": "status", "colour": 1}, 7,
                     {"action": "ignore_params", "params": "companyId"}):
            r = self.request("POST", "/__emulator/faults", body=spec, token=None)
            self.assertEqual(r.status, 400, spec)

    def test_latency(self):
        self.send_json("POST", "/__emulator/latency", {"ms": 200}, token=None)
        t = time.monotonic()
        self.get("/companies?limit=1")
        self.assertGreaterEqual(time.monotonic() - t, 0.2)
        t = time.monotonic()
        self.get("/__emulator/status", token=None)             # admin: no latency
        self.assertLess(time.monotonic() - t, 0.2)
        self.assertEqual(self.request("POST", "/__emulator/latency", body={"ms": -1},
                                      token=None).status, 400)


if __name__ == "__main__":
    unittest.main()
