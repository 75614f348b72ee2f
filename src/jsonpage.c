/*-------------------------------------------------------------------------
 *
 * jsonpage.c
 *		  PostgreSQL-independent JSON helpers of planhat_fdw: parse a page,
 *		  extract typed scalars from json-c values, serialize values.
 *
 * This file must not include postgres.h or call palloc/ereport: it is also
 * built into the standalone fuzz target and unit test under test/fuzz/.
 * json-c allocates with malloc; the allocations made here are the tree
 * returned by jp_parse() and the parser's scratch space (freed before
 * returning, or by jp_array_close()).
 *
 * Design notes (details in notes/convert.md):
 *	- The parser is ours (RFC 8259 exactly); json-c only holds the tree, so
 *	  the same body reads the same on every json-c version.
 *	- Numbers keep their exact digits: an integer that fits int64 is stored
 *	  as one, every other number as a json-c double together with the
 *	  token's text (json_object_new_double_s, serializer userdata), and we
 *	  read that text instead of the double.
 *	- String bytes are not verified here (convert.c verifies with
 *	  PostgreSQL's verifier where a value is used); \u escapes that do not
 *	  make a character are encoded so that verification refuses them.
 *	- Everything here reports problems as JpStatus; convert.c decides what
 *	  is an error for which column type.
 *
 * Copyright (c) 2026, planhat_fdw contributors
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

/*
 * The parser.  Recursive descent over the bytes, building json-c objects
 * through json-c's public API (the same calls json-c's own tokener makes).
 * We do not use json-c's tokener: its strict mode differs between versions
 * (0.16 accepts NaN, single-quoted keys and raw control characters; 0.18
 * with JSON_TOKENER_VALIDATE_UTF8 rejects every non-ASCII byte; 0.16
 * saturates integers beyond 64 bits silently, 0.18 and 0.19 refuse them
 * with the whole body), and it cuts object keys at \u0000.
 *
 * Scratch space (keys, strings with escapes, number texts) is one malloc'd
 * buffer used as a stack: a key stays on it, by offset, while its value is
 * parsed (the buffer may move), and is popped after json-c copied it.
 */
typedef struct JpParser
{
	const char *body;
	size_t		len;
	size_t		pos;			/* next byte to look at */
	char	   *buf;			/* scratch stack */
	size_t		cap;
	size_t		top;			/* bytes of buf in use */
	JpParseError *err;
	bool		failed;
} JpParser;

static struct json_object *jp_value(JpParser *p, int depth);

static void
jp_set_error(JpParseError *err, size_t offset, const char *msg)
{
	if (err == NULL)
		return;
	err->offset = offset;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

/* Record the first fault; returns NULL for the callers' convenience */
static struct json_object *
jp_fail(JpParser *p, size_t offset, const char *msg)
{
	if (!p->failed)
	{
		p->failed = true;
		jp_set_error(p->err, offset, msg);
	}
	return NULL;
}

/* "unexpected character 'x'" or "unexpected byte 0xff": ASCII only */
static struct json_object *
jp_fail_unexpected(JpParser *p, size_t offset)
{
	unsigned char c = (unsigned char) p->body[offset];
	char		msg[64];

	if (c > 0x20 && c < 0x7f)
		snprintf(msg, sizeof(msg), "unexpected character '%c'", c);
	else
		snprintf(msg, sizeof(msg), "unexpected byte 0x%02x", c);
	return jp_fail(p, offset, msg);
}

static bool
jp_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
jp_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static void
jp_skip_ws(JpParser *p)
{
	while (p->pos < p->len && jp_is_ws(p->body[p->pos]))
		p->pos++;
}

/* Skip whitespace; false (and the fault recorded) at the end of the body */
static bool
jp_more(JpParser *p)
{
	jp_skip_ws(p);
	if (p->pos < p->len)
		return true;
	jp_fail(p, p->len, "unexpected end of input");
	return false;
}

/* Make room for n more bytes on the scratch stack */
static bool
jp_reserve(JpParser *p, size_t n)
{
	size_t		cap = p->cap ? p->cap : 256;
	char	   *b;

	if (p->top + n <= p->cap)
		return true;
	while (cap < p->top + n)
		cap *= 2;
	b = realloc(p->buf, cap);
	if (b == NULL)
	{
		jp_fail(p, p->pos, "out of memory");
		return false;
	}
	p->buf = b;
	p->cap = cap;
	return true;
}

static int
jp_hex4(const char *s)
{
	int			v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		char		c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* Append code point cp as (generalised) UTF-8; room for 4 bytes reserved */
static void
jp_put_utf8(JpParser *p, uint32_t cp)
{
	char	   *o = p->buf + p->top;

	if (cp < 0x80)
		*o++ = (char) cp;
	else if (cp < 0x800)
	{
		*o++ = (char) (0xC0 | (cp >> 6));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else if (cp < 0x10000)
	{
		/* also U+D800..U+DFFF: invalid UTF-8, refused where used */
		*o++ = (char) (0xE0 | (cp >> 12));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else
	{
		*o++ = (char) (0xF0 | (cp >> 18));
		*o++ = (char) (0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	p->top = (size_t) (o - p->buf);
}

/*
 * The string at p->pos (a '"').  A value string without escapes is
 * returned in place (not NUL-terminated; *s points into the body).
 * Otherwise, and always for a key, it is decoded onto the scratch stack,
 * NUL-terminated, and p->top moves past it: the caller pops it.
 */
static bool
jp_string_token(JpParser *p, bool key, const char **s, size_t *n)
{
	const char *body = p->body;
	size_t		i = p->pos + 1;
	size_t		mark = p->top;
	bool		copying = key;
	static const char escapes[] = "\"\\/bfnrt";
	static const char unescaped[] = "\"\\/\b\f\n\r\t";
	const char *esc;

	for (;;)
	{
		size_t		run = i;
		int			cp;

		/* a run of bytes that stand for themselves */
		while (i < p->len)
		{
			unsigned char c = (unsigned char) body[i];

			if (c == '"' || c == '\\' || c < 0x20)
				break;
			i++;
		}
		if (i >= p->len)
		{
			jp_fail(p, p->len, "unexpected end of input");
			return false;
		}
		if ((unsigned char) body[i] < 0x20)
		{
			jp_fail(p, i, "unescaped control character in a string");
			return false;
		}
		if (body[i] == '"' && !copying)
		{
			*s = body + run;
			*n = i - run;
			p->pos = i + 1;
			return true;
		}
		/* from here on the string is built on the stack: the run, then at
		 * most 4 bytes for an escape or the final NUL */
		copying = true;
		if (!jp_reserve(p, i - run + 5))
			return false;
		memcpy(p->buf + p->top, body + run, i - run);
		p->top += i - run;
		if (body[i] == '"')
			break;

		/* an escape */
		if (i + 1 >= p->len)
		{
			jp_fail(p, p->len, "unexpected end of input");
			return false;
		}
		esc = body[i + 1] != '\0' ? strchr(escapes, body[i + 1]) : NULL;
		if (esc != NULL)
			p->buf[p->top++] = unescaped[esc - escapes];
		else if (body[i + 1] != 'u')
		{
			jp_fail(p, i, "invalid escape in a string");
			return false;
		}
		else
		{
			if (p->len - i < 6)
			{
				jp_fail(p, p->len, "unexpected end of input");
				return false;
			}
			cp = jp_hex4(body + i + 2);
			if (cp < 0)
			{
				jp_fail(p, i, "invalid \\u escape in a string");
				return false;
			}
			/* a surrogate pair is one character */
			if (cp >= 0xD800 && cp <= 0xDBFF && p->len - i >= 12 &&
				body[i + 6] == '\\' && body[i + 7] == 'u')
			{
				int			lo = jp_hex4(body + i + 8);

				if (lo >= 0xDC00 && lo <= 0xDFFF)
				{
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			if (cp == 0 && key)
			{
				/* json-c keys are C strings: keep \u0000 visible */
				p->buf[p->top++] = (char) 0xC0;
				p->buf[p->top++] = (char) 0x80;
			}
			else
				jp_put_utf8(p, (uint32_t) cp);
			i += 4;
		}
		i += 2;
	}
	p->buf[p->top++] = '\0';
	*s = p->buf + mark;
	*n = p->top - mark - 1;
	p->pos = i + 1;
	return true;
}

static struct json_object *
jp_string_value(JpParser *p)
{
	size_t		mark = p->top;
	const char *s;
	size_t		n;
	struct json_object *obj;

	if (!jp_string_token(p, false, &s, &n))
		return NULL;
	if (n > (size_t) INT_MAX)
		return jp_fail(p, p->pos, "string too long");
	obj = json_object_new_string_len(s, (int) n);
	p->top = mark;
	if (obj == NULL)
		return jp_fail(p, p->pos, "out of memory");
	return obj;
}

/* One or more digits at *i, inside the number that starts at start */
static bool
jp_number_digits(JpParser *p, size_t *i, size_t start)
{
	if (*i >= p->len)
	{
		jp_fail(p, p->len, "unexpected end of input");
		return false;
	}
	if (!jp_isdigit(p->body[*i]))
	{
		jp_fail(p, start, "invalid number");
		return false;
	}
	while (*i < p->len && jp_isdigit(p->body[*i]))
		(*i)++;
	return true;
}

/*
 * A number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?  An
 * integer whose printed int64 is its own text becomes a json-c int64;
 * everything else a json-c double that keeps the token's text (so that
 * 123456789012345678901234567890 and 1.50 read back exactly).
 */
static struct json_object *
jp_number_token(JpParser *p)
{
	const char *body = p->body;
	size_t		start = p->pos;
	size_t		i = start;
	bool		neg = false;
	bool		integer = true;
	struct json_object *obj;

	if (body[i] == '-')
	{
		neg = true;
		i++;
		if (i < p->len && (body[i] == 'I' || body[i] == 'i'))
			return jp_fail(p, start, "NaN and Infinity are not JSON numbers");
	}
	if (i >= p->len)
		return jp_fail(p, p->len, "unexpected end of input");
	if (body[i] == '0')
		i++;
	else if (body[i] >= '1' && body[i] <= '9')
	{
		while (i < p->len && jp_isdigit(body[i]))
			i++;
	}
	else
		return jp_fail(p, start, "invalid number");
	if (i < p->len && body[i] == '.')
	{
		integer = false;
		i++;
		if (!jp_number_digits(p, &i, start))
			return NULL;
	}
	if (i < p->len && (body[i] == 'e' || body[i] == 'E'))
	{
		integer = false;
		i++;
		if (i < p->len && (body[i] == '+' || body[i] == '-'))
			i++;
		if (!jp_number_digits(p, &i, start))
			return NULL;
	}
	/* "01", "1.5.2", "1x": no delimiter after the number */
	if (i < p->len)
	{
		char		c = body[i];

		if (jp_isdigit(c) || c == '.' || c == '+' || c == '-' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return jp_fail(p, start, "invalid number");
	}
	p->pos = i;

	/* at most 19 digits fit uint64; "-0" is no int64's text */
	if (integer && i - start - neg <= 19 &&
		!(neg && i - start == 2 && body[start + 1] == '0'))
	{
		uint64_t	acc = 0;
		size_t		k;

		for (k = start + neg; k < i; k++)
			acc = acc * 10 + (uint64_t) (body[k] - '0');
		if (!neg && acc <= (uint64_t) INT64_MAX)
			obj = json_object_new_int64((int64_t) acc);
		else if (neg && acc <= (uint64_t) INT64_MAX + 1)
			obj = json_object_new_int64(acc == (uint64_t) INT64_MAX + 1 ?
										INT64_MIN : -(int64_t) acc);
		else
			goto decimal;
		if (obj == NULL)
			return jp_fail(p, start, "out of memory");
		return obj;
	}

decimal:
	if (!jp_reserve(p, i - start + 1))
		return NULL;
	memcpy(p->buf + p->top, body + start, i - start);
	p->buf[p->top + i - start] = '\0';
	/* json-c copies the text; the stack slot is free again at once */
	obj = json_object_new_double_s(strtod(p->buf + p->top, NULL), p->buf + p->top);
	if (obj == NULL)
		return jp_fail(p, start, "out of memory");
	return obj;
}

/* true, false, null; *isnull for null (json-c's NULL) */
static struct json_object *
jp_literal(JpParser *p, const char *word, bool *isnull)
{
	size_t		n = strlen(word);
	size_t		k;
	struct json_object *obj;

	for (k = 0; k < n; k++)
	{
		if (p->pos + k >= p->len)
			return jp_fail(p, p->len, "unexpected end of input");
		if (p->body[p->pos + k] != word[k])
			return jp_fail(p, p->pos + k, "invalid literal");
	}
	if (p->pos + n < p->len)
	{
		char		c = p->body[p->pos + n];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || jp_isdigit(c))
			return jp_fail(p, p->pos + n, "invalid literal");
	}
	p->pos += n;
	if (word[0] == 'n')
	{
		*isnull = true;
		return NULL;
	}
	obj = json_object_new_boolean(word[0] == 't');
	if (obj == NULL)
		return jp_fail(p, p->pos, "out of memory");
	return obj;
}

/*
 * Inside an array, at its start (first) or after an element: whitespace,
 * then ']' (returns 0, the array is done) or, after an element, ','; then
 * returns 1 with p->pos at the next element.  -1: a fault.  jp_parse and
 * the array reader both go through here, so they fail alike.
 */
static int
jp_array_step(JpParser *p, bool first)
{
	if (!jp_more(p))
		return -1;
	if (p->body[p->pos] == ']')
	{
		p->pos++;
		return 0;
	}
	if (first)
		return 1;
	if (p->body[p->pos] != ',')
	{
		jp_fail(p, p->pos, "array value separator ',' expected");
		return -1;
	}
	p->pos++;
	if (!jp_more(p))
		return -1;
	if (p->body[p->pos] == ']')
	{
		jp_fail(p, p->pos, "trailing comma in an array");
		return -1;
	}
	return 1;
}

static struct json_object *
jp_array(JpParser *p, int depth)
{
	struct json_object *arr = json_object_new_array();
	bool		first = true;
	int			step;

	p->pos++;					/* '[' */
	if (arr == NULL)
		return jp_fail(p, p->pos, "out of memory");
	while ((step = jp_array_step(p, first)) == 1)
	{
		struct json_object *v = jp_value(p, depth + 1);

		if (p->failed)
			break;
		if (json_object_array_add(arr, v) != 0)
		{
			json_object_put(v);
			jp_fail(p, p->pos, "out of memory");
			break;
		}
		first = false;
	}
	if (step != 0)
	{
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

static struct json_object *
jp_object(JpParser *p, int depth)
{
	struct json_object *obj = json_object_new_object();
	bool		first = true;

	p->pos++;					/* '{' */
	if (obj == NULL)
		return jp_fail(p, p->pos, "out of memory");
	for (;;)
	{
		size_t		keyoff = p->top;
		const char *key;
		size_t		keylen;
		struct json_object *v;

		if (!jp_more(p))
			break;
		if (first && p->body[p->pos] == '}')
		{
			p->pos++;
			return obj;
		}
		if (p->body[p->pos] != '"')
		{
			if (p->body[p->pos] == '}')
				jp_fail(p, p->pos, "trailing comma in an object");
			else if (p->body[p->pos] == '\'')
				jp_fail(p, p->pos, "single-quoted string (JSON strings take double quotes)");
			else
				jp_fail(p, p->pos, "quoted object key expected");
			break;
		}
		if (!jp_string_token(p, true, &key, &keylen))
			break;
		if (!jp_more(p))
			break;
		if (p->body[p->pos] != ':')
		{
			jp_fail(p, p->pos, "object key separator ':' expected");
			break;
		}
		p->pos++;
		v = jp_value(p, depth + 1);
		if (p->failed)
			break;
		/* the key is copied (the buffer may have moved: by offset) */
		if (json_object_object_add(obj, p->buf + keyoff, v) != 0)
		{
			json_object_put(v);
			jp_fail(p, p->pos, "out of memory");
			break;
		}
		p->top = keyoff;
		first = false;
		if (!jp_more(p))
			break;
		if (p->body[p->pos] == '}')
		{
			p->pos++;
			return obj;
		}
		if (p->body[p->pos] != ',')
		{
			jp_fail(p, p->pos, "object value separator ',' expected");
			break;
		}
		p->pos++;
	}
	json_object_put(obj);
	return NULL;
}

/*
 * One value at p->pos (whitespace skipped first).  NULL is JSON null unless
 * p->failed.  depth: containers around it.
 */
static struct json_object *
jp_value(JpParser *p, int depth)
{
	bool		isnull = false;
	char		c;

	if (!jp_more(p))
		return NULL;
	c = p->body[p->pos];
	switch (c)
	{
		case '{':
		case '[':
			if (depth >= JP_MAX_DEPTH)
				return jp_fail(p, p->pos, "nesting too deep");
			return c == '{' ? jp_object(p, depth) : jp_array(p, depth);
		case '"':
			return jp_string_value(p);
		case '-':
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
		case '8':
		case '9':
			return jp_number_token(p);
		case 't':
			return jp_literal(p, "true", &isnull);
		case 'f':
			return jp_literal(p, "false", &isnull);
		case 'n':
			return jp_literal(p, "null", &isnull);
		case 'N':
		case 'I':
			return jp_fail(p, p->pos, "NaN and Infinity are not JSON numbers");
		case '\'':
			return jp_fail(p, p->pos, "single-quoted string (JSON strings take double quotes)");
		default:
			return jp_fail_unexpected(p, p->pos);
	}
}

/* byte offset after a leading UTF-8 byte order mark and whitespace */
static size_t
jp_skip_bom_ws(const char *body, size_t len)
{
	size_t		pos = 0;

	/* RFC 8259 section 8.1: parsers MAY ignore a byte order mark */
	if (len >= 3 && (unsigned char) body[0] == 0xEF &&
		(unsigned char) body[1] == 0xBB && (unsigned char) body[2] == 0xBF)
		pos = 3;
	while (pos < len && jp_is_ws(body[pos]))
		pos++;
	return pos;
}

/* After the value: only whitespace may follow */
static bool
jp_check_end(JpParser *p)
{
	jp_skip_ws(p);
	if (p->pos < p->len)
	{
		jp_fail(p, p->pos, "unexpected data after the JSON value");
		return false;
	}
	return true;
}

bool
jp_parse(const char *body, size_t len, struct json_object **root,
		 JpParseError *err)
{
	JpParser	p;
	struct json_object *v;

	*root = NULL;
	memset(&p, 0, sizeof(p));
	p.body = body ? body : "";
	p.len = body ? len : 0;
	p.err = err;
	p.pos = jp_skip_bom_ws(p.body, p.len);
	if (p.pos >= p.len)
	{
		jp_set_error(err, p.len, "empty body");
		return false;
	}
	v = jp_value(&p, 0);
	if (!p.failed && !jp_check_end(&p))
		json_object_put(v);
	free(p.buf);
	if (p.failed)
		return false;
	*root = v;
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

bool
jp_array_open(JpArrayReader *r, const char *body, size_t len)
{
	size_t		pos;

	memset(r, 0, sizeof(*r));
	r->state = JP_AR_ERROR;
	/* jp_parse reports what is wrong with anything else */
	if (body == NULL)
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

JpArrayResult
jp_array_next(JpArrayReader *r, struct json_object **elem, JpParseError *err)
{
	JpParser	p;
	struct json_object *v = NULL;
	int			step;

	*elem = NULL;
	if (r->state == JP_AR_END)
		return JP_ARRAY_END;
	if (r->state == JP_AR_ERROR)
	{
		*err = r->err;
		return JP_ARRAY_ERROR;
	}

	memset(&p, 0, sizeof(p));
	p.body = r->body;
	p.len = r->len;
	p.pos = r->pos;
	p.buf = r->scratch;
	p.cap = r->scratch_cap;
	p.err = &r->err;

	step = jp_array_step(&p, r->state == JP_AR_FIRST);
	if (step == 1)
		v = jp_value(&p, 1);	/* the array itself is the first level */
	else if (step == 0)
		(void) jp_check_end(&p);

	r->scratch = p.buf;
	r->scratch_cap = p.cap;
	r->pos = p.pos;
	if (p.failed)
	{
		r->state = JP_AR_ERROR;
		*err = r->err;
		return JP_ARRAY_ERROR;
	}
	if (step == 0)
	{
		r->state = JP_AR_END;
		return JP_ARRAY_END;
	}
	r->count++;
	r->state = JP_AR_NEXT;
	*elem = v;
	return JP_ARRAY_ELEMENT;
}

void
jp_array_close(JpArrayReader *r)
{
	free(r->scratch);
	r->scratch = NULL;
	r->scratch_cap = 0;
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
				/* skip the string; memchr finds the candidates for its end */
				for (pos++; pos < len; pos++)
				{
					const char *q = memchr(body + pos, '"', len - pos);
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

/* ------------------------------------------------------------------ UTF-8 */

size_t
jp_utf8_sequence(const char *s, size_t len, JpUtf8Status *status, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *) s;
	size_t		need;
	size_t		k;
	uint32_t	c;
	static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};

	*cp = u[0];
	if (u[0] == 0)
	{
		*status = JP_UTF8_NUL;
		return 1;
	}
	if (u[0] < 0x80)
	{
		*status = JP_UTF8_VALID;
		return 1;
	}
	if (u[0] >= 0xC0 && u[0] <= 0xDF)
	{
		need = 2;
		c = u[0] & 0x1F;
	}
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
	{
		need = 3;
		c = u[0] & 0x0F;
	}
	else if (u[0] >= 0xF0 && u[0] <= 0xF7)
	{
		need = 4;
		c = u[0] & 0x07;
	}
	else
	{
		/* a continuation byte without a lead, or 0xF8..0xFF */
		*status = JP_UTF8_INVALID;
		return 1;
	}
	for (k = 1; k < need; k++)
	{
		if (k >= len || (u[k] & 0xC0) != 0x80)
		{
			*status = JP_UTF8_INVALID;
			return k;
		}
		c = (c << 6) | (u[k] & 0x3F);
	}
	*cp = c;
	if (c < min_cp[need])
		*status = (need == 2 && c == 0) ? JP_UTF8_KEY_NUL : JP_UTF8_OVERLONG;
	else if (c >= 0xD800 && c <= 0xDFFF)
		*status = JP_UTF8_SURROGATE;
	else if (c > 0x10FFFF)
		*status = JP_UTF8_TOO_LARGE;
	else
		*status = JP_UTF8_VALID;
	return need;
}

size_t
jp_utf8_valid_prefix(const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		JpUtf8Status st;
		uint32_t	cp;
		size_t		n;

		if ((unsigned char) s[i] - 1u < 0x7Fu)
		{
			i++;				/* ASCII but NUL */
			continue;
		}
		n = jp_utf8_sequence(s + i, len - i, &st, &cp);
		if (st != JP_UTF8_VALID)
			break;
		i += n;
	}
	return i;
}

/* ---------------------------------------------------------------- numbers */

/*
 * Decompose a number text of RFC 8259's grammar:
 * -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 */
JpStatus
jp_number_parse(const char *text, JpNumber *num)
{
	const char *p = text;
	const char *first_nz = NULL;	/* first nonzero mantissa digit */
	const char *last_nz = NULL;
	int64_t		exp = 0;
	bool		exp_neg = false;
	int64_t		pos;

	num->text = text;
	num->len = strlen(text);
	num->negative = false;
	num->is_zero = true;
	num->integral = true;
	num->has_exp = false;
	num->exponent = 0;
	num->weight = 0;
	num->scale = 0;

	if (*p == '-')
	{
		num->negative = true;
		p++;
	}
	num->int_digits = p;
	if (*p == '0')
		p++;
	else
		while (jp_isdigit(*p))
			p++;
	num->n_int = (size_t) (p - num->int_digits);
	if (num->n_int == 0)
		return JP_BAD_FORMAT;
	num->frac_digits = p;
	num->n_frac = 0;
	if (*p == '.')
	{
		p++;
		num->frac_digits = p;
		while (jp_isdigit(*p))
			p++;
		num->n_frac = (size_t) (p - num->frac_digits);
		if (num->n_frac == 0)
			return JP_BAD_FORMAT;
	}
	if (*p == 'e' || *p == 'E')
	{
		const char *d;

		num->has_exp = true;
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
	if (v == NULL || json_object_get_type(v) != json_type_int)
		return false;
	*out = json_object_get_int64(v);
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
		num->form = JP_NUM_INT64;
		num->i64 = json_object_get_int64(v);
		num->dbl = (double) num->i64;
		snprintf(num->buf, sizeof(num->buf), "%lld", (long long) num->i64);
		return jp_number_parse(num->buf, num);
	}
	if (t == json_type_double)
	{
		const char *ud = (const char *) json_object_get_userdata((struct json_object *) v);

		num->form = JP_NUM_DECIMAL;
		num->dbl = json_object_get_double(v);
		/* jp_parse always keeps the text; a tree made otherwise may not */
		if (ud == NULL || jp_number_parse(ud, num) != JP_OK)
		{
			snprintf(num->buf, sizeof(num->buf), "%.17g", num->dbl);
			if (jp_number_parse(num->buf, num) != JP_OK)
				return JP_OUT_OF_RANGE; /* NaN or Infinity */
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

	if (num->form == JP_NUM_INT64)
	{
		*out = num->i64;
		return JP_OK;
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
	if (num->form == JP_NUM_INT64)
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

static JpStatus
jp_serialize_number(const struct json_object *v, JpSinkFn sink, void *arg)
{
	JpNumber	num;

	if (jp_number(v, &num) != JP_OK)
		return sink(arg, "null", 4) ? JP_STOPPED : JP_OK;	/* cannot happen */
	return sink(arg, num.text, num.len) ? JP_STOPPED : JP_OK;
}

static JpStatus
jp_serialize_rec(const struct json_object *v, JpSinkFn sink, void *arg)
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
			return jp_serialize_number(v, sink, arg);
		case json_type_string:
			{
				const char *s = "";
				size_t		len = 0;

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
										  sink, arg);
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
					st = jp_serialize_rec(val, sink, arg);
					if (st != JP_OK)
						return st;
				}
				return sink(arg, "}", 1) ? JP_STOPPED : JP_OK;
			}
	}
	return JP_OK;
}

JpStatus
jp_serialize(const struct json_object *v, JpSinkFn sink, void *arg)
{
	return jp_serialize_rec(v, sink, arg);
}

/* --------------------------------------------------------------- messages */

size_t
jp_message_text(const char *s, size_t len, bool cut, int max_chars,
				bool keep_utf8, char *out)
{
	size_t		i = 0;
	size_t		o = 0;
	int			nchars = 0;

	/* o <= i throughout, so out may be s: nothing is overwritten unread */
	while (i < len)
	{
		unsigned char c = (unsigned char) s[i];

		if (nchars >= max_chars)
		{
			cut = true;
			break;
		}
		if (c < 0x80)
		{
			out[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char) c;
			i++;
		}
		else
		{
			JpUtf8Status status;
			uint32_t	cp;
			size_t		n = jp_utf8_sequence(s + i, len - i, &status, &cp);

			if (status != JP_UTF8_VALID)
			{
				/* one '?' per byte: a stray byte never hides the next one */
				out[o++] = '?';
				i++;
			}
			else if (!keep_utf8)
			{
				out[o++] = '?';
				i += n;
			}
			else
			{
				memmove(out + o, s + i, n);
				o += n;
				i += n;
			}
		}
		nchars++;
	}
	if (cut)
	{
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return o;
}

/* JpSinkFn for jp_message_value: keeps one byte beyond cap, then stops */
typedef struct JpCappedSink
{
	char	   *buf;
	size_t		len;
	size_t		cap;
	bool		cut;
} JpCappedSink;

static int
jp_sink_capped(void *arg, const char *data, size_t len)
{
	JpCappedSink *cs = (JpCappedSink *) arg;
	size_t		room = cs->cap - cs->len;

	if (len <= room)
	{
		memcpy(cs->buf + cs->len, data, len);
		cs->len += len;
		return 0;
	}
	/* the extra byte tells jp_message_text that more followed */
	memcpy(cs->buf + cs->len, data, room + 1);
	cs->len += room + 1;
	cs->cut = true;
	return 1;
}

size_t
jp_message_value(const struct json_object *v, int max_chars, bool keep_utf8,
				 char *out)
{
	JpCappedSink cs;

	/* max_chars characters take at most 4 bytes each */
	cs.buf = out;
	cs.len = 0;
	cs.cap = 4 * (size_t) max_chars;
	cs.cut = false;
	(void) jp_serialize(v, jp_sink_capped, &cs);
	return jp_message_text(out, cs.len, cs.cut, max_chars, keep_utf8, out);
}
