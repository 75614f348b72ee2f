"""Deterministic datasets.

    build(dataset, rows=None, seed=42) -> Store

Datasets:
  regress    small, every resource populated, readable (25 companies, ...)
  demo       a small realistic tenant (50 companies with nice names, ...)
  examples   exactly the documented example objects (examples.json)
  empty      nothing
  generated  row counts from 'rows' (unspecified: 0; users: 20)

'rows' ({resource: count}) overrides counts of any dataset but examples and
empty.  Every value comes from random.Random streams seeded by (seed,
resource), so the same arguments give byte-identical data.  Children
reference existing companies (and their end users); custom-field values match
the definitions in /customfields.

Nested values are shared between rows where they are equal (the store
never mutates a row in place), which keeps 1M companies in a few GB.
"""

import calendar
import hashlib
import random
import time
import unicodedata

import examples
import names as N
from catalog import RESOURCES
from jsonio import dump_bytes, num
from models import snippet
from mongo import MISSING
from store import Row, Store, shape_for

NOW_TS = calendar.timegm((2025, 6, 1, 0, 0, 0))      # the dataset's "now"
START_TS = calendar.timegm((2016, 1, 1, 0, 0, 0))
DAY = 86400

REGRESS_ROWS = {
    "companies": 25, "endusers": 60, "users": 6, "licenses": 30, "invoices": 20,
    "nps": 15, "tasks": 30, "conversations": 15, "tickets": 8, "assets": 12,
    "campaigns": 6, "churn": 5, "issues": 8, "opportunities": 10, "objectives": 8,
    "projects": 8, "sales": 12, "timeentries": 15, "timesheets": 5, "workflows": 5,
    "workspaces": 4, "dimensiondata": 40,
}
DEMO_ROWS = {
    "companies": 50, "endusers": 220, "users": 8, "licenses": 70, "invoices": 120,
    "nps": 90, "tasks": 150, "conversations": 120, "tickets": 40, "assets": 40,
    "campaigns": 10, "churn": 6, "issues": 20, "opportunities": 30, "objectives": 25,
    "projects": 20, "sales": 40, "timeentries": 100, "timesheets": 12, "workflows": 15,
    "workspaces": 10, "dimensiondata": 1500,
}
GENERATED_ROWS = {"users": 20}
DATASETS = ("regress", "demo", "examples", "empty", "generated")

# generation order: what a resource references is generated before it
ORDER = ("users", "companies", "endusers", "licenses", "sales", "invoices", "nps",
         "assets", "projects", "campaigns", "objectives", "opportunities", "churn",
         "issues", "tasks", "conversations", "tickets", "timeentries", "timesheets",
         "workflows", "workspaces", "dimensiondata")
GENERATABLE = frozenset(ORDER)

# custom fields per model: (name, type, listValues).  Companies and end users
# have every type; the other models a few.
CUSTOM_FIELDS = {
    "company": [
        ("Industry", "list", ["Software", "Retail", "Finance", "Healthcare", "Manufacturing", "Éducation"]),
        ("Segments", "multipicklist", ["SMB", "Mid-Market", "Enterprise", "Public Sector", "Startup"]),
        ("Seats", "number", []), ("# Overdue Invoices", "number", []),
        ("Health Score (%)", "number", []), ("CompanyRating", "rating", []),
        ("Account Notes", "rich text", []), ("Region Code", "text", []),
        ("Is Strategic", "checkbox", []), ("Contract Signed Day", "day", []),
        ("Last QBR", "date", []), ("Account Manager", "team member", []),
        ("Support Team", "team members", []), ("Billing Phone", "phone", []),
        ("Billing Email", "email", []), ("Main Contact", "enduser", []),
        ("Champions", "endusers", []), ("Website Link", "url", []),
    ],
    "enduser": [
        ("Department", "list", ["Sales", "Marketing", "IT", "Finance", "Operations"]),
        ("Interests", "multipicklist", ["Reporting", "API", "Mobile", "Integrations"]),
        ("Logins", "number", []), ("Satisfaction", "rating", []),
        ("Bio", "rich text", []), ("Nickname", "text", []), ("Decision Maker", "checkbox", []),
        ("Birthday", "day", []), ("Last Training", "date", []),
        ("Buddy", "team member", []), ("Coaches", "team members", []),
        ("Mobile", "phone", []), ("Private Email", "email", []),
        ("Manager", "enduser", []), ("Reports", "endusers", []), ("LinkedIn", "url", []),
    ],
    "license": [("Seats Purchased", "number", []), ("PO Number", "text", []),
                ("Auto Invoice", "checkbox", [])],
    "invoice": [("Sent", "checkbox", []), ("Sent Date", "date", []), ("Notes", "text", [])],
    "asset": [("Main Product", "multipicklist", N.PRODUCTS), ("Overall Outlet Health", "rating", [])],
    "project": [("Product", "multipicklist", ["Product A", "Product B"]), ("Week No", "number", [])],
    "task": [("HScore", "number", []), ("Priority", "list", ["Low", "Medium", "High"])],
    "issue": [("Severity", "list", ["minor", "major", "critical"])],
    "opportunity": [("Competitor", "text", []), ("Close Confidence", "rating", [])],
    "conversation": [("Sentiment", "list", ["positive", "neutral", "negative"])],
    "nps": [("Follow-up Owner", "team member", [])],
    "sale": [("Deal Type", "list", ["New", "Upsell", "Cross-sell"])],
    "churn": [("Win-back Possible", "checkbox", [])],
    "objective": [("Target Day", "day", [])],
    "campaign": [("Budget", "number", [])],
    "user": [("Office", "text", [])],
    "workspace": [("Cost Center", "text", [])],
}

SHAREABLE = {"team": {"fields": []}, "enabled": False, "euIds": [], "sunits": False}
NOTIFY_PREFS = {"enabled": [], "disabled": [], "disabledEvents": []}
EMPTY_LIST = []
EMPTY_DICT = {}


_ASCII = {}


def _ascii(s):
    """Lower-case ASCII letters and digits of s ("Zoë" -> "zoe"), memoised."""
    a = _ASCII.get(s)
    if a is None:
        t = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
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


class Generator:
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
        self._eu_email = {}

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
        defs = CUSTOM_FIELDS.get(parent, ())
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

    # ------------------------------------------------------------ resources

    def gen_customfields(self):
        r = self.rnd("customfields")
        rows = []
        order = 0
        for parent, defs in CUSTOM_FIELDS.items():
            for name, ftype, values in defs:
                rows.append((parent, name, ftype, values))
        ids = ["%08x%010x%06x" % (START_TS + 3600 * i, 0x5f87f152f5, i) for i in range(len(rows))]
        for i, (parent, name, ftype, values) in enumerate(rows):
            order += 1
            doc = {"_id": ids[i], "name": name, "type": ftype, "parent": parent,
                   "isFeatured": r.random() < 0.3, "isHidden": False, "isShared": False,
                   "isLocked": False, "isMandatory": False, "isFormula": False,
                   "treatUndefinedAsZero": ftype == "number" and r.random() < 0.5,
                   "listValues": list(values), "filter": [], "formulaRefs": [],
                   "sortOrder": order, "__v": 0}
            if ftype == "number":
                doc["numberFormat"] = "0,0.[00]"
            yield doc

    def gen_users(self, lo, hi, r):
        ids = self.ids("users")
        for i in range(lo, hi):
            first, last, nick = _user_names(i)
            created, updated = self.created(ids[i], r)
            doc = {"_id": ids[i], "firstName": first, "lastName": last, "nickName": nick,
                   "email": "%s.%s%s@planhat-tenant.com" % (_ascii(first) or "user", _ascii(last) or "x",
                                                            i if i >= 10 else ""),
                   "isHidden": False, "removed": i % 9 == 8, "inactive": i % 7 == 6,
                   "managers": [ids[0]] if i else [], "teams": [],
                   "isExposedAsSenderOption": r.random() < 0.5,
                   "image": {"path": "https://cdn.example.com/avatars/%d.png" % i} if r.random() < 0.7 else None,
                   "tzOffset": (-8, -5, 0, 1, 2, 9)[i % 6],
                   "roles": [], "notificationsEnabled": True, "dailyDigest": r.random() < 0.5,
                   "defaultMeetingLength": 30, "type": "user", "lastDailyDigest": NOW_TS // DAY - i,
                   "createDate": created, "createdAt": created, "updatedAt": updated,
                   "custom": self.custom_values("user", r), "__v": 0}
            if r.random() < 0.6:
                doc["externalId"] = "emp-%03d" % (i + 1)
            yield doc

    def _company_bundles(self):
        """POOL random combinations of the company fields that do not depend
        on the row (address, tags, health, ...): one draw per row instead of
        thirty (generation speed), values shared between rows (memory)."""
        if self._bundles is None:
            r = self.rnd("companies/bundles")
            rand = r.random
            out = []
            for k in range(POOL):
                country, cities = N.COUNTRIES[int(rand() * len(N.COUNTRIES))]
                b = {"products": N.PRODUCTS[:int(rand() * 3)] or EMPTY_LIST,
                     "tags": [N.TAGS[int(rand() * len(N.TAGS))] for _ in range(int(rand() * 3))] or EMPTY_LIST,
                     "phase": N.PHASES[int(rand() * len(N.PHASES))] if rand() < 0.9 else MISSING,
                     "status": N.STATUSES[int(rand() * len(N.STATUSES))],
                     "h": 1 + int(rand() * 10) if rand() < 0.9 else MISSING,
                     "hDiff": int(rand() * 7) - 3,
                     "csmScore": 1 + int(rand() * 5) if rand() < 0.8 else None,
                     "description": N.HTML[int(rand() * len(N.HTML))] if rand() < 0.8 else MISSING,
                     "country": country, "city": cities[int(rand() * len(cities))]}
                if rand() < 0.7:
                    b["address"] = "%d %s" % (1 + int(rand() * 200), ("Main St", "Storgatan", "Hauptstraße",
                                                                       "Rue de la Paix", "銀座通り")[k % 5])
                    b["zip"] = "%05d" % int(rand() * 99999)
                else:
                    b["address"] = b["zip"] = MISSING
                b["phonePrimary"] = "+%d %d" % (1 + k % 90, 1000000 + int(rand() * 8999999)) \
                    if rand() < 0.7 else None
                b["autoRenews"] = rand() < 0.4
                b["usage"] = {d: int(rand() * 1000) for d in N.DIMENSIONS[:int(rand() * 4)]} or EMPTY_DICT
                b["touch"] = ("note", "email", "call", "meeting")[int(rand() * 4)] if rand() < 0.7 else None
                b["nps"] = num(round(rand() * 10, 1)) if rand() < 0.6 else None
                out.append(b)
            self._bundles = out
        return self._bundles

    def gen_companies(self, lo, hi, r):
        rand = r.random
        ids = self.ids("companies")
        names = self.company_names()
        bundles = self._company_bundles()
        regress = self.style == "regress"
        special_ext = {1: "ÅNG/001", 5: "zoë's bakery", 17: "quoted \"ext\"", 18: "comma,inc",
                       19: "100% sure", 20: "plus+minus", 21: "slash/path", 24: "rocket 🚀?#&"}
        for i in range(lo, hi):
            _id = ids[i]
            b = bundles[int(rand() * POOL)]
            created, updated = self.created(_id, r)
            dom = self.domain(i)
            value = int(rand() * 600000) + 1200
            mrr = num(value / 12 if rand() < 0.7 else value / 7)
            follower = self.user(r, 0.6)
            doc = {"_id": _id, "shareable": SHAREABLE,
                   "followers": [follower] if follower else EMPTY_LIST,
                   "domains": [dom] if rand() < 0.95 else ["https://" + dom, "https://www." + dom],
                   "collaborators": EMPTY_LIST, "products": b["products"], "tags": b["tags"],
                   "lastPerformedTriggers": EMPTY_LIST, "name": names[i]}
            if regress and i in special_ext:
                doc["externalId"] = special_ext[i]
            elif rand() < 0.93:
                doc["externalId"] = "CUST-%05d" % (i + 1)
            if rand() < 0.85:
                doc["sourceId"] = "0012000001" + _base62(i * 7919 + 13, 8)
            doc["owner"] = self.user(r, 0.15)
            if rand() < 0.5:
                doc["coOwner"] = self.user(r, 0.5)
            if b["phase"] is not MISSING:
                doc["phase"] = b["phase"]
            doc["status"] = b["status"]
            if b["h"] is not MISSING:
                doc["h"] = b["h"]
                doc["hDiff"] = b["hDiff"]
                doc["hDiffDate"] = updated
            doc["csmScore"] = b["csmScore"]
            # money: some mrr null (regress: rows 3, 11, 19) or missing (regress: row 7)
            if regress and i in (3, 11, 19) or not regress and rand() < 0.05:
                doc["mrr"] = None
            elif not (regress and i == 7 or not regress and rand() < 0.03):
                doc["mrr"] = mrr
                doc["arr"] = num(mrr * 12)
                doc["renewalMrr"] = mrr
                doc["renewalArr"] = doc["arr"]
            mr = int(rand() * 20000)
            doc["mr"] = mr
            doc["nrr30"] = int(rand() * 5000)
            doc["mrrTotal"] = mrr if rand() < 0.5 else 0
            doc["nrrTotal"] = int(rand() * 100000)
            doc["mrTotal"] = mr
            if b["description"] is not MISSING:
                doc["description"] = b["description"]
            doc["country"] = b["country"]
            doc["city"] = b["city"]
            if b["address"] is not MISSING:
                doc["address"] = b["address"]
                doc["zip"] = b["zip"]
            doc["phonePrimary"] = b["phonePrimary"]
            doc["web"] = "https://" + dom
            from_day = self.id_ts(_id) // DAY + int(rand() * 200)
            to_day = from_day + 365 + int(rand() * 730)
            doc["customerFrom"] = self.times.day_iso(from_day)
            doc["customerTo"] = doc["renewalDate"] = self.times.day_iso(to_day)
            doc["renewalDaysFromNow"] = to_day - NOW_TS // DAY
            doc["autoRenews"] = b["autoRenews"]
            doc["alerts"] = doc["licenses"] = doc["sales"] = EMPTY_LIST
            doc["csmScoreLog"] = [{"date": created, "score": b["csmScore"]}] if b["csmScore"] else EMPTY_LIST
            doc["usage"] = b["usage"]
            doc["features"] = EMPTY_DICT
            doc["documents"] = doc["links"] = EMPTY_LIST
            doc["phaseSince"] = doc["createDate"] = created
            doc["lastUpdated"] = doc["updatedAt"] = updated
            t = b["touch"]
            if t is not None:
                doc["lastActive"] = doc["lastTouch"] = updated
                doc["lastTouchType"] = t
                doc["lastTouchByType"] = {t: updated}
            else:
                doc["lastTouchByType"] = EMPTY_DICT
            doc["nps"] = b["nps"]
            doc["orgCount"] = doc["orgPathCount"] = 0
            doc["custom"] = self.custom_values("company", r, i, self.eus_of_company(i))
            doc["__v"] = 0
            yield doc

    def gen_endusers(self, lo, hi, r):
        rand = r.random
        ids = self.ids("endusers")
        regress = self.style == "regress"
        for j in range(lo, hi):
            ci, cid, cname = self.company_ref("endusers", j)
            first = N.FIRST_NAMES[int(rand() * len(N.FIRST_NAMES))]
            last = N.LAST_NAMES[int(rand() * len(N.LAST_NAMES))]
            created, updated = self.created(ids[j], r)
            email = "%s.%s%d@%s" % (_ascii(first) or "user", _ascii(last) or "x", j, self.domain(ci))
            archived = (j % 15 == 14) if regress else rand() < 0.03
            doc = {"_id": ids[j], "email": email, "firstName": first, "lastName": last,
                   "name": "%s %s" % (first, last), "companyId": cid, "companyName": cname}
            if rand() < 0.8:
                doc["externalId"] = "user-%06d" % (j + 1)
            if rand() < 0.5:
                doc["sourceId"] = "0032000001" + _base62(j * 104729 + 7, 8)
            pos = N.POSITIONS[int(rand() * len(N.POSITIONS))]
            if pos is not None:
                doc["position"] = pos
            if rand() < 0.6:
                doc["phone"] = "+%d %d" % (1 + j % 90, 2000000 + int(rand() * 7999999))
            doc["tags"] = [N.TAGS[int(rand() * len(N.TAGS))]] if rand() < 0.3 else EMPTY_LIST
            doc["featured"] = rand() < 0.1
            doc["primary"] = j < self.n("companies")
            doc["archived"] = archived
            doc["otherEmails"] = EMPTY_LIST if rand() < 0.9 else ["%s@gmail.com" % _ascii(first)]
            doc["npsUnsubscribed"] = rand() < 0.05
            if rand() < 0.5:
                doc["nps"] = int(rand() * 11)
                doc["npsComment"] = N.TEXTS[int(rand() * len(N.TEXTS))]
                doc["npsDate"] = updated
            doc["beats"] = int(rand() * 300)
            doc["beatsTotal"] = doc["beats"] + int(rand() * 3000)
            doc["beatTrend"] = num(round(rand() * 2 - 1, 3))
            doc["experience"] = rand() * 10
            doc["convs14"] = int(rand() * 5)
            doc["convsTotal"] = int(rand() * 50)
            doc["relevance"] = int(rand() * 100)
            if rand() < 0.8:
                doc["lastActive"] = updated
            doc["createDate"] = created
            doc["updatedAt"] = updated
            doc["lastUpdated"] = updated
            doc["lastActivities"] = EMPTY_LIST
            doc["relatedEndusers"] = EMPTY_LIST
            doc["sharedNotificationsPrefs"] = NOTIFY_PREFS
            doc["emailMd5"] = hashlib.md5(email.encode()).hexdigest()
            doc["usage"] = {d: int(rand() * 100) for d in N.DIMENSIONS[:int(rand() * 3)]} or EMPTY_DICT
            doc["custom"] = self.custom_values("enduser", r, ci, self.eus_of_company(ci))
            doc["__v"] = 0
            yield doc

    def gen_licenses(self, lo, hi, r):
        rand = r.random
        ids = self.ids("licenses")
        for j in range(lo, hi):
            ci, cid, cname = self.company_ref("licenses", j)
            from_day = self.id_ts(ids[j]) // DAY - int(rand() * 300)
            length = (12, 12, 24, 36, 6)[int(rand() * 5)]
            fixed = rand() < 0.8
            value = (int(rand() * 900) + 10) * 100
            to_day = from_day + int(length * 30.4375)
            doc = {"_id": ids[j], "renewalStatus": ("ongoing", "renewed", "lost")[int(rand() * 3)],
                   "issues": None if rand() < 0.2 else EMPTY_LIST, "autoRenews": rand() < 0.5,
                   "noticePeriod": None, "renewalUnit": "month", "noticeUnit": None,
                   "invoicesGenerated": False, "companyId": cid, "companyName": cname,
                   "fixedPeriod": fixed, "fromDate": self.times.day_iso(from_day)}
            if fixed:
                doc["toDate"] = self.times.day_iso(to_day)
                doc["length"] = length
                doc["value"] = value
                doc["mrr"] = num(value / length)
                doc["renewalPeriod"] = length
                doc["renewalDate"] = doc["toDate"]
                doc["renewalDaysFromNow"] = to_day - NOW_TS // DAY
                doc["isOverdue"] = False
            else:
                doc["mrr"] = num(value / 12)
            doc["arr"] = num(doc["mrr"] * 12)
            doc["product"] = N.PRODUCTS[int(rand() * len(N.PRODUCTS))] if rand() < 0.9 else ""
            doc["_currency"] = N.CURRENCIES[int(rand() * len(N.CURRENCIES))]
            doc["invoiceCycle"] = ("monthly", "quarterly", "yearly", "once")[int(rand() * 4)]
            doc["invoiceCycleInterval"] = 0
            doc["toDateIncluded"] = False
            doc["salesDate"] = self.times.at(from_day * DAY)
            if rand() < 0.6:
                doc["externalId"] = "LIC-%05d" % (j + 1)
            if rand() < 0.6:
                doc["sourceId"] = "0060O00000" + _base62(j * 31 + 5, 8)
            doc["custom"] = self.custom_values("license", r)
            doc["__v"] = 0
            yield doc

    def gen_sales(self, lo, hi, r):
        ids = self.ids("sales")
        for j in range(lo, hi):
            ci, cid, cname = self.company_ref("sales", j)
            doc = {"_id": ids[j], "value": (int(r.random() * 500) + 1) * 100,
                   "product": N.PRODUCTS[int(r.random() * len(N.PRODUCTS))],
                   "_currency": N.CURRENCIES[int(r.random() * len(N.CURRENCIES))],
                   "salesDate": self.times.day_iso(self.id_ts(ids[j]) // DAY),
                   "companyId": cid, "companyName": cname}
            if r.random() < 0.6:
                doc["externalId"] = "sale-%d" % (1000 + j)
            doc["custom"] = self.custom_values("sale", r)
            doc["__v"] = 0
            yield doc

    def gen_invoices(self, lo, hi, r):
        rand = r.random
        ids = self.ids("invoices")
        lic_ids = self.ids("licenses")
        for j in range(lo, hi):
            ci, cid, cname = self.company_ref("invoices", j)
            inv_day = self.id_ts(ids[j]) // DAY
            amount = num((int(rand() * 5000) + 1) * 48.75)
            status = ("paid", "pending", "overdue")[int(rand() * 3)]
            items = [{"_id": "%s%06x" % (ids[j][:18], (j * 4 + k + 1) & 0xFFFFFF),
                      "licenseId": lic_ids[int(rand() * len(lic_ids))] if lic_ids else None,
                      "product": "License Fee", "amount": num(amount / (k + 1)),
                      "dateFrom": inv_day, "dateTo": inv_day + 364} for k in range(1 + int(rand() * 2))]
            total = num(sum(li["amount"] for li in items))
            doc = {"_id": ids[j], "invoiceNo": j + 1,
                   "amountDue": 0 if status == "paid" else total,
                   "amountPaid": total if status == "paid" else 0,
                   "emails": EMPTY_LIST, "status": status, "cId": cid, "cName": cname,
                   "invoiceDate": inv_day, "dueDate": inv_day + 30,
                   "currency": N.CURRENCIES[int(rand() * len(N.CURRENCIES))],
                   "lineItems": items}
            if status == "paid":
                doc["paidDate"] = inv_day + int(rand() * 40)
            if rand() < 0.5:
                doc["extId"] = "INV-%06d" % (j + 1)
            doc["invoiceCycle"] = ("once", "monthly", "yearly")[int(rand() * 3)]
            doc["custom"] = self.custom_values("invoice", r)
            created, updated = self.created(ids[j], r)
            doc["updatedAt"] = updated
            doc["comments"] = EMPTY_LIST
            doc["amountTotal"] = total
            doc["lastUpdated"] = updated
            doc["__v"] = 0
            yield doc

    def gen_nps(self, lo, hi, r):
        ids = self.ids("nps")
        eu_ids = self.ids("endusers")
        eu_comp = self.company_of("endusers")
        cids = self.ids("companies")
        campaigns = self.ids("campaigns")
        for j in range(lo, hi):
            doc = {"_id": ids[j]}
            if eu_ids:
                k = int(r.random() * len(eu_ids))
                doc["cId"] = cids[eu_comp[k]]
                doc["euId"] = eu_ids[k]
                doc["email"] = self._eu_email.get(eu_ids[k])
            doc["score"] = int(r.random() * 11)
            if r.random() < 0.6:
                doc["comment"] = N.TEXTS[int(r.random() * len(N.TEXTS))]
            if campaigns:
                doc["campaignId"] = campaigns[int(r.random() * len(campaigns))]
            created, updated = self.created(ids[j], r)
            doc["dateSent"] = created
            doc["dateAnswered"] = updated if r.random() < 0.9 else None
            doc["source"] = ("email", "in-app", "sms")[int(r.random() * 3)]
            doc["custom"] = self.custom_values("nps", r)
            doc["__v"] = 0
            yield doc

    def _simple_child(self, res, j, r, extra):
        ci, cid, cname = self.company_ref(res, j)
        doc = {"_id": self.ids(res)[j], "companyId": cid, "companyName": cname}
        doc.update(extra)
        return doc

    def gen_assets(self, lo, hi, r):
        for j in range(lo, hi):
            owner = self.user(r, 0.3)
            created, updated = self.created(self.ids("assets")[j], r)
            doc = self._simple_child("assets", j, r, {
                "name": N.ASSET_NAMES[j % len(N.ASSET_NAMES)] + ("" if j < len(N.ASSET_NAMES) else " %d" % j),
                "serialNumber": "SN-%08d" % (j * 37 + 11), "value": num(round(r.random() * 10000, 2)),
                "_currency": "USD", "installDate": created, "status": ("active", "inactive")[j % 2],
                "ownerId": owner, "ownerName": self.user_name(owner),
                "usage": {d: int(r.random() * 50) for d in N.DIMENSIONS[:2]},
                "followers": EMPTY_LIST, "createdAt": created, "updatedAt": updated})
            if r.random() < 0.7:
                doc["externalId"] = "%d" % (4467 + j)
            doc["custom"] = self.custom_values("asset", r)
            doc["__v"] = 0
            yield doc

    def gen_projects(self, lo, hi, r):
        for j in range(lo, hi):
            start = self.id_ts(self.ids("projects")[j])
            doc = self._simple_child("projects", j, r, {
                "name": N.PROJECT_NAMES[j % len(N.PROJECT_NAMES)],
                "startDate": self.times.at(start),
                "endDate": self.times.at(start + int(r.random() * 200) * DAY) if r.random() < 0.7 else None,
                "currency": "USD", "mrr": int(r.random() * 3000), "arr": None})
            doc["arr"] = doc["mrr"] * 12
            if r.random() < 0.5:
                doc["externalId"] = "PRJ-%d" % j
            doc["custom"] = self.custom_values("project", r)
            doc["__v"] = 0
            yield doc

    def gen_campaigns(self, lo, hi, r):
        for j in range(lo, hi):
            doc = self._simple_child("campaigns", j, r, {
                "name": N.CAMPAIGN_NAMES[j % len(N.CAMPAIGN_NAMES)],
                "campaignPurpose": ("upsell", "nps", "onboarding")[j % 3]})
            if r.random() < 0.6:
                doc["externalId"] = "%d" % (1234 + j)
            doc["custom"] = self.custom_values("campaign", r)
            doc["__v"] = 0
            yield doc

    def gen_objectives(self, lo, hi, r):
        for j in range(lo, hi):
            doc = self._simple_child("objectives", j, r, {
                "name": N.OBJECTIVE_NAMES[j % len(N.OBJECTIVE_NAMES)],
                "health": int(r.random() * 10) if r.random() < 0.8 else None})
            if r.random() < 0.5:
                doc["externalId"] = "OBJ-%d" % j
            doc["custom"] = self.custom_values("objective", r)
            doc["__v"] = 0
            yield doc

    def gen_opportunities(self, lo, hi, r):
        for j in range(lo, hi):
            created, updated = self.created(self.ids("opportunities")[j], r)
            mrr = num(int(r.random() * 5000) / 3)
            stage = N.SALES_STAGES[int(r.random() * len(N.SALES_STAGES))]
            doc = self._simple_child("opportunities", j, r, {
                "title": "Opportunity %d" % (j + 1), "salesStage": stage,
                "status": "won" if stage == "Closed Won" else "lost" if stage == "Closed Lost" else "active",
                "dealDate": created, "closeDate": updated if r.random() < 0.5 else None,
                "_currency": "EUR", "ownerId": self.user(r), "mrr": mrr, "arr": num(mrr * 12),
                "contractLength": 12, "probability": num(round(r.random(), 2)),
                "stageHistory": [{"stage": stage, "to": updated}], "comments": EMPTY_LIST})
            doc["custom"] = self.custom_values("opportunity", r) if r.random() < 0.8 else None
            doc["__v"] = 0
            yield doc

    def gen_churn(self, lo, hi, r):
        for j in range(lo, hi):
            created, updated = self.created(self.ids("churn")[j], r)
            value = int(r.random() * 5000)
            doc = self._simple_child("churn", j, r, {
                "churnDate": created, "value": value, "arr": value * 12, "currency": "USD",
                "reasons": [N.CHURN_REASONS[j % len(N.CHURN_REASONS)]],
                "products": [N.PRODUCTS[j % len(N.PRODUCTS)]],
                "onlyDowngrade": r.random() < 0.3, "snoozed": False,
                "comment": {"text": N.TEXTS[j % len(N.TEXTS)]} if r.random() < 0.5 else None,
                "description": N.HTML[j % len(N.HTML)],
                "createdAt": created, "updatedAt": updated})
            doc["custom"] = self.custom_values("churn", r)
            doc["__v"] = 0
            yield doc

    def gen_issues(self, lo, hi, r):
        ids = self.ids("issues")
        cids = self.ids("companies")
        names = self.company_names()
        for j in range(lo, hi):
            comps = sorted({self.company_of("issues")[j]} |
                           ({int(r.random() * len(cids))} if r.random() < 0.3 else set()))
            eus = [e for c in comps for e in self.eus_of_company(c)[:1]]
            created, updated = self.created(ids[j], r)
            doc = {"_id": ids[j], "companyMatchingValue": EMPTY_LIST,
                   "companyIds": [cids[c] for c in comps], "enduserIds": eus,
                   "conversationIds": EMPTY_LIST, "archived": r.random() < 0.1,
                   "title": N.ISSUE_TITLES[j % len(N.ISSUE_TITLES)],
                   "description": N.TEXTS[j % len(N.TEXTS)],
                   "status": ("Open", "In progress", "Closed")[int(r.random() * 3)],
                   "priority": ("low", "medium", "high")[int(r.random() * 3)],
                   "companies": [{"id": cids[c], "name": names[c]} for c in comps],
                   "endusers": [{"id": e, "name": None} for e in eus],
                   "createdAt": created, "updatedAt": updated}
            if r.random() < 0.5:
                doc["sourceId"] = "JIRA-%d" % (100 + j)
            doc["custom"] = self.custom_values("issue", r)
            doc["__v"] = 0
            yield doc

    def gen_tasks(self, lo, hi, r):
        rand = r.random
        ids = self.ids("tasks")
        regress = self.style == "regress"
        for j in range(lo, hi):
            ci, cid, cname = self.company_ref("tasks", j)
            created, updated = self.created(ids[j], r)
            owner = self.user(r, 0.05)
            desc = N.HTML[int(rand() * len(N.HTML))] if rand() < 0.6 else ""
            doc = {"_id": ids[j], "mainType": "event" if rand() < 0.2 else "task",
                   "noSpecificTime": rand() < 0.7, "shared": rand() < 0.2,
                   "overdueNotified": False, "activityTags": EMPTY_LIST,
                   "isArchived": (j % 10 == 9) if regress else rand() < 0.05,
                   "companyId": cid, "companyName": cname,
                   "action": N.TASK_ACTIONS[int(rand() * len(N.TASK_ACTIONS))],
                   "description": desc, "snippet": snippet(desc),
                   "status": ("In-progress", "Done", "Not started", None)[int(rand() * 4)],
                   "startTime": self.times.at(self.id_ts(ids[j]) + 3 * DAY) if rand() < 0.8 else None,
                   "repeat": ("daily", "weekly", None, None)[int(rand() * 4)],
                   "ownerId": owner, "ownerName": self.user_name(owner),
                   "endusers": self.eus_of_company(ci)[:int(rand() * 3)] or EMPTY_LIST,
                   "users": EMPTY_LIST, "children": EMPTY_LIST, "comments": EMPTY_LIST,
                   "checklist": [{"title": t} for t in ("A", "B", "C")[:int(rand() * 4)]] or EMPTY_LIST,
                   "createdAt": created, "updatedAt": updated}
            if rand() < 0.4:
                doc["sourceId"] = "sfdc-%d" % (1234 + j)
            if rand() < 0.3 and self.n("workflows"):
                w = int(rand() * self.n("workflows"))
                doc["workflowId"] = self.ids("workflows")[w]
                doc["workflowName"] = N.WORKFLOW_NAMES[w % len(N.WORKFLOW_NAMES)]
            doc["custom"] = self.custom_values("task", r)
            doc["__v"] = 0
            yield doc

    def _conversation(self, res, j, r, ticket):
        ids = self.ids(res)
        ci, cid, cname = self.company_ref(res, j)
        created, updated = self.created(ids[j], r)
        ts = self.times.ts[self.times.index(self.id_ts(ids[j]))]      # the instant of 'created'
        day = ts // DAY
        tm = time.gmtime(ts)
        eus = self.eus_of_company(ci)[:1 + int(r.random() * 2)]
        owner = self.user(r, 0.2)
        desc = N.HTML[int(r.random() * len(N.HTML))]
        doc = {"_id": ids[j], "starred": r.random() < 0.1, "pinned": False,
               "autoTags": EMPTY_LIST, "activityTags": EMPTY_LIST, "emailTemplateIds": EMPTY_LIST,
               "isOpen": ticket and r.random() < 0.5, "tags": EMPTY_LIST,
               "waitsToBeFiltered": False,
               "timeBucket": ["%d" % tm.tm_year, "%d-Q%d" % (tm.tm_year, (tm.tm_mon - 1) // 3 + 1),
                              "%d-%02d" % (tm.tm_year, tm.tm_mon),
                              "%s-W%d" % (time.strftime("%G", tm), int(time.strftime("%V", tm)))],
               "archived": False,
               "users": [{"id": owner, "name": self.user_name(owner), "isOwner": True}] if owner else EMPTY_LIST,
               "date": created, "type": "ticket" if ticket else ("note", "call", "email", "meeting")[j % 4],
               "companyId": cid, "companyName": cname,
               "subject": (N.TICKET_TITLES if ticket else N.CONVERSATION_SUBJECTS)[j % 8],
               "description": desc, "snippet": snippet(desc),
               "endusers": [{"id": e, "name": None} for e in eus],
               "createDate": created, "days": day, "sender": EMPTY_LIST, "history": EMPTY_LIST,
               "followers": EMPTY_LIST, "createdAt": created, "updatedAt": updated}
        if ticket:
            doc["sourceId"] = "zd-%d" % (50000 + j)
            doc["email"] = self._eu_email.get(eus[0]) if eus else "someone@%s" % self.domain(ci)
            doc["status"] = ("open", "pending", "solved", "closed")[int(r.random() * 4)]
            doc["title"] = doc["subject"]
            doc["severity"] = ("low", "normal", "high", "urgent")[int(r.random() * 4)]
            doc["timeSpent"] = int(r.random() * 240)
            doc["source"] = "zendesk"
            doc["inDate"] = created
        else:
            if r.random() < 0.3:
                doc["externalId"] = "conv-%d" % j
            doc["owner"] = owner
        doc["custom"] = self.custom_values("conversation", r)
        doc["__v"] = 0
        return doc

    def gen_conversations(self, lo, hi, r):
        for j in range(lo, hi):
            yield self._conversation("conversations", j, r, False)

    def gen_tickets(self, lo, hi, r):
        for j in range(lo, hi):
            yield self._conversation("tickets", j, r, True)

    def gen_timeentries(self, lo, hi, r):
        for j in range(lo, hi):
            created, updated = self.created(self.ids("timeentries")[j], r)
            hours = (0.5, 1, 1.5, 2, 4, 7.5, 8)[int(r.random() * 7)]
            billable = r.random() < 0.6
            doc = self._simple_child("timeentries", j, r, {
                "date": self.times.day_iso(self.id_ts(self.ids("timeentries")[j]) // DAY),
                "hours": hours, "isTimeOff": False, "isBillable": billable,
                "description": N.TASK_ACTIONS[j % len(N.TASK_ACTIONS)],
                "billingCode": "BC-%02d" % (j % 7), "currency": "USD",
                "billableRate": 150, "costRate": 62.5,
                "totalBilled": num(hours * 150) if billable else 0, "totalCost": num(hours * 62.5),
                "timesheetStatus": ("draft", "submitted", "approved")[j % 3],
                "assignedModel": "User", "assignedId": self.user(r, 0),
                "path": EMPTY_LIST, "createdAt": created, "updatedAt": updated, "__v": 0})
            yield doc

    def gen_timesheets(self, lo, hi, r):
        ids = self.ids("timesheets")
        te = self.ids("timeentries")
        for j in range(lo, hi):
            created, updated = self.created(ids[j], r)
            start = self.id_ts(ids[j]) // DAY
            start -= (start + 3) % 7          # a Monday
            status = ("submitted", "approved", "returned")[j % 3]
            doc = {"_id": ids[j], "status": status,
                   "timeEntries": te[j * 3:j * 3 + 3] or EMPTY_LIST,
                   "dateFrom": start, "dateTo": start + 6,
                   "assignedModel": "User", "assignedId": self.user(r, 0),
                   "createdAt": created, "updatedAt": updated, "__v": 0}
            if status == "approved":
                doc["approvedBy"] = self.user(r, 0)
                doc["dateOfApproval"] = updated
            yield doc

    def gen_workflows(self, lo, hi, r):
        for j in range(lo, hi):
            created, updated = self.created(self.ids("workflows")[j], r)
            doc = self._simple_child("workflows", j, r, {
                "name": N.WORKFLOW_NAMES[j % len(N.WORKFLOW_NAMES)], "type": "playbook",
                "status": ("active", "completed")[j % 2], "owner": self.user(r, 0),
                "templateId": {"_id": "5f317715d2b1cc0ebb619b%02x" % (j % 256),
                               "name": N.WORKFLOW_NAMES[j % len(N.WORKFLOW_NAMES)]},
                "targetModel": "Company", "startDate": created,
                "expectedEndDate": updated, "percentDone": num(round(r.random() * 100, 1)),
                "expectedDays": 30, "actualDays": int(r.random() * 40),
                "openRate": r.random(), "clickRate": r.random() / 2,
                "isArchived": False, "createdAt": created, "updatedAt": updated,
                "custom": EMPTY_DICT})
            doc["targetId"] = doc["companyId"]
            doc["targetName"] = doc["companyName"]
            yield doc

    def gen_workspaces(self, lo, hi, r):
        for j in range(lo, hi):
            created, updated = self.created(self.ids("workspaces")[j], r)
            doc = self._simple_child("workspaces", j, r, {
                "name": N.WORKSPACE_NAMES[j % len(N.WORKSPACE_NAMES)],
                "createdAt": created, "updatedAt": updated,
                "custom": self.custom_values("workspace", r), "__v": 0})
            if r.random() < 0.5:
                doc["externalId"] = "ws-%d" % j
            yield doc

    def gen_dimensiondata(self, lo, hi, r):
        ids = self.ids("dimensiondata")
        cids = self.ids("companies")
        names = self.company_names()
        if not cids:
            return
        days = max(1, self.n("dimensiondata") // max(1, min(len(cids), 20)))
        for j in range(lo, hi):
            ci = j // days % len(cids)
            day = NOW_TS // DAY - days + j % days
            iso = self.times.day_iso(day)
            yield {"_id": ids[j], "dimensionId": N.DIMENSIONS[j % len(N.DIMENSIONS)],
                   "value": int(r.random() * 500) if r.random() < 0.8 else num(r.random() * 100),
                   "time": iso, "date": iso, "day": day, "model": "Company",
                   "parentId": cids[ci], "companyId": cids[ci], "companyName": names[ci]}

    # ------------------------------------------------------------ driver

    def run(self):
        store = Store()
        coll = store.coll("customfields")
        for seq, doc in enumerate(self.gen_customfields()):
            coll.append_row(Row(doc, seq))
        for res in ORDER:
            coll = store.coll(RESOURCES[res].collection)
            seq = coll.next_seq
            for parts in self._chunks(res):
                for keys, values, blob in parts:
                    coll.append_row(Row.from_parts(keys, values, blob, seq))
                    seq += 1
            if res == "endusers":
                self._eu_email = {r.get("_id"): r.get("email") for r in coll.rows}
        return store

    def chunk(self, res, lo, hi):
        """Rows lo..hi-1 of a resource as (keys, values, JSON bytes).  Each
        chunk of CHUNK rows has its own random stream, so the data does not
        depend on how many processes generate it."""
        r = self.rnd("%s/%d" % (res, lo // CHUNK))
        out = []
        for doc in getattr(self, "gen_" + res)(lo, hi, r):
            out.append((shape_for(tuple(doc)).keys, tuple(doc.values()), dump_bytes(doc)))
        return out

    def _chunks(self, res):
        n = self.n(res)
        for lo in range(0, n, CHUNK):
            yield self.chunk(res, lo, min(lo + CHUNK, n))


POOL = 2048                                   # custom-object templates per model
_ROW_TYPES = frozenset(("email", "url", "enduser", "endusers"))
CHUNK = 10000


def parse_rows(spec):
    """'companies=100,endusers=300' -> {"companies": 100, "endusers": 300}."""
    out = {}
    if not spec:
        return out
    items = spec.items() if isinstance(spec, dict) else (
        p.split("=", 1) for p in spec.split(",") if p.strip())
    for item in items:
        if len(item) != 2:
            raise ValueError("rows: expected resource=count, got %r" % "=".join(item))
        name, count = item[0].strip(), item[1]
        if name not in GENERATABLE:
            raise ValueError("rows: unknown resource %r (one of %s)" % (name, ", ".join(sorted(GENERATABLE))))
        try:
            count = int(count)
        except (TypeError, ValueError):
            raise ValueError("rows: %s count must be an integer" % name)
        if count < 0:
            raise ValueError("rows: %s count must not be negative" % name)
        out[name] = count
    return out


def counts_for(dataset, rows=None):
    """Row counts of a dataset (ValueError when the arguments are wrong)."""
    rows = parse_rows(rows)
    if dataset not in DATASETS:
        raise ValueError("unknown dataset %r (one of %s)" % (dataset, ", ".join(DATASETS)))
    base = {"regress": REGRESS_ROWS, "demo": DEMO_ROWS, "generated": GENERATED_ROWS}.get(dataset, {})
    counts = dict(base)
    counts.update(rows)
    if counts.get("companies", 0) == 0 and any(
            counts.get(r, 0) for r in ORDER if r not in ("users", "companies", "timesheets")):
        raise ValueError("rows: child resources need companies > 0")
    return counts


def build(dataset, rows=None, seed=42):
    counts = counts_for(dataset, rows)
    if type(seed) is not int:
        raise ValueError("seed must be an integer")
    if dataset == "empty":
        return Store()
    if dataset == "examples":
        store = Store()
        for name, docs in examples.load().items():
            coll = store.coll(name)
            for seq, doc in enumerate(docs):
                coll.append_row(Row(doc, seq))
        return store
    return Generator(dataset, counts, seed).run()
