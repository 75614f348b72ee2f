/*-------------------------------------------------------------------------
 *
 * stats.c
 *		  Per-backend counters of planhat_fdw and the SQL functions that show
 *		  and reset them.
 *
 * The counters are plain backend-local variables: no shared memory, no
 * locking, nothing survives the backend.  http.c counts requests, retries,
 * 429 answers, bytes, errors and time; the scan code counts pages and rows.
 * Per-scan copies (PlanhatRequest.counters) are added with
 * planhat_counters_add().  Nothing here ever shows a token or a URL.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/stats.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "planhat_fdw.h"

/* Columns of planhat_fdw_stats(), in the order of the SQL script */
enum PlanhatStatsColumn
{
	PH_STATS_REQUESTS,
	PH_STATS_REQUESTS_GET,
	PH_STATS_REQUESTS_POST,
	PH_STATS_REQUESTS_PUT,
	PH_STATS_REQUESTS_DELETE,
	PH_STATS_RETRIES,
	PH_STATS_RATE_LIMITED,
	PH_STATS_ERRORS,
	PH_STATS_BYTES_SENT,
	PH_STATS_BYTES_RECEIVED,
	PH_STATS_PAGES,
	PH_STATS_ROWS,
	PH_STATS_HTTP_MS,
	PH_STATS_WAIT_MS,
	PH_STATS_NCOLUMNS
};

/* This backend's counters since it started or since planhat_fdw_stats_reset() */
PlanhatCounters planhat_backend_counters;

PG_FUNCTION_INFO_V1(planhat_fdw_stats);
PG_FUNCTION_INFO_V1(planhat_fdw_stats_reset);

/*
 * planhat_counters_add
 *		dst += src, field by field.
 */
void
planhat_counters_add(PlanhatCounters *dst, const PlanhatCounters *src)
{
	dst->requests += src->requests;
	dst->requests_get += src->requests_get;
	dst->requests_post += src->requests_post;
	dst->requests_put += src->requests_put;
	dst->requests_delete += src->requests_delete;
	dst->retries += src->retries;
	dst->rate_limited += src->rate_limited;
	dst->errors += src->errors;
	dst->bytes_sent += src->bytes_sent;
	dst->bytes_received += src->bytes_received;
	dst->pages += src->pages;
	dst->rows += src->rows;
	dst->http_ms += src->http_ms;
	dst->wait_ms += src->wait_ms;
}

/*
 * planhat_fdw_stats
 *		One row with this backend's counters.
 */
Datum
planhat_fdw_stats(PG_FUNCTION_ARGS)
{
	const PlanhatCounters *c = &planhat_backend_counters;
	TupleDesc	tupdesc;
	Datum		values[PH_STATS_NCOLUMNS];
	bool		nulls[PH_STATS_NCOLUMNS];

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (tupdesc->natts != PH_STATS_NCOLUMNS)
		elog(ERROR, "planhat_fdw_stats() returns %d columns, expected %d",
			 tupdesc->natts, PH_STATS_NCOLUMNS);
	tupdesc = BlessTupleDesc(tupdesc);

	MemSet(nulls, 0, sizeof(nulls));
	values[PH_STATS_REQUESTS] = Int64GetDatum(c->requests);
	values[PH_STATS_REQUESTS_GET] = Int64GetDatum(c->requests_get);
	values[PH_STATS_REQUESTS_POST] = Int64GetDatum(c->requests_post);
	values[PH_STATS_REQUESTS_PUT] = Int64GetDatum(c->requests_put);
	values[PH_STATS_REQUESTS_DELETE] = Int64GetDatum(c->requests_delete);
	values[PH_STATS_RETRIES] = Int64GetDatum(c->retries);
	values[PH_STATS_RATE_LIMITED] = Int64GetDatum(c->rate_limited);
	values[PH_STATS_ERRORS] = Int64GetDatum(c->errors);
	values[PH_STATS_BYTES_SENT] = Int64GetDatum(c->bytes_sent);
	values[PH_STATS_BYTES_RECEIVED] = Int64GetDatum(c->bytes_received);
	values[PH_STATS_PAGES] = Int64GetDatum(c->pages);
	values[PH_STATS_ROWS] = Int64GetDatum(c->rows);
	values[PH_STATS_HTTP_MS] = Float8GetDatum(c->http_ms);
	values[PH_STATS_WAIT_MS] = Float8GetDatum(c->wait_ms);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * planhat_fdw_stats_reset
 *		Zero this backend's counters.
 */
Datum
planhat_fdw_stats_reset(PG_FUNCTION_ARGS)
{
	MemSet(&planhat_backend_counters, 0, sizeof(planhat_backend_counters));
	PG_RETURN_VOID();
}
