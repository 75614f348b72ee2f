"""Fault injection (POST /__emulator/faults).

A fault: {"method"?, "path"?, "path_prefix"?, "query_contains"?, "skip": 0,
"times": 1, "action": ..., <action parameters>}.  Faults are checked in the
order they were armed; a matching fault with skip > 0 lets the request
through and counts it (skip - 1); the first matching fault with no skip left
fires, and checking stops.  A fault fires 'times' times (-1: forever).

Actions (see README):
  status          status, body (or body_base64: raw bytes), content_type,
                  headers
  rate_limit      429 + Retry-After: retry_after, X-Rate-Limit-Limit: limit,
                  X-Rate-Limit-Remaining: 0
  delay_headers   ms before the status line, then the normal answer
  delay_body      ms after half of the normal body
  malformed_json  the normal status with a body that is not valid JSON
  truncated_body  Content-Length of the full body, fewer bytes, then close
  drop_connection close the connection without an answer
  content_type    the normal body under another Content-Type
  html_error      status with an HTML error page
  ignore_params   run the request without the query parameters named in
                  "params" (default: every one but limit, offset and
                  select): a server that ignores filters
  ignore_sort     run the request without "sort": a server that ignores it
  change          change the data first, then run the request as usual:
                  "delete" (_ids), "update" (objects with their _id and the
                  fields to set), "insert" (objects to create, at storage
                  position "insert_at" when given, else last), in the
                  resource of the request's path or "resource": another
                  client's writes between two pages of a scan (with "skip")
status, rate_limit, html_error and drop_connection do not run the request
unless "process": true (then its effects happen and only the answer is lost
or replaced).  The request log shows the request as it was sent.
"""

import base64
import binascii
import dataclasses
import json
import threading
from http import HTTPStatus
from urllib.parse import unquote

from answer import JSON_TYPE, Answer

ACTIONS = ("status", "rate_limit", "delay_headers", "delay_body", "malformed_json",
           "truncated_body", "drop_connection", "content_type", "html_error",
           "ignore_params", "ignore_sort", "change")
_REPLACING = ("status", "rate_limit", "html_error", "drop_connection")
_MATCH_KEYS = ("method", "path", "path_prefix", "query_contains")
_KNOWN_KEYS = set(_MATCH_KEYS) | {"skip", "times", "action", "status", "body", "body_base64",
                                   "content_type",
                                   "headers", "retry_after", "limit", "ms", "bytes", "process",
                                   "params", "insert", "insert_at", "delete", "update",
                                   "resource"}
# what ignore_params keeps by default: paging and the projection
_PAGING_PARAMS = ("limit", "offset", "select")


class FaultError(ValueError):
    pass


def _reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Fault:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise FaultError("a fault must be a JSON object")
        unknown = set(spec) - _KNOWN_KEYS
        if unknown:
            raise FaultError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        for k in _MATCH_KEYS:
            if k in spec and not isinstance(spec[k], str):
                raise FaultError("%s must be a string" % k)
        self.spec = dict(spec)
        self.action = spec.get("action")
        if self.action not in ACTIONS:
            raise FaultError("action must be one of %s" % ", ".join(ACTIONS))
        self.skip = self._int("skip", 0)
        self.times = self._int("times", 1)
        if self.times == 0 or self.times < -1:
            raise FaultError("times must be a positive integer or -1")
        self.ms = self._int("ms", 1000)
        default_status = {"rate_limit": 429, "html_error": 502}.get(self.action, 500)
        self.status = self._int("status", default_status)
        if not 100 <= self.status <= 599:
            raise FaultError("status must be an HTTP status code")
        self.process = bool(spec.get("process", False))
        headers = spec.get("headers", {})
        if not isinstance(headers, dict):
            raise FaultError("headers must be an object")
        self.headers = [(str(k), str(v)) for k, v in headers.items()]
        # any bytes, also not UTF-8 (a "body" string is sent UTF-8 encoded)
        self.raw_body = None
        if "body_base64" in spec:
            try:
                self.raw_body = base64.b64decode(str(spec["body_base64"]))
            except (binascii.Error, ValueError):
                raise FaultError("body_base64 must be base64")
        params = spec.get("params")
        if params is not None and not (isinstance(params, list) and
                                       all(isinstance(p, str) for p in params)):
            raise FaultError("params must be an array of parameter names")
        self.params = params
        if self.action == "change":
            self._check_change()

    def _check_change(self):
        s = self.spec
        for key in ("insert", "update"):
            if not (isinstance(s.get(key, []), list) and
                    all(isinstance(o, dict) for o in s.get(key, []))):
                raise FaultError("%s must be an array of objects" % key)
        if not all(isinstance(o.get("_id"), str) for o in s.get("update", [])):
            raise FaultError("every update needs its _id")
        if not (isinstance(s.get("delete", []), list) and
                all(isinstance(i, str) for i in s.get("delete", []))):
            raise FaultError("delete must be an array of _ids")
        if "insert_at" in s and (type(s["insert_at"]) is not int or s["insert_at"] < 0):
            raise FaultError("insert_at must be a non-negative integer")
        if "resource" in s and not isinstance(s["resource"], str):
            raise FaultError("resource must be a string")

    @property
    def changes_data(self):
        return self.action == "change"

    def _int(self, key, default):
        v = self.spec.get(key, default)
        if type(v) is not int:
            raise FaultError("%s must be an integer" % key)
        return v

    def matches(self, method, path, query):
        s = self.spec
        if "method" in s and s["method"].upper() != method:
            return False
        if "path" in s and s["path"] not in (path, unquote(path)):
            return False
        if "path_prefix" in s and not (path.startswith(s["path_prefix"])
                                       or unquote(path).startswith(s["path_prefix"])):
            return False
        if "query_contains" in s and s["query_contains"] not in (query or ""):
            return False
        return True

    @property
    def replaces_request(self):
        """True when the request is not run at all."""
        return self.action in _REPLACING and not self.process

    def rewrite(self, req):
        """The request as the faulty server reads it (req: app.Request)."""
        if self.action == "ignore_sort":
            drop = lambda name: name == "sort"
        elif self.action == "ignore_params":
            if self.params is None:
                drop = lambda name: name not in _PAGING_PARAMS
            else:
                drop = lambda name: name in self.params
        else:
            return req
        kept = [part for part in req.query.split("&")
                if part and not drop(unquote(part.partition("=")[0]))]
        return dataclasses.replace(req, query="&".join(kept))

    def state(self):
        d = dict(self.spec)
        d["skip"], d["times"] = self.skip, self.times
        return d

    # ------------------------------------------------------------ answers

    def apply(self, answer):
        """The answer to send (answer: the normal one, or None if not run)."""
        a = self.action
        if a == "status":
            body = self.spec.get("body", {"error": _reason(self.status)})
            raw = body.encode("utf-8") if isinstance(body, str) else \
                json.dumps(body, ensure_ascii=False).encode("utf-8")
            if self.raw_body is not None:
                raw = self.raw_body
            out = Answer(status=self.status, body=raw,
                         content_type=self.spec.get("content_type", JSON_TYPE),
                         headers=list(self.headers))
        elif a == "rate_limit":
            body = self.spec.get("body", {"error": "Too Many Requests"})
            raw = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode()
            out = Answer(status=self.status, body=raw, headers=[
                ("Retry-After", str(self.spec.get("retry_after", 1))),
                ("X-Rate-Limit-Limit", str(self.spec.get("limit", 200))),
                ("X-Rate-Limit-Remaining", "0")] + self.headers)
        elif a == "html_error":
            phrase = _reason(self.status)
            page = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n"
                    "<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n"
                    "</body>\r\n</html>\r\n" % (self.status, phrase, self.status, phrase))
            out = Answer(status=self.status, body=page.encode(),
                         content_type="text/html", headers=list(self.headers))
        elif a == "drop_connection":
            out = answer or Answer()
            out.drop = True
        else:
            out = answer
            if a == "delay_headers":
                out.delay_headers_ms = self.ms
            elif a == "delay_body":
                out.delay_body_ms = self.ms
            elif a == "malformed_json":
                if "body" in self.spec:
                    out.body = str(self.spec["body"]).encode("utf-8")
                else:
                    out.body = out.body[:max(1, len(out.body) // 2)] + b'<<not json'
            elif a == "truncated_body":
                n = self.spec.get("bytes")
                out.truncate_to = n if type(n) is int and n >= 0 else len(out.body) // 2
                out.compressible = False
            elif a == "content_type":
                out.content_type = self.spec.get("content_type", "text/html; charset=utf-8")
            out.headers = list(out.headers) + self.headers
        out.fault = a
        return out


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.armed = []

    def arm(self, specs):
        if isinstance(specs, dict):
            specs = [specs]
        if not isinstance(specs, list):
            raise FaultError("expected a fault object or an array of them")
        faults = [Fault(s) for s in specs]
        with self.lock:
            self.armed.extend(faults)
        return len(faults)

    def clear(self):
        with self.lock:
            self.armed.clear()

    def list(self):
        with self.lock:
            return [f.state() for f in self.armed]

    def take(self, method, path, query):
        """The fault that fires for this request, or None."""
        with self.lock:
            for f in self.armed:
                if not f.matches(method, path, query):
                    continue
                if f.skip > 0:
                    f.skip -= 1
                    continue
                if f.times > 0:
                    f.times -= 1
                    if f.times == 0:
                        self.armed.remove(f)
                return f
        return None
