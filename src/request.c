/*-------------------------------------------------------------------------
 *
 * request.c
 *		  Write Planhat requests: a PlanhatScanSpec plus values become the
 *		  list of requests, their URL paths and query strings.  The scan
 *		  sends them and EXPLAIN shows them: one implementation for both.
 *
 * Every path segment and query value is percent-encoded here (RFC 3986
 * unreserved characters pass, everything else is %XX), so a key or value
 * containing '/', '?', '#', '&', '%', spaces, quotes or non-ASCII can never
 * change the path or add a parameter.  Comma lists are joined AFTER each
 * value is encoded: the commas that separate values are the only raw ones.
 *
 * The query string always has the same order -- filters in catalog order,
 * then select, sort, limit, offset -- so EXPLAIN, the emulator's log and the
 * tests agree byte for byte.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/request.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "mb/pg_wchar.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "nodes/value.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
#include "utils/timestamp.h"

#include "planhat_fdw.h"

/* Days between 1970-01-01 (Planhat's day 0) and 2000-01-01 (PostgreSQL's) */
#define UNIX_TO_PG_DAYS		(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)

/* ----------------------------------------------------------------
 *		fdw_private (de)serialization
 * ----------------------------------------------------------------
 */
enum SpecIndex
{
	SpecKind,
	SpecPath,
	SpecKeyPrefix,
	SpecKeyExpr,
	SpecKeyField,
	SpecKeyColumn,
	SpecParams,
	SpecSelect,
	SpecSort,
	SpecSortRelied,
	SpecLimitExpr,
	SpecOffsetExpr,
	SpecFetchSize,
	SpecPaginated,
	SpecHasRecheck,
	SpecKeyOnly,
	SpecNotes,
	SpecStop,
	SpecSortForStop,
	SpecBoundExprs,
	SpecBoundOps,
	SpecBoundAttnum,
	SpecBoundColumn,
	SpecBoundNote
};

/* Members of a serialized PlanhatParamSpec */
enum ParamSpecIndex
{
	ParamSpecKind,
	ParamSpecName,
	ParamSpecFixed,
	ParamSpecExprs,
	ParamSpecAdjust,
	ParamSpecField,
	ParamSpecColumn,
	ParamSpecValues,
	ParamSpecExact
};

static Node *
string_or_null(const char *s)
{
	return s ? (Node *) makeString(pstrdup(s)) : NULL;
}

static char *
str_or_null(Node *n)
{
	return n ? strVal(n) : NULL;
}

List *
planhat_spec_to_list(const PlanhatScanSpec *spec)
{
	List	   *params = NIL;
	List	   *notes = NIL;
	List	   *ops = NIL;
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);
		List	   *pl = NIL;

		/* the order follows enum ParamSpecIndex */
		pl = lappend(pl, makeInteger(p->kind));
		pl = lappend(pl, makeString(pstrdup(p->name)));
		pl = lappend(pl, string_or_null(p->fixed));
		pl = lappend(pl, list_copy(p->exprs));
		pl = lappend(pl, list_copy(p->adjust));
		pl = lappend(pl, string_or_null(p->field));
		pl = lappend(pl, string_or_null(p->column));
		pl = lappend(pl, makeInteger(p->values));
		pl = lappend(pl, makeInteger(p->exact ? 1 : 0));
		params = lappend(params, pl);
	}
	foreach(lc, spec->notes)
		notes = lappend(notes, makeString(pstrdup(lfirst(lc))));

	/* the order follows enum SpecIndex */
	result = lappend(result, makeInteger(spec->kind));
	result = lappend(result, makeString(pstrdup(spec->path)));
	result = lappend(result, string_or_null(spec->key_prefix));
	result = lappend(result, makeInteger(spec->key_expr));
	result = lappend(result, string_or_null(spec->key_field));
	result = lappend(result, string_or_null(spec->key_column));
	result = lappend(result, params);
	result = lappend(result, string_or_null(spec->select));
	result = lappend(result, string_or_null(spec->sort));
	result = lappend(result, makeInteger(spec->sort_relied ? 1 : 0));
	result = lappend(result, makeInteger(spec->limit_expr));
	result = lappend(result, makeInteger(spec->offset_expr));
	result = lappend(result, makeInteger(spec->fetch_size));
	result = lappend(result, makeInteger(spec->paginated ? 1 : 0));
	result = lappend(result, makeInteger(spec->has_recheck ? 1 : 0));
	result = lappend(result, makeInteger(spec->key_only ? 1 : 0));
	result = lappend(result, notes);
	result = lappend(result, makeInteger(spec->stop));
	result = lappend(result, makeInteger(spec->sort_for_stop ? 1 : 0));
	result = lappend(result, list_copy(spec->bound_exprs));
	foreach(lc, spec->bound_ops)
		ops = lappend(ops, makeString(pstrdup(lfirst(lc))));
	result = lappend(result, ops);
	result = lappend(result, makeInteger(spec->bound_attnum));
	result = lappend(result, string_or_null(spec->bound_column));
	result = lappend(result, string_or_null(spec->bound_note));
	return result;
}

PlanhatScanSpec *
planhat_spec_from_list(List *list)
{
	PlanhatScanSpec *spec = palloc0(sizeof(PlanhatScanSpec));
	ListCell   *lc;

	spec->kind = (PlanhatScanKind) intVal(list_nth(list, SpecKind));
	spec->path = strVal(list_nth(list, SpecPath));
	spec->key_prefix = str_or_null(list_nth(list, SpecKeyPrefix));
	spec->key_expr = intVal(list_nth(list, SpecKeyExpr));
	spec->key_field = str_or_null(list_nth(list, SpecKeyField));
	spec->key_column = str_or_null(list_nth(list, SpecKeyColumn));
	foreach(lc, (List *) list_nth(list, SpecParams))
	{
		List	   *pl = lfirst(lc);
		PlanhatParamSpec *p = palloc0(sizeof(PlanhatParamSpec));

		p->kind = (PlanhatParamKind) intVal(list_nth(pl, ParamSpecKind));
		p->name = strVal(list_nth(pl, ParamSpecName));
		p->fixed = str_or_null(list_nth(pl, ParamSpecFixed));
		p->exprs = (List *) list_nth(pl, ParamSpecExprs);
		p->adjust = (List *) list_nth(pl, ParamSpecAdjust);
		p->field = str_or_null(list_nth(pl, ParamSpecField));
		p->column = str_or_null(list_nth(pl, ParamSpecColumn));
		p->values = intVal(list_nth(pl, ParamSpecValues));
		p->exact = intVal(list_nth(pl, ParamSpecExact)) != 0;
		spec->params = lappend(spec->params, p);
	}
	spec->select = str_or_null(list_nth(list, SpecSelect));
	spec->sort = str_or_null(list_nth(list, SpecSort));
	spec->sort_relied = intVal(list_nth(list, SpecSortRelied)) != 0;
	spec->limit_expr = intVal(list_nth(list, SpecLimitExpr));
	spec->offset_expr = intVal(list_nth(list, SpecOffsetExpr));
	spec->fetch_size = intVal(list_nth(list, SpecFetchSize));
	spec->paginated = intVal(list_nth(list, SpecPaginated)) != 0;
	spec->has_recheck = intVal(list_nth(list, SpecHasRecheck)) != 0;
	spec->key_only = intVal(list_nth(list, SpecKeyOnly)) != 0;
	foreach(lc, (List *) list_nth(list, SpecNotes))
		spec->notes = lappend(spec->notes, strVal(lfirst(lc)));
	spec->stop = (PlanhatStopKind) intVal(list_nth(list, SpecStop));
	spec->sort_for_stop = intVal(list_nth(list, SpecSortForStop)) != 0;
	spec->bound_exprs = (List *) list_nth(list, SpecBoundExprs);
	foreach(lc, (List *) list_nth(list, SpecBoundOps))
		spec->bound_ops = lappend(spec->bound_ops, strVal(lfirst(lc)));
	spec->bound_attnum = intVal(list_nth(list, SpecBoundAttnum));
	spec->bound_column = str_or_null(list_nth(list, SpecBoundColumn));
	spec->bound_note = str_or_null(list_nth(list, SpecBoundNote));
	return spec;
}

/* ----------------------------------------------------------------
 *		URLs
 * ----------------------------------------------------------------
 */

/* Append "name=v1,v2" (each value percent-encoded) */
static void
append_param(StringInfo buf, const char *name, List *values, bool raw)
{
	ListCell   *lc;

	appendStringInfo(buf, "%c%s=", buf->len == 0 ? '?' : '&',
					 planhat_escape(name, -1));
	foreach(lc, values)
	{
		const char *v = (const char *) lfirst(lc);

		if (lc != list_head(values))
			appendStringInfoChar(buf, ',');
		/* "{expression}": an EXPLAIN placeholder, shown as written */
		if (raw && v[0] == '{')
			appendStringInfoString(buf, v);
		else
			appendStringInfoString(buf, planhat_escape(v, -1));
	}
}

/*
 * planhat_build_query
 *		"?a=1&select=_id,name&sort=-mrr&limit=10&offset=0", or "" when there
 *		is nothing to send.  limit and offset < 0 are left out.
 */
char *
planhat_build_query(List *params, const char *select, const char *sort,
					int64 limit, int64 offset)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, params)
	{
		PlanhatQueryParam *qp = lfirst(lc);

		append_param(&buf, qp->name, qp->values, qp->raw);
	}
	if (select)
	{
		/* field names are encoded one by one, commas stay */
		List	   *fields = NIL;
		char	   *copy = pstrdup(select);
		char	   *tok;
		char	   *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			fields = lappend(fields, tok);
		append_param(&buf, "select", fields, false);
	}
	if (sort)
		append_param(&buf, "sort", list_make1((char *) sort), false);
	if (limit >= 0)
		appendStringInfo(&buf, "%climit=" INT64_FORMAT, buf.len == 0 ? '?' : '&', limit);
	if (offset >= 0)
		appendStringInfo(&buf, "%coffset=" INT64_FORMAT, buf.len == 0 ? '?' : '&', offset);
	return buf.data;
}

/*
 * planhat_key_addressable
 *		Can key (after prefix) name an object in a path /<path>/<prefix><key>?
 *
 * A bare key (no prefix) is an _id, which is never empty and never starts
 * with one of Planhat's keyable prefixes.  Sent as it is, an empty key would
 * address the list (PUT /companies is the bulk upsert) and "extid-X" another
 * object (PUT /companies/extid-X updates the company whose externalId is X),
 * so such a key matches no object and no request may carry it.  (Writes by
 * key use this; reads go through value_fate below, which is stricter.)
 */
bool
planhat_key_addressable(const char *prefix, const char *key)
{
	if (prefix != NULL && prefix[0] != '\0')
		return true;
	return key[0] != '\0' &&
		pg_strncasecmp(key, "extid-", 6) != 0 &&
		pg_strncasecmp(key, "srcid-", 6) != 0;
}

/*
 * planhat_key_path
 *		"/companies/extid-<key percent-encoded>"
 *
 * Every byte outside RFC 3986's unreserved set is percent-encoded, so a key
 * can neither leave its path segment nor add query parameters.  A segment
 * made only of dots ("." or "..") is a dot-segment, which URL normalisation
 * (libcurl's included) would remove: its dots are encoded too.  The caller
 * checks planhat_key_addressable() first.
 */
char *
planhat_key_path(const char *path, const char *prefix, const char *key)
{
	const char *p = prefix ? prefix : "";

	if (p[0] == '\0' && key[0] != '\0' && key[strspn(key, ".")] == '\0')
	{
		StringInfoData buf;
		const char *k;

		initStringInfo(&buf);
		appendStringInfo(&buf, "/%s/", path);
		for (k = key; *k != '\0'; k++)
			appendStringInfoString(&buf, "%2E");
		return buf.data;
	}
	return psprintf("/%s/%s%s", path, p, planhat_escape(key, -1));
}

/*
 * planhat_make_request
 *		Fill a request for base_url + path_and_query.  The display text (for
 *		messages, EXPLAIN and logs) has no host: only method, path and query.
 */
void
planhat_make_request(PlanhatRequest *req, const PlanhatOptions *opts,
					 PlanhatMethod method, const char *base_url,
					 const char *path_and_query)
{
	memset(req, 0, sizeof(PlanhatRequest));
	req->method = method;
	req->url = psprintf("%s%s", base_url, path_and_query);
	req->display = psprintf("%s %s", planhat_method_name(method), path_and_query);
	req->retry_safe = (method != PH_POST);
	req->send_token = true;
	req->relname = opts->relname;
	req->resource = opts->resource;
}

/* ----------------------------------------------------------------
 *		values: what may be sent as it is
 * ----------------------------------------------------------------
 */

/* What becomes of one value (value_fate) */
typedef enum ValueFate
{
	FATE_SEND,					/* sent as it is */
	FATE_NO_ROW,				/* matches no row: not sent */
	FATE_WIDEN					/* not sent: a wider request, rows rechecked */
} ValueFate;

/* Is c (a code point) white space that a trim() could remove? */
static bool
is_trimmable(pg_wchar c)
{
	/* JavaScript's String.prototype.trim, plus Python's few extras */
	return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) ||
		c == 0x85 || c == 0xA0 || c == 0x1680 ||
		(c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
		c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Does s begin or end with white space (in any database encoding)? */
static bool
is_padded(const char *s)
{
	const unsigned char *u;
	int			len;
	int			last;

	if (s[0] == '\0')
		return false;
	/* a no-op in UTF8 and SQL_ASCII databases */
	u = (const unsigned char *) pg_server_to_any(s, strlen(s), PG_UTF8);
	len = strlen((const char *) u);
	if (is_trimmable(utf8_to_unicode(u)))
		return true;
	/* the last character starts at the last byte that is not 10xxxxxx */
	for (last = len - 1; last > 0 && (u[last] & 0xC0) == 0x80; last--)
		;
	return is_trimmable(utf8_to_unicode(u + last));
}

/* 24 lower-case hex digits: how Planhat writes an ObjectId */
static bool
is_object_id(const char *s)
{
	int			i;

	for (i = 0; i < 24; i++)
	{
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[24] == '\0';
}

/*
 * value_fate
 *		Can this value be sent as it is, so that Planhat's answer is exactly
 *		the rows that compare equal to it?  *reason says why not.
 *
 * Planhat reads an empty parameter as no filter and splits list
 * parameters at commas; whether it trims white space, or resolves a
 * companyId of "extid-..." the way it does in writes, is not documented.
 * ObjectId references (companyId, cId) are compared as ObjectIds, so only a
 * value written the way Planhat writes one can match exactly.  Such values
 * are not sent: the parameter is left out (a wider request) and the rows
 * are filtered locally.  An _id that is not an ObjectId cannot name any
 * object: Planhat assigns every _id itself (docs/planhat-api.md section
 * 2.1), so such a value matches no row and costs no request.
 */
static ValueFate
value_fate(PlanhatValueKind kind, const char *value, const char **reason)
{
	*reason = NULL;
	switch (kind)
	{
		case PH_VALUES_ANY:
			return FATE_SEND;
		case PH_VALUES_ID:
			if (is_object_id(value))
				return FATE_SEND;
			*reason = "not an ObjectId, so no Planhat _id equals it";
			return FATE_NO_ROW;
		case PH_VALUES_OBJECTID:
			if (is_object_id(value))
				return FATE_SEND;
			*reason = value[0] == '\0' ?
				"Planhat reads an empty value as no filter" :
				"not an ObjectId, which Planhat may reject or read as a reference";
			return FATE_WIDEN;
		case PH_VALUES_KEY:
			if (value[0] == '\0')
				*reason = "an empty key names no object";
			else if (is_padded(value))
				*reason = "Planhat may trim the white space around it";
			return *reason ? FATE_WIDEN : FATE_SEND;
		case PH_VALUES_TEXT:
			if (value[0] == '\0')
				*reason = "Planhat reads an empty value as no filter";
			else if (is_padded(value))
				*reason = "Planhat may trim the white space around it";
			else if (strchr(value, ',') != NULL)
				*reason = "Planhat splits values at commas";
			return *reason ? FATE_WIDEN : FATE_SEND;
	}
	return FATE_SEND;		/* keep compiler quiet */
}

/* One scalar as request text */
static char *
scalar_string(Datum value, Oid typid, bool day_number, int adjust)
{
	Oid			base = getBaseType(typid);

	switch (base)
	{
		case BOOLOID:
			return pstrdup(DatumGetBool(value) ? "true" : "false");
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return TextDatumGetCString(value);
		case DATEOID:
			if (day_number)
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_NOT_FINITE(d))
					return pstrdup(DATE_IS_NOBEGIN(d) ? "-infinity" : "infinity");
				return psprintf("%d", (int) d + UNIX_TO_PG_DAYS + adjust);
			}
			break;
		case TIMESTAMPTZOID:
		case TIMESTAMPOID:
			if (day_number)
			{
				TimestampTz ts = DatumGetTimestampTz(value);
				int64		days;

				if (TIMESTAMP_NOT_FINITE(ts))
					return pstrdup(TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity");
				/* floor division: the UTC day of the instant */
				days = ts / USECS_PER_DAY;
				if (ts < 0 && ts % USECS_PER_DAY != 0)
					days--;
				return psprintf(INT64_FORMAT, days + UNIX_TO_PG_DAYS + adjust);
			}
			break;
		default:
			break;
	}
	{
		Oid			outfunc;
		bool		isvarlena;

		getTypeOutputInfo(typid, &outfunc, &isvarlena);
		return OidOutputFunctionCall(outfunc, value);
	}
}

/*
 * The request strings of an evaluated value: one for a scalar, one per
 * element of an array, each once, in order.  NULLs are left out and
 * reported in *has_null (a NULL compared with "=" matches no row).  Dates
 * and timestamps become day numbers when day_number (plus adjust days);
 * "infinity"/"-infinity" are returned as such for the caller to judge.
 */
static List *
value_strings(Datum value, bool isnull, Oid typid, bool day_number,
			  int adjust, bool *has_null)
{
	Oid			elemtype;
	List	   *result = NIL;

	*has_null = false;
	if (isnull)
	{
		*has_null = true;
		return NIL;
	}
	elemtype = get_element_type(getBaseType(typid));
	if (!OidIsValid(elemtype))
		return list_make1(scalar_string(value, typid, day_number, adjust));
	else
	{
		ArrayType  *arr = DatumGetArrayTypeP(value);
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		int16		typlen;
		bool		typbyval;
		char		typalign;
		int			i;

		get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
		deconstruct_array(arr, elemtype, typlen, typbyval, typalign,
						  &elems, &nulls, &nelems);
		for (i = 0; i < nelems; i++)
		{
			char	   *s;
			ListCell   *lc;
			bool		dup = false;

			if (nulls[i])
			{
				*has_null = true;
				continue;
			}
			s = scalar_string(elems[i], elemtype, day_number, adjust);
			foreach(lc, result)
			{
				if (strcmp(lfirst(lc), s) == 0)
				{
					dup = true;
					break;
				}
			}
			if (!dup)
				result = lappend(result, s);
		}
		return result;
	}
}

/* A value as EXPLAIN quotes it in a note, cut to a readable length */
static char *
note_value(const char *value)
{
	if (strlen(value) > 40)
		value = psprintf("%s...", pnstrdup(value, pg_mbcliplen(value, strlen(value), 40)));
	return quote_literal_cstr(value);
}

/*
 * planhat_value_unsendable
 *		For an evaluated value (a Const at plan time): NULL when every
 *		element can be sent or matches no row, else the EXPLAIN note of the
 *		first element that cannot ("'': Planhat reads an empty value as no
 *		filter").
 */
char *
planhat_value_unsendable(PlanhatValueKind kind, Datum value, bool isnull,
						 Oid typid)
{
	bool		has_null;
	ListCell   *lc;

	foreach(lc, value_strings(value, isnull, typid, false, 0, &has_null))
	{
		const char *reason;

		if (value_fate(kind, lfirst(lc), &reason) == FATE_WIDEN)
			return psprintf("%s: %s", note_value(lfirst(lc)), reason);
	}
	return NULL;
}

/* ----------------------------------------------------------------
 *		the requests of a spec: the one implementation
 * ----------------------------------------------------------------
 */

/* One way a parameter appears in a stream */
typedef struct Alternative
{
	List	   *values;			/* strings, or NIL: the parameter is left out */
	bool		raw;			/* values are EXPLAIN placeholders */
	PlanhatCheck *check;		/* what rows of this stream satisfy, or NULL */
} Alternative;

static Alternative *
new_alternative(List *values, bool raw, PlanhatCheck *check)
{
	Alternative *a = palloc0(sizeof(Alternative));

	a->values = values;
	a->raw = raw;
	a->check = check;
	return a;
}

/* A check that the field of 'p' holds one of 'values', or NULL */
static PlanhatCheck *
new_check(const PlanhatParamSpec *p, PlanhatCheckKind kind, List *values,
		  int64 day)
{
	PlanhatCheck *c;
	StringInfoData sent;
	ListCell   *lc;

	if (!p->exact || p->field == NULL)
		return NULL;
	c = palloc0(sizeof(PlanhatCheck));
	c->kind = kind;
	c->field = p->field;
	c->values = values;
	c->day = day;
	initStringInfo(&sent);
	appendStringInfo(&sent, "%s=", p->name);
	if (kind == PH_CHECK_DAY_FROM || kind == PH_CHECK_DAY_TO)
		appendStringInfo(&sent, INT64_FORMAT, day);
	foreach(lc, values)
		appendStringInfo(&sent, "%s%s", lc == list_head(values) ? "" : ",",
						 (char *) lfirst(lc));
	c->sent = sent.data;
	return c;
}

/* Note that a value of 'column' was not sent, and why (once each) */
static void
add_note(PlanhatRequests *r, const char *column, const char *value,
		 const char *reason)
{
	char	   *note = psprintf("%s = %s: %s", column ? column : "?",
								note_value(value), reason);
	ListCell   *lc;

	foreach(lc, r->notes)
	{
		if (strcmp(lfirst(lc), note) == 0)
			return;
	}
	r->notes = lappend(r->notes, note);
}

/*
 * The alternatives of one parameter, one per stream it yields.  Returns
 * NIL when no row can match (a NULL compared with "=", an empty IN list,
 * only _ids that are not ObjectIds).  A value that cannot be sent as it is
 * leaves the parameter out and sets r->recheck.
 */
static List *
param_alternatives(const PlanhatParamSpec *p, const PlanhatValue *values,
				   PlanhatRequests *r)
{
	List	   *vals = NIL;
	List	   *sent = NIL;
	bool		day = (p->kind == PH_PARAM_DAY_FROM || p->kind == PH_PARAM_DAY_TO);
	bool		raw = false;
	bool		per_element = false;
	bool		widen = false;
	ListCell   *e;
	ListCell   *adj;
	ListCell   *lc;

	if (p->kind == PH_PARAM_STREAMS)
	{
		List	   *alts = NIL;
		char	   *copy = pstrdup(p->fixed);
		char	   *save = NULL;
		char	   *tok;

		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			alts = lappend(alts,
						   new_alternative(list_make1(tok), false,
										   new_check(p, strcmp(tok, "true") == 0 ?
													 PH_CHECK_TRUE : PH_CHECK_NOT_TRUE,
													 list_make1(tok), 0)));
		return alts;
	}
	if (p->kind == PH_PARAM_INCLUDE && p->exprs == NIL)
		return list_make1(new_alternative(list_make1("true"), false, NULL));

	forboth(e, p->exprs, adj, p->adjust)
	{
		const PlanhatValue *v = &values[lfirst_int(e)];
		bool		has_null;

		if (v->placeholder)
		{
			/* EXPLAIN: an array gives one stream per element where a
			 * parameter takes one value */
			raw = true;
			per_element = OidIsValid(get_element_type(getBaseType(v->typid)));
			vals = lappend(vals, v->placeholder);
			continue;
		}
		vals = list_concat(vals, value_strings(v->value, v->isnull, v->typid,
											   day, lfirst_int(adj), &has_null));

		/*
		 * A NULL bound or flag value matches no row.  In a list ("IN (NULL,
		 * 'a')") a NULL element matches nothing and is left out; "= NULL"
		 * leaves the list empty.
		 */
		if (has_null && p->kind != PH_PARAM_LIST && p->kind != PH_PARAM_SINGLE)
			return NIL;
	}

	if (raw)
	{
		/* EXPLAIN of a value known only at execution: its shape */
		if (day && list_length(vals) > 1)
		{
			StringInfoData j;

			initStringInfo(&j);
			appendStringInfo(&j, "{%s(", p->kind == PH_PARAM_DAY_FROM ?
							 "greatest" : "least");
			foreach(lc, vals)
				appendStringInfo(&j, "%s%s", lc == list_head(vals) ? "" : ", ",
								 (char *) lfirst(lc));
			appendStringInfoString(&j, ")}");
			vals = list_make1(j.data);
		}
		else if (per_element && p->kind == PH_PARAM_SINGLE)
			vals = list_make1(psprintf("{each of %s", (char *) linitial(vals) + 1));
		return list_make1(new_alternative(vals, true, NULL));
	}

	switch (p->kind)
	{
		case PH_PARAM_INCLUDE:
			/* name=true includes every row; false leaves the name out */
			if (vals == NIL)
				return NIL;
			return list_make1(strcmp(linitial(vals), "false") == 0 ?
							  new_alternative(NIL, false, NULL) :
							  new_alternative(list_make1("true"), false, NULL));
		case PH_PARAM_PARTITION:
			if (vals == NIL)
				return NIL;
			/*
			 * The "false" partition also holds rows without the field, which
			 * "= false" does not match: they are filtered locally.
			 */
			if (strcmp(linitial(vals), "false") == 0)
				r->recheck = true;
			return list_make1(new_alternative(list_make1(linitial(vals)), false,
											  new_check(p, strcmp(linitial(vals), "true") == 0 ?
														PH_CHECK_TRUE : PH_CHECK_NOT_TRUE,
														list_make1(linitial(vals)), 0)));
		case PH_PARAM_LIST:
		case PH_PARAM_SINGLE:
			foreach(lc, vals)
			{
				const char *reason;

				switch (value_fate((PlanhatValueKind) p->values,
										   lfirst(lc), &reason))
				{
					case FATE_SEND:
						sent = lappend(sent, lfirst(lc));
						break;
					case FATE_NO_ROW:
						break;
					case FATE_WIDEN:
						add_note(r, p->column, lfirst(lc), reason);
						widen = true;
						break;
				}
			}
			if (widen)
			{
				/* all rows of the wider request are filtered locally */
				r->recheck = true;
				return list_make1(new_alternative(NIL, false, NULL));
			}
			if (sent == NIL)
				return NIL;
			if (p->kind == PH_PARAM_SINGLE)
			{
				List	   *alts = NIL;

				foreach(lc, sent)
					alts = lappend(alts,
								   new_alternative(list_make1(lfirst(lc)), false,
												   new_check(p, PH_CHECK_IN,
															 list_make1(lfirst(lc)), 0)));
				return alts;
			}
			else
			{
				/* chunks of at most PLANHAT_MAX_LIST_VALUES values */
				List	   *alts = NIL;
				List	   *chunk = NIL;

				foreach(lc, sent)
				{
					chunk = lappend(chunk, lfirst(lc));
					if (list_length(chunk) == PLANHAT_MAX_LIST_VALUES ||
						lnext(sent, lc) == NULL)
					{
						alts = lappend(alts,
									   new_alternative(chunk, false,
													   new_check(p, PH_CHECK_IN, chunk, 0)));
						chunk = NIL;
					}
				}
				return alts;
			}
		case PH_PARAM_DAY_FROM:
		case PH_PARAM_DAY_TO:
			{
				bool		from = (p->kind == PH_PARAM_DAY_FROM);
				int64		best = 0;
				bool		have = false;

				foreach(lc, vals)
				{
					const char *s = lfirst(lc);
					int64		d;

					if (strcmp(s, "infinity") == 0)
					{
						if (from)
							return NIL; /* nothing after infinity */
						continue;	/* no upper bound */
					}
					if (strcmp(s, "-infinity") == 0)
					{
						if (!from)
							return NIL;
						continue;
					}
					d = strtoll(s, NULL, 10);
					if (!have || (from ? d > best : d < best))
						best = d;
					have = true;
				}
				if (!have)
					return list_make1(new_alternative(NIL, false, NULL));
				return list_make1(new_alternative(list_make1(psprintf(INT64_FORMAT, best)),
												  false,
												  new_check(p, from ? PH_CHECK_DAY_FROM :
															PH_CHECK_DAY_TO, NIL, best)));
			}
		case PH_PARAM_STREAMS:
			break;
	}
	elog(ERROR, "unexpected parameter kind %d", (int) p->kind);
	return NIL;					/* keep compiler quiet */
}

/*
 * Each stream of 'streams' combined with each alternative of parameter
 * 'name', in order: the cartesian product of the parameters.
 */
static List *
streams_product(List *streams, const char *name, List *alternatives)
{
	List	   *result = NIL;
	ListCell   *s;
	ListCell   *a;

	foreach(s, streams)
	{
		foreach(a, alternatives)
		{
			PlanhatStream *old = lfirst(s);
			Alternative *alt = lfirst(a);
			PlanhatStream *stream = palloc0(sizeof(PlanhatStream));

			stream->params = list_copy(old->params);
			stream->checks = list_copy(old->checks);
			if (alt->values != NIL)
			{
				PlanhatQueryParam *qp = palloc0(sizeof(PlanhatQueryParam));

				qp->name = name;
				qp->values = alt->values;
				qp->raw = alt->raw;
				stream->params = lappend(stream->params, qp);
			}
			if (alt->check)
				stream->checks = lappend(stream->checks, alt->check);
			result = lappend(result, stream);
		}
	}
	return result;
}

/* The list streams of spec->params */
static List *
list_streams(const PlanhatScanSpec *spec, const PlanhatValue *values,
			 PlanhatRequests *r)
{
	List	   *streams = list_make1(palloc0(sizeof(PlanhatStream)));
	ListCell   *lc;

	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);
		List	   *alts = param_alternatives(p, values, r);

		if (alts == NIL)
			return NIL;			/* no row can match: no request at all */
		streams = streams_product(streams, p->name, alts);
	}
	return streams;
}

/* The lookups of a key scan; false when a key cannot be sent */
static bool
key_streams(const PlanhatScanSpec *spec, const PlanhatValue *v,
			PlanhatRequests *r)
{
	PlanhatValueKind kind = spec->key_prefix[0] == '\0' ? PH_VALUES_ID :
		PH_VALUES_KEY;
	PlanhatParamSpec key_param;
	bool		has_null;
	ListCell   *lc;

	if (v->placeholder)
	{
		PlanhatStream *s = palloc0(sizeof(PlanhatStream));

		/* EXPLAIN: an array of keys gives one lookup per element */
		s->key = OidIsValid(get_element_type(getBaseType(v->typid))) ?
			psprintf("{each of %s", v->placeholder + 1) : v->placeholder;
		s->raw = true;
		r->streams = list_make1(s);
		return true;
	}

	memset(&key_param, 0, sizeof(key_param));
	key_param.name = spec->key_field;
	key_param.field = spec->key_field;
	key_param.exact = true;
	foreach(lc, value_strings(v->value, v->isnull, v->typid, false, 0, &has_null))
	{
		const char *reason;
		PlanhatStream *s;

		switch (value_fate(kind, lfirst(lc), &reason))
		{
			case FATE_SEND:
				s = palloc0(sizeof(PlanhatStream));
				s->key = lfirst(lc);
				s->checks = list_make1(new_check(&key_param, PH_CHECK_IN,
												 list_make1(s->key), 0));
				r->streams = lappend(r->streams, s);
				break;
			case FATE_NO_ROW:
				break;
			case FATE_WIDEN:
				add_note(r, spec->key_column, lfirst(lc), reason);
				return false;
		}
	}
	return true;
}

/* A pushed LIMIT or OFFSET (fdw_exprs index idx, -1: none): NULL is none */
static void
pushed_count(const PlanhatValue *values, int idx, int64 *count, char **text)
{
	const PlanhatValue *v;

	if (idx < 0)
		return;
	v = &values[idx];
	if (v->placeholder)
		*text = v->placeholder;
	else if (!v->isnull)
		*count = Max(DatumGetInt64(v->value), 0);
}

/*
 * Does this bound let every row through (a lower bound of -infinity, an
 * upper one of infinity)?  Then it cannot end a list early.
 */
static bool
bound_is_open(const PlanhatValue *v, bool lower)
{
	switch (getBaseType(v->typid))
	{
		case TIMESTAMPTZOID:
		case TIMESTAMPOID:
			return lower ? TIMESTAMP_IS_NOBEGIN(DatumGetTimestampTz(v->value)) :
				TIMESTAMP_IS_NOEND(DatumGetTimestampTz(v->value));
		case DATEOID:
			return lower ? DATE_IS_NOBEGIN(DatumGetDateADT(v->value)) :
				DATE_IS_NOEND(DatumGetDateADT(v->value));
		default:
			return false;
	}
}

/*
 * The sort and early stop of a list scan (spec->stop): the bounds' values.
 * A NULL bound passes no row: nothing is sent.  Bounds that pass every row
 * cannot end a list: a sort sent only for them is left out (the list is
 * read in Planhat's own order), and EXPLAIN ANALYZE says so.  Every stream
 * gets the sort to send.
 */
static void
plan_stop(const PlanhatScanSpec *spec, const PlanhatValue *values,
		  PlanhatRequests *r)
{
	const char *sort = spec->sort;
	ListCell   *e;
	ListCell   *o;
	ListCell   *lc;

	if (spec->stop != PH_STOP_NONE && r->streams != NIL)
	{
		bool		lower = (spec->stop == PH_STOP_BELOW);
		char	   *open_bound = NULL;

		forboth(e, spec->bound_exprs, o, spec->bound_ops)
		{
			const PlanhatValue *v = &values[lfirst_int(e)];
			const char *op = lfirst(o);
			PlanhatBound *b;
			int16		typlen;
			bool		typbyval;

			if (v->placeholder)
			{
				r->stop = true; /* EXPLAIN: judged at execution */
				continue;
			}
			if (v->isnull)
			{
				r->streams = NIL;	/* no row passes: nothing to ask */
				return;
			}
			if (bound_is_open(v, lower))
			{
				if (open_bound == NULL)
					open_bound = psprintf("%s %s %s", spec->bound_column, op,
										  note_value(scalar_string(v->value, v->typid,
																   false, 0)));
				continue;
			}
			/* a copy: the scan keeps it past the per-tuple memory it came in */
			get_typlenbyval(v->typid, &typlen, &typbyval);
			b = palloc0(sizeof(PlanhatBound));
			b->value = datumCopy(v->value, typbyval, typlen);
			b->typid = v->typid;
			b->strict = (strcmp(op, ">") == 0 || strcmp(op, "<") == 0);
			r->bounds = lappend(r->bounds, b);
			r->stop = true;
		}
		if (!r->stop && spec->sort_for_stop)
		{
			sort = NULL;
			r->notes = lappend(r->notes,
							   psprintf("%s: every row passes it, so sort=%s is not sent",
										open_bound, spec->sort));
		}
	}
	foreach(lc, r->streams)
		((PlanhatStream *) lfirst(lc))->sort = sort;
}

/*
 * planhat_plan_requests
 *		The requests a scan sends for these values of its fdw_exprs: the one
 *		implementation of duplicates, NULLs, comma-list chunks, streams, key
 *		lookups, values that cannot be sent as they are, and LIMIT/OFFSET.
 *		The scan runs it on evaluated values; EXPLAIN on Consts and on
 *		"{expression}" placeholders for the rest.
 */
PlanhatRequests *
planhat_plan_requests(const PlanhatScanSpec *spec, const PlanhatValue *values)
{
	PlanhatRequests *r = palloc0(sizeof(PlanhatRequests));

	r->limit = -1;
	r->local_limit = -1;
	if (spec->kind == PH_SCAN_NONE)
		return r;				/* insert-only: nothing to ask */
	if (spec->kind == PH_SCAN_KEYS)
	{
		/*
		 * A key that cannot be sent as it is: the list scan of the
		 * resource instead, filtered by the scan's local quals (a key scan
		 * evaluates every qual locally).
		 */
		if (!key_streams(spec, &values[spec->key_expr], r))
			r->streams = list_streams(spec, values, r);
		return r;
	}

	r->streams = list_streams(spec, values, r);
	plan_stop(spec, values, r);

	/* pushed LIMIT / OFFSET */
	pushed_count(values, spec->limit_expr, &r->limit, &r->limit_text);
	pushed_count(values, spec->offset_expr, &r->offset, &r->offset_text);
	if (r->limit == 0)
		r->streams = NIL;		/* LIMIT 0: nothing to ask */
	if (r->recheck || list_length(r->streams) > 1)
	{
		/* rows may be filtered here: LIMIT and OFFSET apply after that */
		r->local_limit = r->limit;
		r->local_offset = r->offset;
		r->limit = -1;
		r->offset = 0;
		r->limit_text = NULL;
		r->offset_text = NULL;
	}
	return r;
}

/*
 * planhat_stream_path
 *		The path and query of a stream's request: its key lookup, or the
 *		page of its list at offset asking for limit rows (-1: unpaginated).
 *		limit_text and offset_text (EXPLAIN) replace limit and offset.
 */
char *
planhat_stream_path(const PlanhatScanSpec *spec, const PlanhatStream *stream,
					int64 limit, int64 offset, const char *limit_text,
					const char *offset_text)
{
	StringInfoData buf;

	if (stream->key != NULL)
	{
		/* a runtime placeholder is shown unencoded */
		if (stream->raw)
			return psprintf("/%s/%s%s", spec->path, spec->key_prefix, stream->key);
		return planhat_key_path(spec->path, spec->key_prefix, stream->key);
	}
	initStringInfo(&buf);
	appendStringInfo(&buf, "/%s%s", spec->path,
					 planhat_build_query(stream->params, spec->select, stream->sort,
										 limit_text ? -1 : limit,
										 offset_text ? -1 : offset));
	if (limit_text)
		appendStringInfo(&buf, "%climit=%s", strchr(buf.data, '?') ? '&' : '?',
						 limit_text);
	if (offset_text)
		appendStringInfo(&buf, "%coffset=%s", strchr(buf.data, '?') ? '&' : '?',
						 offset_text);
	return buf.data;
}

/* ----------------------------------------------------------------
 *		EXPLAIN
 * ----------------------------------------------------------------
 */

/*
 * planhat_explain_requests
 *		The requests of planhat_plan_requests for the plan's fdw_exprs:
 *		Consts as they are, every other expression as "{expression}".  The
 *		caller writes each stream's first request.
 */
PlanhatRequests *
planhat_explain_requests(const PlanhatScanSpec *spec, List *fdw_exprs,
						 char *(*deparse) (Node *expr, void *arg), void *arg)
{
	PlanhatValue *values = palloc0(sizeof(PlanhatValue) *
								   Max(list_length(fdw_exprs), 1));
	ListCell   *lc;
	int			i = 0;

	foreach(lc, fdw_exprs)
	{
		Node	   *expr = lfirst(lc);

		values[i].typid = exprType(expr);
		if (IsA(expr, Const))
		{
			values[i].value = ((Const *) expr)->constvalue;
			values[i].isnull = ((Const *) expr)->constisnull;
		}
		else
			values[i].placeholder = psprintf("{%s}", deparse(expr, arg));
		i++;
	}
	return planhat_plan_requests(spec, values);
}

/*
 * planhat_explain_deparse
 *		An expression as EXPLAIN shows it: the deparse callback of
 *		planhat_explain_requests for a scan's or a write's EXPLAIN; arg is
 *		the ExplainState.
 */
char *
planhat_explain_deparse(Node *expr, void *arg)
{
	ExplainState *es = (ExplainState *) arg;

	return deparse_expression(expr, es->deparse_cxt, true, false);
}
