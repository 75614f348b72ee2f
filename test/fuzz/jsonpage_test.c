/*-------------------------------------------------------------------------
 *
 * jsonpage_test.c
 *		  Unit tests of src/jsonpage.c (PostgreSQL-independent JSON helpers):
 *		  page parsing (whole and element by element) with RFC 8259's rules
 *		  and their error messages, strings (escapes, surrogates, \u0000,
 *		  raw bytes), UTF-8 classification, exact numbers of any size,
 *		  ISO-8601 parsing, day numbers, UUIDs, serialization, text for
 *		  messages.
 *
 * The results must not depend on the json-c version: run.sh builds it
 * against whichever json-c it is given (--json-c PREFIX).
 *
 * Built and run by test/fuzz/run.sh (with ASan/UBSan); prints one line
 * per failure and a summary, exits 1 on any failure.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  test/fuzz/jsonpage_test.c
 *
 *-------------------------------------------------------------------------
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "jsonpage.h"

static int	failures = 0;
static int	checks = 0;

#define CHECK(cond, ...) \
	do { \
		checks++; \
		if (!(cond)) \
		{ \
			failures++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
		} \
	} while (0)

/* ------------------------------------------------------------ helpers */

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

static int
buf_sink(void *arg, const char *data, size_t len)
{
	Buf		   *b = (Buf *) arg;

	if (b->len + len + 1 > b->cap)
	{
		b->cap = (b->len + len + 1) * 2;
		b->data = realloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* a sink that takes two pieces, then stops */
static int
stop_sink(void *arg, const char *data, size_t len)
{
	Buf		   *b = (Buf *) arg;

	return ++b->len > 2;
}

static struct json_object *
parse_ok(const char *text)
{
	struct json_object *root = NULL;
	JpParseError err;

	if (!jp_parse(text, strlen(text), &root, &err))
	{
		CHECK(0, "parse of %s failed: %s at %zu", text, err.message, err.offset);
		return NULL;
	}
	return root;
}

/* parse "[<num>]" and decompose the element */
static JpStatus
number_of(const char *numtext, JpNumber *num, struct json_object **keep)
{
	char		body[512];
	struct json_object *root;

	snprintf(body, sizeof(body), "[%s]", numtext);
	root = parse_ok(body);
	*keep = root;
	if (root == NULL)
		return JP_BAD_FORMAT;
	return jp_number(jp_array_get(root, 0), num);
}

/* ------------------------------------------------------------ parsing */

static void
test_parse(void)
{
	struct json_object *root;
	JpParseError err;
	static const struct
	{
		const char *body;
		int			ok;
		size_t		offset;		/* expected error offset when !ok */
	}			cases[] = {
		{"[]", 1, 0},
		{"[{\"_id\":\"a\"}]", 1, 0},
		{"  [1, 2]\n\r\t ", 1, 0},
		{"{\"a\":1}", 1, 0},
		{"12", 1, 0},			/* bare top-level number */
		{"-0.5e3", 1, 0},
		{"null", 1, 0},
		{"\"x\"", 1, 0},
		{"\xEF\xBB\xBF[1]", 1, 0},	/* BOM */
		{"[\"\xff\xc0\xaf\xed\xa0\x80\"]", 1, 0},	/* raw bytes: judged per value */
		{"", 0, 0},
		{"   ", 0, 3},
		{"[1", 0, 2},			/* truncated */
		{"[{\"a\":\"b", 0, 8},
		{"[{\"a\":1}", 0, 8},
		{"[1] x", 0, 4},		/* trailing garbage */
		{"[1][2]", 0, 3},
		{"[1,]", 0, 3},
		{"{'a':1}", 0, 1},		/* no single quotes, keys included */
		{"['a']", 0, 1},
		{"<html>oops</html>", 0, 0},
		{"[tru]", 0, 4},
		{"[1] \0", 0, 4},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		size_t		len = strlen(cases[i].body);
		bool		ok;

		if (i == sizeof(cases) / sizeof(cases[0]) - 1)
			len = 5;			/* include the NUL byte */
		ok = jp_parse(cases[i].body, len, &root, &err);
		CHECK(ok == (cases[i].ok != 0), "parse \"%s\": ok=%d (%s at %zu)",
			  cases[i].body, ok, ok ? "" : err.message, ok ? 0 : err.offset);
		if (ok)
			jp_free(root);
		else
			CHECK(err.offset == cases[i].offset,
				  "parse \"%s\": offset %zu, expected %zu (%s)",
				  cases[i].body, err.offset, cases[i].offset, err.message);
	}

	/* RFC 8259 and nothing else, with the message and offset of the fault */
	{
		static const struct
		{
			const char *body;
			size_t		offset;
			const char *message;
		}			bad[] = {
			{"[NaN]", 1, "NaN and Infinity are not JSON numbers"},
			{"[Infinity]", 1, "NaN and Infinity are not JSON numbers"},
			{"[-Infinity]", 1, "NaN and Infinity are not JSON numbers"},
			{"{\"x\": -inf}", 6, "NaN and Infinity are not JSON numbers"},
			{"[1.]", 1, "invalid number"},
			{"[1.e5]", 1, "invalid number"},
			{"[-.5]", 1, "invalid number"},
			{"[01]", 1, "invalid number"},
			{"[00]", 1, "invalid number"},
			{"[-01]", 1, "invalid number"},
			{"[01.5]", 1, "invalid number"},
			{"[1e]", 1, "invalid number"},
			{"[1e+]", 1, "invalid number"},
			{"[1.5.2]", 1, "invalid number"},
			{"[0x10]", 1, "invalid number"},
			{"[-]", 1, "invalid number"},
			{"[1x]", 1, "invalid number"},
			{"[.5]", 1, "unexpected character '.'"},
			{"[+1]", 1, "unexpected character '+'"},
			{"[1.", 3, "unexpected end of input"},
			{"12.", 3, "unexpected end of input"},
			{"[1,]", 3, "trailing comma in an array"},
			{"[1, ]", 4, "trailing comma in an array"},
			{"{\"a\":1,}", 7, "trailing comma in an object"},
			{"[,1]", 1, "unexpected character ','"},
			{"{'a':1}", 1, "single-quoted string (JSON strings take double quotes)"},
			{"['a']", 1, "single-quoted string (JSON strings take double quotes)"},
			{"[\"a\tb\"]", 3, "unescaped control character in a string"},
			{"[\"a\\tb\", \"\x01\"]", 10, "unescaped control character in a string"},
			{"[\"\\x\"]", 2, "invalid escape in a string"},
			{"[\"\\u12G4\"]", 2, "invalid \\u escape in a string"},
			{"[\"\\u12\"]", 2, "invalid \\u escape in a string"},
			{"[\"\\u12", 6, "unexpected end of input"},
			{"[\"abc\\", 6, "unexpected end of input"},
			{"[truex]", 5, "invalid literal"},
			{"[nul]", 4, "invalid literal"},
			{"[True]", 1, "unexpected character 'T'"},
			{"// c\n[1]", 0, "unexpected character '/'"},
			{"[1 /* c */]", 3, "array value separator ',' expected"},
			{"[1}", 2, "array value separator ',' expected"},
			{"{\"a\" 1}", 5, "object key separator ':' expected"},
			{"{1:2}", 1, "quoted object key expected"},
			{"{\"a\":1]", 6, "object value separator ',' expected"},
			{"\xff", 0, "unexpected byte 0xff"},
			{"[\x01]", 1, "unexpected byte 0x01"},
			{"  \n", 3, "empty body"},
			{"\xEF\xBB\xBF", 3, "empty body"},
			{"[1] [", 4, "unexpected data after the JSON value"},
		};

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		{
			bool		ok = jp_parse(bad[i].body, strlen(bad[i].body), &root, &err);

			CHECK(!ok && err.offset == bad[i].offset &&
				  strcmp(err.message, bad[i].message) == 0,
				  "parse \"%s\": %s at %zu, expected %s at %zu", bad[i].body,
				  ok ? "ok" : err.message, ok ? 0 : err.offset,
				  bad[i].message, bad[i].offset);
			if (ok)
				jp_free(root);
		}
	}

	/* not NUL-terminated: the parser must stop at len */
	{
		const char	body[] = "[1,2]GARBAGE";

		CHECK(jp_parse(body, 5, &root, &err), "length-bounded parse");
		CHECK(jp_array_length(root) == 2, "length-bounded parse length");
		jp_free(root);
	}

	/* depth: JP_MAX_DEPTH nested arrays fit, one more does not */
	{
		char		deep[200];
		int			d;

		for (d = JP_MAX_DEPTH; d <= JP_MAX_DEPTH + 1; d++)
		{
			int			j;
			char	   *p = deep;
			bool		ok;

			for (j = 0; j < d; j++)
				*p++ = '[';
			for (j = 0; j < d; j++)
				*p++ = ']';
			*p = '\0';
			ok = jp_parse(deep, strlen(deep), &root, &err);
			CHECK(ok == (d <= JP_MAX_DEPTH), "depth %d: ok=%d", d, ok);
			if (ok)
				jp_free(root);
		}
	}

	/* strings: escapes, \u0000, surrogates, raw bytes kept as they are */
	{
		static const struct
		{
			const char *json;
			const char *bytes;
			size_t		len;
		}			sc[] = {
			{"\"a\\u0000b\"", "a\0b", 3},
			{"\"\\ud800x\"", "\xED\xA0\x80x", 4},	/* lone high surrogate */
			{"\"\\udc00\"", "\xED\xB0\x80", 3},	/* lone low surrogate */
			{"\"\\ud800\\u0041\"", "\xED\xA0\x80" "A", 4},
			{"\"\\udbff\\udfff\"", "\xF4\x8F\xBF\xBF", 4},	/* pair: U+10FFFF */
			{"\"\\ud83d\\ude00!\"", "\xF0\x9F\x98\x80!", 5},
			{"\"\\ude00\\ud83d\"", "\xED\xB8\x80\xED\xA0\xBD", 6},	/* reversed */
			{"\"\\u00e9\\u20AC\"", "\xC3\xA9\xE2\x82\xAC", 5},
			{"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
			{"\"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xff\"", "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xff", 10},
			{"\"\x7f\"", "\x7f", 1},
		};
		size_t		k;

		for (k = 0; k < sizeof(sc) / sizeof(sc[0]); k++)
		{
			const char *s;
			size_t		len;

			root = parse_ok(sc[k].json);
			CHECK(root != NULL && jp_string(root, &s, &len) == JP_OK &&
				  len == sc[k].len && memcmp(s, sc[k].bytes, len) == 0 &&
				  s[len] == '\0', "string %s", sc[k].json);
			jp_free(root);
		}
	}

	/* a key with \u0000 is kept whole, as C0 80, never cut to "a" */
	root = parse_ok("{\"a\\u0000b\": 1, \"a\": 2, \"\\u0000\": 3}");
	if (root)
	{
		JpObjectIter it;
		const char *key;
		struct json_object *v;
		int64_t		i64;

		CHECK(jp_object_length(root) == 3, "three keys");
		CHECK(jp_exact_int64(jp_get(root, "a"), &i64) && i64 == 2, "\"a\" is its own key");
		CHECK(jp_exact_int64(jp_get(root, "a\xC0\x80" "b"), &i64) && i64 == 1, "key a C0 80 b");
		CHECK(jp_exact_int64(jp_get(root, "\xC0\x80"), &i64) && i64 == 3, "key C0 80");
		jp_object_iter_init(root, &it);
		CHECK(jp_object_iter_next(&it, &key, &v) && strcmp(key, "a\xC0\x80" "b") == 0,
			  "first key in document order");
		jp_free(root);
	}

	/* duplicate keys: the last value wins, in the first one's place */
	root = parse_ok("{\"b\":1,\"a\":2,\"b\":3}");
	if (root)
	{
		int64_t		i64;

		CHECK(jp_object_length(root) == 2 && jp_exact_int64(jp_get(root, "b"), &i64) &&
			  i64 == 3, "duplicate key");
		jp_free(root);
	}

	/* null vs absent */
	root = parse_ok("{\"a\":null,\"b\":{\"c\":1}}");
	if (root)
	{
		struct json_object *v = (struct json_object *) 1;

		CHECK(jp_get_ex(root, "a", &v) && v == NULL, "present null");
		CHECK(!jp_get_ex(root, "x", &v) && v == NULL, "absent");
		CHECK(jp_get(jp_get(root, "b"), "c") != NULL, "nested get");
		CHECK(jp_get(jp_get(root, "a"), "c") == NULL, "get on null");
		jp_free(root);
	}
}

/* ------------------------------------------------------------ numbers */

static void
test_numbers(void)
{
	JpNumber	num;
	struct json_object *keep;
	JpStatus	st;
	int64_t		i;
	double		d;
	float		f;

	/* every number keeps its exact text */
	static const char *const exact[] = {
		"1958.3333333333333", "29.285714285714285", "244864.75", "0.1",
		"1e5", "1E+5", "-0.0", "123456789012345678901234567890.123456789",
		"1.5e999", "1e-400", "0.30000000000000004", "-1.0E-0", "1.50", "-0",
		"0", "7", "-7", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "18446744073709551615", "18446744073709551616",
		"99999999999999999999", "-9223372036854775809",
		"123456789012345678901234567890", "-99999999999999999999999",
		"100000000000000000000000000000000000000000000000000000000000000000000000000000000"
	};
	size_t		k;

	/* the int64 fast path agrees with jp_number, and leaves the rest to it */
	{
		struct json_object *root = parse_ok("[0, -7, 9223372036854775806, -9223372036854775807,"
											" 9223372036854775807, -9223372036854775808,"
											" 9223372036854775808, 1.0, 1e3, \"1\", null, true, -0]");
		static const struct
		{
			bool		exact;
			int64_t		value;
		}			want[] = {
			{true, 0}, {true, -7}, {true, INT64_C(9223372036854775806)},
			{true, -INT64_C(9223372036854775807)}, {true, INT64_MAX}, {true, INT64_MIN},
			{false, 0}, {false, 0}, {false, 0}, {false, 0}, {false, 0}, {false, 0},
			{false, 0},
		};

		for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		{
			struct json_object *e = jp_array_get(root, k);
			bool		ok = jp_exact_int64(e, &i);

			CHECK(ok == want[k].exact && (!ok || i == want[k].value),
				  "jp_exact_int64 element %zu", k);
			if (ok)
				CHECK(jp_number(e, &num) == JP_OK && num.form == JP_NUM_INT64 && num.i64 == i,
					  "jp_exact_int64 agrees with jp_number, element %zu", k);
		}
		jp_free(root);
	}

	for (k = 0; k < sizeof(exact) / sizeof(exact[0]); k++)
	{
		Buf			b = {NULL, 0, 0};

		st = number_of(exact[k], &num, &keep);
		CHECK(st == JP_OK && strcmp(num.text, exact[k]) == 0 && num.len == strlen(exact[k]),
			  "exact text %s -> %s", exact[k], num.text);
		CHECK(jp_serialize(jp_array_get(keep, 0), buf_sink, &b) == JP_OK && b.data &&
			  strcmp(b.data, exact[k]) == 0, "serialized %s -> %s", exact[k],
			  b.data ? b.data : "(null)");
		free(b.data);
		jp_free(keep);
	}

	/* integers: int64 where the text is an int64's, exact decimals beyond */
	st = number_of("9223372036854775807", &num, &keep);
	CHECK(st == JP_OK && num.form == JP_NUM_INT64 && num.i64 == INT64_MAX, "INT64_MAX");
	jp_free(keep);
	st = number_of("-9223372036854775808", &num, &keep);
	CHECK(st == JP_OK && num.form == JP_NUM_INT64 && num.i64 == INT64_MIN, "INT64_MIN");
	jp_free(keep);
	st = number_of("-0", &num, &keep);
	CHECK(st == JP_OK && num.form == JP_NUM_DECIMAL && num.is_zero && num.negative &&
		  jp_number_int64(&num, &i) == JP_OK && i == 0, "-0 is a decimal zero");
	jp_free(keep);
	{
		static const struct
		{
			const char *text;
			int64_t		weight;
		}			big[] = {
			{"9223372036854775808", 18}, {"18446744073709551615", 19},
			{"18446744073709551616", 19}, {"-9223372036854775809", 18},
			{"99999999999999999999", 19}, {"-99999999999999999999999", 22},
			{"123456789012345678901234567890", 29},
		};

		for (k = 0; k < sizeof(big) / sizeof(big[0]); k++)
		{
			st = number_of(big[k].text, &num, &keep);
			CHECK(st == JP_OK && num.form == JP_NUM_DECIMAL && num.integral &&
				  !num.has_exp && num.weight == big[k].weight && num.scale == 0 &&
				  jp_number_fits_numeric(&num),
				  "big integer %s: form %d weight %lld", big[k].text, num.form,
				  (long long) num.weight);
			CHECK(jp_number_int64(&num, &i) == JP_OUT_OF_RANGE,
				  "big integer %s is no int64", big[k].text);
			CHECK(jp_number_double(&num, &d) == JP_OK && d == strtod(big[k].text, NULL),
				  "big integer %s as double", big[k].text);
			jp_free(keep);
		}
	}

	/* int64 extraction from decimals */
	{
		static const struct
		{
			const char *text;
			JpStatus	st;
			int64_t		v;
		}			ic[] = {
			{"3", JP_OK, 3}, {"3.0", JP_OK, 3}, {"1e3", JP_OK, 1000},
			{"1.5e1", JP_OK, 15}, {"-2.50e1", JP_OK, -25}, {"0.0", JP_OK, 0},
			{"-0.0e-5", JP_OK, 0}, {"0e999999999", JP_OK, 0},
			{"1.5", JP_NOT_INTEGRAL, 0}, {"1e-5", JP_NOT_INTEGRAL, 0},
			{"12345.6789e2", JP_NOT_INTEGRAL, 0}, {"12345.6789e4", JP_OK, 123456789},
			{"9223372036854775807.0", JP_OK, INT64_MAX},
			{"9223372036854775808.0", JP_OUT_OF_RANGE, 0},
			{"-9223372036854775808.0", JP_OK, INT64_MIN},
			{"-9223372036854775809.0", JP_OUT_OF_RANGE, 0},
			{"1e18", JP_OK, INT64_C(1000000000000000000)},
			{"1e19", JP_OUT_OF_RANGE, 0}, {"1e999", JP_OUT_OF_RANGE, 0},
			{"0.000000000000000000000000000001e30", JP_OK, 1},
			{"17752.0", JP_OK, 17752},
		};

		for (k = 0; k < sizeof(ic) / sizeof(ic[0]); k++)
		{
			st = number_of(ic[k].text, &num, &keep);
			CHECK(st == JP_OK, "int %s parses", ic[k].text);
			st = jp_number_int64(&num, &i);
			CHECK(st == ic[k].st && (st != JP_OK || i == ic[k].v),
				  "int64 %s -> st %d v %lld (want st %d v %lld)", ic[k].text,
				  st, (long long) i, ic[k].st, (long long) ic[k].v);
			jp_free(keep);
		}
	}

	/* numeric limits of PostgreSQL 15 */
	{
		static const struct
		{
			const char *text;
			bool		fits;
		}			nc[] = {
			{"1e131071", true}, {"9.99e131071", true}, {"1e131072", false},
			{"1e-16383", true}, {"1e-16384", false}, {"1.5e-16383", false},
			{"0e-20000", false}, {"0e99999999", true}, {"0e99999999999", false},
			{"1958.3333333333333", true}, {"1e1001", true},
		};

		for (k = 0; k < sizeof(nc) / sizeof(nc[0]); k++)
		{
			st = number_of(nc[k].text, &num, &keep);
			CHECK(st == JP_OK && jp_number_fits_numeric(&num) == nc[k].fits,
				  "numeric fits %s", nc[k].text);
			jp_free(keep);
		}
	}

	/* doubles and floats */
	st = number_of("1e999", &num, &keep);
	CHECK(jp_number_double(&num, &d) == JP_OUT_OF_RANGE, "1e999 double overflow");
	jp_free(keep);
	st = number_of("1e-400", &num, &keep);
	CHECK(jp_number_double(&num, &d) == JP_OUT_OF_RANGE, "1e-400 double underflow");
	jp_free(keep);
	st = number_of("4.9e-324", &num, &keep);
	CHECK(jp_number_double(&num, &d) == JP_OK && d > 0, "denormal double ok");
	jp_free(keep);
	st = number_of("0.1", &num, &keep);
	CHECK(jp_number_double(&num, &d) == JP_OK && d == 0.1, "0.1 double");
	CHECK(jp_number_float(&num, &f) == JP_OK && f == 0.1f, "0.1 float");
	jp_free(keep);
	st = number_of("3.5e38", &num, &keep);
	CHECK(jp_number_float(&num, &f) == JP_OUT_OF_RANGE, "float overflow");
	CHECK(jp_number_double(&num, &d) == JP_OK, "3.5e38 double ok");
	jp_free(keep);
	st = number_of("1e-50", &num, &keep);
	CHECK(jp_number_float(&num, &f) == JP_OUT_OF_RANGE, "float underflow");
	jp_free(keep);
	st = number_of("16777217", &num, &keep);
	CHECK(jp_number_float(&num, &f) == JP_OK && f == 16777216.0f, "float rounding of int");
	jp_free(keep);

	/* non-numbers */
	{
		struct json_object *root = parse_ok("[\"1\", true, null, {}]");
		size_t		j;

		for (j = 0; j < 4; j++)
			CHECK(jp_number(jp_array_get(root, j), &num) == JP_WRONG_KIND,
				  "non-number %zu", j);
		jp_free(root);
	}

	/* jp_number_parse on raw text: RFC 8259 only */
	CHECK(jp_number_parse("12a", &num) == JP_BAD_FORMAT, "12a");
	CHECK(jp_number_parse("01", &num) == JP_BAD_FORMAT, "01");
	CHECK(jp_number_parse("1.", &num) == JP_BAD_FORMAT, "1.");
	CHECK(jp_number_parse("-.5", &num) == JP_BAD_FORMAT, "-.5");
	CHECK(jp_number_parse(".5", &num) == JP_BAD_FORMAT, ".5");
	CHECK(jp_number_parse("NaN", &num) == JP_BAD_FORMAT, "NaN");
	CHECK(jp_number_parse("+1", &num) == JP_BAD_FORMAT, "+1");
	CHECK(jp_number_parse("", &num) == JP_BAD_FORMAT, "empty");
	CHECK(jp_number_parse("-", &num) == JP_BAD_FORMAT, "-");
	CHECK(jp_number_parse(".", &num) == JP_BAD_FORMAT, ".");
	CHECK(jp_number_parse("1e", &num) == JP_BAD_FORMAT, "1e");
	CHECK(jp_number_parse("1e+", &num) == JP_BAD_FORMAT, "1e+");
	CHECK(jp_number_parse("1e99999999999999999999999", &num) == JP_OK &&
		  num.exponent == JP_EXP_CLAMP, "exponent clamp");
	CHECK(jp_number_parse("0.00120", &num) == JP_OK && num.weight == -3 &&
		  num.scale == 5 && !num.integral, "weight/scale 0.00120");
	CHECK(jp_number_parse("120e-1", &num) == JP_OK && num.weight == 1 &&
		  num.scale == 1 && num.integral, "weight/scale 120e-1");
}

/* ------------------------------------------------------------ dates */

static int64_t
iso(const char *s, JpStatus *st)
{
	int64_t		us = 0;

	*st = jp_parse_iso8601(s, strlen(s), &us);
	return us;
}

static void
test_dates(void)
{
	JpStatus	st;
	int64_t		us;
	int64_t		y;
	int			m;
	int			d;
	size_t		k;
	static const struct
	{
		const char *s;
		int64_t		us;
	}			good[] = {
		{"1970-01-01T00:00:00.000Z", 0},
		{"1970-01-01", 0},
		{"2021-07-27T20:25:44.430Z", INT64_C(1627417544430000)},
		{"2021-07-27t20:25:44.430z", INT64_C(1627417544430000)},
		{"2021-07-27 20:25:44.430Z", INT64_C(1627417544430000)},
		{"2021-07-27T20:25:44.43Z", INT64_C(1627417544430000)},
		{"2021-07-27T20:25:44,43Z", INT64_C(1627417544430000)},
		{"2021-07-27T20:25:44.430", INT64_C(1627417544430000)},	/* no zone: UTC */
		{"2021-07-27T20:25:44Z", INT64_C(1627417544000000)},
		{"2021-07-27T20:25Z", INT64_C(1627417500000000)},
		{"2021-07-27", INT64_C(1627344000000000)},
		{"2021-07-29T00:00:00.00Z", INT64_C(1627516800000000)},
		{"2021-07-27T22:25:44.430+02:00", INT64_C(1627417544430000)},
		{"2021-07-27T22:25:44.430+0200", INT64_C(1627417544430000)},
		{"2021-07-27T22:25:44.430+02", INT64_C(1627417544430000)},
		{"2021-07-27T14:55:44.430-05:30", INT64_C(1627417544430000)},
		{"2021-07-27T20:25:44.4301234Z", INT64_C(1627417544430123)},
		{"2021-07-27T20:25:44.4301235Z", INT64_C(1627417544430124)},
		{"2021-07-27T20:25:44.4301239999Z", INT64_C(1627417544430124)},
		{"2021-07-27T20:25:59.9999995Z", INT64_C(1627417560000000)},
		{"2021-07-27T24:00:00Z", INT64_C(1627430400000000)},
		{"2021-07-27T24:00Z", INT64_C(1627430400000000)},
		{"1969-12-31T23:59:59.999999Z", -1},
		{"2000-02-29", INT64_C(951782400000000)},
		{"2020-02-29T12:00:00Z", INT64_C(1582977600000000)},
		{"0000-01-01T00:00:00Z", INT64_C(-62167219200000000)},
		{"+275760-09-13T00:00:00.000Z", INT64_C(8640000000000000000)},
		{"-000001-01-01T00:00:00Z", INT64_C(-62198755200000000)},
		{"+002021-07-27", INT64_C(1627344000000000)},
	};
	static const char *const bad[] = {
		"", "2021", "2021-07", "2021-7-27", "2021-07-7", "21-07-27",
		"2021-13-01", "2021-00-10", "2021-07-00", "2021-07-32", "2021-02-29",
		"1900-02-29", "2021-04-31", "2021-07-27T", "2021-07-27Z",
		"2021-07-27T20", "2021-07-27T20:", "2021-07-27T20:2", "2021-07-27T2:25",
		"2021-07-27T25:00:00Z", "2021-07-27T24:00:01Z", "2021-07-27T24:01Z",
		"2021-07-27T24:00:00.001Z", "2021-07-27T23:60:00Z", "2021-07-27T23:59:60Z",
		"2021-07-27T20:25:44.Z", "2021-07-27T20:25:44.430ZZ",
		"2021-07-27T20:25:44.430+2", "2021-07-27T20:25:44.430+02:0",
		"2021-07-27T20:25:44.430+24:00", "2021-07-27T20:25:44.430+02:60",
		"2021-07-27T20:25:44.430+02:00:00", "2021-07-27T20:25:44 ",
		" 2021-07-27", "2021-07-27 ", "2021/07/27", "-000000-01-01",
		"+27576-09-13", "2021-07-27T20:25:44.430UTC", "abcd-ef-gh",
		"2021-07-27X20:25:44Z", "１９７０-01-01",
	};

	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++)
	{
		us = iso(good[k].s, &st);
		CHECK(st == JP_OK && us == good[k].us, "iso %s -> st %d %lld (want %lld)",
			  good[k].s, st, (long long) us, (long long) good[k].us);
	}
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
	{
		us = iso(bad[k], &st);
		CHECK(st == JP_BAD_FORMAT, "iso bad %s -> st %d", bad[k], st);
	}
	/* range: the parser bounds seconds so that microseconds fit int64 */
	us = iso("+999999-12-31T23:59:59Z", &st);
	CHECK(st == JP_OUT_OF_RANGE, "year 999999 out of range (%d)", st);
	us = iso("-999999-01-01", &st);
	CHECK(st == JP_OUT_OF_RANGE, "year -999999 out of range (%d)", st);
	us = iso("+290000-01-01", &st);
	CHECK(st == JP_OK, "year 290000 in range (%d)", st);

	/* day numbers of the API reference */
	{
		static const struct
		{
			int64_t		day;
			int			y,
						m,
						d;
		}			dn[] = {
			{0, 1970, 1, 1}, {17752, 2018, 8, 9}, {18673, 2021, 2, 15},
			{20156, 2025, 3, 9}, {18802, 2021, 6, 24}, {17095, 2016, 10, 21},
			{-1, 1969, 12, 31}, {11016, 2000, 2, 29}, {-719528, 0, 1, 1},
		};

		for (k = 0; k < sizeof(dn) / sizeof(dn[0]); k++)
		{
			jp_civil_from_days(dn[k].day, &y, &m, &d);
			CHECK(y == dn[k].y && m == dn[k].m && d == dn[k].d,
				  "day %lld -> %lld-%d-%d", (long long) dn[k].day, (long long) y, m, d);
			CHECK(jp_days_from_civil(dn[k].y, dn[k].m, dn[k].d) == dn[k].day,
				  "civil -> day %lld", (long long) dn[k].day);
		}
	}
	/* round trip over a wide range */
	{
		int64_t		day;
		int			bad_rt = 0;

		for (day = -2000000; day <= 3000000; day += 7)
		{
			jp_civil_from_days(day, &y, &m, &d);
			if (jp_days_from_civil(y, m, d) != day)
				bad_rt++;
		}
		CHECK(bad_rt == 0, "civil round trip failures: %d", bad_rt);
	}
	CHECK(jp_epoch_us_to_day(-1) == -1, "floor day of -1us");
	CHECK(jp_epoch_us_to_day(0) == 0, "day of 0");
	CHECK(jp_epoch_us_to_day(INT64_C(86400000000)) == 1, "day of 1 day");
	CHECK(jp_epoch_us_to_day(-INT64_C(86400000000)) == -1, "day of -1 day");

	/* jp_day: numbers and strings */
	{
		struct json_object *root = parse_ok(
			"[17752, 17752.0, 17752.5, \"2018-08-09T23:59:59.999Z\", \"2018-08-09\","
			" true, 1e10, -3, \"2018-08-10T01:00:00+02:00\", \"x\"]");
		int64_t		day = 0;

		CHECK(jp_day(jp_array_get(root, 0), &day) == JP_OK && day == 17752, "day int");
		CHECK(jp_day(jp_array_get(root, 1), &day) == JP_OK && day == 17752, "day 17752.0");
		CHECK(jp_day(jp_array_get(root, 2), &day) == JP_NOT_INTEGRAL, "day 17752.5");
		CHECK(jp_day(jp_array_get(root, 3), &day) == JP_OK && day == 17752, "day iso");
		CHECK(jp_day(jp_array_get(root, 4), &day) == JP_OK && day == 17752, "day date");
		CHECK(jp_day(jp_array_get(root, 5), &day) == JP_WRONG_KIND, "day bool");
		CHECK(jp_day(jp_array_get(root, 6), &day) == JP_OUT_OF_RANGE, "day 1e10");
		CHECK(jp_day(jp_array_get(root, 7), &day) == JP_OK && day == -3, "day -3");
		CHECK(jp_day(jp_array_get(root, 8), &day) == JP_OK && day == 17752,
			  "day of offset time is the UTC date");
		CHECK(jp_day(jp_array_get(root, 9), &day) == JP_BAD_FORMAT, "day x");
		jp_free(root);
	}
	{
		struct json_object *root = parse_ok("[\"2021-07-27T20:25:44.430Z\", 5, null]");
		int64_t		t = 0;

		CHECK(jp_timestamp(jp_array_get(root, 0), &t) == JP_OK &&
			  t == INT64_C(1627417544430000), "timestamp");
		CHECK(jp_timestamp(jp_array_get(root, 1), &t) == JP_WRONG_KIND, "timestamp number");
		CHECK(jp_timestamp(jp_array_get(root, 2), &t) == JP_WRONG_KIND, "timestamp null");
		jp_free(root);
	}
}

/* ------------------------------------------------------------ uuid */

static void
test_uuid(void)
{
	unsigned char u[16];
	static const char *const good[] = {
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
		"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc999c0b4ef8bb6d6bb9bd380a11",
		"a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
		"{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}",
	};
	static const char *const bad[] = {
		"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "61006bc89a3e0b702ed8ea49",
	};
	size_t		k;

	for (k = 0; k < sizeof(good) / sizeof(good[0]); k++)
	{
		CHECK(jp_parse_uuid(good[k], strlen(good[k]), u) == JP_OK &&
			  u[0] == 0xa0 && u[15] == 0x11, "uuid %s", good[k]);
	}
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		CHECK(jp_parse_uuid(bad[k], strlen(bad[k]), u) == JP_BAD_FORMAT, "uuid bad %s", bad[k]);
}

/* ------------------------------------------------------------ array reader */

/* read body element by element: the number of elements, or -1 on error */
static long
read_all(const char *body, size_t len, JpParseError *err, char *last, size_t lastsz)
{
	JpArrayReader r;
	long		n = 0;

	if (!jp_array_open(&r, body, len))
		return -2;
	for (;;)
	{
		struct json_object *e;
		JpArrayResult res = jp_array_next(&r, &e, err);

		if (res == JP_ARRAY_END)
			break;
		if (res == JP_ARRAY_ERROR)
		{
			n = -1;
			break;
		}
		if (last)
		{
			Buf			b = {NULL, 0, 0};

			(void) jp_serialize(e, buf_sink, &b);
			snprintf(last, lastsz, "%s", b.data ? b.data : "");
			free(b.data);
		}
		jp_free(e);
		n++;
	}
	/* END and ERROR repeat */
	{
		struct json_object *e;
		JpParseError again;
		JpArrayResult res = jp_array_next(&r, &e, &again);

		CHECK(res == (n < 0 ? JP_ARRAY_ERROR : JP_ARRAY_END) && e == NULL,
			  "reader repeats its last result for \"%.*s\"", (int) len, body);
	}
	jp_array_close(&r);
	jp_array_close(&r);
	return n;
}

static void
test_array_reader(void)
{
	static const struct
	{
		const char *body;
		long		n;			/* elements, -1 error, -2 not an array */
		const char *last;		/* last element serialized */
	}			cases[] = {
		{"[]", 0, NULL},
		{" \n[ ]\t", 0, NULL},
		{"\xEF\xBB\xBF[{}]", 1, "{}"},
		{"[{\"a\":1} , {\"b\":\"],\\\"[\"}]", 2, "{\"b\":\"],\\\"[\"}"},
		{"[1,2.50,\"x\",null,true,[],{}]", 7, "{}"},
		{"{\"a\":1}", -2, NULL},
		{"", -2, NULL},
		{"  ", -2, NULL},
		{"<html>", -2, NULL},
		{"[1,]", -1, NULL},
		{"[,1]", -1, NULL},
		{"[1 2]", -1, NULL},
		{"[1x]", -1, NULL},
		{"[1", -1, NULL},
		{"[1,", -1, NULL},
		{"[{\"a\":1}", -1, NULL},
		{"[{}] x", -1, NULL},
		{"[{}]]", -1, NULL},
		{"[\"\xff\"]", 1, "\"\xff\""},
		{"[{'a':1}]", -1, NULL},
		{"[{\"a\":1},{\"b\":NaN}]", -1, NULL},
		{"[{\"a\":1},{\"b\":01}]", -1, NULL},
		{"[{\"a\":1},]", -1, NULL},
		{"[{\"a\\\"b,c]\":1},{\"d'e,\":2}]", 2, "{\"d'e,\":2}"},	/* quotes in keys */
		{"[{\"n\":123456789012345678901234567890}]", 1, "{\"n\":123456789012345678901234567890}"},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const char *body = cases[i].body;
		size_t		len = strlen(body);
		JpParseError err;
		JpParseError perr;
		struct json_object *root;
		char		last[256] = "";
		long		n = read_all(body, len, &err, last, sizeof(last));

		CHECK(n == cases[i].n, "reader \"%s\": %ld elements, expected %ld", body, n,
			  cases[i].n);
		if (n >= 0)
		{
			CHECK(jp_array_count(body, len) == (size_t) n, "count \"%s\": %zu", body,
				  jp_array_count(body, len));
			if (cases[i].last)
				CHECK(strcmp(last, cases[i].last) == 0, "reader \"%s\": last %s", body, last);
		}
		if (n == -1)
		{
			/* jp_parse's message and offset */
			CHECK(!jp_parse(body, len, &root, &perr), "jp_parse fails on \"%s\"", body);
			CHECK(err.offset == perr.offset && strcmp(err.message, perr.message) == 0,
				  "reader error on \"%s\": %s at %zu, jp_parse: %s at %zu",
				  body, err.message, err.offset, perr.message, perr.offset);
		}
	}

	/* bounded by len, not by a NUL */
	{
		const char	body[] = "[1,2]GARBAGE";
		JpParseError err;

		CHECK(read_all(body, 5, &err, NULL, 0) == 2, "length-bounded reader");
		CHECK(jp_array_count(body, 5) == 2, "length-bounded count");
	}

	/* depth: the elements may nest JP_MAX_DEPTH - 1 deep, as inside jp_parse */
	{
		char		deep[200];
		int			d;

		for (d = JP_MAX_DEPTH; d <= JP_MAX_DEPTH + 1; d++)
		{
			int			j;
			char	   *p = deep;
			JpParseError err;

			for (j = 0; j < d; j++)
				*p++ = '[';
			for (j = 0; j < d; j++)
				*p++ = ']';
			*p = '\0';
			CHECK(read_all(deep, strlen(deep), &err, NULL, 0) == (d == JP_MAX_DEPTH ? 1 : -1),
				  "reader depth %d", d);
		}
	}

	/* a page: 3 objects, then a fault in the 4th: three elements come first */
	{
		const char *body = "[{\"_id\":\"a\"},{\"_id\":\"b\"},{\"_id\":\"c\"},{\"_id\":\"d\",]";
		JpArrayReader r;
		struct json_object *e;
		JpParseError err;
		int			k;

		CHECK(jp_array_open(&r, body, strlen(body)), "open page");
		for (k = 0; k < 3; k++)
		{
			CHECK(jp_array_next(&r, &e, &err) == JP_ARRAY_ELEMENT, "element %d", k);
			jp_free(e);
		}
		CHECK(jp_array_next(&r, &e, &err) == JP_ARRAY_ERROR && err.offset == 48,
			  "fault in the 4th element: %s at %zu", err.message, err.offset);
		jp_array_close(&r);
	}
}

/* ------------------------------------------------------------ UTF-8 */

static void
test_utf8(void)
{
	static const struct
	{
		const char *bytes;
		size_t		len;
		JpUtf8Status st;
		size_t		n;
		uint32_t	cp;
	}			cases[] = {
		{"A", 1, JP_UTF8_VALID, 1, 0x41},
		{"\0", 1, JP_UTF8_NUL, 1, 0},
		{"\x7f", 1, JP_UTF8_VALID, 1, 0x7f},
		{"\xC2\x80", 2, JP_UTF8_VALID, 2, 0x80},
		{"\xC3\xA9", 2, JP_UTF8_VALID, 2, 0xE9},
		{"\xC0\x80", 2, JP_UTF8_KEY_NUL, 2, 0},
		{"\xC0\xAF", 2, JP_UTF8_OVERLONG, 2, 0x2F},
		{"\xC1\xBF", 2, JP_UTF8_OVERLONG, 2, 0x7F},
		{"\xE0\x80\xAF", 3, JP_UTF8_OVERLONG, 3, 0x2F},
		{"\xE0\x9F\xBF", 3, JP_UTF8_OVERLONG, 3, 0x7FF},
		{"\xE0\xA0\x80", 3, JP_UTF8_VALID, 3, 0x800},
		{"\xED\x9F\xBF", 3, JP_UTF8_VALID, 3, 0xD7FF},
		{"\xED\xA0\x80", 3, JP_UTF8_SURROGATE, 3, 0xD800},
		{"\xED\xBF\xBF", 3, JP_UTF8_SURROGATE, 3, 0xDFFF},
		{"\xEE\x80\x80", 3, JP_UTF8_VALID, 3, 0xE000},
		{"\xEF\xBF\xBF", 3, JP_UTF8_VALID, 3, 0xFFFF},
		{"\xF0\x8F\xBF\xBF", 4, JP_UTF8_OVERLONG, 4, 0xFFFF},
		{"\xF0\x90\x80\x80", 4, JP_UTF8_VALID, 4, 0x10000},
		{"\xF4\x8F\xBF\xBF", 4, JP_UTF8_VALID, 4, 0x10FFFF},
		{"\xF4\x90\x80\x80", 4, JP_UTF8_TOO_LARGE, 4, 0x110000},
		{"\xF7\xBF\xBF\xBF", 4, JP_UTF8_TOO_LARGE, 4, 0x1FFFFF},
		{"\xF8\x88\x80\x80\x80", 5, JP_UTF8_INVALID, 1, 0},
		{"\x80", 1, JP_UTF8_INVALID, 1, 0},
		{"\xBF\x80", 2, JP_UTF8_INVALID, 1, 0},
		{"\xFF", 1, JP_UTF8_INVALID, 1, 0},
		{"\xC3", 1, JP_UTF8_INVALID, 1, 0},	/* cut short */
		{"\xE2\x82", 2, JP_UTF8_INVALID, 2, 0},
		{"\xE2\x28\xA1", 3, JP_UTF8_INVALID, 1, 0},
		{"\xF0\x9F\x98", 3, JP_UTF8_INVALID, 3, 0},
		{"\xF0\x9F\x98\x80", 4, JP_UTF8_VALID, 4, 0x1F600},
	};
	size_t		k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		JpUtf8Status st;
		uint32_t	cp = 0;
		size_t		n = jp_utf8_sequence(cases[k].bytes, cases[k].len, &st, &cp);

		CHECK(st == cases[k].st && n == cases[k].n &&
			  (st == JP_UTF8_INVALID || st == JP_UTF8_NUL || cp == cases[k].cp),
			  "utf8 case %zu: status %d length %zu cp %04X (want %d %zu %04X)", k,
			  st, n, (unsigned) cp, cases[k].st, cases[k].n, (unsigned) cases[k].cp);
	}
	CHECK(jp_utf8_valid_prefix("abc\xC3\xA9\xED\xA0\x80z", 9) == 5, "valid prefix");
	CHECK(jp_utf8_valid_prefix("a\0b", 3) == 1, "valid prefix stops at NUL");
	CHECK(jp_utf8_valid_prefix("\xF0\x9F\x98\x80", 4) == 4, "valid prefix emoji");
	CHECK(jp_utf8_valid_prefix("\xF0\x9F\x98", 3) == 0, "valid prefix cut emoji");
	CHECK(jp_utf8_valid_prefix("", 0) == 0, "valid prefix empty");
}

/* ------------------------------------------------------------ serializing */

static void
test_serialize(void)
{
	static const struct
	{
		const char *in;
		const char *out;
	}			cases[] = {
		{"{\"a\" : \"x/y\", \"b\": [1, 2.50, true, null, -0.0], \"c\": \"\\u0001\\n\\\"\\\\\"}",
		 "{\"a\":\"x/y\",\"b\":[1,2.50,true,null,-0.0],\"c\":\"\\u0001\\n\\\"\\\\\"}"},
		{"[1.50, 1E+5, -0, -0.0, 123456789012345678901234567890, -9223372036854775808]",
		 "[1.50,1E+5,-0,-0.0,123456789012345678901234567890,-9223372036854775808]"},
		{"{\"a\\u0000b\": \"\\ud800\"}", "{\"a\xC0\x80" "b\":\"\xED\xA0\x80\"}"},
		{"\"\\u00e9\\ud83d\\ude00\"", "\"\xC3\xA9\xF0\x9F\x98\x80\""},
		{"{\"k\":{}, \"l\":[]}", "{\"k\":{},\"l\":[]}"},
		{"{\"b\":1,\"a\":2,\"b\":3}", "{\"b\":3,\"a\":2}"},
		{"\"\\b\\f\\r\\t\\u001f\\u007f\"", "\"\\b\\f\\r\\t\\u001f\x7f\""},
		{"[\"a\\u0000b\"]", "[\"a\\u0000b\"]"},
	};
	size_t		k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		struct json_object *root = parse_ok(cases[k].in);
		Buf			b = {NULL, 0, 0};
		JpStatus	st;

		st = jp_serialize(root, buf_sink, &b);
		CHECK(st == JP_OK && b.data && strcmp(b.data, cases[k].out) == 0,
			  "serialize %s -> %s (want %s)", cases[k].in, b.data ? b.data : "(null)",
			  cases[k].out);
		free(b.data);
		jp_free(root);
	}

	/* a sink that stops */
	{
		struct json_object *root = parse_ok("[1, 2, 3]");
		Buf			b = {NULL, 0, 0};

		CHECK(jp_serialize(root, stop_sink, &b) == JP_STOPPED, "sink stops");
		jp_free(root);
	}
}

/* ------------------------------------------------------------ messages */

static void
test_messages(void)
{
	static const struct
	{
		const char *in;			/* NUL-terminated unless len */
		size_t		len;		/* 0: strlen(in) */
		int			max_chars;
		bool		cut;
		const char *utf8;		/* keep_utf8 true */
		const char *ascii;		/* keep_utf8 false */
	}			cases[] = {
		{"plain", 0, 10, false, "plain", "plain"},
		{"tab\there\nnl\x7f", 0, 20, false, "tab here nl ", "tab here nl "},
		{"a\0b", 3, 10, false, "a b", "a b"},
		{"Zo\xC3\xAB \xE2\x9C\x93", 0, 10, false, "Zo\xC3\xAB \xE2\x9C\x93", "Zo? ?"},
		/* invalid: one '?' per byte, the next sequence still read */
		{"a\xFF\xFE" "b", 0, 10, false, "a??b", "a??b"},
		{"\xC0\x80", 0, 10, false, "??", "??"},
		{"\xED\xA0\x80z", 0, 10, false, "???z", "???z"},
		{"\xE2\x9C", 0, 10, false, "??", "??"},
		{"\xE2\x9C" "a", 0, 10, false, "??a", "??a"},
		{"\xF4\x90\x80\x80", 0, 10, false, "????", "????"},
		/* cut at max_chars characters, not bytes */
		{"abcdef", 0, 3, false, "abc...", "abc..."},
		{"abc", 0, 3, false, "abc", "abc"},
		{"abc", 0, 3, true, "abc...", "abc..."},
		{"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 0, 2, false, "\xC3\xA9\xC3\xA9...", "??..."},
		{"", 0, 5, false, "", ""},
		{"", 0, 5, true, "...", "..."},
	};
	size_t		k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		size_t		len = cases[k].len ? cases[k].len : strlen(cases[k].in);
		char		out[JP_MESSAGE_SIZE(20)];
		char		inplace[JP_MESSAGE_SIZE(20)];
		size_t		n;
		int			u;

		for (u = 0; u < 2; u++)
		{
			const char *want = u == 0 ? cases[k].utf8 : cases[k].ascii;

			n = jp_message_text(cases[k].in, len, cases[k].cut,
								cases[k].max_chars, u == 0, out);
			CHECK(n == strlen(want) && strcmp(out, want) == 0,
				  "message %zu (%s): got \"%s\", want \"%s\"", k,
				  u == 0 ? "utf8" : "ascii", out, want);
			/* out may be the input itself */
			memcpy(inplace, cases[k].in, len);
			n = jp_message_text(inplace, len, cases[k].cut,
								cases[k].max_chars, u == 0, inplace);
			CHECK(n == strlen(want) && strcmp(inplace, want) == 0,
				  "message %zu in place (%s): got \"%s\", want \"%s\"", k,
				  u == 0 ? "utf8" : "ascii", inplace, want);
		}
	}

	/* values: compact JSON, then the same rules */
	{
		static const struct
		{
			const char *json;
			int			max_chars;
			const char *want;	/* keep_utf8 true */
		}			values[] = {
			{"{\"a\" : [1, 2.50, true, null]}", 40, "{\"a\":[1,2.50,true,null]}"},
			{"\"Zo\\u00eb\"", 10, "\"Zo\xC3\xAB\""},
			{"\"a\\u0000b\"", 20, "\"a\\u0000b\""},
			{"{\"a\\u0000b\": 1}", 20, "{\"a??b\":1}"},
			{"\"x\\ud800y\"", 20, "\"x???y\""},
			{"\"abcdefghij\"", 5, "\"abcd..."},
			{"[\"\\u00e9\\u00e9\\u00e9\\u00e9\"]", 4, "[\"\xC3\xA9\xC3\xA9..."},
		};

		for (k = 0; k < sizeof(values) / sizeof(values[0]); k++)
		{
			struct json_object *root = parse_ok(values[k].json);
			char		out[JP_MESSAGE_SIZE(40)];
			size_t		n = jp_message_value(root, values[k].max_chars, true, out);

			CHECK(n == strlen(values[k].want) && strcmp(out, values[k].want) == 0,
				  "message of %s: got \"%s\", want \"%s\"", values[k].json, out,
				  values[k].want);
			jp_free(root);
		}
	}

	/* JSON null; the longest message fills the documented size exactly */
	{
		static const char emoji4[] = "\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80";
		char		out[JP_MESSAGE_SIZE(3)];

		CHECK(jp_message_value(NULL, 10, true, out) == 4 && strcmp(out, "null") == 0,
			  "message of null: %s", out);
		CHECK(jp_message_text(emoji4, strlen(emoji4), false, 3, true, out) == sizeof(out) - 1 &&
			  memcmp(out, emoji4, 12) == 0 && strcmp(out + 12, "...") == 0,
			  "four-byte characters cut: %s", out);
	}
}

/* ------------------------------------------------------------ kinds */

static void
test_kinds(void)
{
	struct json_object *root = parse_ok("[null, true, 1, 1.5, \"s\", [], {}]");
	static const JpKind kinds[] = {
		JP_KIND_NULL, JP_KIND_BOOL, JP_KIND_NUMBER, JP_KIND_NUMBER,
		JP_KIND_STRING, JP_KIND_ARRAY, JP_KIND_OBJECT
	};
	size_t		k;
	bool		b;

	for (k = 0; k < 7; k++)
		CHECK(jp_kind(jp_array_get(root, k)) == kinds[k], "kind %zu", k);
	CHECK(jp_bool(jp_array_get(root, 1), &b) == JP_OK && b, "bool");
	CHECK(jp_bool(jp_array_get(root, 2), &b) == JP_WRONG_KIND, "bool from number");
	CHECK(jp_array_get(root, 7) == NULL, "array past end");
	CHECK(jp_array_length(jp_array_get(root, 6)) == 0, "length of object");
	jp_free(root);
}

int
main(void)
{
	/* which json-c was loaded: run.sh compares versions */
	printf("json-c %s\n", json_c_version());
	test_parse();
	test_array_reader();
	test_numbers();
	test_utf8();
	test_dates();
	test_uuid();
	test_serialize();
	test_messages();
	test_kinds();
	printf("jsonpage_test (json-c %s): %d checks, %d failures\n", json_c_version(),
		   checks, failures);
	return failures == 0 ? 0 : 1;
}
