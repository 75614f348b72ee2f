/*-------------------------------------------------------------------------
 *
 * import.c
 *		  IMPORT FOREIGN SCHEMA planhat FROM SERVER s INTO local_schema:
 *		  one foreign table per resource of the catalog.
 *
 * Tables are named as the resource (its URL path), columns as their field
 * by planhat_field_to_column() ("companyId" -> company_id), typed from the
 * catalog, with a "field" option wherever the column name is not the field
 * name.  Resources with custom fields get "custom jsonb"; every table ends
 * with "attrs jsonb", the whole Planhat object.
 *
 * IMPORT checks the server before it creates anything, as postgres_fdw's
 * IMPORT fails on a connection that does not work: one cheap request
 * (GET /companies?select=_id&limit=1) shows a wrong token, url or region
 * right where it was set, not at the first query.  OPTIONS (check_connection
 * 'false') skips it.  With OPTIONS (import_custom_fields 'true') the custom
 * field definitions are read from GET /customfields instead (which checks
 * the server just as well) and each becomes a typed column with field
 * 'custom.<Name>'.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/import.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "planhat_fdw.h"

/* The remote schema name users write in IMPORT FOREIGN SCHEMA */
#define PLANHAT_REMOTE_SCHEMA	"planhat"

/* The resource IMPORT's connection check reads one id of */
#define PLANHAT_CHECK_RESOURCE	"companies"

/* Error context of the requests IMPORT sends: which server, and why */
static void
import_error_callback(void *arg)
{
	errcontext("IMPORT FOREIGN SCHEMA from server \"%s\"", (const char *) arg);
}

/*
 * The SQL type of a custom field, by its Planhat type (docs/planhat-api.md
 * §2.5): number/rating -> numeric, checkbox -> boolean, date ->
 * timestamptz, day -> date, multi-value types -> text[], others -> text.
 */
static const char *
custom_sql_type(const char *type)
{
	if (type == NULL)
		return "text";
	if (pg_strcasecmp(type, "number") == 0 || pg_strcasecmp(type, "rating") == 0)
		return "numeric";
	if (pg_strcasecmp(type, "checkbox") == 0)
		return "boolean";
	if (pg_strcasecmp(type, "date") == 0)
		return "timestamp with time zone";
	if (pg_strcasecmp(type, "day") == 0)
		return "date";
	if (pg_strcasecmp(type, "multipicklist") == 0 ||
		pg_strcasecmp(type, "team members") == 0 ||
		pg_strcasecmp(type, "endusers") == 0)
		return "text[]";
	return "text";
}

/*
 * A column name not yet in 'used': name, name_2, name_3, ...  Names are cut
 * to NAMEDATALEN - 1 bytes first, as CREATE FOREIGN TABLE would cut them:
 * two custom fields whose names agree in their first 63 bytes get distinct
 * columns instead of failing the whole import.
 */
static char *
unique_column(List **used, const char *name)
{
	int			len = strlen(name);
	char	   *candidate;
	int			n = 1;

	if (len >= NAMEDATALEN)
		len = pg_mbcliplen(name, len, NAMEDATALEN - 1);
	candidate = pnstrdup(name, len);
	for (;;)
	{
		ListCell   *lc;
		bool		taken = false;
		char		suffix[16];

		foreach(lc, *used)
		{
			if (strcmp((char *) lfirst(lc), candidate) == 0)
			{
				taken = true;
				break;
			}
		}
		if (!taken)
			break;
		snprintf(suffix, sizeof(suffix), "_%d", ++n);
		candidate = psprintf("%.*s%s",
							 pg_mbcliplen(name, len,
										  NAMEDATALEN - 1 - (int) strlen(suffix)),
							 name, suffix);
	}
	*used = lappend(*used, candidate);
	return candidate;
}

static int
custom_field_cmp(const ListCell *a, const ListCell *b)
{
	const PlanhatCustomField *fa = lfirst(a);
	const PlanhatCustomField *fb = lfirst(b);

	return strcmp(fa->name, fb->name);
}

/*
 * Read every custom field definition of the tenant (GET /customfields,
 * paged).  Sorted by name so that column names and collision suffixes do
 * not depend on Planhat's order.
 */
static List *
fetch_custom_fields(PlanhatOptions *opts)
{
	const PlanhatResource *res = planhat_find_resource("customfields");
	PlanhatConnection *conn = planhat_get_connection(opts);
	List	   *result = NIL;
	int			fetch = res->max_limit;
	int64		offset = 0;

	for (;;)
	{
		PlanhatRequest req;
		PlanhatResponse resp;
		List	   *page;
		char	   *query;

		CHECK_FOR_INTERRUPTS();
		query = planhat_build_query(NIL, "_id,name,type,parent", NULL,
									fetch, offset);
		planhat_make_request(&req, opts, PH_GET, opts->url,
							 psprintf("/%s%s", res->path, query));
		req.relname = NULL;
		planhat_http_request(conn, &req, &resp);
		page = planhat_parse_custom_fields(resp.body, resp.body_len,
										   req.display);
		result = list_concat(result, page);
		if (list_length(page) < fetch)
			break;
		offset += fetch;
	}
	list_sort(result, custom_field_cmp);
	return result;
}

/*
 * Check that the server answers with this user's token: one list request
 * for a single id.  Any failure is reported as the queries would report it
 * (401 with the hint about the token and the regional url, a connection
 * error with the hint about url, ...).
 */
static void
check_connection(PlanhatOptions *opts)
{
	const PlanhatResource *res = planhat_find_resource(PLANHAT_CHECK_RESOURCE);
	PlanhatConnection *conn = planhat_get_connection(opts);
	PlanhatRequest req;
	PlanhatResponse resp;
	char	   *query;

	query = planhat_build_query(NIL, "_id", NULL, 1, 0);
	planhat_make_request(&req, opts, PH_GET, opts->url,
						 psprintf("/%s%s", res->path, query));
	req.relname = NULL;
	planhat_http_request(conn, &req, &resp);
	/* the answer must be a list, or the url is not the Planhat API */
	(void) planhat_parse_page(resp.body, resp.body_len, false, NULL,
							  req.display, CurrentMemoryContext);
}

/* Is this resource created by the statement (LIMIT TO / EXCEPT)? */
static bool
import_wanted(ImportForeignSchemaStmt *stmt, const PlanhatResource *res)
{
	bool		listed = false;
	ListCell   *lc;

	foreach(lc, stmt->table_list)
	{
		if (strcmp(((RangeVar *) lfirst(lc))->relname, res->name) == 0)
			listed = true;
	}
	if (stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO)
		return listed;
	if (stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT)
		return !listed;
	return true;
}

/*
 * Does the statement create a table of the main API?  The analytics pushes
 * are addressed by the tenant token alone, so an import of only those has
 * nothing to check with the api_token.
 */
static bool
imports_api_resource(ImportForeignSchemaStmt *stmt)
{
	int			i;

	for (i = 0; planhat_resource_at(i) != NULL; i++)
	{
		const PlanhatResource *res = planhat_resource_at(i);

		if (res->host == PH_HOST_API && import_wanted(stmt, res))
			return true;
	}
	return false;
}

/*
 * planhatImportForeignSchema
 *		CREATE FOREIGN TABLE statements for the resources asked for.
 */
List *
planhatImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	ForeignServer *server = GetForeignServer(serverOid);
	bool		import_custom = false;
	bool		check = true;
	ErrorContextCallback errcallback;
	List	   *custom_fields = NIL;
	List	   *commands = NIL;
	ListCell   *lc;
	int			i;

	if (strcmp(stmt->remote_schema, PLANHAT_REMOTE_SCHEMA) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
				 errmsg("Planhat has no schema \"%s\"", stmt->remote_schema),
				 errhint("Use IMPORT FOREIGN SCHEMA %s FROM SERVER %s INTO <local schema>.",
						 PLANHAT_REMOTE_SCHEMA, quote_identifier(server->servername))));

	foreach(lc, stmt->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "import_custom_fields") == 0)
			import_custom = defGetBoolean(def);
		else if (strcmp(def->defname, "check_connection") == 0)
			check = defGetBoolean(def);
		else
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
					 errmsg("invalid option \"%s\"", def->defname),
					 errhint("Valid options of IMPORT FOREIGN SCHEMA are: check_connection, import_custom_fields.")));
	}

	/* every name in LIMIT TO / EXCEPT must be a resource */
	foreach(lc, stmt->table_list)
	{
		RangeVar   *rv = (RangeVar *) lfirst(lc);

		if (planhat_find_resource(rv->relname) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
					 errmsg("unknown Planhat resource \"%s\"", rv->relname),
					 errdetail("The %s list of IMPORT FOREIGN SCHEMA names it.",
							   stmt->list_type == FDW_IMPORT_SCHEMA_EXCEPT ?
							   "EXCEPT" : "LIMIT TO"),
					 errhint("Known resources are: %s.", planhat_resource_names())));
	}

	errcallback.callback = import_error_callback;
	errcallback.arg = server->servername;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;
	if (import_custom)
		custom_fields = fetch_custom_fields(planhat_get_server_options(serverOid,
																	   GetUserId()));
	else if (check && imports_api_resource(stmt))
		check_connection(planhat_get_server_options(serverOid, GetUserId()));
	error_context_stack = errcallback.previous;

	for (i = 0; planhat_resource_at(i) != NULL; i++)
	{
		const PlanhatResource *res = planhat_resource_at(i);
		const PlanhatField *f;
		StringInfoData buf;
		List	   *used = list_make1("attrs");	/* reserved for the last column */
		bool		first = true;

		if (!import_wanted(stmt, res))
			continue;

		initStringInfo(&buf);
		appendStringInfo(&buf, "CREATE FOREIGN TABLE %s (\n",
						 quote_identifier(res->name));

		for (f = res->fields; f->name; f++)
		{
			char	   *col = unique_column(&used, f->column ? f->column
											: planhat_field_to_column(f->name));

			appendStringInfo(&buf, "%s  %s %s", first ? "" : ",\n",
							 quote_identifier(col),
							 format_type_be(planhat_field_type_oid(f->type)));
			if (strcmp(col, f->name) != 0)
				appendStringInfo(&buf, " OPTIONS (field %s)",
								 quote_literal_cstr(f->name));
			first = false;
		}

		/* typed custom field columns of this model */
		if (res->custom_parent)
		{
			foreach(lc, custom_fields)
			{
				PlanhatCustomField *cf = lfirst(lc);
				char	   *col;

				if (cf->parent == NULL || cf->name == NULL ||
					pg_strcasecmp(cf->parent, res->custom_parent) != 0)
					continue;
				col = unique_column(&used, planhat_field_to_column(cf->name));
				appendStringInfo(&buf, ",\n  %s %s OPTIONS (field %s)",
								 quote_identifier(col), custom_sql_type(cf->type),
								 quote_literal_cstr(psprintf("custom.%s", cf->name)));
			}
		}

		/* the whole object, last */
		appendStringInfoString(&buf, ",\n  attrs jsonb");
		appendStringInfo(&buf, "\n) SERVER %s OPTIONS (resource %s)",
						 quote_identifier(server->servername),
						 quote_literal_cstr(res->name));
		commands = lappend(commands, buf.data);
	}
	return commands;
}
