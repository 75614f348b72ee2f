/*-------------------------------------------------------------------------
 *
 * convert.c
 *		  JSON <-> Datum conversion of planhat_fdw: list pages to rows, and
 *		  rows to request bodies.
 *
 * Reading.  A list page is parsed one element at a time (jsonpage.c's
 * array reader): planhat_page_row() parses the next row into a small json-c
 * tree, converts it into the caller's (per-tuple) memory context and frees
 * the previous row's tree.  That is about three times cheaper than one tree
 * for a whole 5,000-row page, and the memory held is one row's tree rather
 * than a page's.  A single object (a lookup by key, a write's answer) is
 * parsed whole.  Either way the json-c memory is owned by the caller's page
 * memory context: a reset callback on that context frees it, so it is
 * released on the next page and on error paths alike.
 * Conversions are explicit and exact: every (JSON kind, SQL type) pair
 * either has a direct conversion or is an ERROR with SQLSTATE HV004 that
 * names foreign table, column, Planhat field, the object's _id and the
 * value.  No value goes through a float unless the column is a float, and
 * the hot types never go through a type input function.  The full table
 * is in notes/convert.md.
 *
 * Writing.  planhat_build_object() turns a row into the JSON object
 * Planhat expects, typed back exactly (numeric digits, ISO-8601 UTC with
 * milliseconds, day numbers), and converts the text to UTF-8.
 *
 * What Planhat's answers say besides rows (bulk counts, error messages,
 * custom fields, answers of the wrong shape) is read in answer.c.
 *
 * json-c.  This file does not include json-c: it works through jsonpage.h
 * (which says why that header and PostgreSQL's mix).
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/convert.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "planhat_fdw.h"
#include "jsonpage.h"

/* values longer than this are cut (with "...") in error messages */
#define PH_VALUE_MAX_CHARS		100

/* days and microseconds between 1970-01-01 and 2000-01-01 */
#define PH_EPOCH_SHIFT_DAYS		(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)
#define PH_EPOCH_SHIFT_USECS	((int64) PH_EPOCH_SHIFT_DAYS * USECS_PER_DAY)

/* How a value of one SQL type is converted */
typedef enum ConvKind
{
	CK_TEXT,					/* text, varchar without length */
	CK_VARCHAR,					/* varchar(n) */
	CK_INT2,
	CK_INT4,
	CK_INT8,
	CK_FLOAT4,
	CK_FLOAT8,
	CK_NUMERIC,
	CK_BOOL,
	CK_DATE,
	CK_TIMESTAMP,
	CK_TIMESTAMPTZ,
	CK_UUID,
	CK_JSON,
	CK_JSONB,
	CK_ARRAY,
	CK_DOMAIN,
	CK_INPUT					/* anything else: the type's I/O functions */
} ConvKind;

typedef struct ConvType
{
	ConvKind	kind;
	Oid			typid;
	int32		typmod;
	char	   *typname;		/* format_type_with_typemod, for messages */
	int32		maxlen;			/* CK_VARCHAR: characters */
	/* CK_ARRAY */
	struct ConvType *elem;
	bool		elem_scalar_only;	/* elements must be JSON scalars */
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
	/* CK_DOMAIN */
	struct ConvType *base;
	void	   *domain_extra;	/* domain_check's cache */
	MemoryContext mcxt;			/* long-lived context for that cache */
	/* CK_INPUT */
	FmgrInfo	infunc;
	Oid			ioparam;
	FmgrInfo	outfunc;
} ConvType;

/* PlanhatColumn.conv */
typedef struct ConvColumn
{
	ConvType   *type;
	char	   *key;			/* top-level key; NULL for attrs */
	char	   *subkey;			/* key inside that object, or NULL */
	char	   *alt_key;
	char	   *alt_subkey;
} ConvColumn;

struct PlanhatPage
{
	struct json_object *root;	/* a whole parsed answer, or NULL */
	/* a list page read element by element (root NULL) */
	JpArrayReader reader;
	bool		reading;		/* reader opened (to close) */
	struct json_object *row;	/* the element last read, or NULL */
	int			next;			/* index of the next element to read */
	const char *body;			/* the answer (the caller's, in cxt) */
	size_t		len;
	const char *what;			/* request line, for messages */
	int			nrows;
	bool		as_object;
	const char *relname;
	MemoryContextCallback cb;
};

/* What the error paths need to name the failing value */
typedef struct ConvState
{
	const char *relname;
	PlanhatColumn *col;
	struct json_object *row;
	struct json_object *value;	/* the value (or array element) at fault */
	int			elem;			/* 1-based array element being converted, or 0 */
	bool		own_error;		/* our own ereport: context adds nothing */
} ConvState;

/* does text from Planhat (UTF-8) need converting to the server encoding? */
static int	ph_db_encoding = -1;

static ConvType *conv_prepare_type(Oid typid, int32 typmod);
static void ph_page_check_end(PlanhatPage *page);
static Datum conv_value(ConvState *st, ConvType *t, struct json_object *v,
						bool *isnull);

/* ----------------------------------------------------------------
 *		small helpers
 * ----------------------------------------------------------------
 */

static inline bool
ph_need_conversion(void)
{
	if (ph_db_encoding < 0)
		ph_db_encoding = GetDatabaseEncoding();
	return ph_db_encoding != PG_UTF8 && ph_db_encoding != PG_SQL_ASCII;
}

/* JpSinkFn appending to a StringInfo */
static int
sink_stringinfo(void *arg, const char *data, size_t len)
{
	appendBinaryStringInfo((StringInfo) arg, data, (int) len);
	return 0;
}

/*
 * A JSON value as short compact JSON for messages, valid in the server
 * encoding whatever bytes it holds (jp_message_value)
 */
static char *
ph_value_for_message(struct json_object *v)
{
	char	   *out = palloc(JP_MESSAGE_SIZE(PH_VALUE_MAX_CHARS));

	(void) jp_message_value(v, PH_VALUE_MAX_CHARS,
							GetDatabaseEncoding() == PG_UTF8, out);
	return out;
}

/* ", array element N" when an array element is at fault, else "" */
static const char *
ph_element_for_message(ConvState *st)
{
	return st->elem > 0 ? psprintf(", array element %d", st->elem) : "";
}

/*
 * A PostgreSQL data error (class 22) as the reason clause of our own
 * message: its message, and its detail in parentheses.
 */
static char *
ph_data_error_reason(ErrorData *edata)
{
	char	   *detail;
	int			len;

	if (edata->detail == NULL || edata->detail[0] == '\0')
		return edata->message;
	/* "A field with ..." -> "a field with ...", without the final period */
	detail = pstrdup(edata->detail);
	len = strlen(detail);
	if (len > 0 && detail[len - 1] == '.')
		detail[len - 1] = '\0';
	if (detail[0] >= 'A' && detail[0] <= 'Z' && !(detail[1] >= 'A' && detail[1] <= 'Z'))
		detail[0] += 'a' - 'A';
	return psprintf("%s (%s)", edata->message, detail);
}

/*
 * In a PG_CATCH block around a PostgreSQL function that judges a value: a
 * data error (class 22) as a reason clause, the error state cleared;
 * anything else is re-thrown.  oldcxt: the context before PG_TRY.
 */
static char *
ph_caught_data_error(MemoryContext oldcxt)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(oldcxt);
	edata = CopyErrorData();
	if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
		PG_RE_THROW();
	FlushErrorState();
	return ph_data_error_reason(edata);
}

/* The "_id" of a row for messages: as JSON (a string quoted), or "(none)" */
static char *
ph_row_id_for_message(struct json_object *row)
{
	struct json_object *id = jp_get(row, "_id");

	if (id == NULL)
		return pstrdup("(none)");
	return ph_value_for_message(id);
}

static const char *
ph_column_field(PlanhatColumn *col)
{
	if (col->is_attrs || col->field == NULL)
		return "(whole object)";
	return col->field;
}

/*
 * Raise HV004 for a value that does not fit its column.  'reason' is a
 * lower-case clause ("a string cannot be converted to type integer").
 */
pg_noreturn static void
conv_error_reason(ConvState *st, const char *reason);

static void
conv_error_reason(ConvState *st, const char *reason)
{
	char	   *id = ph_row_id_for_message(st->row);
	char	   *value = ph_value_for_message(st->value);

	st->own_error = true;
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
			 errmsg("could not convert a Planhat value for column \"%s\" of foreign table %s",
					st->col->attname, st->relname),
			 errdetail("Foreign table %s, column \"%s\", Planhat field \"%s\", object _id %s%s: %s. Value: %s.",
					   st->relname, st->col->attname, ph_column_field(st->col),
					   id, ph_element_for_message(st), reason, value),
			 errhint("Give the column a type that fits the Planhat field (IMPORT FOREIGN SCHEMA chooses one), map it to another field with OPTIONS (field '...'), or use jsonb, which accepts any JSON value.")));
}

pg_noreturn static void
conv_error(ConvState *st, ConvType *t, struct json_object *v, JpStatus status);

static void
conv_error(ConvState *st, ConvType *t, struct json_object *v, JpStatus status)
{
	char	   *reason;

	st->value = v;
	switch (status)
	{
		case JP_WRONG_KIND:
			reason = psprintf("%s cannot be converted to type %s",
							  jp_kind_name(jp_kind(v)), t->typname);
			break;
		case JP_OUT_OF_RANGE:
			reason = psprintf("value out of range for type %s", t->typname);
			break;
		case JP_NOT_INTEGRAL:
			if (t->kind == CK_DATE)
				reason = psprintf("a day number for type %s must be a whole number", t->typname);
			else
				reason = psprintf("type %s takes whole numbers only", t->typname);
			break;
		case JP_BAD_FORMAT:
			if (t->kind == CK_UUID)
				reason = psprintf("the string is not a valid UUID");
			else
				reason = psprintf("the string is not an ISO 8601 date or timestamp (type %s)",
								  t->typname);
			break;
		default:
			reason = psprintf("the value does not fit type %s", t->typname);
			break;
	}
	conv_error_reason(st, reason);
}

/*
 * Error context for errors raised by PostgreSQL functions during a row's
 * conversion (domain constraints, encoding conversion, ...).
 */
static void
conv_error_callback(void *arg)
{
	ConvState  *st = (ConvState *) arg;

	if (st->own_error || st->col == NULL)
		return;
	errcontext("column \"%s\" of foreign table %s, Planhat field \"%s\", object _id %s%s, value %s",
			   st->col->attname, st->relname, ph_column_field(st->col),
			   ph_row_id_for_message(st->row), ph_element_for_message(st),
			   ph_value_for_message(st->value));
}

/* ----------------------------------------------------------------
 *		column types (plan time and scan start)
 * ----------------------------------------------------------------
 */

/*
 * The scalar types planhat_fdw converts, and how.  char(n) and name go
 * through their input functions (CK_INPUT), as any other type would.
 */
static const struct
{
	Oid			typid;
	ConvKind	kind;
}			ph_scalar_types[] = {
	{TEXTOID, CK_TEXT},
	{VARCHAROID, CK_VARCHAR},	/* CK_TEXT without a length */
	{BPCHAROID, CK_INPUT},
	{NAMEOID, CK_INPUT},
	{INT2OID, CK_INT2},
	{INT4OID, CK_INT4},
	{INT8OID, CK_INT8},
	{NUMERICOID, CK_NUMERIC},
	{FLOAT4OID, CK_FLOAT4},
	{FLOAT8OID, CK_FLOAT8},
	{BOOLOID, CK_BOOL},
	{DATEOID, CK_DATE},
	{TIMESTAMPTZOID, CK_TIMESTAMPTZ},
	{TIMESTAMPOID, CK_TIMESTAMP},
	{UUIDOID, CK_UUID},
	{JSONOID, CK_JSON},
	{JSONBOID, CK_JSONB},
};

/* How a scalar type converts; false (and CK_INPUT) for one not listed */
static bool
ph_scalar_kind(Oid typid, ConvKind *kind)
{
	int			i;

	for (i = 0; i < lengthof(ph_scalar_types); i++)
	{
		if (ph_scalar_types[i].typid == typid)
		{
			*kind = ph_scalar_types[i].kind;
			return true;
		}
	}
	*kind = CK_INPUT;
	return false;
}

void
planhat_check_column_type(const char *relname, const char *attname, Oid typid)
{
	Oid			base = getBaseType(typid);
	Oid			elem = InvalidOid;
	ConvKind	kind;

	if (base != INT2VECTOROID && base != OIDVECTOROID)
		elem = get_element_type(base);
	if (!ph_scalar_kind(OidIsValid(elem) ? getBaseType(elem) : base, &kind))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("column \"%s\" of foreign table %s has type %s, which planhat_fdw cannot convert",
						attname, relname, format_type_be(typid)),
				 errhint("Use one of text, varchar, char, name, smallint, integer, bigint, real, double precision, numeric, boolean, date, timestamp, timestamptz, json, jsonb or uuid, an array of one of them, or a domain over one of them.")));
}

static bool
conv_kind_is_textual(ConvType *t)
{
	while (t->kind == CK_DOMAIN)
		t = t->base;
	return t->kind == CK_TEXT || t->kind == CK_VARCHAR || t->kind == CK_INPUT;
}

static ConvType *
conv_prepare_type(Oid typid, int32 typmod)
{
	ConvType   *t = palloc0(sizeof(ConvType));
	Oid			elem;

	t->typid = typid;
	t->typmod = typmod;
	t->typname = format_type_with_typemod(typid, typmod);

	if (get_typtype(typid) == TYPTYPE_DOMAIN)
	{
		int32		btypmod = typmod;
		Oid			btype = getBaseTypeAndTypmod(typid, &btypmod);

		t->kind = CK_DOMAIN;
		t->base = conv_prepare_type(btype, btypmod);
		t->mcxt = CurrentMemoryContext;
		return t;
	}

	elem = (typid == INT2VECTOROID || typid == OIDVECTOROID) ?
		InvalidOid : get_element_type(typid);
	if (OidIsValid(elem))
	{
		t->kind = CK_ARRAY;
		/* an array column's typmod applies to its elements */
		t->elem = conv_prepare_type(elem, typmod);
		t->elem_scalar_only = conv_kind_is_textual(t->elem);
		get_typlenbyvalalign(elem, &t->elmlen, &t->elmbyval, &t->elmalign);
		return t;
	}

	(void) ph_scalar_kind(typid, &t->kind);
	if (t->kind == CK_VARCHAR)
	{
		if (typmod >= (int32) VARHDRSZ)
			t->maxlen = typmod - VARHDRSZ;
		else
			t->kind = CK_TEXT;
	}
	else if (t->kind == CK_INPUT)
	{
		Oid			infn;
		Oid			outfn;
		bool		isvarlena;

		getTypeInputInfo(typid, &infn, &t->ioparam);
		fmgr_info(infn, &t->infunc);
		getTypeOutputInfo(typid, &outfn, &isvarlena);
		fmgr_info(outfn, &t->outfunc);
	}
	return t;
}

/* Split "custom.Seats" at the first '.': key "custom", subkey "Seats" */
static void
ph_split_field(const char *field, char **key, char **subkey)
{
	const char *dot;

	*key = NULL;
	*subkey = NULL;
	if (field == NULL)
		return;
	dot = strchr(field, '.');
	if (dot == NULL || dot == field || dot[1] == '\0')
	{
		*key = pstrdup(field);
		return;
	}
	*key = pnstrdup(field, dot - field);
	*subkey = pstrdup(dot + 1);
}

/* Conversion state of every column of map */
static void
prepare_columns(PlanhatColumnMap *map)
{
	int			i;

	(void) ph_need_conversion();
	for (i = 0; i < map->ncolumns; i++)
	{
		PlanhatColumn *col = &map->columns[i];
		ConvColumn *cc = palloc0(sizeof(ConvColumn));

		cc->type = conv_prepare_type(col->typid, col->typmod);
		if (!col->is_attrs)
		{
			ph_split_field(col->field, &cc->key, &cc->subkey);
			ph_split_field(col->alt_field, &cc->alt_key, &cc->alt_subkey);
		}
		col->conv = cc;
	}
}

/*
 * planhat_make_column_map
 *		The ColumnMap of the given attribute numbers of a foreign table, each
 *		column resolved by planhat_resolve_column (as the planner resolves
 *		them), with its conversion state.
 */
PlanhatColumnMap *
planhat_make_column_map(Relation rel, const PlanhatOptions *opts,
						List *attnums)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	PlanhatColumnMap *map = palloc0(sizeof(PlanhatColumnMap));
	ListCell   *lc;
	int			n = 0;

	map->relname = opts->relname;
	map->columns = palloc0(sizeof(PlanhatColumn) * Max(list_length(attnums), 1));
	foreach(lc, attnums)
	{
		AttrNumber	attnum = (AttrNumber) lfirst_int(lc);
		Form_pg_attribute att;

		if (attnum <= 0 || attnum > tupdesc->natts)
			continue;
		att = TupleDescAttr(tupdesc, attnum - 1);
		if (att->attisdropped)
			continue;
		planhat_resolve_column(RelationGetRelid(rel), att, opts->resource,
							   &map->columns[n++]);
	}
	map->ncolumns = n;
	prepare_columns(map);
	return map;
}

/* ----------------------------------------------------------------
 *		reading: JSON value -> Datum
 * ----------------------------------------------------------------
 */

/*
 * What is wrong with the UTF-8 sequence at s (the first one the verifier
 * refused), as a reason clause (see planhat_server_text).
 */
static char *
ph_utf8_reason(const char *s, int len, PlanhatTextKind kind,
			   const char *typname)
{
	static const char *const nouns[] = {
		"the string", "an object key", "the JSON text", "its name"
	};
	const char *what = nouns[kind];
	const char *hold = typname ? psprintf(", which type %s cannot hold", typname) : "";
	JpUtf8Status status;
	uint32_t	cp;
	size_t		n = jp_utf8_sequence(s, (size_t) len, &status, &cp);
	StringInfoData hex;
	size_t		k;

	initStringInfo(&hex);
	for (k = 0; k < n; k++)
		appendStringInfo(&hex, "%s0x%02x", k > 0 ? " " : "", (unsigned char) s[k]);

	switch (status)
	{
		case JP_UTF8_NUL:
			return psprintf("%s contains \\u0000%s", what, hold);
		case JP_UTF8_KEY_NUL:
			if (kind == PH_TEXT_KEY)
				return psprintf("%s contains \\u0000 (read as the bytes 0xc0 0x80)%s",
								what, hold);
			if (kind == PH_TEXT_JSON)
				return psprintf("%s contains \\u0000 in an object key (read as the bytes 0xc0 0x80)%s",
								what, hold);
			/* raw C0 80 in a string value: an overlong form */
			/* FALLTHROUGH */
		case JP_UTF8_OVERLONG:
			return psprintf("%s is not valid UTF-8: %s is an overlong encoding of U+%04X",
							what, hex.data, (unsigned) cp);
		case JP_UTF8_SURROGATE:
			return psprintf("%s is not valid UTF-8: %s encodes the surrogate U+%04X, which is not a character (a \\u escape of a lone surrogate reads as these bytes)",
							what, hex.data, (unsigned) cp);
		case JP_UTF8_TOO_LARGE:
			return psprintf("%s is not valid UTF-8: %s encodes U+%04X, above U+10FFFF",
							what, hex.data, (unsigned) cp);
		case JP_UTF8_VALID:
		case JP_UTF8_INVALID:
			break;
	}
	return psprintf("%s is not valid UTF-8: invalid byte sequence %s",
					what, hex.data);
}

/*
 * Valid UTF-8 s[0..len-1] in the server encoding (palloc'd, or s itself
 * when nothing changes).  A character that encoding lacks is PostgreSQL's
 * data error: NULL is returned and *reason says which character.
 */
static char *
ph_utf8_to_server(const char *s, int len, char **reason)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	char	   *volatile result = NULL;

	PG_TRY();
	{
		result = pg_any_to_server(s, len, PG_UTF8);
	}
	PG_CATCH();
	{
		*reason = ph_caught_data_error(oldcxt);
		result = NULL;
	}
	PG_END_TRY();
	return result;
}

/*
 * planhat_server_text
 *		Text from Planhat in the server encoding, or NULL with *reason.
 *
 * Every string from Planhat that becomes (part of) a Datum or a name goes
 * through here: string values, jsonb keys, JSON text, the fallback input
 * functions' input, custom field names.  s is UTF-8 as the JSON parser
 * passed it on, not yet verified.  Refused: a NUL byte (from \u0000), which
 * no text type can hold; anything that is not valid UTF-8 (overlong forms,
 * surrogates raw or from a lone \u escape, code points above U+10FFFF,
 * stray bytes), which a UTF8 database would store but a restore of its
 * dump would refuse; in a database of another encoding, a character it
 * lacks.  *reason is then a clause: "the string contains \u0000, which type
 * text cannot hold" (the type part only with a typname), "an object key is
 * not valid UTF-8: 0xc0 0xaf is an overlong encoding of U+002F", or
 * PostgreSQL's message about the character (prefixed with "its name cannot
 * be stored in this database: " for a name).
 *
 * Returns s itself when nothing changes, else a palloc'd copy; *len is
 * updated.  Numbers and booleans are ASCII by construction and need not
 * come here.
 */
const char *
planhat_server_text(const char *s, int *len, PlanhatTextKind kind,
					const char *typname, char **reason)
{
	int			valid = pg_encoding_verifymbstr(PG_UTF8, s, *len);
	char	   *c;

	if (valid < *len)
	{
		*reason = ph_utf8_reason(s + valid, *len - valid, kind, typname);
		return NULL;
	}
	if (!ph_need_conversion())
		return s;
	c = ph_utf8_to_server(s, *len, reason);
	if (c == NULL)
	{
		if (kind == PH_TEXT_NAME)
			*reason = psprintf("its name cannot be stored in this database: %s",
							   *reason);
		return NULL;
	}
	if (c != s)
		*len = strlen(c);
	return c;
}

/* planhat_server_text for a value of column type t: refused with HV004 */
static const char *
conv_server_text(ConvState *st, ConvType *t, struct json_object *v,
				 const char *s, int *len, PlanhatTextKind kind)
{
	char	   *reason = NULL;
	const char *result = planhat_server_text(s, len, kind, t->typname, &reason);

	if (result == NULL)
	{
		st->value = v;
		conv_error_reason(st, reason);
	}
	return result;
}

/* The compact JSON text of v in the server encoding; *len set */
static const char *
conv_json_text(ConvState *st, ConvType *t, struct json_object *v, int *len)
{
	StringInfoData buf;

	initStringInfo(&buf);
	(void) jp_serialize(v, sink_stringinfo, &buf);
	*len = buf.len;
	return conv_server_text(st, t, v, buf.data, len, PH_TEXT_JSON);
}

/*
 * The text form of any JSON value, as text-like columns and the fallback
 * input functions read it, in the server encoding: a string is its
 * contents, a number its exact JSON text, a boolean "true" or "false", an
 * object or array its compact JSON text.  Not NUL-terminated; *len set.
 */
static const char *
conv_text_value(ConvState *st, ConvType *t, struct json_object *v, int *len)
{
	switch (jp_kind(v))
	{
		case JP_KIND_STRING:
			{
				const char *s;
				size_t		l;

				(void) jp_string(v, &s, &l);
				*len = (int) l;
				return conv_server_text(st, t, v, s, len, PH_TEXT_STRING);
			}
		case JP_KIND_BOOL:
			{
				bool		b;

				(void) jp_bool(v, &b);
				*len = b ? 4 : 5;
				return b ? "true" : "false";
			}
		case JP_KIND_NUMBER:
			{
				JpNumber	num;
				JpStatus	status = jp_number(v, &num);

				if (status != JP_OK)
					conv_error(st, t, v, status);
				*len = (int) num.len;
				/* the text of an integer lives in num, on our stack */
				return num.form == JP_NUM_INT64 ? pnstrdup(num.text, num.len) : num.text;
			}
		case JP_KIND_ARRAY:
		case JP_KIND_OBJECT:
		case JP_KIND_NULL:
			break;
	}
	return conv_json_text(st, t, v, len);
}

/* text, varchar: the text form */
static Datum
conv_text(ConvState *st, ConvType *t, struct json_object *v)
{
	int			len;
	const char *s = conv_text_value(st, t, v, &len);

	return PointerGetDatum(cstring_to_text_with_len(s, len));
}

/*
 * varchar(n): the text form under varchar_input()'s rule (too long is an
 * error unless the excess is spaces, which are cut), HV004 instead of 22001
 */
static Datum
conv_varchar(ConvState *st, ConvType *t, struct json_object *v)
{
	int			len;
	const char *s = conv_text_value(st, t, v, &len);

	if (len > t->maxlen)
	{
		int			cut = pg_mbcharcliplen(s, len, t->maxlen);
		int			j;

		for (j = cut; j < len; j++)
		{
			if (s[j] != ' ')
			{
				st->value = v;
				conv_error_reason(st, psprintf("value too long for type %s",
											   t->typname));
			}
		}
		len = cut;
	}
	return PointerGetDatum(cstring_to_text_with_len(s, len));
}

/* Fallback (char(n), name, ...): the type's input function on the text form */
static Datum
conv_input(ConvState *st, ConvType *t, struct json_object *v)
{
	int			len;
	const char *s = conv_text_value(st, t, v, &len);
	char	   *cstr = pnstrdup(s, len);
	Datum		result = (Datum) 0;
	MemoryContext oldcxt = CurrentMemoryContext;

	st->value = v;
	PG_TRY();
	{
		result = InputFunctionCall(&t->infunc, cstr, t->ioparam, t->typmod);
	}
	PG_CATCH();
	{
		conv_error_reason(st, ph_caught_data_error(oldcxt));
	}
	PG_END_TRY();
	return result;
}

/* smallint, integer, bigint: a number whose exact value is whole and fits */
static Datum
conv_int(ConvState *st, ConvType *t, struct json_object *v)
{
	int64_t		i;

	if (!jp_exact_int64(v, &i))
	{
		JpNumber	num;
		JpStatus	status = jp_number(v, &num);

		if (status == JP_OK)
			status = jp_number_int64(&num, &i);
		if (status != JP_OK)
			conv_error(st, t, v, status);
	}
	if (t->kind == CK_INT2)
	{
		if (i < PG_INT16_MIN || i > PG_INT16_MAX)
			conv_error(st, t, v, JP_OUT_OF_RANGE);
		return Int16GetDatum((int16) i);
	}
	if (t->kind == CK_INT4)
	{
		if (i < PG_INT32_MIN || i > PG_INT32_MAX)
			conv_error(st, t, v, JP_OUT_OF_RANGE);
		return Int32GetDatum((int32) i);
	}
	return Int64GetDatum((int64) i);
}

/*
 * A number as an exact Numeric (no typmod): an int64 integer through
 * int64_to_numeric, anything else through numeric_in on the token's own text
 */
static Numeric
conv_number_numeric(ConvState *st, ConvType *t, struct json_object *v)
{
	JpNumber	num;
	JpStatus	status;
	int64_t		i;

	if (jp_exact_int64(v, &i))
		return int64_to_numeric(i);
	status = jp_number(v, &num);
	if (status != JP_OK)
		conv_error(st, t, v, status);
	if (num.form == JP_NUM_INT64)
		return int64_to_numeric(num.i64);
	if (!jp_number_fits_numeric(&num))
		conv_error(st, t, v, JP_OUT_OF_RANGE);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(num.text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* numeric: exact, then numeric(p,s) rounds; its overflow is HV004 */
static Datum
conv_numeric(ConvState *st, ConvType *t, struct json_object *v)
{
	Datum		result = NumericGetDatum(conv_number_numeric(st, t, v));
	MemoryContext oldcxt = CurrentMemoryContext;

	if (t->typmod < 0)
		return result;
	PG_TRY();
	{
		result = DirectFunctionCall2(numeric, result, Int32GetDatum(t->typmod));
	}
	PG_CATCH();
	{
		char	   *reason = ph_caught_data_error(oldcxt);

		st->value = v;
		conv_error_reason(st, reason);
	}
	PG_END_TRY();
	return result;
}

/* real, double precision: one rounding of the number's text */
static Datum
conv_float(ConvState *st, ConvType *t, struct json_object *v)
{
	JpNumber	num;
	JpStatus	status = jp_number(v, &num);
	float		f;
	double		d;

	if (status != JP_OK)
		conv_error(st, t, v, status);
	if (t->kind == CK_FLOAT4)
	{
		status = jp_number_float(&num, &f);
		if (status != JP_OK)
			conv_error(st, t, v, status);
		return Float4GetDatum(f);
	}
	status = jp_number_double(&num, &d);
	if (status != JP_OK)
		conv_error(st, t, v, status);
	return Float8GetDatum(d);
}

/* boolean: a JSON boolean only */
static Datum
conv_bool(ConvState *st, ConvType *t, struct json_object *v)
{
	bool		b;
	JpStatus	status = jp_bool(v, &b);

	if (status != JP_OK)
		conv_error(st, t, v, status);
	return BoolGetDatum(b);
}

/* date: an ISO string (its UTC date) or a whole day number */
static Datum
conv_date(ConvState *st, ConvType *t, struct json_object *v)
{
	int64_t		day;
	int64		pgday;
	JpStatus	status = jp_day(v, &day);

	if (status != JP_OK)
		conv_error(st, t, v, status);
	pgday = (int64) day - PH_EPOCH_SHIFT_DAYS;
	if (!IS_VALID_DATE(pgday))
		conv_error(st, t, v, JP_OUT_OF_RANGE);
	return DateADTGetDatum((DateADT) pgday);
}

/* timestamp, timestamptz: an ISO string; timestamp(p) rounds */
static Datum
conv_timestamp(ConvState *st, ConvType *t, struct json_object *v)
{
	int64_t		us;
	Timestamp	ts;
	JpStatus	status = jp_timestamp(v, &us);

	if (status != JP_OK)
		conv_error(st, t, v, status);
	ts = (Timestamp) us - PH_EPOCH_SHIFT_USECS;
	if (!IS_VALID_TIMESTAMP(ts))
		conv_error(st, t, v, JP_OUT_OF_RANGE);
	if (t->typmod >= 0 &&
		(!ph_timestamp_round_typmod(&ts, t->typmod) || !IS_VALID_TIMESTAMP(ts)))
		conv_error(st, t, v, JP_OUT_OF_RANGE);
	return t->kind == CK_TIMESTAMP ? TimestampGetDatum(ts) :
		TimestampTzGetDatum(ts);
}

/* uuid: a string in a form uuid_in accepts */
static Datum
conv_uuid(ConvState *st, ConvType *t, struct json_object *v)
{
	const char *s;
	size_t		len;
	pg_uuid_t  *uuid;
	JpStatus	status = jp_string(v, &s, &len);

	if (status != JP_OK)
		conv_error(st, t, v, status);
	uuid = palloc(sizeof(pg_uuid_t));
	status = jp_parse_uuid(s, len, uuid->data);
	if (status != JP_OK)
		conv_error(st, t, v, status);
	return UUIDPGetDatum(uuid);
}

/* json: the compact JSON text of any value */
static Datum
conv_json(ConvState *st, ConvType *t, struct json_object *v)
{
	int			len;
	const char *s = conv_json_text(st, t, v, &len);

	return PointerGetDatum(cstring_to_text_with_len(s, len));
}

/* Fill a scalar JsonbValue from a JSON scalar */
static void
conv_jsonb_scalar(ConvState *st, ConvType *t, struct json_object *v,
				  JsonbValue *jv)
{
	switch (jp_kind(v))
	{
		case JP_KIND_NULL:
			jv->type = jbvNull;
			break;
		case JP_KIND_BOOL:
			{
				bool		b;

				(void) jp_bool(v, &b);
				jv->type = jbvBool;
				jv->val.boolean = b;
			}
			break;
		case JP_KIND_NUMBER:
			jv->type = jbvNumeric;
			jv->val.numeric = conv_number_numeric(st, t, v);
			break;
		case JP_KIND_STRING:
			{
				const char *s;
				size_t		l;
				int			len;

				(void) jp_string(v, &s, &l);
				len = (int) l;
				s = conv_server_text(st, t, v, s, &len, PH_TEXT_STRING);
				jv->type = jbvString;
				jv->val.string.val = (char *) s;
				jv->val.string.len = len;
			}
			break;
		default:
			elog(ERROR, "unexpected JSON container");
	}
}

/* One key of an object being pushed into a jsonb */
typedef struct PhKeyValue
{
	const char *key;			/* in the server encoding */
	int			len;
	struct json_object *value;
} PhKeyValue;

/* jsonb's key order: shorter keys first, then bytewise (uniqueifyJsonbObject) */
static inline int
ph_key_cmp(const PhKeyValue *a, const PhKeyValue *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->key, b->key, a->len);
}

#define ST_SORT ph_sort_keys
#define ST_ELEMENT_TYPE PhKeyValue
#define ST_COMPARE(a, b) ph_key_cmp(a, b)
#define ST_SCOPE static
#define ST_DECLARE
#define ST_DEFINE
#include "lib/sort_template.h"

/* keys of an object pushed from a stack array; larger objects palloc */
#define PH_STACK_KEYS	32

/*
 * Push v (any JSON value) into a jsonb under construction.  Returns what
 * the last pushJsonbValue returned: for the outermost container, the
 * finished JsonbValue tree.
 *
 * With 'sorted', an object's keys are pushed in jsonb's own order.
 * pushJsonbValue sorts them anyway at the end of the object (qsort_arg
 * through a comparison function: a tenth of a whole scan's time in a
 * profile of SELECT * on companies); keys already in order make that an
 * O(n) check, and sorting them here uses an inlined comparison.  json-c
 * objects have no duplicate keys, so the order of pushing cannot change
 * which value a key keeps.  It does change which bad value is met first:
 * see conv_jsonb.
 */
static JsonbValue *
conv_jsonb_push(ConvState *st, ConvType *t, JsonbParseState **ps,
				struct json_object *v, JsonbIteratorToken tok, bool sorted)
{
	JpKind		kind = jp_kind(v);

	check_stack_depth();
	if (kind == JP_KIND_OBJECT)
	{
		JpObjectIter it;
		const char *key;
		struct json_object *val;
		size_t		n = jp_object_length(v);
		PhKeyValue	stack_keys[PH_STACK_KEYS];
		PhKeyValue *keys = n <= PH_STACK_KEYS ? stack_keys :
			palloc(n * sizeof(PhKeyValue));
		size_t		i = 0;

		jp_object_iter_init(v, &it);
		while (i < n && jp_object_iter_next(&it, &key, &val))
		{
			keys[i].len = (int) strlen(key);
			keys[i].key = conv_server_text(st, t, v, key, &keys[i].len,
										   PH_TEXT_KEY);
			keys[i].value = val;
			i++;
		}
		n = i;
		if (sorted && n > 1)
			ph_sort_keys(keys, n);

		(void) pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
		for (i = 0; i < n; i++)
		{
			JsonbValue	k;

			k.type = jbvString;
			k.val.string.val = (char *) keys[i].key;
			k.val.string.len = keys[i].len;
			(void) pushJsonbValue(ps, WJB_KEY, &k);
			(void) conv_jsonb_push(st, t, ps, keys[i].value, WJB_VALUE, sorted);
		}
		if (keys != stack_keys)
			pfree(keys);
		return pushJsonbValue(ps, WJB_END_OBJECT, NULL);
	}
	else if (kind == JP_KIND_ARRAY)
	{
		size_t		n = jp_array_length(v);
		size_t		i;

		(void) pushJsonbValue(ps, WJB_BEGIN_ARRAY, NULL);
		for (i = 0; i < n; i++)
			(void) conv_jsonb_push(st, t, ps, jp_array_get(v, i), WJB_ELEM, sorted);
		return pushJsonbValue(ps, WJB_END_ARRAY, NULL);
	}
	else
	{
		JsonbValue	jv;

		conv_jsonb_scalar(st, t, v, &jv);
		return pushJsonbValue(ps, tok, &jv);
	}
}

static Datum
conv_jsonb(ConvState *st, ConvType *t, struct json_object *v)
{
	JpKind		kind = jp_kind(v);

	if (kind == JP_KIND_OBJECT || kind == JP_KIND_ARRAY)
	{
		MemoryContext oldcxt = CurrentMemoryContext;
		Datum		result = (Datum) 0;

		/*
		 * Keys go in sorted (see conv_jsonb_push).  Should a value fail, the
		 * error must be about the first bad value in document order, as
		 * everywhere else: convert again in document order, which raises
		 * that one.
		 */
		PG_TRY();
		{
			JsonbParseState *ps = NULL;

			result = JsonbPGetDatum(JsonbValueToJsonb(conv_jsonb_push(st, t, &ps, v,
																	   WJB_VALUE, true)));
		}
		PG_CATCH();
		{
			ErrorData  *edata;
			JsonbParseState *ps = NULL;

			MemoryContextSwitchTo(oldcxt);
			edata = CopyErrorData();
			FlushErrorState();
			(void) conv_jsonb_push(st, t, &ps, v, WJB_VALUE, false);
			/* the same values succeeded in document order: not expected */
			ReThrowError(edata);
		}
		PG_END_TRY();
		return result;
	}
	else
	{
		JsonbValue	jv;

		conv_jsonb_scalar(st, t, v, &jv);
		return JsonbPGetDatum(JsonbValueToJsonb(&jv));
	}
}

static Datum
conv_array(ConvState *st, ConvType *t, struct json_object *v)
{
	size_t		n;
	size_t		i;
	Datum	   *elems;
	bool	   *enulls;
	int			dims[1];
	int			lbs[1];

	if (jp_kind(v) != JP_KIND_ARRAY)
		conv_error(st, t, v, JP_WRONG_KIND);
	n = jp_array_length(v);
	if (n == 0)
		return PointerGetDatum(construct_empty_array(t->elem->typid));
	if (n > (size_t) MaxArraySize)
		conv_error(st, t, v, JP_OUT_OF_RANGE);

	elems = palloc(n * sizeof(Datum));
	enulls = palloc(n * sizeof(bool));
	for (i = 0; i < n; i++)
	{
		struct json_object *e = jp_array_get(v, i);

		st->elem = (int) i + 1;
		if (t->elem_scalar_only)
		{
			JpKind		k = jp_kind(e);

			if (k == JP_KIND_OBJECT || k == JP_KIND_ARRAY)
			{
				st->value = e;
				conv_error_reason(st, psprintf("%s cannot be an element of type %s, which takes strings, numbers or booleans",
											   jp_kind_name(k), t->typname));
			}
		}
		elems[i] = conv_value(st, t->elem, e, &enulls[i]);
	}
	st->elem = 0;
	dims[0] = (int) n;
	lbs[0] = 1;
	return PointerGetDatum(construct_md_array(elems, enulls, 1, dims, lbs,
											  t->elem->typid, t->elmlen,
											  t->elmbyval, t->elmalign));
}

/* A domain: the base type's conversion, then the domain's constraints */
static Datum
conv_domain(ConvState *st, ConvType *t, struct json_object *v, bool *isnull)
{
	Datum		d = conv_value(st, t->base, v, isnull);

	st->value = v;
	domain_check(d, *isnull, t->typid, &t->domain_extra, t->mcxt);
	return d;
}

/*
 * Convert one JSON value (NULL pointer: JSON null or absent) to a Datum of
 * type t in CurrentMemoryContext.  One case per row of the type table in
 * notes/convert.md, in its order.
 */
static Datum
conv_value(ConvState *st, ConvType *t, struct json_object *v, bool *isnull)
{
	st->value = v;
	if (v == NULL)
	{
		*isnull = true;
		if (t->kind == CK_DOMAIN)
			domain_check((Datum) 0, true, t->typid, &t->domain_extra, t->mcxt);
		return (Datum) 0;
	}
	*isnull = false;

	switch (t->kind)
	{
		case CK_TEXT:
			return conv_text(st, t, v);
		case CK_VARCHAR:
			return conv_varchar(st, t, v);
		case CK_INPUT:
			return conv_input(st, t, v);
		case CK_INT2:
		case CK_INT4:
		case CK_INT8:
			return conv_int(st, t, v);
		case CK_NUMERIC:
			return conv_numeric(st, t, v);
		case CK_FLOAT4:
		case CK_FLOAT8:
			return conv_float(st, t, v);
		case CK_BOOL:
			return conv_bool(st, t, v);
		case CK_DATE:
			return conv_date(st, t, v);
		case CK_TIMESTAMPTZ:
		case CK_TIMESTAMP:
			return conv_timestamp(st, t, v);
		case CK_UUID:
			return conv_uuid(st, t, v);
		case CK_JSON:
			return conv_json(st, t, v);
		case CK_JSONB:
			return conv_jsonb(st, t, v);
		case CK_ARRAY:
			return conv_array(st, t, v);
		case CK_DOMAIN:
			return conv_domain(st, t, v, isnull);
	}
	elog(ERROR, "unexpected conversion kind %d", (int) t->kind);
	return (Datum) 0;			/* keep compiler quiet */
}

/* ----------------------------------------------------------------
 *		pages
 * ----------------------------------------------------------------
 */

static void
ph_page_free(void *arg)
{
	PlanhatPage *page = (PlanhatPage *) arg;

	if (page->root != NULL)
	{
		jp_free(page->root);
		page->root = NULL;
	}
	if (page->row != NULL)
	{
		jp_free(page->row);
		page->row = NULL;
	}
	if (page->reading)
	{
		jp_array_close(&page->reader);
		page->reading = false;
	}
}

/*
 * An answer that should be one Planhat object (a write's answer, a lookup
 * by key) but is an error: no "_id", and one of the keys error bodies use.
 * Planhat answers with an object or a string that holds either the created
 * or updated object or an explanation of the error (docs/planhat-api.md
 * §3.1), not always with an error status; read as an object, an error
 * would become a row of NULLs.  planhat_report_error_answer (answer.c)
 * reports it with Planhat's message.
 */
static bool
ph_is_error_object(struct json_object *root)
{
	static const char *const error_keys[] = {"error", "errors", "message", "msg", NULL};
	struct json_object *v;
	int			k;

	if (jp_get_ex(root, "_id", &v))
		return false;
	for (k = 0; error_keys[k] != NULL; k++)
		if (jp_get_ex(root, error_keys[k], &v))
			return true;
	return false;
}

PlanhatPage *
planhat_parse_page(const char *body, size_t len, bool as_object,
				   const char *relname, const char *what, MemoryContext cxt)
{
	PlanhatPage *page;
	JpParseError err;
	struct json_object *root;

	/* allocate first, so that no palloc can fail while the tree is unowned */
	page = MemoryContextAllocZero(cxt, sizeof(PlanhatPage));
	page->relname = relname ? MemoryContextStrdup(cxt, relname) : NULL;
	page->what = what ? MemoryContextStrdup(cxt, what) : NULL;
	page->as_object = as_object;
	page->body = body;
	page->len = len;

	if (!as_object && jp_array_open(&page->reader, body, len))
	{
		size_t		n = jp_array_count(body, len);

		/* a JSON array: read it element by element */
		page->reading = true;
		page->cb.func = ph_page_free;
		page->cb.arg = page;
		MemoryContextRegisterResetCallback(cxt, &page->cb);
		if (n > (size_t) INT_MAX)
			planhat_report_shape_error(relname, what, jp_kind_name(JP_KIND_ARRAY),
									   "at most 2^31 rows");
		page->nrows = (int) n;
		if (n == 0)
			ph_page_check_end(page);
		return page;
	}

	/* anything else is parsed whole: an object, or an error to report */
	if (!jp_parse(body, len, &root, &err))
		planhat_report_parse_error(relname, what, err.message, err.offset);

	page->root = root;
	page->cb.func = ph_page_free;
	page->cb.arg = page;
	MemoryContextRegisterResetCallback(cxt, &page->cb);

	if (as_object)
	{
		if (jp_kind(root) != JP_KIND_OBJECT)
			planhat_report_shape_error(relname, what, jp_kind_name(jp_kind(root)),
									   "a JSON object");
		if (ph_is_error_object(root))
			planhat_report_error_answer(relname, what, body, len);
		page->nrows = 1;
	}
	else
	{
		size_t		n;
		size_t		i;

		if (jp_kind(root) != JP_KIND_ARRAY)
			planhat_report_shape_error(relname, what, jp_kind_name(jp_kind(root)),
									   "a JSON array");
		n = jp_array_length(root);
		if (n > (size_t) INT_MAX)
			planhat_report_shape_error(relname, what, jp_kind_name(JP_KIND_ARRAY),
									   "at most 2^31 rows");
		for (i = 0; i < n; i++)
		{
			struct json_object *e = jp_array_get(root, i);

			if (jp_kind(e) != JP_KIND_OBJECT)
			{
				char	   *expected = psprintf("an array of objects (element %zu is %s)",
												i + 1, jp_kind_name(jp_kind(e)));

				planhat_report_shape_error(relname, what,
										   jp_kind_name(JP_KIND_ARRAY), expected);
			}
		}
		page->nrows = (int) n;
	}
	return page;
}

int
planhat_page_nrows(PlanhatPage *page)
{
	return page ? page->nrows : 0;
}

/*
 * An element of a list page is not an object.  Report what reading the
 * whole page at once would have reported: a syntax error anywhere in the
 * body comes first, otherwise the first element that is not an object
 * (this one: the elements before it were objects).
 */
pg_noreturn static void
ph_report_element_error(PlanhatPage *page, int i, JpKind kind);

static void
ph_report_element_error(PlanhatPage *page, int i, JpKind kind)
{
	struct json_object *root;
	JpParseError err;

	if (!jp_parse(page->body, page->len, &root, &err))
		planhat_report_parse_error(page->relname, page->what,
								   err.message, err.offset);
	jp_free(root);
	planhat_report_shape_error(page->relname, page->what,
							   jp_kind_name(JP_KIND_ARRAY),
							   psprintf("an array of objects (element %d is %s)",
										i + 1, jp_kind_name(kind)));
}

/* After the last element: only "]" and whitespace may follow */
static void
ph_page_check_end(PlanhatPage *page)
{
	struct json_object *extra;
	JpParseError err;

	switch (jp_array_next(&page->reader, &extra, &err))
	{
		case JP_ARRAY_END:
			break;
		case JP_ARRAY_ERROR:
			planhat_report_parse_error(page->relname, page->what,
									   err.message, err.offset);
			break;
		case JP_ARRAY_ELEMENT:
			/* jp_array_count is exact for valid JSON: cannot happen */
			jp_free(extra);
			elog(ERROR, "planhat_fdw: list page has more than %d rows", page->nrows);
	}
}

/*
 * Row i.  Rows of a list page are read in order, each exactly once: row i
 * replaces row i - 1, whose tree is freed.
 */
static struct json_object *
ph_page_get_row(PlanhatPage *page, int i)
{
	JpParseError err;
	JpKind		kind;

	if (page == NULL || i < 0 || i >= page->nrows)
		elog(ERROR, "planhat_fdw: row %d out of range", i);
	if (page->root != NULL)
		return page->as_object ? page->root : jp_array_get(page->root, (size_t) i);
	if (i != page->next)
		elog(ERROR, "planhat_fdw: row %d of a list page read out of order (next is %d)",
			 i, page->next);

	if (page->row != NULL)
	{
		jp_free(page->row);
		page->row = NULL;
	}
	switch (jp_array_next(&page->reader, &page->row, &err))
	{
		case JP_ARRAY_ELEMENT:
			break;
		case JP_ARRAY_ERROR:
			planhat_report_parse_error(page->relname, page->what,
									   err.message, err.offset);
			break;
		case JP_ARRAY_END:
			/* jp_array_count is exact for valid JSON: cannot happen */
			elog(ERROR, "planhat_fdw: list page ended after %d of %d rows", i, page->nrows);
	}
	page->next++;
	kind = jp_kind(page->row);
	if (kind != JP_KIND_OBJECT)
		ph_report_element_error(page, i, kind);
	if (page->next == page->nrows)
		ph_page_check_end(page);
	return page->row;
}

/* Look up key (and subkey inside it); false when absent */
static inline bool
ph_lookup(struct json_object *row, const char *key, const char *subkey,
		  struct json_object **value)
{
	struct json_object *parent;

	if (subkey == NULL)
		return jp_get_ex(row, key, value);
	*value = NULL;
	if (!jp_get_ex(row, key, &parent))
		return false;
	return jp_get_ex(parent, subkey, value);
}

void
planhat_page_row(PlanhatPage *page, int i, PlanhatColumnMap *map,
				 Datum *values, bool *nulls)
{
	struct json_object *row = ph_page_get_row(page, i);
	ConvState	st;
	ErrorContextCallback errcb;
	int			c;

	st.relname = map->relname ? map->relname : page->relname;
	st.col = NULL;
	st.row = row;
	st.value = NULL;
	st.elem = 0;
	st.own_error = false;
	errcb.callback = conv_error_callback;
	errcb.arg = &st;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	for (c = 0; c < map->ncolumns; c++)
	{
		PlanhatColumn *col = &map->columns[c];
		ConvColumn *cc = (ConvColumn *) col->conv;
		struct json_object *v;
		int			a = col->attnum - 1;

		if (cc == NULL)
			elog(ERROR, "planhat_fdw: column map without conversion state");
		st.col = col;
		if (col->is_attrs)
			v = row;
		else if (!ph_lookup(row, cc->key, cc->subkey, &v) && cc->alt_key != NULL)
			(void) ph_lookup(row, cc->alt_key, cc->alt_subkey, &v);
		values[a] = conv_value(&st, cc->type, v, &nulls[a]);
	}

	error_context_stack = errcb.previous;
}

char *
planhat_page_row_id(PlanhatPage *page, int i)
{
	struct json_object *row;
	struct json_object *id;
	const char *s;
	size_t		len;

	/* a list page read element by element has only its current row */
	if (page != NULL && page->root == NULL && i == page->next - 1 && i >= 0)
		row = page->row;
	else
		row = ph_page_get_row(page, i);
	id = jp_get(row, "_id");

	switch (jp_kind(id))
	{
		case JP_KIND_STRING:
			(void) jp_string(id, &s, &len);
			if (pg_encoding_verifymbstr(PG_UTF8, s, (int) len) != (int) len)
			{
				/*
				 * It goes into messages, which must stay valid text (and a
				 * NUL would cut it short): its bytes in hex, still one id
				 * per distinct _id.
				 */
				StringInfoData buf;
				size_t		k;

				initStringInfo(&buf);
				appendStringInfoString(&buf, "(not UTF-8: 0x");
				for (k = 0; k < len; k++)
					appendStringInfo(&buf, "%02x", (unsigned char) s[k]);
				appendStringInfoChar(&buf, ')');
				return buf.data;
			}
			return pnstrdup(s, len);
		case JP_KIND_NUMBER:
			{
				JpNumber	num;

				if (jp_number(id, &num) == JP_OK)
					return pnstrdup(num.text, num.len);
				return NULL;
			}
		default:
			return NULL;
	}
}

/* ----------------------------------------------------------------
 *		writing: Datum -> JSON
 * ----------------------------------------------------------------
 */

pg_noreturn static void
write_error(PlanhatColumnMap *map, PlanhatColumn *col, const char *detail);

static void
write_error(PlanhatColumnMap *map, PlanhatColumn *col, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
			 errmsg("could not convert column \"%s\" of foreign table %s to JSON",
					col->attname, map->relname ? map->relname : "?"),
			 errdetail("%s", detail)));
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" for microseconds since 1970 */
static bool
write_iso(StringInfo out, int64 epoch_us)
{
	int64		ms = epoch_us / 1000;
	int64		days;
	int64		msofday;
	int64		y;
	int			m;
	int			d;

	if (epoch_us % 1000 < 0)
		ms--;					/* floor: truncate toward the past */
	days = ms / 86400000;
	msofday = ms % 86400000;
	if (msofday < 0)
	{
		days--;
		msofday += 86400000;
	}
	jp_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return false;
	appendStringInfo(out, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
					 (int) y, m, d,
					 (int) (msofday / 3600000), (int) (msofday / 60000 % 60),
					 (int) (msofday / 1000 % 60), (int) (msofday % 1000));
	return true;
}

static void write_value(StringInfo out, PlanhatColumnMap *map,
						PlanhatColumn *col, ConvType *t, Datum d, bool isnull);

/* real, double precision: the shortest exact text; NaN and infinities refused */
static void
write_float(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
			ConvType *t, Datum d)
{
	char		buf[32];
	double		v = t->kind == CK_FLOAT4 ?
		(double) DatumGetFloat4(d) : DatumGetFloat8(d);

	if (isnan(v) || isinf(v))
		write_error(map, col, psprintf("JSON has no representation for %s value %s.",
									   t->typname,
									   isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity")));
	if (t->kind == CK_FLOAT4)
		float_to_shortest_decimal_buf(DatumGetFloat4(d), buf);
	else
		double_to_shortest_decimal_buf(DatumGetFloat8(d), buf);
	appendStringInfoString(out, buf);
}

/* numeric: every digit, scale kept; NaN and infinities refused */
static void
write_numeric(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
			  Datum d)
{
	Numeric		n = DatumGetNumeric(d);

	if (numeric_is_nan(n) || numeric_is_inf(n))
		write_error(map, col, psprintf("JSON has no representation for numeric value %s.",
									   numeric_normalize(n)));
	appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(numeric_out, d)));
}

/* date: a day number on a day-number field, else midnight UTC in ISO form */
static void
write_date(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col, Datum d)
{
	DateADT		date = DatumGetDateADT(d);
	int64		day;

	if (DATE_NOT_FINITE(date))
		write_error(map, col, "JSON has no representation for an infinite date.");
	day = (int64) date + PH_EPOCH_SHIFT_DAYS;
	if (col->day_number)
		appendStringInfo(out, INT64_FORMAT, day);
	else if (!write_iso(out, day * USECS_PER_DAY))
		write_error(map, col, "Planhat dates must lie between the years 0 and 9999.");
}

/* timestamp, timestamptz: ISO form, UTC, milliseconds */
static void
write_timestamp(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
				Datum d)
{
	Timestamp	ts = DatumGetTimestamp(d);

	if (TIMESTAMP_NOT_FINITE(ts))
		write_error(map, col, "JSON has no representation for an infinite timestamp.");
	if (!write_iso(out, (int64) ts + PH_EPOCH_SHIFT_USECS))
		write_error(map, col, "Planhat timestamps must lie between the years 0 and 9999.");
}

static void
write_array_level(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
				  ConvType *t, int ndim, int *dims, int level,
				  Datum *elems, bool *enulls, int *pos)
{
	int			i;

	appendStringInfoChar(out, '[');
	for (i = 0; i < dims[level]; i++)
	{
		if (i > 0)
			appendStringInfoChar(out, ',');
		if (level == ndim - 1)
		{
			write_value(out, map, col, t->elem, elems[*pos], enulls[*pos]);
			(*pos)++;
		}
		else
			write_array_level(out, map, col, t, ndim, dims, level + 1,
							  elems, enulls, pos);
	}
	appendStringInfoChar(out, ']');
}

/* arrays: nested JSON arrays of the elements; NULL elements are null */
static void
write_array(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
			ConvType *t, Datum d)
{
	ArrayType  *arr = DatumGetArrayTypeP(d);
	int			ndim = ARR_NDIM(arr);
	Datum	   *elems;
	bool	   *enulls;
	int			nelems;
	int			pos = 0;

	if (ndim == 0)
	{
		appendStringInfoString(out, "[]");
		return;
	}
	deconstruct_array(arr, t->elem->typid, t->elmlen, t->elmbyval,
					  t->elmalign, &elems, &enulls, &nelems);
	write_array_level(out, map, col, t, ndim, ARR_DIMS(arr), 0,
					  elems, enulls, &pos);
}

/* s as a JSON string */
static void
write_string(StringInfo out, const char *s, size_t len)
{
	(void) jp_write_string(s, len, sink_stringinfo, out);
}

/* text, varchar: a JSON string */
static void
write_text(StringInfo out, Datum d)
{
	text	   *txt = DatumGetTextPP(d);

	write_string(out, VARDATA_ANY(txt), VARSIZE_ANY_EXHDR(txt));
}

/* json: embedded as it is */
static void
write_json(StringInfo out, Datum d)
{
	text	   *txt = DatumGetTextPP(d);

	appendBinaryStringInfo(out, VARDATA_ANY(txt), VARSIZE_ANY_EXHDR(txt));
}

/* jsonb: its text (numbers exact) */
static void
write_jsonb(StringInfo out, Datum d)
{
	Jsonb	   *jb = DatumGetJsonbP(d);

	(void) JsonbToCString(out, &jb->root, VARSIZE(jb));
}

/* the fallback: the type's output function, as a JSON string */
static void
write_output(StringInfo out, ConvType *t, Datum d)
{
	char	   *s = OutputFunctionCall(&t->outfunc, d);

	write_string(out, s, strlen(s));
}

/*
 * Append the JSON of one value of type t.  One case per row of the write
 * table in notes/convert.md.
 */
static void
write_value(StringInfo out, PlanhatColumnMap *map, PlanhatColumn *col,
			ConvType *t, Datum d, bool isnull)
{
	if (isnull)
	{
		appendStringInfoString(out, "null");
		return;
	}
	switch (t->kind)
	{
		case CK_TEXT:
		case CK_VARCHAR:
			write_text(out, d);
			return;
		case CK_INT2:
			appendStringInfo(out, "%d", (int) DatumGetInt16(d));
			return;
		case CK_INT4:
			appendStringInfo(out, "%d", DatumGetInt32(d));
			return;
		case CK_INT8:
			appendStringInfo(out, INT64_FORMAT, DatumGetInt64(d));
			return;
		case CK_NUMERIC:
			write_numeric(out, map, col, d);
			return;
		case CK_FLOAT4:
		case CK_FLOAT8:
			write_float(out, map, col, t, d);
			return;
		case CK_BOOL:
			appendStringInfoString(out, DatumGetBool(d) ? "true" : "false");
			return;
		case CK_DATE:
			write_date(out, map, col, d);
			return;
		case CK_TIMESTAMPTZ:
		case CK_TIMESTAMP:
			write_timestamp(out, map, col, d);
			return;
		case CK_UUID:
			appendStringInfo(out, "\"%s\"",
							 DatumGetCString(DirectFunctionCall1(uuid_out, d)));
			return;
		case CK_JSON:
			write_json(out, d);
			return;
		case CK_JSONB:
			write_jsonb(out, d);
			return;
		case CK_ARRAY:
			write_array(out, map, col, t, d);
			return;
		case CK_DOMAIN:
			write_value(out, map, col, t->base, d, isnull);
			return;
		case CK_INPUT:
			write_output(out, t, d);
			return;
	}
	elog(ERROR, "unexpected conversion kind %d", (int) t->kind);
}

/*
 * One key of the object being built: a JSON text, or a group of sub-keys
 * (custom.<Name> columns) written as a nested object.
 */
typedef struct OutEntry
{
	char	   *key;
	char	   *json;			/* value text; NULL for a group */
	List	   *children;		/* group: OutEntry * */
} OutEntry;

static OutEntry *
out_find(List *entries, const char *key)
{
	ListCell   *lc;

	foreach(lc, entries)
	{
		OutEntry   *e = (OutEntry *) lfirst(lc);

		if (strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

static OutEntry *
out_add(List **entries, const char *key)
{
	OutEntry   *e = palloc0(sizeof(OutEntry));

	e->key = pstrdup(key);
	*entries = lappend(*entries, e);
	return e;
}

/*
 * The value of a json/jsonb column as a jsonb container (for merging), or
 * NULL when the column has another type.  Text is accepted for attrs only.
 */
static JsonbContainer *
out_container(ConvType *t, Datum d, bool allow_text)
{
	while (t->kind == CK_DOMAIN)
		t = t->base;
	if (t->kind == CK_JSONB)
		return &DatumGetJsonbP(d)->root;
	if (t->kind == CK_JSON ||
		(allow_text && (t->kind == CK_TEXT || t->kind == CK_VARCHAR)))
		return &DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
												   CStringGetDatum(TextDatumGetCString(d))))->root;
	return NULL;
}

/* JSON text of one jsonb value (from an iterator) */
static char *
out_jsonb_value_text(JsonbValue *v)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (v->type == jbvBinary)
		(void) JsonbToCString(&buf, v->val.binary.data, v->val.binary.len);
	else
	{
		Jsonb	   *jb = JsonbValueToJsonb(v);

		(void) JsonbToCString(&buf, &jb->root, VARSIZE(jb));
	}
	return buf.data;
}

/*
 * Merge the pairs of object container jc into entries.  Keys already set
 * are kept (explicit columns win).  When 'deep', an object value for a key
 * that is a group (custom.<Name> columns) merges one level deeper under the
 * same rule.
 */
static void
out_merge(List **entries, JsonbContainer *jc, bool deep)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (!JsonContainerIsObject(jc))
		return;
	it = JsonbIteratorInit(jc);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		else if (tok == WJB_VALUE && key != NULL)
		{
			OutEntry   *e = out_find(*entries, key);

			if (e == NULL)
				out_add(entries, key)->json = out_jsonb_value_text(&v);
			else if (deep && e->json == NULL && v.type == jbvBinary &&
					 JsonContainerIsObject(v.val.binary.data))
				out_merge(&e->children, v.val.binary.data, false);
			key = NULL;
		}
	}
}

static void
out_write(StringInfo out, List *entries)
{
	ListCell   *lc;
	bool		first = true;

	appendStringInfoChar(out, '{');
	foreach(lc, entries)
	{
		OutEntry   *e = (OutEntry *) lfirst(lc);

		if (!first)
			appendStringInfoChar(out, ',');
		first = false;
		write_string(out, e->key, strlen(e->key));
		appendStringInfoChar(out, ':');
		if (e->json != NULL)
			appendStringInfoString(out, e->json);
		else
			out_write(out, e->children);
	}
	appendStringInfoChar(out, '}');
}

/*
 * planhat_build_object
 *		The JSON object (UTF-8 text) for the columns with send[k] true.
 *
 * values/nulls are indexed by attnum - 1 (like planhat_page_row), send by
 * the column's index k in map->columns; send NULL sends every column.
 * Order of keys: columns in map order.  custom.<Name> columns become one
 * "custom" object at the position of the first of them; if a json/jsonb
 * column holds the whole "custom" object as well, its keys are merged in
 * without overriding the custom.<Name> columns (a NULL or non-object
 * "custom" column is dropped in favour of the sub-keys).  The attrs column
 * is merged last: its keys never override keys set by explicit columns,
 * and its "custom" object merges under the same rule.
 */
char *
planhat_build_object(PlanhatColumnMap *map, Datum *values, bool *nulls,
					 bool *send)
{
	List	   *entries = NIL;
	PlanhatColumn *attrs = NULL;
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);

	/* explicit columns */
	for (k = 0; k < map->ncolumns; k++)
	{
		PlanhatColumn *col = &map->columns[k];
		ConvColumn *cc = (ConvColumn *) col->conv;
		int			a = col->attnum - 1;
		OutEntry   *e;

		if (send != NULL && !send[k])
			continue;
		if (cc == NULL)
			elog(ERROR, "planhat_fdw: column map without conversion state");
		if (col->is_attrs)
		{
			attrs = col;
			continue;
		}
		if (cc->key == NULL)
			continue;

		resetStringInfo(&buf);
		write_value(&buf, map, col, cc->type, values[a], nulls[a]);

		e = out_find(entries, cc->key);
		if (cc->subkey != NULL)
		{
			OutEntry   *sub;

			if (e == NULL)
				e = out_add(&entries, cc->key);
			e->json = NULL;		/* the group wins over a plain column */
			sub = out_find(e->children, cc->subkey);
			if (sub == NULL)
				sub = out_add(&e->children, cc->subkey);
			sub->json = pstrdup(buf.data);
		}
		else if (e == NULL)
			out_add(&entries, cc->key)->json = pstrdup(buf.data);
		else if (e->json != NULL)
			e->json = pstrdup(buf.data);	/* same field twice: last wins */
	}

	/* a json/jsonb column holding a whole group's object: merge it */
	for (k = 0; k < map->ncolumns; k++)
	{
		PlanhatColumn *col = &map->columns[k];
		ConvColumn *cc = (ConvColumn *) col->conv;
		int			a = col->attnum - 1;
		OutEntry   *e;
		JsonbContainer *jc;

		if ((send != NULL && !send[k]) || col->is_attrs || cc->key == NULL ||
			cc->subkey != NULL || nulls[a])
			continue;
		e = out_find(entries, cc->key);
		if (e == NULL || e->json != NULL)
			continue;
		jc = out_container(cc->type, values[a], false);
		if (jc != NULL)
			out_merge(&e->children, jc, false);
	}

	/* the attrs column last: explicit columns win over its keys */
	if (attrs != NULL && !nulls[attrs->attnum - 1])
	{
		ConvColumn *cc = (ConvColumn *) attrs->conv;
		JsonbContainer *jc = out_container(cc->type, values[attrs->attnum - 1], true);

		if (jc == NULL || !JsonContainerIsObject(jc))
			write_error(map, attrs, "The attrs column must hold a JSON object.");
		out_merge(&entries, jc, true);
	}

	resetStringInfo(&buf);
	out_write(&buf, entries);

	/* Planhat reads UTF-8 */
	return pg_server_to_any(buf.data, buf.len, PG_UTF8);
}

void
planhat_json_array_begin(StringInfo buf)
{
	appendStringInfoChar(buf, '[');
}

void
planhat_json_array_add(StringInfo buf, const char *object_json)
{
	if (buf->len > 0 && buf->data[buf->len - 1] != '[')
		appendStringInfoChar(buf, ',');
	appendStringInfoString(buf, object_json);
}

void
planhat_json_array_end(StringInfo buf)
{
	appendStringInfoChar(buf, ']');
}
