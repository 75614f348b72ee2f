"""The analytics host: metrics push and user activities (docs/planhat-api.md §7).

These endpoints are data sinks: they always answer 200 with
{"processed": n, "errors": [{"item": ..., "error": "..."}]}, where n counts
every item received (the documented example reports processed 1 for one
failed item).  An unknown tenant token stores nothing and reports every item
as an error.
"""

import re

import dates
from catalog import METRIC_MODELS

_DIMENSION_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


def _items(payload):
    return payload if isinstance(payload, list) else [payload]


def _result(items, errors):
    return {"processed": len(items), "errors": errors}


def unknown_tenant(payload):
    items = _items(payload)
    return _result(items, [{"item": it, "error": "unknown tenant token"} for it in items])


def _number(v):
    return type(v) in (int, float)


def push_metrics(tenant, payload):
    """POST /dimensiondata/<tenant>: object or array of metrics."""
    items = _items(payload)
    errors = []
    coll = tenant.store.coll("dimensiondata")
    for item in items:
        try:
            coll.insert(_metric_doc(tenant, item))
        except ValueError as e:
            errors.append({"item": item, "error": str(e)})
    return _result(items, errors)


def _metric_doc(tenant, item):
    if not isinstance(item, dict):
        raise ValueError("each metric must be a JSON object")
    dim = item.get("dimensionId")
    if dim is None or dim == "":
        raise ValueError("dimensionId must be specified")
    if not isinstance(dim, str) or not _DIMENSION_ID.match(dim):
        raise ValueError("dimensionId must not contain spaces or special characters")
    if item.get("value") is None:
        raise ValueError("value must be specified")
    if not _number(item["value"]):
        raise ValueError("value must be a number")
    ext = item.get("externalId")
    if ext is None or ext == "":
        raise ValueError("externalId must be specified")
    model = item.get("model") or "Company"
    if model not in METRIC_MODELS:
        raise ValueError("model must be one of %s" % ", ".join(METRIC_MODELS))
    rows = tenant.store.coll(METRIC_MODELS[model]).find("externalId", str(ext))
    if not rows:
        raise ValueError("no %s with externalId %r" % (model, str(ext)))
    target = rows[0]
    company_id = target.get("_id") if model == "Company" else target.get("companyId", None)
    company = tenant.store.coll("companies").get(company_id) if company_id else None
    when = item.get("date")
    try:
        t = dates.parse(when) if when not in (None, "") else tenant.clock.now()
    except dates.DateError:
        raise ValueError("date is not a valid date")
    day = dates.day_number(t)
    return {
        "_id": tenant.new_id(),
        "dimensionId": dim,
        "value": item["value"],
        "time": dates.iso(t),
        "date": dates.day_to_iso(day),
        "day": day,
        "model": model,
        "parentId": target.get("_id"),
        "companyId": company_id,
        "companyName": company.get("name", None) if company is not None else None,
    }


def push_activities(tenant, payload, bulk):
    """POST /analytics/<tenant> and /analytics/bulk/<tenant>."""
    items = _items(payload)
    errors = []
    coll = tenant.store.coll("activities")
    for item in items:
        if not isinstance(item, dict):
            errors.append({"item": item, "error": "each activity must be a JSON object"})
            continue
        who = ("email", "id", "euExtId", "externalId") if bulk else ("email", "externalId")
        if all(item.get(k) in (None, "") for k in who):
            errors.append({"item": item, "error": "email or %s must be specified"
                           % ("id" if bulk else "externalId")})
            continue
        doc = {"_id": tenant.new_id(), "kind": "bulk" if bulk else "single",
               "receivedAt": tenant.clock.now_iso()}
        doc.update(item)
        coll.insert(doc)
    return _result(items, errors)


def push_segment(tenant, payload):
    """POST /dock/segment (Segment-compatible identify/track calls)."""
    items = _items(payload)
    errors = []
    coll = tenant.store.coll("segment")
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in ("identify", "track", "group", "page"):
            errors.append({"item": item, "error": "type must be identify, track, group or page"})
            continue
        doc = {"_id": tenant.new_id(), "receivedAt": tenant.clock.now_iso()}
        doc.update(item)
        coll.insert(doc)
    return _result(items, errors)
