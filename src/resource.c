/*-------------------------------------------------------------------------
 *
 * resource.c
 *		  The resource catalog: one static table describing every Planhat
 *		  resource that planhat_fdw exposes as a foreign table.
 *
 * Each row says where the resource lives (path, host), which HTTP verbs it
 * accepts, how its list endpoint pages, which keyables ("extid-", "srcid-")
 * and list filters it supports, and which fields it documents with their
 * SQL types.  IMPORT FOREIGN SCHEMA creates one table per row, in table
 * order; pushdown.c pushes only the filters declared here; the modify code
 * refuses verbs a resource lacks.  Adding a resource means adding rows here
 * and nothing else.
 *
 * The source of truth is the API reference docs/planhat-api.md (its
 * sections cited as "§n"): §5 for paths, verbs and page sizes, §2.2 for
 * keyables, §2.3 and §5 for list filters, §6 and §7 for fields.  Where a
 * value is not documented and had to be chosen, the row carries a comment
 * with "(inferred)" and the reasoning.
 *
 * Assumptions shared by every row:
 *
 * - Field types follow §6: strings, ObjectIds and strings whose format is
 *	 in doubt are text; JSON numbers are numeric (exact digits: amounts such
 *	 as 83.33333333333333 must not be rounded); documented whole numbers are
 *	 integer; ISO-8601 strings are timestamptz; day numbers (days since
 *	 1970-01-01, §2.6) are date; arrays of strings or ObjectIds are text[];
 *	 objects, arrays of objects, arrays of undocumented element type and
 *	 fields seen with more than one shape are jsonb, which accepts any JSON
 *	 value and so never fails a scan.
 *
 * - PH_FIELD_REQUIRED marks only unconditional requirements of §5/§6.
 *	 Requirements of the form "one of a or b" (license mrr or value, end
 *	 user email or externalId on activities, ticket companyId or domains)
 *	 cannot be expressed per field and are left to Planhat to check.
 *
 * - PH_FIELD_AUTO marks fields that §6 documents as "(auto)", read-only or
 *	 derived, plus the bookkeeping every Mongoose document carries and
 *	 Planhat maintains itself (§2.1, §8.4): __v, createdAt, updatedAt,
 *	 createDate, lastUpdated, and the denormalised names companyName,
 *	 cName and ownerName.  "_id" is assigned by Planhat on create but is not
 *	 flagged: it is the key that UPDATE, DELETE and bulk upserts send.  The
 *	 company's "phase" is not flagged either (see there).
 *
 * - "__v" (§2.1: "Objects also carry Mongoose __v") is listed on every
 *	 model stored by the main API even where §6 omits it; a field absent
 *	 from an object simply reads as NULL.
 *
 * - Column names are derived by planhat_field_to_column() (option.c):
 *	 "_id" -> id, leading underscores dropped, camelCase -> snake_case.
 *	 "column" is set only where that rule would give a wrong or clashing
 *	 name.  The regression test sql/catalog.sql checks this table's rules
 *	 (column names unique per resource, every filter on a documented
 *	 field, every keyable with its field, ...) through the SQL functions
 *	 at the end of this file, from which docs/resources.md is generated.
 *
 * - A field's "note" and a resource's "notes" are user-facing text for
 *	 docs/resources.md and column comments: plain sentences without "§"
 *	 references, which stay in C comments.
 *
 * - max_limit is both the cap and the default of fetch_size (option.c): a
 *	 page that Planhat clamps below the requested limit looks like the last
 *	 one, so an undocumented maximum is a value seen working in a client,
 *	 never a guess upwards.
 *
 * - A filter is "exact" only when the reference documents that the list
 *	 returns exactly the rows the qual selects.  Inferred filters are never
 *	 exact: if Planhat ignored the parameter the local recheck still gives
 *	 the right rows, only more slowly.  Rows of exact filters are verified
 *	 (scan.c): a row that does not match is an error, not a silent answer.
 *
 * - A filter's last member says which values are sent as they are
 *	 (request.c, value_fate): ObjectId references (companyId, cId,
 *	 §2.1) only as 24 lower-case hex digits, the companies' own _id likewise
 *	 (anything else matches no row), free text (the default) unless empty,
 *	 padded with white space or holding a comma.  Other values are not sent:
 *	 the request is widened and the qual evaluated locally.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/resource.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "planhat_fdw.h"

PG_FUNCTION_INFO_V1(planhat_fdw_resources);
PG_FUNCTION_INFO_V1(planhat_fdw_fields);
PG_FUNCTION_INFO_V1(planhat_fdw_filters);

/* The full verb set of a regular Planhat model (§5: "L G C U D B") */
#define VERBS_ALL	(PH_VERB_LIST | PH_VERB_GET | PH_VERB_CREATE | \
					 PH_VERB_UPDATE | PH_VERB_DELETE | PH_VERB_BULK)

/* Shorthands for the two flags, to keep the field rows on one line */
#define REQ			PH_FIELD_REQUIRED
#define AUTO		PH_FIELD_AUTO

/*
 * The verbs of the models whose routes beyond the list are not documented
 * (deals, products, workspaces): see "The catalog" below
 */
#define VERBS_NEW	(PH_VERB_LIST | PH_VERB_CREATE | PH_VERB_BULK)

/* A list with no documented filters */
static const PlanhatFilter no_filters[] = {
	{NULL}
};


/* ----------------------------------------------------------------
 *		assets (§6.4)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter asset_filters[] = {
	/* §2.3: single-valued wording on /assets */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField asset_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"serialNumber", PH_TYPE_TEXT},
	{"value", PH_TYPE_NUMERIC},
	{"_currency", PH_TYPE_TEXT},
	{"installDate", PH_TYPE_TIMESTAMPTZ},
	{"status", PH_TYPE_TEXT},
	{"ownerId", PH_TYPE_TEXT},
	{"ownerName", PH_TYPE_TEXT, AUTO},
	{"usage", PH_TYPE_JSONB, 0, "dimensionId -> number"},
	{"followers", PH_TYPE_TEXT_ARRAY},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		campaigns (§6.15)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter campaign_filters[] = {
	/* §2.3: single-valued wording on /campaigns */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField campaign_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"campaignPurpose", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		churn (§6.9)
 *
 * The field list is Airbyte's schema; the stored Planhat page is a
 * self-described placeholder (isChurn, churnReason, externalId,
 * createDate) and is not used.  So churn has no externalId.
 * ----------------------------------------------------------------
 */
static const PlanhatFilter churn_filters[] = {
	/*
	 * §5: "companyId (inferred)".  Single-valued and not exact: the
	 * parameter is not documented for churn.
	 */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, false, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField churn_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, 0, "presumably required"},	/* §5, inferred */
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"churnDate", PH_TYPE_TIMESTAMPTZ},
	{"value", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC},
	{"currency", PH_TYPE_TEXT},
	{"reasons", PH_TYPE_TEXT_ARRAY},
	{"products", PH_TYPE_TEXT_ARRAY},
	{"onlyDowngrade", PH_TYPE_BOOLEAN},
	{"snoozed", PH_TYPE_BOOLEAN},
	{"comment", PH_TYPE_JSONB, 0, "an object per Airbyte's schema"},	/* §6.9 */
	{"description", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		companies (§6.1)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter company_filters[] = {
	/*
	 * On /companies the companyId parameter selects companies by their
	 * own _id, and takes a comma-separated list (§2.3, §5).
	 */
	{"_id", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_ID},
	{NULL}
};

/* caveats for the documentation (docs/resources.md) */
static const char *const company_notes[] = {
	"`owner` and `co_owner` are `jsonb`: Planhat returns an id string "
	"from `GET /companies/<id>` and reportedly an `{_id, nickName}` "
	"object in lists; `planhat_id(owner)` reads the id from either",
	NULL
};

static const PlanhatField company_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},

	/*
	 * owner and coOwner are ObjectId strings from GET /companies/:id but
	 * reportedly {_id, nickName} objects in lists (§2.6, open question
	 * 11): jsonb reads both.
	 */
	{"owner", PH_TYPE_JSONB, PH_FIELD_ID_OR_OBJECT},
	{"coOwner", PH_TYPE_JSONB, PH_FIELD_ID_OR_OBJECT},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},

	/*
	 * §6.1 marks phase "(auto)", but describes it as "free text matching
	 * a lifecycle phase", and the examples of docs/writes.md set it: it is an
	 * input that Planhat fills in only when absent, so it stays writable.
	 */
	{"phase", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT, AUTO},
	{"domains", PH_TYPE_TEXT_ARRAY, AUTO},
	{"h", PH_TYPE_INTEGER, AUTO},
	{"hProfile", PH_TYPE_TEXT, AUTO},
	{"hDiff", PH_TYPE_NUMERIC},
	{"hDiffDate", PH_TYPE_TIMESTAMPTZ},
	{"csmScore", PH_TYPE_INTEGER, AUTO},
	{"csmScoreLog", PH_TYPE_JSONB, 0, "[{date, score}]"},
	{"mr", PH_TYPE_NUMERIC},
	{"nrr30", PH_TYPE_NUMERIC},
	{"mrrTotal", PH_TYPE_NUMERIC},
	{"nrrTotal", PH_TYPE_NUMERIC},
	{"mrTotal", PH_TYPE_NUMERIC},
	{"mrr", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC},
	{"renewalMrr", PH_TYPE_NUMERIC},
	{"renewalArr", PH_TYPE_NUMERIC},
	{"orgMrr", PH_TYPE_NUMERIC},
	{"orgArr", PH_TYPE_NUMERIC},
	{"orgMrrTotal", PH_TYPE_NUMERIC},
	{"orgArrTotal", PH_TYPE_NUMERIC},
	{"orgHealthTotal", PH_TYPE_NUMERIC},
	{"orgLevel", PH_TYPE_NUMERIC},
	{"orgUnits", PH_TYPE_NUMERIC},
	{"orgRootId", PH_TYPE_TEXT},
	{"orgPath", PH_TYPE_TEXT, 0, "comma-joined ObjectIds"},	/* §2.6 */
	{"orgCount", PH_TYPE_INTEGER},
	{"orgPathCount", PH_TYPE_INTEGER},
	{"headId", PH_TYPE_TEXT},
	{"description", PH_TYPE_TEXT, 0, "HTML"},
	{"address", PH_TYPE_TEXT},
	{"country", PH_TYPE_TEXT},
	{"city", PH_TYPE_TEXT},
	{"zip", PH_TYPE_TEXT},
	{"phonePrimary", PH_TYPE_TEXT},
	{"web", PH_TYPE_TEXT},
	{"customerFrom", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"customerTo", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"renewalDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastRenewal", PH_TYPE_TIMESTAMPTZ, AUTO},
	/* "num" in §6.1 (the license field of the same name is "int") */
	{"renewalDaysFromNow", PH_TYPE_NUMERIC, AUTO},
	{"autoRenews", PH_TYPE_BOOLEAN},
	{"alerts", PH_TYPE_JSONB},
	{"tags", PH_TYPE_TEXT_ARRAY},
	{"products", PH_TYPE_TEXT_ARRAY, AUTO},
	{"licenses", PH_TYPE_JSONB, AUTO},
	{"sales", PH_TYPE_JSONB, AUTO},
	{"createDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastUpdated", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastActive", PH_TYPE_TIMESTAMPTZ},
	{"lastTouch", PH_TYPE_TIMESTAMPTZ},
	{"nextTouch", PH_TYPE_TIMESTAMPTZ},
	{"phaseSince", PH_TYPE_TIMESTAMPTZ},
	{"lastTouchType", PH_TYPE_TEXT},
	{"lastTouchByType", PH_TYPE_JSONB, 0, "type -> ISO date"},
	{"followers", PH_TYPE_TEXT_ARRAY},
	{"collaborators", PH_TYPE_TEXT_ARRAY},
	{"usage", PH_TYPE_JSONB, 0, "dimensionId -> number"},
	{"features", PH_TYPE_JSONB},
	{"sunits", PH_TYPE_JSONB},
	{"shareable", PH_TYPE_JSONB},
	{"lastActivities", PH_TYPE_JSONB},
	{"documents", PH_TYPE_JSONB},
	{"links", PH_TYPE_JSONB},
	{"lastPerformedTriggers", PH_TYPE_JSONB},
	{"nps", PH_TYPE_NUMERIC, 0, "an average: 8.5 in the example"},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		conversations (§6.10)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter conversation_filters[] = {
	/* §2.3: multi-valued.  "type" (used by one MCP client) is unverified. */
	{"companyId", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField conversation_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"type", PH_TYPE_TEXT},
	{"subject", PH_TYPE_TEXT},
	{"description", PH_TYPE_TEXT, 0, "HTML"},
	{"snippet", PH_TYPE_TEXT, AUTO, "plain text of description"},	/* §2.6 */
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"companyExternalId", PH_TYPE_TEXT},
	{"companySourceId", PH_TYPE_TEXT},
	{"date", PH_TYPE_TIMESTAMPTZ},
	{"outDate", PH_TYPE_TIMESTAMPTZ},
	{"createDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"inDate", PH_TYPE_TIMESTAMPTZ},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"days", PH_TYPE_DAY},
	{"users", PH_TYPE_JSONB, 0, "[{id, name, isOwner}]"},
	{"userIds", PH_TYPE_TEXT_ARRAY},
	{"endusers", PH_TYPE_JSONB, 0, "[{id, name}]"},
	{"externalId", PH_TYPE_TEXT},
	{"source", PH_TYPE_TEXT},
	{"activityTags", PH_TYPE_TEXT_ARRAY},
	{"tags", PH_TYPE_TEXT_ARRAY},
	{"autoTags", PH_TYPE_TEXT_ARRAY},
	{"starred", PH_TYPE_BOOLEAN},
	{"pinned", PH_TYPE_BOOLEAN},
	{"archived", PH_TYPE_BOOLEAN},
	{"isOpen", PH_TYPE_BOOLEAN},
	{"isSeen", PH_TYPE_BOOLEAN},
	{"hasMore", PH_TYPE_BOOLEAN},
	{"isCustomType", PH_TYPE_BOOLEAN},
	{"hasAttachments", PH_TYPE_BOOLEAN},
	{"waitsToBeFiltered", PH_TYPE_BOOLEAN},
	{"emailTemplateIds", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"timeBucket", PH_TYPE_TEXT_ARRAY, 0, "\"2016\", \"2016-Q4\", ..."},
	{"numberOfParts", PH_TYPE_INTEGER},
	{"numberOfRelevantParts", PH_TYPE_INTEGER},
	{"sender", PH_TYPE_JSONB},
	{"history", PH_TYPE_JSONB},
	{"assigneeName", PH_TYPE_TEXT},
	{"owner", PH_TYPE_TEXT},
	{"followers", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"userId", PH_TYPE_TEXT},
	{"nickName", PH_TYPE_TEXT},
	{"note", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		customfields (§6.17)
 * ----------------------------------------------------------------
 */

/*
 * "parent" is deliberately not a filter: ?parent=<model> is seen only in
 * third-party code and its values are unsettled (§6.17, open question 5).
 * A qual on parent is evaluated locally over the whole (small) list.
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const customfield_notes[] = {
	"A qual on `parent` is evaluated locally: Planhat documents no "
	"`parent` list filter",
	NULL
};

static const PlanhatField customfield_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"type", PH_TYPE_TEXT, REQ},
	{"parent", PH_TYPE_TEXT, REQ, "model name, e.g. \"company\""},
	{"isFeatured", PH_TYPE_BOOLEAN},
	{"isHidden", PH_TYPE_BOOLEAN, REQ, "required per table"},	/* "R per table" in §6.17 */
	{"isShared", PH_TYPE_BOOLEAN},
	{"isLocked", PH_TYPE_BOOLEAN},
	{"isMandatory", PH_TYPE_BOOLEAN},
	{"isFormula", PH_TYPE_BOOLEAN},
	{"treatUndefinedAsZero", PH_TYPE_BOOLEAN},
	{"formula", PH_TYPE_TEXT},
	{"listValues", PH_TYPE_TEXT_ARRAY},
	{"filter", PH_TYPE_JSONB, AUTO},
	{"formulaRefs", PH_TYPE_TEXT_ARRAY, AUTO},
	{"numberFormat", PH_TYPE_TEXT},
	{"sortOrder", PH_TYPE_INTEGER},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		deals (§11): a revenue model, enabled per tenant
 *
 * The field names are §11's, read on Planhat's deal page; the names §6.20
 * guessed before (owner, fromDate, toDate) are superseded.  The page's
 * prose calls the derived dates fromDate/toDate, its property table
 * startDate/endDate: the table is what the API returns.  It documents no
 * custom object and no createdAt/updatedAt, so there are no such columns
 * (attrs holds whatever Planhat sends besides).
 *
 * No list filter: §11 documents none.  Most child models take companyId,
 * but a parameter Planhat read differently here could drop rows that no
 * local recheck brings back, so a qual on company_id is evaluated locally.
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const deal_notes[] = {
	"Planhat documents the fields, not the routes beyond the list: "
	"`GET`, `PUT` and `DELETE /deals/<id>` would take a missing route's "
	"404 for a missing deal, so `WHERE id = ...` filters a scan and "
	"`UPDATE`/`DELETE` are refused until they are documented; the page "
	"size (100) is the default page of most models, as none is "
	"documented here",
	"No `custom` column: Planhat documents none for deals "
	"(`attrs->'custom'` holds one if Planhat sends it)",
	NULL
};

static const PlanhatField deal_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, 0, "not required"},	/* §11 */
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	/* "Closed Won" and "Closed Lost" are fixed; other stages per tenant */
	{"stage", PH_TYPE_TEXT},
	{"ownerId", PH_TYPE_TEXT},
	{"followers", PH_TYPE_TEXT_ARRAY, 0, "user ids"},
	{"mrr", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC, AUTO, "from mrr"},
	{"total", PH_TYPE_NUMERIC, 0, "total contract value"},
	{"fees", PH_TYPE_NUMERIC},
	{"currency", PH_TYPE_TEXT},
	{"closeDate", PH_TYPE_TIMESTAMPTZ},
	/* derived from the deal's subscriptions (line items) */
	{"renewalDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"startDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"endDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	/* a count, but typed "number" on the page: numeric reads any number */
	{"subscriptions", PH_TYPE_NUMERIC, AUTO},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		dimensiondata (§7.1): metric data points, read side
 * ----------------------------------------------------------------
 */
static const PlanhatFilter dimensiondata_filters[] = {
	{"dimensionId", "dimid", NULL, PH_FILTER_SINGLE, true},

	/*
	 * The company parameter is spelled "cId" by CRUDS and ROBO-T2 and
	 * "cid" by the Go client; the official spelling was not captured
	 * (§7.1, open question 3).  Not exact, so that a server ignoring the
	 * spelling still gives the right rows after the local recheck.
	 */
	{"companyId", "cId", NULL, PH_FILTER_SINGLE, false, PH_VALUES_OBJECTID},

	/*
	 * from/to are day numbers, inclusive (ROBO-T2 sends from=to for one
	 * day; §7.1).  On "time" the day range is coarser than the qual, so
	 * the qual is rechecked locally.
	 */
	{"day", "from", "to", PH_FILTER_DAY_RANGE, true},
	{"time", "from", "to", PH_FILTER_DAY_RANGE, false},
	{NULL}
};

/* caveats for the documentation (docs/resources.md) */
static const char *const dimensiondata_notes[] = {
	"Planhat documents no page sizes here; 2000 is a page size clients "
	"are seen using",
	"The company parameter's spelling (`cId` or `cid`) is not settled "
	"in Planhat's documentation, hence the local recheck of "
	"`company_id`",
	"To write metric values, insert into [metrics](#metrics)",
	NULL
};

static const PlanhatField dimensiondata_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"dimensionId", PH_TYPE_TEXT},
	{"value", PH_TYPE_NUMERIC},
	{"time", PH_TYPE_TIMESTAMPTZ},
	{"date", PH_TYPE_TIMESTAMPTZ, 0, "seen only in a client's mocks"},
	{"day", PH_TYPE_DAY, 0, "seen only in a client's mocks"},
	{"model", PH_TYPE_TEXT, 0, "Company, Asset, EndUser, Project"},
	{"parentId", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT},
	{"companyName", PH_TYPE_TEXT},
	{"timestamp", PH_TYPE_JSONB, 0, "{\"value\": ISO}, seen in a client's mocks"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		endusers (§6.2)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter enduser_filters[] = {
	/* §2.3: multi-valued */
	{"companyId", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_OBJECTID},

	/*
	 * Not exact: Planhat may match case-insensitively or on otherEmails;
	 * the superset it returns is rechecked locally.
	 */
	{"email", "email", NULL, PH_FILTER_SINGLE, false},

	/*
	 * Archived end users are hidden unless archived=true (§5, §6.2).
	 * "euId" (§5) is not declared: what it filters is not documented.
	 */
	{"archived", "archived", NULL, PH_FILTER_INCLUDE_FLAG, false},
	{NULL}
};

static const PlanhatField enduser_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"email", PH_TYPE_TEXT, REQ},
	{"firstName", PH_TYPE_TEXT},
	{"lastName", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, AUTO, "from firstName and lastName"},

	/*
	 * Required per §6.2.  Planhat can instead assign the company by the
	 * email's domain, but silently drops an end user it cannot assign
	 * (§5 footnote), so requiring it is the safe side.
	 */
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"companyExternalId", PH_TYPE_TEXT},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"position", PH_TYPE_TEXT},
	{"phone", PH_TYPE_TEXT},
	{"tags", PH_TYPE_TEXT_ARRAY},
	{"featured", PH_TYPE_BOOLEAN},
	{"primary", PH_TYPE_BOOLEAN},
	{"archived", PH_TYPE_BOOLEAN},
	{"otherEmails", PH_TYPE_TEXT_ARRAY},
	{"npsUnsubscribed", PH_TYPE_BOOLEAN},
	{"nps", PH_TYPE_INTEGER, AUTO},
	{"npsComment", PH_TYPE_TEXT},
	{"npsDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"npsSent", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"beats", PH_TYPE_NUMERIC, AUTO},
	{"beatsTotal", PH_TYPE_NUMERIC, AUTO},
	{"beatTrend", PH_TYPE_NUMERIC, AUTO},
	{"experience", PH_TYPE_NUMERIC, AUTO},
	{"convs14", PH_TYPE_NUMERIC, AUTO},
	{"convsTotal", PH_TYPE_NUMERIC, AUTO},
	{"relevance", PH_TYPE_NUMERIC, AUTO},
	{"relevanceRate", PH_TYPE_NUMERIC, AUTO},
	{"lastActive", PH_TYPE_TIMESTAMPTZ},
	{"lastTouch", PH_TYPE_TIMESTAMPTZ},
	{"createDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastUpdated", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastTouchType", PH_TYPE_TEXT},
	{"lastTouchByType", PH_TYPE_JSONB},
	{"lastActivities", PH_TYPE_JSONB},
	{"relatedEndusers", PH_TYPE_JSONB},
	{"sharedNotificationsPrefs", PH_TYPE_JSONB},
	{"emailMd5", PH_TYPE_TEXT},
	{"description", PH_TYPE_TEXT},
	{"usage", PH_TYPE_JSONB},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		invoices (§6.8): company is "cId", external id is "extId"
 * ----------------------------------------------------------------
 */
static const PlanhatFilter invoice_filters[] = {
	/* §2.3: the companyId parameter (multi-valued) filters cId */
	{"cId", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField invoice_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"cId", PH_TYPE_TEXT, REQ},
	{"cName", PH_TYPE_TEXT, AUTO},
	{"currency", PH_TYPE_TEXT, 0, "required by bulk upserts only"},
	{"product", PH_TYPE_TEXT},
	{"extId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"invoiceDate", PH_TYPE_DAY, 0, "required by bulk upserts only"},
	{"dueDate", PH_TYPE_DAY},
	{"paidDate", PH_TYPE_DAY},
	{"invoiceNo", PH_TYPE_INTEGER, AUTO},
	{"amountTotal", PH_TYPE_NUMERIC},
	{"amountDue", PH_TYPE_NUMERIC, AUTO},
	{"amountPaid", PH_TYPE_NUMERIC, AUTO},
	{"status", PH_TYPE_TEXT, 0, "pending, paid, overdue"},
	/* [{_id, licenseId|saleId, product, amount, dateFrom, dateTo}] */
	{"lineItems", PH_TYPE_JSONB},
	{"emails", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"comments", PH_TYPE_JSONB},
	{"addressCountry", PH_TYPE_TEXT},
	{"invoiceCycle", PH_TYPE_TEXT},
	{"lastUpdated", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		issues (§6.7)
 *
 * No companyId filter: §5 lists one, but an issue holds an array
 * "companyIds", so the parameter is a membership test that no qual on a
 * column expresses as equality.  Such quals are evaluated locally.
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const issue_notes[] = {
	"An issue can belong to several companies (`company_ids text[]`); "
	"`WHERE 'x' = ANY (company_ids)` is evaluated locally",
	NULL
};

static const PlanhatField issue_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"title", PH_TYPE_TEXT, REQ},
	{"description", PH_TYPE_TEXT},
	{"companyIds", PH_TYPE_TEXT_ARRAY},
	{"companies", PH_TYPE_JSONB, AUTO, "[{id, name}]"},
	{"enduserIds", PH_TYPE_TEXT_ARRAY},
	{"endusers", PH_TYPE_JSONB, AUTO, "[{id, name}]"},
	{"conversationIds", PH_TYPE_TEXT_ARRAY},
	{"companyMatchingValue", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"sourceId", PH_TYPE_TEXT},
	{"source", PH_TYPE_TEXT},
	{"sourceUrl", PH_TYPE_TEXT},
	{"priority", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT},
	{"archived", PH_TYPE_BOOLEAN},

	/*
	 * §6.7 says "int", but these are sums of MRR/ARR, which are fractional
	 * elsewhere (license mrr 83.333...) and may exceed int4 as ARR: numeric
	 * reads any of them.
	 */
	{"mrrCombined", PH_TYPE_NUMERIC, AUTO},
	{"arrCombined", PH_TYPE_NUMERIC, AUTO},
	{"followers", PH_TYPE_TEXT_ARRAY},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		leancompanies (§6.1 "Lean company")
 *
 * "status" is a documented parameter (§5) but the lean list does not
 * return a status field (examples, GO's LeanCompany), so a qual on it
 * could not be rechecked and would give different rows with pushdown off:
 * it is not declared.  The externalId/sourceId parameters are not
 * documented as exact matches, so their quals are rechecked.
 * ----------------------------------------------------------------
 */
static const PlanhatFilter leancompany_filters[] = {
	{"externalId", "externalId", NULL, PH_FILTER_SINGLE, false},
	{"sourceId", "sourceId", NULL, PH_FILTER_SINGLE, false},
	{NULL}
};

/* caveats for the documentation (docs/resources.md) */
static const char *const leancompany_notes[] = {
	"Planhat also accepts a `status` parameter here, but the lean list "
	"does not return a status field, so the table has no such column",
	NULL
};

static const PlanhatField leancompany_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"slug", PH_TYPE_TEXT, 0, "only in old docs and a Go client"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		licenses (§6.3)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter license_filters[] = {
	/* §2.3: single-valued wording on /licenses */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField license_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"product", PH_TYPE_TEXT},
	{"_currency", PH_TYPE_TEXT, REQ},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"fromDate", PH_TYPE_TIMESTAMPTZ, REQ},
	{"toDate", PH_TYPE_TIMESTAMPTZ},
	{"fixedPeriod", PH_TYPE_BOOLEAN},
	/* one of mrr or value is required: not flagged */
	{"mrr", PH_TYPE_NUMERIC, 0, "required unless fixedPeriod and value"},
	{"arr", PH_TYPE_NUMERIC},
	{"value", PH_TYPE_NUMERIC, 0, "required if fixedPeriod and no mrr"},
	{"renewalMrr", PH_TYPE_NUMERIC},
	{"renewalArr", PH_TYPE_NUMERIC},
	{"fcNewMrr", PH_TYPE_NUMERIC},
	{"fcNewArr", PH_TYPE_NUMERIC},
	{"fcNewMrrOptimistic", PH_TYPE_NUMERIC},
	{"fcNewArrOptimistic", PH_TYPE_NUMERIC},
	{"fcNewMrrPessimistic", PH_TYPE_NUMERIC},
	{"fcNewArrPessimistic", PH_TYPE_NUMERIC},
	{"renewalStatus", PH_TYPE_TEXT, 0, "ongoing, renewed, lost"},
	{"renewalPeriod", PH_TYPE_INTEGER},
	{"renewalUnit", PH_TYPE_TEXT},
	{"renewalDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"renewalDaysFromNow", PH_TYPE_INTEGER, AUTO},
	{"isOverdue", PH_TYPE_BOOLEAN, AUTO},
	{"autoRenews", PH_TYPE_BOOLEAN},
	{"noticePeriod", PH_TYPE_INTEGER},
	{"noticeUnit", PH_TYPE_TEXT},
	{"parent", PH_TYPE_TEXT},
	{"invoicesGenerated", PH_TYPE_BOOLEAN},
	{"invoiceMuted", PH_TYPE_BOOLEAN},
	{"invoiceCycle", PH_TYPE_TEXT},
	{"invoiceCycleInterval", PH_TYPE_INTEGER},
	{"toDateIncluded", PH_TYPE_BOOLEAN},
	{"length", PH_TYPE_NUMERIC, 0, "months, \"num\" in"},	/* §6.3 */
	{"salesDate", PH_TYPE_TIMESTAMPTZ},
	{"issues", PH_TYPE_JSONB, 0, "array or null"},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		metrics (§7.2): push metric values, insert only
 *
 * POST <analytics_url>/dimensiondata/<tenant token>.  externalId names
 * the object the value belongs to (of type "model"), not the data point,
 * so the resource has no external_id_field.
 * ----------------------------------------------------------------
 */
static const PlanhatField metric_fields[] = {
	{"dimensionId", PH_TYPE_TEXT, REQ},
	{"value", PH_TYPE_NUMERIC, REQ},
	{"externalId", PH_TYPE_TEXT, REQ},
	{"model", PH_TYPE_TEXT, 0, "Company (default), EndUser, Asset, Project"},
	{"date", PH_TYPE_TIMESTAMPTZ, 0, "default: time of receipt"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		nps (§6.12): company is "cId"
 * ----------------------------------------------------------------
 */
static const PlanhatFilter nps_filters[] = {
	/*
	 * §5: "companyId (inferred)".  NPS records carry the company as cId
	 * (§2.1, §6.12), so the parameter is assumed to filter cId as on
	 * invoices.  Single-valued and not exact.
	 */
	{"cId", "companyId", NULL, PH_FILTER_SINGLE, false, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField nps_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"cId", PH_TYPE_TEXT},
	{"email", PH_TYPE_TEXT, REQ},
	{"euId", PH_TYPE_TEXT, AUTO},
	{"campaignId", PH_TYPE_TEXT},
	{"score", PH_TYPE_INTEGER, REQ, "0-10"},
	{"comment", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"dateSent", PH_TYPE_TIMESTAMPTZ},
	{"dateAnswered", PH_TYPE_TIMESTAMPTZ},
	{"source", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		objectives (§6.15)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter objective_filters[] = {
	/* §2.3: single-valued wording on /objectives */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField objective_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"health", PH_TYPE_NUMERIC},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		opportunities (§6.14)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter opportunity_filters[] = {
	/* §2.3: single-valued wording on /opportunities */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField opportunity_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"title", PH_TYPE_TEXT},
	{"salesStage", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT, 0, "active, won, lost"},
	{"dealDate", PH_TYPE_TIMESTAMPTZ},
	{"landingDate", PH_TYPE_TIMESTAMPTZ},
	{"closeDate", PH_TYPE_TIMESTAMPTZ},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"_currency", PH_TYPE_TEXT},
	{"ownerId", PH_TYPE_TEXT},
	{"mrr", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC},
	{"nrr", PH_TYPE_NUMERIC},
	{"contractLength", PH_TYPE_INTEGER, 0, "months, default 12"},
	{"probability", PH_TYPE_NUMERIC},
	{"stageHistory", PH_TYPE_JSONB, AUTO, "[{stage, to}]"},
	{"comments", PH_TYPE_JSONB},
	{"custom", PH_TYPE_JSONB, 0, "may be null"},	/* §2.5 */
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		products (§11): a revenue model, enabled per tenant
 *
 * The product catalog: templates whose values line items inherit.  A
 * product belongs to no company, so there is no company filter to
 * declare, and §11 documents no other list filter.
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const product_notes[] = {
	"Planhat documents the fields, not the routes beyond the list: "
	"`GET`, `PUT` and `DELETE /products/<id>` would take a missing "
	"route's 404 for a missing product, so `WHERE id = ...` filters a "
	"scan and `UPDATE`/`DELETE` are refused until they are documented; "
	"the page size (100) is the default page of most models, as none is "
	"documented here",
	NULL
};

static const PlanhatField product_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"type", PH_TYPE_TEXT, 0, "subscription (default) or fee"},
	{"mrr", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC, AUTO, "from mrr"},
	{"value", PH_TYPE_NUMERIC, 0, "the revenue field of a fee"},
	{"currency", PH_TYPE_TEXT},
	{"fixedPeriod", PH_TYPE_BOOLEAN},
	{"autoRenews", PH_TYPE_BOOLEAN},
	{"length", PH_TYPE_NUMERIC, 0, "months"},
	{"renewalMrr", PH_TYPE_NUMERIC},
	{"renewalArr", PH_TYPE_NUMERIC, AUTO, "from renewalMrr"},
	{"renewalPeriod", PH_TYPE_NUMERIC, 0, "months"},
	{"noticePeriod", PH_TYPE_NUMERIC},
	{"noticeUnit", PH_TYPE_TEXT, 0, "day, week or month"},
	{"packages", PH_TYPE_TEXT_ARRAY, 0, "package names"},
	{"color", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		projects (§6.5)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter project_filters[] = {
	/* §2.3: single-valued wording on /projects */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField project_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"currency", PH_TYPE_TEXT},
	{"startDate", PH_TYPE_TIMESTAMPTZ},
	{"endDate", PH_TYPE_TIMESTAMPTZ},
	{"mrr", PH_TYPE_NUMERIC},
	{"arr", PH_TYPE_NUMERIC},
	{"nrr", PH_TYPE_NUMERIC},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		sales (§6.13): non-recurring revenue
 * ----------------------------------------------------------------
 */
static const PlanhatFilter sale_filters[] = {
	/* §5: "companyId (inferred)".  Single-valued and not exact. */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, false, PH_VALUES_OBJECTID},
	{NULL}
};

/* caveats for the documentation (docs/resources.md) */
static const char *const sale_notes[] = {
	"Planhat documents no page sizes here; 2000 is the page Airbyte's "
	"connector uses",
	NULL
};

static const PlanhatField sale_fields[] = {
	{"_id", PH_TYPE_TEXT},

	/*
	 * A string on /sales (§6.13).  The {_id, rate, symbol, ...} object form
	 * is documented only for the copies embedded in companies.sales, which
	 * is a jsonb column anyway.
	 */
	{"_currency", PH_TYPE_TEXT, REQ},
	{"product", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"salesDate", PH_TYPE_TIMESTAMPTZ, REQ},
	{"value", PH_TYPE_NUMERIC, REQ},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		tasks (§6.6): tasks and calendar events
 * ----------------------------------------------------------------
 */
static const PlanhatFilter task_filters[] = {
	/* §2.3: multi-valued */
	{"companyId", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_OBJECTID},

	/*
	 * The list returns only rows whose isArchived equals the parameter,
	 * which defaults to false (§5, §6.6).  "enduserIds" (§5) filters on a
	 * field the task does not return under that name (it has "endusers"),
	 * so it is not declared.
	 */
	{"isArchived", "isArchived", NULL, PH_FILTER_SPLIT_FLAG, true},
	{NULL}
};

static const PlanhatField task_fields[] = {
	{"_id", PH_TYPE_TEXT},

	/*
	 * §6.6 marks mainType R but also says it defaults to "task", and §5
	 * lists only companyId as required: not flagged.
	 */
	{"mainType", PH_TYPE_TEXT, 0, "task (default) or event"},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"startTime", PH_TYPE_TIMESTAMPTZ},
	{"endTime", PH_TYPE_TIMESTAMPTZ},
	{"dateDone", PH_TYPE_TIMESTAMPTZ},
	{"action", PH_TYPE_TEXT, 0, "the title"},
	{"description", PH_TYPE_TEXT, 0, "HTML"},
	{"snippet", PH_TYPE_TEXT, AUTO, "plain text of description"},	/* §2.6 */
	{"repeat", PH_TYPE_TEXT},
	{"repeatDays", PH_TYPE_INTEGER},
	{"type", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT},
	{"ownerId", PH_TYPE_TEXT},
	{"ownerName", PH_TYPE_TEXT, AUTO},
	{"doneBy", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"noSpecificTime", PH_TYPE_BOOLEAN},
	{"shared", PH_TYPE_BOOLEAN},
	{"overdueNotified", PH_TYPE_BOOLEAN},
	{"isArchived", PH_TYPE_BOOLEAN},
	{"activityTags", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"checklist", PH_TYPE_JSONB, 0, "[{title}]"},
	{"endusers", PH_TYPE_JSONB},
	{"users", PH_TYPE_JSONB},
	{"children", PH_TYPE_JSONB, 0, "[{_id}]"},
	{"comments", PH_TYPE_JSONB},
	{"parent", PH_TYPE_TEXT},
	{"sortPosition", PH_TYPE_INTEGER},
	{"workflowId", PH_TYPE_TEXT},
	{"workflowTaskId", PH_TYPE_TEXT},
	{"workflowTemplateId", PH_TYPE_TEXT},
	{"workflowStepId", PH_TYPE_TEXT},
	{"workflowName", PH_TYPE_TEXT},
	{"userEmail", PH_TYPE_TEXT},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO, "seen in example"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		tickets (§6.11): stored as conversations of type "ticket"
 * ----------------------------------------------------------------
 */
static const PlanhatFilter ticket_filters[] = {
	/* §2.3: multi-valued */
	{"companyId", "companyId", NULL, PH_FILTER_LIST, true, PH_VALUES_OBJECTID},

	/*
	 * §5 names these parameters without saying they match exactly (the
	 * legacy alias "s=open" suggests a lower-case match): rechecked.
	 * "search" matches snippets and has no column equivalent.
	 */
	{"status", "status", NULL, PH_FILTER_SINGLE, false},
	{"email", "email", NULL, PH_FILTER_SINGLE, false},
	{NULL}
};

/* caveats for the documentation (docs/resources.md) */
static const char *const ticket_notes[] = {
	"Tickets are conversations of type `ticket`: the same records "
	"appear in [conversations](#conversations). Input-only fields "
	"(`domains`, `agent_email`, ...) may read NULL",
	NULL
};

static const PlanhatField ticket_fields[] = {
	{"_id", PH_TYPE_TEXT},
	/* input fields (§6.11) */
	{"source", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT, REQ},
	{"email", PH_TYPE_TEXT, REQ},

	/*
	 * §6.11 marks companyId R, but §5 accepts domains or
	 * companyExternalId instead: a one-of rule, not flagged.
	 */
	{"companyId", PH_TYPE_TEXT, 0, "required unless domains or companyExternalId"},
	{"domains", PH_TYPE_TEXT_ARRAY},
	{"companyExternalId", PH_TYPE_TEXT},
	{"title", PH_TYPE_TEXT},
	{"description", PH_TYPE_TEXT},
	{"url", PH_TYPE_TEXT},
	{"type", PH_TYPE_TEXT},
	{"severity", PH_TYPE_TEXT},
	{"product", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT},
	{"tags", PH_TYPE_TEXT_ARRAY},
	{"timeSpent", PH_TYPE_INTEGER, 0, "minutes"},
	{"history", PH_TYPE_JSONB, 0, "[{status, time}]"},
	{"name", PH_TYPE_TEXT},
	{"agentEmail", PH_TYPE_TEXT},
	/* output fields: the conversation a ticket is stored as (§6.11) */
	{"externalId", PH_TYPE_TEXT},
	{"subType", PH_TYPE_TEXT},
	{"subject", PH_TYPE_TEXT},
	{"snippet", PH_TYPE_TEXT, AUTO},
	{"createDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updateDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"date", PH_TYPE_TIMESTAMPTZ},
	{"inDate", PH_TYPE_TIMESTAMPTZ},
	{"days", PH_TYPE_DAY},
	{"timeBucket", PH_TYPE_TEXT_ARRAY},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"endusers", PH_TYPE_JSONB},
	{"users", PH_TYPE_JSONB},
	{"sender", PH_TYPE_JSONB},
	/* §6.11's "flags": the conversation booleans of §6.10 */
	{"starred", PH_TYPE_BOOLEAN},
	{"pinned", PH_TYPE_BOOLEAN},
	{"archived", PH_TYPE_BOOLEAN},
	{"isOpen", PH_TYPE_BOOLEAN},
	{"isSeen", PH_TYPE_BOOLEAN},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		timeentries (§6.18)
 * ----------------------------------------------------------------
 */
static const PlanhatFilter timeentry_filters[] = {
	/* §2.3: single-valued wording on /timeentries */
	{"companyId", "companyId", NULL, PH_FILTER_SINGLE, true, PH_VALUES_OBJECTID},
	{NULL}
};

static const PlanhatField timeentry_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT},
	{"date", PH_TYPE_TIMESTAMPTZ, REQ, "stored at midnight UTC"},
	{"hours", PH_TYPE_NUMERIC, REQ, "0.1 to 24"},
	{"isTimeOff", PH_TYPE_BOOLEAN},
	{"isBillable", PH_TYPE_BOOLEAN},
	{"description", PH_TYPE_TEXT},
	{"billingCode", PH_TYPE_TEXT},
	{"currency", PH_TYPE_TEXT},
	{"billableRate", PH_TYPE_NUMERIC},
	{"costRate", PH_TYPE_NUMERIC},
	{"totalBilled", PH_TYPE_NUMERIC, AUTO},
	{"totalCost", PH_TYPE_NUMERIC, AUTO},
	{"timesheetStatus", PH_TYPE_TEXT, AUTO},
	{"timesheetId", PH_TYPE_TEXT, AUTO},
	{"assignedModel", PH_TYPE_TEXT, 0, "\"User\""},
	{"assignedId", PH_TYPE_TEXT},
	{"path", PH_TYPE_JSONB, 0, "\"arr\", element type unknown"},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		timesheets (§6.18)
 * ----------------------------------------------------------------
 */
static const PlanhatField timesheet_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"approvedBy", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT, 0, "submitted (default), approved, returned"},
	/* ObjectIds on output; input also accepts [{_id}], but ids suffice */
	{"timeEntries", PH_TYPE_TEXT_ARRAY},
	{"dateOfApproval", PH_TYPE_TIMESTAMPTZ},
	{"dateFrom", PH_TYPE_DAY},
	{"dateTo", PH_TYPE_DAY},
	{"assignedModel", PH_TYPE_TEXT},
	{"assignedId", PH_TYPE_TEXT},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		user_activities (§7.3): push tracking events, insert only
 *
 * POST <analytics_url>/analytics/bulk/<tenant token> with an array.  An
 * event names its end user by email or externalId (or the legacy bulk
 * "id"); that one-of rule is not expressible per field, so nothing is
 * flagged required.
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const user_activity_notes[] = {
	"Each row needs `email`, `external_id` or `user_id` to name the end "
	"user",
	NULL
};

static const PlanhatField user_activity_fields[] = {
	{"email", PH_TYPE_TEXT, 0, "email, externalId or id is required"},
	{"externalId", PH_TYPE_TEXT, 0, "the end user's externalId"},

	/*
	 * The legacy bulk format names the end user by "id" (§7.3).  Its
	 * column is user_id: "id" is the _id column on every other table, and
	 * the default rule would map a column "id" back to "_id".
	 */
	{"id", PH_TYPE_TEXT, 0, "end user id, legacy bulk format", "user_id"},
	{"euExtId", PH_TYPE_TEXT, 0, "end user externalId as Airbyte sends it"},
	{"name", PH_TYPE_TEXT},
	{"action", PH_TYPE_TEXT, 0, "e.g. \"Logged in\""},
	{"date", PH_TYPE_TIMESTAMPTZ, 0, "default: time of receipt"},
	{"weight", PH_TYPE_NUMERIC, 0, "relative importance, default 1"},
	{"count", PH_TYPE_INTEGER, 0, "default 1"},

	/*
	 * The company's externalId; the bulk endpoint calls it "cId" (§7.3),
	 * which elsewhere (invoices, NPS) is a company _id, hence the explicit
	 * column name.
	 */
	{"cId", PH_TYPE_TEXT, 0, "the company's externalId", "company_external_id"},
	{NULL}
};

/* ----------------------------------------------------------------
 *		users (§6.16): team members
 * ----------------------------------------------------------------
 */

/*
 * The list's "email" parameter is legacy (§5, PH-OLD) and not declared.
 *
 * XXX GET /users returns only a default projection (firstName, lastName,
 * nickName, email, externalId, image, isHidden, removed, inactive,
 * managers, teams, isExposedAsSenderOption, createdAt, updatedAt,
 * tzOffset; §6.16); the other fields come back only when named in
 * "select".
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const user_notes[] = {
	"`GET /users` returns only firstName, lastName, nickName, email, "
	"externalId, image, isHidden, removed, inactive, managers, teams, "
	"isExposedAsSenderOption, createdAt, updatedAt and tzOffset unless "
	"other fields are named in `select`",
	NULL
};

static const PlanhatField user_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"email", PH_TYPE_TEXT, REQ},
	{"nickName", PH_TYPE_TEXT, REQ},
	{"firstName", PH_TYPE_TEXT, REQ},
	{"lastName", PH_TYPE_TEXT, REQ},
	/* ObjectIds on write, {_id, name, description, __v} objects on read */
	{"roles", PH_TYPE_JSONB},
	{"externalId", PH_TYPE_TEXT},
	{"inactive", PH_TYPE_BOOLEAN},
	{"removed", PH_TYPE_BOOLEAN},
	{"isHidden", PH_TYPE_BOOLEAN},
	{"notificationsEnabled", PH_TYPE_BOOLEAN},
	{"isExposedAsSenderOption", PH_TYPE_BOOLEAN},
	{"compressedView", PH_TYPE_BOOLEAN},
	{"radarOneLine", PH_TYPE_BOOLEAN},
	{"dailyDigest", PH_TYPE_BOOLEAN},
	{"followerUpdate", PH_TYPE_BOOLEAN},
	{"inAppNotifications", PH_TYPE_BOOLEAN},
	{"image", PH_TYPE_JSONB, 0, "{path, spacesKey}"},
	{"taskFilter", PH_TYPE_JSONB, 0, "JSON text or an object"},
	{"companyFilter", PH_TYPE_TEXT},
	{"workflowFilter", PH_TYPE_TEXT},
	{"permissions", PH_TYPE_JSONB, AUTO},
	{"tzOffset", PH_TYPE_NUMERIC},
	{"managers", PH_TYPE_TEXT_ARRAY},
	{"teams", PH_TYPE_TEXT_ARRAY},
	{"defaultMeetingLength", PH_TYPE_INTEGER},
	{"type", PH_TYPE_TEXT},
	{"createDate", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"lastDailyDigest", PH_TYPE_DAY},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		workflows (§6.19): read-only, from Airbyte's schema
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const workflow_notes[] = {
	"Planhat documents only the list; 2000 is the page Airbyte's "
	"connector uses",
	NULL
};

static const PlanhatField workflow_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT},
	{"type", PH_TYPE_TEXT},
	{"status", PH_TYPE_TEXT},
	{"owner", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT},
	{"companyName", PH_TYPE_TEXT},
	{"templateId", PH_TYPE_JSONB, 0, "an object, despite the name"},
	{"targetId", PH_TYPE_TEXT},
	{"targetName", PH_TYPE_TEXT},
	{"targetModel", PH_TYPE_TEXT},
	{"endUserEmail", PH_TYPE_TEXT},

	/*
	 * §6.19 types these dates only as "strings" (Airbyte's schema), so
	 * they stay text; createdAt/updatedAt are Mongoose's ISO timestamps.
	 */
	{"startDate", PH_TYPE_TEXT},
	{"expectedEndDate", PH_TYPE_TEXT},
	{"nextStartTime", PH_TYPE_TEXT},
	{"archiveDate", PH_TYPE_TEXT},
	{"createdAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"updatedAt", PH_TYPE_TIMESTAMPTZ, AUTO},
	{"percentDone", PH_TYPE_NUMERIC},
	{"expectedDays", PH_TYPE_NUMERIC},
	{"actualDays", PH_TYPE_NUMERIC},
	{"openRate", PH_TYPE_NUMERIC},
	{"clickRate", PH_TYPE_NUMERIC},
	{"replyRate", PH_TYPE_NUMERIC},
	{"bounceRate", PH_TYPE_NUMERIC},
	{"isArchived", PH_TYPE_BOOLEAN},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};

/* ----------------------------------------------------------------
 *		workspaces (§11, §5): sub-instances of a company
 *
 * No list filter: neither §5 nor §11 documents one.
 * ----------------------------------------------------------------
 */
/* caveats for the documentation (docs/resources.md) */
static const char *const workspace_notes[] = {
	"Planhat documents the fields, not the routes beyond the list: "
	"`GET`, `PUT` and `DELETE /workspaces/<id>` would take a missing "
	"route's 404 for a missing workspace, so `WHERE id = ...` filters a "
	"scan and `UPDATE`/`DELETE` are refused until they are documented; "
	"the page size (100) is the default page of most models, as none is "
	"documented here",
	NULL
};

static const PlanhatField workspace_fields[] = {
	{"_id", PH_TYPE_TEXT},
	{"name", PH_TYPE_TEXT, REQ},
	{"ownerId", PH_TYPE_TEXT},
	{"companyId", PH_TYPE_TEXT, REQ},
	{"companyName", PH_TYPE_TEXT, AUTO},
	{"externalId", PH_TYPE_TEXT},
	{"sourceId", PH_TYPE_TEXT},
	{"custom", PH_TYPE_JSONB},
	{"__v", PH_TYPE_INTEGER, AUTO},
	{NULL}
};


/* ----------------------------------------------------------------
 *		The catalog
 *
 * Sorted by name: IMPORT FOREIGN SCHEMA creates tables in this order and
 * planhat_resource_names() lists them in it.
 *
 * Page sizes are §5's "default / max".  Keyables follow §2.2: both
 * prefixes where documented (companies, assets, campaigns, invoices,
 * objectives), one where only one is (issues and tasks srcid-, users and
 * conversations extid-), and both "(inferred)" for the undocumented models
 * (endusers, licenses, projects, sales, opportunities) except where the
 * model has no externalId field to look up (nps, churn: srcid- only).
 * Only companies have a model-wide unique externalId (§2.2).
 *
 * bulk_keys are the fields a bulk upsert matches items on, in §4.1's order
 * of priority; they are not the lookup keyables above (conversations are
 * looked up by extid- but matched by _id only).  A batch is sent again
 * after a failure that may have reached Planhat only when every item
 * carries one of them: the repeat then updates what the first attempt
 * created.  Documented lists (§4.1): campaigns and objectives _id,
 * sourceId, externalId; invoices _id, sourceId, extId; issues, tasks and
 * tickets _id, sourceId; users _id, externalId, email; conversations,
 * time entries and timesheets _id only.  §4.1 did not transcribe the
 * others and assumes _id, sourceId, externalId from the general bulk
 * upsert page ("keyables": _id, sourceId, externalId); the conservative
 * reading keeps the fields the model has (nps and churn have no
 * externalId) and leaves out end users' email, which "can be used as a
 * keyable if it is unique" but is not enforced unique (§2.2).
 *
 * stored_in names the resource whose records a resource shares (tickets
 * are conversations, lean companies are companies, pushed metrics are
 * dimension data): a write to one changes the lists of the other.
 *
 * deals, products and workspaces are newer models (§11) of which the
 * reference knows the fields, not the protocol: §5 says "unknown" for
 * deals, "(inferred)" for workspaces and nothing for products.  Their rows
 * take the reading that cannot give a wrong answer:
 *
 * - Verbs: list, create and bulk upsert only.  A route Planhat lacks
 *	 answers 404, which a create or bulk upsert reports as an error, while
 *	 GET, PUT and DELETE /<path>/<key> take a 404 to mean "no such record":
 *	 WHERE id = ... would return no rows and UPDATE or DELETE would affect
 *	 none.  So WHERE id = ... filters a scan, and UPDATE and DELETE are
 *	 refused at plan time until a source documents the routes.
 * - Keyables: none, for the same reason (and no GET by key).
 * - bulk_keys: _id only.  §4.1 lists none for these models, and _id heads
 *	 every list it has; a batch whose items carry no _id is then never sent
 *	 again after an answer was lost, so it cannot create its rows twice.
 * - Page size: 100 as both default and maximum.  No page size is
 *	 documented or seen in a client for these models; 100 is the default
 *	 page of most models (§5) and below every documented maximum (1000 to
 *	 10000), so a page Planhat cut short, which would end the scan with
 *	 rows missing, is least likely.  A bigger page only saves requests.
 * ----------------------------------------------------------------
 */
static const PlanhatResource planhat_resources[] = {
	{
		.name = "assets",
		.path = "assets",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "asset",
		.description = "Assets: products, installations or sub-units of a company",
		.filters = asset_filters,
		.fields = asset_fields,
	},
	{
		.name = "campaigns",
		.path = "campaigns",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "campaign",
		.description = "Campaigns run with a company",
		.filters = campaign_filters,
		.fields = campaign_fields,
	},
	{
		.name = "churn",
		.path = "churn",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 1000,
		/* srcid- (inferred, §2.2); no externalId field (§6.9) */
		.keyables = PH_KEY_SRCID,
		.external_id_field = NULL,
		.bulk_keys = "_id,sourceId",
		.custom_parent = "churn",
		.description = "Churn log: revenue lost or downgraded, with reasons",
		.filters = churn_filters,
		.fields = churn_fields,
	},
	{
		.name = "companies",
		.path = "companies",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 5000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID | PH_KEY_EXTID_UNIQUE,
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "company",
		.description = "Companies (customer accounts), Planhat's central model",
		.notes = company_notes,
		.filters = company_filters,
		.fields = company_fields,
	},
	{
		.name = "conversations",
		.path = "conversations",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 30,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID,
		.external_id_field = "externalId",
		.bulk_keys = "_id",
		.custom_parent = "conversation",
		.description = "Conversations and notes (emails, calls, meetings) logged on companies",
		.filters = conversation_filters,
		.fields = conversation_fields,
	},
	{
		.name = "customfields",
		.path = "customfields",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL & ~PH_VERB_BULK,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = 0,
		.external_id_field = NULL,
		.bulk_keys = NULL,
		.custom_parent = NULL,
		.description = "Custom field definitions of every model",
		.notes = customfield_notes,
		.filters = no_filters,
		.fields = customfield_fields,
	},
	{
		.name = "deals",
		.path = "deals",
		.host = PH_HOST_API,
		.verbs = VERBS_NEW,
		.default_limit = 100,
		.max_limit = 100,
		.keyables = 0,
		.external_id_field = "externalId",
		.bulk_keys = "_id",
		.custom_parent = NULL,
		.description = "Deals: pipeline and contracts of a company, with their revenue",
		.notes = deal_notes,
		/* the revenue models are enabled per tenant (§11) */
		.flags = PH_RES_PER_TENANT | PH_RES_PAGE_INFERRED,
		.filters = no_filters,
		.fields = deal_fields,
	},
	{
		.name = "dimensiondata",
		.path = "dimensiondata",
		.host = PH_HOST_API,
		.verbs = PH_VERB_LIST,

		/*
		 * (inferred) Default and maximum were not captured (§7.1, open
		 * question 3); clients request 10000 (CRUDS) and 2000 (ROBO-T2).
		 * The smaller one is both: max_limit is also the default
		 * fetch_size, and a page that Planhat clamped below the requested
		 * limit would look like the last one and end the scan with rows
		 * missing.  A too-small page only costs requests.
		 */
		.default_limit = 2000,
		.max_limit = 2000,
		.keyables = 0,
		.external_id_field = NULL,
		.bulk_keys = NULL,
		.custom_parent = NULL,
		.description = "Metric data points (dimension data), read from the main API",
		.notes = dimensiondata_notes,
		.flags = PH_RES_PAGE_INFERRED,
		.filters = dimensiondata_filters,
		.fields = dimensiondata_fields,
	},
	{
		.name = "endusers",
		.path = "endusers",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,	/* (inferred, §2.2) */
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "enduser",
		.description = "End users: the contacts at customer companies",
		.filters = enduser_filters,
		.fields = enduser_fields,
	},
	{
		.name = "invoices",
		.path = "invoices",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,
		.external_id_field = "extId",
		.bulk_keys = "_id,sourceId,extId",
		.custom_parent = "invoice",
		.description = "Invoices of a company, with their line items",
		.filters = invoice_filters,
		.fields = invoice_fields,
	},
	{
		.name = "issues",
		.path = "issues",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_SRCID,
		.external_id_field = NULL,
		.bulk_keys = "_id,sourceId",
		.custom_parent = "issue",
		.description = "Issues (bugs, feature requests) linked to companies and end users",
		.notes = issue_notes,
		.filters = no_filters,
		.fields = issue_fields,
	},
	{
		.name = "leancompanies",
		.path = "leancompanies",
		.host = PH_HOST_API,
		.verbs = PH_VERB_LIST,
		/* one unpaginated answer with every company (§5) */
		.default_limit = 0,
		.max_limit = 0,
		.keyables = 0,
		.external_id_field = "externalId",
		.bulk_keys = NULL,
		.stored_in = "companies",
		.custom_parent = NULL,
		.description = "Every company with its keyables only, in one unpaginated request",
		.notes = leancompany_notes,
		.filters = leancompany_filters,
		.fields = leancompany_fields,
	},
	{
		.name = "licenses",
		.path = "licenses",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,	/* (inferred, §2.2) */
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "license",
		.description = "Licenses: the recurring revenue (subscriptions) of a company",
		.filters = license_filters,
		.fields = license_fields,
	},
	{
		.name = "metrics",
		.path = "dimensiondata",
		.host = PH_HOST_ANALYTICS,
		.verbs = PH_VERB_PUSH,
		.default_limit = 0,
		.max_limit = 0,
		.keyables = 0,
		.external_id_field = NULL,
		.bulk_keys = NULL,
		.stored_in = "dimensiondata",
		.custom_parent = NULL,
		.description = "Push metric values (dimension data) to the analytics API; insert only",
		.filters = no_filters,
		.fields = metric_fields,
	},
	{
		.name = "nps",
		.path = "nps",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 10000,
		/* srcid- (inferred, §2.2); no externalId field (§6.12) */
		.keyables = PH_KEY_SRCID,
		.external_id_field = NULL,
		.bulk_keys = "_id,sourceId",
		.custom_parent = "nps",
		.description = "NPS survey responses of end users",
		.filters = nps_filters,
		.fields = nps_fields,
	},
	{
		.name = "objectives",
		.path = "objectives",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "objective",
		.description = "Objectives (goals) of a company",
		.filters = objective_filters,
		.fields = objective_fields,
	},
	{
		.name = "opportunities",
		.path = "opportunities",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,	/* (inferred, §2.2) */
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "opportunity",
		.description = "Sales opportunities (new business, upsell) of a company",
		.filters = opportunity_filters,
		.fields = opportunity_fields,
	},
	{
		.name = "products",
		.path = "products",
		.host = PH_HOST_API,
		.verbs = VERBS_NEW,
		.default_limit = 100,
		.max_limit = 100,
		.keyables = 0,
		.external_id_field = "externalId",
		.bulk_keys = "_id",
		.custom_parent = "product", /* (inferred) the model's name */
		.description = "Products: the catalog of subscriptions and fees that line items inherit",
		.notes = product_notes,
		/* the revenue models are enabled per tenant (§11) */
		.flags = PH_RES_PER_TENANT | PH_RES_PAGE_INFERRED,
		.filters = no_filters,
		.fields = product_fields,
	},
	{
		.name = "projects",
		.path = "projects",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,	/* (inferred, §2.2) */
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "project",
		.description = "Projects of a company",
		.filters = project_filters,
		.fields = project_fields,
	},
	{
		.name = "sales",
		.path = "sales",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,

		/*
		 * Not documented (§5); 2000 is the page Airbyte's connector
		 * requests, used as both default and maximum.
		 */
		.default_limit = 2000,
		.max_limit = 2000,
		.keyables = PH_KEY_EXTID | PH_KEY_SRCID,	/* (inferred, §2.2) */
		.external_id_field = "externalId",
		.bulk_keys = "_id,sourceId,externalId",
		.custom_parent = "sale",
		.description = "Sales: the non-recurring revenue (one-off fees) of a company",
		.notes = sale_notes,
		.flags = PH_RES_PAGE_INFERRED,
		.filters = sale_filters,
		.fields = sale_fields,
	},
	{
		.name = "tasks",
		.path = "tasks",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 500,
		.max_limit = 10000,
		.keyables = PH_KEY_SRCID,
		.external_id_field = NULL,
		.bulk_keys = "_id,sourceId",
		.custom_parent = "task",
		.description = "Tasks and calendar events, archived ones included",
		.filters = task_filters,
		.fields = task_fields,
	},
	{
		.name = "tickets",
		.path = "tickets",
		.host = PH_HOST_API,
		/* §5: "Ticket only PUT BulkUpsert, GET Get list, DELETE" */
		.verbs = PH_VERB_LIST | PH_VERB_BULK | PH_VERB_DELETE,
		.default_limit = 500,
		.max_limit = 10000,
		/* no GET or PUT by key, and §2.2 documents no prefix for tickets */
		.keyables = 0,
		.external_id_field = "externalId",

		/*
		 * (inferred) Tickets are stored as conversations (§6.11), so their
		 * custom fields are the conversation model's.
		 */
		.bulk_keys = "_id,sourceId",
		.stored_in = "conversations",
		.custom_parent = "conversation",
		.description = "Support tickets, stored as conversations of type ticket",
		.notes = ticket_notes,
		.filters = ticket_filters,
		.fields = ticket_fields,
	},
	{
		.name = "timeentries",
		.path = "timeentries",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = 0,			/* no externalId or sourceId (§6.18) */
		.external_id_field = NULL,
		.bulk_keys = "_id",
		.custom_parent = NULL,	/* §6.18 documents no custom object */
		.description = "Time entries logged against companies",
		.filters = timeentry_filters,
		.fields = timeentry_fields,
	},
	{
		.name = "timesheets",
		.path = "timesheets",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 100,
		.max_limit = 2000,
		.keyables = 0,			/* no externalId or sourceId (§6.18) */
		.external_id_field = NULL,
		.bulk_keys = "_id",
		.custom_parent = NULL,	/* §6.18 documents no custom object */
		.description = "Timesheets: time entries grouped for approval",
		.filters = no_filters,
		.fields = timesheet_fields,
	},
	{
		.name = "user_activities",
		.path = "analytics/bulk",
		.host = PH_HOST_ANALYTICS,
		.verbs = PH_VERB_PUSH,
		.default_limit = 0,
		.max_limit = 0,
		.keyables = 0,
		.external_id_field = NULL,
		.bulk_keys = NULL,
		.custom_parent = NULL,
		.description = "Push end-user activity events to the analytics API; insert only",
		.notes = user_activity_notes,
		.filters = no_filters,
		.fields = user_activity_fields,
	},
	{
		.name = "users",
		.path = "users",
		.host = PH_HOST_API,
		.verbs = VERBS_ALL,
		.default_limit = 10000,
		.max_limit = 10000,
		.keyables = PH_KEY_EXTID,
		.external_id_field = "externalId",
		.bulk_keys = "_id,externalId,email",
		.custom_parent = "user",
		.description = "Users: the team members of the Planhat tenant",
		.notes = user_notes,
		/* "GET /users will return the following fields by default" (§6.16) */
		.flags = PH_RES_DEFAULT_PROJECTION,
		.filters = no_filters,
		.fields = user_fields,
	},
	{
		.name = "workflows",
		.path = "workflows",
		.host = PH_HOST_API,
		/* only the list is known (§5, §6.19) */
		.verbs = PH_VERB_LIST,

		/*
		 * (inferred) Unknown (§5); 2000 is the page Airbyte's connector
		 * requests, used as both default and maximum.
		 */
		.default_limit = 2000,
		.max_limit = 2000,
		.keyables = 0,
		.external_id_field = NULL,
		.bulk_keys = NULL,
		.custom_parent = "workflow",	/* (inferred) §6.19 lists custom */
		.description = "Workflows (playbooks) applied to companies; read only",
		.notes = workflow_notes,
		.flags = PH_RES_PAGE_INFERRED,
		.filters = no_filters,
		.fields = workflow_fields,
	},
	{
		.name = "workspaces",
		.path = "workspaces",
		.host = PH_HOST_API,
		.verbs = VERBS_NEW,
		.default_limit = 100,
		.max_limit = 100,
		.keyables = 0,
		.external_id_field = "externalId",
		.bulk_keys = "_id",
		.custom_parent = "workspace",	/* (inferred) the model's name */
		.description = "Workspaces: sub-instances of a company (departments, product instances)",
		.notes = workspace_notes,
		.flags = PH_RES_PAGE_INFERRED,
		.filters = no_filters,
		.fields = workspace_fields,
	},
};

#define NUM_RESOURCES	((int) lengthof(planhat_resources))


/*
 * planhat_find_resource
 *		The catalog entry whose name is exactly 'name', or NULL.
 *
 * The match is case-sensitive: names are the lower-case table names that
 * IMPORT FOREIGN SCHEMA writes into the "resource" option.
 */
const PlanhatResource *
planhat_find_resource(const char *name)
{
	int			i;

	if (name == NULL)
		return NULL;

	for (i = 0; i < NUM_RESOURCES; i++)
	{
		if (strcmp(planhat_resources[i].name, name) == 0)
			return &planhat_resources[i];
	}
	return NULL;
}

/*
 * planhat_resource_at
 *		The i-th catalog entry (0-based, in table order), or NULL past the
 *		end; callers iterate until NULL.
 */
const PlanhatResource *
planhat_resource_at(int i)
{
	if (i < 0 || i >= NUM_RESOURCES)
		return NULL;
	return &planhat_resources[i];
}

/*
 * planhat_find_field
 *		The documented field of 'res' named exactly 'field', or NULL.
 *
 * Custom fields ("custom.<Name>") are never in the catalog; callers treat
 * NULL as "not documented", not as an error.
 */
const PlanhatField *
planhat_find_field(const PlanhatResource *res, const char *field)
{
	const PlanhatField *f;

	if (res == NULL || field == NULL)
		return NULL;

	for (f = res->fields; f->name != NULL; f++)
	{
		if (strcmp(f->name, field) == 0)
			return f;
	}
	return NULL;
}

/*
 * planhat_find_filter
 *		The first list filter of 'res' that compares 'field', or NULL when
 *		quals on that field cannot be pushed to the list endpoint.
 */
const PlanhatFilter *
planhat_find_filter(const PlanhatResource *res, const char *field)
{
	const PlanhatFilter *f;

	if (res == NULL || field == NULL)
		return NULL;

	for (f = res->filters; f->field != NULL; f++)
	{
		if (strcmp(f->field, field) == 0)
			return f;
	}
	return NULL;
}

/*
 * planhat_resource_names
 *		Every resource name in table order, separated by ", ", palloc'd in
 *		the current memory context; for hints such as "Valid resources
 *		are: ...".
 */
char *
planhat_resource_names(void)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < NUM_RESOURCES; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, planhat_resources[i].name);
	}
	return buf.data;
}

/*
 * planhat_bulk_key
 *		Does the bulk upsert of 'res' match items on 'field'?
 */
bool
planhat_bulk_key(const PlanhatResource *res, const char *field)
{
	const char *p;
	size_t		len;

	if (res == NULL || res->bulk_keys == NULL || field == NULL)
		return false;
	len = strlen(field);
	for (p = res->bulk_keys; *p != '\0';)
	{
		const char *end = strchr(p, ',');
		size_t		n = end ? (size_t) (end - p) : strlen(p);

		if (n == len && strncmp(p, field, len) == 0)
			return true;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return false;
}

/*
 * planhat_resource_storage
 *		The name of the resource whose records 'res' lists or writes: two
 *		resources with the same storage see each other's writes.
 */
const char *
planhat_resource_storage(const PlanhatResource *res)
{
	return res->stored_in ? res->stored_in : res->name;
}


/*
 * planhat_field_type_oid
 *		The SQL type of a catalog field: the column type IMPORT FOREIGN
 *		SCHEMA writes and planhat_fdw_fields() reports.
 */
Oid
planhat_field_type_oid(PlanhatFieldType type)
{
	switch (type)
	{
		case PH_TYPE_TEXT:
			return TEXTOID;
		case PH_TYPE_NUMERIC:
			return NUMERICOID;
		case PH_TYPE_INTEGER:
			return INT4OID;
		case PH_TYPE_BIGINT:
			return INT8OID;
		case PH_TYPE_BOOLEAN:
			return BOOLOID;
		case PH_TYPE_TIMESTAMPTZ:
			return TIMESTAMPTZOID;
		case PH_TYPE_DAY:
			return DATEOID;
		case PH_TYPE_TEXT_ARRAY:
			return TEXTARRAYOID;
		case PH_TYPE_JSONB:
			return JSONBOID;
	}
	return TEXTOID;				/* keep compiler quiet */
}


/* ----------------------------------------------------------------
 *		The catalog as SQL: planhat_fdw_resources(), planhat_fdw_fields(),
 *		planhat_fdw_filters()
 *
 * Three set-returning functions, one row per resource, per field and per
 * list filter, joined on (resource, field).  docs/resources.md is made
 * from them (test/tools/gen_resources_md.sh), sql/catalog.sql checks the
 * table's rules with queries over them, and planhat_fdw_comment_columns()
 * writes column comments from them.  The rows are the static table's,
 * word for word; flags become booleans and bit sets become text arrays
 * with the names used in the documentation.
 * ----------------------------------------------------------------
 */

/* Names of the bits of a bit set, in the order they are reported */
typedef struct PlanhatBitName
{
	int			bit;
	const char *name;
} PlanhatBitName;

static const PlanhatBitName verb_names[] = {
	{PH_VERB_LIST, "list"},
	{PH_VERB_GET, "get"},
	{PH_VERB_CREATE, "create"},
	{PH_VERB_UPDATE, "update"},
	{PH_VERB_DELETE, "delete"},
	{PH_VERB_BULK, "bulk"},
	{PH_VERB_PUSH, "push"},
	{0, NULL}
};

static const PlanhatBitName keyable_names[] = {
	{PH_KEY_EXTID, "extid"},
	{PH_KEY_SRCID, "srcid"},
	{0, NULL}
};

/* A text[] of 'n' C strings */
static Datum
text_array(const char **items, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(items[i]);
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* The names of the bits set in 'bits', as a text[] (empty when none) */
static Datum
bit_names(int bits, const PlanhatBitName *names)
{
	const char *items[sizeof(int) * BITS_PER_BYTE];
	int			n = 0;

	for (; names->name != NULL; names++)
		if ((bits & names->bit) != 0)
			items[n++] = names->name;
	return text_array(items, n);
}

/* A comma-separated list ("_id,sourceId") as a text[] */
static Datum
list_array(const char *list)
{
	char	   *copy = pstrdup(list);
	const char **items = palloc(sizeof(char *) * (strlen(list) + 1));
	int			n = 0;
	char	   *p = copy;

	for (;;)
	{
		char	   *end = strchr(p, ',');

		if (end != NULL)
			*end = '\0';
		items[n++] = p;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return text_array(items, n);
}

/* A NULL-terminated array of C strings as a text[] */
static Datum
notes_array(const char *const *notes)
{
	int			n = 0;

	while (notes[n] != NULL)
		n++;
	return text_array((const char **) notes, n);
}

/* Column i of a result row: the C string 's' as text, or NULL */
static void
set_text(Datum *values, bool *nulls, int i, const char *s)
{
	if (s != NULL)
		values[i] = CStringGetTextDatum(s);
	else
		nulls[i] = true;
}

/*
 * planhat_fdw_resources
 *		One row per catalog entry, in table order (the order of IMPORT
 *		FOREIGN SCHEMA).  The limits are NULL for a list that is not paged;
 *		notes are the caveats docs/resources.md prints under the resource.
 */
Datum
planhat_fdw_resources(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	for (i = 0; i < NUM_RESOURCES; i++)
	{
		const PlanhatResource *res = &planhat_resources[i];
		Datum		values[17];
		bool		nulls[17];

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(res->name);
		values[1] = CStringGetTextDatum(psprintf("/%s", res->path));
		values[2] = CStringGetTextDatum(res->host == PH_HOST_ANALYTICS ?
										"analytics_url" : "url");
		values[3] = bit_names(res->verbs, verb_names);
		if (res->max_limit != 0 || res->default_limit != 0)
		{
			values[4] = Int32GetDatum(res->default_limit);
			values[5] = Int32GetDatum(res->max_limit);
		}
		else
			nulls[4] = nulls[5] = true;
		values[6] = BoolGetDatum((res->flags & PH_RES_PAGE_INFERRED) != 0);
		values[7] = bit_names(res->keyables, keyable_names);
		values[8] = BoolGetDatum((res->keyables & PH_KEY_EXTID_UNIQUE) != 0);
		set_text(values, nulls, 9, res->external_id_field);
		if (res->bulk_keys != NULL)
			values[10] = list_array(res->bulk_keys);
		else
			nulls[10] = true;
		set_text(values, nulls, 11, res->stored_in);
		set_text(values, nulls, 12, res->custom_parent);
		values[13] = BoolGetDatum((res->flags & PH_RES_PER_TENANT) != 0);
		values[14] = BoolGetDatum((res->flags & PH_RES_DEFAULT_PROJECTION) != 0);
		set_text(values, nulls, 15, res->description);
		if (res->notes != NULL)
			values[16] = notes_array(res->notes);
		else
			nulls[16] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	PG_RETURN_VOID();
}

/*
 * planhat_fdw_fields
 *		One row per documented field of every resource, in table order and
 *		field order: the columns of IMPORT FOREIGN SCHEMA before attrs.
 */
Datum
planhat_fdw_fields(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	for (i = 0; i < NUM_RESOURCES; i++)
	{
		const PlanhatResource *res = &planhat_resources[i];
		const PlanhatField *f;
		int			pos = 0;

		for (f = res->fields; f->name != NULL; f++)
		{
			Datum		values[9];
			bool		nulls[9];

			memset(nulls, 0, sizeof(nulls));
			values[0] = CStringGetTextDatum(res->name);
			values[1] = Int32GetDatum(++pos);
			values[2] = CStringGetTextDatum(f->name);
			values[3] = CStringGetTextDatum(f->column ? f->column :
											planhat_field_to_column(f->name));
			values[4] = ObjectIdGetDatum(planhat_field_type_oid(f->type));
			values[5] = BoolGetDatum((f->flags & PH_FIELD_REQUIRED) != 0);
			values[6] = BoolGetDatum((f->flags & PH_FIELD_AUTO) != 0);
			values[7] = BoolGetDatum((f->flags & PH_FIELD_ID_OR_OBJECT) != 0);
			set_text(values, nulls, 8, f->note);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
								 values, nulls);
		}
	}
	PG_RETURN_VOID();
}

/*
 * planhat_fdw_filters
 *		One row per documented list filter: the field a qual compares, the
 *		query parameter(s) it becomes, how, and whether Planhat's answer is
 *		exact or rechecked locally.
 */
Datum
planhat_fdw_filters(PG_FUNCTION_ARGS)
{
	static const char *const kind_names[] = {
		[PH_FILTER_LIST] = "list",
		[PH_FILTER_SINGLE] = "single",
		[PH_FILTER_INCLUDE_FLAG] = "include_flag",
		[PH_FILTER_SPLIT_FLAG] = "split_flag",
		[PH_FILTER_DAY_RANGE] = "day_range",
	};
	static const char *const value_names[] = {
		[PH_VALUES_TEXT] = "text",
		[PH_VALUES_OBJECTID] = "objectid",
		[PH_VALUES_ID] = "id",
		[PH_VALUES_KEY] = "key",
		[PH_VALUES_ANY] = "any",
	};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);

	for (i = 0; i < NUM_RESOURCES; i++)
	{
		const PlanhatResource *res = &planhat_resources[i];
		const PlanhatFilter *flt;

		for (flt = res->filters; flt->field != NULL; flt++)
		{
			Datum		values[7];
			bool		nulls[7];

			memset(nulls, 0, sizeof(nulls));
			values[0] = CStringGetTextDatum(res->name);
			values[1] = CStringGetTextDatum(flt->field);
			values[2] = CStringGetTextDatum(flt->param);
			set_text(values, nulls, 3, flt->param2);
			values[4] = CStringGetTextDatum(kind_names[flt->kind]);
			values[5] = BoolGetDatum(flt->exact);
			/* only list and single filters send the qual's values */
			if (flt->kind == PH_FILTER_LIST || flt->kind == PH_FILTER_SINGLE)
				values[6] = CStringGetTextDatum(value_names[flt->values]);
			else
				nulls[6] = true;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
								 values, nulls);
		}
	}
	PG_RETURN_VOID();
}
