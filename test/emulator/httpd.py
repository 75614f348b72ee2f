"""HTTP/1.1 (keep-alive) and HTTPS listeners around an Emulator.

The handler reads the request (Content-Length or chunked body), asks the
Emulator for an Answer, applies an armed fault, latency and gzip, logs the
request (before answering, so a client that got its answer always finds it in
the log) and writes the answer, honouring the fault's wire behaviour.
"""

import gzip
import hashlib
import socket
import ssl
import subprocess
import sys
import threading
import time
import zlib
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from answer import error_answer
from app import Request
from listing import parse_query

MAX_BODY = 64 * 1024 * 1024
GZIP_MIN = 1024
ADMIN_PREFIX = "/__emulator/"


class GzipCache:
    """Compressed bodies by content digest (bounded in bytes)."""

    def __init__(self, level=1, max_bytes=512 * 1024 * 1024):
        self.level = level
        self.max_bytes = max_bytes
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def compress(self, body):
        if len(body) < 64 * 1024:
            return gzip.compress(body, self.level, mtime=0)
        key = hashlib.blake2b(body, digest_size=20).digest()
        with self.lock:
            z = self.entries.get(key)
            if z is not None:
                self.entries.move_to_end(key)
                return z
        c = zlib.compressobj(self.level, zlib.DEFLATED, 31)
        z = c.compress(body) + c.flush()
        with self.lock:
            if key not in self.entries and len(z) <= self.max_bytes // 4:
                self.entries[key] = z
                self.size += len(z)
                while self.size > self.max_bytes:
                    _, old = self.entries.popitem(last=False)
                    self.size -= len(old)
        return z


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "planhat-emulator/1.0"
    sys_version = ""
    timeout = 600            # idle keep-alive connections are closed after this

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write("emulator: %s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    # ------------------------------------------------------------ request

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self):
        emu = self.server.emulator
        # arrival: the request line and headers are in (the log's "time")
        received = time.time()
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self._write(error_answer(413, "request body too large or malformed"), False)
            return
        path, _, query = self.path.partition("?")
        req = Request(self.command, path, query, list(self.headers.items()), body)
        if path.startswith(ADMIN_PREFIX):
            self._write(emu.handle_admin(req), False)
            return
        fault = emu.faults.take(req.method, path, query)
        if fault is not None and fault.changes_data:
            emu.change(fault.spec, req)
        if fault is not None and fault.replaces_request:
            answer = fault.apply(None)
        else:
            answer = emu.handle(req if fault is None else fault.rewrite(req))
            if fault is not None:
                answer = fault.apply(answer)
        if emu.latency_ms:
            time.sleep(emu.latency_ms / 1000.0)
        emu.log.add(req.method, path, query, parse_query(query), req.headers,
                    emu.auth(req)[0], body, None if answer.drop else answer.status, answer.fault,
                    received)
        accept = (self.headers.get("Accept-Encoding") or "").lower()
        self._write(answer, "gzip" in accept)

    # ------------------------------------------------------------ answer

    def _write(self, a, gzip_ok):
        if a.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        body = a.body
        headers = [("Content-Type", a.content_type)]
        if gzip_ok and a.compressible and len(body) >= GZIP_MIN:
            body = self.server.gzip.compress(body)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        headers.append(("Content-Length", str(len(body))))
        headers += a.headers
        if a.truncate_to is not None:
            headers.append(("Connection", "close"))
        if a.delay_headers_ms:
            time.sleep(a.delay_headers_ms / 1000.0)
        try:
            self.send_response(a.status)
            for k, v in headers:
                self.send_header(k, v)
            if a.truncate_to is None and not a.delay_body_ms and len(body) <= 65536:
                # headers and a small body in one segment
                self._headers_buffer.append(b"\r\n")
                head = b"".join(self._headers_buffer)
                self._headers_buffer = []
                self.wfile.write(head + body)
                return
            self.end_headers()
            if a.truncate_to is not None:
                self.wfile.write(body[:a.truncate_to])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif a.delay_body_ms:
                half = len(body) // 2
                self.wfile.write(body[:half])
                self.wfile.flush()
                time.sleep(a.delay_body_ms / 1000.0)
                self.wfile.write(body[half:])
            else:
                self.wfile.write(body)
        except OSError:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator, quiet=False, gzip_level=1):
        self.emulator = emulator
        self.quiet = quiet
        self.gzip = GzipCache(gzip_level)
        super().__init__(address, Handler)


class TLSServer(Server):
    """HTTPS: the TLS handshake happens in the connection's own thread."""

    def __init__(self, address, emulator, certfile, keyfile, **kw):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certfile, keyfile)
        super().__init__(address, emulator, **kw)

    def finish_request(self, request, client_address):
        request.settimeout(Handler.timeout)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def make_certificate(directory):
    """A self-signed certificate for localhost and 127.0.0.1 (openssl CLI).
    Returns (cert.pem, key.pem); cert.pem is also the CA file for clients."""
    cert = "%s/cert.pem" % directory
    key = "%s/key.pem" % directory
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
         "-addext", "extendedKeyUsage=serverAuth"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return cert, key


def serve_in_thread(server):
    t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                         name="emulator-%d" % server.server_address[1], daemon=True)
    t.start()
    return t
