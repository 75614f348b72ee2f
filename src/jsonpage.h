/*-------------------------------------------------------------------------
 *
 * jsonpage.h
 *		  PostgreSQL-independent JSON helpers of planhat_fdw: the page parser
 *		  and typed scalar extraction from json-c values.
 *
 * Nothing here includes postgres.h or allocates with palloc, so that the
 * same code can be built into a standalone libFuzzer target
 * (test/fuzz/fuzz_page.c) and unit test (test/fuzz/jsonpage_test.c).
 * Functions report problems through JpStatus codes; convert.c turns them
 * into ereport(ERROR) with the context (table, column, field, object id).
 *
 * The json-c type is only forward-declared: a file that includes this
 * header after "#define json_object planhat_json_object" (convert.c, see
 * the comment there) sees the same renamed struct tag as json-c's headers.
 *
 * Every function that takes a "const struct json_object *" accepts NULL,
 * which is how json-c represents JSON null (and how jp_get() reports an
 * absent key).
 *
 * IDENTIFICATION
 *		  src/jsonpage.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PLANHAT_JSONPAGE_H
#define PLANHAT_JSONPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* Maximum nesting depth accepted by the parser (json-c's default is 32) */
#define JP_MAX_DEPTH		64

/* Result of an extraction.  JP_OK is 0. */
typedef enum JpStatus
{
	JP_OK = 0,
	JP_WRONG_KIND,				/* JSON kind cannot become the target type */
	JP_OUT_OF_RANGE,			/* number or date outside the target range */
	JP_NOT_INTEGRAL,			/* number has a fractional part */
	JP_SATURATED,				/* integer outside json-c's 64-bit range */
	JP_NOT_FINITE,				/* NaN, Infinity or -Infinity */
	JP_BAD_FORMAT,				/* string is not a valid date/time/uuid */
	JP_STOPPED					/* jp_serialize: the sink asked to stop */
} JpStatus;

/* JSON value kinds; JP_KIND_NULL also stands for an absent key */
typedef enum JpKind
{
	JP_KIND_NULL,
	JP_KIND_BOOL,
	JP_KIND_NUMBER,
	JP_KIND_STRING,
	JP_KIND_ARRAY,
	JP_KIND_OBJECT
} JpKind;

extern JpKind jp_kind(const struct json_object *v);
extern const char *jp_kind_name(JpKind kind);	/* "a string", "an object", ... */

/* ---------------------------------------------------------------- parsing */

typedef struct JpParseError
{
	size_t		offset;			/* byte offset in the body */
	char		message[128];	/* json-c's description or ours */
} JpParseError;

/*
 * Parse a whole body (body[0..len-1], need not be NUL-terminated) as one
 * JSON value: strict RFC 8259 syntax as json-c checks it (json-c 0.16
 * still accepts single-quoted object keys, NaN/Infinity, and some number
 * spellings, see JpNumber), UTF-8 validated, at most JP_MAX_DEPTH levels of
 * nesting, nothing but whitespace after the value, a leading UTF-8 byte
 * order mark skipped.  Returns true and sets *root (NULL
 * for a JSON null) or returns false and fills *err.  The caller owns *root
 * and frees it with jp_free().
 */
extern bool jp_parse(const char *body, size_t len, struct json_object **root,
					 JpParseError *err);
extern void jp_free(struct json_object *root);

/*
 * Reading a JSON array one element at a time (list pages).  Parsing a whole
 * 5,000-row page into one json-c tree costs about three times as much as
 * parsing its elements one by one: the big tree's many small malloc'd
 * chunks are freed only at the end of the page, and glibc's consolidation
 * of them and the page faults of the grown heap dominate.  One element at a
 * time keeps the working set small and the heap warm.
 *
 * jp_array_open() checks that the body (after an optional byte order mark
 * and whitespace) starts with '['; when it does not, nothing is allocated
 * and the caller should use jp_parse() for its error message or shape.
 * jp_array_next() then hands out the elements in order (the caller frees
 * each with jp_free()) and returns JP_ARRAY_END after the closing ']' once
 * it has checked that only whitespace follows.  The syntax rules are
 * jp_parse()'s, and so is a fault: reported with jp_parse()'s message and
 * offset for the whole body, but only once the reader reaches it (the
 * elements before it have been handed out by then).  After an error or the
 * end it keeps returning the same result.  jp_array_close() releases the
 * tokener (also after an error; safe to call twice).  The fuzz target
 * checks all of this against jp_parse().
 *
 * jp_array_count() counts the elements without building anything (about 30
 * times faster than parsing): exact for a valid JSON array, a guess
 * otherwise (the reader then reports the fault when it reaches it).
 */
typedef enum JpArrayResult
{
	JP_ARRAY_ELEMENT,			/* *elem set */
	JP_ARRAY_END,				/* no more elements, body fully checked */
	JP_ARRAY_ERROR				/* *err set */
} JpArrayResult;

typedef struct JpArrayReader
{
	const char *body;
	size_t		len;
	size_t		pos;			/* next byte to look at */
	size_t		count;			/* elements handed out */
	int			state;			/* private */
	JpParseError err;			/* the error, once there is one */
	struct json_tokener *tok;	/* malloc'd on first use */
} JpArrayReader;

extern bool jp_array_open(JpArrayReader *r, const char *body, size_t len);
extern JpArrayResult jp_array_next(JpArrayReader *r, struct json_object **elem,
								   JpParseError *err);
extern void jp_array_close(JpArrayReader *r);
extern size_t jp_array_count(const char *body, size_t len);

/* ----------------------------------------------------------------- access */

/* Value of key in an object; NULL when absent, null, or v is no object */
extern struct json_object *jp_get(const struct json_object *v, const char *key);
/* Like jp_get, but tells absent (false) from present-and-null (true) */
extern bool jp_get_ex(const struct json_object *v, const char *key,
					  struct json_object **value);
extern size_t jp_array_length(const struct json_object *v);	/* 0 unless array */
extern struct json_object *jp_array_get(const struct json_object *v, size_t i);

/* Object iteration in document order: returns false at the end. */
typedef struct JpObjectIter
{
	void	   *entry;			/* json-c lh_entry, private */
} JpObjectIter;

extern size_t jp_object_length(const struct json_object *v);	/* 0 unless object */
extern void jp_object_iter_init(const struct json_object *v, JpObjectIter *it);
extern bool jp_object_iter_next(JpObjectIter *it, const char **key,
								struct json_object **value);

/* ---------------------------------------------------------------- scalars */

extern JpStatus jp_bool(const struct json_object *v, bool *out);

/*
 * A string value: pointer into the tree (valid while the tree lives), length
 * in bytes.  The bytes are valid UTF-8 (the parser validates raw bytes and
 * json-c encodes \u escapes, replacing lone surrogates with U+FFFD), but may
 * contain NUL bytes from \u0000.
 */
extern JpStatus jp_string(const struct json_object *v, const char **s,
						  size_t *len);

/* ---------------------------------------------------------------- numbers */

typedef enum JpNumberForm
{
	JP_NUM_INT64,				/* json-c int, fits int64 */
	JP_NUM_UINT64,				/* json-c int above INT64_MAX */
	JP_NUM_DECIMAL,				/* json-c double: the token's own text */
	JP_NUM_NAN,					/* json-c accepts NaN, Infinity, -Infinity */
	JP_NUM_POS_INF,
	JP_NUM_NEG_INF
} JpNumberForm;

/*
 * A JSON number, decomposed.  'text' is NUL-terminated: the token exactly as
 * it appeared in the body (doubles; json-c keeps it as the value's
 * serializer userdata), or the integer printed into 'buf' (json-c keeps
 * integers only as int64/uint64), or "NaN"/"Infinity"/"-Infinity".
 *
 * json-c accepts some non-RFC spellings even in strict mode ("1.", "-.5",
 * "01.5", "1.e5"); 'strict' is false for those and jp_number_canonical()
 * writes the RFC form.  Integers with leading zeros ("00", "-01") reach us
 * already normalised by json-c.
 */
typedef struct JpNumber
{
	JpNumberForm form;
	const char *text;			/* NUL-terminated */
	size_t		len;
	int64_t		i64;			/* JP_NUM_INT64 */
	uint64_t	u64;			/* JP_NUM_UINT64 */
	double		dbl;			/* json-c's double (JP_NUM_DECIMAL, NaN, inf) */
	/* decomposition of text (JP_NUM_INT64/UINT64/DECIMAL) */
	bool		negative;
	bool		strict;			/* text is an RFC 8259 number */
	bool		is_zero;
	bool		integral;		/* value has no fractional part */
	bool		has_exp;
	const char *int_digits;		/* digits before '.', may be empty */
	size_t		n_int;
	const char *frac_digits;	/* digits after '.', may be empty */
	size_t		n_frac;
	const char *exp_part;		/* "e+5" (from the e), or NULL */
	int64_t		exponent;		/* clamped to +-JP_EXP_CLAMP */
	int64_t		weight;			/* decimal position of the first nonzero
								 * digit: 0 for units, -1 for tenths */
	int64_t		scale;			/* digits after the point implied by the
								 * text: max(0, n_frac - exponent) */
	char		buf[32];
} JpNumber;

#define JP_EXP_CLAMP		INT64_C(4000000000)
#define JP_NUMBER_SCRATCH(len)	((len) + 3) /* jp_number_canonical scratch */

/*
 * Decompose a number value.  Returns JP_WRONG_KIND for non-numbers,
 * JP_SATURATED for an integer json-c saturated (see below), JP_OK otherwise
 * (also for NaN/Infinity: check num->form).
 *
 * json-c 0.16 parses integers with strtoll/strtoull and keeps the saturated
 * result without an error: any integer below INT64_MIN reads as INT64_MIN,
 * any above UINT64_MAX as UINT64_MAX.  Exactly those two values are
 * therefore ambiguous and are reported as JP_SATURATED, even when the body
 * really said -9223372036854775808 or 18446744073709551615.
 */
extern JpStatus jp_number(const struct json_object *v, JpNumber *num);

/*
 * The fast path of jp_number() for the common case: true when v is a JSON
 * integer that json-c holds exactly as an int64 (never for the ambiguous
 * INT64_MIN and INT64_MAX, see above), with the value in *out.  Anything
 * else (false) goes through jp_number().
 */
extern bool jp_exact_int64(const struct json_object *v, int64_t *out);

/* Decompose a NUL-terminated number text (what jp_number uses). */
extern JpStatus jp_number_parse(const char *text, JpNumber *num);

/*
 * The number as an int64.  Any value whose exact decimal value is a whole
 * number is accepted ("3", "3.0", "1e3", "1.5e1"); a fraction gives
 * JP_NOT_INTEGRAL, a value outside int64 JP_OUT_OF_RANGE, NaN/Infinity
 * JP_NOT_FINITE.
 */
extern JpStatus jp_number_int64(const JpNumber *num, int64_t *out);

/*
 * As double (json-c's own strtod result) or float (strtof of the text, so
 * rounding happens once).  NaN and +-Infinity are returned as such (JP_OK);
 * a finite text that overflows, or a nonzero one that underflows to zero,
 * gives JP_OUT_OF_RANGE (the rules of float8in/float4in).
 */
extern JpStatus jp_number_double(const JpNumber *num, double *out);
extern JpStatus jp_number_float(const JpNumber *num, float *out);

/*
 * Does the number fit PostgreSQL's numeric (PostgreSQL 15 numeric_in
 * limits: at most 131072 digits before the decimal point, at most 16383
 * after, exponent below INT_MAX/2)?  NaN and Infinity fit (numeric has them).
 */
extern bool jp_number_fits_numeric(const JpNumber *num);

/*
 * RFC 8259 text of a finite number: num->text itself when num->strict,
 * otherwise the normalised spelling written into scratch, which must hold
 * JP_NUMBER_SCRATCH(num->len) bytes.  NUL-terminated; *len set.
 */
extern const char *jp_number_canonical(const JpNumber *num, char *scratch,
									   size_t *len);

/* ------------------------------------------------------------ date / time */

/*
 * Parse an ISO-8601 / RFC 3339 date or date-time into microseconds since
 * 1970-01-01T00:00:00Z.  Accepted forms (nothing else, no surrounding
 * whitespace):
 *
 *	 YYYY-MM-DD								midnight UTC
 *	 YYYY-MM-DD[Tt ]HH:MM[:SS[(.|,)F+]][Z|z|+HH:MM|-HH:MM|+HHMM|-HHMM|+HH|-HH]
 *
 * YYYY may also be a sign and six digits (ECMAScript extended years,
 * "+275760", "-000001"; "-000000" is invalid).  Without a zone the time is
 * UTC.  Fractions are rounded half up to microseconds.  24:00[:00[.0…]]
 * means midnight of the next day; :60 leap seconds are rejected.  Returns
 * JP_BAD_FORMAT for anything else, JP_OUT_OF_RANGE beyond +-9.2e12 seconds.
 */
extern JpStatus jp_parse_iso8601(const char *s, size_t len, int64_t *epoch_us);

/* Days since 1970-01-01 from microseconds since the epoch (floor). */
extern int64_t jp_epoch_us_to_day(int64_t epoch_us);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
extern int64_t jp_days_from_civil(int64_t y, int m, int d);
extern void jp_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/*
 * A value as microseconds since the epoch: ISO string only (JP_WRONG_KIND
 * for other kinds).
 */
extern JpStatus jp_timestamp(const struct json_object *v, int64_t *epoch_us);

/*
 * A value as a day number (days since 1970-01-01): a whole JSON number is
 * the day number itself (Planhat's "days format"), an ISO string gives the
 * UTC date of the instant.  Day numbers beyond +-2^31 are JP_OUT_OF_RANGE.
 */
extern JpStatus jp_day(const struct json_object *v, int64_t *day);

/* --------------------------------------------------------------------- uuid */

/*
 * The forms PostgreSQL's uuid_in accepts: 32 hex digits, optionally in
 * braces, with an optional '-' after any group of four digits.
 */
extern JpStatus jp_parse_uuid(const char *s, size_t len, unsigned char out[16]);

/* ------------------------------------------------------------ serializing */

/*
 * Sink for jp_serialize: append len bytes; return nonzero to stop.  The
 * sink may also longjmp (palloc failure): jp_serialize holds no allocated
 * state while it runs.
 */
typedef int (*JpSinkFn) (void *arg, const char *data, size_t len);

/* jp_serialize flags */
#define JP_SER_LENIENT	0x0001	/* print saturated integers and NaN/Infinity
								 * the way json-c would instead of failing */

/*
 * Compact JSON text of v (JSON.stringify style: no spaces, '/' unescaped,
 * control characters as \uXXXX, non-ASCII as raw UTF-8, numbers in their
 * canonical text, keys in document order).  Returns JP_OK, JP_STOPPED when
 * the sink stopped, or (without JP_SER_LENIENT) JP_SATURATED/JP_NOT_FINITE
 * at the first such number (output is then incomplete).
 */
extern JpStatus jp_serialize(const struct json_object *v, int flags,
							 JpSinkFn sink, void *arg);

/* Write s[0..len-1] as a quoted JSON string (same escaping). */
extern int	jp_write_string(const char *s, size_t len, JpSinkFn sink, void *arg);

#endif							/* PLANHAT_JSONPAGE_H */
