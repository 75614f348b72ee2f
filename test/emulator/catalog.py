"""The resource catalogue: one entry per Planhat resource (docs/planhat-api.md §5).

Everything the emulator knows about a resource that is not code lives here:
path, verbs, list defaults, the company-link field, keyables, required fields,
list filters, timestamps and create-time defaults.  Adding a resource means
adding an entry to RESOURCES.
"""

from dataclasses import dataclass, field

# Verbs (section 5): L list, G get by key, C create, U update, D delete, B bulk upsert
ALL_VERBS = frozenset("LGCUDB")

# Custom field types (section 2.5)
CUSTOM_FIELD_TYPES = (
    "number", "text", "rich text", "checkbox", "day", "date", "list",
    "multipicklist", "team member", "team members", "rating", "phone",
    "email", "enduser", "endusers", "url",
)

# Metric models accepted by POST /dimensiondata/<tenant> (section 7.2)
METRIC_MODELS = {"Company": "companies", "EndUser": "endusers",
                 "Asset": "assets", "Project": "projects"}

# Conversation types that exist in the emulated tenant (section 6.10: a type
# must reference an existing conversation type, otherwise it becomes "note")
CONVERSATION_TYPES = ("note", "email", "chat", "call", "ticket", "meeting")


@dataclass(frozen=True)
class Filter:
    """A list query parameter that filters on a field.

    op: "in"     comma list, matches when the field equals one value (or, for
                 an array field, contains one)
        "eq"     one value, exact match (same array rule)
        "ieq"    one value, case-insensitive match
        "search" case-insensitive substring of the field
        "day_from" / "day_to"  integer day number, inclusive bound
    """
    param: str
    field: str
    op: str = "in"


@dataclass(frozen=True)
class Resource:
    name: str                      # URL path segment
    collection: str                # storage collection
    verbs: frozenset = ALL_VERBS
    default_limit: int | None = 100   # None: unpaginated
    max_limit: int | None = 2000
    company_field: str | None = "companyId"   # field the companyId param filters
    company_name_field: str | None = "companyName"
    extid_field: str = "externalId"
    keyables: tuple = ("_id", "sourceId", "externalId")
    required: tuple = ()
    bulk_required: tuple | None = None        # None: same as required
    filters: tuple = ()
    scope: tuple | None = None     # (field, value) every row of the resource has
    timestamps: tuple = ()         # set to "now" on create; last one(s) on update
    created_fields: tuple = ()     # timestamps set only on create
    defaults: dict = field(default_factory=dict)
    datetime_fields: tuple = ()    # ISO strings normalised to .000Z
    date_fields: tuple = ()        # ISO strings truncated to midnight UTC
    day_fields: tuple = ()         # integer day numbers
    parent: str | None = None      # customfields "parent" value for this model
    delete_returns_doc: bool = False
    default_select: tuple | None = None   # list projection when no select


_UPDATED_CD = ("lastUpdated", "updatedAt")

RESOURCES = {}


def _add(res):
    RESOURCES[res.name] = res


_add(Resource(
    name="companies", collection="companies", max_limit=5000,
    company_field="_id", company_name_field=None,
    required=("name",),
    created_fields=("createDate", "phaseSince"), timestamps=_UPDATED_CD,
    datetime_fields=("createDate", "lastUpdated", "updatedAt", "phaseSince",
                     "hDiffDate", "lastActive", "lastTouch", "nextTouch",
                     "customerFrom", "customerTo", "renewalDate", "lastRenewal"),
    defaults={
        "shareable": {"team": {"fields": []}, "enabled": False, "euIds": [], "sunits": False},
        "followers": [], "domains": [], "collaborators": [], "products": [], "tags": [],
        "lastPerformedTriggers": [], "status": "prospect", "mr": 0, "nrr30": 0,
        "mrrTotal": 0, "nrrTotal": 0, "mrTotal": 0, "csmScoreLog": [],
        "lastTouchByType": {}, "sales": [], "licenses": [], "features": {}, "usage": {},
        "documents": [], "links": [], "alerts": [], "custom": {}, "__v": 0},
    parent="company"))

_add(Resource(
    name="leancompanies", collection="companies", verbs=frozenset("L"),
    default_limit=None, max_limit=None, company_field=None, company_name_field=None,
    filters=(Filter("externalId", "externalId"), Filter("sourceId", "sourceId"),
             Filter("status", "status"))))

_add(Resource(
    name="endusers", collection="endusers",
    keyables=("_id", "sourceId", "externalId", "email"),
    required=("email", "companyId"),
    filters=(Filter("email", "email", "eq"), Filter("euId", "_id", "eq")),
    created_fields=("createDate",), timestamps=_UPDATED_CD,
    datetime_fields=("createDate", "lastUpdated", "updatedAt", "lastActive",
                     "lastTouch", "npsDate", "npsSent"),
    defaults={"featured": False, "primary": False, "archived": False,
              "otherEmails": [], "tags": [], "npsUnsubscribed": False,
              "beats": 0, "beatsTotal": 0, "convs14": 0, "convsTotal": 0,
              "experience": 0, "relevance": 0, "lastActivities": [],
              "relatedEndusers": [], "lastTouchByType": {},
              "sharedNotificationsPrefs": {"enabled": [], "disabled": [], "disabledEvents": []},
              "usage": {}, "custom": {}, "__v": 0},
    parent="enduser"))

_add(Resource(
    name="assets", collection="assets", required=("companyId", "name"),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("installDate", "createdAt", "updatedAt"),
    defaults={"usage": {}, "followers": [], "custom": {}, "__v": 0},
    parent="asset"))

_add(Resource(
    name="campaigns", collection="campaigns", required=("name", "companyId"),
    defaults={"custom": {}, "__v": 0}, parent="campaign"))

_add(Resource(
    name="churn", collection="churn", max_limit=1000, required=("companyId",),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("churnDate", "createdAt", "updatedAt"),
    defaults={"reasons": [], "products": [], "onlyDowngrade": False,
              "snoozed": False, "custom": {}, "__v": 0},
    parent="churn"))

_CONVERSATION_DEFAULTS = {
    "starred": False, "pinned": False, "autoTags": [], "activityTags": [],
    "emailTemplateIds": [], "isOpen": False, "tags": [], "waitsToBeFiltered": True,
    "timeBucket": [], "archived": False, "users": [], "endusers": [],
    "sender": [], "history": [], "followers": [], "custom": {}, "__v": 0}

_add(Resource(
    name="conversations", collection="conversations", default_limit=30,
    keyables=("_id",), required=("companyId",),
    filters=(Filter("type", "type", "eq"),),
    created_fields=("createDate", "createdAt"), timestamps=("updatedAt",),
    datetime_fields=("date", "outDate", "createDate", "inDate", "createdAt", "updatedAt"),
    day_fields=("days",),
    defaults=_CONVERSATION_DEFAULTS,
    parent="conversation", delete_returns_doc=True))

_add(Resource(
    name="customfields", collection="customfields", verbs=frozenset("LGCUD"),
    company_field=None, company_name_field=None, keyables=("_id",),
    required=("name", "type", "parent"),
    filters=(Filter("parent", "parent", "ieq"),),
    defaults={"isFeatured": False, "isHidden": False, "isShared": False,
              "isLocked": False, "isMandatory": False, "isFormula": False,
              "treatUndefinedAsZero": False, "listValues": [], "filter": [],
              "formulaRefs": [], "__v": 0}))

_add(Resource(
    name="invoices", collection="invoices", company_field="cId",
    company_name_field="cName", extid_field="extId",
    keyables=("_id", "sourceId", "extId"),
    required=("cId",), bulk_required=("cId", "currency", "invoiceDate"),
    timestamps=("lastUpdated", "updatedAt"),
    datetime_fields=("lastUpdated", "updatedAt"),
    day_fields=("invoiceDate", "dueDate", "paidDate"),
    defaults={"emails": [], "comments": [], "lineItems": [], "status": "pending",
              "amountPaid": 0, "custom": {}, "__v": 0},
    parent="invoice"))

_add(Resource(
    name="issues", collection="issues", company_field="companyIds",
    company_name_field=None, keyables=("_id", "sourceId"),
    required=("title",), bulk_required=("title", "companyIds"),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("createdAt", "updatedAt"),
    defaults={"companyMatchingValue": [], "companyIds": [], "enduserIds": [],
              "conversationIds": [], "archived": False, "followers": [],
              "custom": {}, "__v": 0},
    parent="issue"))

_add(Resource(
    name="licenses", collection="licenses",
    required=("companyId", "_currency", "fromDate"),
    date_fields=("fromDate", "toDate"), datetime_fields=("salesDate", "renewalDate"),
    defaults={"renewalStatus": "ongoing", "issues": [], "autoRenews": False,
              "noticePeriod": None, "renewalUnit": "month", "noticeUnit": None,
              "invoicesGenerated": False, "fixedPeriod": False,
              "invoiceCycleInterval": 0, "toDateIncluded": False,
              "isOverdue": False, "custom": {}, "__v": 0},
    parent="license"))

_add(Resource(
    name="nps", collection="nps", max_limit=10000, company_field="cId",
    company_name_field=None, required=("email", "score"),
    datetime_fields=("dateSent", "dateAnswered"),
    defaults={"custom": {}, "__v": 0}, parent="nps"))

_add(Resource(
    name="opportunities", collection="opportunities", required=("companyId",),
    datetime_fields=("dealDate", "landingDate", "closeDate"),
    defaults={"status": "active", "contractLength": 12, "stageHistory": [],
              "comments": [], "custom": {}, "__v": 0},
    parent="opportunity"))

_add(Resource(
    name="objectives", collection="objectives", required=("name", "companyId"),
    defaults={"custom": {}, "__v": 0}, parent="objective"))

_add(Resource(
    name="projects", collection="projects", required=("name", "companyId"),
    datetime_fields=("startDate", "endDate"),
    defaults={"custom": {}, "__v": 0}, parent="project"))

_add(Resource(
    name="sales", collection="sales",
    required=("_currency", "companyId", "salesDate", "value"),
    date_fields=("salesDate",),
    defaults={"custom": {}, "__v": 0}, parent="sale"))

_add(Resource(
    name="tasks", collection="tasks", default_limit=500, max_limit=10000,
    keyables=("_id", "sourceId"), required=("companyId",),
    filters=(Filter("enduserIds", "endusers"),),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("startTime", "endTime", "dateDone", "createdAt", "updatedAt"),
    defaults={"mainType": "task", "noSpecificTime": True, "shared": False,
              "overdueNotified": False, "activityTags": [], "isArchived": False,
              "endusers": [], "users": [], "children": [], "comments": [],
              "checklist": [], "custom": {}, "__v": 0},
    parent="task"))

_add(Resource(
    name="tickets", collection="conversations", verbs=frozenset("LBD"),
    default_limit=500, max_limit=10000, keyables=("_id", "sourceId"),
    required=("sourceId", "email"),
    filters=(Filter("status", "status", "eq"), Filter("email", "email", "eq"),
             Filter("search", "snippet", "search")),
    scope=("type", "ticket"),
    created_fields=("createDate", "createdAt"), timestamps=("updatedAt",),
    datetime_fields=("date", "createDate", "inDate", "createdAt", "updatedAt"),
    day_fields=("days",),
    defaults=_CONVERSATION_DEFAULTS))

_add(Resource(
    name="users", collection="users", default_limit=10000, max_limit=10000,
    company_field=None, company_name_field=None,
    keyables=("_id", "externalId", "email"),
    required=("email", "nickName", "firstName", "lastName"),
    filters=(Filter("email", "email", "eq"),),
    created_fields=("createDate", "createdAt"), timestamps=("updatedAt",),
    datetime_fields=("createDate", "createdAt", "updatedAt"),
    day_fields=("lastDailyDigest",),
    defaults={"roles": [], "inactive": True, "removed": False, "isHidden": False,
              "managers": [], "teams": [], "type": "user", "custom": {}, "__v": 0},
    default_select=("firstName", "lastName", "nickName", "email", "externalId",
                    "image", "isHidden", "removed", "inactive", "managers", "teams",
                    "isExposedAsSenderOption", "createdAt", "updatedAt", "tzOffset"),
    parent="user"))

_add(Resource(
    name="timeentries", collection="timeentries", keyables=("_id",),
    required=("date", "hours"),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    date_fields=("date",), datetime_fields=("createdAt", "updatedAt"),
    defaults={"isTimeOff": False, "isBillable": False, "assignedModel": "User",
              "timesheetStatus": "draft", "path": [], "__v": 0}))

_add(Resource(
    name="timesheets", collection="timesheets", company_field=None,
    company_name_field=None, keyables=("_id",),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("dateOfApproval", "createdAt", "updatedAt"),
    day_fields=("dateFrom", "dateTo"),
    defaults={"status": "submitted", "timeEntries": [], "assignedModel": "User", "__v": 0}))

_add(Resource(
    name="workflows", collection="workflows", verbs=frozenset("L")))

# Workspaces, deals and products (section 11): the fields are documented, the
# routes, limits, filters and keyables are not; they get what every model of
# section 5 has (README, readings 14, 16 and 45).  Workspaces and deals
# document no createdAt/updatedAt, products do.
_add(Resource(
    name="workspaces", collection="workspaces", required=("name", "companyId"),
    defaults={"custom": {}, "__v": 0}, parent="workspace"))

_add(Resource(
    name="deals", collection="deals", required=("companyId",),
    date_fields=("closeDate", "renewalDate", "startDate", "endDate"),
    defaults={"followers": [], "__v": 0}))

_add(Resource(
    name="products", collection="products", company_field=None, company_name_field=None,
    required=("name",),
    created_fields=("createdAt",), timestamps=("updatedAt",),
    datetime_fields=("createdAt", "updatedAt"),
    defaults={"type": "subscription", "packages": [], "custom": {}, "__v": 0},
    parent="product"))

_add(Resource(
    name="dimensiondata", collection="dimensiondata", verbs=frozenset("L"),
    max_limit=10000, company_field=None, company_name_field=None,
    filters=(Filter("cId", "companyId"), Filter("cid", "companyId"),
             Filter("dimid", "dimensionId", "eq"),
             Filter("from", "day", "day_from"), Filter("to", "day", "day_to"))))


# Collections the emulator stores (resources map onto these); analytics
# activities are kept apart and only visible through the admin API.
COLLECTIONS = tuple(sorted({r.collection for r in RESOURCES.values()}))
ADMIN_ONLY_COLLECTIONS = ("activities", "segment")


def resource(name):
    return RESOURCES.get(name)
