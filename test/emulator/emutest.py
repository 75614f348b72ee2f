"""Test helpers: an in-process emulator on port 0 and a small HTTP client."""

import base64
import http.client
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from app import DEFAULT_READONLY_TOKEN, DEFAULT_TENANT_TOKEN, DEFAULT_TOKEN, Config, Emulator  # noqa: E402
from httpd import Server, serve_in_thread  # noqa: E402

TOKEN = DEFAULT_TOKEN
RO_TOKEN = DEFAULT_READONLY_TOKEN
TENANT = DEFAULT_TENANT_TOKEN


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name.lower())


class EmulatorCase(unittest.TestCase):
    """One emulator per test class; every test starts from a fresh reset."""
    dataset = "regress"
    rows = None
    fixed_time = "2025-06-01T12:00:00.000Z"

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(Config(dataset=cls.dataset, rows=cls.rows, fixed_time=cls.fixed_time))
        cls.server = Server(("127.0.0.1", 0), cls.emu, quiet=True)
        cls.port = cls.server.server_address[1]
        cls.url = "http://127.0.0.1:%d" % cls.port
        serve_in_thread(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self):
        self.emu.reset({})
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def tearDown(self):
        self.conn.close()

    # ------------------------------------------------------------ client

    def request(self, method, path, body=None, token=TOKEN, headers=None, basic=False):
        h = {"Accept": "application/json"}
        if token is not None:
            h["Authorization"] = ("Basic " + base64.b64encode((token + ":").encode()).decode()) \
                if basic else "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        try:
            self.conn.request(method, path, body=data, headers=h)
            r = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        raw = r.read()
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, raw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def get_json(self, path, status=200, **kw):
        r = self.get(path, **kw)
        self.assertEqual(r.status, status, r.body[:500])
        return r.json()

    def send_json(self, method, path, body, status=200, **kw):
        r = self.request(method, path, body=body, **kw)
        self.assertEqual(r.status, status, r.body[:500])
        return r.json()

    def data(self, resource):
        """Stored objects (admin route)."""
        return self.get_json("/__emulator/data/" + resource, token=None)

    def ids(self, rows):
        return [r["_id"] for r in rows]
