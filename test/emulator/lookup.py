"""Finding rows: path keys, company references, e-mail domains; the API error."""

import re

_HEX24 = re.compile(r"^[0-9a-fA-F]{24}$")


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def bad(message):
    return ApiError(400, message)


def in_scope(res, row):
    return res.scope is None or row.get(res.scope[0]) == res.scope[1]


def find_by_key(tenant, res, key):
    """The row for a path key: 24-hex _id, extid-<externalId>, srcid-<sourceId>."""
    coll = tenant.store.coll(res.collection)
    if key.startswith("extid-"):
        rows = coll.find(res.extid_field, key[6:])
    elif key.startswith("srcid-"):
        rows = coll.find("sourceId", key[6:])
    else:
        rows = coll.find("_id", key.lower() if _HEX24.match(key) else key)
    for row in rows:
        if in_scope(res, row):
            return row
    return None


def find_company(tenant, ref):
    """A company row from an _id, "extid-..." or "srcid-..." reference."""
    if not isinstance(ref, str) or not ref:
        return None
    companies = tenant.store.coll("companies")
    if ref.startswith("extid-"):
        rows = companies.find("externalId", ref[6:])
    elif ref.startswith("srcid-"):
        rows = companies.find("sourceId", ref[6:])
    else:
        rows = companies.find("_id", ref.lower() if _HEX24.match(ref) else ref)
    return rows[0] if rows else None


def company_by_domain(tenant, email):
    """The first company whose domains include the e-mail's domain."""
    if not isinstance(email, str) or "@" not in email:
        return None
    return company_by_domain_name(tenant, email.rsplit("@", 1)[1])


def company_by_domain_name(tenant, domain):
    """The first company with this domain ("https://www.x.com" matches "x.com")."""
    domain = _bare_domain(domain)
    coll = tenant.store.coll("companies")
    cached = coll.derived.get("domains")
    if cached is None or cached[0] != coll.version:
        index = {}
        for row in coll.rows:
            for d in row.get("domains", None) or ():
                if isinstance(d, str):
                    index.setdefault(_bare_domain(d), row)
        cached = coll.derived["domains"] = (coll.version, index)
    return cached[1].get(domain) if domain else None


def _bare_domain(d):
    d = d.strip().lower()
    d = re.sub(r"^[a-z]+://", "", d)
    d = d.split("/", 1)[0]
    return d[4:] if d.startswith("www.") else d
