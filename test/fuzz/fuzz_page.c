/*-------------------------------------------------------------------------
 *
 * fuzz_page.c
 *		  libFuzzer target for src/jsonpage.c: the page parser and every typed
 *		  extraction the JSON -> Datum conversion uses.
 *
 * The input is parsed as a Planhat answer.  For the root, every element
 * of a root array, every field of those objects and every element of
 * array fields, all extractions run: kind, bool, string, number (int64,
 * double, float, numeric fit, canonical text), timestamp, day, uuid, and
 * serialization.  Properties checked (abort on violation):
 *	- a serialized tree parses again and serializes to the same text;
 *	- canonical number text is strict, and decomposes to the same value;
 *	- an int64 extracted from a decimal equals strtod of its text when
 *	  exactly representable;
 *	- a parsed ISO timestamp, printed back with microseconds, parses to
 *	  the same instant;
 *	- the element-by-element reader (jp_array_open/next) agrees with
 *	  jp_parse: the same elements (serialized) and count (jp_array_count)
 *	  for a valid array, jp_parse's error (message and offset) for an
 *	  invalid one, never the end of an invalid one.
 * The raw input is also fed to the ISO, UUID and number-text parsers.
 * ASan/UBSan/LeakSanitizer catch memory errors, UB and leaked json-c trees.
 *
 * Build and run: test/fuzz/run.sh SECONDS
 *
 * IDENTIFICATION
 *		  test/fuzz/fuzz_page.c
 *
 *-------------------------------------------------------------------------
 */
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
	char	   *scratch;
	const char *text;
	size_t		len;

	if (st != JP_OK)
	{
		FUZZ_ASSERT(st == JP_SATURATED || st == JP_WRONG_KIND);
		return;
	}
	st = jp_number_int64(&num, &i);
	(void) jp_number_double(&num, &d);
	(void) jp_number_float(&num, &f);
	(void) jp_number_fits_numeric(&num);
	if (num.form >= JP_NUM_NAN)
	{
		FUZZ_ASSERT(st == JP_NOT_FINITE);
		return;
	}

	scratch = malloc(JP_NUMBER_SCRATCH(num.len));
	text = jp_number_canonical(&num, scratch, &len);
	FUZZ_ASSERT(strlen(text) == len);
	FUZZ_ASSERT(jp_number_parse(text, &again) == JP_OK);
	FUZZ_ASSERT(again.strict);
	FUZZ_ASSERT(again.is_zero == num.is_zero);
	FUZZ_ASSERT(again.integral == num.integral);
	FUZZ_ASSERT(again.negative == num.negative);
	FUZZ_ASSERT(again.scale == num.scale);
	if (!num.is_zero)
		FUZZ_ASSERT(again.weight == num.weight);

	/* an exactly representable integer agrees with strtod */
	if (st == JP_OK && i > -(INT64_C(1) << 53) && i < (INT64_C(1) << 53))
		FUZZ_ASSERT((double) i == strtod(text, NULL));
	free(scratch);
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
		(void) jp_parse_uuid(s, len, u);
		(void) jp_write_string(s, len, buf_sink, &cut);
	}
	check_number(v);
	check_timestamp(v);

	/*
	 * Serialize; if strict serialization succeeds, the text must parse again
	 * and reach a fixpoint after one more round.  (One round may still
	 * change it: json-c reads the integer "-0", our canonical form of
	 * "-0.", as 0.)
	 */
	if (jp_serialize(v, 0, buf_sink, &out) == JP_OK && out.data != NULL)
	{
		struct json_object *again;
		JpParseError err;
		Buf			out2 = {NULL, 0, 0, 0};
		Buf			out3 = {NULL, 0, 0, 0};

		JpStatus	st2;

		FUZZ_ASSERT(jp_parse(out.data, out.len, &again, &err));
		st2 = jp_serialize(again, 0, buf_sink, &out2);
		jp_free(again);
		/*
		 * "1234567890123456789012." is a double, its canonical text an
		 * integer json-c saturates on reading; PostgreSQL reads it fine.
		 */
		FUZZ_ASSERT(st2 == JP_OK || st2 == JP_SATURATED);
		if (st2 == JP_OK)
		{
			FUZZ_ASSERT(jp_parse(out2.data, out2.len, &again, &err));
			FUZZ_ASSERT(jp_serialize(again, 0, buf_sink, &out3) == JP_OK);
			jp_free(again);
			FUZZ_ASSERT(out2.len == out3.len &&
						memcmp(out2.data, out3.data, out2.len) == 0);
			FUZZ_ASSERT(out2.len <= out.len);
		}
		free(out2.data);
		free(out3.data);
	}
	free(out.data);
	free(cut.data);
	cut.data = NULL;
	cut.len = cut.cap = 0;
	(void) jp_serialize(v, JP_SER_LENIENT, buf_sink, &cut);
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

/* serialize v (leniently) into a fresh buffer; caller frees */
static char *
serialize_lenient(const struct json_object *v, size_t *len)
{
	Buf			b = {NULL, 0, 0, 0};

	(void) jp_serialize(v, JP_SER_LENIENT, buf_sink, &b);
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
			a = serialize_lenient(e, &alen);
			b = serialize_lenient(jp_array_get(root, i), &blen);
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

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *root;
	JpParseError err;

	if (jp_parse((const char *) data, size, &root, &err))
	{
		size_t		n = jp_array_length(root);
		size_t		i;

		check_object(root);
		for (i = 0; i < n; i++)
			check_object(jp_array_get(root, i));
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
			char	   *scratch = malloc(JP_NUMBER_SCRATCH(num.len));
			size_t		len;

			num.form = JP_NUM_DECIMAL;
			(void) jp_number_int64(&num, &i);
			(void) jp_number_float(&num, &(float) {0});
			(void) jp_number_fits_numeric(&num);
			(void) jp_number_canonical(&num, scratch, &len);
			free(scratch);
		}
		free(text);
	}
	return 0;
}
