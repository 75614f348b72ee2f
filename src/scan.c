/*-------------------------------------------------------------------------
 *
 * scan.c
 *		  Run a PlanhatScanSpec: expand it into request streams, page through
 *		  each stream lazily (with optional prefetch), and hand rows out one
 *		  at a time.
 *
 * A scan is a sequence of streams.  A stream is either one lookup by key
 * (GET /<path>/<key>, where 404 means no row) or a paged list (GET
 * /<path>?<filters>&limit=&offset=).  Several streams arise from a filter
 * Planhat takes one value at a time (one stream per value), from a
 * partitioned list (tasks' isArchived), from long comma lists (split every
 * PLANHAT_MAX_LIST_VALUES values), and from key lookups.
 *
 * Paging: each request asks for 'limit' rows at 'offset'; a page with fewer
 * rows than asked for is the last one.  Pages are requested only when the
 * executor asks for rows beyond the current page, so a query that stops
 * early (LIMIT, EXISTS, a satisfied join) stops requesting.  With prefetch
 * d > 0, once a page came back full the next d pages are requested at once
 * on the pipeline; answers are consumed in order and the ones not needed
 * are cancelled.
 *
 * Memory: the answer body is handed over by the pipeline without a copy
 * (it lives in run_cxt, the pipeline's context) and freed when the next
 * page replaces it; what is parsed from it lives in page_cxt, reset before
 * each page; a request is built in req_cxt, reset once the pipeline has
 * its copy; only the request lines of the pages in flight stay in run_cxt.
 * So a scan of any number of pages keeps a flat footprint: one body, one
 * parsed row, and the prefetched bodies.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "planhat_fdw.h"

typedef struct Stream
{
	char	   *key;			/* key lookup, or NULL for a list */
	List	   *params;			/* PlanhatQueryParam * of a list */
} Stream;

struct PlanhatScan
{
	const PlanhatOptions *opts;
	const PlanhatScanSpec *spec;
	PlanhatColumnMap *map;
	PlanhatCounters *counters;
	PlanhatConnection *conn;

	MemoryContext cxt;			/* lives as long as the scan */
	MemoryContext run_cxt;		/* streams of one (re)start */
	MemoryContext req_cxt;		/* building one request */
	MemoryContext page_cxt;		/* one answer and its parse tree */

	/* from the current start */
	List	   *streams;		/* Stream * */
	int			stream_no;		/* current stream, -1 before the first */
	bool		recheck;		/* answers may hold rows the quals reject */
	int64		limit;			/* pushed LIMIT still to deliver, -1 none */
	int64		offset;			/* pushed OFFSET */
	int64		local_limit;	/* LIMIT/OFFSET to apply locally when the */
	int64		local_offset;	/* pushed ones had to be dropped */

	/* the current stream */
	PlanhatPipeline *pipe;		/* requests in flight, in order */
	int64		next_offset;	/* offset of the next page to submit */
	int64		submitted_rows; /* rows asked for by submitted pages */
	bool		more_pages;		/* may pages beyond the submitted ones exist */
	List	   *asked;			/* Integer list: limit of each page in flight */
	List	   *displays;		/* request line of each page in flight */
	char	   *page_display;	/* request line of the current page */
	uint64	   *seen_pages;		/* check_repeat: open-addressing set of the
								 * keys of this stream's pages, 0 = empty */
	uint32		seen_cap;		/* slots in seen_pages, a power of 2 */
	uint32		seen_used;		/* keys in seen_pages */
	uint64		page_ids_hash;	/* check_repeat: the current page's _ids */
	int64		stream_pages;	/* pages of the stream handed back */
	uint64		writes_seen;	/* planhat_storage_writes at the stream's
								 * start */

	/* the current page */
	char	   *body;			/* its answer, in run_cxt; pfree'd after */
	PlanhatPage *page;
	int			page_rows;
	int			next_row;
};

static void scan_reset_stream(PlanhatScan *scan);
static void check_repeat(PlanhatScan *scan);
static void scan_drop_page(PlanhatScan *scan);

/*
 * planhat_scan_create
 *		Set up a scan; nothing is sent until planhat_scan_start.
 */
PlanhatScan *
planhat_scan_create(const PlanhatOptions *opts, const PlanhatScanSpec *spec,
					PlanhatColumnMap *map, MemoryContext parent,
					PlanhatCounters *counters)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "planhat_fdw scan",
											  ALLOCSET_DEFAULT_SIZES);
	PlanhatScan *scan = MemoryContextAllocZero(cxt, sizeof(PlanhatScan));

	scan->opts = opts;
	scan->spec = spec;
	scan->map = map;
	scan->counters = counters;
	scan->cxt = cxt;
	scan->run_cxt = AllocSetContextCreate(cxt, "planhat_fdw scan streams",
										  ALLOCSET_SMALL_SIZES);
	scan->req_cxt = AllocSetContextCreate(cxt, "planhat_fdw request",
										  ALLOCSET_SMALL_SIZES);
	scan->page_cxt = AllocSetContextCreate(cxt, "planhat_fdw page",
										   ALLOCSET_DEFAULT_SIZES);
	scan->conn = planhat_get_connection(opts);
	scan->stream_no = -1;
	return scan;
}

/* Distinct strings of a list, first occurrence order */
static List *
distinct_strings(List *values)
{
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, values)
	{
		ListCell   *r;
		bool		dup = false;

		foreach(r, result)
		{
			if (strcmp(lfirst(r), lfirst(lc)) == 0)
			{
				dup = true;
				break;
			}
		}
		if (!dup)
			result = lappend(result, lfirst(lc));
	}
	return result;
}

/*
 * The alternatives of one parameter: a List of value lists, one per stream
 * it yields; a NULL member means "leave the parameter out".  Returns NIL
 * when no row can match (a NULL compared with "=", an empty IN list).
 */
static List *
param_alternatives(PlanhatScan *scan, PlanhatParamSpec *p, Datum *values,
				   bool *isnull, Oid *types)
{
	List	   *vals = NIL;
	bool		day = (p->kind == PH_PARAM_DAY_FROM || p->kind == PH_PARAM_DAY_TO);
	ListCell   *e;
	ListCell   *adj;

	if (p->kind == PH_PARAM_FIXED)
		return list_make1(list_make1(p->fixed));
	if (p->kind == PH_PARAM_STREAMS)
	{
		List	   *alts = NIL;
		char	   *copy = pstrdup(p->fixed);
		char	   *save = NULL;
		char	   *tok;

		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			alts = lappend(alts, list_make1(tok));
		return alts;
	}
	if (p->kind == PH_PARAM_INCLUDE && p->exprs == NIL)
		return list_make1(list_make1("true"));

	forboth(e, p->exprs, adj, p->adjust)
	{
		int			i = lfirst_int(e);
		bool		has_null;
		List	   *v = planhat_value_strings(values[i], isnull[i], types[i],
											  day, lfirst_int(adj), &has_null);

		/*
		 * A NULL bound or flag value matches no row.  In a list ("IN (NULL,
		 * 'a')") a NULL element matches nothing and is skipped; "= NULL"
		 * leaves the list empty.
		 */
		if (has_null && p->kind != PH_PARAM_LIST && p->kind != PH_PARAM_SINGLE)
			return NIL;
		vals = list_concat(vals, v);
	}
	vals = distinct_strings(vals);
	if (vals == NIL)
		return NIL;

	switch (p->kind)
	{
		case PH_PARAM_INCLUDE:
			/* name=true includes every row; false leaves the name out */
			return list_make1(strcmp(linitial(vals), "false") == 0 ? NULL
							  : list_make1("true"));
		case PH_PARAM_SINGLE:
			{
				List	   *alts = NIL;
				ListCell   *lc;

				foreach(lc, vals)
				{
					/* "name=" may read as no filter at all: not exact */
					if (((char *) lfirst(lc))[0] == '\0')
						scan->recheck = true;
					alts = lappend(alts, list_make1(lfirst(lc)));
				}
				return alts;
			}
		case PH_PARAM_LIST:
			{
				List	   *alts = NIL;
				List	   *chunk = NIL;
				ListCell   *lc;

				foreach(lc, vals)
				{
					/*
					 * Planhat splits on commas and skips empty values (an
					 * empty list filters nothing): such a value is not
					 * exact.
					 */
					if (strchr(lfirst(lc), ',') != NULL ||
						((char *) lfirst(lc))[0] == '\0')
						scan->recheck = true;
					chunk = lappend(chunk, lfirst(lc));
					if (list_length(chunk) == PLANHAT_MAX_LIST_VALUES)
					{
						alts = lappend(alts, chunk);
						chunk = NIL;
					}
				}
				if (chunk != NIL)
					alts = lappend(alts, chunk);
				return alts;
			}
		case PH_PARAM_DAY_FROM:
		case PH_PARAM_DAY_TO:
			{
				bool		from = (p->kind == PH_PARAM_DAY_FROM);
				int64		best = 0;
				bool		have = false;
				ListCell   *lc;

				foreach(lc, vals)
				{
					const char *s = lfirst(lc);
					int64		d;

					if (strcmp(s, "infinity") == 0)
					{
						if (from)
							return NIL; /* nothing after infinity */
						continue;	/* no upper bound */
					}
					if (strcmp(s, "-infinity") == 0)
					{
						if (!from)
							return NIL;
						continue;
					}
					d = strtoll(s, NULL, 10);
					if (!have || (from ? d > best : d < best))
						best = d;
					have = true;
				}
				if (!have)
					return list_make1(NULL);
				return list_make1(list_make1(psprintf(INT64_FORMAT, best)));
			}
		default:
			elog(ERROR, "unexpected parameter kind %d", (int) p->kind);
	}
	return NIL;					/* keep compiler quiet */
}

/*
 * planhat_scan_start
 *		(Re)start the scan with the values of the spec's expressions.
 */
void
planhat_scan_start(PlanhatScan *scan, int nvalues, Datum *values, bool *isnull,
				   Oid *types)
{
	const PlanhatScanSpec *spec = scan->spec;
	MemoryContext old;
	List	   *streams = list_make1(NIL);
	ListCell   *lc;

	scan_reset_stream(scan);
	MemoryContextReset(scan->run_cxt);
	old = MemoryContextSwitchTo(scan->run_cxt);

	scan->streams = NIL;
	scan->stream_no = -1;
	scan->recheck = false;
	scan->limit = -1;
	scan->offset = 0;
	scan->local_limit = -1;
	scan->local_offset = 0;

	if (spec->kind == PH_SCAN_KEYS)
	{
		bool		has_null;
		List	   *keys = planhat_value_strings(values[spec->key_expr],
												 isnull[spec->key_expr],
												 types[spec->key_expr],
												 false, 0, &has_null);

		foreach(lc, distinct_strings(keys))
		{
			Stream	   *s;

			/* a key that can name no object matches no row: no request */
			if (!planhat_key_addressable(spec->key_prefix, lfirst(lc)))
				continue;
			s = palloc0(sizeof(Stream));

			s->key = lfirst(lc);
			scan->streams = lappend(scan->streams, s);
		}
		MemoryContextSwitchTo(old);
		return;
	}

	/* the cartesian product of every parameter's alternatives */
	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);
		List	   *alts = param_alternatives(scan, p, values, isnull, types);

		if (alts == NIL)
		{
			/* no row can match: no request at all */
			streams = NIL;
			break;
		}
		streams = planhat_streams_product(streams, p->name, alts, false);
	}
	foreach(lc, streams)
	{
		Stream	   *s = palloc0(sizeof(Stream));

		s->params = (List *) lfirst(lc);
		scan->streams = lappend(scan->streams, s);
	}

	/* pushed LIMIT / OFFSET */
	if (spec->limit_expr >= 0 && !isnull[spec->limit_expr])
		scan->limit = Max(DatumGetInt64(values[spec->limit_expr]), 0);
	if (spec->offset_expr >= 0 && !isnull[spec->offset_expr])
		scan->offset = Max(DatumGetInt64(values[spec->offset_expr]), 0);
	if (scan->recheck || list_length(scan->streams) > 1)
	{
		/* rows may be filtered here: LIMIT and OFFSET apply after that */
		scan->local_limit = scan->limit;
		scan->local_offset = scan->offset;
		scan->limit = -1;
		scan->offset = 0;
	}
	MemoryContextSwitchTo(old);
}

/*
 * planhat_scan_needs_recheck
 *		Must the caller evaluate the pushed quals (fdw_recheck_quals) on
 *		each row, and apply LIMIT/OFFSET itself?
 */
bool
planhat_scan_needs_recheck(PlanhatScan *scan, int64 *local_limit,
						   int64 *local_offset)
{
	*local_limit = scan->local_limit;
	*local_offset = scan->local_offset;
	return scan->recheck;
}

/* Drop the current page: what was parsed from it, then its body */
static void
scan_drop_page(PlanhatScan *scan)
{
	MemoryContextReset(scan->page_cxt);
	scan->page = NULL;
	scan->page_rows = 0;
	scan->next_row = 0;
	if (scan->body != NULL)
	{
		pfree(scan->body);
		scan->body = NULL;
	}
}

/* Forget the current stream: cancel requests in flight, drop the page */
static void
scan_reset_stream(PlanhatScan *scan)
{
	if (scan->pipe)
		planhat_pipeline_cancel(scan->pipe);
	scan->pipe = NULL;
	scan->asked = NIL;
	scan->displays = NIL;
	if (scan->page_display)
		pfree(scan->page_display);
	scan->page_display = NULL;
	if (scan->seen_pages)
		pfree(scan->seen_pages);
	scan->seen_pages = NULL;
	scan->seen_cap = 0;
	scan->seen_used = 0;
	scan_drop_page(scan);
}

/*
 * Queue a GET of path_and_query (built in req_cxt) on the stream's
 * pipeline, which keeps its own copy of the request: req_cxt is reset, and
 * only the request line stays (in run_cxt) until next_page has parsed the
 * answer.  'asked' is the row count asked for (-1: no limit).
 */
static void
scan_submit(PlanhatScan *scan, const char *path_and_query, int ok_flags,
			int asked)
{
	PlanhatRequest req;
	MemoryContext old = MemoryContextSwitchTo(scan->req_cxt);

	planhat_make_request(&req, scan->opts, PH_GET, scan->opts->url,
						 path_and_query);
	req.ok_flags = ok_flags;
	req.counters = scan->counters;
	planhat_pipeline_submit(scan->pipe, &req);

	MemoryContextSwitchTo(scan->run_cxt);
	scan->asked = lappend_int(scan->asked, asked);
	scan->displays = lappend(scan->displays, pstrdup(req.display));
	MemoryContextSwitchTo(old);
	MemoryContextReset(scan->req_cxt);
}

/* Queue the next page of the current list stream */
static void
submit_page(PlanhatScan *scan, Stream *stream)
{
	const PlanhatScanSpec *spec = scan->spec;
	int64		ask = -1;
	char	   *query;
	MemoryContext old;

	if (spec->paginated)
	{
		ask = spec->fetch_size;
		if (scan->limit >= 0 && scan->limit - scan->submitted_rows < ask)
			ask = scan->limit - scan->submitted_rows;
	}
	old = MemoryContextSwitchTo(scan->req_cxt);
	query = planhat_build_query(stream->params, spec->select, spec->sort,
								ask, spec->paginated ? scan->next_offset : -1);
	query = psprintf("/%s%s", spec->path, query);
	MemoryContextSwitchTo(old);
	scan_submit(scan, query, 0, (int) ask);

	if (spec->paginated)
	{
		scan->next_offset += ask;
		scan->submitted_rows += ask;
		if (scan->limit >= 0 && scan->submitted_rows >= scan->limit)
			scan->more_pages = false;
	}
	else
		scan->more_pages = false;
}

/* Open stream number n */
static void
open_stream(PlanhatScan *scan, Stream *stream)
{
	scan_reset_stream(scan);
	/* depth 0: one request at a time, sent when asked for */
	scan->pipe = planhat_pipeline_create(scan->conn,
										 stream->key ? 0 : scan->opts->prefetch,
										 scan->run_cxt);
	scan->next_offset = scan->offset;
	scan->submitted_rows = 0;
	scan->more_pages = true;
	scan->stream_pages = 0;
	scan->writes_seen = planhat_storage_writes(scan->opts->resource);

	if (stream->key)
	{
		MemoryContext old = MemoryContextSwitchTo(scan->req_cxt);
		char	   *path = planhat_key_path(scan->spec->path,
											scan->spec->key_prefix,
											stream->key);

		MemoryContextSwitchTo(old);
		scan_submit(scan, path, PH_HTTP_OK_404, 1);
		scan->more_pages = false;
	}
	else if (scan->limit == 0)
		scan->more_pages = false;	/* LIMIT 0: nothing to ask */
	else
		submit_page(scan, stream);
}

/*
 * Fetch the next answer of the current stream into scan->page.  Returns
 * false when the stream has no more rows.
 */
static bool
next_page(PlanhatScan *scan, Stream *stream)
{
	PlanhatResponse resp;
	int			asked;
	char	   *display;

	if (planhat_pipeline_pending(scan->pipe) == 0)
	{
		/* without prefetch the next page is asked for only now */
		if (stream->key || !scan->more_pages)
			return false;
		submit_page(scan, stream);
	}

	scan_drop_page(scan);
	/* body_cxt = the pipeline's own context: the body is moved, not copied */
	planhat_pipeline_next(scan->pipe, &resp, scan->run_cxt);
	scan->body = resp.body;
	/* run_cxt lives as long as the stream: keep nothing else of the answer */
	if (resp.content_type)
		pfree(resp.content_type);
	asked = linitial_int(scan->asked);
	scan->asked = list_delete_first(scan->asked);
	display = linitial(scan->displays);
	scan->displays = list_delete_first(scan->displays);

	if (scan->page_display)
		pfree(scan->page_display);
	scan->page_display = display;

	if (stream->key && resp.status == 404)
		return true;			/* no such record: no row */

	scan->page = planhat_parse_page(resp.body, resp.body_len,
									stream->key != NULL,
									scan->opts->relname, display,
									scan->page_cxt);
	scan->page_rows = planhat_page_nrows(scan->page);

	/*
	 * More rows than asked for: the server ignores "limit", so paging by
	 * offset would hand out rows twice.
	 */
	if (!stream->key && scan->spec->paginated && asked >= 0 &&
		scan->page_rows > asked)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat answered %d rows where %d were asked for",
						scan->page_rows, asked),
				 errdetail("Request \"%s\" for foreign table %s.  Rows are read page by page, and a page larger than asked for would be read twice.",
						   display, scan->opts->relname),
				 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
	if (scan->counters)
		scan->counters->pages++;
	planhat_backend_counters.pages++;

	/*
	 * A write of this session to the records being listed, between two
	 * pages, shifts the offsets: rows would be skipped or read twice.  A
	 * statement that writes reads its lists first (modify.c); this catches
	 * reads the planner cannot see (a function, an open cursor).
	 */
	if (!stream->key && scan->spec->paginated && scan->stream_pages++ > 0 &&
		planhat_storage_writes(scan->opts->resource) != scan->writes_seen)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat list of \"%s\" was changed by this session while it was being read",
						planhat_resource_storage(scan->opts->resource)),
				 errdetail("Request \"%s\" for foreign table %s follows a write to the same records since the list's first page; Planhat pages by offset only, so rows would be skipped or read twice.",
						   display, scan->opts->relname),
				 errhint("Read the rows into a temporary table first (CREATE TEMP TABLE ... AS SELECT ...) and write from there.")));

	if (!stream->key && scan->spec->paginated)
	{
		if (scan->page_rows < asked)
		{
			/* a short page is the last one: drop what was prefetched */
			scan->more_pages = false;
			if (planhat_pipeline_pending(scan->pipe) > 0)
				planhat_pipeline_cancel(scan->pipe);
		}
		else
		{
			/* a full page: keep up to 'prefetch' more pages in flight */
			while (scan->more_pages &&
				   planhat_pipeline_pending(scan->pipe) < scan->opts->prefetch)
				submit_page(scan, stream);
		}
	}
	return true;
}

/*
 * Repeat detection: paging by offset ends only when a page comes back
 * short, so a server that answers a page it has answered before (one that
 * ignores "offset", alternates pages, or reorders one) would keep a scan
 * going for ever.  Each page of a stream that is followed by another leaves
 * two keys: a hash of its first _id and an order-independent hash of all
 * its _ids.  A page whose first _id began an earlier page is caught at its
 * first row, before any of its rows is returned; a page with the same _ids
 * as an earlier one in another order, at its last row.  Rows without _id
 * cannot be checked: they are an error where another page of the stream is
 * to be read.
 *
 * The keys take 16 bytes per page (a scan of a million rows in pages of
 * 5000 keeps 200 pages' worth), in a set that grows only past 256 pages.
 */
#define REPEAT_INITIAL_SLOTS	1024

/*
 * Is key in the stream's set?  With 'add', it is added when it is not.
 */
static bool
repeat_seen(PlanhatScan *scan, uint64 key, bool add)
{
	uint32		mask;
	uint32		i;

	if (key == 0)
		key = 1;				/* 0 marks an empty slot */
	if (scan->seen_pages == NULL && !add)
		return false;
	if (add && (scan->seen_pages == NULL ||
				2 * (scan->seen_used + 1) > scan->seen_cap))
	{
		uint64	   *old = scan->seen_pages;
		uint32		oldcap = scan->seen_cap;
		uint32		j;

		scan->seen_cap = old ? oldcap * 2 : REPEAT_INITIAL_SLOTS;
		scan->seen_pages = MemoryContextAllocZero(scan->run_cxt,
												  sizeof(uint64) * scan->seen_cap);
		scan->seen_used = 0;
		for (j = 0; j < oldcap; j++)
		{
			if (old[j] != 0)
				(void) repeat_seen(scan, old[j], true);
		}
		if (old)
			pfree(old);
	}
	mask = scan->seen_cap - 1;
	for (i = (uint32) key & mask; scan->seen_pages[i] != 0; i = (i + 1) & mask)
	{
		if (scan->seen_pages[i] == key)
			return true;
	}
	if (add)
	{
		scan->seen_pages[i] = key;
		scan->seen_used++;
	}
	return false;
}

static void
check_repeat(PlanhatScan *scan)
{
	int			i = scan->next_row - 1;
	char	   *id = planhat_page_row_id(scan->page, i);

	/* will another page of this stream be read?  Only then remember this one */
	bool		more = scan->more_pages ||
		planhat_pipeline_pending(scan->pipe) > 0;
	uint64		h;

	if (id == NULL)
	{
		if (!more)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat answered a row without _id for foreign table %s",
						scan->opts->relname),
				 errdetail("Row %d of the answer to \"%s\" has no _id.  Pages are read by offset, and without the _id of every row a page answered twice cannot be told from a new one.",
						   i + 1, scan->page_display),
				 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
	}

	h = hash_bytes_extended((const unsigned char *) id, (int) strlen(id), 0);
	if (i == 0)
	{
		/* keyed apart from the sums below by a different seed */
		if (repeat_seen(scan,
						hash_bytes_extended((const unsigned char *) id,
											(int) strlen(id), 1),
						more))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered the same page twice for foreign table %s",
							scan->opts->relname),
					 errdetail("Request \"%s\" returned the rows of an earlier page, starting with _id \"%s\".",
							   scan->page_display, id),
					 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
		scan->page_ids_hash = 0;
	}
	/* a sum: the same _ids in any order give the same hash */
	scan->page_ids_hash += h;
	if (i == scan->page_rows - 1 && more &&
		repeat_seen(scan, scan->page_ids_hash, true))
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat answered the same page twice for foreign table %s",
						scan->opts->relname),
				 errdetail("Request \"%s\" returned the rows of an earlier page in another order.",
						   scan->page_display),
				 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
	pfree(id);
}

/*
 * planhat_scan_next
 *		The next row into values/nulls (indexed by attnum - 1; the caller
 *		sets nulls to true first).  Returns false at the end of the scan.
 */
bool
planhat_scan_next(PlanhatScan *scan, Datum *values, bool *nulls)
{
	for (;;)
	{
		Stream	   *stream;

		if (scan->page && scan->next_row < scan->page_rows)
		{
			planhat_page_row(scan->page, scan->next_row++, scan->map,
							 values, nulls);
			if (scan->spec->paginated && scan->spec->kind == PH_SCAN_LIST)
				check_repeat(scan);
			if (scan->counters)
				scan->counters->rows++;
			planhat_backend_counters.rows++;
			return true;
		}

		if (scan->stream_no >= 0 && scan->stream_no < list_length(scan->streams))
		{
			stream = list_nth(scan->streams, scan->stream_no);
			if (next_page(scan, stream))
				continue;
		}

		/* the current stream is done: open the next one */
		if (scan->stream_no + 1 >= list_length(scan->streams))
		{
			scan_reset_stream(scan);
			scan->stream_no = list_length(scan->streams);
			return false;
		}
		scan->stream_no++;
		open_stream(scan, list_nth(scan->streams, scan->stream_no));
	}
}

/*
 * planhat_scan_end
 *		Cancel what is in flight and free the scan's memory.
 */
void
planhat_scan_end(PlanhatScan *scan)
{
	scan_reset_stream(scan);
	MemoryContextDelete(scan->cxt);
}
