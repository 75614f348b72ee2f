"""Row makers: one method per resource, gen_<resource>(lo, hi, r) yields the
documents of rows lo..hi-1, drawing from the random stream r and the Plan."""

import hashlib
import time

import names as N
from genplan import (DAY, EMPTY_DICT, EMPTY_LIST, NOTIFY_PREFS, NOW_TS, POOL, SHAREABLE,
                     START_TS, Plan, _ascii, _base62, _user_names)
from jsonio import num
from models import snippet
from mongo import MISSING


class RowMaker(Plan):

    def gen_customfields(self):
        r = self.rnd("customfields")
        rows = []
        order = 0
        for parent, defs in N.CUSTOM_FIELDS.items():
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
                doc["email"] = self.enduser_info(eu_ids[k])[0]
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
                   "endusers": [{"id": e, "name": self.enduser_info(e)[1]} for e in eus],
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
               "endusers": [{"id": e, "name": self.enduser_info(e)[1]} for e in eus],
               "createDate": created, "days": day, "sender": EMPTY_LIST, "history": EMPTY_LIST,
               "followers": EMPTY_LIST, "createdAt": created, "updatedAt": updated}
        if ticket:
            doc["sourceId"] = "zd-%d" % (50000 + j)
            doc["email"] = self.enduser_info(eus[0])[0] if eus else "someone@%s" % self.domain(ci)
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
        # the fields of section 11: no timestamps are documented
        for j in range(lo, hi):
            doc = self._simple_child("workspaces", j, r, {
                "name": N.WORKSPACE_NAMES[j % len(N.WORKSPACE_NAMES)],
                "ownerId": self.user(r, 0.25)})
            if r.random() < 0.5:
                doc["externalId"] = "ws-%d" % j
            if r.random() < 0.5:
                doc["sourceId"] = "0WS" + _base62(j * 613 + 3, 8)
            doc["custom"] = self.custom_values("workspace", r)
            doc["__v"] = 0
            yield doc

    def gen_products(self, lo, hi, r):
        """The product catalog (section 11): no company; subscriptions carry
        mrr, fees a value."""
        rand = r.random
        ids = self.ids("products")
        for j in range(lo, hi):
            created, updated = self.created(ids[j], r)
            fee = j % 4 == 3
            name = N.PRODUCTS[j % len(N.PRODUCTS)] + ("" if j < len(N.PRODUCTS) else " %d" % j)
            doc = {"_id": ids[j], "name": name}
            if rand() < 0.8:
                doc["externalId"] = "PRD-%03d" % (j + 1)
            if rand() < 0.5:
                doc["sourceId"] = "01t" + _base62(j * 2477 + 11, 8)
            doc["type"] = "fee" if fee else "subscription"
            doc["currency"] = N.CURRENCIES[int(rand() * len(N.CURRENCIES))]
            if fee:
                doc["value"] = (int(rand() * 90) + 10) * 50
            else:
                value = (int(rand() * 900) + 10) * 100
                doc["mrr"] = num(value / 12)
                doc["arr"] = value
                doc["fixedPeriod"] = rand() < 0.7
                doc["autoRenews"] = rand() < 0.5
                doc["length"] = (12, 24, 36)[int(rand() * 3)]
                doc["renewalMrr"] = doc["mrr"]
                doc["renewalArr"] = value
                doc["renewalPeriod"] = 12
                if rand() < 0.6:
                    doc["noticePeriod"] = (30, 60, 3)[j % 3]
                    doc["noticeUnit"] = ("day", "day", "month")[j % 3]
                else:
                    doc["noticePeriod"] = doc["noticeUnit"] = None
            doc["packages"] = N.PACKAGES[:j % (len(N.PACKAGES) + 1)] or EMPTY_LIST
            color = N.COLORS[j % len(N.COLORS)]
            if color is not None:
                doc["color"] = color
            doc["custom"] = self.custom_values("product", r)
            doc["createdAt"] = created
            doc["updatedAt"] = updated
            doc["__v"] = 0
            yield doc

    def gen_deals(self, lo, hi, r):
        """Deals (section 11): dates are Date fields (midnight UTC); the
        derived renewalDate, startDate, endDate and subscriptions stand for
        line items the emulator does not model."""
        rand = r.random
        ids = self.ids("deals")
        for j in range(lo, hi):
            stage = N.DEAL_STAGES[j % len(N.DEAL_STAGES)]
            day = self.id_ts(ids[j]) // DAY
            follower = self.user(r, 0.5)
            doc = self._simple_child("deals", j, r, {})
            if rand() < 0.9:
                doc["name"] = "%s %s" % (doc["companyName"], ("renewal", "expansion", "new business")[j % 3])
            if rand() < 0.7:
                doc["externalId"] = "DEAL-%04d" % (j + 1)
            if rand() < 0.5:
                doc["sourceId"] = "006" + _base62(j * 7411 + 5, 8)
            doc["stage"] = stage
            doc["ownerId"] = self.user(r, 0.2)
            doc["followers"] = [follower] if follower else EMPTY_LIST
            value = (int(rand() * 2000) + 10) * 100
            if rand() < 0.9:
                doc["mrr"] = num(value / 12)
                doc["arr"] = value
            doc["total"] = value * (1, 2, 3)[j % 3]
            doc["fees"] = (0, 500, 1250.5)[j % 3]
            doc["currency"] = N.CURRENCIES[int(rand() * len(N.CURRENCIES))]
            doc["closeDate"] = self.times.day_iso(day + 30) if stage.startswith("Closed") or rand() < 0.5 \
                else None
            if j % 4 != 3:
                start = day + 30
                doc["startDate"] = self.times.day_iso(start)
                doc["endDate"] = self.times.day_iso(start + 365 * (1 + j % 3))
                doc["renewalDate"] = doc["endDate"]
                doc["subscriptions"] = 1 + j % 3
            else:
                doc["subscriptions"] = 0
            doc["__v"] = 0
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
