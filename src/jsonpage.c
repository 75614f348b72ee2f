/*-------------------------------------------------------------------------
 *
 * jsonpage.c
 *		  PostgreSQL-independent JSON helpers of planhat_fdw: parse a page,
 *		  extract typed scalars from json-c values, serialize values.
 *
 * This file must not include postgres.h or call palloc/ereport: it is also
 * built into the standalone fuzz target and unit test under test/fuzz/.
 * json-c allocates with malloc; the only allocation made here is the tree
 * returned by jp_parse() (and json-c's tokener, freed before returning).
 *
 * Design notes (details in notes/convert.md):
 *	- Numbers keep their exact digits: json-c stores each double together
 *	  with the token's text (json_object_new_double_s, serializer userdata),
 *	  and we read that text instead of the double.  Integers are kept by
 *	  json-c as int64/uint64 and printed back.
 *	- json-c saturates integers outside [INT64_MIN, UINT64_MAX] silently;
 *	  those two exact values are reported as JP_SATURATED.
 *	- Everything here reports problems as JpStatus; convert.c decides what
 *	  is an error for which column type.
 *
 * IDENTIFICATION
 *		  src/jsonpage.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "jsonpage.h"

/* ------------------------------------------------------------------ kinds */

JpKind
jp_kind(const struct json_object *v)
{
	switch (json_object_get_type(v))
	{
		case json_type_null:
			return JP_KIND_NULL;
		case json_type_boolean:
			return JP_KIND_BOOL;
		case json_type_double:
		case json_type_int:
			return JP_KIND_NUMBER;
		case json_type_string:
			return JP_KIND_STRING;
		case json_type_array:
			return JP_KIND_ARRAY;
		case json_type_object:
			return JP_KIND_OBJECT;
	}
	return JP_KIND_NULL;
}

const char *
jp_kind_name(JpKind kind)
{
	switch (kind)
	{
		case JP_KIND_NULL:
			return "null";
		case JP_KIND_BOOL:
			return "a boolean";
		case JP_KIND_NUMBER:
			return "a number";
		case JP_KIND_STRING:
			return "a string";
		case JP_KIND_ARRAY:
			return "an array";
		case JP_KIND_OBJECT:
			return "an object";
	}
	return "a value";
}

/* ---------------------------------------------------------------- parsing */

static void
jp_set_error(JpParseError *err, size_t offset, const char *msg)
{
	if (err == NULL)
		return;
	err->offset = offset;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

static bool
jp_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
jp_parse(const char *body, size_t len, struct json_object **root,
		 JpParseError *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t		skip = 0;
	size_t		end;

	*root = NULL;
	if (body == NULL)
		len = 0;

	/* RFC 8259 section 8.1: parsers MAY ignore a byte order mark */
	if (len >= 3 && (unsigned char) body[0] == 0xEF &&
		(unsigned char) body[1] == 0xBB && (unsigned char) body[2] == 0xBF)
		skip = 3;

	if (len - skip >= (size_t) INT_MAX)
	{
		jp_set_error(err, 0, "body too large to parse");
		return false;
	}

	tok = json_tokener_new_ex(JP_MAX_DEPTH);
	if (tok == NULL)
	{
		jp_set_error(err, 0, "out of memory");
		return false;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);

	obj = json_tokener_parse_ex(tok, body ? body + skip : "", (int) (len - skip));
	jerr = json_tokener_get_error(tok);

	if (jerr == json_tokener_continue)
	{
		/*
		 * All input consumed but the value is not complete.  A bare number
		 * at the top level ("12") is only finished by the next character, so
		 * give json-c one space; anything still incomplete is truncated.
		 */
		obj = json_tokener_parse_ex(tok, " ", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_success)
		{
			json_object_put(obj);
			json_tokener_free(tok);
			jp_set_error(err, len,
						 len == skip ? "empty body" : "unexpected end of input");
			return false;
		}
		json_tokener_free(tok);
		*root = obj;
		return true;
	}

	if (jerr != json_tokener_success)
	{
		size_t		off = json_tokener_get_parse_end(tok) + skip;

		json_object_put(obj);
		jp_set_error(err, off, json_tokener_error_desc(jerr));
		json_tokener_free(tok);
		return false;
	}

	end = json_tokener_get_parse_end(tok) + skip;
	json_tokener_free(tok);
	for (; end < len; end++)
	{
		if (!jp_is_ws(body[end]))
		{
			json_object_put(obj);
			jp_set_error(err, end, "unexpected data after the JSON value");
			return false;
		}
	}
	*root = obj;
	return true;
}

void
jp_free(struct json_object *root)
{
	json_object_put(root);
}

/* ------------------------------------------------------- array reading */

/* JpArrayReader.state */
#define JP_AR_FIRST		0		/* just after '[' */
#define JP_AR_NEXT		1		/* after an element */
#define JP_AR_END		2		/* ']' and the rest checked */
#define JP_AR_ERROR		3

/* byte offset after a leading UTF-8 byte order mark and whitespace */
static size_t
jp_skip_bom_ws(const char *body, size_t len)
{
	size_t		pos = 0;

	if (len >= 3 && (unsigned char) body[0] == 0xEF &&
		(unsigned char) body[1] == 0xBB && (unsigned char) body[2] == 0xBF)
		pos = 3;
	while (pos < len && jp_is_ws(body[pos]))
		pos++;
	return pos;
}

bool
jp_array_open(JpArrayReader *r, const char *body, size_t len)
{
	size_t		pos;

	memset(r, 0, sizeof(*r));
	r->state = JP_AR_ERROR;
	/* jp_parse reports what is wrong with anything else */
	if (body == NULL || len >= (size_t) INT_MAX)
		return false;
	pos = jp_skip_bom_ws(body, len);
	if (pos >= len || body[pos] != '[')
		return false;
	r->body = body;
	r->len = len;
	r->pos = pos + 1;
	r->state = JP_AR_FIRST;
	return true;
}

/*
 * The reader found a fault.  The error reported is jp_parse()'s for the
 * whole body (errors are rare, a second parse does not matter): an element
 * parsed on its own can fail differently from the same bytes inside the
 * array ("[1x]": json-c's number state wants a separator after "1").
 * jp_parse() finds the first fault in document order, which is at or before
 * the one the reader reached.  Should it accept the body, the reader's own
 * description stands.
 */
static JpArrayResult
jp_array_fail(JpArrayReader *r, size_t offset, const char *msg,
			  JpParseError *err)
{
	struct json_object *root;

	r->state = JP_AR_ERROR;
	if (jp_parse(r->body, r->len, &root, &r->err))
	{
		jp_free(root);
		jp_set_error(&r->err, offset, msg);
	}
	*err = r->err;
	return JP_ARRAY_ERROR;
}

JpArrayResult
jp_array_next(JpArrayReader *r, struct json_object **elem, JpParseError *err)
{
	const char *body = r->body;
	size_t		len = r->len;
	struct json_object *obj;
	enum json_tokener_error jerr;

	*elem = NULL;
	if (r->state == JP_AR_END)
		return JP_ARRAY_END;
	if (r->state == JP_AR_ERROR)
	{
		*err = r->err;
		return JP_ARRAY_ERROR;
	}

	while (r->pos < len && jp_is_ws(body[r->pos]))
		r->pos++;
	if (r->pos >= len)
		return jp_array_fail(r, len, "unexpected end of input", err);

	if (body[r->pos] == ']')
	{
		size_t		end;

		for (end = r->pos + 1; end < len; end++)
		{
			/* as json-c in strict mode reports it for jp_parse */
			if (!jp_is_ws(body[end]))
				return jp_array_fail(r, end, json_tokener_error_desc(json_tokener_error_parse_unexpected),
									 err);
		}
		r->pos = len;
		r->state = JP_AR_END;
		return JP_ARRAY_END;
	}
	if (r->state == JP_AR_NEXT)
	{
		/* a separator; json-c in strict mode rejects a trailing comma */
		if (body[r->pos] != ',')
			return jp_array_fail(r, r->pos, json_tokener_error_desc(json_tokener_error_parse_array),
								 err);
		r->pos++;
		while (r->pos < len && jp_is_ws(body[r->pos]))
			r->pos++;
		if (r->pos >= len)
			return jp_array_fail(r, len, "unexpected end of input", err);
		if (body[r->pos] == ']')
			return jp_array_fail(r, r->pos, json_tokener_error_desc(json_tokener_error_parse_unexpected),
								 err);
	}

	if (r->tok == NULL)
	{
		/* one level less: the array itself is the first */
		r->tok = json_tokener_new_ex(JP_MAX_DEPTH - 1);
		if (r->tok == NULL)
			return jp_array_fail(r, r->pos, "out of memory", err);
		json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT |
							   JSON_TOKENER_VALIDATE_UTF8 |
							   JSON_TOKENER_ALLOW_TRAILING_CHARS);
	}
	else
		json_tokener_reset(r->tok);

	obj = json_tokener_parse_ex(r->tok, body + r->pos, (int) (len - r->pos));
	jerr = json_tokener_get_error(r->tok);
	if (jerr == json_tokener_continue)
	{
		/* the element (and so the array) does not end before the body */
		json_object_put(obj);
		return jp_array_fail(r, len, "unexpected end of input", err);
	}
	if (jerr != json_tokener_success)
	{
		json_object_put(obj);
		return jp_array_fail(r, r->pos + json_tokener_get_parse_end(r->tok),
							 json_tokener_error_desc(jerr), err);
	}
	r->pos += json_tokener_get_parse_end(r->tok);
	r->count++;
	r->state = JP_AR_NEXT;
	*elem = obj;
	return JP_ARRAY_ELEMENT;
}

void
jp_array_close(JpArrayReader *r)
{
	if (r->tok != NULL)
	{
		json_tokener_free(r->tok);
		r->tok = NULL;
	}
}

size_t
jp_array_count(const char *body, size_t len)
{
	size_t		pos;
	size_t		count = 0;
	int			depth = 0;
	bool		any = false;

	if (body == NULL)
		return 0;
	pos = jp_skip_bom_ws(body, len);
	if (pos >= len || body[pos] != '[')
		return 0;
	for (pos++; pos < len; pos++)
	{
		char		c = body[pos];

		switch (c)
		{
			case '"':
			case '\'':
				/*
				 * Skip the string; memchr finds the candidates for its end
				 * quickly.  json-c accepts single-quoted object keys even in
				 * strict mode, so those are strings too.
				 */
				for (pos++; pos < len; pos++)
				{
					const char *q = memchr(body + pos, c, len - pos);
					size_t		bs = 0;

					if (q == NULL)
						return count + any;
					pos = (size_t) (q - body);
					while (body[pos - 1 - bs] == '\\')
						bs++;
					if (bs % 2 == 0)
						break;	/* not escaped */
				}
				any = true;
				break;
			case '[':
			case '{':
				depth++;
				any = true;
				break;
			case ']':
			case '}':
				if (depth == 0)
					return count + any;
				depth--;
				break;
			case ',':
				if (depth == 0)
					count++;
				break;
			default:
				if (!jp_is_ws(c))
					any = true;
				break;
		}
	}
	return count + any;
}

/* ----------------------------------------------------------------- access */

struct json_object *
jp_get(const struct json_object *v, const char *key)
{
	struct json_object *value = NULL;

	if (v == NULL || json_object_get_type(v) != json_type_object)
		return NULL;
	if (!json_object_object_get_ex(v, key, &value))
		return NULL;
	return value;
}

bool
jp_get_ex(const struct json_object *v, const char *key,
		  struct json_object **value)
{
	*value = NULL;
	if (v == NULL || json_object_get_type(v) != json_type_object)
		return false;
	return json_object_object_get_ex(v, key, value) ? true : false;
}

size_t
jp_array_length(const struct json_object *v)
{
	if (v == NULL || json_object_get_type(v) != json_type_array)
		return 0;
	return json_object_array_length(v);
}

struct json_object *
jp_array_get(const struct json_object *v, size_t i)
{
	if (v == NULL || json_object_get_type(v) != json_type_array ||
		i >= json_object_array_length(v))
		return NULL;
	return json_object_array_get_idx(v, i);
}

size_t
jp_object_length(const struct json_object *v)
{
	if (v == NULL || json_object_get_type(v) != json_type_object)
		return 0;
	return (size_t) json_object_object_length(v);
}

void
jp_object_iter_init(const struct json_object *v, JpObjectIter *it)
{
	it->entry = NULL;
	if (v != NULL && json_object_get_type(v) == json_type_object)
		it->entry = lh_table_head(json_object_get_object(v));
}

bool
jp_object_iter_next(JpObjectIter *it, const char **key,
					struct json_object **value)
{
	struct lh_entry *e = (struct lh_entry *) it->entry;

	if (e == NULL)
		return false;
	*key = (const char *) lh_entry_k(e);
	*value = (struct json_object *) lh_entry_v(e);
	it->entry = lh_entry_next(e);
	return true;
}

/* ---------------------------------------------------------------- scalars */

JpStatus
jp_bool(const struct json_object *v, bool *out)
{
	if (json_object_get_type(v) != json_type_boolean)
		return JP_WRONG_KIND;
	*out = json_object_get_boolean(v) ? true : false;
	return JP_OK;
}

JpStatus
jp_string(const struct json_object *v, const char **s, size_t *len)
{
	int			l;

	if (json_object_get_type(v) != json_type_string)
		return JP_WRONG_KIND;
	*s = json_object_get_string((struct json_object *) v);
	l = json_object_get_string_len(v);
	*len = l > 0 ? (size_t) l : 0;
	return JP_OK;
}

/* ---------------------------------------------------------------- numbers */

static bool
jp_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Decompose text as json-c's number grammar admits it (a superset of RFC
 * 8259): -? D* (. D*)? ([eE] [+-]? D+)? with at least one mantissa digit.
 */
JpStatus
jp_number_parse(const char *text, JpNumber *num)
{
	const char *p = text;
	const char *first_nz = NULL;	/* first nonzero mantissa digit */
	const char *last_nz = NULL;
	bool		has_point = false;
	int64_t		exp = 0;
	bool		exp_neg = false;
	int64_t		pos;

	num->text = text;
	num->len = strlen(text);
	num->negative = false;
	num->strict = false;
	num->is_zero = true;
	num->integral = true;
	num->has_exp = false;
	num->exp_part = NULL;
	num->exponent = 0;
	num->weight = 0;
	num->scale = 0;

	if (*p == '-')
	{
		num->negative = true;
		p++;
	}
	num->int_digits = p;
	while (jp_isdigit(*p))
		p++;
	num->n_int = (size_t) (p - num->int_digits);
	num->frac_digits = p;
	num->n_frac = 0;
	if (*p == '.')
	{
		has_point = true;
		p++;
		num->frac_digits = p;
		while (jp_isdigit(*p))
			p++;
		num->n_frac = (size_t) (p - num->frac_digits);
	}
	if (num->n_int + num->n_frac == 0)
		return JP_BAD_FORMAT;
	if (*p == 'e' || *p == 'E')
	{
		const char *d;

		num->has_exp = true;
		num->exp_part = p;
		p++;
		if (*p == '+' || *p == '-')
		{
			exp_neg = (*p == '-');
			p++;
		}
		d = p;
		while (jp_isdigit(*p))
		{
			if (exp < JP_EXP_CLAMP)
				exp = exp * 10 + (*p - '0');
			p++;
		}
		if (p == d)
			return JP_BAD_FORMAT;
		if (exp > JP_EXP_CLAMP)
			exp = JP_EXP_CLAMP;
		if (exp_neg)
			exp = -exp;
	}
	if (*p != '\0')
		return JP_BAD_FORMAT;

	num->exponent = exp;
	num->strict = num->n_int >= 1 &&
		!(num->n_int > 1 && num->int_digits[0] == '0') &&
		!(has_point && num->n_frac == 0);

	/* first and last nonzero digit of the mantissa */
	for (p = num->int_digits; p < num->int_digits + num->n_int; p++)
		if (*p != '0')
		{
			if (first_nz == NULL)
				first_nz = p;
			last_nz = p;
		}
	for (p = num->frac_digits; p < num->frac_digits + num->n_frac; p++)
		if (*p != '0')
		{
			if (first_nz == NULL)
				first_nz = p;
			last_nz = p;
		}

	num->scale = (int64_t) num->n_frac - exp;
	if (num->scale < 0)
		num->scale = 0;

	if (first_nz == NULL)
		return JP_OK;			/* zero */

	num->is_zero = false;
	/* decimal position (before the exponent) of a mantissa digit */
#define DIGIT_POS(q) \
	((q) < num->int_digits + num->n_int ? \
	 (int64_t) (num->int_digits + num->n_int - 1 - (q)) : \
	 -(int64_t) ((q) - num->frac_digits) - 1)
	num->weight = DIGIT_POS(first_nz) + exp;
	pos = DIGIT_POS(last_nz) + exp;
#undef DIGIT_POS
	num->integral = pos >= 0;
	return JP_OK;
}

bool
jp_exact_int64(const struct json_object *v, int64_t *out)
{
	int64_t		i;

	if (v == NULL || json_object_get_type(v) != json_type_int)
		return false;
	i = json_object_get_int64(v);
	/* the clamp points of json_object_get_int64 and of the tokener */
	if (i == INT64_MAX || i == INT64_MIN)
		return false;
	*out = i;
	return true;
}

JpStatus
jp_number(const struct json_object *v, JpNumber *num)
{
	enum json_type t = json_object_get_type(v);

	memset(num, 0, offsetof(JpNumber, buf));
	num->buf[0] = '\0';
	num->text = num->buf;
	if (t == json_type_int)
	{
		int64_t		i = json_object_get_int64(v);

		/*
		 * json_object_get_int64 clamps a stored uint64 to INT64_MAX, and
		 * json_object_get_uint64 clamps a negative int64 to 0, so ask for the
		 * uint64 only at the clamp point.
		 */
		if (i == INT64_MAX)
		{
			uint64_t	u = json_object_get_uint64(v);

			if (u == UINT64_MAX)
				return JP_SATURATED;
			num->form = JP_NUM_UINT64;
			num->u64 = u;
			snprintf(num->buf, sizeof(num->buf), "%llu", (unsigned long long) u);
			if (u == (uint64_t) INT64_MAX)
			{
				num->form = JP_NUM_INT64;
				num->i64 = INT64_MAX;
			}
		}
		else if (i == INT64_MIN)
			return JP_SATURATED;
		else
		{
			num->form = JP_NUM_INT64;
			num->i64 = i;
			snprintf(num->buf, sizeof(num->buf), "%lld", (long long) i);
		}
		num->dbl = num->form == JP_NUM_INT64 ? (double) num->i64 : (double) num->u64;
		return jp_number_parse(num->buf, num);
	}
	if (t == json_type_double)
	{
		const char *ud = (const char *) json_object_get_userdata((struct json_object *) v);
		double		d = json_object_get_double(v);

		num->dbl = d;
		if (isnan(d) || isinf(d))
		{
			/*
			 * NaN and Infinity literals have no userdata; an overflowing
			 * literal ("1e999") keeps its text and stays a decimal.
			 */
			if (ud == NULL)
			{
				num->form = isnan(d) ? JP_NUM_NAN :
					(d > 0 ? JP_NUM_POS_INF : JP_NUM_NEG_INF);
				num->text = isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
				num->len = strlen(num->text);
				return JP_OK;
			}
		}
		num->form = JP_NUM_DECIMAL;
		if (ud == NULL)
		{
			/* not from the tokener; print it exactly enough */
			snprintf(num->buf, sizeof(num->buf), "%.17g", d);
			ud = num->buf;
		}
		if (jp_number_parse(ud, num) != JP_OK)
		{
			/* not our number syntax: fall back to the double */
			snprintf(num->buf, sizeof(num->buf), "%.17g", d);
			return jp_number_parse(num->buf, num);
		}
		return JP_OK;
	}
	return JP_WRONG_KIND;
}

JpStatus
jp_number_int64(const JpNumber *num, int64_t *out)
{
	uint64_t	acc = 0;
	int64_t		pos;
	const char *p;

	switch (num->form)
	{
		case JP_NUM_INT64:
			*out = num->i64;
			return JP_OK;
		case JP_NUM_UINT64:
			return JP_OUT_OF_RANGE;
		case JP_NUM_NAN:
		case JP_NUM_POS_INF:
		case JP_NUM_NEG_INF:
			return JP_NOT_FINITE;
		case JP_NUM_DECIMAL:
			break;
	}
	if (!num->integral)
		return JP_NOT_INTEGRAL;
	if (num->is_zero)
	{
		*out = 0;
		return JP_OK;
	}
	if (num->weight > 18)
		return JP_OUT_OF_RANGE;

	/* digits from position weight down to 0; missing ones are zeros */
	for (pos = num->weight; pos >= 0; pos--)
	{
		int64_t		mpos = pos - num->exponent; /* position in the mantissa */
		int			digit = 0;

		if (mpos >= 0 && mpos < (int64_t) num->n_int)
			p = num->int_digits + num->n_int - 1 - mpos;
		else if (mpos < 0 && -mpos <= (int64_t) num->n_frac)
			p = num->frac_digits + (-mpos - 1);
		else
			p = NULL;
		if (p != NULL)
			digit = *p - '0';
		if (acc > (UINT64_MAX - (uint64_t) digit) / 10)
			return JP_OUT_OF_RANGE;
		acc = acc * 10 + (uint64_t) digit;
	}
	if (num->negative)
	{
		if (acc > (uint64_t) INT64_MAX + 1)
			return JP_OUT_OF_RANGE;
		*out = acc == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) acc;
	}
	else
	{
		if (acc > (uint64_t) INT64_MAX)
			return JP_OUT_OF_RANGE;
		*out = (int64_t) acc;
	}
	return JP_OK;
}

JpStatus
jp_number_double(const JpNumber *num, double *out)
{
	double		d = num->dbl;

	switch (num->form)
	{
		case JP_NUM_NAN:
			*out = NAN;
			return JP_OK;
		case JP_NUM_POS_INF:
			*out = INFINITY;
			return JP_OK;
		case JP_NUM_NEG_INF:
			*out = -INFINITY;
			return JP_OK;
		case JP_NUM_INT64:
		case JP_NUM_UINT64:
			*out = d;
			return JP_OK;
		case JP_NUM_DECIMAL:
			break;
	}
	if (isinf(d) || isnan(d))
		return JP_OUT_OF_RANGE;
	if (d == 0.0 && !num->is_zero)
		return JP_OUT_OF_RANGE;
	*out = d;
	return JP_OK;
}

JpStatus
jp_number_float(const JpNumber *num, float *out)
{
	float		f;
	char	   *end;

	switch (num->form)
	{
		case JP_NUM_NAN:
			*out = NAN;
			return JP_OK;
		case JP_NUM_POS_INF:
			*out = INFINITY;
			return JP_OK;
		case JP_NUM_NEG_INF:
			*out = -INFINITY;
			return JP_OK;
		default:
			break;
	}
	errno = 0;
	f = strtof(num->text, &end);
	if (end == num->text || isnan(f))
		return JP_OUT_OF_RANGE;
	if (isinf(f))
		return JP_OUT_OF_RANGE;
	if (f == 0.0f && !num->is_zero)
		return JP_OUT_OF_RANGE;
	*out = f;
	return JP_OK;
}

bool
jp_number_fits_numeric(const JpNumber *num)
{
	if (num->form != JP_NUM_DECIMAL)
		return true;
	/* numeric_in rejects |exponent| >= INT_MAX / 2 even for zero */
	if (num->exponent >= INT_MAX / 2 || num->exponent <= -(INT_MAX / 2))
		return false;
	/* NUMERIC_DSCALE_MAX */
	if (num->scale > 0x3FFF)
		return false;
	/* base-10000 weight must fit int16: at most 131072 integer digits */
	if (!num->is_zero && num->weight > 131071)
		return false;
	return true;
}

const char *
jp_number_canonical(const JpNumber *num, char *scratch, size_t *len)
{
	char	   *o = scratch;
	size_t		n_int = num->n_int;
	const char *d = num->int_digits;

	if (num->strict || num->form != JP_NUM_DECIMAL)
	{
		*len = num->len;
		return num->text;
	}
	if (num->negative)
		*o++ = '-';
	while (n_int > 1 && *d == '0')
	{
		d++;
		n_int--;
	}
	if (n_int == 0)
		*o++ = '0';
	else
	{
		memcpy(o, d, n_int);
		o += n_int;
	}
	if (num->n_frac > 0)
	{
		*o++ = '.';
		memcpy(o, num->frac_digits, num->n_frac);
		o += num->n_frac;
	}
	if (num->exp_part != NULL)
	{
		size_t		l = strlen(num->exp_part);

		memcpy(o, num->exp_part, l);
		o += l;
	}
	*o = '\0';
	*len = (size_t) (o - scratch);
	return scratch;
}

/* ------------------------------------------------------------ date / time */

int64_t
jp_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe;
	int64_t		doy;
	int64_t		doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
jp_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era;
	int64_t		doe;
	int64_t		yoe;
	int64_t		doy;
	int64_t		mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
jp_days_in_month(int64_t y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

/* read exactly n digits at *p (bounded by end) */
static bool
jp_digits(const char **p, const char *end, int n, int64_t *out)
{
	int64_t		v = 0;
	int			i;

	if (end - *p < n)
		return false;
	for (i = 0; i < n; i++)
	{
		char		c = (*p)[i];

		if (!jp_isdigit(c))
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* at most +-9.2e12 seconds keeps microseconds (and PostgreSQL's shift by
 * 30 years) inside int64 */
#define JP_MAX_EPOCH_SECONDS	INT64_C(9200000000000)

JpStatus
jp_parse_iso8601(const char *s, size_t len, int64_t *epoch_us)
{
	const char *p = s;
	const char *end = s + len;
	int64_t		year;
	int64_t		month;
	int64_t		day;
	int64_t		hour = 0;
	int64_t		minute = 0;
	int64_t		second = 0;
	int64_t		micros = 0;
	int64_t		offset = 0;		/* seconds east of UTC */
	int64_t		days;
	int64_t		secs;

	if (s == NULL)
		return JP_BAD_FORMAT;

	/* year */
	if (p < end && (*p == '+' || *p == '-'))
	{
		bool		neg = (*p == '-');

		p++;
		if (!jp_digits(&p, end, 6, &year))
			return JP_BAD_FORMAT;
		if (neg)
		{
			if (year == 0)
				return JP_BAD_FORMAT;	/* "-000000" (ECMAScript) */
			year = -year;
		}
	}
	else if (!jp_digits(&p, end, 4, &year))
		return JP_BAD_FORMAT;

	if (p >= end || *p++ != '-' || !jp_digits(&p, end, 2, &month) ||
		p >= end || *p++ != '-' || !jp_digits(&p, end, 2, &day))
		return JP_BAD_FORMAT;
	if (month < 1 || month > 12 || day < 1 ||
		day > jp_days_in_month(year, (int) month))
		return JP_BAD_FORMAT;

	if (p < end)
	{
		bool		is24;

		if (*p != 'T' && *p != 't' && *p != ' ')
			return JP_BAD_FORMAT;
		p++;
		if (!jp_digits(&p, end, 2, &hour) ||
			p >= end || *p++ != ':' || !jp_digits(&p, end, 2, &minute))
			return JP_BAD_FORMAT;
		if (p < end && *p == ':')
		{
			p++;
			if (!jp_digits(&p, end, 2, &second))
				return JP_BAD_FORMAT;
			if (p < end && (*p == '.' || *p == ','))
			{
				int			n = 0;

				p++;
				if (p >= end || !jp_isdigit(*p))
					return JP_BAD_FORMAT;
				while (p < end && jp_isdigit(*p))
				{
					if (n < 6)
						micros = micros * 10 + (*p - '0');
					else if (n == 6 && *p >= '5')
						micros++;	/* round half up; carries below */
					n++;
					p++;
				}
				for (; n < 6; n++)
					micros *= 10;
			}
		}
		is24 = (hour == 24);
		if (hour > 24 || minute > 59 || second > 59 ||
			(is24 && (minute != 0 || second != 0 || micros != 0)))
			return JP_BAD_FORMAT;

		/* zone */
		if (p < end)
		{
			if (*p == 'Z' || *p == 'z')
				p++;
			else if (*p == '+' || *p == '-')
			{
				int			sign = (*p == '-') ? -1 : 1;
				int64_t		oh;
				int64_t		om = 0;

				p++;
				if (!jp_digits(&p, end, 2, &oh))
					return JP_BAD_FORMAT;
				if (p < end && *p == ':')
				{
					p++;
					if (!jp_digits(&p, end, 2, &om))
						return JP_BAD_FORMAT;
				}
				else if (p < end)
				{
					if (!jp_digits(&p, end, 2, &om))
						return JP_BAD_FORMAT;
				}
				if (oh > 23 || om > 59)
					return JP_BAD_FORMAT;
				offset = sign * (oh * 3600 + om * 60);
			}
			else
				return JP_BAD_FORMAT;
		}
		if (p != end)
			return JP_BAD_FORMAT;
	}

	days = jp_days_from_civil(year, (int) month, (int) day);
	secs = days * 86400 + hour * 3600 + minute * 60 + second - offset;
	if (secs > JP_MAX_EPOCH_SECONDS || secs < -JP_MAX_EPOCH_SECONDS)
		return JP_OUT_OF_RANGE;
	*epoch_us = secs * INT64_C(1000000) + micros;
	return JP_OK;
}

int64_t
jp_epoch_us_to_day(int64_t us)
{
	const int64_t per_day = INT64_C(86400000000);
	int64_t		q = us / per_day;

	if (us % per_day < 0)
		q--;
	return q;
}

JpStatus
jp_timestamp(const struct json_object *v, int64_t *epoch_us)
{
	const char *s;
	size_t		len;

	if (jp_string(v, &s, &len) != JP_OK)
		return JP_WRONG_KIND;
	return jp_parse_iso8601(s, len, epoch_us);
}

JpStatus
jp_day(const struct json_object *v, int64_t *day)
{
	JpStatus	st;

	if (json_object_get_type(v) == json_type_string)
	{
		int64_t		us;

		st = jp_timestamp(v, &us);
		if (st != JP_OK)
			return st;
		*day = jp_epoch_us_to_day(us);
		return JP_OK;
	}
	else
	{
		JpNumber	num;
		int64_t		d;

		st = jp_number(v, &num);
		if (st != JP_OK)
			return st;
		st = jp_number_int64(&num, &d);
		if (st != JP_OK)
			return st;
		if (d > INT32_MAX || d < INT32_MIN)
			return JP_OUT_OF_RANGE;
		*day = d;
		return JP_OK;
	}
}

/* --------------------------------------------------------------------- uuid */

static int
jp_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

JpStatus
jp_parse_uuid(const char *s, size_t len, unsigned char out[16])
{
	const char *p = s;
	const char *end = s + len;
	bool		braces = false;
	int			i;

	if (p < end && *p == '{')
	{
		braces = true;
		p++;
	}
	for (i = 0; i < 16; i++)
	{
		int			hi;
		int			lo;

		if (end - p < 2)
			return JP_BAD_FORMAT;
		hi = jp_hexval(p[0]);
		lo = jp_hexval(p[1]);
		if (hi < 0 || lo < 0)
			return JP_BAD_FORMAT;
		out[i] = (unsigned char) (hi * 16 + lo);
		p += 2;
		/* uuid_in: an optional hyphen after any group of four digits */
		if (p < end && *p == '-' && i % 2 == 1 && i < 15)
			p++;
	}
	if (braces)
	{
		if (p >= end || *p != '}')
			return JP_BAD_FORMAT;
		p++;
	}
	if (p != end)
		return JP_BAD_FORMAT;
	return JP_OK;
}

/* ------------------------------------------------------------ serializing */

/*
 * Append s as a JSON string: runs of bytes that need no escape are passed
 * to the sink in one call.
 */
int
jp_write_string(const char *s, size_t len, JpSinkFn sink, void *arg)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	const char *p = s;
	const char *end = s + len;

	if (sink(arg, "\"", 1))
		return 1;
	for (; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;
		char		esc[6];
		size_t		elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (p > run && sink(arg, run, (size_t) (p - run)))
			return 1;
		esc[0] = '\\';
		switch (c)
		{
			case '"':
				esc[1] = '"';
				break;
			case '\\':
				esc[1] = '\\';
				break;
			case '\b':
				esc[1] = 'b';
				break;
			case '\f':
				esc[1] = 'f';
				break;
			case '\n':
				esc[1] = 'n';
				break;
			case '\r':
				esc[1] = 'r';
				break;
			case '\t':
				esc[1] = 't';
				break;
			default:
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				elen = 6;
				break;
		}
		if (sink(arg, esc, elen))
			return 1;
		run = p + 1;
	}
	if (p > run && sink(arg, run, (size_t) (p - run)))
		return 1;
	return sink(arg, "\"", 1);
}

/* Write a finite number's canonical (RFC 8259) text in pieces. */
static int
jp_write_number(const JpNumber *num, JpSinkFn sink, void *arg)
{
	const char *d = num->int_digits;
	size_t		n_int = num->n_int;

	if (num->strict)
		return sink(arg, num->text, num->len);
	if (num->negative && sink(arg, "-", 1))
		return 1;
	while (n_int > 1 && *d == '0')
	{
		d++;
		n_int--;
	}
	if (n_int == 0 ? sink(arg, "0", 1) : sink(arg, d, n_int))
		return 1;
	if (num->n_frac > 0 &&
		(sink(arg, ".", 1) || sink(arg, num->frac_digits, num->n_frac)))
		return 1;
	if (num->exp_part != NULL &&
		sink(arg, num->exp_part, strlen(num->exp_part)))
		return 1;
	return 0;
}

static JpStatus
jp_serialize_number(const struct json_object *v, int flags, JpSinkFn sink,
					void *arg)
{
	JpNumber	num;
	JpStatus	st = jp_number(v, &num);

	if (st == JP_SATURATED || (st == JP_OK && num.form >= JP_NUM_NAN))
	{
		const char *text;

		if (!(flags & JP_SER_LENIENT))
			return st == JP_OK ? JP_NOT_FINITE : st;
		text = json_object_to_json_string_ext((struct json_object *) v,
											  JSON_C_TO_STRING_PLAIN);
		return sink(arg, text, strlen(text)) ? JP_STOPPED : JP_OK;
	}
	if (st != JP_OK)
		return st;
	return jp_write_number(&num, sink, arg) ? JP_STOPPED : JP_OK;
}

static JpStatus
jp_serialize_rec(const struct json_object *v, int flags, JpSinkFn sink,
				 void *arg)
{
	JpStatus	st;

	switch (json_object_get_type(v))
	{
		case json_type_null:
			return sink(arg, "null", 4) ? JP_STOPPED : JP_OK;
		case json_type_boolean:
			if (json_object_get_boolean(v))
				return sink(arg, "true", 4) ? JP_STOPPED : JP_OK;
			return sink(arg, "false", 5) ? JP_STOPPED : JP_OK;
		case json_type_int:
		case json_type_double:
			return jp_serialize_number(v, flags, sink, arg);
		case json_type_string:
			{
				const char *s;
				size_t		len;

				(void) jp_string(v, &s, &len);
				return jp_write_string(s, len, sink, arg) ? JP_STOPPED : JP_OK;
			}
		case json_type_array:
			{
				size_t		n = json_object_array_length(v);
				size_t		i;

				if (sink(arg, "[", 1))
					return JP_STOPPED;
				for (i = 0; i < n; i++)
				{
					if (i > 0 && sink(arg, ",", 1))
						return JP_STOPPED;
					st = jp_serialize_rec(json_object_array_get_idx(v, i),
										  flags, sink, arg);
					if (st != JP_OK)
						return st;
				}
				return sink(arg, "]", 1) ? JP_STOPPED : JP_OK;
			}
		case json_type_object:
			{
				JpObjectIter it;
				const char *key;
				struct json_object *val;
				bool		first = true;

				if (sink(arg, "{", 1))
					return JP_STOPPED;
				jp_object_iter_init(v, &it);
				while (jp_object_iter_next(&it, &key, &val))
				{
					if (!first && sink(arg, ",", 1))
						return JP_STOPPED;
					first = false;
					if (jp_write_string(key, strlen(key), sink, arg) ||
						sink(arg, ":", 1))
						return JP_STOPPED;
					st = jp_serialize_rec(val, flags, sink, arg);
					if (st != JP_OK)
						return st;
				}
				return sink(arg, "}", 1) ? JP_STOPPED : JP_OK;
			}
	}
	return JP_OK;
}

JpStatus
jp_serialize(const struct json_object *v, int flags, JpSinkFn sink, void *arg)
{
	return jp_serialize_rec(v, flags, sink, arg);
}
