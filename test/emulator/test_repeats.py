"""What a client meets when it writes while paging, or sends a write twice.

planhat_fdw's write tests (sql/writes.sql) rely on these behaviours of the
reference: lists page by offset over the current data (a write between two
pages shifts the rows after it), a request processed before its answer is
lost stays processed, and a repeated bulk batch is matched only on the
model's keyables (section 4.1).
"""

import socket
import unittest

from emutest import TOKEN, EmulatorCase


class RepeatTest(EmulatorCase):
    def arm(self, spec):
        return self.send_json("POST", "/__emulator/faults", spec, token=None)

    def bulk(self, res, items, status=200):
        r = self.request("PUT", "/" + res, body=items)
        self.assertEqual(r.status, status, r.body[:800])
        return r.json()

    def test_delete_between_pages_shifts_the_offsets(self):
        first = self.get_json("/companies?limit=10&offset=0")
        for row in first[:5]:
            self.assertEqual(self.request("DELETE", "/companies/" + row["_id"]).status, 200)
        second = self.get_json("/companies?limit=10&offset=10")
        everything = self.data("companies")
        # rows 11 to 15 of the original list moved onto the first page
        self.assertEqual(second[0]["_id"], everything[10]["_id"])
        self.assertEqual(len(everything), 20)

    def test_update_of_a_filtered_field_leaves_the_list(self):
        page = self.get_json("/tasks?isArchived=false&limit=5&offset=0")
        before = len(self.get_json("/tasks?isArchived=false&limit=10000"))
        self.send_json("PUT", "/tasks/" + page[0]["_id"], {"isArchived": True})
        after = self.get_json("/tasks?isArchived=false&limit=10000")
        self.assertEqual(len(after), before - 1)
        self.assertNotIn(page[0]["_id"], [t["_id"] for t in after])

    def test_processed_delete_then_dropped_connection(self):
        cid = self.data("companies")[3]["_id"]
        self.arm({"method": "DELETE", "path_prefix": "/companies/", "action": "drop_connection",
                  "process": True})
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        s.sendall(("DELETE /companies/%s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   "Content-Length: 0\r\n\r\n" % (cid, TOKEN)).encode())
        self.assertEqual(s.recv(65536), b"")            # no answer at all
        s.close()
        # the record is gone: a repeat finds nothing
        self.assertEqual(self.request("DELETE", "/companies/" + cid).status, 404)
        self.assertNotIn(cid, self.ids(self.data("companies")))

    def test_repeated_conversation_batch_is_not_matched(self):
        cid = self.data("companies")[0]["_id"]
        items = [{"companyId": cid, "subject": "Call 1"}]
        before = len(self.data("conversations"))
        self.assertEqual(self.bulk("conversations", items)["created"], 1)
        # conversations match on _id only: a repeat creates a second one
        self.assertEqual(self.bulk("conversations", items)["created"], 1)
        self.assertEqual(len(self.data("conversations")), before + 2)
        # and an externalId is no key either: the repeat is refused as a
        # duplicate instead of updating the first
        keyed = [{"companyId": cid, "subject": "Call 2", "externalId": "conv-x1"}]
        self.assertEqual(self.bulk("conversations", keyed)["created"], 1)
        r = self.bulk("conversations", keyed, status=400)
        self.assertEqual((r["updated"], r["createdErrors"][0]["error"]),
                         (0, "externalId duplicated"))

    def test_repeated_keyed_company_batch_matches(self):
        items = [{"name": "K1", "externalId": "k-1"}, {"name": "K2", "externalId": "k-2"}]
        before = len(self.data("companies"))
        self.assertEqual(self.bulk("companies", items)["created"], 2)
        again = self.bulk("companies", items)
        self.assertEqual((again["created"], again["updated"], again["nonupdates"]), (0, 0, 2))
        self.assertEqual(len(self.data("companies")), before + 2)

    def test_processed_bulk_answered_502(self):
        self.arm({"method": "PUT", "path": "/conversations", "action": "status", "status": 502,
                  "process": True})
        cid = self.data("companies")[0]["_id"]
        before = len(self.data("conversations"))
        r = self.request("PUT", "/conversations", body=[{"companyId": cid, "subject": "S"}])
        self.assertEqual(r.status, 502)
        self.assertEqual(len(self.data("conversations")), before + 1)


if __name__ == "__main__":
    unittest.main()
