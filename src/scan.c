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
 * rows than asked for is the last one.  Every page after a list's first
 * begins one row early, with the last row of the page before: Planhat pages
 * by offset only, and a row created or deleted ahead of the offset between
 * two requests shifts every later row, so that a row would be read twice or
 * not at all.  That first row must be the one expected (it is then
 * skipped); any other is an error that says the list changed (check_overlap).
 *
 * Prefetch, adaptive: a page is requested when the executor asks for a row
 * beyond the page before, and pages ahead of it only while the scan keeps
 * reading full pages: none after the first page, then 1, 2, 4, ... up to
 * the prefetch option once pages 2, 3, 4, ... are read.  A scan that ends
 * within its first two pages sends no request it does not need, and one
 * that stops early (LIMIT, EXISTS, a satisfied join) at most 'prefetch';
 * a long one has many pages in flight.  Answers are consumed in order; the
 * ones not needed are cancelled.  Which requests are made depends only on
 * the rows read, never on timing.
 *
 * Early stop (spec->stop): in a list sorted on a field with bounds on it,
 * once a row fails a bound every later row fails it too, as long as Planhat
 * keeps the order: the list ends with that page.  The order is checked row
 * by row; where it does not hold (or, for the sort=-updatedAt sent for a
 * bound, a row has no updatedAt) the list is read to its end, and EXPLAIN
 * ANALYZE says why.  Such lists are read one page at a time: a page is
 * requested only when the one before ends above the bound.
 *
 * Trust, but verify: Planhat's answers are checked against what was asked
 * for.  Every row must satisfy the conditions its request sent that Planhat
 * is trusted to apply exactly (a key, a documented exact filter, the tasks
 * partition), and a sort PostgreSQL relies on must hold from row to row.
 * A row that does not ends the scan with an error naming the condition: a
 * wrong answer would be worse.  It costs no request.
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

#include "access/nbtree.h"
#include "catalog/pg_am.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "planhat_fdw.h"

/* Days between 1970-01-01 (Planhat's day 0) and 2000-01-01 (PostgreSQL's) */
#define UNIX_TO_PG_DAYS		(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)

/* Most requests of a scan in flight: Planhat allows bursts of 50 parallel */
#define PLANHAT_MAX_PARALLEL	50

/* A stream of requests: one key lookup or one paged list (request.c) */
typedef PlanhatStream Stream;

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
	int64		next_pos;		/* position of the next row not asked for */
	int64		submitted_rows; /* new rows asked for by submitted pages */
	int64		pages_submitted;	/* pages of the stream submitted */
	bool		more_pages;		/* may pages beyond the submitted ones exist */
	List	   *asked;			/* Integer list: limit of each page in flight */
	List	   *overlaps;		/* Integer list: 1 for each page in flight that
								 * begins with the last row of the page
								 * before it */
	List	   *displays;		/* request line of each page in flight */
	char	   *page_display;	/* request line of the current page */
	bool		page_overlap;	/* the current page begins with last_id */
	char	   *last_id;		/* _id of the last row of the page before,
								 * in run_cxt, or NULL */
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

	/* verification of the current stream's rows */
	int		   *check_cols;		/* map column of each check, -1: none */
	int			sort_col;		/* map column of a pushed sort, or -1 */
	bool		sort_desc;
	Oid			sort_collation;
	FmgrInfo	sort_cmp;		/* btree comparison of the column's type */
	MemoryContext order_cxt;	/* the previous row's sort value */
	bool		have_prev;
	bool		prev_null;
	Datum		prev;

	/* early stop (spec->stop) */
	bool		stop;			/* the lists end at the bounds */
	List	   *bounds;			/* PlanhatBound *, in run_cxt */
	FmgrInfo   *bound_cmp;		/* comparison of the column with each bound */
	bool		order_trusted;	/* the stream's order held so far */
	bool		passed_bound;	/* a row of the stream failed a bound */
	int64		stop_lists;		/* lists read with an early stop */
	int64		stopped;		/* of which ended at a bound */
	char	   *distrust;		/* why one was read to its end, or NULL */

	/* for EXPLAIN ANALYZE, over every (re)start */
	List	   *sent;			/* the first request lines read */
	int64		nsent;			/* requests read */
	List	   *notes;			/* values not sent, and why */
};

static void scan_reset_stream(PlanhatScan *scan);
static void check_repeat(PlanhatScan *scan);
static void scan_drop_page(PlanhatScan *scan);
static void setup_sort_check(PlanhatScan *scan);
static void setup_row_checks(PlanhatScan *scan, Stream *stream);
static void verify_row(PlanhatScan *scan, Stream *stream, Datum *values,
					   bool *nulls);
static void verify_order(PlanhatScan *scan, Datum *values, bool *nulls);
static void check_bounds(PlanhatScan *scan, Datum *values, bool *nulls);
static void check_overlap(PlanhatScan *scan);
pg_noreturn static void report_changed(PlanhatScan *scan, const char *found);
pg_noreturn static void report_no_id(PlanhatScan *scan, int i);
pg_noreturn static void report_same_page(PlanhatScan *scan, const char *id);
static void setup_bounds(PlanhatScan *scan);
static void distrust(PlanhatScan *scan, char *why);

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
	scan->order_cxt = AllocSetContextCreate(cxt, "planhat_fdw sort check",
											ALLOCSET_SMALL_SIZES);
	scan->conn = planhat_get_connection(opts);
	scan->stream_no = -1;
	setup_sort_check(scan);
	return scan;
}

/*
 * planhat_scan_start
 *		(Re)start the scan with the values of the spec's expressions: the
 *		requests are request.c's planhat_plan_requests, as EXPLAIN shows them.
 */
void
planhat_scan_start(PlanhatScan *scan, int nvalues, Datum *values, bool *isnull,
				   Oid *types)
{
	MemoryContext old;
	PlanhatValue *vals;
	PlanhatRequests *r;
	ListCell   *lc;
	int			i;

	scan_reset_stream(scan);
	MemoryContextReset(scan->run_cxt);
	old = MemoryContextSwitchTo(scan->run_cxt);

	vals = palloc0(sizeof(PlanhatValue) * Max(nvalues, 1));
	for (i = 0; i < nvalues; i++)
	{
		vals[i].value = values[i];
		vals[i].isnull = isnull[i];
		vals[i].typid = types[i];
	}
	r = planhat_plan_requests(scan->spec, vals);

	scan->streams = r->streams;
	scan->stream_no = -1;
	scan->recheck = r->recheck;
	scan->limit = r->limit;
	scan->offset = r->offset;
	scan->local_limit = r->local_limit;
	scan->local_offset = r->local_offset;
	scan->stop = r->stop && scan->sort_col >= 0;
	scan->bounds = r->bounds;
	MemoryContextSwitchTo(old);
	setup_bounds(scan);

	/* what was not sent, for EXPLAIN ANALYZE (a few, each once) */
	foreach(lc, r->notes)
	{
		ListCell   *n;
		bool		seen = false;

		foreach(n, scan->notes)
			seen = seen || strcmp(lfirst(n), lfirst(lc)) == 0;
		if (!seen && list_length(scan->notes) < PLANHAT_EXPLAIN_MAX_REQUESTS)
		{
			old = MemoryContextSwitchTo(scan->cxt);
			scan->notes = lappend(scan->notes, pstrdup(lfirst(lc)));
			MemoryContextSwitchTo(old);
		}
	}
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
	scan->overlaps = NIL;
	scan->displays = NIL;
	if (scan->page_display)
		pfree(scan->page_display);
	scan->page_display = NULL;
	if (scan->last_id)
		pfree(scan->last_id);
	scan->last_id = NULL;
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
			int asked, bool overlap)
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
	scan->overlaps = lappend_int(scan->overlaps, overlap ? 1 : 0);
	scan->displays = lappend(scan->displays, pstrdup(req.display));
	MemoryContextSwitchTo(old);
	MemoryContextReset(scan->req_cxt);
}

/*
 * Queue the next page of the current list stream: fetch_size new rows (or
 * what a pushed LIMIT still needs) and, after the first page, the last row
 * of the page before, one row further back (one new row fewer where that
 * would ask for more than the resource's maximum page).
 */
static void
submit_page(PlanhatScan *scan, Stream *stream)
{
	const PlanhatScanSpec *spec = scan->spec;
	int64		ask = -1;
	int64		fresh = 0;
	int64		offset = -1;
	bool		overlap = false;
	char	   *query;
	MemoryContext old;

	if (spec->paginated)
	{
		int			max_limit = scan->opts->resource->max_limit;

		fresh = spec->fetch_size;
		if (scan->limit >= 0 && scan->limit - scan->submitted_rows < fresh)
			fresh = scan->limit - scan->submitted_rows;
		ask = fresh;
		offset = scan->next_pos;
		if (scan->pages_submitted > 0 && max_limit > 1)
		{
			overlap = true;
			offset--;
			ask++;
			if (ask > max_limit)
			{
				ask = max_limit;
				fresh = ask - 1;
			}
		}
	}
	old = MemoryContextSwitchTo(scan->req_cxt);
	query = planhat_stream_path(spec, stream, ask, offset, NULL, NULL);
	MemoryContextSwitchTo(old);
	scan_submit(scan, query, 0, (int) ask, overlap);
	scan->pages_submitted++;

	if (spec->paginated)
	{
		scan->next_pos += fresh;
		scan->submitted_rows += fresh;
		if (scan->limit >= 0 && scan->submitted_rows >= scan->limit)
			scan->more_pages = false;
	}
	else
		scan->more_pages = false;
}

/*
 * How many pages to request ahead of the one the scan needs next, once
 * 'read' full pages of the stream were read: none after the first (a scan
 * that ends within two pages asks for nothing it does not need), then 1, 2,
 * 4, ... up to the prefetch option.  None while a list may end at a bound
 * (each page is asked for only when the one before ends above it).
 */
static int
prefetch_depth(PlanhatScan *scan, int64 read)
{
	if (scan->opts->prefetch <= 0 || read < 2 ||
		(scan->stop && scan->order_trusted))
		return 0;
	if (read - 2 >= 30)
		return scan->opts->prefetch;
	return (int) Min((int64) 1 << (read - 2), (int64) scan->opts->prefetch);
}

/* Open stream number n */
static void
open_stream(PlanhatScan *scan, Stream *stream)
{
	scan_reset_stream(scan);
	/*
	 * depth 0: one request at a time, sent when asked for; else the page
	 * needed and 'prefetch' ahead of it, never more than the 50 parallel
	 * requests Planhat allows (prefetch 50 keeps 49 ahead)
	 */
	scan->pipe = planhat_pipeline_create(scan->conn,
										 (stream->key || scan->opts->prefetch <= 0) ?
										 0 : Min(1 + scan->opts->prefetch,
												 PLANHAT_MAX_PARALLEL),
										 scan->run_cxt);
	scan->next_pos = scan->offset;
	scan->submitted_rows = 0;
	scan->pages_submitted = 0;
	scan->more_pages = true;
	scan->stream_pages = 0;
	scan->writes_seen = planhat_storage_writes(scan->opts->resource);
	scan->order_trusted = true;
	scan->passed_bound = false;
	if (scan->stop && !stream->key)
		scan->stop_lists++;

	setup_row_checks(scan, stream);

	if (stream->key)
	{
		MemoryContext old = MemoryContextSwitchTo(scan->req_cxt);
		char	   *path = planhat_stream_path(scan->spec, stream, -1, -1,
											   NULL, NULL);

		MemoryContextSwitchTo(old);
		scan_submit(scan, path, PH_HTTP_OK_404, 1, false);
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
	bool		list = (stream->key == NULL && scan->spec->paginated);
	char	   *display;

	if (list && scan->stream_pages > 0 && scan->more_pages)
	{
		/*
		 * The page just read was full.  A list that reached its bound ends
		 * here; else the next page is needed, and a few more are asked for
		 * ahead of it.
		 */
		if (scan->stop && scan->order_trusted && scan->passed_bound)
		{
			scan->more_pages = false;
			scan->stopped++;
		}
		else
		{
			int			want = 1 + prefetch_depth(scan, scan->stream_pages);

			while (scan->more_pages &&
				   planhat_pipeline_pending(scan->pipe) < want)
				submit_page(scan, stream);
		}
	}
	if (planhat_pipeline_pending(scan->pipe) == 0)
		return false;

	scan_drop_page(scan);
	/* body_cxt = the pipeline's own context: the body is moved, not copied */
	planhat_pipeline_next(scan->pipe, &resp, scan->run_cxt);
	scan->body = resp.body;
	/* run_cxt lives as long as the stream: keep nothing else of the answer */
	if (resp.content_type)
		pfree(resp.content_type);
	asked = linitial_int(scan->asked);
	scan->asked = list_delete_first(scan->asked);
	scan->page_overlap = linitial_int(scan->overlaps) != 0;
	scan->overlaps = list_delete_first(scan->overlaps);
	display = linitial(scan->displays);
	scan->displays = list_delete_first(scan->displays);

	if (scan->page_display)
		pfree(scan->page_display);
	scan->page_display = display;
	scan->nsent++;
	if (list_length(scan->sent) < PLANHAT_EXPLAIN_MAX_REQUESTS)
	{
		MemoryContext old = MemoryContextSwitchTo(scan->cxt);

		scan->sent = lappend(scan->sent, pstrdup(display));
		MemoryContextSwitchTo(old);
	}

	if (stream->key && resp.status == 404)
	{
		/* no such record: no row, once the url is known to be right */
		planhat_confirm_missing(scan->conn, scan->opts, scan->spec->path,
								scan->counters, NULL);
		return true;
	}

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
	if (list && scan->stream_pages++ > 0 &&
		planhat_storage_writes(scan->opts->resource) != scan->writes_seen)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat list of \"%s\" was changed by this session while it was being read",
						planhat_resource_storage(scan->opts->resource)),
				 errdetail("Request \"%s\" for foreign table %s follows a write to the same records since the list's first page; Planhat pages by offset only, so rows would be skipped or read twice.",
						   display, scan->opts->relname),
				 errhint("Read the rows into a temporary table first (CREATE TEMP TABLE ... AS SELECT ...) and write from there.")));

	if (list && scan->page_rows < asked)
	{
		/* a short page is the last one: drop what was prefetched */
		scan->more_pages = false;
		if (planhat_pipeline_pending(scan->pipe) > 0)
			planhat_pipeline_cancel(scan->pipe);
	}
	if (scan->page_overlap)
		check_overlap(scan);
	return true;
}

/*
 * Repeat detection: paging by offset ends only when a page comes back
 * short, so a server that answers a page it has answered before (one that
 * ignores "offset", alternates pages, or reorders one) would keep a scan
 * going for ever.  Each page of a stream that is followed by another leaves
 * two keys, both of its new rows (after the row it repeats from the page
 * before, check_overlap): a hash of its first new _id and an order-
 * independent hash of all their _ids.  A page whose first row began an
 * earlier page is caught at that row, before any of its rows is returned; a
 * page with the same _ids as an earlier one in another order, at its last
 * row.  Rows without _id cannot be checked: they are an error where another
 * page of the stream is to be read.
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

/* A row without _id where pages are read by offset: an error */
static void
report_no_id(PlanhatScan *scan, int i)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("Planhat answered a row without _id for foreign table %s",
					scan->opts->relname),
			 errdetail("Row %d of the answer to \"%s\" has no _id.  Pages are read by offset, and without the _id of every row a page answered twice cannot be told from a new one.",
					   i + 1, scan->page_display),
			 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
}

/* A page repeats an earlier one, from its first new row: an error */
static void
report_same_page(PlanhatScan *scan, const char *id)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("Planhat answered the same page twice for foreign table %s",
					scan->opts->relname),
			 errdetail("Request \"%s\" returned the rows of an earlier page, starting with _id \"%s\".",
					   scan->page_display, id),
			 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
}

/* The key of a page's first new row in the repeat set */
static uint64
first_row_key(const char *id)
{
	/* keyed apart from the sums below by a different seed */
	return hash_bytes_extended((const unsigned char *) id, (int) strlen(id), 1);
}

/*
 * check_repeat: a new row of a page of a list (rows after the overlap row),
 * just read.  It also keeps the _id of a page's last row, which the next
 * page must begin with (check_overlap).
 */
static void
check_repeat(PlanhatScan *scan)
{
	int			i = scan->next_row - 1;
	int			first = scan->page_overlap ? 1 : 0;
	char	   *id = planhat_page_row_id(scan->page, i);

	/* will another page of this stream be read?  Only then remember this one */
	bool		more = scan->more_pages ||
		planhat_pipeline_pending(scan->pipe) > 0;
	uint64		h;

	if (id == NULL)
	{
		if (!more)
			return;
		report_no_id(scan, i);
	}

	h = hash_bytes_extended((const unsigned char *) id, (int) strlen(id), 0);
	if (i == first)
	{
		if (repeat_seen(scan, first_row_key(id), more))
			report_same_page(scan, id);
		scan->page_ids_hash = 0;
	}
	/* a sum: the same _ids in any order give the same hash */
	scan->page_ids_hash += h;
	if (i == scan->page_rows - 1 && more)
	{
		if (repeat_seen(scan, scan->page_ids_hash, true))
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered the same page twice for foreign table %s",
							scan->opts->relname),
					 errdetail("Request \"%s\" returned the rows of an earlier page in another order.",
							   scan->page_display),
					 errhint("Check that the server option url points at the Planhat API (a proxy in between must pass the limit and offset parameters on).")));
		/* the next page begins with this row */
		if (scan->last_id)
			pfree(scan->last_id);
		scan->last_id = MemoryContextStrdup(scan->run_cxt, id);
	}
	pfree(id);
}

/*
 * check_overlap
 *		A page after a list's first begins with the last row of the page
 *		before: check it, and skip it.
 *
 * Planhat pages by offset only.  A row created or deleted ahead of the
 * offset between two requests moves every later row by one, so the next
 * page would repeat a row or skip one, and nothing else would show it.  If
 * that row is still in its place, the rows after it are the ones still to
 * read, whatever changed before it: every row that existed throughout is
 * returned once.  If not, the list changed under the scan, and the answer
 * could be wrong: an error, and the statement can be run again.  (A page
 * that begins with the first row of an earlier page instead is a server
 * that does not page: check_repeat's error.)
 */
/* The list changed under the scan: the page begins with 'found' (NULL: empty) */
static void
report_changed(PlanhatScan *scan, const char *found)
{
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("Planhat list of \"%s\" changed while it was being read",
					planhat_resource_storage(scan->opts->resource)),
			 found ?
			 errdetail("Request \"%s\" for foreign table %s should begin with the last row of the page before (_id \"%s\") and begins with _id \"%s\": rows were created, deleted or (in a sorted list) moved ahead of it, and rows would be read twice or skipped.",
					   scan->page_display, scan->opts->relname,
					   scan->last_id ? scan->last_id : "?", found) :
			 errdetail("Request \"%s\" for foreign table %s should begin with the last row of the page before (_id \"%s\") and returned no row: rows were deleted ahead of it, and the rows after them would be skipped.",
					   scan->page_display, scan->opts->relname,
					   scan->last_id ? scan->last_id : "?"),
			 errhint("Run the statement again: Planhat pages by offset only, and the list changed between two of its pages.")));
}

static void
check_overlap(PlanhatScan *scan)
{
	char	   *id;

	if (scan->page_rows == 0)
		report_changed(scan, NULL);
	id = planhat_page_row_id(scan->page, 0);
	if (id == NULL)
		report_no_id(scan, 0);
	if (scan->last_id == NULL || strcmp(id, scan->last_id) != 0)
	{
		if (repeat_seen(scan, first_row_key(id), false))
			report_same_page(scan, id);
		report_changed(scan, id);
	}
	pfree(id);
	scan->next_row = 1;			/* read already */
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
			stream = list_nth(scan->streams, scan->stream_no);
			planhat_page_row(scan->page, scan->next_row++, scan->map,
							 values, nulls);
			if (scan->spec->paginated && stream->key == NULL)
				check_repeat(scan);
			if (stream->checks != NIL)
				verify_row(scan, stream, values, nulls);
			if (scan->sort_col >= 0)
				verify_order(scan, values, nulls);
			if (scan->stop && scan->order_trusted && stream->key == NULL)
				check_bounds(scan, values, nulls);
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

/*
 * planhat_scan_report
 *		For EXPLAIN ANALYZE: the first request lines whose answers were read,
 *		how many were read, and the values that were not sent.
 */
void
planhat_scan_report(PlanhatScan *scan, List **sent, int64 *nsent,
					List **notes)
{
	*sent = scan->sent;
	*nsent = scan->nsent;
	*notes = scan->notes;
}

/* ----------------------------------------------------------------
 *		verification
 * ----------------------------------------------------------------
 */

/* A value as a message shows it: its text, quoted, cut; "missing" if NULL */
static char *
value_text(Datum value, bool isnull, Oid typid)
{
	Oid			outfunc;
	bool		isvarlena;
	char	   *s;

	if (isnull)
		return pstrdup("missing");
	if (getBaseType(typid) == BOOLOID)
		return pstrdup(DatumGetBool(value) ? "true" : "false");
	getTypeOutputInfo(typid, &outfunc, &isvarlena);
	s = OidOutputFunctionCall(outfunc, value);
	if (strlen(s) > 60)
		s = psprintf("%s...", pnstrdup(s, pg_mbcliplen(s, strlen(s), 60)));
	return psprintf("\"%s\"", s);
}

/* The current row's _id for messages, or "?" */
static char *
current_id(PlanhatScan *scan)
{
	char	   *id = planhat_page_row_id(scan->page, scan->next_row - 1);

	return id ? id : pstrdup("?");
}

/* Does text datum d equal one of the C strings of 'values'? */
static bool
text_in(Datum d, List *values)
{
	text	   *t = DatumGetTextPP(d);
	const char *data = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	ListCell   *lc;

	foreach(lc, values)
	{
		const char *v = lfirst(lc);

		if (strlen(v) == len && memcmp(v, data, len) == 0)
			return true;
	}
	return false;
}

/*
 * Does the row satisfy every condition its request sent that Planhat is
 * trusted to apply exactly?  A row that does not ends the scan: Planhat
 * did not do what it was asked, and its answer cannot be trusted (a pushed
 * LIMIT would even hand out a short page).
 */
static void
verify_row(PlanhatScan *scan, Stream *stream, Datum *values, bool *nulls)
{
	ListCell   *lc;
	int			i = 0;

	foreach(lc, stream->checks)
	{
		PlanhatCheck *c = lfirst(lc);
		int			k = scan->check_cols[i++];
		PlanhatColumn *col;
		Datum		d;
		bool		isnull;
		bool		ok = false;

		if (k < 0)
			continue;			/* the table has no column for the field */
		col = &scan->map->columns[k];
		d = values[col->attnum - 1];
		isnull = nulls[col->attnum - 1];
		switch (c->kind)
		{
			case PH_CHECK_IN:
				ok = !isnull && text_in(d, c->values);
				break;
			case PH_CHECK_TRUE:
				ok = !isnull && DatumGetBool(d);
				break;
			case PH_CHECK_NOT_TRUE:
				ok = isnull || !DatumGetBool(d);
				break;
			case PH_CHECK_DAY_FROM:
			case PH_CHECK_DAY_TO:
				if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
				{
					int64		day = (int64) DatumGetDateADT(d) + UNIX_TO_PG_DAYS;

					ok = c->kind == PH_CHECK_DAY_FROM ? day >= c->day : day <= c->day;
				}
				break;
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered with a row that does not match the request"),
					 errdetail("Request \"%s\" for foreign table %s asked for %s; Planhat returned the row with _id \"%s\", whose %s is %s.",
							   scan->page_display, scan->opts->relname, c->sent,
							   current_id(scan), c->field,
							   value_text(d, isnull, col->typid)),
					 errhint("Planhat did not apply the condition on %s as documented.  With SET planhat_fdw.pushdown = off every condition is evaluated locally.",
							 c->field)));
	}
}

/*
 * The columns a stream's rows are verified with: for each check, the first
 * column of the map that reads its field with a type the check compares
 * (text for keys and filters, boolean for flags, date for day numbers).
 */
static void
setup_row_checks(PlanhatScan *scan, Stream *stream)
{
	MemoryContext old = MemoryContextSwitchTo(scan->run_cxt);
	ListCell   *lc;
	int			i = 0;

	scan->check_cols = palloc(sizeof(int) * Max(list_length(stream->checks), 1));
	foreach(lc, stream->checks)
	{
		PlanhatCheck *c = lfirst(lc);
		Oid			want = (c->kind == PH_CHECK_IN) ? TEXTOID :
			(c->kind == PH_CHECK_TRUE || c->kind == PH_CHECK_NOT_TRUE) ?
			BOOLOID : DATEOID;
		int			k;

		scan->check_cols[i] = -1;
		for (k = 0; k < scan->map->ncolumns; k++)
		{
			PlanhatColumn *col = &scan->map->columns[k];
			Oid			base = getBaseType(col->typid);

			if (col->field != NULL && strcmp(col->field, c->field) == 0 &&
				(base == want || (want == TEXTOID && base == VARCHAROID)))
			{
				scan->check_cols[i] = k;
				break;
			}
		}
		i++;
	}
	MemoryContextSwitchTo(old);
	/* the order is checked within a stream */
	scan->have_prev = false;
}

/*
 * Find the column of a pushed sort, and its comparison: the
 * default btree ordering of its type, under "C" for text (pushdown.c sends
 * a text sort only under "C" or "POSIX", which compare code points).
 */
static void
setup_sort_check(PlanhatScan *scan)
{
	const PlanhatScanSpec *spec = scan->spec;
	const char *field;
	int			k;

	scan->sort_col = -1;
	if (spec->sort == NULL)
		return;
	scan->sort_desc = (spec->sort[0] == '-');
	field = scan->sort_desc ? spec->sort + 1 : spec->sort;
	for (k = 0; k < scan->map->ncolumns; k++)
	{
		PlanhatColumn *col = &scan->map->columns[k];
		Oid			base = getBaseType(col->typid);
		Oid			opclass;
		Oid			opfamily;
		Oid			cmp;

		if (col->field == NULL || col->is_attrs || strcmp(col->field, field) != 0)
			continue;
		/* the column of the bounds, when there are some */
		if (spec->bound_attnum > 0 && col->attnum != spec->bound_attnum)
			continue;
		opclass = GetDefaultOpClass(base, BTREE_AM_OID);
		if (!OidIsValid(opclass))
			continue;
		opfamily = get_opclass_family(opclass);
		cmp = get_opfamily_proc(opfamily, base, base, BTORDER_PROC);
		if (!OidIsValid(cmp))
			continue;
		fmgr_info_cxt(cmp, &scan->sort_cmp, scan->cxt);
		scan->sort_collation = (base == TEXTOID || base == VARCHAROID) ?
			C_COLLATION_OID : InvalidOid;
		scan->sort_col = k;
		return;
	}
}

/*
 * Does the row come after the one before in the order that was asked for?
 * MongoDB puts missing and null values lowest: first when ascending, last
 * when descending, as the pushed pathkeys say.
 */
static void
verify_order(PlanhatScan *scan, Datum *values, bool *nulls)
{
	PlanhatColumn *col = &scan->map->columns[scan->sort_col];
	Datum		d = values[col->attnum - 1];
	bool		isnull = nulls[col->attnum - 1];
	int16		typlen;
	bool		typbyval;

	if (scan->have_prev)
	{
		int			cmp;

		if (scan->prev_null || isnull)
			cmp = (scan->prev_null ? 0 : 1) - (isnull ? 0 : 1);
		else
			cmp = DatumGetInt32(FunctionCall2Coll(&scan->sort_cmp,
												  scan->sort_collation,
												  scan->prev, d));
		if (scan->sort_desc)
			cmp = -cmp;

		/*
		 * PostgreSQL relies on a pushed ORDER BY: rows out of order would be
		 * a wrong answer (a wrong top-N).  A sort sent only to stop a scan
		 * early stops being trusted here instead, and the list is read on.
		 */
		if (cmp > 0 && !scan->spec->sort_relied && scan->stop &&
			scan->order_trusted)
			distrust(scan, psprintf("Planhat did not keep sort=%s: _id \"%s\", whose %s is %s, came after a row whose %s is %s",
									scan->spec->sort, current_id(scan),
									col->field, value_text(d, isnull, col->typid),
									col->field,
									value_text(scan->prev, scan->prev_null, col->typid)));
		if (cmp > 0 && scan->spec->sort_relied)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered with rows out of the requested order"),
					 errdetail("Request \"%s\" for foreign table %s asked for sort=%s; Planhat returned the row with _id \"%s\", whose %s is %s, after a row whose %s is %s.",
							   scan->page_display, scan->opts->relname,
							   scan->spec->sort, current_id(scan),
							   col->field, value_text(d, isnull, col->typid),
							   col->field,
							   value_text(scan->prev, scan->prev_null, col->typid)),
					 errhint("Planhat did not sort as asked, and the query relies on that order.  With SET planhat_fdw.pushdown = off rows are sorted locally.")));
	}

	/* keep this row's value for the next one */
	MemoryContextReset(scan->order_cxt);
	scan->prev_null = isnull;
	if (!isnull)
	{
		MemoryContext old = MemoryContextSwitchTo(scan->order_cxt);

		get_typlenbyval(col->typid, &typlen, &typbyval);
		scan->prev = datumCopy(d, typbyval, typlen);
		MemoryContextSwitchTo(old);
	}
	scan->have_prev = true;
}

/* ----------------------------------------------------------------
 *		early stop
 * ----------------------------------------------------------------
 */

/*
 * The list being read is not in the order its early stop relies on: it is
 * read to its end (which gives the exact answer: no order was promised to
 * PostgreSQL), and EXPLAIN ANALYZE shows why (the first reason).
 */
static void
distrust(PlanhatScan *scan, char *why)
{
	scan->order_trusted = false;
	if (scan->distrust == NULL)
		scan->distrust = MemoryContextStrdup(scan->cxt, why);
	pfree(why);
}

/*
 * The comparison of the bounded column with each bound: the btree ordering
 * of the column's type against the bound's (pushdown.c checked that it
 * exists), under "C" for text.
 */
static void
setup_bounds(PlanhatScan *scan)
{
	PlanhatColumn *col;
	Oid			base;
	Oid			opfamily;
	ListCell   *lc;
	int			i = 0;

	if (!scan->stop)
		return;
	col = &scan->map->columns[scan->sort_col];
	base = getBaseType(col->typid);
	opfamily = get_opclass_family(GetDefaultOpClass(base, BTREE_AM_OID));
	scan->bound_cmp = MemoryContextAlloc(scan->run_cxt,
										 sizeof(FmgrInfo) * Max(list_length(scan->bounds), 1));
	foreach(lc, scan->bounds)
	{
		PlanhatBound *b = lfirst(lc);
		Oid			proc = get_opfamily_proc(opfamily, base,
											 getBaseType(b->typid), BTORDER_PROC);

		if (!OidIsValid(proc))
			elog(ERROR, "planhat_fdw: no comparison of %s with %s",
				 format_type_be(base), format_type_be(b->typid));
		fmgr_info_cxt(proc, &scan->bound_cmp[i++], scan->run_cxt);
	}
}

/*
 * check_bounds
 *		Does the row fail a bound, in a list whose order held so far?  Then
 *		so do all rows after it, and the list ends with this page.
 *
 * Missing and null values sort lowest: last in a descending list, where
 * every later row is null too and fails the bound; first in an ascending
 * one, before the rows that matter.  In the sort=-updatedAt sent for a
 * bound, a row without updatedAt is not what Planhat documents: the order
 * cannot be judged, and the list is read to its end.
 */
static void
check_bounds(PlanhatScan *scan, Datum *values, bool *nulls)
{
	PlanhatColumn *col = &scan->map->columns[scan->sort_col];
	Datum		d = values[col->attnum - 1];
	bool		below = (scan->spec->stop == PH_STOP_BELOW);
	ListCell   *lc;
	int			i = 0;

	if (nulls[col->attnum - 1])
	{
		if (scan->spec->sort_for_stop)
			distrust(scan, psprintf("_id \"%s\" has no %s, so the order of sort=%s cannot be checked",
									current_id(scan), col->field, scan->spec->sort));
		else if (below)
			scan->passed_bound = true;
		return;
	}
	foreach(lc, scan->bounds)
	{
		PlanhatBound *b = lfirst(lc);
		int			cmp = DatumGetInt32(FunctionCall2Coll(&scan->bound_cmp[i++],
														  scan->sort_collation,
														  d, b->value));

		if (below ? (b->strict ? cmp <= 0 : cmp < 0) :
			(b->strict ? cmp >= 0 : cmp > 0))
			scan->passed_bound = true;
	}
}

/*
 * planhat_scan_stop_report
 *		For EXPLAIN ANALYZE: how the lists of an early stop ended, or NULL
 *		when the scan had none.
 */
char *
planhat_scan_stop_report(PlanhatScan *scan)
{
	if (scan->stop_lists == 0)
		return NULL;
	if (scan->distrust)
		return psprintf("at the bound in " INT64_FORMAT " of " INT64_FORMAT " list%s; read to the end because %s",
						scan->stopped, scan->stop_lists,
						scan->stop_lists == 1 ? "" : "s", scan->distrust);
	return psprintf("at the bound in " INT64_FORMAT " of " INT64_FORMAT " list%s",
					scan->stopped, scan->stop_lists,
					scan->stop_lists == 1 ? "" : "s");
}
