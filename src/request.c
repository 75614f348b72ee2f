/*-------------------------------------------------------------------------
 *
 * request.c
 *		  Write Planhat requests: a PlanhatScanSpec plus evaluated values
 *		  become URL paths and query strings, and the EXPLAIN text shows the
 *		  same requests.
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
 * IDENTIFICATION
 *		  src/request.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "nodes/primnodes.h"
#include "nodes/value.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "planhat_fdw.h"

/* Days between 1970-01-01 (Planhat's day 0) and 2000-01-01 (PostgreSQL's) */
#define UNIX_TO_PG_DAYS		(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)

/* How many requests EXPLAIN lists before it summarizes the rest */
#define EXPLAIN_MAX_REQUESTS	10

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
	SpecParams,
	SpecSelect,
	SpecSort,
	SpecLimitExpr,
	SpecOffsetExpr,
	SpecFetchSize,
	SpecPaginated,
	SpecHasRecheck,
	SpecKeyOnly
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
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);

		params = lappend(params,
						 list_make5(makeInteger(p->kind),
									makeString(pstrdup(p->name)),
									string_or_null(p->fixed),
									list_copy(p->exprs),
									list_copy(p->adjust)));
	}
	/* the order follows enum SpecIndex */
	result = lappend(result, makeInteger(spec->kind));
	result = lappend(result, makeString(pstrdup(spec->path)));
	result = lappend(result, string_or_null(spec->key_prefix));
	result = lappend(result, makeInteger(spec->key_expr));
	result = lappend(result, params);
	result = lappend(result, string_or_null(spec->select));
	result = lappend(result, string_or_null(spec->sort));
	result = lappend(result, makeInteger(spec->limit_expr));
	result = lappend(result, makeInteger(spec->offset_expr));
	result = lappend(result, makeInteger(spec->fetch_size));
	result = lappend(result, makeInteger(spec->paginated ? 1 : 0));
	result = lappend(result, makeInteger(spec->has_recheck ? 1 : 0));
	result = lappend(result, makeInteger(spec->key_only ? 1 : 0));
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
	foreach(lc, (List *) list_nth(list, SpecParams))
	{
		List	   *pl = lfirst(lc);
		PlanhatParamSpec *p = palloc0(sizeof(PlanhatParamSpec));

		p->kind = (PlanhatParamKind) intVal(linitial(pl));
		p->name = strVal(lsecond(pl));
		p->fixed = str_or_null(lthird(pl));
		p->exprs = (List *) lfourth(pl);
		p->adjust = (List *) list_nth(pl, 4);
		spec->params = lappend(spec->params, p);
	}
	spec->select = str_or_null(list_nth(list, SpecSelect));
	spec->sort = str_or_null(list_nth(list, SpecSort));
	spec->limit_expr = intVal(list_nth(list, SpecLimitExpr));
	spec->offset_expr = intVal(list_nth(list, SpecOffsetExpr));
	spec->fetch_size = intVal(list_nth(list, SpecFetchSize));
	spec->paginated = intVal(list_nth(list, SpecPaginated)) != 0;
	spec->has_recheck = intVal(list_nth(list, SpecHasRecheck)) != 0;
	spec->key_only = intVal(list_nth(list, SpecKeyOnly)) != 0;
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
 * so such a key matches no object and no request may carry it.
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

/*
 * planhat_streams_product
 *		Each stream of 'streams' (a List of PlanhatQueryParam lists) combined
 *		with each alternative of parameter 'name': a List of value strings,
 *		or NULL to leave the parameter out.  raw marks EXPLAIN placeholders.
 */
List *
planhat_streams_product(List *streams, const char *name, List *alternatives,
						bool raw)
{
	List	   *result = NIL;
	ListCell   *s;
	ListCell   *a;

	foreach(s, streams)
	{
		foreach(a, alternatives)
		{
			List	   *stream = list_copy((List *) lfirst(s));

			if (lfirst(a) != NULL)
			{
				PlanhatQueryParam *qp = palloc0(sizeof(PlanhatQueryParam));

				qp->name = name;
				qp->values = (List *) lfirst(a);
				qp->raw = raw;
				stream = lappend(stream, qp);
			}
			result = lappend(result, stream);
		}
	}
	return result;
}

/* ----------------------------------------------------------------
 *		values
 * ----------------------------------------------------------------
 */

/* One scalar as request text; NULL for SQL NULL */
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
 * planhat_value_strings
 *		The request strings of an evaluated value: one for a scalar, one per
 *		non-NULL element for an array.  NULLs are skipped and reported in
 *		*has_null (a NULL compared with "=" matches no row).  Dates and
 *		timestamps become day numbers when day_number (plus adjust days);
 *		"infinity"/"-infinity" are returned as such for the caller to judge.
 */
List *
planhat_value_strings(Datum value, bool isnull, Oid typid, bool day_number,
					  int adjust, bool *has_null)
{
	Oid			elemtype;

	*has_null = false;
	if (isnull)
	{
		*has_null = true;
		return NIL;
	}
	elemtype = get_element_type(getBaseType(typid));
	if (OidIsValid(elemtype))
	{
		ArrayType  *arr = DatumGetArrayTypeP(value);
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		int16		typlen;
		bool		typbyval;
		char		typalign;
		List	   *result = NIL;
		int			i;

		get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
		deconstruct_array(arr, elemtype, typlen, typbyval, typalign,
						  &elems, &nulls, &nelems);
		for (i = 0; i < nelems; i++)
		{
			if (nulls[i])
				*has_null = true;
			else
				result = lappend(result, scalar_string(elems[i], elemtype,
													   day_number, adjust));
		}
		return result;
	}
	return list_make1(scalar_string(value, typid, day_number, adjust));
}

/* ----------------------------------------------------------------
 *		EXPLAIN
 * ----------------------------------------------------------------
 */

/* Values of one expression as EXPLAIN shows them: real values of Consts */
static List *
explain_values(List *fdw_exprs, int idx, bool day_number, int adjust,
			   char *(*deparse) (Node *expr, void *arg), void *arg,
			   bool *known)
{
	Node	   *expr = list_nth(fdw_exprs, idx);
	bool		has_null;

	if (IsA(expr, Const))
	{
		Const	   *c = (Const *) expr;

		*known = true;
		return planhat_value_strings(c->constvalue, c->constisnull,
									 c->consttype, day_number, adjust,
									 &has_null);
	}
	*known = false;
	return list_make1(psprintf("{%s}", deparse(expr, arg)));
}

/*
 * planhat_explain_requests
 *		The requests a scan sends first, as "GET /path?query" lines.  Values
 *		known only at execution are shown as {expression}; key lookups and
 *		streams list one line per key/stream when the values are constants.
 */
List *
planhat_explain_requests(const PlanhatScanSpec *spec, List *fdw_exprs,
						 char *(*deparse) (Node *expr, void *arg), void *arg)
{
	List	   *lines = NIL;
	List	   *streams = list_make1(NIL);	/* list of param lists */
	ListCell   *lc;
	int64		limit = -1;
	int64		offset = -1;
	char	   *limit_text = NULL;
	char	   *offset_text = NULL;

	if (spec->kind == PH_SCAN_KEYS)
	{
		bool		known;
		List	   *keys = explain_values(fdw_exprs, spec->key_expr, false, 0,
										  deparse, arg, &known);

		/* keys that name no object send no request (planhat_scan_start) */
		if (known)
		{
			List	   *sent = NIL;

			foreach(lc, keys)
				if (planhat_key_addressable(spec->key_prefix, lfirst(lc)))
					sent = lappend(sent, lfirst(lc));
			keys = sent;
		}
		foreach(lc, keys)
		{
			char	   *key = lfirst(lc);

			if (list_length(lines) == EXPLAIN_MAX_REQUESTS)
			{
				lines = lappend(lines, psprintf("... and %d more",
												list_length(keys) - EXPLAIN_MAX_REQUESTS));
				break;
			}
			/* a runtime placeholder is shown unencoded */
			if (known)
				lines = lappend(lines, psprintf("GET %s",
												planhat_key_path(spec->path, spec->key_prefix, key)));
			else
				lines = lappend(lines, psprintf("GET /%s/%s%s", spec->path,
												spec->key_prefix, key));
		}
		return lines;
	}

	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);
		List	   *alternatives = NIL; /* each: List of strings, or NULL
										 * to omit */
		ListCell   *a;

		switch (p->kind)
		{
			case PH_PARAM_FIXED:
				alternatives = list_make1(list_make1(p->fixed));
				break;
			case PH_PARAM_STREAMS:
				{
					char	   *copy = pstrdup(p->fixed);
					char	   *save = NULL;
					char	   *tok;

					for (tok = strtok_r(copy, ",", &save); tok;
						 tok = strtok_r(NULL, ",", &save))
						alternatives = lappend(alternatives, list_make1(tok));
				}
				break;
			case PH_PARAM_LIST:
			case PH_PARAM_SINGLE:
			case PH_PARAM_DAY_FROM:
			case PH_PARAM_DAY_TO:
			case PH_PARAM_INCLUDE:
				{
					List	   *vals = NIL;
					ListCell   *e;
					ListCell   *adj;
					bool		day = (p->kind == PH_PARAM_DAY_FROM ||
									   p->kind == PH_PARAM_DAY_TO);

					forboth(e, p->exprs, adj, p->adjust)
					{
						bool		known;

						vals = list_concat(vals,
										   explain_values(fdw_exprs, lfirst_int(e), day,
														  lfirst_int(adj), deparse, arg,
														  &known));
					}
					if (p->kind == PH_PARAM_INCLUDE)
					{
						/* true unless the qual's value is false */
						if (vals != NIL && strcmp(linitial(vals), "false") == 0)
							alternatives = list_make1(NULL);
						else if (vals != NIL && strcmp(linitial(vals), "true") != 0)
							alternatives = list_make1(vals);
						else
							alternatives = list_make1(list_make1("true"));
					}
					else if (p->kind == PH_PARAM_SINGLE && list_length(vals) > 1)
					{
						foreach(a, vals)
							alternatives = lappend(alternatives, list_make1(lfirst(a)));
					}
					else if (day && list_length(vals) > 1)
					{
						StringInfoData j;
						ListCell   *v;

						initStringInfo(&j);
						appendStringInfo(&j, "{%s(", p->kind == PH_PARAM_DAY_FROM ?
										 "greatest" : "least");
						foreach(v, vals)
							appendStringInfo(&j, "%s%s", v == list_head(vals) ? "" : ", ",
											 (char *) lfirst(v));
						appendStringInfoString(&j, ")}");
						alternatives = list_make1(list_make1(j.data));
					}
					else
						alternatives = list_make1(vals);
				}
				break;
		}

		streams = planhat_streams_product(streams, p->name, alternatives, true);
	}

	if (spec->paginated)
	{
		limit = spec->fetch_size;
		offset = 0;
		if (spec->limit_expr >= 0)
		{
			Node	   *e = list_nth(fdw_exprs, spec->limit_expr);

			if (!IsA(e, Const))
				limit_text = psprintf("{%s}", deparse(e, arg));
			else if (!((Const *) e)->constisnull &&
					 DatumGetInt64(((Const *) e)->constvalue) < limit)
				limit = Max(DatumGetInt64(((Const *) e)->constvalue), 0);
		}
		if (spec->offset_expr >= 0)
		{
			Node	   *e = list_nth(fdw_exprs, spec->offset_expr);

			if (!IsA(e, Const))
				offset_text = psprintf("{%s}", deparse(e, arg));
			else if (!((Const *) e)->constisnull)
				offset = Max(DatumGetInt64(((Const *) e)->constvalue), 0);
		}
	}

	foreach(lc, streams)
	{
		char	   *query = planhat_build_query((List *) lfirst(lc), spec->select,
												spec->sort,
												limit_text ? -1 : limit,
												offset_text ? -1 : offset);
		StringInfoData line;

		initStringInfo(&line);
		appendStringInfo(&line, "GET /%s%s", spec->path, query);
		if (limit_text)
			appendStringInfo(&line, "%climit=%s", strchr(line.data, '?') ? '&' : '?',
							 limit_text);
		if (offset_text)
			appendStringInfo(&line, "%coffset=%s", strchr(line.data, '?') ? '&' : '?',
							 offset_text);
		if (list_length(lines) == EXPLAIN_MAX_REQUESTS)
		{
			lines = lappend(lines, psprintf("... and %d more",
											list_length(streams) - EXPLAIN_MAX_REQUESTS));
			break;
		}
		lines = lappend(lines, line.data);
	}
	return lines;
}
