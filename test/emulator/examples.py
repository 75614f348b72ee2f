"""The "examples" dataset: the documented example objects, verbatim.

The objects are the example answers of Planhat's API pages
(https://www.planhat.com/developers/api/<page>), as collected page by page in
https://context7.com/websites/planhat_developers_api/llms.txt: blocks that
start "### <example title> Source: https://www.planhat.com/developers/api/<page>",
separated by lines of dashes.  They are extracted once from a saved copy of
that text into examples.json, which the emulator loads:

    python3 examples.py saved-copy-of-llms.txt > examples.json

docs/planhat-api.md (appendix) lists every object kept, its page, the
example it comes from and a fingerprint of its bytes; test_examples.py checks
examples.json against that list, and extract() against small inputs of its
own, so both are tested on a clean clone without the saved copy.

Rules of the extraction:
- every ```json block of the file is parsed (the excerpts lost their HTML
  tags, which left raw newlines inside strings: they are kept as they are);
- an object with an "_id" is a resource object; it goes to the collection of
  its page ("Source: .../developers/api/<page>"); bulk-upsert answers and
  request payloads have no "_id" and are skipped;
- when one _id appears in several blocks, one version is kept: a single
  GET/PUT answer wins over a list answer, which wins over a create answer
  (the later state of the object); among equals the later block wins.  The
  versions not kept are listed under "superseded".
"""

import hashlib
import json
import os
import re
import sys

from jsonio import dump_bytes

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES_JSON = os.path.join(HERE, "examples.json")

_PAGE_TO_COLLECTION = {
    "company": "companies", "enduser": "endusers", "asset": "assets",
    "campaign": "campaigns", "churn": "churn", "conversation": "conversations",
    "customfields": "customfields", "custom-field": "customfields",
    "invoice": "invoices", "issue": "issues", "license": "licenses",
    "nps": "nps", "opportunity": "opportunities", "objective": "objectives",
    "objectives": "objectives", "project": "projects", "sale": "sales", "task": "tasks",
    "ticket": "conversations", "user": "users", "time-entry": "timeentries",
    "timeentry": "timeentries", "timesheet": "timesheets",
}
SOURCE = "https://context7.com/websites/planhat_developers_api/llms.txt"

_BLOCK = re.compile(r"```json\s(.*?)```", re.S)


def _parse_json(text):
    s = text.strip()
    if s.startswith("'"):
        s = s.strip("'").strip()
    s = s.rstrip(";").strip()
    return json.loads(s, strict=False)


def _rank(title, is_list):
    if title.lower().startswith("create"):
        return 0
    return 1 if is_list else 2


def fingerprint(obj):
    """The first 12 hex digits of the SHA-256 of the bytes the emulator serves."""
    return hashlib.sha256(dump_bytes(obj)).hexdigest()[:12]


def extract(text):
    """-> {"source", "collections": {name: [objects]}, "provenance": [...],
    "superseded": [...]}; provenance names the page and example of each
    object kept, in the order of the collections."""
    chosen = {}          # _id -> (rank, block no, collection, object, title)
    order = []
    superseded = []
    for no, block in enumerate(text.split("--------------------------------")):
        block = block.strip()
        m = re.match(r"### (.*?) Source: https?://www\.planhat\.com/developers/api/([a-z-]+)", block)
        if not m:
            continue
        title, page = m.group(1), m.group(2)
        coll = _PAGE_TO_COLLECTION.get(page)
        for body in _BLOCK.findall(block):
            try:
                value = _parse_json(body)
            except ValueError:
                continue
            objs = value if isinstance(value, list) else [value]
            rank = _rank(title, isinstance(value, list))
            for obj in objs:
                if not isinstance(obj, dict) or "_id" not in obj or coll is None:
                    continue
                _id = obj["_id"]
                prev = chosen.get(_id)
                if prev is None:
                    order.append(_id)
                elif rank < prev[0]:
                    superseded.append({"_id": _id, "collection": coll, "block": title})
                    continue
                else:
                    superseded.append({"_id": _id, "collection": prev[2], "block": prev[4]})
                chosen[_id] = (rank, no, coll, obj, title, page)
    collections = {}
    for _id in order:
        coll, obj = chosen[_id][2], chosen[_id][3]
        collections.setdefault(coll, []).append(obj)
    provenance = [{"collection": coll, "_id": obj["_id"], "page": chosen[obj["_id"]][5],
                   "example": chosen[obj["_id"]][4]}
                  for coll, objs in collections.items() for obj in objs]
    return {"source": SOURCE, "collections": collections, "provenance": provenance,
            "superseded": superseded}


def load_all():
    """examples.json as stored."""
    with open(EXAMPLES_JSON, encoding="utf-8") as f:
        return json.load(f)


def load():
    """The collections of examples.json: {collection: [objects]}."""
    return load_all()["collections"]


def main(argv):
    if len(argv) != 2:
        print("usage: examples.py saved-copy-of-llms.txt > examples.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        data = extract(f.read())
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
