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
 * into ereport(ERROR) with the context (table, column, field, object id),
 * answer.c into errors about an answer.
 *
 * The json-c type is only forward-declared, as "struct json_object": a
 * struct tag, which does not clash with PostgreSQL's SQL function
 * json_object() (only json-c's typedef would), so convert.c and answer.c
 * include this header and PostgreSQL's without json-c.
 *
 * Every function that takes a "const struct json_object *" accepts NULL,
 * which is how json-c represents JSON null (and how jp_get() reports an
 * absent key).
 *
 * Copyright (c) 2026, planhat_fdw contributors
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
 * JSON value, with our own parser (json-c only holds the tree): the
 * grammar of RFC 8259 and nothing else, the same whatever json-c version
 * the code is built against.  No single quotes, comments, trailing commas,
 * NaN/Infinity, leading zeros or "1."-style numbers, no unescaped control
 * characters in strings; at most JP_MAX_DEPTH levels of nesting; nothing
 * but whitespace after the value; a leading UTF-8 byte order mark skipped.
 *
 * What the parser does NOT refuse is whatever can be judged per value, so
 * that one bad value costs one column of one row, not a page:
 *	- bytes from 0x80 up inside strings are passed through as they are,
 *	  unverified (see jp_string: the caller verifies what it uses);
 *	- a \u escape of a lone surrogate gives the 3-byte (invalid) encoding of
 *	  that surrogate, and \u0000 a NUL byte in a string value or the
 *	  overlong (invalid) pair C0 80 in an object key, which json-c keeps as
 *	  a C string: both fail UTF-8 verification where the value is used;
 *	- numbers of any size or precision keep their text (see JpNumber).
 *
 * Returns true and sets *root (NULL for a JSON null) or returns false and
 * fills *err.  The caller owns *root and frees it with jp_free().
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
 * offset for the whole body (the same code reads both), but only once the
 * reader reaches it (the elements before it have been handed out by then).
 * After an error or the end it keeps returning the same result.
 * jp_array_close() releases the scratch space (also after an error; safe to
 * call twice).  The fuzz target checks all of this against jp_parse().
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
	char	   *scratch;		/* parser scratch space, malloc'd, reused */
	size_t		scratch_cap;
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
 * in bytes, NUL-terminated.  The bytes are NOT verified UTF-8 (see jp_parse):
 * whoever turns them into anything but a message verifies them first, and
 * jp_utf8_sequence() says what is wrong.  \u0000 gives a NUL byte.
 */
extern JpStatus jp_string(const struct json_object *v, const char **s,
						  size_t *len);

/* ------------------------------------------------------------------ UTF-8 */

/* What jp_utf8_sequence found */
typedef enum JpUtf8Status
{
	JP_UTF8_VALID,				/* a well-formed character (U+0001..U+10FFFF) */
	JP_UTF8_NUL,				/* the byte 0x00 (from \u0000) */
	JP_UTF8_KEY_NUL,			/* C0 80: \u0000 in an object key (or raw) */
	JP_UTF8_OVERLONG,			/* a code point in more bytes than needed */
	JP_UTF8_SURROGATE,			/* U+D800..U+DFFF (a lone \u escape, or raw) */
	JP_UTF8_TOO_LARGE,			/* above U+10FFFF */
	JP_UTF8_INVALID				/* not a UTF-8 sequence at all */
} JpUtf8Status;

/*
 * The UTF-8 sequence at s[0] (len >= 1 bytes available), judged by RFC 3629
 * (PostgreSQL's rules for UTF8, plus NUL): returns its length in bytes
 * (1..4, never more than len), sets *status and, for the statuses that
 * decode to a code point (valid, overlong, surrogate, too large), *cp.
 * For JP_UTF8_INVALID the length covers the lead byte and the continuation
 * bytes that follow it, as far as they go.  convert.c verifies strings
 * with PostgreSQL's verifier and uses this to say what is wrong with the
 * first sequence it refused.
 */
extern size_t jp_utf8_sequence(const char *s, size_t len, JpUtf8Status *status,
							   uint32_t *cp);

/* Length of the longest prefix of s[0..len-1] made of JP_UTF8_VALID sequences */
extern size_t jp_utf8_valid_prefix(const char *s, size_t len);

/* ---------------------------------------------------------------- numbers */

typedef enum JpNumberForm
{
	JP_NUM_INT64,				/* an integer the parser stored as an int64 */
	JP_NUM_DECIMAL				/* anything else: the token's own text */
} JpNumberForm;

/*
 * A JSON number, decomposed.  'text' is NUL-terminated and is exactly the
 * token as it appeared in the body: for JP_NUM_DECIMAL the parser keeps it
 * with the value (json_object_new_double_s: serializer userdata), for
 * JP_NUM_INT64 it is printed into 'buf' (the parser stores an integer as an
 * int64 only when its text is that int64's printed form: no "-0").  So
 * integers of any size are exact: beyond int64 they are decimals with an
 * integral value, and each column type decides whether it can hold them.
 */
typedef struct JpNumber
{
	JpNumberForm form;
	const char *text;			/* NUL-terminated */
	size_t		len;
	int64_t		i64;			/* JP_NUM_INT64 */
	double		dbl;			/* strtod of the text */
	/* decomposition of text */
	bool		negative;
	bool		is_zero;
	bool		integral;		/* value has no fractional part */
	bool		has_exp;
	const char *int_digits;		/* digits before '.' */
	size_t		n_int;
	const char *frac_digits;	/* digits after '.', may be empty */
	size_t		n_frac;
	int64_t		exponent;		/* clamped to +-JP_EXP_CLAMP */
	int64_t		weight;			/* decimal position of the first nonzero
								 * digit: 0 for units, -1 for tenths */
	int64_t		scale;			/* digits after the point implied by the
								 * text: max(0, n_frac - exponent) */
	char		buf[32];
} JpNumber;

#define JP_EXP_CLAMP		INT64_C(4000000000)

/*
 * Decompose a number value.  Returns JP_WRONG_KIND for non-numbers, JP_OK
 * otherwise.
 */
extern JpStatus jp_number(const struct json_object *v, JpNumber *num);

/*
 * The fast path of jp_number() for the common case: true when v is a JSON
 * integer the parser stored as an int64, with the value in *out.  Anything
 * else (false) goes through jp_number().
 */
extern bool jp_exact_int64(const struct json_object *v, int64_t *out);

/*
 * Decompose a NUL-terminated number text (what jp_number uses): RFC 8259
 * syntax only, anything else is JP_BAD_FORMAT.
 */
extern JpStatus jp_number_parse(const char *text, JpNumber *num);

/*
 * The number as an int64.  Any value whose exact decimal value is a whole
 * number is accepted ("3", "3.0", "1e3", "1.5e1"); a fraction gives
 * JP_NOT_INTEGRAL, a value outside int64 JP_OUT_OF_RANGE.
 */
extern JpStatus jp_number_int64(const JpNumber *num, int64_t *out);

/*
 * As double (strtod of the text) or float (strtof of the text, so rounding
 * happens once).  A text that overflows, or a nonzero one that underflows
 * to zero, gives JP_OUT_OF_RANGE (the rules of float8in/float4in).
 */
extern JpStatus jp_number_double(const JpNumber *num, double *out);
extern JpStatus jp_number_float(const JpNumber *num, float *out);

/*
 * Does the number fit PostgreSQL's numeric (PostgreSQL 15 numeric_in
 * limits: at most 131072 digits before the decimal point, at most 16383
 * after, exponent below INT_MAX/2)?
 */
extern bool jp_number_fits_numeric(const JpNumber *num);

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

/*
 * Compact JSON text of v (JSON.stringify style: no spaces, '/' unescaped,
 * control characters as \uXXXX, other bytes as they are, numbers in their
 * own text, keys in document order).  Returns JP_OK, or JP_STOPPED when the
 * sink stopped.  Parsing the output gives the same tree again.
 */
extern JpStatus jp_serialize(const struct json_object *v, JpSinkFn sink,
							 void *arg);

/* Write s[0..len-1] as a quoted JSON string (same escaping). */
extern int	jp_write_string(const char *s, size_t len, JpSinkFn sink, void *arg);

/* --------------------------------------------------------------- messages */

/*
 * Text from Planhat (any bytes) for an error message, valid in any server
 * encoding: control characters become spaces, each byte of a sequence
 * that is not valid UTF-8 becomes '?', and so does every other non-ASCII
 * character unless keep_utf8 (a UTF8 database).  At most max_chars
 * characters are kept, then "..." follows when there were more or when
 * 'cut' says that s is already a cut text.  out must hold
 * JP_MESSAGE_SIZE(max_chars) bytes and may be s itself; the result is
 * NUL-terminated and its length returned.
 */
#define JP_MESSAGE_SIZE(max_chars)	(4 * (size_t) (max_chars) + 4)

extern size_t jp_message_text(const char *s, size_t len, bool cut,
							  int max_chars, bool keep_utf8, char *out);

/* The compact JSON of v (JSON null: "null") made into a message the same way */
extern size_t jp_message_value(const struct json_object *v, int max_chars,
							   bool keep_utf8, char *out);

#endif							/* PLANHAT_JSONPAGE_H */
