#!/usr/bin/env python3
"""planhat_fdw benchmark driver (run it through test/bench/run.sh).

Expects what run.sh sets up: the PG* variables of a running cluster with
planhat_fdw installed, the emulator (PLANHAT_URL, PLANHAT_TOKEN, PHCTL) and
the floor program built from floor.c (BENCH_FLOOR).  Everything it talks to
is on 127.0.0.1.  Prints tables and writes one CSV per section into --out.

Sections (test/bench/README.md explains how to read them):
  scan      full scan of N companies: the extension vs. curl to /dev/null vs.
            libcurl + json-c (floor.c), at 0/50/200 ms emulator latency
  prefetch  a narrow 21-page scan at 0/50/100 ms latency: the default against
            prefetch 0/1/4/8, and the requests an early-stopped scan wasted
  shapes    requests and bytes of the pushdown query shapes (issue 4)
  insert    INSERT ... SELECT of 10,000 rows
  memory    peak backend RSS of a 2,000 vs. a 200,000 row scan (issue 3)
  writes    what reading every page before a statement's first write costs
            (issue 11): requests, time, memory and temporary file
"""

import argparse
import csv
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

DB = "bench"
SCAN_SQL = "SELECT * FROM planhat.companies"


# ---------------------------------------------------------------- plumbing

def say(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def psql(sql, db=DB, timeout=3600):
    """Run sql in a fresh session (a new backend); stdout lines."""
    p = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                       input=sql, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("psql failed: %s\n--- SQL:\n%s" % (p.stderr.strip(), sql))
    return p.stdout.splitlines()


def phctl(*args):
    p = subprocess.run(shlex.split(os.environ["PHCTL"]) + list(args),
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise RuntimeError("phctl %s failed: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


def reset(rows):
    """Load the generated dataset with these row counts (cached by the emulator)."""
    spec = ",".join("%s=%d" % kv for kv in sorted(rows.items()))
    t = time.time()
    phctl("reset", "--dataset", "generated", "--rows", spec)
    say("emulator: generated %s in %.1f s" % (spec, time.time() - t))


def logged_paths():
    """Paths of the GET requests the emulator logged since the last clear."""
    return [line.split(" ", 1)[1] for line in phctl("log").splitlines() if line.startswith("GET ")]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def kb_to_mb(kb):
    return kb / 1024.0


# ---------------------------------------------------------------- measurements

# CPU time of this backend (user + system) in clock ticks, from /proc
CPU_SQL = """SELECT 'cpu', f[14]::bigint + f[15]::bigint
FROM string_to_array(pg_read_file('/proc/self/stat'), ' ') f;
"""
STATS_SQL = CPU_SQL + """
SELECT 'stats', requests, bytes_received, pages, rows, round(http_ms::numeric, 1) FROM planhat_fdw_stats();
SELECT 'rss', (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\\s+(\\d+)'))[1];
"""
CLK_TCK = os.sysconf("SC_CLK_TCK")


def ext_run(query, setup="", buffers=False):
    """One statement in a fresh backend, under EXPLAIN ANALYZE (rows are
    produced and discarded, none are sent to the client).  Returns a dict:
    ms (execution time), cpu_s (the backend's CPU time during it), requests,
    body_bytes, pages, rows, http_ms, rss_kb (peak RSS of the backend,
    VmHWM); with buffers, temp_blocks (8 kB blocks written to temporary
    files, from the plan's top node)."""
    lines = psql("%s\n%s\nEXPLAIN (ANALYZE, COSTS OFF, TIMING OFF%s) %s;\n%s"
                 % (setup, CPU_SQL, ", BUFFERS" if buffers else "", query, STATS_SQL))
    r = {"temp_blocks": 0}
    for line in lines:
        m = re.search(r"Buffers: .*temp .*written=([0-9]+)", line)
        if m:
            r["temp_blocks"] = int(m.group(1))
            break
    cpu = [int(x.split("|")[1]) for x in lines if x.startswith("cpu|")]
    r["cpu_s"] = (cpu[1] - cpu[0]) / CLK_TCK
    for line in lines:
        m = re.search(r"Execution Time: ([0-9.]+) ms", line)
        if m:
            r["ms"] = float(m.group(1))
        parts = line.split("|")
        if parts[0] == "stats":
            r.update(requests=int(parts[1]), body_bytes=int(parts[2]), pages=int(parts[3]),
                     rows=int(parts[4]), http_ms=float(parts[5]))
        elif parts[0] == "rss":
            r["rss_kb"] = int(parts[1])
    if "ms" not in r or "requests" not in r:
        raise RuntimeError("unexpected psql output:\n" + "\n".join(lines))
    return r


def curl_floor(paths):
    """The same pages with the curl CLI to /dev/null, one connection, the
    same Accept-Encoding as the extension.  (seconds, wire bytes)"""
    base = os.environ["PLANHAT_URL"]
    with tempfile.NamedTemporaryFile("w", suffix=".curlrc", delete=False) as f:
        f.write('header = "Authorization: Bearer %s"\n' % os.environ["PLANHAT_TOKEN"])
        f.write('header = "Accept: application/json"\n')
        f.write("compressed\nsilent\nshow-error\nfail\n")
        f.write('write-out = "%{size_download}\\n"\n')
        for p in paths:
            f.write('url = "%s%s"\noutput = "/dev/null"\n' % (base, p))
        cfg = f.name
    try:
        t = time.perf_counter()
        p = subprocess.run(["curl", "-K", cfg], capture_output=True, text=True, timeout=3600)
        dt = time.perf_counter() - t
    finally:
        os.unlink(cfg)
    if p.returncode != 0:
        raise RuntimeError("curl failed: " + p.stderr.strip())
    return dt, sum(int(x) for x in p.stdout.split())


def c_floor(paths):
    """The same pages fetched and parsed by floor.c (libcurl + json-c).
    Returns (seconds, rows, wire bytes, body bytes, max RSS kB, CPU seconds)."""
    p = subprocess.run([os.environ["BENCH_FLOOR"], "--parse", "--compressed", os.environ["PLANHAT_URL"]],
                       input="\n".join(paths) + "\n", capture_output=True, text=True, timeout=3600)
    if p.returncode != 0:
        raise RuntimeError("floor failed: " + p.stderr.strip())
    pages, rows, wire, body, secs, rss, cpu = p.stdout.split()
    return float(secs), int(rows), int(wire), int(body), int(rss), float(cpu)


# ---------------------------------------------------------------- output

class Table:
    def __init__(self, title, columns):
        self.title = title
        self.columns = columns
        self.rows = []

    def add(self, *values):
        self.rows.append([("%.2f" % v if isinstance(v, float) else str(v)) for v in values])

    def text(self):
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) if self.rows else len(c)
                  for i, c in enumerate(self.columns)]
        out = [self.title, "-" * len(self.title)]
        out.append("  ".join(c.rjust(w) for c, w in zip(self.columns, widths)))
        for r in self.rows:
            out.append("  ".join(v.rjust(w) for v, w in zip(r, widths)))
        return "\n".join(out) + "\n"

    def write_csv(self, path):
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(self.columns)
            w.writerows(self.rows)


# ---------------------------------------------------------------- set-up

def setup_db():
    url = os.environ["PLANHAT_URL"]
    token = os.environ["PLANHAT_TOKEN"]
    psql("DROP DATABASE IF EXISTS %s;" % DB, db="postgres")
    psql("CREATE DATABASE %s;" % DB, db="postgres")
    psql("""
CREATE EXTENSION planhat_fdw;
-- the figures are planhat_fdw's, not Planhat's quota of 200 requests a minute
CREATE SERVER ph FOREIGN DATA WRAPPER planhat_fdw
    OPTIONS (url '{url}', analytics_url '{url}', max_requests_per_second '150',
             max_requests_per_minute '0');
CREATE USER MAPPING FOR CURRENT_USER SERVER ph OPTIONS (api_token '{token}');
CREATE SCHEMA planhat;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies, endusers) FROM SERVER ph INTO planhat;
-- 21 pages of 500 rows for the prefetch section (its prefetch is set there)
CREATE SCHEMA p500;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER ph INTO p500;
ALTER FOREIGN TABLE p500.companies OPTIONS (ADD fetch_size '500');
CREATE TABLE local_ids (id text);
-- pages of 2,000 rows for the memory section
CREATE SCHEMA p2000;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER ph INTO p2000;
ALTER FOREIGN TABLE p2000.companies OPTIONS (ADD fetch_size '2000');
-- bulk inserts
CREATE SCHEMA ins;
IMPORT FOREIGN SCHEMA planhat LIMIT TO (companies) FROM SERVER ph INTO ins;
ALTER FOREIGN TABLE ins.companies OPTIONS (ADD batch_size '5000');
CREATE TABLE local3 (id text);
""".format(url=url, token=token))


# ---------------------------------------------------------------- sections

def section_scan(args, out):
    t = Table("Full scan: SELECT * FROM planhat.companies (78 columns incl. attrs jsonb), median of %d runs"
              " (%d from 1,000,000 rows)" % (args.repeat, args.repeat_big),
              ["rows", "latency_ms", "ext_s", "floor_s", "curl_s", "ext/floor", "ext/curl",
               "ext_cpu_s", "floor_cpu_s", "cpu_ratio",
               "ext_rows_s", "floor_rows_s", "emu_rows_s", "requests", "body_MB", "wire_MB",
               "http_s", "ext_rss_MB", "floor_rss_MB"])
    for n in args.sizes:
        reset({"companies": n})
        phctl("latency", "0")
        phctl("clear")
        warm = ext_run(SCAN_SQL)          # warms the emulator's caches (list, gzip)
        paths = logged_paths()
        if warm["rows"] != n:
            raise RuntimeError("scan returned %d rows, expected %d" % (warm["rows"], n))
        repeat = args.repeat if n < 1000000 else args.repeat_big
        for lat in args.latencies:
            phctl("latency", str(lat))
            ext, fl, cu = [], [], []
            for _ in range(repeat):
                ext.append(ext_run(SCAN_SQL))
                fl.append(c_floor(paths))
                cu.append(curl_floor(paths))
            e_s = median([r["ms"] for r in ext]) / 1000.0
            f_s = median([r[0] for r in fl])
            c_s = median([r[0] for r in cu])
            e_cpu = median([r["cpu_s"] for r in ext])
            f_cpu = median([r[5] for r in fl])
            t.add(n, lat, e_s, f_s, c_s, e_s / f_s, e_s / c_s, e_cpu, f_cpu, e_cpu / f_cpu,
                  int(n / e_s), int(n / f_s), int(n / c_s), ext[0]["requests"],
                  ext[0]["body_bytes"] / 1e6, cu[0][1] / 1e6,
                  median([r["http_ms"] for r in ext]) / 1000.0,
                  kb_to_mb(max(r["rss_kb"] for r in ext)), kb_to_mb(max(r[4] for r in fl)))
            say("scan %d rows, %d ms: ext %.2f s (cpu %.2f), floor %.2f s (cpu %.2f), curl %.2f s"
                % (n, lat, e_s, e_cpu, f_s, f_cpu, c_s))
    phctl("latency", "0")
    out.append(t)


def logged_after(seconds):
    """GET requests the emulator answered, once the ones still in flight
    (cancelled by the client, still answered) had time to be logged."""
    time.sleep(seconds)
    return len(logged_paths())


def section_prefetch(args, out):
    # 10,250 companies in pages of 500 new rows: 21 pages, the last one short
    n = 10250
    query = "SELECT count(*), sum(mrr) FROM p500.companies"
    t = Table("Prefetch: %s (%d rows, fetch_size 500: 21 pages), median of %d" % (query, n, args.repeat),
              ["latency_ms", "prefetch", "requests", "ext_s", "vs_prefetch_0", "http_s"])
    reset({"companies": n})
    for lat in args.prefetch_latencies:
        phctl("latency", str(lat))
        base = None
        for d in [0] + [x for x in args.prefetch if x != 0] + ["default"]:
            if d != "default":
                psql("ALTER FOREIGN TABLE p500.companies OPTIONS (ADD prefetch '%d');" % d)
            runs = [ext_run(query) for _ in range(args.repeat)]
            if d != "default":
                psql("ALTER FOREIGN TABLE p500.companies OPTIONS (DROP prefetch);")
            s = median([r["ms"] for r in runs]) / 1000.0
            if base is None:
                base = s
            t.add(lat, d, runs[0]["requests"], s, s / base, median([r["http_ms"] for r in runs]) / 1000.0)
            say("prefetch %s at %d ms: %.2f s (%.2f of prefetch 0), %d requests"
                % (d, lat, s, s / base, runs[0]["requests"]))
    out.append(t)

    # early stops with the default prefetch, at 100 ms: the requests that
    # reached the emulator beyond the pages the scan read
    w = Table("Prefetch: requests an early-stopped scan wasted (default prefetch, 100 ms latency)",
              ["shape", "stops_in_page", "pages_read", "requests_logged", "wasted"])
    phctl("latency", "100")
    ids = {k: phctl("id", "companies", str((k - 1) * 500 + 250)).strip() for k in (1, 2, 3, 5, 10, 20)}
    shapes = [("EXISTS, a local filter", k,
               "SELECT EXISTS (SELECT FROM p500.companies WHERE id || '' = '%s')" % ids[k])
              for k in (1, 2, 3, 5, 10, 20)]
    psql("TRUNCATE local_ids; INSERT INTO local_ids VALUES ('%s'), ('%s'); ANALYZE local_ids;"
         % (ids[5], ids[20]))
    shapes.append(("LIMIT 1 above a hash join", 5,
                   "SELECT c.name FROM p500.companies c JOIN local_ids l ON l.id = c.id || '' LIMIT 1"))
    shapes.append(("whole list (to its end)", 21, query))
    for name, k, sql in shapes:
        phctl("clear")
        r = ext_run(sql)
        logged = logged_after(0.5)
        w.add(name, k, r["pages"], logged, logged - r["pages"])
        say("early stop %s in page %d: %d pages read, %d requests logged" % (name, k, r["pages"], logged))
    phctl("latency", "0")
    out.append(w)


def section_shapes(args, out):
    # not a multiple of the page size: a full last page needs one more
    # (empty) page to show that it is the last, which would blur the counts
    n = 12000
    reset({"companies": n, "endusers": 2 * n})
    ids = [phctl("id", "companies", str(i)).strip() for i in (0, 1, 2)]
    psql("TRUNCATE local3; INSERT INTO local3 VALUES ('%s'), ('%s'), ('%s'); ANALYZE local3;" % tuple(ids))
    # the planner needs the size of endusers to prefer 3 filtered requests
    # to one scan of the whole resource (ANALYZE reads every row once)
    psql("ANALYZE planhat.endusers;")
    pages = -(-n // 5000)
    shapes = [
        ("by id", "SELECT * FROM planhat.companies WHERE id = '%s'" % ids[0], "1"),
        ("endusers of a company", "SELECT name FROM planhat.endusers WHERE company_id = '%s'" % ids[0], "1"),
        ("top 10 by mrr", "SELECT name, mrr FROM planhat.companies ORDER BY mrr DESC NULLS LAST LIMIT 10", "1"),
        ("count(*)", "SELECT count(*) FROM planhat.companies", "%d" % pages),
        ("join 3 local rows", "SELECT l.id, e.name FROM local3 l JOIN planhat.endusers e ON e.company_id = l.id",
         "<= 3"),
        ("name only", "SELECT name FROM planhat.companies", "%d" % pages),
        ("all columns", "SELECT * FROM planhat.companies", "%d" % pages),
    ]
    t = Table("Query shapes (%d companies, %d end users): requests and bytes" % (n, 2 * n),
              ["shape", "requests", "expected", "rows", "body_bytes", "wire_bytes", "first_request"])
    body = {}
    for name, sql, expected in shapes:
        phctl("clear")
        r = ext_run(sql)
        paths = logged_paths()
        _, wire = curl_floor(paths)
        body[name] = (r["body_bytes"], wire)
        t.add(name, r["requests"], expected, r["rows"], r["body_bytes"], wire,
              paths[0] if len(paths) == 1 else "%s (+%d more)" % (paths[0], len(paths) - 1))
    ratio_body = body["name only"][0] / body["all columns"][0]
    ratio_wire = body["name only"][1] / body["all columns"][1]
    t.add("name/all bytes", "", "<= 15%", "", "%.1f%%" % (100 * ratio_body), "%.1f%%" % (100 * ratio_wire), "")
    out.append(t)


def section_insert(args, out):
    t = Table("INSERT INTO ins.companies (name, external_id) SELECT ... generate_series(1, N)",
              ["rows", "batch_size", "requests", "s", "rows_s"])
    for n, batch in args.inserts:
        reset({"companies": 10})
        psql("ALTER FOREIGN TABLE ins.companies OPTIONS (SET batch_size '%d');" % batch)
        lines = psql("""
\\timing on
INSERT INTO ins.companies (name, external_id)
SELECT 'bench company ' || i, 'bench-' || i FROM generate_series(1, %d) i;
\\timing off
SELECT 'stats', requests FROM planhat_fdw_stats();
""" % n)
        ms = [float(m.group(1)) for m in (re.match(r"Time: ([0-9.]+) ms", x) for x in lines) if m]
        req = [int(x.split("|")[1]) for x in lines if x.startswith("stats|")][0]
        s = ms[0] / 1000.0
        t.add(n, batch, req, s, int(n / s))
        say("insert %d rows, batch %d: %d requests, %.2f s" % (n, batch, req, s))
    out.append(t)


def section_memory(args, out):
    # planhat_fdw.memory_budget must hold the default prefetch on the largest
    # pages: prefetched answers may fill half of it, each counted at twice
    # the largest page (http.c), so it allows 1 + budget / (4 * page) answers
    # in flight (depth_fits, against the 1 + prefetch the scan asks for).  A
    # prefetched answer that still found no room is asked for again:
    # turned_back counts the pages requested twice.
    budget_kb = int(psql("EXPLAIN SELECT id FROM planhat.companies;"  # loads the library
                         "SELECT setting FROM pg_settings WHERE name = 'planhat_fdw.memory_budget';")[-1])
    t = Table("Memory (issue 3): peak RSS (VmHWM) of a fresh backend after one full scan, "
              "SELECT * with the default pages (5,000 rows) and with fetch_size 2000; "
              "memory_budget %d MB against the default prefetch" % (budget_kb // 1024),
              ["rows", "requests", "ext_s", "rss_MB", "page_MB", "depth_fits", "turned_back",
               "requests_p2000", "ext_s_p2000", "rss_MB_p2000", "baseline_rss_MB"])
    for n in args.memory:
        reset({"companies": n})
        base = ext_run("SELECT * FROM planhat.companies LIMIT 1")
        phctl("clear")
        r = ext_run(SCAN_SQL)
        paths = logged_paths()
        page = r["body_bytes"] / max(r["pages"], 1)
        fits = 1 + (budget_kb * 1024) // (4 * max(page, 1))
        r2 = ext_run("SELECT * FROM p2000.companies")
        t.add(n, r["requests"], r["ms"] / 1000.0, kb_to_mb(r["rss_kb"]), page / 1048576.0, int(fits),
              len(paths) - len(set(paths)),
              r2["requests"], r2["ms"] / 1000.0, kb_to_mb(r2["rss_kb"]), kb_to_mb(base["rss_kb"]))
        say("memory %d rows: %.1f MB, %.1f MB with pages of 2000; pages of %.1f MB, %d in flight fit"
            % (n, kb_to_mb(r["rss_kb"]), kb_to_mb(r2["rss_kb"]), page / 1048576.0, fits))
    out.append(t)


def section_writes(args, out):
    n = args.writes
    t = Table("Writes (issue 11): a statement that writes to Planhat reads every page of its "
              "Planhat scans before its first write; %d companies, pages of 5,000" % n,
              ["shape", "requests", "rows_kept", "ext_s", "rss_MB", "temp_MB", "baseline_rss_MB"])
    reset({"companies": n})
    base = ext_run("SELECT * FROM planhat.companies LIMIT 1")
    # the CTE writes nothing (no such id) but makes the statement a writing one
    write = ("WITH w AS (UPDATE planhat.companies SET phase = phase "
             "WHERE id = '000000000000000000000000' RETURNING 1) ")
    shapes = [
        ("SELECT * (streamed, no write)", "SELECT * FROM planhat.companies", n),
        ("SELECT * under a write (every row kept)", write + "SELECT * FROM planhat.companies", n),
        ("SELECT id, external_id under a write (what a DELETE keeps)",
         write + "SELECT id, external_id FROM planhat.companies", n),
        ("UPDATE ... WHERE name = <no match> (rows filtered as read)",
         "UPDATE planhat.companies SET phase = 'x' WHERE name = 'no such company'", 0),
        ("DELETE ... WHERE name = <no match>",
         "DELETE FROM planhat.companies WHERE name = 'no such company'", 0),
    ]
    for name, sql, kept in shapes:
        runs = [ext_run(sql, buffers=True) for _ in range(args.repeat)]
        r = runs[0]
        s = median([x["ms"] for x in runs]) / 1000.0
        t.add(name, r["requests"], kept, s, kb_to_mb(max(x["rss_kb"] for x in runs)),
              r["temp_blocks"] * 8192 / 1e6, kb_to_mb(base["rss_kb"]))
        say("writes %s: %d requests, %.2f s, temp %.1f MB"
            % (name, r["requests"], s, r["temp_blocks"] * 8192 / 1e6))
    out.append(t)


SECTIONS = {"scan": section_scan, "prefetch": section_prefetch, "shapes": section_shapes,
            "insert": section_insert, "memory": section_memory, "writes": section_writes}


def int_list(s):
    return [int(x) for x in s.split(",") if x]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sections", default="scan,prefetch,shapes,insert,memory,writes")
    p.add_argument("--sizes", type=int_list, default=[10000, 100000])
    p.add_argument("--latencies", type=int_list, default=[0, 50, 200])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--repeat-big", type=int, default=1, help="runs per case for 1,000,000 rows and more")
    p.add_argument("--prefetch", type=int_list, default=[0, 1, 4, 8])
    p.add_argument("--prefetch-latencies", type=int_list, default=[0, 50, 100])
    p.add_argument("--inserts", default="10000:5000,10000:500,1000:1",
                   help="rows:batch_size pairs")
    p.add_argument("--memory", type=int_list, default=[2000, 20000, 200000])
    p.add_argument("--writes", type=int, default=100000, help="companies for the writes section")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    args.inserts = [tuple(int(x) for x in pair.split(":")) for pair in args.inserts.split(",") if pair]

    os.makedirs(args.out, exist_ok=True)
    setup_db()
    tables = []
    started = time.time()
    for name in args.sections.split(","):
        t0 = time.time()
        first = len(tables)
        SECTIONS[name](args, tables)
        for i, table in enumerate(tables[first:]):
            table.write_csv(os.path.join(args.out, "%s%s.csv" % (name, "" if i == 0 else "_%d" % (i + 1))))
        say("%s: %.0f s" % (name, time.time() - t0))
    text = "\n".join(t.text() for t in tables)
    text += "\n(total %.0f s)\n" % (time.time() - started)
    with open(os.path.join(args.out, "summary.txt"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
