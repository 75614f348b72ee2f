"""The plan behind a generated dataset: ids, which company each child row
belongs to, company names and domains, shared timestamps, custom-field values.

Everything here is a pure function of (seed, row counts), computed lazily
and cached, so the row makers (genrows.py) can build any row from its index.
"""

import calendar
import hashlib
import random
import time
import unicodedata

import names as N
from jsonio import num

NOW_TS = calendar.timegm((2025, 6, 1, 0, 0, 0))      # the dataset's "now"
START_TS = calendar.timegm((2016, 1, 1, 0, 0, 0))
DAY = 86400

SHAREABLE = {"team": {"fields": []}, "enabled": False, "euIds": [], "sunits": False}
NOTIFY_PREFS = {"enabled": [], "disabled": [], "disabledEvents": []}
EMPTY_LIST = []
EMPTY_DICT = {}
POOL = 2048                  # random templates per kind (custom objects, company bundles)
_ROW_TYPES = frozenset(("email", "url", "enduser", "endusers"))   # custom types tied to the row

_ASCII = {}


_LATIN = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae",
                        "Æ": "AE", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d", "ı": "i"})


def _ascii(s):
    """Lower-case ASCII letters and digits of s ("Zoë" -> "zoe"), memoised."""
    a = _ASCII.get(s)
    if a is None:
        t = unicodedata.normalize("NFKD", s.translate(_LATIN)).encode("ascii", "ignore").decode()
        a = _ASCII[s] = "".join(c for c in t.lower() if c.isalnum())
    return a


def _user_names(i):
    """(firstName, lastName, nickName) of team member i."""
    first = N.FIRST_NAMES[(i * 7 + 3) % len(N.FIRST_NAMES)]
    last = N.LAST_NAMES[(i * 5 + 1) % len(N.LAST_NAMES)]
    return first, last, first if i < len(N.FIRST_NAMES) else "%s%d" % (first, i)


_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PAIRS = [a + b for a in _DIGITS for b in _DIGITS]


def _base62(n, width):
    """n in base 62, zero-padded to 'width' (an even number) characters."""
    out = []
    for _ in range(width // 2):
        n, d = divmod(n, 3844)
        out.append(_PAIRS[d])
    return "".join(reversed(out))


class TimePool:
    """Shared ISO timestamp strings between START_TS and NOW_TS (sorted), so
    rows share string objects instead of each holding its own."""

    def __init__(self, rnd, size=65536):
        step = (NOW_TS - START_TS) / size
        self.iso = []
        self.ts = []
        for i in range(size):
            ts = START_TS + int(i * step + rnd.random() * step)
            self.ts.append(ts)
            self.iso.append(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))
                            + ".%03dZ" % rnd.randrange(1000))
        self.size = size
        days = (NOW_TS - START_TS) // DAY + 400
        self.midnight = [time.strftime("%Y-%m-%dT00:00:00.000Z", time.gmtime(START_TS + d * DAY))
                         for d in range(days)]
        self.start_day = START_TS // DAY

    def index(self, ts):
        i = (ts - START_TS) * self.size // (NOW_TS - START_TS)
        return min(max(i, 0), self.size - 1)

    def at(self, ts):
        return self.iso[self.index(ts)]

    def day_iso(self, day):
        i = day - self.start_day
        return self.midnight[min(max(i, 0), len(self.midnight) - 1)]


class Plan:
    def __init__(self, style, counts, seed):
        self.style = style
        self.counts = counts
        self.seed = seed
        self.times = TimePool(self.rnd("time"))
        self._ids = {}
        self._company_of = {}
        self._eus_of_company = None
        self._company_names = None
        self._domains = None
        self._user_index = None
        self._custom_pools = {}
        self._bundles = None
        self.endusers = {}           # _id -> (email, name), once end users are built

    # ------------------------------------------------------------ plumbing

    def rnd(self, name):
        return random.Random("%s/%s" % (self.seed, name))

    def n(self, res):
        return self.counts.get(res, 0)

    def ids(self, res):
        """Deterministic ObjectIds of a resource's rows (timestamp grows with
        the row index)."""
        ids = self._ids.get(res)
        if ids is None:
            n = self.n(res)
            h = hashlib.sha256(("%s/%s/ids" % (self.seed, res)).encode()).digest()
            machine = int.from_bytes(h[:5], "big")
            start = START_TS + (0 if res in ("users", "companies") else 400 * DAY)
            span = NOW_TS - 30 * DAY - start
            ids = ["%08x%010x%06x" % (start + i * span // max(n, 1), machine, i & 0xFFFFFF)
                   for i in range(n)]
            self._ids[res] = ids
        return ids

    def id_ts(self, _id):
        return int(_id[:8], 16)

    def company_of(self, res):
        """Company index of each row of a child resource (skewed: a few
        companies have many children)."""
        c = self._company_of.get(res)
        if c is None:
            nc = self.n("companies")
            r = self.rnd(res + "/company")
            if nc == 0:
                c = []
            elif res == "endusers":
                # every company gets one end user first (when there are enough)
                c = [i % nc if i < nc else int(nc * r.random() ** 2) for i in range(self.n(res))]
            else:
                c = [int(nc * r.random() ** 2) for _ in range(self.n(res))]
            self._company_of[res] = c
        return c

    def eus_of_company(self, ci):
        if self._eus_of_company is None:
            m = {}
            ids = self.ids("endusers")
            for j, c in enumerate(self.company_of("endusers")):
                lst = m.setdefault(c, [])
                if len(lst) < 6:
                    lst.append(ids[j])
            self._eus_of_company = m
        return self._eus_of_company.get(ci, EMPTY_LIST)

    def enduser_info(self, eid):
        """(email, name) of a generated end user (None, None if unknown)."""
        return self.endusers.get(eid, (None, None))

    def company_names(self):
        if self._company_names is None:
            n = self.n("companies")
            r = self.rnd("companies/names")
            if self.style == "demo":
                base = N.DEMO_COMPANIES
            elif self.style == "regress":
                base = N.REGRESS_COMPANIES
            else:
                base = []
            out = []
            memo = {}
            for i in range(n):
                if i < len(base):
                    out.append(base[i])
                elif self.style in ("regress", "demo"):
                    out.append("%s #%d" % (base[i % len(base)], i // len(base) + 1))
                else:
                    rand = r.random
                    name = "%s %s %s" % (N.PREFIXES[int(rand() * len(N.PREFIXES))],
                                         N.CORES[int(rand() * len(N.CORES))],
                                         N.SUFFIXES[int(rand() * len(N.SUFFIXES))])
                    name = name.strip()
                    out.append(memo.setdefault(name, name))      # one string per distinct name
            self._company_names = out
            doms = []
            for i, name in enumerate(out):
                slug = _ascii(name)[:18] or "company"
                doms.append("%s%s.%s" % (slug, "" if self.style != "generated" and i < len(base) else i,
                                         ("com", "io", "se", "de", "co.jp", "fr")[i % 6]))
            self._domains = doms
        return self._company_names

    def domain(self, ci):
        self.company_names()
        return self._domains[ci]

    # ------------------------------------------------------------ custom fields

    def custom_values(self, parent, r, ci=None, eu_pool=None):
        """A custom object for one row: a template drawn from a pool of
        POOL random ones (values shared between rows), with the fields that
        depend on the row's company (e-mail, url, end users) filled in."""
        templates = self._custom_pools.get(parent)
        if templates is None:
            templates = self._custom_pools[parent] = self._custom_templates(parent)
        t, local = templates[int(r.random() * len(templates))]
        if not local:
            return t
        out = dict(t)
        users = None
        for name, ftype, values in local:
            out[name] = self._custom_value(ftype, values, r, users, ci, eu_pool)
        return out

    def _custom_templates(self, parent):
        defs = N.CUSTOM_FIELDS.get(parent, ())
        users = self.ids("users")
        r = self.rnd("custom/" + parent)
        rand = r.random
        pool = []
        for _ in range(POOL):
            out = {}
            local = []
            for name, ftype, values in defs:
                x = rand()
                if x < 0.08:
                    continue                  # not set
                if x < 0.12:
                    out[name] = None
                elif ftype in _ROW_TYPES:
                    out[name] = None          # placeholder keeps the key order
                    local.append((name, ftype, values))
                else:
                    out[name] = self._custom_value(ftype, values, r, users, None, None)
            pool.append((out, tuple(local)))
        return pool

    def _custom_value(self, ftype, values, r, users, ci, eu_pool):
        rand = r.random
        if ftype == "number":
            x = rand()
            return int(x * 500) if x < 0.5 else num(round(x * 5000, 2)) if x < 0.75 else num(x * 20000 / 3)
        if ftype == "rating":
            return 1 + int(rand() * 5)
        if ftype == "text":
            return N.TEXTS[int(rand() * len(N.TEXTS))]
        if ftype == "rich text":
            return N.HTML[int(rand() * len(N.HTML))]
        if ftype == "checkbox":
            return rand() < 0.5
        if ftype == "day":
            return self.times.day_iso(START_TS // DAY + int(rand() * 3400))
        if ftype == "date":
            return self.times.iso[int(rand() * self.times.size)]
        if ftype == "list":
            return values[int(rand() * len(values))]
        if ftype == "multipicklist":
            k = int(rand() * 4)
            return [values[(int(rand() * len(values)) + j) % len(values)] for j in range(k)] \
                if k else EMPTY_LIST
        if ftype == "team member":
            return users[int(rand() * len(users))] if users else None
        if ftype == "team members":
            return [users[int(rand() * len(users))] for _ in range(int(rand() * 3))] \
                if users else EMPTY_LIST
        if ftype == "phone":
            return "+%d %03d %03d %02d %02d" % (1 + int(rand() * 98), rand() * 1000,
                                                rand() * 1000, rand() * 100, rand() * 100)
        if ftype == "email":
            return "billing%d@%s" % (int(rand() * 100), self.domain(ci) if ci is not None
                                     else "example.com")
        if ftype == "url":
            return "https://%s/account/%d" % (self.domain(ci) if ci is not None else "example.com",
                                              int(rand() * 10000))
        if ftype == "enduser":
            return eu_pool[int(rand() * len(eu_pool))] if eu_pool else None
        if ftype == "endusers":
            return eu_pool[:int(rand() * (len(eu_pool) + 1))] if eu_pool else EMPTY_LIST
        raise ValueError(ftype)

    # ------------------------------------------------------------ helpers

    def created(self, _id, r):
        """createdAt from the ObjectId, updatedAt between it and now."""
        ts = self.id_ts(_id)
        return self.times.at(ts), self.times.at(ts + int(r.random() * (NOW_TS - ts)))

    def company_ref(self, res, j):
        ci = self.company_of(res)[j]
        return ci, self.ids("companies")[ci], self.company_names()[ci]

    def user(self, r, none_rate=0.1):
        users = self.ids("users")
        if not users or r.random() < none_rate:
            return None
        return users[int(r.random() * len(users))]

    def user_name(self, uid):
        if uid is None:
            return None
        if self._user_index is None:
            self._user_index = {u: i for i, u in enumerate(self.ids("users"))}
        return _user_names(self._user_index[uid])[2]
