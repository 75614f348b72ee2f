#!/usr/bin/env python3
"""phctl: drive the Planhat emulator from tests (output is deterministic).

The emulator URL comes from --url, else $PLANHAT_EMULATOR_URL, else the
emulator.json in --state-dir / $PLANHAT_EMULATOR_STATE_DIR.

  phctl reset [--dataset D] [--rows companies=25,...] [--seed N] [--fixed-time ISO]
  phctl log [--clear] [--headers[=A,B]] [--body] [--auth] [--status] [--time]
  phctl count
  phctl clear
  phctl fault '<json object or array>'
  phctl faults-clear
  phctl latency MS
  phctl id <resource> <i>
  phctl data <resource> [--select f1,f2]
  phctl status
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

DEFAULT_HEADERS = ("Accept", "Accept-Encoding", "Authorization", "Content-Type", "User-Agent")


class PhctlError(Exception):
    pass


def emulator_url(args):
    if args.url:
        return args.url.rstrip("/")
    env = os.environ.get("PLANHAT_EMULATOR_URL")
    if env:
        return env.rstrip("/")
    state = args.state_dir or os.environ.get("PLANHAT_EMULATOR_STATE_DIR")
    if state:
        with open(os.path.join(state, "emulator.json")) as f:
            return json.load(f)["url"].rstrip("/")
    raise PhctlError("no emulator URL: set PLANHAT_EMULATOR_URL or pass --url")


def call(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url + "/__emulator/" + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=600) as resp:
            return json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8", "replace")
        try:
            text = json.loads(text).get("error", text)
        except (ValueError, AttributeError):
            pass
        raise PhctlError("%s %s: %s %s" % (method, path, e.code, text))
    except urllib.error.URLError as e:
        raise PhctlError("cannot reach the emulator at %s: %s" % (url, e.reason))


def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def parse_rows(spec):
    rows = {}
    for part in (spec or "").split(","):
        if part.strip():
            name, _, count = part.partition("=")
            try:
                rows[name.strip()] = int(count)
            except ValueError:
                raise PhctlError("--rows: expected resource=count, got %r" % part)
    return rows


def format_entry(e, show_auth=False, headers=None, show_body=False, show_status=False,
                 show_time=False):
    lines = []
    line = "%s %s%s" % (e["method"], e["path"], "?" + e["query"] if e["query"] else "")
    if show_time:
        line = "%.6f %s" % (e["time"], line)
    if show_auth:
        line += " [auth=%s]" % e["auth"]
    if show_status:
        line += " -> %s" % ("dropped" if e["status"] is None else e["status"])
    lines.append(line)
    if headers:
        have = {k.lower(): v for k, v in e["headers"].items()}
        for name in sorted(headers, key=str.lower):
            if name.lower() in have:
                lines.append("    %s: %s" % (name, have[name.lower()]))
    if show_body and e["body"] is not None:
        try:
            text = canonical(json.loads(e["body"]))
        except ValueError:
            text = e["body"]
        lines.append("    " + text)
    return lines


def cmd_log(url, args):
    entries = call(url, "GET", "requests")
    headers = None
    if args.headers is not None:
        headers = [h for h in args.headers.split(",") if h] if args.headers else list(DEFAULT_HEADERS)
    for e in entries:
        for line in format_entry(e, args.auth, headers, args.body, args.status, args.time):
            print(line)
    if args.clear:
        call(url, "DELETE", "requests")


def cmd_id(url, args):
    rows = call(url, "GET", "data/%s?offset=%d&limit=1&select=_id" % (args.resource, args.index))
    if not rows:
        raise PhctlError("%s has no row %d" % (args.resource, args.index))
    print(rows[0]["_id"])


def cmd_data(url, args):
    path = "data/%s" % args.resource
    if args.select:
        path += "?select=" + urllib.request.quote(args.select, safe=",")
    for obj in call(url, "GET", path):
        print(canonical(obj))


def build_parser():
    p = argparse.ArgumentParser(prog="phctl", description="Planhat emulator control")
    p.add_argument("--url")
    p.add_argument("--state-dir")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reset")
    r.add_argument("--dataset")
    r.add_argument("--rows")
    r.add_argument("--seed", type=int)
    r.add_argument("--fixed-time")
    lg = sub.add_parser("log")
    lg.add_argument("--clear", action="store_true")
    lg.add_argument("--headers", nargs="?", const="", default=None,
                    help="print headers (default set, or a comma list)")
    lg.add_argument("--body", action="store_true")
    lg.add_argument("--auth", action="store_true")
    lg.add_argument("--status", action="store_true")
    lg.add_argument("--time", action="store_true",
                    help="start each request with its arrival time (epoch seconds)")
    sub.add_parser("count")
    sub.add_parser("clear")
    f = sub.add_parser("fault")
    f.add_argument("spec")
    sub.add_parser("faults-clear")
    lat = sub.add_parser("latency")
    lat.add_argument("ms", type=int)
    i = sub.add_parser("id")
    i.add_argument("resource")
    i.add_argument("index", type=int)
    d = sub.add_parser("data")
    d.add_argument("resource")
    d.add_argument("--select")
    sub.add_parser("status")
    return p


def run(argv):
    args = build_parser().parse_args(argv)
    url = emulator_url(args)
    c = args.command
    if c == "reset":
        body = {}
        if args.dataset:
            body["dataset"] = args.dataset
        if args.rows is not None:
            body["rows"] = parse_rows(args.rows)
        if args.seed is not None:
            body["seed"] = args.seed
        if args.fixed_time:
            body["fixed_time"] = args.fixed_time
        call(url, "POST", "reset", body)
    elif c == "log":
        cmd_log(url, args)
    elif c == "count":
        print(len(call(url, "GET", "requests")))
    elif c == "clear":
        call(url, "DELETE", "requests")
    elif c == "fault":
        try:
            spec = json.loads(args.spec)
        except ValueError as e:
            raise PhctlError("fault: invalid JSON: %s" % e)
        call(url, "POST", "faults", spec)
    elif c == "faults-clear":
        call(url, "DELETE", "faults")
    elif c == "latency":
        call(url, "POST", "latency", {"ms": args.ms})
    elif c == "id":
        cmd_id(url, args)
    elif c == "data":
        cmd_data(url, args)
    elif c == "status":
        print(canonical(call(url, "GET", "status")))
    return 0


def main(argv=None):
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except PhctlError as e:
        print("phctl: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
