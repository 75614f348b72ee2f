#!/usr/bin/env python3
"""Emulator performance check (not a unit test).

    python3 test/emulator/perf.py [--companies 100000] [--page 5000] [--gzip]
                                  [--select _id,name] [--scans 2] [--parse]

Starts server.py as a separate process with a generated dataset and reports:
start-up time (generation) and the server's peak memory, the time to serve
one page, and full scans by paging with urllib (rows/s).  Without --parse the
client only counts the rows, so the numbers are the emulator's, not json.loads'.
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "phx-test-token-7f3a9c2e5b1d4068"


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def fetch(url, use_gzip):
    headers = {"Authorization": "Bearer " + TOKEN}
    if use_gzip:
        headers["Accept-Encoding"] = "gzip"
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=600) as r:
        body = r.read()
        wire = len(body)
        if r.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
    return body, wire


def count_rows(body, parse):
    if parse:
        return len(json.loads(body))
    return body.count(b'{"_id":')


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--companies", type=int, default=100000)
    p.add_argument("--page", type=int, default=5000)
    p.add_argument("--gzip", action="store_true")
    p.add_argument("--select", default=None)
    p.add_argument("--scans", type=int, default=2)
    p.add_argument("--parse", action="store_true", help="json.loads every page in the client")
    args = p.parse_args()

    with tempfile.TemporaryDirectory() as state:
        t = time.time()
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--quiet",
                                 "--state-dir", state, "--dataset", "generated",
                                 "--rows", "companies=%d" % args.companies],
                                stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().split()[-1]
            print("start-up with %d generated companies: %.1f s, server peak RSS %d MB"
                  % (args.companies, time.time() - t, peak_rss_mb(proc.pid)))
            base = "%s/companies?limit=%d" % (url, args.page)
            if args.select:
                base += "&select=" + args.select
            t = time.time()
            body, wire = fetch(base + "&offset=0", args.gzip)
            print("one %d-row page: %.3f s, %.1f MB JSON, %.1f MB on the wire"
                  % (args.page, time.time() - t, len(body) / 1e6, wire / 1e6))
            for n in range(args.scans):
                t = time.time()
                rows = offset = nbytes = 0
                while True:
                    body, wire = fetch("%s&offset=%d" % (base, offset), args.gzip)
                    nbytes += wire
                    k = count_rows(body, args.parse)
                    rows += k
                    if k < args.page:
                        break
                    offset += args.page
                dt = time.time() - t
                print("scan %d: %d rows in %.1f s = %d rows/s, %.0f MB/s on the wire%s"
                      % (n + 1, rows, dt, rows / dt, nbytes / dt / 1e6, " (client parses)" if args.parse else ""))
            print("server peak RSS %d MB" % peak_rss_mb(proc.pid))
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
