/*-------------------------------------------------------------------------
 *
 * answer.c
 *		  What Planhat's answers say besides rows: answers that are not what
 *		  the request expects, the counts and item errors of bulk upserts and
 *		  analytics pushes, Planhat's own message in an error body, and the
 *		  custom field definitions.
 *
 * convert.c turns values into Datums; this file reads the protocol around
 * them.  Planhat documents little of it: an answer holds either the object
 * or an explanation of the error, not always with an error status
 * (docs/planhat-api.md §3.1), and the shape of an item error is not
 * documented at all.  So each reader takes every shape that is documented
 * or has been seen, and says what it found when an answer has none of
 * them.  Every JSON tree parsed here is freed in PG_FINALLY.
 *
 * Text from Planhat reaches a message only through jp_message_text() or
 * jp_message_value() (jsonpage.c): cut, with control characters as spaces
 * and anything that is not valid UTF-8 (outside UTF8 databases: anything
 * that is not ASCII) as '?', so that a message can never fail to convert.
 * A custom field's name becomes a column name and goes through
 * planhat_server_text() (convert.c), as values do.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/answer.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "nodes/pg_list.h"

#include "planhat_fdw.h"
#include "jsonpage.h"

/* Planhat messages longer than this are cut (with "...") */
#define PH_MESSAGE_MAX_CHARS	200
/* counts and names in messages longer than this are cut */
#define PH_VALUE_MAX_CHARS		100
/* an item's keys and name in a bulk error line longer than this are cut */
#define PH_ITEM_MAX_CHARS		64

/* ----------------------------------------------------------------
 *		text for messages
 * ----------------------------------------------------------------
 */

/* Planhat text (any bytes) for a message: see jp_message_text */
static char *
ph_text_message(const char *s, size_t len, int max_chars)
{
	char	   *out = palloc(JP_MESSAGE_SIZE(max_chars));

	(void) jp_message_text(s, len, false, max_chars,
						   GetDatabaseEncoding() == PG_UTF8, out);
	return out;
}

/* A JSON value as compact JSON for a message: see jp_message_value */
static char *
ph_json_message(struct json_object *v, int max_chars)
{
	char	   *out = palloc(JP_MESSAGE_SIZE(max_chars));

	(void) jp_message_value(v, max_chars, GetDatabaseEncoding() == PG_UTF8, out);
	return out;
}

/* A message-like value: a string as itself, anything else as compact JSON */
static char *
ph_message_of(struct json_object *v, int max_chars)
{
	const char *s;
	size_t		len;

	if (jp_string(v, &s, &len) == JP_OK)
		return ph_text_message(s, len, max_chars);
	return ph_json_message(v, max_chars);
}

/* ----------------------------------------------------------------
 *		answers that are not what the request expects
 * ----------------------------------------------------------------
 */

/*
 * The table is named in the primary message when there is one (an answer
 * to IMPORT FOREIGN SCHEMA has none); both forms are literal, for
 * translation.
 */
void
planhat_report_parse_error(const char *relname, const char *what,
						   const char *message, size_t offset)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 relname ?
			 errmsg("could not parse the answer of Planhat for foreign table %s",
					relname) :
			 errmsg("could not parse the answer of Planhat"),
			 errdetail("The answer to \"%s\" is not valid JSON: %s at byte %zu.",
					   what ? what : "?", message, offset),
			 errhint("Run the statement again: an answer cut off or mangled on the way is the usual cause.  If it persists, check that the server option url points at the Planhat API.")));
}

void
planhat_report_shape_error(const char *relname, const char *what,
						   const char *got, const char *expected)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 relname ?
			 errmsg("unexpected answer of Planhat for foreign table %s", relname) :
			 errmsg("unexpected answer of Planhat"),
			 errdetail("The answer to \"%s\" is %s, expected %s.",
					   what ? what : "?", got, expected),
			 errhint("Check the table's resource option and the server's url option.")));
}

void
planhat_report_error_answer(const char *relname, const char *what,
							const char *body, size_t len)
{
	char	   *message = planhat_error_message(body, len);

	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 relname ?
			 errmsg("Planhat answered with an error for foreign table %s", relname) :
			 errmsg("Planhat answered with an error"),
			 errdetail("The answer to \"%s\" has a success status but is an error, not a Planhat object: %s",
					   what ? what : "?", message),
			 errhint("Planhat's message says what it refused.  After a write, read the object back to see whether the change took effect.")));
}

/* ----------------------------------------------------------------
 *		bulk upserts and analytics pushes
 * ----------------------------------------------------------------
 */

/*
 * A count of a bulk answer ("created", ...): absent is 0, anything but a
 * whole number from 0 up is an error, since the caller checks that the
 * counts account for every item sent (a -1 could balance an item that was
 * neither created nor updated).
 */
static int64
ph_count(struct json_object *obj, const char *key, bool *found)
{
	struct json_object *v;
	JpNumber	num;
	int64_t		i;

	if (!jp_get_ex(obj, key, &v))
		return 0;
	*found = true;
	if (jp_number(v, &num) != JP_OK || jp_number_int64(&num, &i) != JP_OK ||
		i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("unexpected answer of Planhat to a bulk request"),
				 errdetail("The count \"%s\" is %s, expected a whole number from 0 up.",
						   key, ph_json_message(v, PH_VALUE_MAX_CHARS)),
				 errhint("Check the server's url option: the answer is not shaped as the Planhat API documents it.  Whether the items were stored is unknown; read them back to see.")));
	return (int64) i;
}

/* The keys that identify an item, in the order a line lists them */
static const char *const ph_keyables[] = {
	"_id", "sourceId", "externalId", "email", "extId", "dimensionId", NULL
};

/*
 * "item {<its keyables>}" (or its name, when it has no keyable; a
 * non-object item as compact JSON) for an error line
 */
static void
ph_append_item(StringInfo buf, struct json_object *item)
{
	struct json_object *v;
	bool		any = false;
	int			k;

	appendStringInfoString(buf, "item ");
	if (jp_kind(item) != JP_KIND_OBJECT)
	{
		appendStringInfoString(buf, ph_json_message(item, PH_ITEM_MAX_CHARS));
		return;
	}
	appendStringInfoChar(buf, '{');
	for (k = 0; ph_keyables[k] != NULL; k++)
	{
		if (!jp_get_ex(item, ph_keyables[k], &v))
			continue;
		if (any)
			appendStringInfoChar(buf, ',');
		any = true;
		appendStringInfo(buf, "\"%s\":%s", ph_keyables[k],
						 ph_json_message(v, PH_ITEM_MAX_CHARS));
	}
	/* no keyable: say what it is called, if anything */
	if (!any && jp_get_ex(item, "name", &v))
		appendStringInfo(buf, "\"name\":%s", ph_json_message(v, PH_ITEM_MAX_CHARS));
	appendStringInfoChar(buf, '}');
}

/*
 * One line for a failed bulk or analytics item.  The shape of an item
 * error is undocumented: a string is the message; an object with "item"
 * and/or "error", "message" or "msg" gives "item {keyables}: message";
 * anything else is shown as compact JSON.
 */
static char *
ph_error_line(struct json_object *e)
{
	struct json_object *item = NULL;
	struct json_object *msg = NULL;
	bool		has_item;
	bool		has_msg;
	StringInfoData buf;

	if (jp_kind(e) == JP_KIND_STRING)
		return ph_message_of(e, PH_MESSAGE_MAX_CHARS);
	if (jp_kind(e) != JP_KIND_OBJECT)
		return ph_json_message(e, PH_MESSAGE_MAX_CHARS);

	has_item = jp_get_ex(e, "item", &item);
	has_msg = jp_get_ex(e, "error", &msg) ||
		jp_get_ex(e, "message", &msg) ||
		jp_get_ex(e, "msg", &msg);
	if (!has_item && !has_msg)
		return ph_json_message(e, PH_MESSAGE_MAX_CHARS);

	initStringInfo(&buf);
	if (has_item)
	{
		ph_append_item(&buf, item);
		if (has_msg)
			appendStringInfoString(&buf, ": ");
	}
	if (has_msg)
		appendStringInfoString(&buf, ph_message_of(msg, PH_MESSAGE_MAX_CHARS));
	return buf.data;
}

void
planhat_parse_bulk_result(const char *body, size_t len,
						  PlanhatBulkResult *result)
{
	static const char *const error_keys[] = {
		"createdErrors", "updatedErrors", "permissionErrors",
		"validationErrors", "errors", NULL
	};
	struct json_object *root;
	JpParseError err;

	memset(result, 0, sizeof(PlanhatBulkResult));
	result->error_lines = NIL;
	if (!jp_parse(body, len, &root, &err))
		return;

	PG_TRY();
	{
		if (jp_kind(root) == JP_KIND_OBJECT)
		{
			bool		found = false;
			int			k;

			result->created = ph_count(root, "created", &found);
			result->updated = ph_count(root, "updated", &found);
			result->nonupdates = ph_count(root, "nonupdates", &found);
			result->processed = ph_count(root, "processed", &found);
			for (k = 0; error_keys[k] != NULL; k++)
			{
				struct json_object *arr = jp_get(root, error_keys[k]);
				size_t		n = jp_array_length(arr);
				size_t		i;

				if (jp_kind(arr) == JP_KIND_ARRAY)
					found = true;
				for (i = 0; i < n; i++)
				{
					result->nerrors++;
					result->error_lines = lappend(result->error_lines,
												  ph_error_line(jp_array_get(arr, i)));
				}
			}
			result->valid = found;
		}
	}
	PG_FINALLY();
	{
		jp_free(root);
	}
	PG_END_TRY();
}

/* ----------------------------------------------------------------
 *		error bodies
 * ----------------------------------------------------------------
 */

/*
 * Skip the tag that starts at s[*i] ('<'); a <script> or <style> element is
 * skipped up to the end of its closing tag, body included.
 */
static void
ph_skip_html_tag(const char *s, size_t len, size_t *i)
{
	const char *close = NULL;
	size_t		p = *i;

	if (len - p >= 7 && pg_strncasecmp(s + p, "<script", 7) == 0)
		close = "</script";
	else if (len - p >= 6 && pg_strncasecmp(s + p, "<style", 6) == 0)
		close = "</style";

	while (p < len && s[p] != '>')
		p++;
	p++;
	if (close != NULL)
	{
		size_t		cl = strlen(close);

		while (p < len && !(len - p >= cl && pg_strncasecmp(s + p, close, cl) == 0))
			p++;
		while (p < len && s[p] != '>')
			p++;
		p++;
	}
	*i = p;
}

/*
 * The character an HTML entity at s[*i] ('&') stands for, *i moved to its
 * last byte; '&' itself (and *i unchanged) for anything else.
 */
static char
ph_html_entity(const char *s, size_t len, size_t *i)
{
	static const struct
	{
		const char *name;
		char		ch;
	}			ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'},
		{"&#39;", '\''}, {"&apos;", '\''}, {"&nbsp;", ' '}, {NULL, 0}
	};
	int			k;

	for (k = 0; ents[k].name != NULL; k++)
	{
		size_t		el = strlen(ents[k].name);

		if (len - *i >= el && strncmp(s + *i, ents[k].name, el) == 0)
		{
			*i += el - 1;
			return ents[k].ch;
		}
	}
	return '&';
}

/*
 * The text of an HTML or plain-text body: tags and <script>/<style>
 * elements dropped, the common entities decoded, whitespace collapsed.
 */
static char *
ph_strip_html(const char *s, size_t len)
{
	StringInfoData out;
	size_t		i = 0;
	bool		space = false;

	initStringInfo(&out);
	while (i < len)
	{
		char		c = s[i];

		if (c == '<')
		{
			ph_skip_html_tag(s, len, &i);
			space = true;
			continue;
		}
		if (c == '&')
			c = ph_html_entity(s, len, &i);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
		{
			space = true;
			i++;
			continue;
		}
		if (space && out.len > 0)
			appendStringInfoChar(&out, ' ');
		space = false;
		appendStringInfoChar(&out, c);
		i++;
	}
	return out.data;
}

char *
planhat_error_message(const char *body, size_t len)
{
	static const char *const keys[] = {"error", "message", "msg", NULL};
	struct json_object *root;
	JpParseError err;
	char	   *volatile result = NULL;

	if (body == NULL || len == 0)
		return pstrdup("(empty body)");

	if (!jp_parse(body, len, &root, &err))
	{
		char	   *text = ph_strip_html(body, len);

		if (text[0] == '\0')
			return pstrdup("(empty body)");
		return ph_text_message(text, strlen(text), PH_MESSAGE_MAX_CHARS);
	}

	PG_TRY();
	{
		struct json_object *v = root;
		int			depth;

		/* {"error": {"message": "..."}}: follow at most two levels */
		for (depth = 0; depth < 2 && jp_kind(v) == JP_KIND_OBJECT; depth++)
		{
			struct json_object *inner = NULL;
			bool		found = false;
			int			k;

			for (k = 0; keys[k] != NULL && !found; k++)
				found = jp_get_ex(v, keys[k], &inner) && inner != NULL;
			if (!found)
				break;
			v = inner;
		}
		result = ph_message_of(v, PH_MESSAGE_MAX_CHARS);
		if (result[0] == '\0')
			result = pstrdup("(empty message)");
	}
	PG_FINALLY();
	{
		jp_free(root);
	}
	PG_END_TRY();
	return result;
}

/* ----------------------------------------------------------------
 *		custom field definitions
 * ----------------------------------------------------------------
 */

/*
 * One element of a /customfields answer, or NULL when it has no usable
 * name.  The name becomes a column name and an option: one that the
 * database cannot hold is skipped with a WARNING saying why.
 */
static PlanhatCustomField *
ph_custom_field(struct json_object *e, const char *what)
{
	PlanhatCustomField *cf;
	const char *s;
	size_t		l;
	const char *name;
	int			len;
	char	   *reason = NULL;

	if (jp_string(jp_get(e, "name"), &s, &l) != JP_OK || l == 0)
		return NULL;			/* not a usable definition */
	len = (int) l;
	name = planhat_server_text(s, &len, PH_TEXT_NAME, NULL, &reason);
	if (name == NULL)
	{
		/* the reason starts the sentence */
		reason[0] = pg_toupper((unsigned char) reason[0]);
		ereport(WARNING,
				(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
				 errmsg("Planhat custom field \"%s\" skipped",
						ph_text_message(s, l, PH_VALUE_MAX_CHARS)),
				 errdetail("%s.  The answer to \"%s\" defines it.",
						   reason, what ? what : "?"),
				 errhint("Rename the custom field in Planhat to import it.")));
		return NULL;
	}
	cf = palloc0(sizeof(PlanhatCustomField));
	cf->name = pnstrdup(name, len);
	if (jp_string(jp_get(e, "type"), &s, &l) == JP_OK)
		cf->type = pnstrdup(s, l);
	if (jp_string(jp_get(e, "parent"), &s, &l) == JP_OK)
		cf->parent = pnstrdup(s, l);
	return cf;
}

List *
planhat_parse_custom_fields(const char *body, size_t len, const char *what)
{
	struct json_object *root;
	JpParseError err;
	List	   *volatile result = NIL;

	if (!jp_parse(body, len, &root, &err))
		planhat_report_parse_error(NULL, what, err.message, err.offset);

	PG_TRY();
	{
		size_t		n;
		size_t		i;

		if (jp_kind(root) != JP_KIND_ARRAY)
			planhat_report_shape_error(NULL, what, jp_kind_name(jp_kind(root)),
									   "a JSON array");
		n = jp_array_length(root);
		for (i = 0; i < n; i++)
		{
			PlanhatCustomField *cf = ph_custom_field(jp_array_get(root, i), what);

			if (cf != NULL)
				result = lappend(result, cf);
		}
	}
	PG_FINALLY();
	{
		jp_free(root);
	}
	PG_END_TRY();
	return result;
}
