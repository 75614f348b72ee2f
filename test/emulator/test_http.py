"""HTTP/1.1 details: keep-alive, chunked requests, gzip, TLS."""

import gzip
import http.client
import json
import os
import socket
import ssl
import tempfile
import unittest

from emutest import TOKEN, EmulatorCase
from httpd import TLSServer, make_certificate, serve_in_thread

AUTH = {"Authorization": "Bearer " + TOKEN}


class KeepAliveTest(EmulatorCase):
    def test_many_requests_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.connect()
        sock = conn.sock
        for i in range(200):
            method = ("GET", "POST", "PUT", "DELETE")[i % 4]
            path = "/companies?limit=1&offset=%d" % (i % 25) if method == "GET" else \
                "/nope" if method == "DELETE" else "/companies"
            body = json.dumps([] if method == "PUT" else {"name": "k%d" % i}).encode() \
                if method in ("POST", "PUT") else None
            conn.request(method, path, body=body, headers=AUTH)
            r = conn.getresponse()
            data = r.read()
            self.assertEqual(int(r.getheader("Content-Length")), len(data))
            self.assertIn(r.status, (200, 404))
            self.assertIs(conn.sock, sock)                       # same connection throughout
        conn.close()

    def test_error_answers_keep_the_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        for path in ("/companies?limit=x", "/companies", "/nope"):
            conn.request("GET", path, headers={} if path == "/companies" else AUTH)
            r = conn.getresponse()
            r.read()
            self.assertFalse(r.will_close, path)
        conn.close()

    def test_chunked_request_body(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        body = json.dumps({"name": "Chunky"}).encode()
        req = (b"POST /companies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode() +
               b"\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n" +
               b"%x\r\n%s\r\n" % (5, body[:5]) + b"%x\r\n%s\r\n" % (len(body) - 5, body[5:]) + b"0\r\n\r\n")
        s.sendall(req)
        f = s.makefile("rb")
        status = f.readline()
        self.assertIn(b"200", status)
        s.close()
        self.assertEqual(self.data("companies")[-1]["name"], "Chunky")

    def test_expect_100_continue(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        body = json.dumps({"name": "Expecting"}).encode()
        s.sendall(b"POST /companies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode() +
                  b"\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(body))
        f = s.makefile("rb")
        self.assertIn(b"100", f.readline())
        f.readline()
        s.sendall(body)
        self.assertIn(b"200", f.readline())
        s.close()


class ConcurrencyTest(EmulatorCase):
    def test_parallel_clients(self):
        import threading
        errors = []

        def client(k):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                for i in range(40):
                    if i % 4 == 0:
                        conn.request("POST", "/projects", headers=AUTH, body=json.dumps(
                            {"name": "p%d-%d" % (k, i), "companyId": cid}).encode())
                    else:
                        conn.request("GET", "/companies?sort=-mrr&limit=5&offset=%d" % i, headers=AUTH)
                    r = conn.getresponse()
                    body = r.read()
                    if r.status != 200:
                        errors.append((r.status, body[:200]))
                conn.close()
            except Exception as e:                      # collected, asserted below
                errors.append(e)

        cid = self.data("companies")[0]["_id"]
        before = len(self.data("projects"))
        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(self.data("projects")), before + 8 * 10)
        self.assertEqual(len(self.get_json("/__emulator/requests", token=None)), 8 * 40)


class GzipTest(EmulatorCase):
    def test_gzip_when_accepted(self):
        plain = self.get("/companies")
        self.assertIsNone(plain.header("Content-Encoding"))
        z = self.get("/companies", headers={"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(z.header("Content-Encoding"), "gzip")
        self.assertEqual(int(z.header("Content-Length")), len(z.body))
        self.assertEqual(gzip.decompress(z.body), plain.body)
        self.assertLess(len(z.body), len(plain.body))
        again = self.get("/companies", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(again.body, z.body)

    def test_small_answers_not_compressed(self):
        r = self.get("/companies?limit=1&select=name", headers={"Accept-Encoding": "gzip"})
        self.assertIsNone(r.header("Content-Encoding"))


class TLSTest(EmulatorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory()
        cert, key = make_certificate(cls.tmp.name)
        cls.ca = cert
        cls.tls = TLSServer(("127.0.0.1", 0), cls.emu, cert, key, quiet=True)
        cls.tls_port = cls.tls.server_address[1]
        serve_in_thread(cls.tls)

    @classmethod
    def tearDownClass(cls):
        cls.tls.shutdown()
        cls.tls.server_close()
        cls.tmp.cleanup()
        super().tearDownClass()

    def test_verified_for_localhost_and_ip(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        for host in ("localhost", "127.0.0.1"):
            conn = http.client.HTTPSConnection(host, self.tls_port, context=ctx, timeout=10)
            for _ in range(3):                                   # keep-alive over TLS
                conn.request("GET", "/companies?limit=2", headers=AUTH)
                r = conn.getresponse()
                self.assertEqual(r.status, 200)
                self.assertEqual(len(json.loads(r.read())), 2)
            conn.close()

    def test_untrusted_without_ca(self):
        ctx = ssl.create_default_context()
        conn = http.client.HTTPSConnection("localhost", self.tls_port, context=ctx, timeout=10)
        with self.assertRaises(ssl.SSLCertVerificationError):
            conn.request("GET", "/companies", headers=AUTH)
        conn.close()

    def test_shared_state_with_plain_listener(self):
        self.send_json("POST", "/companies", {"name": "Via HTTP"})
        ctx = ssl.create_default_context(cafile=self.ca)
        conn = http.client.HTTPSConnection("localhost", self.tls_port, context=ctx, timeout=10)
        conn.request("GET", "/companies?limit=100", headers=AUTH)
        self.assertEqual(json.loads(conn.getresponse().read())[-1]["name"], "Via HTTP")
        conn.close()
        self.assertTrue(os.path.exists(self.ca))


if __name__ == "__main__":
    unittest.main()
