#!/usr/bin/env python3
"""Generate docs/resources.md from the resource catalog in src/resource.c.

    python3 test/tools/gen_resources_md.py            # rewrite docs/resources.md
    python3 test/tools/gen_resources_md.py --check    # exit 1 if it is stale

The catalog is the single source of truth; this script only reads it.  It
also lints the catalog and refuses to write the document when a rule is
broken (clashing column names, a filter on an undeclared field, a keyable
without its field, resources out of order, ...), so running it after every
edit of resource.c keeps both files honest.

Python 3 standard library only.
"""

import argparse
import difflib
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SRC = os.path.join(ROOT, "src", "resource.c")
DOC = os.path.join(ROOT, "docs", "resources.md")

# Flag values from src/planhat_fdw.h (kept in step by lint: unknown names fail)
CONSTANTS = {
    "PH_VERB_LIST": 0x0001,
    "PH_VERB_GET": 0x0002,
    "PH_VERB_CREATE": 0x0004,
    "PH_VERB_UPDATE": 0x0008,
    "PH_VERB_DELETE": 0x0010,
    "PH_VERB_BULK": 0x0020,
    "PH_VERB_PUSH": 0x0040,
    "PH_KEY_EXTID": 0x0001,
    "PH_KEY_SRCID": 0x0002,
    "PH_KEY_EXTID_UNIQUE": 0x0004,
    "PH_FIELD_REQUIRED": 0x0001,
    "PH_FIELD_AUTO": 0x0002,
    "REQ": 0x0001,
    "AUTO": 0x0002,
}
CONSTANTS["VERBS_ALL"] = (CONSTANTS["PH_VERB_LIST"] | CONSTANTS["PH_VERB_GET"]
                          | CONSTANTS["PH_VERB_CREATE"] | CONSTANTS["PH_VERB_UPDATE"]
                          | CONSTANTS["PH_VERB_DELETE"] | CONSTANTS["PH_VERB_BULK"])
CONSTANTS["VERBS_NEW"] = (CONSTANTS["PH_VERB_LIST"] | CONSTANTS["PH_VERB_CREATE"]
                          | CONSTANTS["PH_VERB_BULK"])
# PlanhatResource.flags
RES_FLAGS = {
    "PH_RES_DEFAULT_PROJECTION": 0x0001,
    "PH_RES_PER_TENANT": 0x0002,
}
CONSTANTS.update(RES_FLAGS)

SQL_TYPES = {
    "PH_TYPE_TEXT": "text",
    "PH_TYPE_NUMERIC": "numeric",
    "PH_TYPE_INTEGER": "integer",
    "PH_TYPE_BIGINT": "bigint",
    "PH_TYPE_BOOLEAN": "boolean",
    "PH_TYPE_TIMESTAMPTZ": "timestamptz",
    "PH_TYPE_DAY": "date",
    "PH_TYPE_TEXT_ARRAY": "text[]",
    "PH_TYPE_JSONB": "jsonb",
}

# PostgreSQL 15 keywords that cannot be a column name unquoted
# (RESERVED_KEYWORD and TYPE_FUNC_NAME_KEYWORD in parser/kwlist.h)
RESERVED = set("""
all analyse analyze and any array as asc asymmetric authorization binary both case cast check
collate collation column concurrently constraint create cross current_catalog current_date
current_role current_schema current_time current_timestamp current_user default deferrable desc
distinct do else end except false fetch for foreign freeze from full grant group having ilike in
initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
references returning right select session_user similar some symmetric table tablesample then to
trailing true union unique user using variadic verbose when where window with
""".split())


class CatalogError(Exception):
    pass


def field_to_column(field):
    """planhat_field_to_column() in src/option.c, line for line: "_id" -> id;
    aB -> a_b, 3B -> 3_b, ABc -> a_bc; other characters -> "_" (collapsed,
    none leading or trailing); lower case; "f_" before a leading digit."""
    if field == "_id":
        return "id"
    buf = ""
    for i, c in enumerate(field):
        if c.isascii() and c.isalnum():
            if c.isupper() and buf and buf[-1] != "_":
                prev = field[i - 1]
                nxt = field[i + 1] if i + 1 < len(field) else ""
                if prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower()):
                    buf += "_"
            buf += c.lower()
        elif buf and buf[-1] != "_":
            buf += "_"
    buf = buf.rstrip("_") or "field"
    if buf[0].isdigit():
        buf = "f_" + buf
    return buf


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def c_value(expr):
    expr = expr.strip()
    if expr == "NULL":
        return None
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', expr)
    if m:
        return m.group(1)
    if re.fullmatch(r"-?\d+", expr):
        return int(expr)
    if expr in ("PH_HOST_API", "PH_HOST_ANALYTICS"):
        return expr
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", expr) and expr not in CONSTANTS:
        return expr                     # an array name
    py = expr
    for tok in set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr)):
        if tok not in CONSTANTS:
            raise CatalogError("unknown constant %s in %r" % (tok, expr))
        py = re.sub(r"\b%s\b" % tok, str(CONSTANTS[tok]), py)
    return eval(py, {"__builtins__": {}})   # only digits and | & ~ ( ) remain


def parse(src):
    fields = {}
    for m in re.finditer(r"static const PlanhatField (\w+)\[\] = \{\n(.*?)\n\};", src, re.S):
        rows = []
        for line in m.group(2).split("\n"):
            fm = re.match(r'\s*\{"([^"]+)", (PH_TYPE_\w+)(?:, (\w+))?(?:, "([^"]+)")?\},'
                          r'\s*(?:/\*\s*(.*?)\s*\*/)?\s*$', line)
            if fm:
                flags = c_value(fm.group(3)) if fm.group(3) else 0
                rows.append({"name": fm.group(1), "type": fm.group(2), "flags": flags,
                             "column": fm.group(4), "note": fm.group(5) or ""})
            elif re.match(r"\s*\{NULL\}", line):
                break
            elif re.match(r'\s*\{"', line):
                raise CatalogError("%s: cannot parse field row: %s" % (m.group(1), line.strip()))
        fields[m.group(1)] = rows

    filters = {}
    for m in re.finditer(r"static const PlanhatFilter (\w+)\[\] = \{\n(.*?)\n\};", src, re.S):
        rows = []
        for fm in re.finditer(r'\{"([^"]+)", "([^"]+)", (NULL|"[^"]+"), (PH_FILTER_\w+), (true|false)(?:, PH_VALUES_\w+)?\}',
                              strip_comments(m.group(2))):
            rows.append({"field": fm.group(1), "param": fm.group(2), "param2": c_value(fm.group(3)),
                         "kind": fm.group(4), "exact": fm.group(5) == "true"})
        filters[m.group(1)] = rows

    tm = re.search(r"static const PlanhatResource planhat_resources\[\] = \{\n(.*?)\n\};", src, re.S)
    if not tm:
        raise CatalogError("planhat_resources[] not found")
    resources = []
    for block in re.findall(r"\{\s*(\.name.*?)\},?\s*(?=\{|$)", strip_comments(tm.group(1)), re.S):
        res = {}
        for am in re.finditer(r"\.(\w+)\s*=\s*(.*?),\s*\n", block + "\n"):
            res[am.group(1)] = c_value(am.group(2))
        for key in ("name", "path", "host", "verbs", "default_limit", "max_limit", "keyables",
                    "external_id_field", "custom_parent", "description", "filters", "fields"):
            if key not in res:
                raise CatalogError("resource %r lacks .%s" % (res.get("name"), key))
        if res["fields"] not in fields:
            raise CatalogError("%s: unknown fields array %s" % (res["name"], res["fields"]))
        if res["filters"] not in filters:
            raise CatalogError("%s: unknown filters array %s" % (res["name"], res["filters"]))
        res["field_rows"] = fields[res["fields"]]
        res["filter_rows"] = filters[res["filters"]]
        resources.append(res)
    return resources


def lint(resources):
    errors = []
    names = [r["name"] for r in resources]
    if names != sorted(names):
        errors.append("resources are not sorted by name")
    if len(set(names)) != len(names):
        errors.append("duplicate resource names")
    for r in resources:
        n = r["name"]
        push = bool(r["verbs"] & CONSTANTS["PH_VERB_PUSH"])
        rows = r["field_rows"]
        if not rows:
            errors.append("%s: no fields" % n)
            continue
        seen, cols = set(), {}
        for f in rows:
            if f["name"] in seen:
                errors.append("%s: field %s listed twice" % (n, f["name"]))
            seen.add(f["name"])
            col = f["column"] or field_to_column(f["name"])
            if col in cols:
                errors.append("%s: fields %s and %s both make column %s"
                              % (n, cols[col], f["name"], col))
            if col == "attrs":
                errors.append("%s: field %s makes column attrs, reserved for the whole object"
                              % (n, f["name"]))
            cols[col] = f["name"]
        if not push and rows[0]["name"] != "_id":
            errors.append("%s: _id is not the first field" % n)
        has_custom = "custom" in seen
        if has_custom != (r["custom_parent"] is not None):
            errors.append("%s: custom field and custom_parent disagree" % n)
        bulk_keys = [k for k in (r.get("bulk_keys") or "").split(",") if k]
        if bool(bulk_keys) != bool(r["verbs"] & CONSTANTS["PH_VERB_BULK"]):
            errors.append("%s: bulk_keys must be set exactly when the resource has a bulk upsert" % n)
        for k in bulk_keys:
            if k not in seen:
                errors.append("%s: bulk key %s is not a field" % (n, k))
        if r.get("stored_in") is not None and r["stored_in"] not in names:
            errors.append("%s: stored_in %s is not a resource" % (n, r["stored_in"]))
        if r["keyables"] & CONSTANTS["PH_KEY_EXTID"] and r["external_id_field"] is None:
            errors.append("%s: extid- keyable without external_id_field" % n)
        if r["external_id_field"] is not None and r["external_id_field"] not in seen:
            errors.append("%s: external_id_field %s is not a field" % (n, r["external_id_field"]))
        if r["keyables"] & CONSTANTS["PH_KEY_SRCID"] and "sourceId" not in seen:
            errors.append("%s: srcid- keyable without a sourceId field" % n)
        if r["keyables"] & CONSTANTS["PH_KEY_EXTID_UNIQUE"] and not r["keyables"] & CONSTANTS["PH_KEY_EXTID"]:
            errors.append("%s: PH_KEY_EXTID_UNIQUE without PH_KEY_EXTID" % n)
        if (r["default_limit"] == 0) != (r["max_limit"] == 0) or r["default_limit"] > r["max_limit"]:
            errors.append("%s: bad page sizes %d/%d" % (n, r["default_limit"], r["max_limit"]))
        if bool(r["verbs"] & CONSTANTS["PH_VERB_LIST"]) == push:
            errors.append("%s: a resource is either listed or pushed" % n)
        for flt in r["filter_rows"]:
            if flt["field"] not in seen:
                errors.append("%s: filter on undeclared field %s" % (n, flt["field"]))
            if (flt["kind"] == "PH_FILTER_DAY_RANGE") != (flt["param2"] is not None):
                errors.append("%s: param2 must be set exactly for PH_FILTER_DAY_RANGE" % n)
    if errors:
        raise CatalogError("\n".join(errors))


# ---------------------------------------------------------------- rendering

# User-facing caveats that are not a property of one catalog row.  Keep this
# short: everything that can be said from the catalog is generated.
EXTRA_NOTES = {
    "companies": [
        "`owner` and `co_owner` are `jsonb`: Planhat returns an id string from "
        "`GET /companies/<id>` and reportedly an `{_id, nickName}` object in lists "
        "(`owner #>> '{}'` or `owner->>'_id'`)",
    ],
    "customfields": [
        "A qual on `parent` is evaluated locally: Planhat documents no `parent` list filter",
    ],
    "dimensiondata": [
        "Planhat documents no page sizes here; 2000 is a page size clients are seen using",
        "The company parameter's spelling (`cId` or `cid`) is not settled in Planhat's "
        "documentation, hence the local recheck of `company_id`",
        "To write metric values, insert into [metrics](#metrics)",
    ],
    "issues": [
        "An issue can belong to several companies (`company_ids text[]`); "
        "`WHERE 'x' = ANY (company_ids)` is evaluated locally",
    ],
    "leancompanies": [
        "Planhat also accepts a `status` parameter here, but the lean list does not return "
        "a status field, so the table has no such column",
    ],
    "sales": [
        "Planhat documents no page sizes here; 2000 is the page Airbyte's connector uses",
    ],
    "tickets": [
        "Tickets are conversations of type `ticket`: the same records appear in "
        "[conversations](#conversations). Input-only fields (`domains`, `agent_email`, ...) "
        "may read NULL",
    ],
    "user_activities": [
        "Each row needs `email`, `external_id` or `user_id` to name the end user",
    ],
    "workflows": [
        "Planhat documents only the list; 2000 is the page Airbyte's connector uses",
    ],
    "deals": [
        "Planhat documents the fields, not the routes beyond the list: `GET`, `PUT` and "
        "`DELETE /deals/<id>` would take a missing route's 404 for a missing deal, so "
        "`WHERE id = ...` filters a scan and `UPDATE`/`DELETE` are refused until they are "
        "documented; the page size (100) is the default page of most models, as none is "
        "documented here",
        "No `custom` column: Planhat documents none for deals (`attrs->'custom'` holds one "
        "if Planhat sends it)",
    ],
    "products": [
        "Planhat documents the fields, not the routes beyond the list: `GET`, `PUT` and "
        "`DELETE /products/<id>` would take a missing route's 404 for a missing product, so "
        "`WHERE id = ...` filters a scan and `UPDATE`/`DELETE` are refused until they are "
        "documented; the page size (100) is the default page of most models, as none is "
        "documented here",
    ],
    "workspaces": [
        "Planhat documents the fields, not the routes beyond the list: `GET`, `PUT` and "
        "`DELETE /workspaces/<id>` would take a missing route's 404 for a missing workspace, "
        "so `WHERE id = ...` filters a scan and `UPDATE`/`DELETE` are refused until they are "
        "documented; the page size (100) is the default page of most models, as none is "
        "documented here",
    ],
    "users": [
        "`GET /users` returns only firstName, lastName, nickName, email, externalId, image, "
        "isHidden, removed, inactive, managers, teams, isExposedAsSenderOption, createdAt, "
        "updatedAt and tzOffset unless other fields are named in `select`",
    ],
}

# Resources whose page sizes Planhat does not document: their catalog rows
# use one page size as both default and maximum (see the notes above)
UNDOCUMENTED_PAGES = {"deals", "dimensiondata", "products", "sales", "workflows", "workspaces"}

VERB_LETTERS = [("PH_VERB_LIST", "L"), ("PH_VERB_GET", "G"), ("PH_VERB_CREATE", "C"),
                ("PH_VERB_UPDATE", "U"), ("PH_VERB_DELETE", "D"), ("PH_VERB_BULK", "B"),
                ("PH_VERB_PUSH", "P")]


def has(r, verb):
    return bool(r["verbs"] & CONSTANTS[verb])


def verb_letters(r):
    return " ".join(letter for verb, letter in VERB_LETTERS if has(r, verb))


def column_of(f):
    return f["column"] or field_to_column(f["name"])


def sql_name(col):
    return '"%s"' % col if col in RESERVED else col


def base(r):
    return "analytics_url" if r["host"] == "PH_HOST_ANALYTICS" else "url"


def statements(r):
    p = "/" + r["path"]
    out = []
    if has(r, "PH_VERB_LIST"):
        s = "`SELECT`: `GET %s` page by page" % p
        if r["max_limit"] == 0:
            s = "`SELECT`: `GET %s`, one unpaginated answer" % p
        if has(r, "PH_VERB_GET"):
            s += "; `WHERE id = ...` reads `GET %s/<id>`" % p
        out.append(s)
    if has(r, "PH_VERB_CREATE") and has(r, "PH_VERB_BULK"):
        out.append("`INSERT`: `POST %s` per row; with `batch_size` > 1, bulk upsert "
                   "`PUT %s` (up to 5000 rows per request; rows matching an existing record "
                   "by keyable update it)" % (p, p))
    elif has(r, "PH_VERB_CREATE"):
        out.append("`INSERT`: `POST %s` per row (no bulk upsert)" % p)
    elif has(r, "PH_VERB_BULK"):
        out.append("`INSERT`: bulk upsert `PUT %s` only (rows matching an existing record "
                   "by keyable update it)" % p)
    if has(r, "PH_VERB_BULK"):
        keys = (r.get("bulk_keys") or "").split(",")
        out.append("Bulk upsert matches rows on %s; a batch is sent again after an answer that "
                   "was lost only when every row carries one (docs/writes.md)"
                   % ", ".join("`%s`" % k for k in keys if k))
    if has(r, "PH_VERB_PUSH"):
        out.append("`INSERT`: `POST <analytics_url>%s/<tenant_token>`; the user mapping needs "
                   "`tenant_token`. Nothing can be read back: `SELECT`, `UPDATE` and `DELETE` "
                   "are refused" % p)
    if has(r, "PH_VERB_UPDATE"):
        out.append("`UPDATE`: `PUT %s/<id>` with the changed columns" % p)
    if has(r, "PH_VERB_DELETE"):
        out.append("`DELETE`: `DELETE %s/<id>`" % p)
    refused = []
    if has(r, "PH_VERB_LIST"):
        if not (has(r, "PH_VERB_CREATE") or has(r, "PH_VERB_BULK")):
            refused.append("INSERT")
        if not has(r, "PH_VERB_UPDATE"):
            refused.append("UPDATE")
        if not has(r, "PH_VERB_DELETE"):
            refused.append("DELETE")
    if refused:
        out.append("refused at plan time: %s" % ", ".join("`%s`" % s for s in refused))
    return out


def filter_text(r, flt, cols):
    cols_types = {f["name"]: f["type"] for f in r["field_rows"]}
    col = sql_name(cols[flt["field"]])
    prm = flt["param"]
    exact = "exact" if flt["exact"] else "rechecked locally"
    k = flt["kind"]
    if k == "PH_FILTER_LIST":
        return ("`%s = v`, `%s IN (v1, v2, ...)` → `?%s=v1,v2,...` (one request; %s)"
                % (col, col, prm, exact))
    if k == "PH_FILTER_SINGLE":
        return ("`%s = v` → `?%s=v`; `%s IN (...)` → one list request per value (%s)"
                % (col, prm, col, exact))
    if k == "PH_FILTER_INCLUDE_FLAG":
        return ("`%s`: Planhat hides rows with %s true unless `?%s=true`, so a scan sends "
                "`%s=true` and the table holds every row; `%s = false` (or `NOT %s`) omits the "
                "parameter (exact); `%s = true` sends `%s=true` (rechecked locally)"
                % (col, flt["field"], prm, prm, col, col, col, prm))
    if k == "PH_FILTER_SPLIT_FLAG":
        return ("`%s`: the list returns only rows whose %s equals `?%s=` (default false), so a "
                "scan reads `%s=false` then `%s=true`; `%s = v` (or `%s` / `NOT %s`) reads only "
                "that part (%s)"
                % (col, flt["field"], prm, prm, prm, col, col, col, exact))
    if k == "PH_FILTER_DAY_RANGE" and cols_types[flt["field"]] != "PH_TYPE_DAY":
        return ("`%s` compared with `=`, `<`, `<=`, `>`, `>=` or `BETWEEN` → `?%s=<day>&%s=<day>`, "
                "the whole days (UTC) that contain the range (%s)"
                % (col, prm, flt["param2"], exact))
    if k == "PH_FILTER_DAY_RANGE":
        return ("`%s` compared with `=`, `<`, `<=`, `>`, `>=` or `BETWEEN` → `?%s=<day>&%s=<day>` "
                "(days since 1970-01-01, both inclusive; %s)"
                % (col, prm, flt["param2"], exact))
    raise CatalogError("unknown filter kind %s" % k)


def keyable_lines(r):
    k = r["keyables"]
    p = "/" + r["path"]
    if not k:
        return ["none: rows are addressed by `id` only" if has(r, "PH_VERB_GET")
                or has(r, "PH_VERB_UPDATE") or has(r, "PH_VERB_DELETE") else "none"]
    out = []
    ext = r["external_id_field"]
    ecol = field_to_column(ext) if ext else None
    if k & CONSTANTS["PH_KEY_SRCID"]:
        out.append("`srcid-<sourceId>`: `WHERE source_id = v` can read `GET %s/srcid-v` "
                   "(sourceId is unique per model)" % p)
    if k & CONSTANTS["PH_KEY_EXTID"]:
        if k & CONSTANTS["PH_KEY_EXTID_UNIQUE"]:
            out.append("`extid-<%s>`: `WHERE %s = v` can read `GET %s/extid-v` "
                       "(%s is unique across the whole model)" % (ext, ecol, p, ext))
        else:
            out.append("`extid-<%s>`: accepted in `%s/<key>`, but %s is not unique across "
                       "the model (on models that belong to a company it is unique per "
                       "company), so `WHERE %s = v` filters a scan" % (ext, p, ext, ecol))
    return out


def column_notes(r, f, filt_by_field):
    notes = []
    if f["flags"] & CONSTANTS["PH_FIELD_REQUIRED"]:
        notes.append("required on create")
    if f["flags"] & CONSTANTS["PH_FIELD_AUTO"]:
        notes.append("autogenerated")
    if f["name"] == "_id":
        stmts = [s for v, s in (("PH_VERB_UPDATE", "UPDATE"), ("PH_VERB_DELETE", "DELETE"))
                 if has(r, v)]
        if stmts:
            notes.append("Planhat's key; row identity for %s" % " and ".join(stmts))
        else:
            notes.append("Planhat's key")
    if f["type"] == "PH_TYPE_DAY":
        notes.append("day number in Planhat")
    if f["name"] == "custom":
        notes.append("custom fields by name")
    if f["name"] in filt_by_field:
        notes.append("list filter")
    col = column_of(f)
    if col in RESERVED:
        notes.append("reserved word: write it quoted")
    if f["note"]:
        # the catalog cites docs/planhat-api.md (§n); the generated page leaves that out
        note = re.sub(r"\s*\(§[^)]*\)|\s*§[0-9.]+", "", f["note"])
        notes.append(note)
    return "; ".join(notes)


# ---------------------------------------------------------------- example statements

EXAMPLE_ID = "'61006bc89a3e0b702ed8ea49'"       # ObjectIds from Planhat's examples
EXAMPLE_ID2 = "'6100186428706a6646358453'"
EXAMPLE_TEXT = {
    "_currency": "'USD'", "email": "'ada@example.com'", "name": "'Example'", "title": "'Example'",
    "parent": "'company'", "comment": "'Great support'", "description": "'Example'", "sourceId": "'src-1'", "externalId": "'ext-1'",
    "extId": "'ext-1'", "dimensionId": "'logins'", "nickName": "'Ada'", "firstName": "'Ada'",
    "lastName": "'Lovelace'", "phase": "'Onboarding'", "status": "'Open'",
}
EXAMPLE_BY_TYPE = {
    "PH_TYPE_NUMERIC": "42", "PH_TYPE_INTEGER": "9", "PH_TYPE_BIGINT": "9",
    "PH_TYPE_BOOLEAN": "false", "PH_TYPE_TIMESTAMPTZ": "'2025-01-31T00:00:00Z'",
    "PH_TYPE_DAY": "'2025-01-31'", "PH_TYPE_TEXT_ARRAY": "ARRAY['a', 'b']",
    "PH_TYPE_JSONB": "'{}'",
}


# the column an UPDATE example sets: the first of these the resource has
UPDATE_PREFERENCE = ("name", "title", "subject", "status", "phase", "description", "comment",
                     "product", "value", "externalId")


def example_value(f, r=None):
    """A SQL literal that fits the column of field f (of resource r)."""
    n, t = f["name"], f["type"]
    if t != "PH_TYPE_TEXT":
        return EXAMPLE_BY_TYPE[t]
    if n == "type":
        return "'text'" if r is not None and r["name"] == "customfields" else "'note'"
    if n in EXAMPLE_TEXT:
        return EXAMPLE_TEXT[n]
    if n in ("_id", "cId") or n.endswith("Id") or n.endswith("_id"):
        return EXAMPLE_ID
    return "'example'"


def example_where(r, flt):
    """A WHERE clause that the list filter flt sends to Planhat."""
    f = next(f for f in r["field_rows"] if f["name"] == flt["field"])
    col = sql_name(column_of(f))
    k = flt["kind"]
    if k in ("PH_FILTER_INCLUDE_FLAG", "PH_FILTER_SPLIT_FLAG"):
        return col
    if k == "PH_FILTER_DAY_RANGE":
        if f["type"] == "PH_TYPE_DAY":
            return "%s BETWEEN '2025-01-01' AND '2025-01-31'" % col
        return "%s >= '2025-01-01' AND %s < '2025-02-01'" % (col, col)
    if k == "PH_FILTER_LIST":
        first = example_value(f, r)
        return "%s IN (%s, %s)" % (col, first, EXAMPLE_ID2 if first == EXAMPLE_ID else "'example-2'")
    return "%s = %s" % (col, example_value(f, r))


def example_statements(r):
    """SQL that works on the imported table planhat.<name>, as the catalog
    allows it (docs; test/resources_doc.test.sh runs them)."""
    t = "planhat.%s" % r["name"]
    rows = r["field_rows"]
    out = []
    if has(r, "PH_VERB_LIST"):
        cols = ", ".join(sql_name(column_of(f)) for f in rows[:3])
        out.append("SELECT %s FROM %s LIMIT 5;" % (cols, t))
        if r["filter_rows"]:
            out.append("SELECT %s FROM %s WHERE %s;" % (cols, t, example_where(r, r["filter_rows"][0])))
        if has(r, "PH_VERB_GET"):
            out.append("SELECT * FROM %s WHERE id = %s;" % (t, EXAMPLE_ID))
    if has(r, "PH_VERB_CREATE") or has(r, "PH_VERB_PUSH"):
        req = [f for f in rows if f["flags"] & CONSTANTS["PH_FIELD_REQUIRED"]]
        if not req:
            req = [f for f in rows if f["name"] != "_id" and not f["flags"] & CONSTANTS["PH_FIELD_AUTO"]][:1]
        out.append("INSERT INTO %s (%s) VALUES (%s);"
                   % (t, ", ".join(sql_name(column_of(f)) for f in req),
                      ", ".join(example_value(f, r) for f in req)))
    if has(r, "PH_VERB_UPDATE"):
        settable = [f for f in rows if f["name"] not in ("_id", "companyId", "cId")
                    and not f["flags"] & CONSTANTS["PH_FIELD_AUTO"]
                    and f["type"] in ("PH_TYPE_TEXT", "PH_TYPE_NUMERIC", "PH_TYPE_INTEGER",
                                      "PH_TYPE_BOOLEAN")]
        by_name = {f["name"]: f for f in settable}
        f = next((by_name[n] for n in UPDATE_PREFERENCE if n in by_name), settable[0])
        out.append("UPDATE %s SET %s = %s WHERE id = %s;"
                   % (t, sql_name(column_of(f)), example_value(f, r), EXAMPLE_ID))
    if has(r, "PH_VERB_DELETE"):
        out.append("DELETE FROM %s WHERE id = %s;" % (t, EXAMPLE_ID))
    return out


def render(resources):
    nfields = sum(len(r["field_rows"]) for r in resources)
    L = []
    w = L.append
    w("<!-- Generated by test/tools/gen_resources_md.py from src/resource.c. Do not edit by hand:")
    w("     change the catalog, then run `python3 test/tools/gen_resources_md.py`. -->")
    w("")
    w("# Resources")
    w("")
    w("planhat_fdw knows %d Planhat resources (%d documented fields). `IMPORT FOREIGN SCHEMA` "
      "creates one foreign table per resource, in the order below, named after the resource; "
      "a hand-written table names its resource with the table option `resource`."
      % (len(resources), nfields))
    w("")
    w("## General rules")
    w("")
    w("- **Columns.** Each documented Planhat field is one column. Its name follows one rule: "
      "`_id` → `id`, leading underscores dropped (`_currency` → `currency`), camelCase → "
      "snake_case (`companyId` → `company_id`, `cId` → `c_id`, `hProfile` → `h_profile`, "
      "`nrr30` → `nrr30`), `__v` → `v`. `IMPORT FOREIGN SCHEMA` writes the column option "
      "`field` wherever the column name differs from the field name. A column may also name "
      "one custom field with `field 'custom.<Name>'`.")
    w("- **`custom jsonb`.** Models with custom fields have a `custom` column: the object of "
      "custom-field values keyed by the custom field's name (`custom->>'Seats'`). "
      "With `OPTIONS (import_custom_fields 'true')`, `IMPORT FOREIGN SCHEMA` also creates "
      "typed columns for the custom fields defined in the tenant (`/customfields`, matched by "
      "the model's `parent` value given below; see the README).")
    w("- **`attrs jsonb`.** The last column of every imported table is `attrs`: the whole "
      "Planhat object as received, including fields this catalog does not know. On INSERT and "
      "UPDATE its keys are merged into the object sent.")
    w("- **Types.** Strings and ObjectIds are `text`; JSON numbers are `numeric` (no rounding); "
      "documented whole numbers are `integer`; booleans are `boolean`; ISO-8601 strings are "
      "`timestamptz`; arrays of strings or ids are `text[]`; objects, arrays of objects and "
      "fields seen with more than one shape are `jsonb`.")
    w("- **Day numbers are `date`.** Some fields hold days since 1970-01-01 as a JSON integer "
      "(invoice `invoiceDate`, `dueDate`, `paidDate`; timesheet `dateFrom`, `dateTo`; "
      "conversation and ticket `days`; dimension data `day`; user `lastDailyDigest`). They "
      "are `date` columns: 17752 reads as 2018-08-09, and a `date` written is sent back as "
      "a day number.")
    w("- **Missing fields are NULL.** Planhat omits absent fields; an absent field and a JSON "
      "`null` both read as SQL NULL (a `jsonb` column too: NULL, not `'null'`).")
    w("- **Conversion is exact.** Numbers keep every digit (`1958.3333333333333`), a JSON string "
      "read into a `text` column is the string itself, an object or array its JSON text. A "
      "hand-written table may also use `varchar(n)`, `char(n)`, `smallint`, `bigint`, `real`, "
      "`double precision`, `numeric(p,s)`, `timestamp`, `uuid`, `json`, domains and arrays of "
      "any of these. A value that does not fit its column (a string in an `integer` column, "
      "an out-of-range number, a bad date) is an error with SQLSTATE HV004 whose detail names "
      "the table, the column, the Planhat field, the object's `_id` and the value.")
    w("- **Required on create** marks fields Planhat documents as required; rules of the "
      "form \"one of a or b\" are noted per column and left to Planhat to check. "
      "**Autogenerated** marks fields Planhat computes or maintains (`__v`, `createdAt`, "
      "`updatedAt`, `companyName`, health scores, ...): a value written may be ignored or "
      "overwritten.")
    w("- **List filters.** Quals on the columns listed under *List filters* are sent to "
      "Planhat as query parameters; \"exact\" means Planhat returns exactly the matching "
      "rows, \"rechecked locally\" means PostgreSQL evaluates the qual again on what comes "
      "back. Every other qual is evaluated locally. `SET planhat_fdw.pushdown = off` "
      "sends none of them and returns the same rows.")
    w("- **Page size.** `fetch_size` (server or table option) is the list `limit`. It defaults "
      "to the resource's maximum page below (the fewest requests for a full scan); a server "
      "`fetch_size` lowers it, and a table `fetch_size` above the maximum is an error, because "
      "a page Planhat cut short would look like the last one.")
    w("- **Writes are not transactional.** INSERT, UPDATE and DELETE reach Planhat when the "
      "statement runs; ROLLBACK cannot undo them.")
    w("")
    w("| table | Planhat path | host | verbs | fetch_size max (= default) | Planhat's own default page | keyables |")
    w("|---|---|---|---|---|---|---|")
    for r in resources:
        if r["max_limit"]:
            page, dflt = str(r["max_limit"]), str(r["default_limit"])
            if r["name"] in UNDOCUMENTED_PAGES:
                dflt = "not documented"
        elif has(r, "PH_VERB_LIST"):
            page, dflt = "unpaginated", "–"
        else:
            page, dflt = "–", "–"
        keys = []
        if r["keyables"] & CONSTANTS["PH_KEY_EXTID"]:
            keys.append("extid-")
        if r["keyables"] & CONSTANTS["PH_KEY_SRCID"]:
            keys.append("srcid-")
        w("| [%s](#%s) | `/%s` | `%s` | %s | %s | %s | %s |"
          % (r["name"], r["name"], r["path"], base(r), verb_letters(r), page, dflt,
             " ".join(keys) or "–"))
    w("")
    w("Verbs: L list (`GET /<path>`), G get by id (`GET /<path>/<id>`), C create (`POST`), "
      "U update (`PUT /<path>/<id>`), D delete, B bulk upsert (`PUT /<path>` with an array), "
      "P push to the analytics API (`POST <analytics_url>/<path>/<tenant_token>`).")
    w("")
    w("Each resource below shows statements that work on its table once imported into the "
      "schema `planhat` (`IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat`); "
      "the `INSERT` lists the columns Planhat requires. `test/resources_doc.test.sh` runs the "
      "reads and plans the writes.")

    for r in resources:
        cols = {f["name"]: column_of(f) for f in r["field_rows"]}
        filt_by_field = {flt["field"]: flt for flt in r["filter_rows"]}
        w("")
        w("## %s" % r["name"])
        w("")
        w("%s." % r["description"])
        w("")
        w("- Planhat: `/%s` on the server option `%s` (verbs %s)" % (r["path"], base(r), verb_letters(r)))
        for s in statements(r):
            w("- %s" % s)
        if has(r, "PH_VERB_LIST"):
            if r["max_limit"]:
                if r["name"] in UNDOCUMENTED_PAGES:
                    w("- Page size (`fetch_size`): at most %d, the default (Planhat documents "
                      "no page size here)" % r["max_limit"])
                else:
                    w("- Page size (`fetch_size`): at most %d, the default (Planhat's own "
                      "default page is %d)" % (r["max_limit"], r["default_limit"]))
            else:
                w("- Page size: none; the list is one request and `fetch_size` does not apply")
            if r["filter_rows"]:
                w("- List filters:")
                for flt in r["filter_rows"]:
                    w("  - %s" % filter_text(r, flt, cols))
            else:
                w("- List filters: none")
            w("- Keyables: " + "; ".join(keyable_lines(r)))
        if r["custom_parent"]:
            w("- Custom fields: `/customfields` with `parent` = `%s`" % r["custom_parent"])
        if r.get("flags", 0) & RES_FLAGS["PH_RES_PER_TENANT"]:
            w("- Planhat enables this model per tenant (one of its revenue models, introduced "
              "in 2026). A tenant without it answers 404, and the table's statements fail with "
              "a hint that says so; `IMPORT FOREIGN SCHEMA planhat EXCEPT (deals, products) ...` "
              "leaves such tables out")
        for note in EXTRA_NOTES.get(r["name"], []):
            w("- %s" % note)
        w("")
        w("```sql")
        for stmt in example_statements(r):
            w(stmt)
        w("```")
        w("")
        w("| column | type | Planhat field | notes |")
        w("|---|---|---|---|")
        for f in r["field_rows"]:
            w("| %s | %s | `%s` | %s |" % (sql_name(column_of(f)), SQL_TYPES[f["type"]], f["name"],
                                          column_notes(r, f, filt_by_field)))
        w("| attrs | jsonb | (whole object) | every field as received |")
    w("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if docs/resources.md is stale")
    ap.add_argument("--stdout", action="store_true", help="print instead of writing")
    ap.add_argument("--columns", action="store_true",
                    help="print table, column and type of every imported column (tab-separated)")
    ap.add_argument("--examples", action="store_true",
                    help="print the example statements, one per line")
    args = ap.parse_args()
    with open(SRC, encoding="utf-8") as fh:
        src = fh.read()
    try:
        resources = parse(src)
        lint(resources)
    except CatalogError as e:
        sys.stderr.write("gen_resources_md.py: src/resource.c: %s\n" % e)
        return 2
    if args.columns:
        for r in resources:
            for f in r["field_rows"]:
                sys.stdout.write("%s\t%s\t%s\n" % (r["name"], column_of(f), SQL_TYPES[f["type"]]))
            sys.stdout.write("%s\tattrs\tjsonb\n" % r["name"])
        return 0
    if args.examples:
        for r in resources:
            for stmt in example_statements(r):
                sys.stdout.write(stmt + "\n")
        return 0
    text = render(resources)
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        try:
            with open(DOC, encoding="utf-8") as fh:
                old = fh.read()
        except FileNotFoundError:
            old = ""
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       "docs/resources.md", "generated"))
            return 1
        return 0
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w", encoding="utf-8") as fh:
        fh.write(text)
    print("wrote %s: %d resources, %d fields"
          % (os.path.relpath(DOC, ROOT), len(resources), sum(len(r["field_rows"]) for r in resources)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
