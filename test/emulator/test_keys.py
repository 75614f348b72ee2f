"""Single-object routes and keys: _id, extid-, srcid- (docs/planhat-api.md §2.2, §8.1)."""

import unittest
from urllib.parse import quote

from emutest import EmulatorCase


def key_path(resource, prefix, value):
    return "/%s/%s%s" % (resource, prefix, quote(value, safe=""))


class KeyTest(EmulatorCase):
    def test_get_by_id_returns_stored_object(self):
        for res in ("companies", "endusers", "licenses", "invoices", "tasks", "users",
                    "customfields", "conversations", "assets", "timesheets"):
            obj = self.data(res)[0]
            r = self.get("/%s/%s" % (res, obj["_id"]))
            self.assertEqual(r.status, 200, res)
            self.assertEqual(r.json(), obj, res)

    def test_upper_case_hex_id(self):
        obj = self.data("companies")[0]
        self.assertEqual(self.get_json("/companies/" + obj["_id"].upper())["_id"], obj["_id"])

    def test_not_found_is_404_json(self):
        for path in ("/companies/000000000000000000000000", "/companies/nope",
                     "/companies/extid-nope", "/companies/srcid-nope", "/endusers/extid-"):
            r = self.get(path)
            self.assertEqual(r.status, 404, path)
            self.assertIn("error", r.json())

    def test_extid_and_srcid(self):
        c = self.data("companies")[0]
        self.assertEqual(self.get_json(key_path("companies", "extid-", c["externalId"]))["_id"], c["_id"])
        self.assertEqual(self.get_json(key_path("companies", "srcid-", c["sourceId"]))["_id"], c["_id"])
        inv = next(i for i in self.data("invoices") if "extId" in i)
        self.assertEqual(self.get_json(key_path("invoices", "extid-", inv["extId"]))["_id"], inv["_id"])
        lic = next(x for x in self.data("licenses") if "sourceId" in x)
        self.assertEqual(self.get_json(key_path("licenses", "srcid-", lic["sourceId"]))["_id"], lic["_id"])

    def test_extid_special_characters(self):
        by_ext = {c.get("externalId"): c["_id"] for c in self.data("companies")}
        for ext in ("ÅNG/001", "zoë's bakery", 'quoted "ext"', "comma,inc", "100% sure",
                    "plus+minus", "slash/path", "rocket 🚀?#&"):
            self.assertIn(ext, by_ext)
            r = self.get(key_path("companies", "extid-", ext))
            self.assertEqual(r.status, 200, ext)
            self.assertEqual(r.json()["_id"], by_ext[ext], ext)

    def test_key_decoded_once(self):
        cid = self.data("companies")[0]["_id"]
        self.send_json("PUT", "/companies/" + cid, {"externalId": "a%2Fb"})
        self.assertEqual(self.get("/companies/extid-a%2Fb").status, 404)     # that is "a/b"
        self.assertEqual(self.get_json("/companies/extid-a%252Fb")["_id"], cid)
        self.send_json("PUT", "/companies/" + cid, {"externalId": "x y+z"})
        self.assertEqual(self.get_json("/companies/extid-x%20y%2Bz")["_id"], cid)
        self.assertEqual(self.get_json("/companies/extid-x%20y+z")["_id"], cid)   # '+' is '+'
        self.assertEqual(self.get("/companies/extid-x+y+z").status, 404)

    def test_put_and_delete_by_keyable(self):
        c = self.data("companies")[1]
        self.send_json("PUT", key_path("companies", "srcid-", c["sourceId"]), {"phase": "Renewal"})
        self.assertEqual(self.get_json("/companies/" + c["_id"])["phase"], "Renewal")
        self.send_json("DELETE", key_path("companies", "extid-", c["externalId"]), None)
        self.assertEqual(self.get("/companies/" + c["_id"]).status, 404)

    def test_child_extid_first_in_storage_order(self):
        comps = self.data("companies")
        a = self.send_json("POST", "/projects", {"name": "P1", "companyId": comps[0]["_id"],
                                                 "externalId": "dup"})
        self.send_json("POST", "/projects", {"name": "P2", "companyId": comps[1]["_id"],
                                             "externalId": "dup"})
        self.assertEqual(self.get_json("/projects/extid-dup")["_id"], a["_id"])

    def test_verbs_per_resource(self):
        t = self.data("tickets")[0]
        self.assertEqual(self.get("/tickets/" + t["_id"]).status, 405)
        self.assertEqual(self.request("PUT", "/tickets/" + t["_id"], body={}).status, 405)
        self.assertEqual(self.request("POST", "/tickets", body={}).status, 405)
        r = self.request("DELETE", "/tickets/" + t["_id"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json(), {"n": 1, "ok": 1, "deletedCount": 1})
        for path in ("/leancompanies", "/workflows", "/dimensiondata"):
            self.assertEqual(self.request("POST", path, body={}).status, 405, path)
            self.assertEqual(self.request("PUT", path, body=[]).status, 405, path)
            r = self.get(path + "/" + "0" * 24)
            self.assertEqual(r.status, 405, path)
            self.assertEqual(r.header("Allow"), "", path)
        r = self.request("PUT", "/customfields", body=[])
        self.assertEqual(r.status, 405)
        self.assertEqual(r.header("Allow"), "GET, POST")
        self.assertEqual(self.request("PATCH", "/companies/" + "0" * 24, body={}).status, 405)

    def test_unknown_paths(self):
        for path in ("/nope", "/companies/a/b", "/", "/lineitems"):
            self.assertEqual(self.get(path).status, 404, path)

    def test_trailing_slash(self):
        self.assertEqual(len(self.get_json("/companies/")), 25)


if __name__ == "__main__":
    unittest.main()
