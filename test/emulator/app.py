"""Routing: the main API, the analytics host routes and the admin API.

Emulator.handle(req) answers an API or analytics request; handle_admin(req)
an /__emulator/ request.  Both return an Answer; the HTTP layer (httpd.py)
puts it on the wire, applying faults, latency and gzip.
"""

import base64
import binascii
import threading
import traceback
from dataclasses import dataclass
from urllib.parse import unquote

import analytics
import catalog
import jsonio
import listing
import writes
from answer import Answer, error_answer, json_answer, message_answer
from dates import Clock
from faults import FaultError, Faults
from lookup import ApiError, find_by_key, in_scope
from reqlog import RequestLog
from tenant import DatasetCache, Tenant

DEFAULT_TOKEN = "phx-test-token-7f3a9c2e5b1d4068"
DEFAULT_READONLY_TOKEN = "phx-readonly-token-0c9d8e7f6a5b4c3d"
DEFAULT_TENANT_TOKEN = "6b0d5e4c-3a2f-4e1d-9c8b-7a6f5e4d3c2b"

_VERB_METHOD = {"L": "GET", "C": "POST", "B": "PUT", "G": "GET", "U": "PUT", "D": "DELETE"}


@dataclass
class Request:
    method: str
    path: str            # raw path, as received, without the query
    query: str           # raw query string ("" when none)
    headers: list        # [(name, value)] as received
    body: bytes = b""

    def header(self, name):
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return None

    def segments(self):
        """Path segments, each percent-decoded once ('+' stays '+')."""
        segs = [unquote(s, errors="replace") for s in self.path.split("/")[1:]]
        if len(segs) > 1 and segs[-1] == "":
            segs.pop()
        return segs


@dataclass
class Config:
    tokens: tuple = (DEFAULT_TOKEN,)
    readonly_tokens: tuple = (DEFAULT_READONLY_TOKEN,)
    tenant_token: str = DEFAULT_TENANT_TOKEN
    dataset: str = "regress"
    rows: dict = None
    seed: int = 42
    latency_ms: int = 0
    fixed_time: str | None = None


def parse_auth(value, tokens, readonly_tokens):
    """Authorization header -> (kind, access): kind bearer|basic|none|invalid,
    access "rw", "ro" or None."""
    if value is None:
        return "none", None
    scheme, _, cred = value.strip().partition(" ")
    scheme = scheme.lower()
    cred = cred.strip()
    if scheme == "basic":
        try:
            cred = base64.b64decode(cred, validate=True).decode("utf-8").partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return "invalid", None
    elif scheme != "bearer":
        return "invalid", None
    if cred in tokens:
        return scheme, "rw"
    if cred in readonly_tokens:
        return scheme, "ro"
    return "invalid", None


class Emulator:
    def __init__(self, config=None):
        self.config = config or Config()
        c = self.config
        secrets = []
        for t in tuple(c.tokens) + tuple(c.readonly_tokens):
            secrets += [t, base64.b64encode((t + ":").encode()).decode()]
        self.log = RequestLog(secrets)
        self.faults = Faults()
        self.lock = threading.RLock()
        self.datasets = DatasetCache()
        self.list_cache = listing.ListCache()
        self.latency_ms = c.latency_ms
        self.tenant = None
        self.dataset = None
        self.load(c.dataset, c.rows, c.seed, c.fixed_time)

    # ------------------------------------------------------------ state

    def load(self, dataset, rows, seed, fixed_time=None):
        with self.lock:
            store = self.datasets.load(dataset, rows, seed)
            self.tenant = Tenant(store, seed, Clock(fixed_time))
            self.list_cache.clear()
            self.dataset = {"dataset": dataset, "rows": rows or {}, "seed": seed,
                            "fixed_time": fixed_time}

    def reset(self, body):
        c = self.config
        dataset = body.get("dataset")
        if dataset is None:
            dataset, rows = c.dataset, body.get("rows", c.rows)
        else:
            rows = body.get("rows")
        seed = body.get("seed", c.seed)
        if type(seed) is not int:
            raise ValueError("seed must be an integer")
        self.load(dataset, rows, seed, body.get("fixed_time", c.fixed_time))
        self.log.clear()
        self.faults.clear()
        self.latency_ms = c.latency_ms

    def auth(self, req):
        c = self.config
        return parse_auth(req.header("Authorization"), c.tokens, c.readonly_tokens)

    # ------------------------------------------------------------ API

    def handle(self, req):
        try:
            with self.lock:
                return self._route(req)
        except ApiError as e:
            if e.status == 400:
                return message_answer(400, e.message)
            return error_answer(e.status, e.message)
        except listing.BadRequest as e:
            return message_answer(400, str(e))
        except Exception as e:                 # a bug: say so, keep serving
            traceback.print_exc()
            return error_answer(500, "internal emulator error: %s" % e)

    def _route(self, req):
        segs = req.segments()
        m = req.method
        if m == "POST":
            answer = self._analytics(req, segs)
            if answer is not None:
                return answer
        _, access = self.auth(req)
        if access is None:
            return error_answer(401, "Unauthorized")
        res = catalog.resource(segs[0]) if segs else None
        if res is None or len(segs) > 2:
            return error_answer(404, "Not found: %s %s" % (m, req.path))
        if len(segs) == 2 and res.name == "timeentries" and segs[1] == "duplicate":
            verb = "C"
            if m != "POST":
                return self._not_allowed(["POST"])
        else:
            verbs = {"GET": "L", "POST": "C", "PUT": "B"} if len(segs) == 1 else \
                {"GET": "G", "PUT": "U", "DELETE": "D"}
            verb = verbs.get(m)
            if verb is None or verb not in res.verbs:
                allowed = sorted({_VERB_METHOD[v] for v in verbs.values() if v in res.verbs})
                return self._not_allowed(allowed)
        if m != "GET" and access != "rw":
            if verb == "B":
                payload = _json_or(req.body, None)
                return json_answer(*writes.bulk_upsert(self.tenant, res, payload, readonly=True))
            return error_answer(403, "Forbidden: the API token does not have write permission")
        params = listing.params_dict(listing.parse_query(req.query))
        t = self.tenant
        if verb == "L":
            coll = t.store.coll(res.collection)
            return Answer(body=listing.list_body(coll, res, params, self.list_cache))
        if verb == "B":
            try:
                payload = jsonio.loads(req.body or b"null")
            except ValueError as e:
                result = writes.empty_bulk_result(res)
                result["createdErrors"].append({"item": None, "error": "invalid JSON: %s" % e})
                return json_answer(400, result)
            return json_answer(*writes.bulk_upsert(t, res, payload, readonly=False))
        if verb == "C":
            body = _json_body(req.body)
            if len(segs) == 2:
                return json_answer(200, writes.duplicate_timeentries(t, res, body))
            return Answer(body=writes.create(t, res, body).blob)
        row = find_by_key(t, res, segs[1])
        if row is None:
            return error_answer(404, "%s %s not found" % (res.name, segs[1]))
        if verb == "G":
            return Answer(body=row.blob)
        if verb == "U":
            new, _ = writes.update(t, res, row, _json_body(req.body))
            return Answer(body=new.blob)
        return json_answer(200, writes.delete(t, res, row))

    def change(self, spec, req):
        """A "change" fault: the writes of another client, made before this
        request is run (deletes, updates, then inserts)."""
        segs = req.segments()
        res = catalog.resource(spec.get("resource") or (segs[0] if segs else ""))
        if res is None:
            return
        with self.lock:
            t = self.tenant
            coll = t.store.coll(res.collection)
            for _id in spec.get("delete", []):
                row = coll.get(_id)
                if row is not None:
                    writes.delete(t, res, row)
            for obj in spec.get("update", []):
                row = coll.get(obj["_id"])
                if row is not None:
                    writes.update(t, res, row, {k: v for k, v in obj.items() if k != "_id"})
            at = spec.get("insert_at")
            for i, obj in enumerate(spec.get("insert", [])):
                row = writes.create(t, res, obj)
                if at is not None:
                    coll.move(row, at + i)

    @staticmethod
    def _not_allowed(methods):
        a = error_answer(405, "Method Not Allowed")
        a.headers.append(("Allow", ", ".join(methods)))
        return a

    def _analytics(self, req, segs):
        """The analytics host routes (POST only, authorization optional)."""
        t = self.tenant
        if len(segs) == 2 and segs[0] == "dimensiondata":
            kind, token = "metrics", segs[1]
        elif len(segs) == 2 and segs[0] == "analytics" and segs[1] != "bulk":
            kind, token = "activity", segs[1]
        elif len(segs) == 3 and segs[:2] == ["analytics", "bulk"]:
            kind, token = "bulk", segs[2]
        elif segs == ["dock", "segment"]:
            kind, token = "segment", _basic_user(req.header("Authorization"))
        else:
            return None
        try:
            payload = jsonio.loads(req.body or b"null")
        except ValueError as e:
            return json_answer(200, {"processed": 0, "errors": [{"item": None, "error": "invalid JSON: %s" % e}]})
        if token != self.config.tenant_token:
            return json_answer(200, analytics.unknown_tenant(payload))
        if kind == "metrics":
            return json_answer(200, analytics.push_metrics(t, payload))
        if kind == "segment":
            return json_answer(200, analytics.push_segment(t, payload))
        return json_answer(200, analytics.push_activities(t, payload, bulk=kind == "bulk"))

    # ------------------------------------------------------------ admin

    def handle_admin(self, req):
        try:
            return self._admin(req)
        except (ValueError, FaultError) as e:
            return error_answer(400, str(e))

    def _admin(self, req):
        segs = req.segments()[1:]
        m = req.method
        body = _json_or(req.body, {}) if req.body else {}
        if segs == ["reset"] and m == "POST":
            if not isinstance(body, dict):
                raise ValueError("reset body must be a JSON object")
            self.reset(body)
            return json_answer(200, {"ok": True, **self.status()})
        if segs == ["requests"]:
            if m == "GET":
                return json_answer(200, self.log.list())
            if m == "DELETE":
                self.log.clear()
                return json_answer(200, {"ok": True})
        if segs == ["faults"]:
            if m == "POST":
                return json_answer(200, {"armed": self.faults.arm(body)})
            if m == "GET":
                return json_answer(200, self.faults.list())
            if m == "DELETE":
                self.faults.clear()
                return json_answer(200, {"ok": True})
        if segs == ["latency"]:
            if m == "POST":
                ms = body.get("ms") if isinstance(body, dict) else None
                if type(ms) is not int or ms < 0:
                    raise ValueError("ms must be a non-negative integer")
                self.latency_ms = ms
            if m in ("POST", "GET"):
                return json_answer(200, {"ms": self.latency_ms})
        if segs == ["status"] and m == "GET":
            return json_answer(200, self.status())
        if len(segs) == 2 and segs[0] == "data" and m == "GET":
            return self._admin_data(segs[1], listing.params_dict(listing.parse_query(req.query)))
        return error_answer(404, "no admin route %s %s" % (m, req.path))

    def status(self):
        with self.lock:
            counts = {name: len(c) for name, c in sorted(self.tenant.store.collections.items())}
            return {**self.dataset, "counts": counts, "latency_ms": self.latency_ms}

    def _admin_data(self, name, params):
        """Stored objects of a resource or collection, whole (no default
        projection, archived included); offset/limit/select optional."""
        with self.lock:
            res = catalog.resource(name)
            coll_name = res.collection if res else name
            if coll_name not in self.tenant.store.collections and \
                    coll_name not in catalog.COLLECTIONS + catalog.ADMIN_ONLY_COLLECTIONS:
                return error_answer(404, "unknown resource %s" % name)
            coll = self.tenant.store.coll(coll_name)
            rows = coll.rows
            if res is not None and res.scope:
                rows = [r for r in rows if in_scope(res, r)]
            offset = listing._uint(params, "offset") or 0
            limit = listing._uint(params, "limit")
            rows = rows[offset:] if limit is None else rows[offset:offset + limit]
            wanted = None
            if res is not None and res.name == "leancompanies":
                wanted = listing.LEAN_FIELDS
            if params.get("select"):
                wanted = frozenset(s for s in params["select"].split(",") if s) | {"_id"}
            return Answer(body=listing.render(rows, wanted))


def _json_body(raw):
    try:
        return jsonio.loads(raw or b"null")
    except ValueError as e:
        raise ApiError(400, "invalid JSON: %s" % e)


def _json_or(raw, default):
    try:
        return jsonio.loads(raw) if raw else default
    except ValueError:
        if default is None:
            return None
        raise ValueError("invalid JSON body")


def _basic_user(value):
    if not value or not value.lower().startswith("basic "):
        return None
    try:
        return base64.b64decode(value[6:].strip(), validate=True).decode("utf-8").partition(":")[0]
    except (binascii.Error, UnicodeDecodeError):
        return None
