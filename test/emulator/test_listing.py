"""List endpoints: paging, limits, sort, select, companyId and the filters
(docs/planhat-api.md §2.3, §5, §8.3)."""

import unittest
from urllib.parse import quote

from emutest import EmulatorCase


class PagingTest(EmulatorCase):
    def test_bare_array_default_limit(self):
        rows = self.get_json("/companies")
        self.assertIsInstance(rows, list)
        self.assertEqual(len(rows), 25)               # regress: 25 < default 100
        self.assertEqual(self.ids(rows), self.ids(self.data("companies")))   # storage order

    def test_default_limits_per_resource(self):
        self.emu.reset({"rows": {"companies": 30, "conversations": 40, "tasks": 600,
                                 "endusers": 150}})
        self.assertEqual(len(self.get_json("/conversations")), 30)    # default 30
        self.assertEqual(len(self.get_json("/endusers")), 100)        # default 100
        self.assertEqual(len(self.get_json("/tasks?isArchived=false")) <= 500, True)
        tasks = self.get_json("/tasks")
        self.assertEqual(len(tasks), 500)                               # default 500

    def test_limit_clamped_to_max(self):
        self.emu.reset({"dataset": "generated", "rows": {"companies": 5100, "users": 2,
                                                         "endusers": 2100, "churn": 1100}})
        self.assertEqual(len(self.get_json("/endusers?limit=3000&select=_id&archived=true")), 2000)
        self.assertEqual(len(self.get_json("/churn?limit=3000&select=_id")), 1000)
        self.assertEqual(len(self.get_json("/companies?limit=6000&select=_id")), 5000)
        self.assertEqual(len(self.get_json("/companies?limit=5000&select=_id")), 5000)
        self.assertEqual(len(self.get_json("/companies?limit=6000&offset=5000&select=_id")), 100)

    def test_offset_and_limit(self):
        all_ids = self.ids(self.get_json("/companies"))
        self.assertEqual(self.ids(self.get_json("/companies?limit=5&offset=0")), all_ids[:5])
        self.assertEqual(self.ids(self.get_json("/companies?limit=5&offset=5")), all_ids[5:10])
        self.assertEqual(self.ids(self.get_json("/companies?offset=23")), all_ids[23:])
        self.assertEqual(self.get_json("/companies?offset=25"), [])
        self.assertEqual(self.get_json("/companies?offset=1000"), [])
        self.assertEqual(self.get_json("/companies?limit=0"), [])

    def test_paging_terminates_on_short_page(self):
        seen, offset = [], 0
        while True:
            page = self.get_json("/endusers?limit=7&offset=%d" % offset)
            seen += self.ids(page)
            if len(page) < 7:
                break
            offset += 7
        self.assertEqual(seen, self.ids(self.get_json("/endusers?limit=2000")))
        self.assertEqual(len(seen), len(set(seen)))

    def test_bad_limit_offset_are_400_json_strings(self):
        for q in ("limit=abc", "limit=-1", "offset=-5", "offset=1.5", "limit=10x", "limit=%2B5"):
            r = self.get("/companies?" + q)
            self.assertEqual(r.status, 400, q)
            self.assertIsInstance(r.json(), str)
            self.assertIn("must be a non-negative integer", r.json())

    def test_empty_values_count_as_absent(self):
        self.assertEqual(len(self.get_json("/companies?limit=&offset=&companyId=&sort=")), 25)

    def test_unknown_parameters_ignored(self):
        self.assertEqual(self.get_json("/companies?foo=bar&limit=3&ids=x"),
                         self.get_json("/companies?limit=3"))


class SortTest(EmulatorCase):
    dataset = "empty"

    def make(self, values):
        """Companies with field x set to each value (MISSING: no x)."""
        ids = []
        for i, v in enumerate(values):
            body = {"name": "c%02d" % i}
            if v is not Ellipsis:
                body["x"] = v
            ids.append(self.send_json("POST", "/companies", body)["_id"])
        return ids

    def xs(self, query):
        return [r.get("x", "<missing>") for r in self.get_json("/companies?select=x&" + query)]

    def test_mongo_type_order_ascending_and_descending(self):
        self.make([True, "b", None, 2.5, ..., {"k": 1}, [1, 2], False, 1, "B", "é", "a"])
        self.assertEqual(self.xs("sort=x"),
                         [None, "<missing>", 1, 2.5, "B", "a", "b", "é", {"k": 1}, [1, 2], False, True])
        self.assertEqual(self.xs("sort=-x"),
                         [True, False, [1, 2], {"k": 1}, "é", "b", "a", "B", 2.5, 1, None, "<missing>"])

    def test_stable_ties_keep_storage_order(self):
        ids = self.make([1, 2, 1, None, 2, ..., 1])
        asc = self.ids(self.get_json("/companies?sort=x"))
        self.assertEqual(asc, [ids[3], ids[5], ids[0], ids[2], ids[6], ids[1], ids[4]])
        desc = self.ids(self.get_json("/companies?sort=-x"))
        self.assertEqual(desc, [ids[1], ids[4], ids[0], ids[2], ids[6], ids[3], ids[5]])

    def test_unknown_field_sorts_as_missing(self):
        ids = self.make([3, 1, 2])
        self.assertEqual(self.ids(self.get_json("/companies?sort=nope")), ids)
        self.assertEqual(self.ids(self.get_json("/companies?sort=-nope")), ids)
        self.assertEqual(self.ids(self.get_json("/companies?sort=custom.x")), ids)

    def test_code_point_order_of_names(self):
        names = ["zeta", "Zeta", "Ångström", "alpha", "Émile", "東京", "Bravo", "émile", "😀 Emoji"]
        for n in names:
            self.send_json("POST", "/companies", {"name": n})
        got = [r["name"] for r in self.get_json("/companies?sort=name")]
        self.assertEqual(got, sorted(names))            # Python compares code points
        self.assertEqual([r["name"] for r in self.get_json("/companies?sort=-name")],
                         sorted(names, reverse=True))

    def test_sort_then_offset_then_limit(self):
        self.make([5, 3, 9, 1, 7])
        self.assertEqual(self.xs("sort=x&offset=1&limit=2"), [3, 5])
        self.assertEqual(self.xs("sort=-x&offset=0&limit=2"), [9, 7])


class SortRegressTest(EmulatorCase):
    def test_null_mrr_sorts_lowest(self):
        rows = self.get_json("/companies?sort=mrr&select=mrr")
        head = rows[:4]
        self.assertTrue(all(r.get("mrr") is None for r in head))
        nums = [r["mrr"] for r in rows[4:]]
        self.assertEqual(nums, sorted(nums))
        desc = self.get_json("/companies?sort=-mrr&select=mrr")
        self.assertTrue(all(r.get("mrr") is None for r in desc[-4:]))


class SelectTest(EmulatorCase):
    def test_select_returns_id_and_fields_in_document_order(self):
        rows = self.get_json("/companies?select=name,externalId,mrr&limit=25")
        for r in rows:
            self.assertEqual(list(r)[0], "_id")
            self.assertLessEqual(set(r), {"_id", "name", "externalId", "mrr"})
        stored = self.data("companies")
        for r, s in zip(rows, stored):
            self.assertEqual(list(r), [k for k in s if k in r])
            for k in r:
                self.assertEqual(r[k], s[k])

    def test_absent_fields_omitted_not_null(self):
        rows = self.get_json("/companies?select=mrr&limit=25")
        self.assertIn({"_id": rows[7]["_id"]}, rows)              # regress row 7: no mrr
        self.assertEqual(rows[3], {"_id": rows[3]["_id"], "mrr": None})   # row 3: mrr null

    def test_unknown_names_ignored_id_always(self):
        rows = self.get_json("/companies?select=nope,custom.Seats,-name&limit=2")
        self.assertEqual([list(r) for r in rows], [["_id"], ["_id"]])
        rows = self.get_json("/companies?select=_id&limit=2")
        self.assertEqual([list(r) for r in rows], [["_id"], ["_id"]])

    def test_select_whole_objects(self):
        r = self.get_json("/companies?select=custom,domains&limit=1")[0]
        s = self.data("companies")[0]
        self.assertEqual(r, {"_id": s["_id"], "domains": s["domains"], "custom": s["custom"]})

    def test_users_default_projection(self):
        default = {"_id", "firstName", "lastName", "nickName", "email", "externalId", "image",
                   "isHidden", "removed", "inactive", "managers", "teams",
                   "isExposedAsSenderOption", "createdAt", "updatedAt", "tzOffset"}
        users = self.get_json("/users")
        self.assertEqual(len(users), 6)
        for u in users:
            self.assertLessEqual(set(u), default)
            self.assertIn("email", u)
            self.assertNotIn("roles", u)
        stored = self.data("users")
        self.assertIn("roles", stored[0])
        sel = self.get_json("/users?select=roles,custom")
        self.assertEqual(set(sel[0]), {"_id", "roles", "custom"})
        one = self.get_json("/users/" + users[0]["_id"])
        self.assertIn("roles", one)                          # GET by id: whole object


class CompanyFilterTest(EmulatorCase):
    def company_ids(self, n=3):
        return self.ids(self.get_json("/companies?limit=%d" % n))

    def test_companies_filter_own_id(self):
        ids = self.company_ids(25)
        pick = [ids[5], ids[1], ids[20]]
        rows = self.get_json("/companies?companyId=" + ",".join(pick))
        self.assertEqual(self.ids(rows), [ids[1], ids[5], ids[20]])     # storage order
        self.assertEqual(self.get_json("/companies?companyId=000000000000000000000000"), [])

    def test_child_models_filter_company_field(self):
        ids = self.company_ids(25)
        for res, field in (("endusers", "companyId"), ("licenses", "companyId"),
                           ("invoices", "cId"), ("nps", "cId"), ("tasks", "companyId"),
                           ("assets", "companyId"), ("conversations", "companyId"),
                           ("opportunities", "companyId"), ("projects", "companyId"),
                           ("sales", "companyId"), ("timeentries", "companyId"),
                           ("churn", "companyId"), ("workspaces", "companyId"),
                           ("workflows", "companyId"), ("campaigns", "companyId"),
                           ("objectives", "companyId")):
            everything = self.get_json("/%s?limit=2000" % res)
            wanted = sorted({everything[0][field], everything[-1][field], ids[24]})
            expect = [r["_id"] for r in everything if r.get(field) in wanted]
            got = self.get_json("/%s?limit=2000&companyId=%s" % (res, ",".join(wanted)))
            self.assertEqual(self.ids(got), expect, res)
            self.assertTrue(set(expect) > {everything[0]["_id"]}, res)

    def test_issues_filter_company_ids_array(self):
        issues = self.data("issues")
        cid = issues[0]["companyIds"][0]
        got = self.get_json("/issues?companyId=" + cid)
        self.assertEqual(self.ids(got), [i["_id"] for i in issues if cid in i["companyIds"]])

    def test_single_company_id_and_unknown(self):
        ids = self.company_ids(1)
        got = self.get_json("/endusers?companyId=" + ids[0])
        self.assertTrue(got)
        self.assertTrue(all(e["companyId"] == ids[0] for e in got))
        self.assertEqual(self.get_json("/endusers?companyId=nope"), [])


class FilterTest(EmulatorCase):
    def test_endusers_archived_hidden_by_default(self):
        stored = self.data("endusers")
        archived = [e["_id"] for e in stored if e.get("archived") is True]
        self.assertEqual(len(archived), 4)
        default = self.ids(self.get_json("/endusers?limit=2000"))
        self.assertFalse(set(archived) & set(default))
        self.assertEqual(len(default), len(stored) - 4)
        every = self.ids(self.get_json("/endusers?limit=2000&archived=true"))
        self.assertEqual(every, self.ids(stored))
        self.assertEqual(self.ids(self.get_json("/endusers?limit=2000&archived=false")), default)

    def test_endusers_email_exact_and_eu_id(self):
        e = self.data("endusers")[3]
        self.assertEqual(self.ids(self.get_json("/endusers?email=" + quote(e["email"]))), [e["_id"]])
        self.assertEqual(self.get_json("/endusers?email=" + quote(e["email"].upper())), [])
        self.assertEqual(self.get_json("/endusers?email=" + quote(e["email"][:-1])), [])
        self.assertEqual(self.ids(self.get_json("/endusers?euId=" + e["_id"])), [e["_id"]])

    def test_tasks_is_archived(self):
        stored = self.data("tasks")
        archived = [t["_id"] for t in stored if t.get("isArchived") is True]
        self.assertEqual(len(archived), 3)
        self.assertEqual(self.ids(self.get_json("/tasks?isArchived=true")), archived)
        live = [t["_id"] for t in stored if t.get("isArchived") is not True]
        self.assertEqual(self.ids(self.get_json("/tasks")), live)
        self.assertEqual(self.ids(self.get_json("/tasks?isArchived=false")), live)
        types = {t["mainType"] for t in self.get_json("/tasks")}
        self.assertEqual(types, {"task", "event"})

    def test_tasks_enduser_ids(self):
        stored = [t for t in self.data("tasks") if not t["isArchived"]]
        eu = next(t["endusers"][0] for t in stored if t["endusers"])
        expect = [t["_id"] for t in stored if eu in t["endusers"]]
        self.assertEqual(self.ids(self.get_json("/tasks?enduserIds=" + eu)), expect)
        self.assertEqual(self.ids(self.get_json("/tasks?enduserIds=x," + eu)), expect)

    def test_tickets_filters(self):
        tickets = self.data("tickets")
        self.assertTrue(tickets and all(t["type"] == "ticket" for t in tickets))
        self.assertEqual(self.ids(self.get_json("/tickets")), self.ids(tickets))
        st = tickets[0]["status"]
        self.assertEqual(self.ids(self.get_json("/tickets?status=" + st)),
                         [t["_id"] for t in tickets if t["status"] == st])
        em = tickets[1]["email"]
        self.assertEqual(self.ids(self.get_json("/tickets?email=" + quote(em))),
                         [t["_id"] for t in tickets if t["email"] == em])
        word = tickets[2]["snippet"].split()[0]
        self.assertEqual(self.ids(self.get_json("/tickets?search=" + quote(word.upper()))),
                         [t["_id"] for t in tickets if word.lower() in t["snippet"].lower()])
        convs = self.get_json("/conversations?limit=2000")
        self.assertTrue(set(self.ids(tickets)) <= set(self.ids(convs)))   # tickets are conversations

    def test_users_email(self):
        u = self.data("users")[2]
        self.assertEqual(self.ids(self.get_json("/users?email=" + quote(u["email"]))), [u["_id"]])

    def test_conversations_type(self):
        convs = self.data("conversations")
        got = self.get_json("/conversations?type=call&limit=2000")
        self.assertEqual(self.ids(got), [c["_id"] for c in convs if c["type"] == "call"])

    def test_leancompanies(self):
        self.emu.reset({"rows": {"companies": 150}})
        rows = self.get_json("/leancompanies?limit=10&offset=5&sort=-name&select=phase")
        self.assertEqual(len(rows), 150)                       # unpaginated, no sort/select
        stored = self.data("companies")
        self.assertEqual(self.ids(rows), self.ids(stored))
        for r, s in zip(rows, stored):
            self.assertEqual(r, {k: s[k] for k in s if k in ("_id", "name", "externalId", "sourceId")})
        ext = [stored[3]["externalId"], stored[9]["externalId"]]
        got = self.get_json("/leancompanies?externalId=" + ",".join(ext))
        self.assertEqual(self.ids(got), [stored[3]["_id"], stored[9]["_id"]])
        got = self.get_json("/leancompanies?sourceId=" + stored[0]["sourceId"])
        self.assertEqual(self.ids(got), [stored[0]["_id"]])
        got = self.get_json("/leancompanies?status=lost,canceled")
        self.assertEqual(self.ids(got), [s["_id"] for s in stored if s["status"] in ("lost", "canceled")])

    def test_customfields_parent(self):
        fields = self.data("customfields")
        got = self.get_json("/customfields?parent=company")
        self.assertEqual(self.ids(got), [f["_id"] for f in fields if f["parent"] == "company"])
        self.assertEqual(self.ids(self.get_json("/customfields?parent=Company")), self.ids(got))

    def test_dimensiondata_filters(self):
        points = self.data("dimensiondata")
        cid = points[0]["companyId"]
        for p in ("cId", "cid"):
            got = self.get_json("/dimensiondata?%s=%s&limit=1000" % (p, cid))
            self.assertEqual(self.ids(got), [x["_id"] for x in points if x["companyId"] == cid])
        dim = points[1]["dimensionId"]
        got = self.get_json("/dimensiondata?dimid=%s&limit=1000" % dim)
        self.assertEqual(self.ids(got), [x["_id"] for x in points if x["dimensionId"] == dim])
        day = points[0]["day"]
        got = self.get_json("/dimensiondata?from=%d&to=%d&limit=1000" % (day, day))
        self.assertEqual(self.ids(got), [x["_id"] for x in points if x["day"] == day])
        got = self.get_json("/dimensiondata?from=%d&limit=1000" % (day + 1))
        self.assertEqual(self.ids(got), [x["_id"] for x in points if x["day"] >= day + 1])
        self.assertEqual(self.get("/dimensiondata?from=yesterday").status, 400)

    def test_filters_then_sort_then_page(self):
        cid = self.ids(self.get_json("/companies?limit=1"))[0]
        eus = [e for e in self.data("endusers") if e["companyId"] == cid and not e["archived"]]
        expect = sorted(eus, key=lambda e: e["email"])[1:3]
        got = self.get_json("/endusers?companyId=%s&sort=email&offset=1&limit=2" % cid)
        self.assertEqual(self.ids(got), self.ids(expect))

    def test_percent_decoding_strict(self):
        # %2B is '+', a literal '+' stays '+', %20 is a space
        self.send_json("POST", "/endusers", {"email": "a+b@acme.test", "companyId":
                                             self.data("companies")[0]["_id"]})
        self.assertEqual(len(self.get_json("/endusers?email=a%2Bb%40acme.test")), 1)
        self.assertEqual(len(self.get_json("/endusers?email=a+b@acme.test")), 1)
        self.assertEqual(len(self.get_json("/endusers?email=a%20b@acme.test")), 0)


if __name__ == "__main__":
    unittest.main()
