/*-------------------------------------------------------------------------
 *
 * fuzz_page.c
 *		  libFuzzer target for src/jsonpage.c: the page parser and every typed
 *		  extraction the JSON -> Datum conversion uses.
 *
 * The input is parsed as a Planhat answer.  For the root, every element
 * of a root array, every field of those objects and every element of
 * array fields, all extractions run: kind, bool, string, number (int64,
 * double, float, numeric fit), timestamp, day, uuid, and serialization.
 * Properties checked (abort on violation):
 *	- jp_parse accepts exactly what an independent RFC 8259 recognizer here
 *	  (ref_json) accepts: no json-c leniency, whatever the json-c version;
 *	- a serialized tree parses again and serializes to the same text (so
 *	  numbers keep their exact text, and strings their bytes);
 *	- every number's text is an RFC 8259 number; an int64 is stored only
 *	  where its printed form is the text;
 *	- a body that is one JSON string reads as the bytes an independent
 *	  decoder here (ref_string) makes of it: escapes, surrogate pairs, lone
 *	  surrogates as their 3-byte form, \u0000 as a NUL byte;
 *	- every string's bytes are classified by jp_utf8_sequence exactly as an
 *	  independent decoder here (ref_utf8) judges them, and
 *	  jp_utf8_valid_prefix stops at the first sequence it refuses;
 *	- an int64 extracted from a decimal equals strtod of its text when
 *	  exactly representable;
 *	- a parsed ISO timestamp, printed back with microseconds, parses to
 *	  the same instant;
 *	- the element-by-element reader (jp_array_open/next) agrees with
 *	  jp_parse: the same elements (serialized) and count (jp_array_count)
 *	  for a valid array, jp_parse's error (message and offset) for an
 *	  invalid one, never the end of an invalid one.
 *	- text for messages (jp_message_text, jp_message_value) is valid UTF-8
 *	  without control characters (ASCII when asked), fits its documented
 *	  size, and is what an independent version here (ref_message) makes,
 *	  also when written over its own input.
 * The raw input is also fed to the ISO, UUID and number-text parsers.
 * ASan/UBSan/LeakSanitizer catch memory errors, UB and leaked json-c trees.
 *
 * Build and run: test/fuzz/run.sh SECONDS
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  test/fuzz/fuzz_page.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpage.h"

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz_page: property failed at line %d: %s\n", \
					__LINE__, #cond); \
			abort(); \
		} \
	} while (0)

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	size_t		limit;			/* stop after this many bytes (0: none) */
} Buf;

static int
buf_sink(void *arg, const char *data, size_t len)
{
	Buf		   *b = (Buf *) arg;

	if (b->limit && b->len + len > b->limit)
		return 1;
	if (b->len + len + 1 > b->cap)
	{
		size_t		cap = (b->len + len + 1) * 2;
		char	   *p = realloc(b->data, cap);

		if (p == NULL)
			abort();
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

static void
check_number(const struct json_object *v)
{
	JpNumber	num;
	JpNumber	again;
	JpStatus	st = jp_number(v, &num);
	int64_t		i;
	double		d;
	float		f;

	if (st != JP_OK)
	{
		FUZZ_ASSERT(st == JP_WRONG_KIND);
		return;
	}
	FUZZ_ASSERT(strlen(num.text) == num.len);
	FUZZ_ASSERT(jp_number_parse(num.text, &again) == JP_OK);
	st = jp_number_int64(&num, &i);
	(void) jp_number_double(&num, &d);
	(void) jp_number_float(&num, &f);
	(void) jp_number_fits_numeric(&num);
	if (num.form == JP_NUM_INT64)
	{
		char		buf[32];

		snprintf(buf, sizeof(buf), "%lld", (long long) num.i64);
		FUZZ_ASSERT(strcmp(buf, num.text) == 0);
		FUZZ_ASSERT(st == JP_OK && i == num.i64);
	}
	else if (st == JP_OK && !num.has_exp && num.n_frac == 0)
	{
		/* an integer text within int64 is stored as one, but for "-0" */
		FUZZ_ASSERT(i == 0 && num.negative);
	}

	/* an exactly representable integer agrees with strtod */
	if (st == JP_OK && i > -(INT64_C(1) << 53) && i < (INT64_C(1) << 53))
		FUZZ_ASSERT((double) i == strtod(num.text, NULL));
}

/*
 * An independent UTF-8 judgement: decode by the textbook ranges of
 * Unicode's Table 3-7 (well-formed byte sequences), 0 for valid.
 */
static int
ref_utf8(const unsigned char *s, size_t len, size_t *n)
{
	static const struct
	{
		unsigned char lo0,
					hi0,
					lo1,
					hi1;
		int			len;
	}			wf[] = {
		{0x01, 0x7F, 0, 0, 1},
		{0xC2, 0xDF, 0x80, 0xBF, 2},
		{0xE0, 0xE0, 0xA0, 0xBF, 3},
		{0xE1, 0xEC, 0x80, 0xBF, 3},
		{0xED, 0xED, 0x80, 0x9F, 3},
		{0xEE, 0xEF, 0x80, 0xBF, 3},
		{0xF0, 0xF0, 0x90, 0xBF, 4},
		{0xF1, 0xF3, 0x80, 0xBF, 4},
		{0xF4, 0xF4, 0x80, 0x8F, 4},
	};
	size_t		k;
	int			j;

	for (k = 0; k < sizeof(wf) / sizeof(wf[0]); k++)
	{
		if (s[0] < wf[k].lo0 || s[0] > wf[k].hi0)
			continue;
		if ((size_t) wf[k].len > len)
			return 1;
		if (wf[k].len > 1 && (s[1] < wf[k].lo1 || s[1] > wf[k].hi1))
			return 1;
		for (j = 2; j < wf[k].len; j++)
			if (s[j] < 0x80 || s[j] > 0xBF)
				return 1;
		*n = (size_t) wf[k].len;
		return 0;
	}
	return 1;
}

static void
check_utf8(const char *s, size_t len)
{
	size_t		i = 0;
	size_t		prefix = jp_utf8_valid_prefix(s, len);
	bool		all_valid = true;

	while (i < len)
	{
		JpUtf8Status st;
		uint32_t	cp;
		size_t		n = jp_utf8_sequence(s + i, len - i, &st, &cp);
		size_t		rn = 0;
		int			bad = ref_utf8((const unsigned char *) s + i, len - i, &rn);

		FUZZ_ASSERT(n >= 1 && n <= 4 && n <= len - i);
		FUZZ_ASSERT((st == JP_UTF8_VALID) == (bad == 0));
		if (!bad)
			FUZZ_ASSERT(n == rn);
		if (st == JP_UTF8_NUL)
			FUZZ_ASSERT(s[i] == '\0');
		if (st != JP_UTF8_VALID && all_valid)
		{
			FUZZ_ASSERT(prefix == i);
			all_valid = false;
		}
		i += n;
	}
	if (all_valid)
		FUZZ_ASSERT(prefix == len);
}

/*
 * Text for messages, made independently: one character per well-formed
 * sequence (ref_utf8) or per other byte, at most max_chars of them.
 */
static size_t
ref_message(const char *s, size_t len, bool cut, int max_chars,
			bool keep_utf8, char *out)
{
	size_t		i = 0;
	size_t		o = 0;
	int			chars;

	for (chars = 0; i < len && chars < max_chars; chars++)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		n = 1;

		if (c < 0x80)
			out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char) c;
		else if (ref_utf8((const unsigned char *) s + i, len - i, &n) != 0)
		{
			out[o++] = '?';		/* one per byte */
			n = 1;
		}
		else if (!keep_utf8)
			out[o++] = '?';
		else
		{
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	if (cut || i < len)
	{
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return o;
}

/*
 * A message made of s (or of the value v, when s is NULL) must be valid
 * UTF-8 with no control character (ASCII outside UTF-8 databases), fit
 * JP_MESSAGE_SIZE (the buffers here have exactly that size, for ASan),
 * and for a text be what ref_message makes, in place as well.
 */
static void
check_message(const char *s, size_t len, const struct json_object *v)
{
	static const int maxes[] = {1, 7, 100};
	size_t		k;
	int			keep;

	for (k = 0; k < sizeof(maxes) / sizeof(maxes[0]); k++)
	{
		for (keep = 0; keep < 2; keep++)
		{
			size_t		size = JP_MESSAGE_SIZE(maxes[k]);
			char	   *out = malloc(size);
			size_t		n;
			size_t		i;

			if (s != NULL)
				n = jp_message_text(s, len, false, maxes[k], keep, out);
			else
				n = jp_message_value(v, maxes[k], keep, out);
			FUZZ_ASSERT(n < size && out[n] == '\0' && strlen(out) == n);
			FUZZ_ASSERT(jp_utf8_valid_prefix(out, n) == n);
			for (i = 0; i < n; i++)
			{
				unsigned char c = (unsigned char) out[i];

				FUZZ_ASSERT(c >= 0x20 && c != 0x7f);
				FUZZ_ASSERT(keep || c < 0x80);
			}
			if (s != NULL)
			{
				char	   *ref = malloc(size);
				char	   *inplace = malloc(len > size ? len : size);

				FUZZ_ASSERT(ref_message(s, len, false, maxes[k], keep, ref) == n &&
							memcmp(ref, out, n + 1) == 0);
				memcpy(inplace, s, len);
				FUZZ_ASSERT(jp_message_text(inplace, len, false, maxes[k], keep, inplace) == n &&
							memcmp(inplace, out, n + 1) == 0);
				free(inplace);
				free(ref);
			}
			free(out);
		}
	}
}

static void
check_timestamp(const struct json_object *v)
{
	int64_t		us;
	int64_t		day;

	if (jp_timestamp(v, &us) == JP_OK)
	{
		int64_t		y;
		int			m;
		int			d;
		int64_t		days = jp_epoch_us_to_day(us);
		int64_t		rem = us - days * INT64_C(86400000000);
		char		buf[64];
		int64_t		back;

		jp_civil_from_days(days, &y, &m, &d);
		if (y >= 0 && y <= 9999)
		{
			snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
					 (int) y, m, d, (int) (rem / INT64_C(3600000000)),
					 (int) (rem / 60000000 % 60), (int) (rem / 1000000 % 60),
					 (int) (rem % 1000000));
			FUZZ_ASSERT(jp_parse_iso8601(buf, strlen(buf), &back) == JP_OK);
			FUZZ_ASSERT(back == us);
		}
	}
	(void) jp_day(v, &day);
}

static void
check_value(const struct json_object *v)
{
	bool		b;
	const char *s;
	size_t		len;
	unsigned char u[16];
	Buf			out = {NULL, 0, 0, 0};
	Buf			cut = {NULL, 0, 0, 16};

	(void) jp_kind_name(jp_kind(v));
	(void) jp_bool(v, &b);
	if (jp_string(v, &s, &len) == JP_OK)
	{
		FUZZ_ASSERT(s[len] == '\0');
		check_utf8(s, len);
		check_message(s, len, NULL);
		(void) jp_parse_uuid(s, len, u);
		(void) jp_write_string(s, len, buf_sink, &cut);
	}
	check_number(v);
	check_timestamp(v);
	check_message(NULL, 0, v);

	/*
	 * Serialize: the text must parse again, to a tree that serializes to
	 * the same text (numbers keep their text, strings their bytes).
	 */
	FUZZ_ASSERT(jp_serialize(v, buf_sink, &out) == JP_OK && out.data != NULL);
	{
		struct json_object *again;
		JpParseError err;
		Buf			out2 = {NULL, 0, 0, 0};

		FUZZ_ASSERT(jp_parse(out.data, out.len, &again, &err));
		FUZZ_ASSERT(jp_serialize(again, buf_sink, &out2) == JP_OK);
		jp_free(again);
		FUZZ_ASSERT(out2.len == out.len && memcmp(out2.data, out.data, out.len) == 0);
		free(out2.data);
	}
	free(out.data);
	free(cut.data);
}

static void
check_object(const struct json_object *obj)
{
	JpObjectIter it;
	const char *key;
	struct json_object *val;

	check_value(obj);
	jp_object_iter_init(obj, &it);
	while (jp_object_iter_next(&it, &key, &val))
	{
		struct json_object *again = NULL;
		size_t		n;
		size_t		i;

		FUZZ_ASSERT(jp_get_ex(obj, key, &again) && again == val);
		check_utf8(key, strlen(key));
		check_value(val);
		n = jp_array_length(val);
		for (i = 0; i < n; i++)
			check_value(jp_array_get(val, i));
		/* custom.<Name>: one level down */
		if (jp_kind(val) == JP_KIND_OBJECT)
		{
			JpObjectIter it2;
			const char *k2;
			struct json_object *v2;

			jp_object_iter_init(val, &it2);
			while (jp_object_iter_next(&it2, &k2, &v2))
				check_value(v2);
		}
	}
	(void) jp_get(obj, "_id");
}

/* serialize v into a fresh buffer; caller frees */
static char *
serialize(const struct json_object *v, size_t *len)
{
	Buf			b = {NULL, 0, 0, 0};

	(void) jp_serialize(v, buf_sink, &b);
	*len = b.len;
	return b.data;
}

/* the element reader against jp_parse on the same input */
static void
check_reader(const char *data, size_t size, bool parsed,
			 struct json_object *root, const JpParseError *perr)
{
	JpArrayReader r;
	bool		opened = jp_array_open(&r, data, size);
	size_t		i;

	if (parsed)
	{
		size_t		n = jp_array_length(root);

		FUZZ_ASSERT(opened == (jp_kind(root) == JP_KIND_ARRAY));
		if (!opened)
			return;
		FUZZ_ASSERT(jp_array_count(data, size) == n);
		for (i = 0;; i++)
		{
			struct json_object *e;
			JpParseError err;
			JpArrayResult res = jp_array_next(&r, &e, &err);
			char	   *a;
			char	   *b;
			size_t		alen;
			size_t		blen;

			FUZZ_ASSERT(res != JP_ARRAY_ERROR);
			if (res == JP_ARRAY_END)
			{
				FUZZ_ASSERT(i == n);
				break;
			}
			FUZZ_ASSERT(i < n);
			a = serialize(e, &alen);
			b = serialize(jp_array_get(root, i), &blen);
			FUZZ_ASSERT(alen == blen && (alen == 0 || memcmp(a, b, alen) == 0));
			free(a);
			free(b);
			jp_free(e);
		}
	}
	else if (opened)
	{
		for (;;)
		{
			struct json_object *e;
			JpParseError err;
			JpArrayResult res = jp_array_next(&r, &e, &err);

			FUZZ_ASSERT(res != JP_ARRAY_END);
			if (res == JP_ARRAY_ERROR)
			{
				FUZZ_ASSERT(err.offset == perr->offset &&
							strcmp(err.message, perr->message) == 0);
				break;
			}
			jp_free(e);
		}
	}
	jp_array_close(&r);
}

/*
 * An independent recognizer of RFC 8259 JSON text (with jp_parse's two
 * additions: an optional UTF-8 byte order mark, and at most JP_MAX_DEPTH
 * nested containers), written as a loop over an explicit stack rather
 * than jp_parse's recursive descent.  Bytes from 0x80 up are accepted in
 * strings (jp_parse leaves them to the per-value UTF-8 check).
 */
static bool
ref_json(const char *s, size_t len)
{
	char		stack[JP_MAX_DEPTH];	/* '[' or '{' */
	int			depth = 0;
	size_t		i = 0;
	enum
	{
		VALUE, AFTER_VALUE, KEY_OR_END, KEY, VALUE_OR_END
	}			want = VALUE;

#define WS() while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
#define DIGITS(min) do { size_t d0 = i; while (i < len && s[i] >= '0' && s[i] <= '9') i++; if (i - d0 < (min)) return false; } while (0)

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;)
	{
		WS();
		if (want == AFTER_VALUE)
		{
			if (depth == 0)
				return i == len;
			if (i >= len)
				return false;
			if (s[i] == ',')
			{
				i++;
				want = stack[depth - 1] == '[' ? VALUE : KEY;
				continue;
			}
			if (s[i] != (stack[depth - 1] == '[' ? ']' : '}'))
				return false;
			i++;
			depth--;
			continue;
		}
		if (i >= len)
			return false;
		if (want == KEY_OR_END || want == VALUE_OR_END)
		{
			if (s[i] == (want == KEY_OR_END ? '}' : ']'))
			{
				i++;
				depth--;
				want = AFTER_VALUE;
				continue;
			}
			want = want == KEY_OR_END ? KEY : VALUE;
		}
		if (want == KEY && s[i] != '"')
			return false;
		if (s[i] == '"')
		{
			for (i++;; i++)
			{
				if (i >= len || (unsigned char) s[i] < 0x20)
					return false;
				if (s[i] == '"')
					break;
				if (s[i] == '\\')
				{
					i++;
					if (i >= len)
						return false;
					if (s[i] == 'u')
					{
						int			k;

						for (k = 1; k <= 4; k++)
							if (i + k >= len || !isxdigit((unsigned char) s[i + k]))
								return false;
						i += 4;
					}
					else if (!strchr("\"\\/bfnrt", s[i]) || s[i] == '\0')
						return false;
				}
			}
			i++;
			if (want == KEY)
			{
				WS();
				if (i >= len || s[i] != ':')
					return false;
				i++;
				want = VALUE;
			}
			else
				want = AFTER_VALUE;
			continue;
		}
		if (s[i] == '[' || s[i] == '{')
		{
			if (depth == JP_MAX_DEPTH)
				return false;
			stack[depth++] = s[i];
			want = s[i] == '[' ? VALUE_OR_END : KEY_OR_END;
			i++;
			continue;
		}
		if (len - i >= 4 && (memcmp(s + i, "true", 4) == 0 || memcmp(s + i, "null", 4) == 0))
			i += 4;
		else if (len - i >= 5 && memcmp(s + i, "false", 5) == 0)
			i += 5;
		else if (s[i] == '-' || (s[i] >= '0' && s[i] <= '9'))
		{
			if (s[i] == '-')
				i++;
			if (i < len && s[i] == '0')
				i++;
			else
				DIGITS(1);
			if (i < len && s[i] == '.')
			{
				i++;
				DIGITS(1);
			}
			if (i < len && (s[i] == 'e' || s[i] == 'E'))
			{
				i++;
				if (i < len && (s[i] == '+' || s[i] == '-'))
					i++;
				DIGITS(1);
			}
		}
		else
			return false;
		/* a literal or number runs up to a delimiter */
		if (i < len && (s[i] == '\0' || !strchr(" \t\n\r,]}", s[i])))
			return false;
		want = AFTER_VALUE;
	}
#undef WS
#undef DIGITS
}

/*
 * Decode the JSON string literal at s (jp_parse accepted it) into out,
 * which has room for len bytes; returns the length.  Written apart from
 * jp_parse: UTF-16 code units first, then code points, then bytes.
 */
static size_t
ref_string(const char *s, size_t len, char *out)
{
	size_t		i = 1;
	size_t		o = 0;

	while (i < len && s[i] != '"')
	{
		uint32_t	cp;
		int			nb;
		int			k;

		if (s[i] != '\\')
		{
			out[o++] = s[i++];
			continue;
		}
		if (s[i + 1] != 'u')
		{
			const char *from = "\"\\/bfnrt";
			const char *to = "\"\\/\b\f\n\r\t";

			out[o++] = to[strchr(from, s[i + 1]) - from];
			i += 2;
			continue;
		}
		cp = (uint32_t) strtoul((char[5]) {s[i + 2], s[i + 3], s[i + 4], s[i + 5], 0}, NULL, 16);
		i += 6;
		if (cp >> 10 == 0xD800 >> 10 && i + 6 <= len && s[i] == '\\' && s[i + 1] == 'u')
		{
			uint32_t	lo = (uint32_t) strtoul((char[5]) {s[i + 2], s[i + 3], s[i + 4], s[i + 5], 0}, NULL, 16);

			if (lo >> 10 == 0xDC00 >> 10)
			{
				cp = 0x10000 + (((cp & 0x3FF) << 10) | (lo & 0x3FF));
				i += 6;
			}
		}
		nb = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		if (nb == 1)
			out[o] = (char) cp;
		else
		{
			for (k = nb - 1; k > 0; k--, cp >>= 6)
				out[o + k] = (char) (0x80 | (cp & 0x3F));
			out[o] = (char) ((0xF00 >> nb) | cp);
		}
		o += nb;
	}
	return o;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *root;
	JpParseError err;

	bool		ok = jp_parse((const char *) data, size, &root, &err);

	FUZZ_ASSERT(ok == ref_json((const char *) data, size));
	if (ok)
	{
		size_t		n = jp_array_length(root);
		size_t		i;

		check_object(root);
		for (i = 0; i < n; i++)
			check_object(jp_array_get(root, i));
		if (jp_kind(root) == JP_KIND_STRING)
		{
			const char *s;
			size_t		len;
			size_t		skip = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
			char	   *ref = malloc(size + 1);
			size_t		rlen;

			while (data[skip] != '"')
				skip++;			/* whitespace */
			rlen = ref_string((const char *) data + skip, size - skip, ref);
			(void) jp_string(root, &s, &len);
			FUZZ_ASSERT(len == rlen && memcmp(s, ref, len) == 0);
			free(ref);
		}
		check_reader((const char *) data, size, true, root, &err);
		jp_free(root);
	}
	else
	{
		FUZZ_ASSERT(err.offset <= size);
		check_reader((const char *) data, size, false, NULL, &err);
	}

	/* the scalar parsers on raw text */
	if (size < 4096)
	{
		char	   *text = malloc(size + 1);
		int64_t		us;
		unsigned char u[16];
		JpNumber	num;

		memcpy(text, data, size);
		text[size] = '\0';
		(void) jp_parse_iso8601(text, size, &us);
		(void) jp_parse_uuid(text, size, u);
		if (jp_number_parse(text, &num) == JP_OK)
		{
			int64_t		i;

			num.form = JP_NUM_DECIMAL;
			(void) jp_number_int64(&num, &i);
			(void) jp_number_float(&num, &(float) {0});
			(void) jp_number_fits_numeric(&num);
			/* RFC 8259 numbers only: the body "[<text>]" must parse */
			FUZZ_ASSERT(ref_json(text, strlen(text)));
		}
		check_utf8(text, size);
		check_message(text, size, NULL);
		free(text);
	}
	return 0;
}
