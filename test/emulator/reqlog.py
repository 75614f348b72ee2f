"""The request log (GET /__emulator/requests).

Secrets never enter it: the Authorization header is reduced to its scheme
("Bearer <redacted>") and every configured token is replaced by
"<redacted>" wherever else it might appear (query, path, other headers,
body).
"""

import threading
import time

REDACTED = "<redacted>"
MAX_ENTRIES = 100000
MAX_BODY = 4 * 1024 * 1024


def redact_authorization(value):
    scheme, _, rest = value.strip().partition(" ")
    if rest:
        return "%s %s" % (scheme, REDACTED)
    return REDACTED


class RequestLog:
    def __init__(self, secrets=()):
        self.secrets = [s for s in secrets if s]
        self.lock = threading.Lock()
        self.entries = []
        self.seq = 0

    def scrub(self, text):
        if text is None:
            return None
        for s in self.secrets:
            if s in text:
                text = text.replace(s, REDACTED)
        return text

    def add(self, method, path, query, params, headers, auth, body, status, fault=None,
            received=None):
        s = self.scrub
        hdrs = {}
        for name, value in headers:
            value = redact_authorization(value) if name.lower() == "authorization" else s(value)
            hdrs[name] = "%s, %s" % (hdrs[name], value) if name in hdrs else value
        text = None
        truncated = False
        if body:
            if len(body) > MAX_BODY:
                body, truncated = body[:MAX_BODY], True
            text = s(body.decode("utf-8", errors="replace"))
        with self.lock:
            self.seq += 1
            entry = {"seq": self.seq, "method": method, "path": s(path), "query": s(query),
                     "params": [[s(k), s(v)] for k, v in params], "headers": hdrs,
                     "auth": auth, "body": text, "status": status,
                     "time": time.time() if received is None else received}
            if truncated:
                entry["body_truncated"] = True
            if fault:
                entry["fault"] = fault
            self.entries.append(entry)
            if len(self.entries) > MAX_ENTRIES:
                del self.entries[:len(self.entries) - MAX_ENTRIES]

    def list(self):
        with self.lock:
            return list(self.entries)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.seq = 0
