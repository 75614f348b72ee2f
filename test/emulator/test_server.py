"""server.py as a process: emulator.json, the listening line, TLS, SIGTERM."""

import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class ServerProcessTest(unittest.TestCase):
    def test_start_serve_stop(self):
        with tempfile.TemporaryDirectory() as state:
            proc = subprocess.Popen(
                [sys.executable, os.path.join(HERE, "server.py"), "--port", "0", "--tls-port", "0",
                 "--state-dir", state, "--quiet", "--token", "tok-a", "--token", "tok-b",
                 "--dataset", "generated", "--rows", "companies=12"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                line = proc.stdout.readline()
                self.assertRegex(line, r"^planhat emulator listening on http://127\.0\.0\.1:\d+\n$")
                with open(os.path.join(state, "emulator.json")) as f:
                    info = json.load(f)
                self.assertEqual(set(info), {"url", "tls_url", "ca_file", "pid", "token",
                                             "readonly_token", "tenant_token"})
                self.assertEqual(info["url"], line.split()[-1])
                self.assertEqual(info["pid"], proc.pid)
                self.assertEqual(info["token"], "tok-a")
                self.assertEqual(info["readonly_token"], "phx-readonly-token-0c9d8e7f6a5b4c3d")
                self.assertEqual(info["tenant_token"], "6b0d5e4c-3a2f-4e1d-9c8b-7a6f5e4d3c2b")
                self.assertRegex(info["tls_url"], r"^https://localhost:\d+$")
                for base, ctx in ((info["url"], None),
                                  (info["tls_url"], ssl.create_default_context(cafile=info["ca_file"]))):
                    for tok in ("tok-a", "tok-b"):
                        req = urllib.request.Request(base + "/companies",
                                                     headers={"Authorization": "Bearer " + tok})
                        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
                            self.assertEqual(len(json.loads(r.read())), 12)
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=10), 0)
                self.assertFalse(os.path.exists(os.path.join(state, "emulator.json")))
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
                proc.stderr.close()

    def test_bad_arguments(self):
        r = subprocess.run([sys.executable, os.path.join(HERE, "server.py"), "--rows", "nope=1"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope", r.stderr)


if __name__ == "__main__":
    unittest.main()
