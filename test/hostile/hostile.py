#!/usr/bin/env python3
"""A small hostile HTTP server for planhat_fdw's security tests.

It answers what a broken or malicious host could, to show that planhat_fdw
never prints a token, bounds its memory, and never sends a token where it
should not.  Python standard library only.

Usage (from psql in sql/hostile.sql, in the repository's root):

    hostile.py start     start in the background; print its base URL
    hostile.py log       print and clear the request lines it received
    hostile.py stop      stop it

Its state (pid, port, log) lives in $PH_TMP (or $PGHOST, the test cluster's
directory), file hostile.json.  It stops by itself after IDLE_EXIT seconds
without a request, so an aborted test leaves nothing running for long.

What it answers is chosen by the first segment of the request path, which
the tests put at the end of a server's url option:

    /echo/<what>/...   an answer that echoes both tokens ($PLANHAT_TOKEN and
                       $PLANHAT_TENANT, plus the bearer token it received):
                       <what> is an HTTP status (a JSON {"error": ...}), html
                       (502, an HTML page), text (200, text/plain), redirect
                       (302 with the tokens in Location and body), badjson
                       (200, not JSON), long (400, the token after 190
                       characters: a message cut at 200 bytes cuts it)
    /bulk/...          PUT: a bulk-upsert answer that rejects every item, the
                       item and the message echoing the tokens
    /push/...          POST: an analytics answer whose errors echo them
    /stream/...        GET: a page that begins before row 8 is a full page
                       of 'limit' rows (row n has _id s<n>); every other is
                       a JSON array that never ends, sent at about 3 MB/s
    /flood/...         the same as fast as the client reads (measurements)
    /ok/...            GET: a page of one row (proxy tests)

A request in absolute form (through a proxy: "GET http://host/path") is
logged with "proxy" and its host, then answered the same way.
"""

import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

IDLE_EXIT = 300
STATE_NAME = "hostile.json"


def state_path():
    base = os.environ.get("PH_TMP") or os.environ.get("PGHOST") or "/tmp"
    if not os.path.isdir(base):
        base = "/tmp"
    return os.path.join(base, STATE_NAME)


def tokens(bearer):
    api = os.environ.get("PLANHAT_TOKEN", "")
    tenant = os.environ.get("PLANHAT_TENANT", "")
    return "api token %s, tenant token %s, bearer %s" % (api, tenant, bearer or "(none)")


def count_items(body):
    """Items in a JSON array body (1 for anything else)."""
    try:
        items = json.loads(body or b"[]")
    except ValueError:
        return 1
    return len(items) if isinstance(items, list) else 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hostile"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    def parse_request(self):
        self._parsed()
        return super().parse_request()

    def finish(self):
        self._parsed()
        super().finish()

    def _parsed(self):
        # once per connection: its first request has been read (or never will be)
        if not getattr(self, "_counted", False):
            self._counted = True
            with self.server.lock:
                self.server.pending -= 1

    # ------------------------------------------------------------ plumbing

    def _record(self, line):
        srv = self.server
        with srv.lock:
            srv.log.append(line)
            srv.last_request = time.time()

    def _send(self, status, body, ctype="application/json", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status, obj, headers=()):
        self._send(status, json.dumps(obj), headers=headers)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _bearer(self):
        auth = self.headers.get("Authorization") or ""
        return auth[7:] if auth.startswith("Bearer ") else None

    # ------------------------------------------------------------ requests

    def _handle(self, method):
        target = self.path
        proxied = None
        if target.startswith("http://") or target.startswith("https://"):
            parts = urlsplit(target)
            proxied = parts.netloc
            target = parts.path + ("?" + parts.query if parts.query else "")
        body = self._body() if method in ("POST", "PUT", "DELETE") else b""
        if target.startswith("/__log"):
            # connections accepted before this one may not have been read
            # yet (a busy server): wait for them, so the log is complete
            deadline = time.time() + 5
            while time.time() < deadline:
                with self.server.lock:
                    if self.server.pending <= 0:
                        break
                time.sleep(0.01)
            with self.server.lock:
                lines, self.server.log = self.server.log, []
            self._send(200, "".join(l + "\n" for l in lines), "text/plain")
            return
        self._record("%s%s %s" % ("proxy %s: " % proxied if proxied else "", method, target))

        parts = urlsplit(target)
        segs = [s for s in parts.path.split("/") if s]
        query = parse_qs(parts.query)
        mode = segs[0] if segs else ""
        said = tokens(self._bearer())

        if mode == "echo":
            what = segs[1] if len(segs) > 1 else "400"
            if what.isdigit():
                self._json(int(what), {"error": "rejected: " + said,
                                       "message": "token " + said})
            elif what == "html":
                page = ("<html><head><title>502</title></head><body><h1>Bad gateway</h1>"
                        "<p>%s</p></body></html>" % said)
                self._send(502, page, "text/html")
            elif what == "text":
                self._send(200, "root:x:0:0 " + said, "text/plain")
            elif what == "redirect":
                self._send(302, json.dumps({"error": said}),
                           headers=[("Location", "http://elsewhere.invalid/?t=" +
                                     os.environ.get("PLANHAT_TOKEN", ""))])
            elif what == "badjson":
                self._send(200, '[{"_id": "%s", ' % said)
            elif what == "long":
                self._json(400, {"error": "x" * 190 + os.environ.get("PLANHAT_TOKEN", "")})
            else:
                self._json(404, {"error": "unknown echo mode"})
        elif mode == "bulk" and method == "PUT":
            n = count_items(body)
            errs = [{"item": {"externalId": os.environ.get("PLANHAT_TOKEN", ""),
                              "name": os.environ.get("PLANHAT_TENANT", "")},
                     "error": "bad item: " + said} for _ in range(n)]
            self._json(200, {"created": 0, "updated": 0, "nonupdates": 0,
                             "createdErrors": errs, "updatedErrors": [],
                             "permissionErrors": []})
        elif mode == "push" and method == "POST":
            n = count_items(body)
            errs = [{"item": {"externalId": os.environ.get("PLANHAT_TENANT", "")},
                     "error": "tenant mismatch: " + said} for _ in range(n)]
            self._json(200, {"processed": n, "errors": errs})
        elif mode in ("stream", "flood") and method == "GET":
            limit = int((query.get("limit") or ["2"])[0])
            offset = int((query.get("offset") or ["0"])[0])
            if offset < 8:
                self._json(200, [{"_id": "s%04d" % (offset + i), "name": "Row %d" % (offset + i)}
                                 for i in range(limit)])
                return
            self._stream_forever(mode == "stream")
        elif mode == "ok" and method == "GET":
            self._json(200, [{"_id": "p0001", "name": "through"}])
        else:
            self._json(404, {"error": "not found"})

    def _stream_forever(self, paced):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        row = json.dumps({"_id": "x", "name": "y" * 1000}) + ","
        chunk = ("[" + row * 64).encode()
        try:
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                chunk = (row * 64).encode()
                # about 3 MB/s: every prefetched request gets under way
                # before the answers fill a few MB
                if paced:
                    time.sleep(0.02)
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")


class Server(ThreadingHTTPServer):
    # the default backlog (5) drops connections that a prefetching scan
    # opens at once, and the kernel retries them only after a second
    request_queue_size = 128

    def process_request(self, request, client_address):
        # in the accepting thread, in the order connections arrived
        with self.lock:
            self.pending += 1
        super().process_request(request, client_address)


def serve(port_fd):
    srv = Server(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.lock = threading.Lock()
    srv.log = []
    srv.pending = 0
    srv.last_request = time.time()
    os.write(port_fd, b"%d\n" % srv.server_address[1])
    os.close(port_fd)

    def idle_watch():
        while True:
            time.sleep(5)
            if time.time() - srv.last_request > IDLE_EXIT:
                os._exit(0)

    threading.Thread(target=idle_watch, daemon=True).start()
    srv.serve_forever()


def start():
    stop(quiet=True)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        # the server: detached from psql's terminal and pipes
        os.close(r)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        try:
            serve(w)
        finally:
            os._exit(0)
    os.close(w)
    port = int(os.read(r, 32).decode().strip() or 0)
    os.close(r)
    if not port:
        sys.exit("hostile.py: the server did not start")
    with open(state_path(), "w") as f:
        json.dump({"pid": pid, "port": port}, f)
    print("http://127.0.0.1:%d" % port)


def load():
    try:
        with open(state_path()) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def stop(quiet=False):
    st = load()
    if not st:
        if not quiet:
            print("hostile.py: not running")
        return
    try:
        os.kill(st["pid"], signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        os.unlink(state_path())
    except OSError:
        pass


def show_log():
    import urllib.request
    st = load()
    if not st:
        sys.exit("hostile.py: not running")
    # never through a proxy of the environment
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open("http://127.0.0.1:%d/__log" % st["port"], timeout=10) as r:
        sys.stdout.write(r.read().decode())


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "start":
        start()
    elif cmd == "stop":
        stop()
    elif cmd == "log":
        show_log()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
