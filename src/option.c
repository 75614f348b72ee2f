/*-------------------------------------------------------------------------
 *
 * option.c
 *		  Option validation for planhat_fdw, and their resolution into one
 *		  typed PlanhatOptions struct.
 *
 * Every option is one row of the table below: its name, the catalogs it is
 * valid in, the kind and bounds of its value, its default and its field in
 * PlanhatOptions.  The validator and planhat_get_options() both read values
 * through that row (read_option), so a bound is written once;
 * planhat_get_options() takes every default from the table and merges
 * wrapper -> server -> user mapping -> table.  Values were validated when they were stored, so the run-time
 * parsing here only re-checks with elog() "just in case" (as file_fdw does).
 *
 * Secrets (api_token, tenant_token) are accepted only on user mappings and
 * never appear in any message this file emits.
 *
 * Where requests may go is decided here too: the superuser setting
 * planhat_fdw.allowed_hosts lists the hosts non-superusers may point url and
 * analytics_url at; the validator checks it, and planhat_check_allowed_hosts
 * again whenever a server owned by a non-superuser connects.  ssl_ca_file
 * and a proxy URL are superusers' options, also accepted on the wrapper.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/option.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "access/reloptions.h"
#include "catalog/pg_type.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_user_mapping.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/varlena.h"

#include "planhat_fdw.h"

/* Upper bound of fetch_size for any resource: the largest documented max */
#define PLANHAT_MAX_FETCH_SIZE	10000
/* Bound of prefetch: Planhat allows bursts of up to 50 parallel requests */
#define PLANHAT_MAX_PREFETCH	50
/* Bound of max_retries: beyond this a job should fail and be rescheduled */
#define PLANHAT_MAX_RETRIES_LIMIT 100
/* Bound of the timeouts: one day in ms, to catch unit mistakes */
#define PLANHAT_MAX_TIMEOUT_MS	86400000
/* Bound of estimated_rows: far above any tenant, below int overflow */
#define PLANHAT_MAX_ESTIMATED_ROWS 1000000000
/* Bound of max_requests_per_minute: max_requests_per_second's, per minute */
#define PLANHAT_MAX_RPM_LIMIT	60000

/*
 * Default of planhat_fdw.allowed_hosts: Planhat's own hosts (every region's
 * API and analytics host, and the demo tenants'), over https.
 */
#define PLANHAT_DEFAULT_ALLOWED_HOSTS "*.planhat.com, *.planhatdemo.com"

/* Longest host name or host pattern, bytes (DNS: 253) */
#define PLANHAT_MAX_HOST_LEN	255

/* GUC planhat_fdw.allowed_hosts */
char	   *planhat_allowed_hosts = NULL;

/*
 * The options of objects that use this wrapper: one row per option drives
 * the validator (name, where it may be set, what its value must be),
 * planhat_get_options (where the value goes) and the defaults.  The few
 * rules that involve more than one option or the catalog (resource,
 * fetch_size against the resource's page size, batch_size_set) and the
 * checks of who may set an option (url, proxy, ssl_ca_file) are in the
 * validator and apply_option.
 */

/* Where an option may be set: bits of PlanhatOption.contexts */
#define OPT_WRAPPER		0x01	/* only superusers alter a wrapper */
#define OPT_SERVER		0x02
#define OPT_MAPPING		0x04
#define OPT_TABLE		0x08
#define OPT_COLUMN		0x10

/* What an option's value must be, and how it is read */
typedef enum OptionKind
{
	OPT_URL,					/* http(s) URL (parse_url_option) */
	OPT_PROXY,					/* environment, none or a proxy URL */
	OPT_INT,					/* integer between min and max */
	OPT_REAL,					/* number between min and max */
	OPT_PER_MINUTE,				/* 0, or an integer between 2 and max */
	OPT_BOOL,					/* defGetBoolean */
	OPT_FILE,					/* absolute path of a file the server reads */
	OPT_SECRET,					/* non-empty text without line breaks */
	OPT_RESOURCE,				/* a resource of the catalog */
	OPT_FIELD					/* non-empty text (a column's Planhat field) */
} OptionKind;

typedef struct PlanhatOption
{
	const char *name;
	int			contexts;		/* OPT_WRAPPER ... OPT_COLUMN */
	OptionKind	kind;
	double		min;			/* OPT_INT, OPT_REAL: bounds; OPT_PER_MINUTE: */
	double		max;			/* max only */
	double		num_default;	/* default of a number or boolean */
	const char *str_default;	/* default of a text (NULL: none) */
	int			offset;			/* of its field in PlanhatOptions; -1: read
								 * elsewhere (field: planhat_column_field) */
} PlanhatOption;

#define OPT_AT(member)	offsetof(PlanhatOptions, member)

/* In this order the hints list the options valid in a context */
static const PlanhatOption valid_options[] = {
	/* server */
	{"url", OPT_SERVER, OPT_URL, 0, 0, 0, PLANHAT_DEFAULT_URL, OPT_AT(url)},
	{"analytics_url", OPT_SERVER, OPT_URL, 0, 0, 0,
	PLANHAT_DEFAULT_ANALYTICS_URL, OPT_AT(analytics_url)},
	{"timeout_ms", OPT_SERVER, OPT_INT, 1, PLANHAT_MAX_TIMEOUT_MS,
	PLANHAT_DEFAULT_TIMEOUT_MS, NULL, OPT_AT(timeout_ms)},
	{"connect_timeout_ms", OPT_SERVER, OPT_INT, 1, PLANHAT_MAX_TIMEOUT_MS,
	PLANHAT_DEFAULT_CONNECT_TIMEOUT_MS, NULL, OPT_AT(connect_timeout_ms)},
	{"max_retries", OPT_SERVER, OPT_INT, 0, PLANHAT_MAX_RETRIES_LIMIT,
	PLANHAT_DEFAULT_MAX_RETRIES, NULL, OPT_AT(max_retries)},
	{"max_requests_per_second", OPT_SERVER, OPT_REAL, 0.001, 1000.0,
	PLANHAT_DEFAULT_MAX_RPS, NULL, OPT_AT(max_requests_per_second)},
	/* server, or the wrapper for every server (superusers only) */
	{"max_requests_per_minute", OPT_WRAPPER | OPT_SERVER, OPT_PER_MINUTE,
	0, PLANHAT_MAX_RPM_LIMIT,
	PLANHAT_DEFAULT_MAX_RPM, NULL, OPT_AT(max_requests_per_minute)},
	/* NULL: the system's CA bundle */
	{"ssl_ca_file", OPT_WRAPPER | OPT_SERVER, OPT_FILE, 0, 0, 0, NULL,
	OPT_AT(ssl_ca_file)},
	/* NULL: the environment's */
	{"proxy", OPT_WRAPPER | OPT_SERVER, OPT_PROXY, 0, 0, 0, NULL,
	OPT_AT(proxy)},
	/* server or table; fetch_size 0 until resolved against the resource */
	{"fetch_size", OPT_SERVER | OPT_TABLE, OPT_INT, 1, PLANHAT_MAX_FETCH_SIZE,
	0, NULL, OPT_AT(fetch_size)},
	{"batch_size", OPT_SERVER | OPT_TABLE, OPT_INT, 1, PLANHAT_BULK_MAX,
	PLANHAT_DEFAULT_BATCH_SIZE, NULL, OPT_AT(batch_size)},
	{"prefetch", OPT_SERVER | OPT_TABLE, OPT_INT, 0, PLANHAT_MAX_PREFETCH,
	PLANHAT_DEFAULT_PREFETCH, NULL, OPT_AT(prefetch)},
	{"updatable", OPT_SERVER | OPT_TABLE, OPT_BOOL, 0, 0, true, NULL,
	OPT_AT(updatable)},
	{"estimated_rows", OPT_SERVER | OPT_TABLE, OPT_INT, 0,
	PLANHAT_MAX_ESTIMATED_ROWS,
	PLANHAT_DEFAULT_ESTIMATED_ROWS, NULL, OPT_AT(estimated_rows)},
	/* user mapping (secrets) */
	{"api_token", OPT_MAPPING, OPT_SECRET, 0, 0, 0, NULL, OPT_AT(api_token)},
	{"tenant_token", OPT_MAPPING, OPT_SECRET, 0, 0, 0, NULL,
	OPT_AT(tenant_token)},
	/* table */
	{"resource", OPT_TABLE, OPT_RESOURCE, 0, 0, 0, NULL, OPT_AT(resource)},
	/* column */
	{"field", OPT_COLUMN, OPT_FIELD, 0, 0, 0, NULL, -1},
	/* sentinel */
	{NULL, 0, 0, 0, 0, 0, NULL, -1}
};

static const PlanhatOption *find_option(const char *name);
static int	context_bit(Oid context);
pg_noreturn static void report_invalid_option(DefElem *def,
											  const PlanhatOption *opt,
											  Oid catalog);
static void read_option(const PlanhatOption *opt, DefElem *def,
						PlanhatOptions *opts);
static void apply_defaults(PlanhatOptions *opts);
static char *valid_options_list(Oid context);
static const char *context_name(Oid context);
static int	parse_int_option(DefElem *def, int min, int max);
static double parse_real_option(DefElem *def, double min, double max);
static int	parse_per_minute_option(DefElem *def, int max);
static char *parse_url_option(DefElem *def);
static char *parse_proxy_option(DefElem *def);
static void check_fetch_size(int fetch_size, const PlanhatResource *res);
static void check_superuser_option(DefElem *def, const char *what);
static void check_id_type(Oid relid, const char *attname, Oid typid);

/* the allowlist */
typedef struct UrlHost
{
	bool		https;
	char		host[PLANHAT_MAX_HOST_LEN + 1]; /* lower case; IPv6 in [] */
	int			port;			/* explicit, or the scheme's default */
} UrlHost;

typedef struct AllowedHost
{
	bool		https;
	char		pattern[PLANHAT_MAX_HOST_LEN + 1];	/* "*", "*.domain" or a
														 * host, lower case */
	int			port;			/* -1: any */
} AllowedHost;

static bool split_url_host(const char *url, UrlHost *u);
static bool parse_allowed_host(const char *text, AllowedHost *e,
							   const char **why);
static bool allowed_hosts_check_hook(char **newval, void **extra,
									 GucSource source);
static bool url_allowed(const char *url);
static char *url_origin(const char *url);

PG_FUNCTION_INFO_V1(planhat_fdw_validator);

/*
 * planhat_option_init
 *		Define the settings of this file; called from _PG_init.
 */
void
planhat_option_init(void)
{
	DefineCustomStringVariable("planhat_fdw.allowed_hosts",
							   "Hosts that servers owned by non-superusers may send requests to.",
							   "A comma-separated list of host names, \"*.domain\" "
							   "(any host in domain) or \"*\", each optionally with "
							   "\"http://\" (https is the default) and \":port\".",
							   &planhat_allowed_hosts,
							   PLANHAT_DEFAULT_ALLOWED_HOSTS,
							   PGC_SUSET,
							   GUC_LIST_INPUT,
							   allowed_hosts_check_hook, NULL, NULL);
}

/*
 * planhat_fdw_validator
 *		Validate the generic options given to a FOREIGN DATA WRAPPER, SERVER,
 *		USER MAPPING or FOREIGN TABLE that uses planhat_fdw.
 *
 * Raise an ERROR if the option or its value is considered invalid.  Each
 * value is read as planhat_get_options reads it, into a scratch struct;
 * what depends on who sets an option or on other options is checked here.
 */
Datum
planhat_fdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options_list = untransformRelOptions(PG_GETARG_DATUM(0));
	Oid			catalog = PG_GETARG_OID(1);
	PlanhatOptions scratch;
	ListCell   *cell;

	memset(&scratch, 0, sizeof(scratch));
	foreach(cell, options_list)
	{
		DefElem    *def = (DefElem *) lfirst(cell);
		const PlanhatOption *opt = find_option(def->defname);

		if (opt == NULL || (opt->contexts & context_bit(catalog)) == 0)
			report_invalid_option(def, opt, catalog);

		/*
		 * The backend reads this file; like pgsql-http's TLS options, only a
		 * superuser may point it somewhere.
		 */
		if (opt->kind == OPT_FILE)
			check_superuser_option(def, "the CA file read by the server");

		read_option(opt, def, &scratch);

		if (opt->kind == OPT_URL)
		{
			char	   *url = *(char **) ((char *) &scratch + opt->offset);

			/*
			 * Any other host would let a role with USAGE on the wrapper send
			 * requests (and api tokens) wherever the database server can
			 * reach: loopback, private networks, cloud metadata services.
			 */
			if (!superuser() && !url_allowed(url))
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("permission denied to point option \"%s\" at %s",
								def->defname, url_origin(url)),
						 errdetail("The setting planhat_fdw.allowed_hosts (\"%s\") does not allow this host, port or protocol, and only superusers may use others.",
								   planhat_allowed_hosts),
						 errhint("Use the https URL of your Planhat region, such as https://api-eu.planhat.com, or ask a superuser to add the host to planhat_fdw.allowed_hosts.")));
		}
		/* a proxy is a host requests go to: like ssl_ca_file above */
		else if (opt->kind == OPT_PROXY &&
				 scratch.proxy != NULL && scratch.proxy[0] != '\0')
			check_superuser_option(def, "a proxy URL");
	}

	if (catalog == ForeignTableRelationId)
	{
		if (scratch.resource == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_DYNAMIC_PARAMETER_VALUE_NEEDED),
					 errmsg("option \"resource\" is required for planhat_fdw foreign tables"),
					 errhint("Add OPTIONS (resource 'companies'); known resources are: %s.",
							 planhat_resource_names())));
		if (scratch.fetch_size > 0)
			check_fetch_size(scratch.fetch_size, scratch.resource);
	}

	PG_RETURN_VOID();
}

/*
 * report_invalid_option
 *		An option that is unknown (opt NULL) or not valid in this catalog.
 */
static void
report_invalid_option(DefElem *def, const PlanhatOption *opt, Oid catalog)
{
	if (opt != NULL && opt->kind == OPT_SECRET)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("invalid option \"%s\"", def->defname),
				 errdetail("The option \"%s\" is a secret and is accepted only on a user mapping.",
						   def->defname),
				 errhint("Set it with CREATE USER MAPPING FOR CURRENT_USER SERVER ... OPTIONS (%s '...').",
						 def->defname)));
	if (opt != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
				 errmsg("invalid option \"%s\"", def->defname),
				 errdetail("The option \"%s\" cannot be set on a %s.",
						   def->defname, context_name(catalog)),
				 errhint("Valid options in this context are: %s.",
						 valid_options_list(catalog))));
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
			 errmsg("invalid option \"%s\"", def->defname),
			 errhint("Valid options in this context are: %s.",
					 valid_options_list(catalog))));
}

/*
 * read_option
 *		Read def's value as opt's kind says into its field of opts, with an
 *		ERROR naming option and value when it does not fit.  Secrets are
 *		never echoed.
 */
static void
read_option(const PlanhatOption *opt, DefElem *def, PlanhatOptions *opts)
{
	void	   *dest = opt->offset >= 0 ? (char *) opts + opt->offset : NULL;

	switch (opt->kind)
	{
		case OPT_URL:
			*(char **) dest = parse_url_option(def);
			break;
		case OPT_PROXY:
			*(char **) dest = parse_proxy_option(def);
			break;
		case OPT_INT:
			*(int *) dest = parse_int_option(def, (int) opt->min, (int) opt->max);
			break;
		case OPT_REAL:
			*(double *) dest = parse_real_option(def, opt->min, opt->max);
			break;
		case OPT_PER_MINUTE:
			*(int *) dest = parse_per_minute_option(def, (int) opt->max);
			break;
		case OPT_BOOL:
			*(bool *) dest = defGetBoolean(def);
			break;
		case OPT_FILE:
			{
				char	   *path = defGetString(def);

				if (path[0] != '/')
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("invalid value for option \"%s\": \"%s\"",
									def->defname, path),
							 errhint("Give an absolute path to a PEM file of CA certificates.")));
				*(char **) dest = path;
			}
			break;
		case OPT_SECRET:
			{
				char	   *token = defGetString(def);

				if (token[0] == '\0')
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("option \"%s\" must not be empty", def->defname)));
				if (strpbrk(token, "\r\n") != NULL)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("option \"%s\" must not contain line breaks", def->defname)));
				*(char **) dest = token;
			}
			break;
		case OPT_RESOURCE:
			{
				char	   *name = defGetString(def);
				const PlanhatResource *res = planhat_find_resource(name);

				if (res == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
							 errmsg("unknown Planhat resource \"%s\"", name),
							 errhint("Known resources are: %s.",
									 planhat_resource_names())));
				*(const PlanhatResource **) dest = res;
			}
			break;
		case OPT_FIELD:
			/* read by planhat_column_field; nothing to store */
			if (defGetString(def)[0] == '\0')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"%s\" must not be empty", def->defname)));
			break;
	}
}

/*
 * An option only superusers may set (ssl_ca_file, a proxy URL).
 *
 * The validator sees the options that result from a statement, not which of
 * them it changes: once a superuser has set such an option on a server, its
 * owner can change the server's options only in a statement that also drops
 * it.  Hence the hint: on the wrapper, which only superusers can alter
 * anyway, the option applies to every server and locks none of them.
 */
static void
check_superuser_option(DefElem *def, const char *what)
{
	if (superuser())
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to set option \"%s\"", def->defname),
			 errdetail("Only superusers may set %s.  The options of a server are checked together: a server that has this option can be altered by another role only in a statement that drops it.",
					   what),
			 errhint("A superuser can set it on the foreign-data wrapper instead, where it applies to every server: ALTER FOREIGN DATA WRAPPER planhat_fdw OPTIONS (ADD %s '...').",
					 def->defname)));
}

/*
 * A fetch_size above the resource's documented maximum would make Planhat
 * clamp the page, and a clamped page looks like the last one: rows would be
 * lost.  So it is an error on the table, and capped for server defaults.
 */
static void
check_fetch_size(int fetch_size, const PlanhatResource *res)
{
	if (res == NULL)
		return;
	if (res->max_limit == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"fetch_size\": \"%d\"", fetch_size),
				 errdetail("Planhat returns resource \"%s\" in one answer, without pages.",
						   res->name),
				 errhint("Remove the fetch_size option from this table.")));
	if (fetch_size > res->max_limit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"fetch_size\": \"%d\"", fetch_size),
				 errdetail("Planhat returns at most %d rows of resource \"%s\" per request.",
						   res->max_limit, res->name),
				 errhint("Use a fetch_size between 1 and %d.", res->max_limit)));
}

/* The row of an option, or NULL for a name that is none */
static const PlanhatOption *
find_option(const char *name)
{
	const PlanhatOption *opt;

	for (opt = valid_options; opt->name; opt++)
	{
		if (strcmp(opt->name, name) == 0)
			return opt;
	}
	return NULL;
}

/* The PlanhatOption.contexts bit of a catalog */
static int
context_bit(Oid context)
{
	switch (context)
	{
		case ForeignDataWrapperRelationId:
			return OPT_WRAPPER;
		case ForeignServerRelationId:
			return OPT_SERVER;
		case UserMappingRelationId:
			return OPT_MAPPING;
		case ForeignTableRelationId:
			return OPT_TABLE;
		case AttributeRelationId:
			return OPT_COLUMN;
	}
	return 0;
}

/* "a, b, c" or "<none>" */
static char *
valid_options_list(Oid context)
{
	StringInfoData buf;
	const PlanhatOption *opt;

	initStringInfo(&buf);
	for (opt = valid_options; opt->name; opt++)
	{
		if (opt->contexts & context_bit(context))
			appendStringInfo(&buf, "%s%s", (buf.len > 0) ? ", " : "",
							 opt->name);
	}
	if (buf.len == 0)
		appendStringInfoString(&buf, "<none>");
	return buf.data;
}

static const char *
context_name(Oid context)
{
	switch (context)
	{
		case ForeignServerRelationId:
			return "server";
		case UserMappingRelationId:
			return "user mapping";
		case ForeignTableRelationId:
			return "foreign table";
		case AttributeRelationId:
			return "column";
		default:
			return "foreign-data wrapper";
	}
}

/* The option's value as an integer; false when it is not one */
static bool
int_option_value(DefElem *def, long *v)
{
	char	   *value = defGetString(def);
	char	   *end;

	errno = 0;
	*v = strtol(value, &end, 10);
	while (*end && isspace((unsigned char) *end))
		end++;
	return errno == 0 && end != value && *end == '\0';
}

static int
parse_int_option(DefElem *def, int min, int max)
{
	char	   *value = defGetString(def);
	long		v;

	if (!int_option_value(def, &v) || v < min || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errhint("\"%s\" must be an integer value between %d and %d.",
						 def->defname, min, max)));
	return (int) v;
}

/*
 * max_requests_per_minute: 0 turns it off; otherwise at least 2, since a
 * quarter of it (at least 1) is the burst and the rest the refill
 * (http.c), and at most what max_requests_per_second allows in a minute.
 */
static int
parse_per_minute_option(DefElem *def, int max)
{
	long		v;

	if (!int_option_value(def, &v) || v < 0 || v == 1 || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, defGetString(def)),
				 errhint("\"%s\" must be 0 (no limit) or an integer value between 2 and %d.",
						 def->defname, max)));
	return (int) v;
}

static double
parse_real_option(DefElem *def, double min, double max)
{
	char	   *value = defGetString(def);
	char	   *end;
	double		v;

	errno = 0;
	v = strtod(value, &end);
	while (*end && isspace((unsigned char) *end))
		end++;
	if (errno != 0 || end == value || *end != '\0' || isnan(v) ||
		v < min || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errhint("\"%s\" must be a number between %g and %g.",
						 def->defname, min, max)));
	return v;
}

/*
 * An http(s) URL with a host and no user info, query or fragment; returned
 * without trailing slashes.  Plain http is allowed (for emulators and
 * proxies on a private network); http.c then allows only what the URL says.
 */
static char *
parse_url_option(DefElem *def)
{
	char	   *value = defGetString(def);
	const char *host;
	char	   *url;
	size_t		len;

	if (pg_strncasecmp(value, "https://", 8) == 0)
		host = value + 8;
	else if (pg_strncasecmp(value, "http://", 7) == 0)
		host = value + 7;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errdetail("Only http and https URLs are supported."),
				 errhint("Use a URL such as https://api.planhat.com or https://api-eu.planhat.com.")));

	if (*host == '\0' || *host == '/' || *host == ':' ||
		strpbrk(value, "?#@ \t\r\n\\") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"%s\": \"%s\"",
						def->defname, value),
				 errdetail("The URL must name a host and must not contain user information, a query, a fragment or spaces."),
				 errhint("Use a URL such as https://api.planhat.com or https://api-eu.planhat.com.")));

	url = pstrdup(value);
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		url[--len] = '\0';
	return url;
}

/*
 * proxy: "environment" (NULL: libcurl reads the server process's
 * http_proxy, https_proxy, all_proxy and no_proxy), "none" (""), or a proxy
 * URL (http, https, socks5 or socks5h, with a host and nothing after it).
 */
static char *
parse_proxy_option(DefElem *def)
{
	char	   *value = defGetString(def);
	const char *host;

	if (strcmp(value, "environment") == 0)
		return NULL;
	if (strcmp(value, "none") == 0)
		return "";

	host = strstr(value, "://");
	if (host == NULL ||
		!(pg_strncasecmp(value, "http://", 7) == 0 ||
		  pg_strncasecmp(value, "https://", 8) == 0 ||
		  pg_strncasecmp(value, "socks5://", 9) == 0 ||
		  pg_strncasecmp(value, "socks5h://", 10) == 0) ||
		host[3] == '\0' || host[3] == '/' || host[3] == ':' ||
		strpbrk(host + 3, "/?#@ \t\r\n\\") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for option \"proxy\": \"%s\"", value),
				 errdetail("The value must be \"environment\", \"none\" or a proxy URL with an http, https, socks5 or socks5h scheme, a host and an optional port, without user information or a path."),
				 errhint("Use, for example, proxy 'none' or proxy 'http://proxy.example.com:3128'.")));
	return value;
}

/* ----------------------------------------------------------------
 *		planhat_fdw.allowed_hosts
 * ----------------------------------------------------------------
 */

static bool
host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/*
 * split_host_port
 *		Split "host[:port]" or "[v6][:port]" (len bytes) into a lower-case host
 *		and a port (-1 when absent).  With 'pattern', "*" and a leading "*."
 *		are accepted in the host.  False when it is not of that form: then
 *		no allowlist entry can match it.
 */
static bool
split_host_port(const char *s, size_t len, bool pattern, char *host,
				int *port)
{
	const char *end = s + len;
	const char *p = s;
	size_t		n;

	*port = -1;
	if (p < end && *p == '[')
	{
		/* IPv6 literal: hex digits, colons and dots between brackets */
		p++;
		while (p < end && (isxdigit((unsigned char) *p) || *p == ':' ||
						   *p == '.'))
			p++;
		if (p >= end || *p != ']' || p == s + 1)
			return false;
		p++;
	}
	else
	{
		const char *name = p;
		bool		any = false;

		/* a pattern may be "*" or start with "*." */
		if (pattern && p < end && *p == '*')
		{
			p++;
			if (p < end && *p == '.')
				name = ++p;
			else
				any = true;
		}
		if (!any)
		{
			while (p < end && host_char(*p))
				p++;
			if (p == name)
				return false;
		}
	}
	n = p - s;
	if (n > PLANHAT_MAX_HOST_LEN)
		return false;
	memcpy(host, s, n);
	host[n] = '\0';
	for (n = 0; host[n] != '\0'; n++)
		host[n] = pg_ascii_tolower((unsigned char) host[n]);

	if (p < end)
	{
		long		v = 0;

		if (*p != ':' || p + 1 >= end)
			return false;
		for (p++; p < end; p++)
		{
			if (!isdigit((unsigned char) *p) || (v = v * 10 + (*p - '0')) > 65535)
				return false;
		}
		if (v == 0)
			return false;
		*port = (int) v;
	}
	return true;
}

/*
 * split_url_host
 *		Scheme, host and port of an http(s) URL, the way libcurl reads them.
 *		False for anything else (user information, characters a host name
 *		cannot have): no allowlist entry matches such a URL.
 */
static bool
split_url_host(const char *url, UrlHost *u)
{
	const char *auth;
	size_t		len;

	if (pg_strncasecmp(url, "https://", 8) == 0)
	{
		u->https = true;
		auth = url + 8;
	}
	else if (pg_strncasecmp(url, "http://", 7) == 0)
	{
		u->https = false;
		auth = url + 7;
	}
	else
		return false;

	len = strcspn(auth, "/?#\\");
	if (memchr(auth, '@', len) != NULL ||
		!split_host_port(auth, len, false, u->host, &u->port))
		return false;
	if (u->port < 0)
		u->port = u->https ? 443 : 80;
	return true;
}

/*
 * parse_allowed_host
 *		One entry of planhat_fdw.allowed_hosts: [http://|https://]host[:port]
 *		where host is a name, an IP address, "*.domain" or "*".
 */
static bool
parse_allowed_host(const char *text, AllowedHost *e, const char **why)
{
	size_t		len;

	e->https = true;
	if (pg_strncasecmp(text, "https://", 8) == 0)
		text += 8;
	else if (pg_strncasecmp(text, "http://", 7) == 0)
	{
		e->https = false;
		text += 7;
	}
	else if (strstr(text, "://") != NULL)
	{
		*why = "only http:// and https:// may precede a host";
		return false;
	}
	len = strlen(text);
	if (len == 0 || !split_host_port(text, len, true, e->pattern, &e->port))
	{
		*why = "an entry is a host name, an IP address, \"*.domain\" or \"*\", optionally followed by \":port\"";
		return false;
	}
	return true;
}

/*
 * allowed_host_entries
 *		The entries of a planhat_fdw.allowed_hosts value; false (with *bad and
 *		*why set) when one is malformed.
 */
static bool
allowed_host_entries(const char *value, List **entries, char **bad,
					 const char **why)
{
	char	   *copy = pstrdup(value);
	List	   *items;
	ListCell   *lc;

	*entries = NIL;
	if (!SplitGUCList(copy, ',', &items))
	{
		*bad = pstrdup(value);
		*why = "the list is not well formed";
		return false;
	}
	foreach(lc, items)
	{
		AllowedHost *e = palloc(sizeof(AllowedHost));

		if (!parse_allowed_host((char *) lfirst(lc), e, why))
		{
			*bad = pstrdup((char *) lfirst(lc));
			return false;
		}
		*entries = lappend(*entries, e);
	}
	return true;
}

static bool
allowed_hosts_check_hook(char **newval, void **extra, GucSource source)
{
	List	   *entries;
	char	   *bad;
	const char *why;

	if (!allowed_host_entries(*newval, &entries, &bad, &why))
	{
		GUC_check_errdetail("Entry \"%s\" is not valid: %s.", bad, why);
		return false;
	}
	list_free_deep(entries);
	return true;
}

static bool
allowed_host_matches(const AllowedHost *e, const UrlHost *u)
{
	size_t		plen = strlen(e->pattern);
	size_t		hlen = strlen(u->host);

	if (e->https != u->https || (e->port >= 0 && e->port != u->port))
		return false;
	if (strcmp(e->pattern, "*") == 0)
		return true;
	if (e->pattern[0] == '*')
		/* "*.domain": any host below domain, not domain itself */
		return hlen > plen - 1 &&
			strcmp(u->host + hlen - (plen - 1), e->pattern + 1) == 0;
	return strcmp(e->pattern, u->host) == 0;
}

/* Does planhat_fdw.allowed_hosts allow this URL? */
static bool
url_allowed(const char *url)
{
	UrlHost		u;
	List	   *entries;
	char	   *bad;
	const char *why;
	ListCell   *lc;

	if (!split_url_host(url, &u) ||
		!allowed_host_entries(planhat_allowed_hosts ? planhat_allowed_hosts : "",
							  &entries, &bad, &why))
		return false;
	foreach(lc, entries)
	{
		if (allowed_host_matches((AllowedHost *) lfirst(lc), &u))
			return true;
	}
	return false;
}

/* "scheme://host" of a URL for messages (no port, no path) */
static char *
url_origin(const char *url)
{
	UrlHost		u;

	if (!split_url_host(url, &u))
		return pstrdup(url);
	return psprintf("%s://%s", u.https ? "https" : "http", u.host);
}

/*
 * planhat_url_allowed
 *		Does planhat_fdw.allowed_hosts allow requests to this URL?
 */
bool
planhat_url_allowed(const char *url)
{
	return url != NULL && url_allowed(url);
}

/*
 * planhat_check_allowed_hosts
 *		At connect time: a server whose owner is not a superuser must point
 *		at allowed hosts.
 *
 * The validator already refuses other hosts to non-superusers; this also
 * covers a server handed over to another owner, a url set before the
 * setting was narrowed, and the default URLs.  A superuser-owned server may
 * point anywhere: only superusers could have set its url.
 */
void
planhat_check_allowed_hosts(const PlanhatOptions *opts)
{
	const char *names[] = {"url", "analytics_url"};
	const char *urls[] = {opts->url, opts->analytics_url};
	int			i;

	if (superuser_arg(opts->serverowner))
		return;
	for (i = 0; i < lengthof(urls); i++)
	{
		char	   *owner;

		if (urls[i] == NULL || url_allowed(urls[i]))
			continue;
		owner = GetUserNameFromId(opts->serverowner, true);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("option \"%s\" of server \"%s\" points at a host that is not allowed",
						names[i], opts->servername),
				 errdetail("The server is owned by role \"%s\", which is not a superuser, and the setting planhat_fdw.allowed_hosts (\"%s\") does not allow %s with this port or protocol.",
						   owner ? owner : "?",
						   planhat_allowed_hosts ? planhat_allowed_hosts : "",
						   url_origin(urls[i])),
				 errhint("Set option \"%s\" of the server to a host in planhat_fdw.allowed_hosts, or ask a superuser to add the host to that setting.",
						 names[i])));
	}
}

/*
 * Apply one option of the wrapper, server, user mapping or table to opts.
 * Table options are applied after server options, so they win.
 */
static void
apply_option(PlanhatOptions *opts, DefElem *def)
{
	const PlanhatOption *opt = find_option(def->defname);

	if (opt == NULL || opt->offset < 0)
		elog(ERROR, "unexpected planhat_fdw option \"%s\"", def->defname);
	read_option(opt, def, opts);
	if (opt->offset == OPT_AT(batch_size))
		opts->batch_size_set = true;
}

/* Every option's default, from the table */
static void
apply_defaults(PlanhatOptions *opts)
{
	const PlanhatOption *opt;

	for (opt = valid_options; opt->name; opt++)
	{
		void	   *dest = (char *) opts + opt->offset;

		if (opt->offset < 0)
			continue;			/* not in PlanhatOptions */
		switch (opt->kind)
		{
			case OPT_INT:
			case OPT_PER_MINUTE:
				*(int *) dest = (int) opt->num_default;
				break;
			case OPT_REAL:
				*(double *) dest = opt->num_default;
				break;
			case OPT_BOOL:
				*(bool *) dest = (opt->num_default != 0);
				break;
			case OPT_URL:
			case OPT_PROXY:
			case OPT_FILE:
			case OPT_SECRET:
				*(const char **) dest = opt->str_default;
				break;
			case OPT_RESOURCE:
				*(const PlanhatResource **) dest = NULL;
				break;
			case OPT_FIELD:
				break;
		}
	}
}

/*
 * planhat_get_server_options
 *		Options of a server (and of the user's mapping for it, when userid is
 *		valid), with every default applied.
 */
PlanhatOptions *
planhat_get_server_options(Oid serverid, Oid userid)
{
	PlanhatOptions *opts = palloc0(sizeof(PlanhatOptions));
	ForeignServer *server = GetForeignServer(serverid);
	ForeignDataWrapper *fdw = GetForeignDataWrapper(server->fdwid);
	ListCell   *lc;

	apply_defaults(opts);
	opts->serverid = serverid;
	opts->servername = pstrdup(server->servername);
	opts->serverowner = server->owner;
	opts->relid = InvalidOid;

	/* the wrapper's ssl_ca_file and proxy, then the server's */
	foreach(lc, fdw->options)
		apply_option(opts, (DefElem *) lfirst(lc));
	foreach(lc, server->options)
		apply_option(opts, (DefElem *) lfirst(lc));

	if (OidIsValid(userid))
	{
		UserMapping *um = GetUserMapping(userid, serverid);

		opts->umid = um->umid;
		opts->userid = userid;
		foreach(lc, um->options)
			apply_option(opts, (DefElem *) lfirst(lc));
	}
	return opts;
}

/*
 * planhat_get_options
 *		Options of a foreign table, its server and (when userid is valid) the
 *		user mapping, merged and defaulted.
 *
 * Pass InvalidOid as userid at plan time: the user mapping (and its token)
 * is needed only when a request is sent.
 */
PlanhatOptions *
planhat_get_options(Oid foreigntableid, Oid userid)
{
	ForeignTable *table = GetForeignTable(foreigntableid);
	PlanhatOptions *opts = planhat_get_server_options(table->serverid, userid);
	int			server_fetch_size = opts->fetch_size;
	ListCell   *lc;

	opts->relid = foreigntableid;
	opts->relname = quote_qualified_identifier(get_namespace_name(get_rel_namespace(foreigntableid)),
											   get_rel_name(foreigntableid));
	opts->fetch_size = 0;
	foreach(lc, table->options)
		apply_option(opts, (DefElem *) lfirst(lc));

	if (opts->resource == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_DYNAMIC_PARAMETER_VALUE_NEEDED),
				 errmsg("foreign table %s has no \"resource\" option", opts->relname),
				 errhint("ALTER FOREIGN TABLE %s OPTIONS (ADD resource 'companies'); known resources are: %s.",
						 opts->relname, planhat_resource_names())));

	/*
	 * fetch_size: the table's own (validated against the resource), else the
	 * server's capped at the resource maximum, else the resource maximum:
	 * the fewest requests for a full scan.
	 */
	if (opts->fetch_size == 0)
	{
		opts->fetch_size = opts->resource->max_limit;
		if (server_fetch_size > 0 && server_fetch_size < opts->fetch_size)
			opts->fetch_size = server_fetch_size;
	}
	return opts;
}

/*
 * planhat_field_to_column
 *		The column name IMPORT FOREIGN SCHEMA gives a Planhat field:
 *		"_id" -> "id", leading underscores dropped, camelCase -> snake_case,
 *		anything but letters and digits -> "_" (for custom field names such
 *		as "# Overdue Invoices" -> "overdue_invoices"), lower case.
 */
char *
planhat_field_to_column(const char *field)
{
	StringInfoData buf;
	const char *p;

	if (strcmp(field, "_id") == 0)
		return pstrdup("id");

	initStringInfo(&buf);
	for (p = field; *p; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (isalnum(c) && c < 128)
		{
			if (isupper(c) && buf.len > 0 && buf.data[buf.len - 1] != '_')
			{
				unsigned char prev = (unsigned char) p[-1];
				unsigned char next = (unsigned char) p[1];

				/* aB -> a_b, 3B -> 3_b, ABc -> a_bc */
				if (islower(prev) || isdigit(prev) ||
					(isupper(prev) && islower(next)))
					appendStringInfoChar(&buf, '_');
			}
			appendStringInfoChar(&buf, (char) tolower(c));
		}
		else if (buf.len > 0 && buf.data[buf.len - 1] != '_')
			appendStringInfoChar(&buf, '_');
	}
	/* no trailing underscore */
	while (buf.len > 0 && buf.data[buf.len - 1] == '_')
		buf.data[--buf.len] = '\0';
	if (buf.len == 0)
		appendStringInfoString(&buf, "field");
	if (isdigit((unsigned char) buf.data[0]))
	{
		char	   *s = psprintf("f_%s", buf.data);

		pfree(buf.data);
		return s;
	}
	return buf.data;
}

/*
 * planhat_column_to_field
 *		The Planhat field a column name means by the naming rule:
 *		snake_case -> camelCase ("company_id" -> "companyId").
 */
static char *
planhat_column_to_field(const char *column)
{
	StringInfoData buf;
	const char *p;
	bool		upper = false;

	initStringInfo(&buf);
	for (p = column; *p; p++)
	{
		if (*p == '_' && buf.len > 0)
		{
			upper = true;
			continue;
		}
		appendStringInfoChar(&buf, upper ? (char) toupper((unsigned char) *p) : *p);
		upper = false;
	}
	return buf.data;
}

/*
 * planhat_resolve_column
 *		Describe attribute att of foreign table relid in col, the one way
 *		planner and executor see a column: its Planhat field (see
 *		planhat_column_field), or for the jsonb/json column named attrs,
 *		is_attrs (it receives the whole object; a column named attrs of
 *		another type maps to a field "attrs"), and its catalog entry.
 */
void
planhat_resolve_column(Oid relid, Form_pg_attribute att,
					   const PlanhatResource *res, PlanhatColumn *col)
{
	const PlanhatField *cat;

	memset(col, 0, sizeof(PlanhatColumn));
	col->attnum = att->attnum;
	col->attname = pstrdup(NameStr(att->attname));
	col->typid = att->atttypid;
	col->typmod = att->atttypmod;
	col->field = planhat_column_field(relid, att->attnum, res, col->attname,
									  &col->alt_field);
	if (col->field == NULL)
	{
		Oid			base = getBaseType(col->typid);

		if (base == JSONBOID || base == JSONOID)
			col->is_attrs = true;
		else
			col->field = pstrdup("attrs");
	}
	else if (strcmp(col->field, "_id") == 0)
		check_id_type(relid, col->attname, col->typid);

	cat = col->field ? planhat_find_field(res, col->field) : NULL;
	col->day_number = (cat != NULL && cat->type == PH_TYPE_DAY);
	/* a field read under two names is not pushed */
	col->cat = col->alt_field == NULL ? cat : NULL;
}

/*
 * check_id_type
 *		The column mapped to "_id" must give back the id exactly as Planhat
 *		has it: keys in lookups, UPDATE and DELETE are its text.
 *
 * char(n) pads with spaces and json/jsonb quote the string, so PUT
 * /companies/<id>%20%20 would find nothing and an UPDATE report 0 rows
 * without a word.  The column is refused when the table is planned (the
 * validator never sees column types).
 */
static void
check_id_type(Oid relid, const char *attname, Oid typid)
{
	Oid			base = getBaseType(typid);

	if (base == TEXTOID || base == VARCHAROID)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
			 errmsg("column \"%s\" of foreign table %s maps to the Planhat _id and cannot have type %s",
					attname,
					quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
											   get_rel_name(relid)),
					format_type_be(typid)),
			 errdetail("Lookups, updates and deletes send the column's text as the id, and the text of a %s value is not the id as Planhat has it.",
					   format_type_be(typid)),
			 errhint("Change the column's type to text, for example ALTER FOREIGN TABLE ... ALTER COLUMN %s TYPE text.",
					 quote_identifier(attname))));
}

/*
 * planhat_column_field
 *		The Planhat field a column reads and writes, by the naming rules of
 *		README.md (option "field") and docs/resources.md ("Columns"):
 *		the column's "field" option; "id" is "_id"; a catalog field whose
 *		import name is the column's name ("currency" -> "_currency",
 *		"c_id" -> "cId"); else the camelCase of the name.  In that last case
 *		*alt_field is set to the column name itself, which is also tried
 *		("an exact field name also matches").  Returns NULL for the column
 *		named attrs (the whole object) -- the caller checks its type.
 */
char *
planhat_column_field(Oid relid, AttrNumber attnum, const PlanhatResource *res,
					 const char *attname, char **alt_field)
{
	List	   *options = GetForeignColumnOptions(relid, attnum);
	ListCell   *lc;
	char	   *camel;

	*alt_field = NULL;
	foreach(lc, options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "field") == 0)
			return defGetString(def);
	}

	if (strcmp(attname, "attrs") == 0)
		return NULL;
	if (strcmp(attname, "id") == 0)
		return pstrdup("_id");

	if (res != NULL)
	{
		const PlanhatField *f;

		for (f = res->fields; f->name; f++)
		{
			if (f->column ? strcmp(f->column, attname) == 0
				: strcmp(planhat_field_to_column(f->name), attname) == 0)
				return pstrdup(f->name);
		}
	}

	camel = planhat_column_to_field(attname);
	if (strcmp(camel, attname) != 0)
		*alt_field = pstrdup(attname);
	return camel;
}
