"""The "examples" dataset: the documented example objects, verbatim.

The objects come from planhat-api-examples.txt (excerpts of Planhat's docs,
kept beside planhat-api.md, outside this repository).  They are extracted
once into examples.json, which the emulator loads:

    python3 examples.py ../../../shared/planhat-api-examples.txt > examples.json

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

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES_JSON = os.path.join(HERE, "examples.json")

_PAGE_TO_COLLECTION = {
    "company": "companies", "enduser": "endusers", "asset": "assets",
    "campaign": "campaigns", "churn": "churn", "conversation": "conversations",
    "customfields": "customfields", "custom-field": "customfields",
    "invoice": "invoices", "issue": "issues", "license": "licenses",
    "nps": "nps", "opportunity": "opportunities", "objectives": "objectives",
    "project": "projects", "sale": "sales", "task": "tasks", "ticket": "conversations",
    "user": "users", "timeentry": "timeentries", "timesheet": "timesheets",
}

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


def extract(text):
    """-> {"collections": {name: [objects]}, "superseded": [...]}"""
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
                chosen[_id] = (rank, no, coll, obj, title)
    collections = {}
    for _id in order:
        _, _, coll, obj, title = chosen[_id]
        collections.setdefault(coll, []).append(obj)
    return {"source": "planhat-api-examples.txt", "collections": collections,
            "superseded": superseded}


def load():
    """The collections of examples.json: {collection: [objects]}."""
    with open(EXAMPLES_JSON, encoding="utf-8") as f:
        return json.load(f)["collections"]


def main(argv):
    if len(argv) != 2:
        print("usage: examples.py path/to/planhat-api-examples.txt > examples.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        data = extract(f.read())
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
