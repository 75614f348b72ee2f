"""Create, update, delete and bulk upsert (docs/planhat-api.md §2.4, §4, §8.4-8.7).

All functions take a Tenant (the loaded store plus clock and id maker) and
raise ApiError for answers other than 200.
"""

import copy

import dates
import models
from jsonio import dump_bytes
from lookup import _HEX24, ApiError, bad, find_company, in_scope
from mongo import MISSING

BULK_MAX = 5000
_ARRAY_OPS = ("add", "replace", "remove")


# ---------------------------------------------------------------- helpers

def _missing(v):
    return v is None or v is MISSING or v == "" or v == []


def js_string(v):
    """String(v) as JavaScript writes a JSON number."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return str(v)


def _is_array_op(v):
    return isinstance(v, dict) and set(v) == {"operation", "data"}


def apply_array_op(field, current, op):
    """{"operation": "add"|"replace"|"remove", "data": [...]} on an array."""
    kind = op["operation"]
    data = op["data"] if isinstance(op["data"], list) else [op["data"]]
    if kind not in _ARRAY_OPS:
        raise bad("%s: unknown array operation %r (expected add, replace or remove)"
                  % (field, kind))
    if current is MISSING or current is None:
        current = []
    elif not isinstance(current, list):
        current = [current]
    if kind == "add":
        return current + data
    if kind == "replace":
        return list(data)
    return [v for v in current if v not in data]


def _merge(old, body):
    """Partial update: top-level keys replace, "custom" merges per key,
    array operations apply to the current value."""
    doc = old
    for k, v in body.items():
        if k == "custom" and isinstance(v, dict):
            cur = doc.get("custom")
            custom = dict(cur) if isinstance(cur, dict) else {}
            for ck, cv in v.items():
                if _is_array_op(cv):
                    cv = apply_array_op("custom." + ck, custom.get(ck, MISSING), cv)
                custom[ck] = cv
            doc["custom"] = custom
        elif _is_array_op(v):
            doc[k] = apply_array_op(k, doc.get(k, MISSING), v)
        else:
            doc[k] = v
    return doc


def _normalize_dates(res, doc, keys):
    for f in keys:
        v = doc.get(f, MISSING)
        if v is MISSING or v is None:
            continue
        try:
            if f in res.datetime_fields:
                doc[f] = dates.normalize(v)
            elif f in res.date_fields:
                doc[f] = dates.midnight(v)
            elif f in res.day_fields and not (type(v) is int):
                if isinstance(v, float) and v.is_integer():
                    doc[f] = int(v)
                else:
                    doc[f] = dates.day_number(dates.parse(v))
        except dates.DateError:
            raise bad("%s: invalid date %s" % (f, _short(v)))


def _short(v):
    s = repr(v)
    return s if len(s) < 60 else s[:57] + "..."


def _resolve_companies(tenant, res, body):
    """Company references in the body -> _ids (extid-/srcid- resolved)."""
    f = res.company_field
    if f in ("companyId", "cId") and f in body and body[f] is not None and body[f] != "":
        row = find_company(tenant, body[f])
        if row is None:
            raise bad("%s: no company matches %s" % (f, _short(body[f])))
        body[f] = row.get("_id")
    if f == "companyIds" and isinstance(body.get("companyIds"), list):
        ids = []
        for ref in body["companyIds"]:
            row = find_company(tenant, ref)
            if row is None:
                raise bad("companyIds: no company matches %s" % _short(ref))
            ids.append(row.get("_id"))
        body["companyIds"] = ids


def _check_unique(tenant, res, doc, self_id):
    """sourceId unique per model; externalId unique per company (companies:
    across companies) -- docs/planhat-api.md §2.2."""
    coll = tenant.store.coll(res.collection)
    dup = []
    src = doc.get("sourceId")
    if isinstance(src, str) and src:
        if any(r.get("_id") != self_id for r in coll.find("sourceId", src)):
            dup.append("sourceId")
    ext_field = res.extid_field
    ext = doc.get(ext_field)
    if isinstance(ext, str) and ext and ext_field in ("externalId", "extId"):
        cf = res.company_field
        for r in coll.find(ext_field, ext):
            if r.get("_id") == self_id:
                continue
            if cf in (None, "_id") or r.get(cf) == doc.get(cf):
                dup.append(ext_field)
                break
    if dup:
        raise bad("%s duplicated" % ",".join(dup))


def _check_required(res, doc, bulk):
    fields = res.bulk_required if bulk and res.bulk_required is not None else res.required
    for f in fields:
        if _missing(doc.get(f, MISSING)):
            raise bad("%s is required" % f)


# ---------------------------------------------------------------- create / update

def _prepare(tenant, res, body):
    if not isinstance(body, dict):
        raise bad("the request body must be a JSON object")
    body = copy.deepcopy(body)
    body.pop("_id", None)
    body.pop("__v", None)
    for f in ("externalId", "extId"):
        if f in body and isinstance(body[f], (int, float)) and not isinstance(body[f], bool):
            body[f] = js_string(body[f])
    _resolve_companies(tenant, res, body)
    return body


def create(tenant, res, body, bulk=False):
    body = _prepare(tenant, res, body)
    doc = _merge({"_id": None}, body)          # _id first; allocated once the object is valid
    models.before_create(tenant, res, doc)
    _check_required(res, doc, bulk)
    for k, v in res.defaults.items():
        if k not in doc:
            doc[k] = copy.deepcopy(v)
    _normalize_dates(res, doc, list(doc))
    models.compute(tenant, res, doc, set(doc))
    now = tenant.clock.now_iso()
    for f in res.created_fields + res.timestamps:
        doc[f] = now
    if "__v" in doc:
        doc["__v"] = doc.pop("__v")
    _check_unique(tenant, res, doc, None)
    doc["_id"] = tenant.new_id()
    return tenant.store.coll(res.collection).insert(doc)


def update(tenant, res, row, body):
    """Partial update; returns (row, changed)."""
    body = _prepare(tenant, res, body)
    doc = _merge(copy.deepcopy(row.doc()), body)
    _normalize_dates(res, doc, list(body))
    models.compute(tenant, res, doc, set(body))
    if dump_bytes(doc) == row.blob:            # byte-equal: nothing changed (1 != true)
        return row, False
    now = tenant.clock.now_iso()
    for f in res.timestamps:
        doc[f] = now
    _check_unique(tenant, res, doc, doc.get("_id"))
    return tenant.store.coll(res.collection).replace(row, doc), True


def delete(tenant, res, row):
    tenant.store.coll(res.collection).delete(row)
    if res.delete_returns_doc:
        return row.doc()
    return {"n": 1, "ok": 1, "deletedCount": 1}


def duplicate_timeentries(tenant, res, body):
    """POST /timeentries/duplicate {"ids": [...]}: copies with new _ids."""
    if not isinstance(body, dict) or not isinstance(body.get("ids"), list):
        raise bad("ids is required (an array of time entry _ids)")
    coll = tenant.store.coll(res.collection)
    out = []
    for i in body["ids"]:
        row = coll.get(i) if isinstance(i, str) else None
        if row is None:
            raise ApiError(404, "time entry %s not found" % _short(i))
        doc = copy.deepcopy(row.doc())
        doc["_id"] = tenant.new_id()
        now = tenant.clock.now_iso()
        doc["createdAt"] = doc["updatedAt"] = now
        out.append(coll.insert(doc).doc())
    return out


# ---------------------------------------------------------------- bulk upsert

def empty_bulk_result(res):
    r = {"created": 0, "createdErrors": [], "insertsKeys": [], "updated": 0,
         "updatedErrors": [], "updatesKeys": [], "nonupdates": 0, "modified": [],
         "upsertedIds": [], "permissionErrors": []}
    if res.name == "timeentries":
        r["validationErrors"] = []
    return r


def _item_company(tenant, res, item):
    f = res.company_field
    if f in ("companyId", "cId"):
        row = find_company(tenant, item.get(f))
        return row.get("_id") if row else None
    return None


def find_match(tenant, res, item):
    """The existing row an item refers to, by keyable priority; child models
    match externalId within the item's company when it names one."""
    coll = tenant.store.coll(res.collection)
    for k in res.keyables:
        v = item.get(k)
        if _missing(v):
            continue
        if k == "_id":
            rows = coll.find("_id", v.lower() if isinstance(v, str) and _HEX24.match(v) else v)
        else:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = js_string(v)
            if not isinstance(v, str):
                continue
            rows = [r for r in coll.find(k, v) if in_scope(res, r)]
            if k == res.extid_field and res.company_field not in (None, "_id"):
                cid = _item_company(tenant, res, item)
                if cid is not None:
                    rows = [r for r in rows if r.get(res.company_field) == cid]
        rows = [r for r in rows if in_scope(res, r)]
        if rows:
            return rows[0]
    return None


def _keys_of(res, item, row):
    keys = {"_id": row.get("_id")}
    for k in ("sourceId", res.extid_field, "email"):
        if k in res.keyables and k != "_id" and not _missing(item.get(k)):
            keys[k] = row.get(k)
    return keys


def bulk_upsert(tenant, res, payload, readonly):
    """Returns (status, result dict)."""
    result = empty_bulk_result(res)
    if readonly:
        items = payload if isinstance(payload, list) else [payload]
        result["permissionErrors"] = [
            {"item": it, "error": "the API token does not have write permission"} for it in items]
        return 403, result
    if res.name == "tickets" and isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        result["createdErrors"].append({"item": None, "error": "the request body must be a JSON array"})
        return 400, result
    if len(payload) > BULK_MAX:
        result["createdErrors"].append({"item": None, "error": "too many items: %d (at most %d per request)"
                                        % (len(payload), BULK_MAX)})
        return 400, result
    for item in payload:
        _bulk_item(tenant, res, item, result)
    failed = len(result["createdErrors"]) + len(result["updatedErrors"]) \
        + len(result.get("validationErrors", ()))
    ok = result["created"] + result["updated"] + result["nonupdates"]
    if not failed:
        return 200, result
    return (206 if ok else 400), result


def _bulk_item(tenant, res, item, result):
    if not isinstance(item, dict):
        result["createdErrors"].append({"item": item, "error": "each item must be a JSON object"})
        return
    if res.name == "tickets" and _missing(item.get("email")):
        result["nonupdates"] += 1          # "items without email are silently dropped"
        return
    try:
        row = find_match(tenant, res, item)
    except ApiError as e:
        result["createdErrors"].append({"item": item, "error": e.message})
        return
    if row is None and not _missing(item.get("_id")):
        result["updatedErrors"].append({"item": item, "error": "no %s with _id %s"
                                        % (res.name, _short(item["_id"]))})
        return
    if row is not None:
        try:
            new, changed = update(tenant, res, row, item)
        except ApiError as e:
            result["updatedErrors"].append({"item": item, "error": e.message})
            return
        if changed:
            result["updated"] += 1
            result["updatesKeys"].append(_keys_of(res, item, new))
            result["modified"].append(new.get("_id"))
        else:
            result["nonupdates"] += 1
        return
    try:
        new = create(tenant, res, item, bulk=True)
    except ApiError as e:
        result["createdErrors"].append({"item": item, "error": e.message})
        return
    result["created"] += 1
    result["insertsKeys"].append(_keys_of(res, item, new))
    result["upsertedIds"].append(new.get("_id"))
