#!/usr/bin/env python3
"""Planhat API emulator: entry point.

    python3 test/emulator/server.py [--host 127.0.0.1] [--port 0] [--tls-port N|0]
        [--state-dir DIR] [--dataset regress|demo|examples|empty|generated]
        [--rows companies=100000,endusers=300000,...] [--seed 42]
        [--token T]... [--readonly-token T]... [--tenant-token UUID]
        [--latency-ms 0] [--fixed-time ISO] [--gzip-level 1] [--quiet]

See README.md and notes/emulator-contract.md.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generator  # noqa: E402
from app import (DEFAULT_READONLY_TOKEN, DEFAULT_TENANT_TOKEN, DEFAULT_TOKEN,  # noqa: E402
                 Config, Emulator)
from httpd import Server, TLSServer, make_certificate, serve_in_thread  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description="Planhat API emulator")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--tls-port", type=int, default=None,
                   help="also serve HTTPS on this port (0 picks a free port)")
    p.add_argument("--state-dir", default=None,
                   help="where emulator.json and cert.pem go (default: a new temporary directory)")
    p.add_argument("--dataset", default="regress", choices=generator.DATASETS)
    p.add_argument("--rows", default=None, help="row counts, e.g. companies=100000,endusers=300000")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--token", action="append", default=None, help="read-write API token (repeatable)")
    p.add_argument("--readonly-token", action="append", default=None,
                   help="read-only API token (repeatable)")
    p.add_argument("--tenant-token", default=DEFAULT_TENANT_TOKEN)
    p.add_argument("--latency-ms", type=int, default=0, help="added before every API answer")
    p.add_argument("--fixed-time", default=None,
                   help="ISO instant used as 'now' for writes (default: the real clock)")
    p.add_argument("--gzip-level", type=int, default=1, choices=range(0, 10),
                   help="zlib level for Accept-Encoding: gzip (0: gzip framing, no compression)")
    p.add_argument("--quiet", action="store_true", help="no access log on stderr")
    return p.parse_args(argv)


def config_from(args):
    return Config(
        tokens=tuple(args.token or (DEFAULT_TOKEN,)),
        readonly_tokens=tuple(args.readonly_token or (DEFAULT_READONLY_TOKEN,)),
        tenant_token=args.tenant_token,
        dataset=args.dataset,
        rows=generator.parse_rows(args.rows),
        seed=args.seed,
        latency_ms=args.latency_ms,
        fixed_time=args.fixed_time)


def write_state(path, info):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="planhat-emulator-")
    os.makedirs(state_dir, exist_ok=True)
    try:
        config = config_from(args)
    except ValueError as e:
        print("server.py: %s" % e, file=sys.stderr)
        return 2
    started = time.time()
    emulator = Emulator(config)
    if not args.quiet:
        print("emulator: loaded %s in %.1f s" % (args.dataset, time.time() - started), file=sys.stderr)

    servers = [Server((args.host, args.port), emulator, quiet=args.quiet, gzip_level=args.gzip_level)]
    url = "http://%s:%d" % (args.host, servers[0].server_address[1])
    tls_url = ca_file = None
    if args.tls_port is not None:
        cert, key = make_certificate(state_dir)
        tls = TLSServer((args.host, args.tls_port), emulator, cert, key,
                        quiet=args.quiet, gzip_level=args.gzip_level)
        servers.append(tls)
        tls_url = "https://localhost:%d" % tls.server_address[1]
        ca_file = os.path.abspath(cert)
    for s in servers:
        serve_in_thread(s)

    state_file = os.path.join(state_dir, "emulator.json")
    write_state(state_file, {
        "url": url, "tls_url": tls_url, "ca_file": ca_file, "pid": os.getpid(),
        "token": config.tokens[0], "readonly_token": config.readonly_tokens[0],
        "tenant_token": config.tenant_token})
    print("planhat emulator listening on %s" % url, flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    for s in servers:
        s.shutdown()
        s.server_close()
    try:
        os.remove(state_file)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
