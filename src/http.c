/*-------------------------------------------------------------------------
 *
 * http.c
 *		  The HTTP layer of planhat_fdw: connection cache, request pipeline,
 *		  retries, rate limiting, cancellation and remote error reporting.
 *
 * This is the only file that includes <curl/curl.h>, and it does not use
 * json-c.  Everything libcurl allocates stays on malloc (libcurl's own
 * allocator, as pgsql-http found out the hard way); every such object has
 * exactly one owner in this file that frees it on every path, including
 * when an ERROR longjmps out.
 *
 * Assumptions the code relies on:
 *
 * - Nothing that can throw runs inside a libcurl callback.  The write
 *	 callback allocates with MCXT_ALLOC_NO_OOM and records what went wrong;
 *	 the header callback copies into fixed-size buffers; the progress
 *	 callback only looks at the interrupt flags.  Errors are raised after
 *	 libcurl has returned, by the loop that drives the transfers.
 *
 * - Transfers run on libcurl's multi interface.  curl_multi_perform does
 *	 not block (libcurl resolves names asynchronously), and the driving loop
 *	 polls at most HTTP_POLL_MS before it calls CHECK_FOR_INTERRUPTS, so a
 *	 cancel or statement_timeout raises PostgreSQL's own error within that
 *	 time.  Sleeps (retry backoff, rate limiter) wait on the process latch,
 *	 which the interrupt handlers set, and so end at once.
 *
 * - One cache entry per (server, user mapping), in CacheMemoryContext, like
 *	 postgres_fdw's ConnCacheEntry.  Its multi handle owns libcurl's
 *	 connection pool, so keep-alive connections and TLS sessions survive
 *	 across statements.  Catalog changes mark the entry invalid; it is
 *	 rebuilt by the next planhat_get_connection that finds nothing in
 *	 flight, and closed at the end of the transaction otherwise.
 *
 * - Every transfer belongs to a pipeline, and every pipeline to a memory
 *	 context: when the context is reset or deleted (end of scan, error,
 *	 LIMIT), a reset callback detaches the pipeline's transfers from the
 *	 multi handle.  An ERROR escaping the driving loop cancels the pipeline
 *	 it was driving before it propagates, and the end of every transaction
 *	 cancels whatever is left, so no transfer outlives its transaction.
 *
 * - The api_token lives only in the cache entry (wiped when the entry is
 *	 closed) and in the request headers libcurl holds during a transfer
 *	 (wiped before they are freed).  Messages and log lines print only
 *	 PlanhatRequest.display, and every text printed is scrubbed of the
 *	 tokens this backend knows (also for other files: planhat_answer_text).
 *	 A connection is handed out only for a server that may use its hosts
 *	 (planhat_fdw.allowed_hosts, checked in option.c).
 *
 * - Answer buffers of all transfers together stay within
 *	 planhat_fdw.memory_budget: the write callback charges every growth,
 *	 prefetched answers may take half of it, one that does not fit is
 *	 queued again, and only the answer a scan waits for fails the
 *	 statement.
 *
 * - The rate limiter keeps one state per (database, server, user mapping),
 *	 behind the http_limiter_* functions: in shared memory when the library
 *	 is in shared_preload_libraries, so that every session of a tenant
 *	 counts against the same limits, otherwise in the cache entry (per
 *	 backend).  Its lock is held only to read or update a few numbers:
 *	 never while sleeping or doing HTTP.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/http.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>
#include <math.h>
#include <time.h>

#include <curl/curl.h>

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_user_mapping.h"
#include "common/pg_prng.h"
#include "foreign/foreign.h"
#include "funcapi.h"
#include "lib/ilist.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "planhat_fdw.h"

#if LIBCURL_VERSION_NUM < 0x074200
#error "planhat_fdw needs libcurl 7.66.0 or later (curl_multi_poll, CURLINFO_*_T)"
#endif

/*
 * Largest answer body accepted, bytes.  Planhat's biggest documented page
 * (10000 tasks) is some tens of MB; an answer near this cap is a runaway,
 * and the buffer (which may reach twice the body while it grows) must stay
 * far below MaxAllocHugeSize.
 */
#define PLANHAT_MAX_BODY			((size_t) 512 * 1024 * 1024)

/*
 * Default of planhat_fdw.memory_budget, kB: the answer bodies a backend may
 * hold in flight (being received, or received and not yet read).  Planhat's
 * largest pages are some tens of MB (5000 companies are about 10 MB of
 * JSON; 10000 tasks more).  Prefetches may use half of the budget, each
 * page counted at twice its size while its buffer grows: 6 pages of 10 MB
 * in flight ahead of the one a scan waits for, which has the other half.
 */
#define PLANHAT_DEFAULT_MEMORY_BUDGET_KB	(256 * 1024)

/* First body buffer when the answer announces no Content-Length, bytes */
#define HTTP_INITIAL_BODY			((size_t) 64 * 1024)

/*
 * Longest wait asked for by Retry-After (on 429 or 503) that is honoured,
 * ms.  Planhat's legacy docs say the per-minute quota resets "every 60-120
 * seconds".  A longer Retry-After is reported at once rather than holding
 * the statement.
 */
#define PLANHAT_MAX_RATE_LIMIT_WAIT_MS	120000

/*
 * Wait after a 429 that says X-Rate-Limit-Remaining: 0 but has no
 * Retry-After, ms: one documented quota window (the legacy docs' lower
 * bound; a second 429 waits again).
 */
#define HTTP_RATE_LIMIT_WINDOW_MS	60000

/*
 * Smallest wait after a 429 without any hint, ms: the documented hard limit
 * (150 requests/s) is counted per second, so a shorter wait wastes a retry.
 */
#define HTTP_RATE_LIMIT_MIN_WAIT_MS 1000

/*
 * Exponential backoff with full jitter for 5xx answers and transport
 * errors: retry n waits a random time in [0, min(cap, base * 2^(n-1))] ms.
 * 200 ms doubling reaches the 10 s cap at the 7th retry; with the default
 * max_retries (5) the worst case is 0.2+0.4+0.8+1.6+3.2 = 6.2 s of sleep.
 */
#define HTTP_BACKOFF_BASE_MS		200
#define HTTP_BACKOFF_CAP_MS			10000

/*
 * Longest poll between two interrupt checks while transfers are running,
 * ms.  A signal usually ends the poll early (EINTR); this bounds the cancel
 * latency when it does not (e.g. a signal delivered to libcurl's resolver
 * thread).
 */
#define HTTP_POLL_MS				100

/* Transfers in flight per connection: Planhat's documented burst limit */
#define HTTP_MAX_IN_FLIGHT			50

/* Idle easy handles kept per connection for reuse */
#define HTTP_EASY_POOL_SIZE			8

/* TCP keepalive probes on idle keep-alive connections, seconds */
#define HTTP_TCP_KEEPIDLE_S			60
#define HTTP_TCP_KEEPINTVL_S		30

/* Planhat's own message in errdetail is cut to this many bytes */
#define HTTP_MESSAGE_MAX			200

/* Captured response header values, bytes; longer values are cut */
#define HTTP_HEADER_VALUE_MAX		128

/* Secrets shorter than this are not scrubbed: they would match plain text */
#define HTTP_SCRUB_MIN_LEN			6

/*
 * Longest wait for the TLS handshake that tells whether the port of an
 * http:// url speaks https (an error path only: not interruptible)
 */
#define HTTP_PROBE_TIMEOUT_MS		1000

/*
 * Tenants the shared rate limiter can follow at once: entries of the
 * shared table (about 64 bytes each).  An entry that constrains nothing
 * any more (its 429 pause is over, its spacing has passed and its bucket
 * is full again) is reused, so only tenants that sent requests within the
 * last minute or so take an entry.  When every entry is taken, a backend
 * limits its own requests alone, as without shared_preload_libraries.
 */
#define PLANHAT_SHARED_LIMITERS		256

/*
 * Client-side rate limiter state of one tenant, that is one (database,
 * server, user mapping): what Planhat counts is not documented, and one
 * user mapping holds one token.  Only the http_limiter_* functions touch
 * it; it lives in shared memory (HttpSharedLimiter) or, without
 * shared_preload_libraries, in the cache entry.
 */
typedef struct HttpLimiter
{
	TimestampTz last_start;		/* start of the latest request; 0: none */
	TimestampTz hold_until;		/* 429 pause: nothing starts before this */
	double		tokens;			/* max_requests_per_minute bucket at
								 * refilled_at */
	TimestampTz refilled_at;	/* 0: bucket untouched (full) */
} HttpLimiter;

/* Whose limiter state a shared entry holds; dbid InvalidOid: free */
typedef struct HttpLimiterKey
{
	Oid			dbid;
	Oid			serverid;
	Oid			umid;
} HttpLimiterKey;

typedef struct HttpSharedLimiter
{
	HttpLimiterKey key;
	TimestampTz idle_at;		/* from then on the state constrains nothing
								 * and the entry may be reused */
	HttpLimiter state;
} HttpSharedLimiter;

/* The shared table, protected by one LWLock */
typedef struct HttpSharedLimiters
{
	LWLock	   *lock;
	HttpSharedLimiter slots[PLANHAT_SHARED_LIMITERS];
} HttpSharedLimiters;

/* Hash key of the connection cache */
typedef struct HttpConnKey
{
	Oid			umid;			/* user mapping OID (InvalidOid: none) */
	Oid			serverid;		/* foreign server OID */
} HttpConnKey;

/*
 * A cached connection: an entry of ConnectionHash.  Entries are never
 * removed from the hash, so PlanhatConnection pointers stay valid for the
 * life of the backend; only the libcurl handles and option copies inside
 * come and go.
 */
struct PlanhatConnection
{
	HttpConnKey key;			/* hash key; must be first */
	char		servername[NAMEDATALEN];	/* for messages */
	Oid			userid;			/* role the mapping was looked up for */
	uint32		server_hashvalue;	/* hash of the server OID */
	uint32		mapping_hashvalue;	/* hash of the user mapping OID */
	bool		invalidated;	/* server or user mapping changed */
	bool		url_confirmed;	/* a GET to url answered 2xx: its 404s on
								 * keys mean "no such record" (see
								 * planhat_confirm_missing) */
	bool		xact_used;		/* handed out in the current transaction */

	CURLM	   *multi;			/* NULL when closed; owns the conn pool */
	CURL	   *easy_pool[HTTP_EASY_POOL_SIZE]; /* idle easy handles */
	int			neasy;			/* entries used in easy_pool */
	int			nrunning;		/* easy handles attached to multi */
	dlist_head	pipelines;		/* pipelines with pending transfers */
	HttpLimiter limiter;		/* per backend (no shared table, or it was
								 * full); outlives the handles: it paces
								 * the server and mapping, not the
								 * connection */
	int			limiter_slot;	/* hint: last shared entry used; -1: none */
	bool		limiter_local;	/* the last start was paced per backend
								 * because the shared table was full */
	bool		limiter_warned; /* that was reported */

	/* copies of the options, refreshed by every planhat_get_connection */
	bool		allow_http;		/* url or analytics_url says http:// */
	int			timeout_ms;
	int			connect_timeout_ms;
	int			max_retries;
	double		max_rps;		/* <= 0: no client-side limit */
	int			max_rpm;		/* max_requests_per_minute; 0: off */
	char	   *ssl_ca_file;	/* in CacheMemoryContext, or NULL */
	char	   *proxy;			/* in CacheMemoryContext; NULL: the
								 * environment's, "": none */
	char	   *api_token;		/* in CacheMemoryContext, or NULL; secret */
	char	   *tenant_token;	/* in CacheMemoryContext, or NULL; secret,
								 * kept only to scrub it from messages */
};

/* Where a transfer is in its life */
typedef enum HttpState
{
	HTTP_QUEUED,				/* submitted, never started */
	HTTP_RUNNING,				/* attached to the multi handle */
	HTTP_BACKOFF,				/* an attempt failed; waits to be re-sent */
	HTTP_DONE					/* final answer or final failure recorded */
} HttpState;

/* What a callback had to give up on (reported after the transfer) */
typedef enum HttpFailure
{
	HTTP_FAIL_NONE,
	HTTP_FAIL_TOO_LARGE,		/* body above PLANHAT_MAX_BODY */
	HTTP_FAIL_BUDGET,			/* bodies above planhat_fdw.memory_budget */
	HTTP_FAIL_OOM,				/* body buffer could not be allocated */
	HTTP_FAIL_INTERRUPTED		/* progress callback saw a pending cancel */
} HttpFailure;

/*
 * One request and its attempts.  Allocated in its pipeline's context, with
 * private copies of the request's strings.  easy and headers are set only
 * while the transfer is attached to the multi handle (HTTP_RUNNING).
 */
typedef struct HttpTransfer
{
	dlist_node	node;			/* in pipe->transfers, submission order */
	PlanhatPipeline *pipe;
	PlanhatRequest req;			/* private copy */
	HttpState	state;
	int			attempts;		/* attempts started */
	TimestampTz not_before;		/* HTTP_BACKOFF: earliest restart */
	CURL	   *easy;			/* HTTP_RUNNING only */
	struct curl_slist *headers; /* HTTP_RUNNING only; malloc'd by libcurl */

	/* written by the callbacks during an attempt: plain stores only */
	char	   *body;			/* in pipe->cxt, NUL-terminated, or NULL */
	size_t		body_len;
	size_t		body_cap;
	HttpFailure failure;
	size_t		failed_alloc;	/* HTTP_FAIL_OOM, _BUDGET: size asked for */
	char		content_type[HTTP_HEADER_VALUE_MAX];
	char		content_length[32];
	char		retry_after[HTTP_HEADER_VALUE_MAX];
	char		rl_remaining[32];	/* X-Rate-Limit-Remaining */
	char		errbuf[CURL_ERROR_SIZE];	/* CURLOPT_ERRORBUFFER */

	/* outcome of the last attempt */
	CURLcode	result;
	long		status;
	bool		before_request; /* failed before the request was sent */
	int64		asked_wait_ms;	/* Retry-After beyond our cap, or -1 */
	int			unsure;			/* retried attempts that may have reached
								 * Planhat (5xx, broken transfer) */
	const char *port_scheme;	/* "http"/"https": what the url's port
								 * speaks when the url says the other */
} HttpTransfer;

/* A set of transfers handed back in submission order (see planhat_fdw.h) */
struct PlanhatPipeline
{
	PlanhatConnection *conn;
	MemoryContext cxt;			/* owns this struct and the transfers */
	int			depth;			/* transfers started and not handed back */
	int			mem_depth;		/* lower cap after a prefetched answer did
								 * not fit the memory budget; 0: none */
	size_t		largest_answer; /* largest body handed back, bytes */
	bool		lazy;			/* depth 0: start only what _next waits for */
	int			npending;		/* submitted, not handed back */
	int			nstarted;		/* of which: started at least once */
	HttpTransfer *wanted;		/* lazy: the transfer _next waits for */
	dlist_head	transfers;		/* submission order */
	bool		registered;		/* in conn->pipelines */
	dlist_node	conn_node;
	MemoryContextCallback reset_cb; /* cancels when cxt goes */
};

/*
 * How http_report_failure words a failure: named by http.c, or derived from
 * the answer (HTTP_ERR_DERIVE) for a caller of planhat_report_error.
 */
typedef enum HttpErrorKind
{
	HTTP_ERR_DERIVE = 0,		/* from status and arguments */
	HTTP_ERR_CONNECT,			/* could not connect */
	HTTP_ERR_CONNECT_TIMEOUT,	/* connect_timeout_ms elapsed */
	HTTP_ERR_TIMEOUT,			/* timeout_ms elapsed */
	HTTP_ERR_TLS,				/* certificate verification, CA file */
	HTTP_ERR_RECEIVE,			/* failure after the request was sent */
	HTTP_ERR_TOO_LARGE,			/* body above PLANHAT_MAX_BODY */
	HTTP_ERR_BUDGET,			/* bodies above planhat_fdw.memory_budget */
	HTTP_ERR_OOM,				/* body buffer allocation failed */
	HTTP_ERR_CONTENT_TYPE,		/* 2xx that is not JSON */
	HTTP_ERR_EMPTY,				/* 2xx without a body */
	HTTP_ERR_SCHEME,			/* http:// url on a TLS port, or the reverse */
	HTTP_ERR_STATUS				/* any other HTTP status */
} HttpErrorKind;

/*
 * Everything http_report_failure needs, passed to it explicitly: http_report
 * fills it from a transfer and its connection, planhat_report_error from an
 * answer a caller got.
 */
typedef struct HttpErrorReport
{
	HttpErrorKind kind;
	const PlanhatRequest *req;
	const char *server;			/* the connection's foreign server */
	long		status;			/* HTTP status; 0: transport failure */
	const char *body;			/* the answer, or NULL */
	size_t		body_len;
	const char *content_type;	/* or NULL */
	const char *transport_error;	/* libcurl's text, or NULL */
	int			attempts;
	int			timeout_ms;		/* HTTP_ERR_*TIMEOUT */
	size_t		alloc_size;		/* HTTP_ERR_OOM */
	int64		asked_wait_ms;	/* 429/503 whose Retry-After we refused */
	bool		unsure;			/* an earlier attempt may have reached Planhat */
	const char *port_scheme;	/* HTTP_ERR_SCHEME: what the port speaks */
	int			max_retries;	/* the server's option, for hints */
} HttpErrorReport;

static HTAB *ConnectionHash = NULL;

/* The shared rate limiter; NULL without shared_preload_libraries */
static HttpSharedLimiters *http_shared_limiters = NULL;
static shmem_request_hook_type http_prev_shmem_request_hook = NULL;
static shmem_startup_hook_type http_prev_shmem_startup_hook = NULL;

/* GUC planhat_fdw.memory_budget, kB */
static int	http_memory_budget_kb = PLANHAT_DEFAULT_MEMORY_BUDGET_KB;

/*
 * Bytes of answer buffers held by this backend's transfers: being received,
 * or received and not yet handed back.  Every change goes through the write
 * callback (growth) or http_body_free / planhat_pipeline_next (release).
 */
static Size http_memory_in_flight = 0;

/* connection cache */
static void http_init_cache(void);
static void http_copy_options(PlanhatConnection *conn,
							  const PlanhatOptions *opts);
static bool http_options_changed(PlanhatConnection *conn,
								 const PlanhatOptions *opts);
static void http_open(PlanhatConnection *conn);
static void http_close(PlanhatConnection *conn);
static void http_set_string(char **dst, const char *src, bool secret);
static bool http_disconnect_cached(Oid serverid, bool all);
static void http_inval_callback(Datum arg, int cacheid, uint32 hashvalue);
static void http_xact_callback(XactEvent event, void *arg);
static void http_proc_exit(int code, Datum arg);

/* transfers */
static CURL *http_get_easy(PlanhatConnection *conn);
static void http_release_easy(PlanhatConnection *conn, CURL *easy);
static struct curl_slist *http_append(struct curl_slist *list,
									  const char *line, bool *ok);
static void http_free_headers(struct curl_slist *list);
static void http_start(PlanhatConnection *conn, HttpTransfer *t);
static void http_detach(PlanhatConnection *conn, HttpTransfer *t);
static void http_free_transfer(PlanhatConnection *conn, HttpTransfer *t);
static void http_reset_answer(HttpTransfer *t);
static void http_finish_attempt(PlanhatConnection *conn, HttpTransfer *t,
								CURLcode result);
static bool http_transport_retryable(CURLcode result);
static const char *http_scheme_mismatch(PlanhatConnection *conn,
										HttpTransfer *t, CURLcode result);
static int64 http_backoff_ms(int attempt, int base_ms);
static int64 http_retry_after_ms(const char *value);
static void http_log_attempt(HttpTransfer *t, double ms, bool retry,
							 int64 delay_ms);
static void http_count(HttpTransfer *t, const PlanhatCounters *delta);

/* memory budget */
static Size http_budget_bytes(void);
static void http_body_free(HttpTransfer *t);
static int	http_pipeline_depth(PlanhatPipeline *pipe);

/* rate limiter */
static Size http_limiter_shmem_size(void);
static void http_limiter_shmem_request(void);
static void http_limiter_shmem_startup(void);
static double http_limiter_burst(PlanhatConnection *conn);
static double http_limiter_refill(PlanhatConnection *conn);
static double http_limiter_tokens(const HttpLimiter *lim,
								  PlanhatConnection *conn, TimestampTz now);
static TimestampTz http_limiter_earliest(const HttpLimiter *lim,
										 PlanhatConnection *conn,
										 TimestampTz now);
static TimestampTz http_limiter_idle_at(const HttpLimiter *lim,
										PlanhatConnection *conn,
										TimestampTz now);
static HttpSharedLimiter *http_limiter_find(PlanhatConnection *conn,
											TimestampTz now, bool claim);
static TimestampTz http_limiter_next(PlanhatConnection *conn,
									 TimestampTz now);
static bool http_limiter_take_state(HttpLimiter *lim,
									PlanhatConnection *conn,
									TimestampTz now);
static bool http_limiter_take(PlanhatConnection *conn);
static void http_limiter_hold(PlanhatConnection *conn, TimestampTz until);
static void http_limiter_end_xact(PlanhatConnection *conn);

/* driving */
static bool http_may_start(HttpTransfer *t, TimestampTz now);
static void http_service(PlanhatConnection *conn);
static TimestampTz http_next_wake(PlanhatConnection *conn);
static void http_perform(PlanhatConnection *conn);
static void http_kick(PlanhatConnection *conn);
static void http_sleep(HttpTransfer *target, long ms);
static void http_drive(PlanhatPipeline *pipe, HttpTransfer *target);
static void http_unregister(PlanhatPipeline *pipe);
static void http_pipeline_reset_callback(void *arg);

/* answers and errors */
static bool http_is_json(const char *content_type);
static bool http_answer_usable(HttpTransfer *t, HttpErrorKind *kind);
static HttpErrorKind http_transport_kind(HttpTransfer *t);
pg_noreturn static void http_report(HttpTransfer *t, HttpErrorKind kind);
pg_noreturn static void http_report_failure(const HttpErrorReport *failure);
pg_noreturn static void http_report_exchange(const HttpErrorReport *f,
											 const char *display,
											 const char *said);
pg_noreturn static void http_report_status(const HttpErrorReport *f,
										   const char *display,
										   const char *said);
static void http_error_callback(void *arg);
static int	errdetail_request_failed(const char *display, int attempts,
									 const char *reason);
static int	errdetail_request_status(const char *display, long status,
									 int attempts, const char *said);
static int	errdetail_request_answered(const char *display, long status,
									   const char *said);
static int	errdetail_wait_refused(const char *display, long status,
								   int64 asked_wait_ms, const char *said);
pg_noreturn static void http_fail(PlanhatPipeline *pipe, HttpTransfer *t,
								  HttpErrorKind kind);
static char *http_scrub(const char *text);
static char *http_scrub_one(char *text, const char *secret);
static char *http_scrub_secret(char *text, const char *secret);
static bool http_answer_hidden(const PlanhatRequest *req);
static char *http_printable(const char *text, size_t maxlen);
static char *http_request_path(const char *display);
static char *http_base_url(const PlanhatRequest *req);

/* libcurl callbacks: must never throw */
static size_t http_write_callback(char *ptr, size_t size, size_t nmemb,
								  void *userdata);
static size_t http_header_callback(char *buffer, size_t size, size_t nitems,
								   void *userdata);
static int	http_progress_callback(void *clientp, curl_off_t dltotal,
								   curl_off_t dlnow, curl_off_t ultotal,
								   curl_off_t ulnow);

PG_FUNCTION_INFO_V1(planhat_fdw_get_connections);
PG_FUNCTION_INFO_V1(planhat_fdw_disconnect);
PG_FUNCTION_INFO_V1(planhat_fdw_disconnect_all);


/* ----------------------------------------------------------------
 *		initialization and the connection cache
 * ----------------------------------------------------------------
 */

/*
 * planhat_http_init
 *		Initialize libcurl once per process; called from _PG_init.  Under
 *		shared_preload_libraries, also ask for the shared rate limiter.
 *
 * The connection hash, the catalog invalidation callbacks, the transaction
 * callback and the exit callback are set up on first use instead
 * (http_init_cache): under shared_preload_libraries _PG_init runs in the
 * postmaster, where CacheMemoryContext does not exist yet and on_proc_exit
 * callbacks are dropped by every child.
 */
void
planhat_http_init(void)
{
	static bool initialized = false;
	CURLcode	rc;

	if (initialized)
		return;

	DefineCustomIntVariable("planhat_fdw.memory_budget",
							"Most memory for answers from Planhat in flight in one backend.",
							"Answers being received plus answers received and not yet "
							"read; prefetch is lowered to stay within it.",
							&http_memory_budget_kb,
							PLANHAT_DEFAULT_MEMORY_BUDGET_KB,
							1024,	/* 1 MB */
							4 * 1024 * 1024,	/* 4 GB */
							PGC_SUSET,
							GUC_UNIT_KB,
							NULL, NULL, NULL);

	/*
	 * Shared memory exists only for libraries loaded by the postmaster;
	 * loaded later, the limiter stays per backend.
	 */
	if (process_shared_preload_libraries_in_progress)
	{
		http_prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = http_limiter_shmem_request;
		http_prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = http_limiter_shmem_startup;
	}

	rc = curl_global_init(CURL_GLOBAL_ALL);
	if (rc != CURLE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not initialize libcurl: %s",
						curl_easy_strerror(rc))));
	initialized = true;
}

/*
 * http_init_cache
 *		Create the connection hash and register the callbacks that keep it
 *		honest.
 */
static void
http_init_cache(void)
{
	HASHCTL		ctl;

	if (!CacheMemoryContext)
		CreateCacheMemoryContext();

	ctl.keysize = sizeof(HttpConnKey);
	ctl.entrysize = sizeof(PlanhatConnection);
	ctl.hcxt = CacheMemoryContext;
	ConnectionHash = hash_create("planhat_fdw connections", 8, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	CacheRegisterSyscacheCallback(FOREIGNSERVEROID, http_inval_callback,
								  (Datum) 0);
	CacheRegisterSyscacheCallback(USERMAPPINGOID, http_inval_callback,
								  (Datum) 0);
	RegisterXactCallback(http_xact_callback, NULL);
	on_proc_exit(http_proc_exit, (Datum) 0);
}

/*
 * planhat_get_connection
 *		The cached connection for opts' (server, user mapping), created or
 *		refreshed as needed.
 *
 * Options are copied on every call.  When the entry was invalidated by a
 * catalog change, or its token, CA file, proxy or protocols changed, its libcurl
 * handles are closed and rebuilt, unless transfers are still in flight; then
 * the rebuild waits for a later call or for the end of the transaction.
 * The returned pointer stays valid for the life of the backend; the entry
 * cannot be closed by planhat_fdw_disconnect() during this transaction.
 */
PlanhatConnection *
planhat_get_connection(const PlanhatOptions *opts)
{
	PlanhatConnection *conn;
	HttpConnKey key;
	bool		found;

	/* before anything can reach the host: is it one this server may use? */
	planhat_check_allowed_hosts(opts);

	if (ConnectionHash == NULL)
		http_init_cache();

	MemSet(&key, 0, sizeof(key));
	key.umid = opts->umid;
	key.serverid = opts->serverid;

	conn = hash_search(ConnectionHash, &key, HASH_ENTER, &found);
	if (!found)
	{
		/* everything but the key */
		MemSet((char *) conn + sizeof(HttpConnKey), 0,
			   sizeof(PlanhatConnection) - sizeof(HttpConnKey));
		dlist_init(&conn->pipelines);
		conn->server_hashvalue =
			GetSysCacheHashValue1(FOREIGNSERVEROID,
								  ObjectIdGetDatum(opts->serverid));
		conn->mapping_hashvalue = OidIsValid(opts->umid) ?
			GetSysCacheHashValue1(USERMAPPINGOID,
								  ObjectIdGetDatum(opts->umid)) : 0;
		conn->limiter_slot = -1;
	}

	if (conn->multi != NULL && dlist_is_empty(&conn->pipelines) &&
		(conn->invalidated || http_options_changed(conn, opts)))
		http_close(conn);

	http_copy_options(conn, opts);
	if (conn->multi == NULL)
		http_open(conn);

	conn->xact_used = true;
	return conn;
}

/*
 * http_copy_options
 *		Refresh the entry's copies of the options it needs.
 */
static void
http_copy_options(PlanhatConnection *conn, const PlanhatOptions *opts)
{
	strlcpy(conn->servername, opts->servername ? opts->servername : "",
			NAMEDATALEN);
	conn->userid = opts->userid;
	conn->allow_http =
		(opts->url && pg_strncasecmp(opts->url, "http://", 7) == 0) ||
		(opts->analytics_url &&
		 pg_strncasecmp(opts->analytics_url, "http://", 7) == 0);
	conn->timeout_ms = opts->timeout_ms;
	conn->connect_timeout_ms = opts->connect_timeout_ms;
	conn->max_retries = Max(opts->max_retries, 0);
	conn->max_rps = opts->max_requests_per_second;
	conn->max_rpm = opts->max_requests_per_minute;
	http_set_string(&conn->ssl_ca_file, opts->ssl_ca_file, false);
	http_set_string(&conn->proxy, opts->proxy, false);
	http_set_string(&conn->api_token, opts->api_token, true);
	http_set_string(&conn->tenant_token, opts->tenant_token, true);
}

/*
 * http_options_changed
 *		Do opts differ from the entry's copies in anything that should not
 *		reuse the entry's keep-alive connections?
 */
static bool
http_options_changed(PlanhatConnection *conn, const PlanhatOptions *opts)
{
#define HTTP_STR_DIFFERS(a, b) \
	(((a) == NULL) != ((b) == NULL) || ((a) != NULL && strcmp((a), (b)) != 0))

	bool		allow_http;

	allow_http =
		(opts->url && pg_strncasecmp(opts->url, "http://", 7) == 0) ||
		(opts->analytics_url &&
		 pg_strncasecmp(opts->analytics_url, "http://", 7) == 0);

	return allow_http != conn->allow_http ||
		HTTP_STR_DIFFERS(conn->ssl_ca_file, opts->ssl_ca_file) ||
		HTTP_STR_DIFFERS(conn->proxy, opts->proxy) ||
		HTTP_STR_DIFFERS(conn->api_token, opts->api_token) ||
		HTTP_STR_DIFFERS(conn->tenant_token, opts->tenant_token);
#undef HTTP_STR_DIFFERS
}

/*
 * http_set_string
 *		Replace a CacheMemoryContext string copy; secrets are wiped first.
 */
static void
http_set_string(char **dst, const char *src, bool secret)
{
	if (*dst != NULL && src != NULL && strcmp(*dst, src) == 0)
		return;
	if (*dst != NULL)
	{
		if (secret)
			explicit_bzero(*dst, strlen(*dst));
		pfree(*dst);
		*dst = NULL;
	}
	if (src != NULL)
		*dst = MemoryContextStrdup(CacheMemoryContext, src);
}

/*
 * http_open
 *		Create the entry's multi handle.
 */
static void
http_open(PlanhatConnection *conn)
{
	CURLM	   *multi;

	Assert(conn->multi == NULL);
	multi = curl_multi_init();
	if (multi == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not create a libcurl multi handle.")));

	/*
	 * HTTP/2 multiplexing keeps parallel requests on one connection; cap the
	 * connections per host at Planhat's documented burst anyway.
	 */
	(void) curl_multi_setopt(multi, CURLMOPT_PIPELINING,
							 (long) CURLPIPE_MULTIPLEX);
	(void) curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS,
							 (long) HTTP_MAX_IN_FLIGHT);

	conn->multi = multi;
	conn->invalidated = false;
	conn->nrunning = 0;
	conn->neasy = 0;
}

/*
 * http_close
 *		Free the entry's libcurl handles (closing its keep-alive connections)
 *		and wipe its secrets.  No pipeline may have transfers on it.
 */
static void
http_close(PlanhatConnection *conn)
{
	int			i;

	Assert(dlist_is_empty(&conn->pipelines));

	for (i = 0; i < conn->neasy; i++)
		curl_easy_cleanup(conn->easy_pool[i]);
	conn->neasy = 0;
	if (conn->multi != NULL)
		curl_multi_cleanup(conn->multi);
	conn->multi = NULL;
	conn->nrunning = 0;
	conn->invalidated = false;
	conn->url_confirmed = false;

	http_set_string(&conn->api_token, NULL, true);
	http_set_string(&conn->tenant_token, NULL, true);
	http_set_string(&conn->ssl_ca_file, NULL, false);
	http_set_string(&conn->proxy, NULL, false);
}

/*
 * http_inval_callback
 *		Close, or mark invalid, the entries of a changed server or user
 *		mapping.
 *
 * Like postgres_fdw's pgfdw_inval_callback: an entry that this transaction
 * has not used is closed at once, which also wipes the token of a dropped
 * or changed user mapping from memory.  An entry in use is only marked: a
 * scan holds it, and its transfers may be in flight (an invalidation can
 * arrive while a transfer loop runs).  Marked entries are rebuilt by the
 * next planhat_get_connection that finds nothing in flight, and closed at
 * the end of the transaction otherwise.
 *
 * The own transaction's catalog changes come back as invalidations at the
 * start of the next one, when the entry is idle: so after ALTER SERVER the
 * connection is closed, not left stale until it is used again.
 */
static void
http_inval_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;

	Assert(cacheid == FOREIGNSERVEROID || cacheid == USERMAPPINGOID);

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		if (conn->multi == NULL)
			continue;
		if (hashvalue == 0 ||
			(cacheid == FOREIGNSERVEROID &&
			 conn->server_hashvalue == hashvalue) ||
			(cacheid == USERMAPPINGOID &&
			 conn->mapping_hashvalue == hashvalue))
		{
			if (!conn->xact_used && dlist_is_empty(&conn->pipelines))
				http_close(conn);
			else
				conn->invalidated = true;
		}
	}
}

/*
 * http_xact_callback
 *		At the end of a transaction, cancel leftover transfers and close
 *		invalidated entries.
 *
 * Scans cancel their pipelines when their memory goes away; this is the
 * safety net for a pipeline kept in a longer-lived context.  Closing
 * invalidated entries here also wipes the token of a dropped user mapping
 * from memory.  A 429 pause of the per-backend limiter ends with the
 * transaction too (a shared one belongs to the tenant and runs out).
 */
static void
http_xact_callback(XactEvent event, void *arg)
{
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;

	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			break;
		default:
			return;
	}

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		dlist_mutable_iter iter;

		dlist_foreach_modify(iter, &conn->pipelines)
			planhat_pipeline_cancel(dlist_container(PlanhatPipeline,
													conn_node, iter.cur));
		conn->xact_used = false;
		if (conn->multi != NULL && conn->invalidated)
			http_close(conn);

		/*
		 * A per-backend 429 pause holds the statement that met it; the next
		 * statement asks Planhat afresh (a cancelled wait must not haunt a
		 * re-run query).
		 */
		http_limiter_end_xact(conn);
	}

	/* every transfer is gone, and so must be its memory */
	if (http_memory_in_flight != 0)
	{
		elog(WARNING, "planhat_fdw: %zu bytes of answers left in flight at transaction end",
			 (size_t) http_memory_in_flight);
		http_memory_in_flight = 0;
	}
}

/*
 * http_proc_exit
 *		Release every libcurl handle at backend exit.
 *
 * This may run after a FATAL raised anywhere, so it only calls libcurl and
 * wipes secrets; it frees no palloc'd memory.  curl_global_cleanup is not
 * called: libcurl's docs allow it only when nothing else in the process
 * uses the libraries it initialized, and the backend uses OpenSSL itself.
 */
static void
http_proc_exit(int code, Datum arg)
{
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		dlist_iter	piter;
		int			i;

		dlist_foreach(piter, &conn->pipelines)
		{
			PlanhatPipeline *pipe = dlist_container(PlanhatPipeline,
													conn_node, piter.cur);
			dlist_iter	titer;

			dlist_foreach(titer, &pipe->transfers)
			{
				HttpTransfer *t = dlist_container(HttpTransfer, node,
												  titer.cur);

				if (t->easy != NULL)
				{
					if (conn->multi != NULL)
						(void) curl_multi_remove_handle(conn->multi, t->easy);
					curl_easy_cleanup(t->easy);
					t->easy = NULL;
				}
				http_free_headers(t->headers);
				t->headers = NULL;
			}
		}
		for (i = 0; i < conn->neasy; i++)
			curl_easy_cleanup(conn->easy_pool[i]);
		conn->neasy = 0;
		if (conn->multi != NULL)
			curl_multi_cleanup(conn->multi);
		conn->multi = NULL;
		if (conn->api_token != NULL)
			explicit_bzero(conn->api_token, strlen(conn->api_token));
		if (conn->tenant_token != NULL)
			explicit_bzero(conn->tenant_token, strlen(conn->tenant_token));
	}
}


/* ----------------------------------------------------------------
 *		libcurl callbacks (never throw, never allocate with palloc)
 * ----------------------------------------------------------------
 */

/*
 * http_write_callback
 *		Append a piece of the answer body to the transfer's buffer.
 *
 * The buffer lives in the pipeline's memory context and grows by doubling;
 * allocation uses MCXT_ALLOC_NO_OOM so that it returns NULL instead of
 * throwing.  Every growth is charged to http_memory_in_flight, old and new
 * buffer together while both exist, and refused when that would pass
 * planhat_fdw.memory_budget (half of it for a prefetched answer).  Returning less than the piece's size makes
 * libcurl abort the transfer (CURLE_WRITE_ERROR); the reason is kept in
 * t->failure and reported after the transfer.
 */
static size_t
http_write_callback(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	HttpTransfer *t = (HttpTransfer *) userdata;
	size_t		n = size * nmemb;
	Size		limit;

	if (t->failure != HTTP_FAIL_NONE)
		return 0;
	if (n > PLANHAT_MAX_BODY - t->body_len)
	{
		t->failure = HTTP_FAIL_TOO_LARGE;
		return 0;
	}

	if (t->body_len + n + 1 > t->body_cap)
	{
		size_t		newcap = t->body_cap;
		char	   *newbuf;

		if (newcap == 0)
		{
			/* first piece: trust a Content-Length (it is a lower bound) */
			long long	announced = 0;

			if (t->content_length[0] != '\0')
				announced = strtoll(t->content_length, NULL, 10);
			newcap = HTTP_INITIAL_BODY;
			if (announced > 0 && (size_t) announced < PLANHAT_MAX_BODY)
				newcap = Max(newcap, (size_t) announced + 1);
		}
		while (newcap < t->body_len + n + 1)
			newcap *= 2;
		newcap = Min(newcap, PLANHAT_MAX_BODY + 1);

		/*
		 * Prefetched answers (not the oldest of their pipeline) may fill
		 * only half of the budget: the answer a scan waits for always has
		 * the other half.
		 */
		limit = http_budget_bytes();
		if (dlist_head_element(HttpTransfer, node, &t->pipe->transfers) != t)
			limit /= 2;
		if (newcap > limit - Min(http_memory_in_flight, limit))
		{
			t->failure = HTTP_FAIL_BUDGET;
			t->failed_alloc = newcap;
			return 0;
		}

		newbuf = MemoryContextAllocExtended(t->pipe->cxt, newcap,
											MCXT_ALLOC_HUGE |
											MCXT_ALLOC_NO_OOM);
		if (newbuf == NULL)
		{
			t->failure = HTTP_FAIL_OOM;
			t->failed_alloc = newcap;
			return 0;
		}
		if (t->body != NULL)
		{
			memcpy(newbuf, t->body, t->body_len);
			pfree(t->body);
		}
		http_memory_in_flight += newcap - t->body_cap;
		t->body = newbuf;
		t->body_cap = newcap;
	}

	memcpy(t->body + t->body_len, ptr, n);
	t->body_len += n;
	t->body[t->body_len] = '\0';
	return n;
}

/*
 * http_capture_header
 *		If line is header 'name', copy its trimmed value into dst.
 */
static bool
http_capture_header(const char *line, size_t len, const char *name,
					char *dst, size_t dstsize)
{
	size_t		nlen = strlen(name);
	const char *p;
	const char *end;
	size_t		n;

	if (len <= nlen || line[nlen] != ':' ||
		pg_strncasecmp(line, name, nlen) != 0)
		return false;

	p = line + nlen + 1;
	end = line + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' ||
					   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = Min((size_t) (end - p), dstsize - 1);
	memcpy(dst, p, n);
	dst[n] = '\0';
	return true;
}

/*
 * http_header_callback
 *		Keep the response headers planhat_fdw looks at.
 */
static size_t
http_header_callback(char *buffer, size_t size, size_t nitems, void *userdata)
{
	HttpTransfer *t = (HttpTransfer *) userdata;
	size_t		len = size * nitems;

	/* a status line starts a new response (e.g. after 100 Continue) */
	if (len >= 5 && memcmp(buffer, "HTTP/", 5) == 0)
	{
		t->content_type[0] = '\0';
		t->content_length[0] = '\0';
		t->retry_after[0] = '\0';
		t->rl_remaining[0] = '\0';
		return len;
	}

	/* the first match wins; every other header is ignored */
	(void) (http_capture_header(buffer, len, "Content-Type",
								t->content_type, sizeof(t->content_type)) ||
			http_capture_header(buffer, len, "Content-Length",
								t->content_length,
								sizeof(t->content_length)) ||
			http_capture_header(buffer, len, "Retry-After",
								t->retry_after, sizeof(t->retry_after)) ||
			http_capture_header(buffer, len, "X-Rate-Limit-Remaining",
								t->rl_remaining, sizeof(t->rl_remaining)));
	return len;
}

/*
 * http_progress_callback
 *		Abort a transfer when a cancel or termination is pending.
 *
 * It only looks at the flags the signal handlers set: the interrupt itself
 * is serviced by CHECK_FOR_INTERRUPTS in the driving loop, after libcurl
 * has returned.  With held-off interrupts nothing is aborted, since the
 * interrupt would not be serviced and the abort would repeat.
 */
static int
http_progress_callback(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
					   curl_off_t ultotal, curl_off_t ulnow)
{
	HttpTransfer *t = (HttpTransfer *) clientp;

	if ((QueryCancelPending || ProcDiePending) &&
		INTERRUPTS_CAN_BE_PROCESSED())
	{
		t->failure = HTTP_FAIL_INTERRUPTED;
		return 1;
	}
	return 0;
}


/* ----------------------------------------------------------------
 *		transfers
 * ----------------------------------------------------------------
 */

/*
 * http_get_easy
 *		An easy handle from the entry's pool, reset, or a new one (NULL when
 *		libcurl is out of memory).
 */
static CURL *
http_get_easy(PlanhatConnection *conn)
{
	CURL	   *easy;

	if (conn->neasy > 0)
	{
		easy = conn->easy_pool[--conn->neasy];
		curl_easy_reset(easy);
		return easy;
	}
	return curl_easy_init();
}

/*
 * http_release_easy
 *		Give an easy handle that is no longer attached back to the pool.
 *
 * A handle removed in the middle of a transfer is reusable after the reset
 * (libcurl closes the connection it was using).  The reset also drops the
 * pointers to the transfer (callback data, error buffer).
 */
static void
http_release_easy(PlanhatConnection *conn, CURL *easy)
{
	curl_easy_reset(easy);
	if (conn->multi != NULL && conn->neasy < HTTP_EASY_POOL_SIZE)
		conn->easy_pool[conn->neasy++] = easy;
	else
		curl_easy_cleanup(easy);
}

/*
 * http_append
 *		curl_slist_append that keeps the list on failure and says so in *ok.
 */
static struct curl_slist *
http_append(struct curl_slist *list, const char *line, bool *ok)
{
	struct curl_slist *newlist;

	if (!*ok)
		return list;
	newlist = curl_slist_append(list, line);
	if (newlist == NULL)
	{
		*ok = false;
		return list;
	}
	return newlist;
}

/*
 * http_free_headers
 *		Wipe (one line holds the token) and free a header list.
 */
static void
http_free_headers(struct curl_slist *list)
{
	struct curl_slist *s;

	for (s = list; s != NULL; s = s->next)
		if (s->data != NULL)
			explicit_bzero(s->data, strlen(s->data));
	curl_slist_free_all(list);
}

/*
 * http_reset_answer
 *		Forget the previous attempt's answer.
 */
static void
http_reset_answer(HttpTransfer *t)
{
	http_body_free(t);
	t->failure = HTTP_FAIL_NONE;
	t->failed_alloc = 0;
	t->content_type[0] = '\0';
	t->content_length[0] = '\0';
	t->retry_after[0] = '\0';
	t->rl_remaining[0] = '\0';
	t->errbuf[0] = '\0';
	t->result = CURLE_OK;
	t->status = 0;
	t->before_request = false;
	t->asked_wait_ms = -1;
	t->port_scheme = NULL;
}

/*
 * http_start
 *		Start one attempt of a transfer: set up an easy handle and attach it
 *		to the connection's multi handle.
 *
 * Either the transfer ends up HTTP_RUNNING, owning its easy handle and
 * header list, or an ERROR is raised with nothing allocated by libcurl
 * left behind.  Every option is set explicitly on a reset handle.
 */
static void
http_start(PlanhatConnection *conn, HttpTransfer *t)
{
	const PlanhatRequest *req = &t->req;
	char	   *auth = NULL;
	CURL	   *easy;
	struct curl_slist *headers = NULL;
	bool		ok = true;
	const char *failed = NULL;
	bool		allow_http;
	bool		sends_body;
	CURLMcode	mc;
	PlanhatCounters delta;

	if (conn->multi == NULL)
		elog(ERROR, "planhat_fdw connection for server \"%s\" is closed",
			 conn->servername);

	/* the only allocation that may throw comes before any libcurl object */
	if (req->send_token)
	{
		if (conn->api_token == NULL || conn->api_token[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_FDW_DYNAMIC_PARAMETER_VALUE_NEEDED),
					 errmsg("user mapping for Planhat server \"%s\" has no api_token option",
							conn->servername),
					 errhint("Add the option with ALTER USER MAPPING ... OPTIONS (ADD api_token '...').")));
		auth = psprintf("Authorization: Bearer %s", conn->api_token);
	}

	http_reset_answer(t);

	easy = http_get_easy(conn);
	if (easy == NULL)
	{
		if (auth != NULL)
		{
			explicit_bzero(auth, strlen(auth));
			pfree(auth);
		}
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Could not create a libcurl easy handle.")));
	}

	sends_body = (req->body != NULL || req->method == PH_POST ||
				  req->method == PH_PUT);
	allow_http = conn->allow_http &&
		pg_strncasecmp(req->url, "http://", 7) == 0;

	headers = http_append(headers, "Accept: application/json", &ok);
	if (sends_body)
		headers = http_append(headers, "Content-Type: application/json", &ok);
	/* never wait for "100 Continue" on large bodies */
	headers = http_append(headers, "Expect:", &ok);
	if (auth != NULL)
	{
		headers = http_append(headers, auth, &ok);
		explicit_bzero(auth, strlen(auth));
		pfree(auth);
	}

#define HTTP_SETOPT(opt, val) \
	do { \
		if (failed == NULL && curl_easy_setopt(easy, (opt), (val)) != CURLE_OK) \
			failed = #opt; \
	} while (0)

	HTTP_SETOPT(CURLOPT_PRIVATE, (void *) t);
	HTTP_SETOPT(CURLOPT_URL, req->url);
	HTTP_SETOPT(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85.0 */
	HTTP_SETOPT(CURLOPT_PROTOCOLS_STR, allow_http ? "http,https" : "https");
	HTTP_SETOPT(CURLOPT_REDIR_PROTOCOLS_STR,
				allow_http ? "http,https" : "https");
#else
	HTTP_SETOPT(CURLOPT_PROTOCOLS,
				(long) (CURLPROTO_HTTPS | (allow_http ? CURLPROTO_HTTP : 0)));
	HTTP_SETOPT(CURLOPT_REDIR_PROTOCOLS,
				(long) (CURLPROTO_HTTPS | (allow_http ? CURLPROTO_HTTP : 0)));
#endif
	/*
	 * The path goes out exactly as request.c built it: libcurl would
	 * otherwise squash dot-segments ("/companies/.." -> "/").
	 */
	HTTP_SETOPT(CURLOPT_PATH_AS_IS, 1L);
	HTTP_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
	HTTP_SETOPT(CURLOPT_MAXREDIRS, 0L);
	HTTP_SETOPT(CURLOPT_TIMEOUT_MS, (long) Max(conn->timeout_ms, 0));
	HTTP_SETOPT(CURLOPT_CONNECTTIMEOUT_MS,
				(long) Max(conn->connect_timeout_ms, 0));
	HTTP_SETOPT(CURLOPT_ACCEPT_ENCODING, "");
	HTTP_SETOPT(CURLOPT_USERAGENT, PLANHAT_USER_AGENT);
	HTTP_SETOPT(CURLOPT_ERRORBUFFER, t->errbuf);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	HTTP_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (conn->ssl_ca_file != NULL && conn->ssl_ca_file[0] != '\0')
		HTTP_SETOPT(CURLOPT_CAINFO, conn->ssl_ca_file);

	/*
	 * Proxy: without the option libcurl follows the server process's
	 * http_proxy, https_proxy, all_proxy and no_proxy.  An empty CURLOPT_PROXY
	 * turns every proxy off, the environment's too; an explicit one also
	 * ignores no_proxy.
	 */
	if (conn->proxy != NULL)
	{
		HTTP_SETOPT(CURLOPT_PROXY, conn->proxy);
		if (conn->proxy[0] != '\0')
			HTTP_SETOPT(CURLOPT_NOPROXY, "");
	}
	HTTP_SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
	HTTP_SETOPT(CURLOPT_TCP_KEEPIDLE, (long) HTTP_TCP_KEEPIDLE_S);
	HTTP_SETOPT(CURLOPT_TCP_KEEPINTVL, (long) HTTP_TCP_KEEPINTVL_S);
	/*
	 * No CURLOPT_PIPEWAIT: on an HTTP/1.1 connection it holds the other
	 * transfers until the first one is done, which defeats prefetch.  With
	 * HTTP/2 the price is a few extra connections on a cold start.
	 */

	/*
	 * libcurl silently sends a request again when a reused keep-alive
	 * connection gives no answer at all (Curl_retry_request), with no option
	 * to turn that off.  The server may have processed it, so a request that
	 * is not safe to repeat gets a connection of its own, and so does one
	 * whose answer must not come from an unnoticed repeat (fresh_connection).
	 */
	HTTP_SETOPT(CURLOPT_FRESH_CONNECT,
				(req->retry_safe && !req->fresh_connection) ? 0L : 1L);
	HTTP_SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t) PLANHAT_MAX_BODY);
	HTTP_SETOPT(CURLOPT_NOPROGRESS, 0L);
	HTTP_SETOPT(CURLOPT_XFERINFOFUNCTION, http_progress_callback);
	HTTP_SETOPT(CURLOPT_XFERINFODATA, (void *) t);
	HTTP_SETOPT(CURLOPT_HEADERFUNCTION, http_header_callback);
	HTTP_SETOPT(CURLOPT_HEADERDATA, (void *) t);
	HTTP_SETOPT(CURLOPT_WRITEFUNCTION, http_write_callback);
	HTTP_SETOPT(CURLOPT_WRITEDATA, (void *) t);

	switch (req->method)
	{
		case PH_GET:
			HTTP_SETOPT(CURLOPT_HTTPGET, 1L);
			break;
		case PH_POST:
			HTTP_SETOPT(CURLOPT_POST, 1L);
			HTTP_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
						(curl_off_t) req->body_len);
			HTTP_SETOPT(CURLOPT_POSTFIELDS, req->body ? req->body : "");
			break;
		case PH_PUT:
		case PH_DELETE:
			if (sends_body)
			{
				HTTP_SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
							(curl_off_t) req->body_len);
				HTTP_SETOPT(CURLOPT_POSTFIELDS, req->body ? req->body : "");
			}
			else
				HTTP_SETOPT(CURLOPT_HTTPGET, 1L);
			HTTP_SETOPT(CURLOPT_CUSTOMREQUEST,
						planhat_method_name(req->method));
			break;
	}
	HTTP_SETOPT(CURLOPT_HTTPHEADER, headers);
#undef HTTP_SETOPT

	if (!ok || failed != NULL)
	{
		http_free_headers(headers);
		curl_easy_cleanup(easy);
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Could not build the headers of request \"%s\".",
							   req->display)));
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not set libcurl option %s", failed),
				 errdetail("The libcurl in use (%s) may be too old for planhat_fdw.",
						   curl_version())));
	}

	mc = curl_multi_add_handle(conn->multi, easy);
	if (mc != CURLM_OK)
	{
		http_free_headers(headers);
		curl_easy_cleanup(easy);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not start request \"%s\": %s",
						req->display, curl_multi_strerror(mc))));
	}

	/* from here on nothing throws until the transfer is consistent */
	t->easy = easy;
	t->headers = headers;
	if (t->state == HTTP_QUEUED)
		t->pipe->nstarted++;
	t->state = HTTP_RUNNING;
	t->attempts++;
	conn->nrunning++;

	MemSet(&delta, 0, sizeof(delta));
	delta.requests = 1;
	switch (req->method)
	{
		case PH_GET:
			delta.requests_get = 1;
			break;
		case PH_POST:
			delta.requests_post = 1;
			break;
		case PH_PUT:
			delta.requests_put = 1;
			break;
		case PH_DELETE:
			delta.requests_delete = 1;
			break;
	}
	if (t->attempts > 1)
		delta.retries = 1;
	delta.bytes_sent = (int64) req->body_len;
	http_count(t, &delta);
}

/*
 * http_detach
 *		Take a running transfer off the multi handle and give its libcurl
 *		objects back.  Safe on a transfer that is not running.
 */
static void
http_detach(PlanhatConnection *conn, HttpTransfer *t)
{
	CURL	   *easy = t->easy;

	if (easy == NULL)
		return;
	t->easy = NULL;
	if (conn->multi != NULL)
		(void) curl_multi_remove_handle(conn->multi, easy);
	conn->nrunning--;
	http_free_headers(t->headers);
	t->headers = NULL;
	http_release_easy(conn, easy);
}

/*
 * http_free_transfer
 *		Detach and free a transfer that is no longer in a pipeline's list.
 */
static void
http_free_transfer(PlanhatConnection *conn, HttpTransfer *t)
{
	http_detach(conn, t);
	http_body_free(t);
	if (t->req.url != NULL)
		pfree(t->req.url);
	if (t->req.display != NULL)
		pfree(t->req.display);
	if (t->req.body != NULL)
		pfree((char *) t->req.body);
	if (t->req.relname != NULL)
		pfree((char *) t->req.relname);
	pfree(t);
}

/*
 * http_transport_retryable
 *		Is a libcurl failure worth another attempt?  Configuration and
 *		certificate problems are not: they fail the same way every time.
 */
static bool
http_transport_retryable(CURLcode result)
{
	switch (result)
	{
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
		case CURLE_PARTIAL_FILE:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM:
		case CURLE_BAD_CONTENT_ENCODING:
			return true;
		default:
			return false;
	}
}

/*
 * http_scheme_mismatch
 *		Did this attempt fail because the url's scheme is not what its port
 *		speaks?  Returns what the port speaks ("http" or "https"), or NULL.
 *
 * An https:// url whose handshake got a plain HTTP answer fails with
 * OpenSSL's "wrong version number" (or a record error).  A TLS port answers
 * an http:// request by closing the connection or with a TLS alert, which is
 * also what a failing server may do: there, one TLS handshake with the same
 * port (nothing else is sent; the certificate is verified as always, and
 * one that does not verify still shows that the port speaks TLS) tells.
 * Asked on a first attempt only.
 */
static const char *
http_scheme_mismatch(PlanhatConnection *conn, HttpTransfer *t,
					 CURLcode result)
{
	static const char *const plain_answers[] = {
		"wrong version number", "packet length too long", "record layer failure",
		"unknown protocol", "http request", "unexpected TLS packet", NULL
	};
	const char *const *m;
	CURL	   *probe;
	char	   *url;
	CURLcode	rc;

	if (t->attempts != 1 || t->failure != HTTP_FAIL_NONE)
		return NULL;
	if (pg_strncasecmp(t->req.url, "https://", 8) == 0)
	{
		if (result != CURLE_SSL_CONNECT_ERROR)
			return NULL;
		for (m = plain_answers; *m; m++)
		{
			if (strstr(t->errbuf, *m) != NULL)
				return "http";
		}
		return NULL;
	}
	if (pg_strncasecmp(t->req.url, "http://", 7) != 0 ||
		t->before_request || t->status != 0 ||
		!(result == CURLE_RECV_ERROR || result == CURLE_GOT_NOTHING ||
		  result == CURLE_WEIRD_SERVER_REPLY ||
		  result == CURLE_UNSUPPORTED_PROTOCOL))
		return NULL;

	probe = curl_easy_init();
	if (probe == NULL)
		return NULL;
	url = psprintf("https://%s", t->req.url + 7);
	(void) curl_easy_setopt(probe, CURLOPT_URL, url);
	(void) curl_easy_setopt(probe, CURLOPT_CONNECT_ONLY, 1L);
	(void) curl_easy_setopt(probe, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85.0 */
	(void) curl_easy_setopt(probe, CURLOPT_PROTOCOLS_STR, "https");
#else
	(void) curl_easy_setopt(probe, CURLOPT_PROTOCOLS, (long) CURLPROTO_HTTPS);
#endif
	(void) curl_easy_setopt(probe, CURLOPT_CONNECTTIMEOUT_MS,
							(long) Min(conn->connect_timeout_ms, HTTP_PROBE_TIMEOUT_MS));
	if (conn->ssl_ca_file != NULL && conn->ssl_ca_file[0] != '\0')
		(void) curl_easy_setopt(probe, CURLOPT_CAINFO, conn->ssl_ca_file);
	rc = curl_easy_perform(probe);
	curl_easy_cleanup(probe);
	pfree(url);
	return (rc == CURLE_OK || rc == CURLE_PEER_FAILED_VERIFICATION ||
			rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_ISSUER_ERROR) ?
		"https" : NULL;
}

/*
 * http_backoff_ms
 *		Full-jitter exponential backoff before retry number 'attempt'.
 */
static int64
http_backoff_ms(int attempt, int base_ms)
{
	int64		ceiling = base_ms;
	int			i;

	for (i = 1; i < attempt && ceiling < HTTP_BACKOFF_CAP_MS; i++)
		ceiling *= 2;
	ceiling = Min(ceiling, HTTP_BACKOFF_CAP_MS);
	return (int64) (pg_prng_double(&pg_global_prng_state) * ceiling);
}

/*
 * http_retry_after_ms
 *		A Retry-After value (delay-seconds or HTTP-date) in ms from now, or
 *		-1 when absent or unreadable.
 */
static int64
http_retry_after_ms(const char *value)
{
	const char *p;
	time_t		when;
	time_t		now;

	if (value == NULL || value[0] == '\0')
		return -1;

	for (p = value; *p >= '0' && *p <= '9'; p++)
		;
	if (*p == '\0')
	{
		long long	secs;

		if (p - value > 9)
			return INT64CONST(1000) * 999999999;
		secs = strtoll(value, NULL, 10);
		return (int64) secs * 1000;
	}

	when = curl_getdate(value, NULL);
	if (when == (time_t) -1)
		return -1;
	now = time(NULL);
	return when > now ? (int64) (when - now) * 1000 : 0;
}

/*
 * http_finish_attempt
 *		Record how an attempt ended and decide whether it is retried.
 *
 * Retries (see notes/http.md for the table): 429 always (Planhat refused
 * the request, so even a POST is safe to send again), after Retry-After,
 * or a quota window when X-Rate-Limit-Remaining is 0, or a backoff;
 * 500/502/503/504 and transient transport errors only for retry-safe
 * requests, or for any request when it failed before it was sent.  Never
 * more than max_retries retries.
 */
static void
http_finish_attempt(PlanhatConnection *conn, HttpTransfer *t,
					CURLcode result)
{
	long		status = 0;
	curl_off_t	pretransfer_us = 0;
	curl_off_t	total_us = 0;
	bool		retry = false;
	int64		delay_ms = 0;
	TimestampTz now;
	PlanhatCounters delta;

	(void) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	(void) curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T,
							 &pretransfer_us);
	(void) curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	http_detach(conn, t);

	t->result = result;
	t->status = status;
	if (result == CURLE_FILESIZE_EXCEEDED && t->failure == HTTP_FAIL_NONE)
		t->failure = HTTP_FAIL_TOO_LARGE;
	if (result == CURLE_ABORTED_BY_CALLBACK && t->failure == HTTP_FAIL_NONE)
		t->failure = HTTP_FAIL_INTERRUPTED;

	/*
	 * Did it fail before a byte of the request went out?  Resolving and
	 * connecting failures certainly did; a timeout or TLS failure did when
	 * libcurl never got to the point of sending (pre-transfer time 0).
	 */
	t->before_request =
		result == CURLE_COULDNT_RESOLVE_PROXY ||
		result == CURLE_COULDNT_RESOLVE_HOST ||
		result == CURLE_COULDNT_CONNECT ||
		((result == CURLE_OPERATION_TIMEDOUT ||
		  result == CURLE_SSL_CONNECT_ERROR) && pretransfer_us == 0);

	now = GetCurrentTimestamp();

	/*
	 * A prefetched answer that found its half of the memory budget full: the
	 * answers before it come first.  It is asked for again once one of those has
	 * been handed back, and its pipeline keeps fewer requests in flight from
	 * now on.  Only the answer the scan needs next fails the statement.
	 */
	if (t->failure == HTTP_FAIL_BUDGET &&
		dlist_head_element(HttpTransfer, node, &t->pipe->transfers) != t)
	{
		PlanhatPipeline *pipe = t->pipe;
		int			before = 0;
		dlist_iter	iter;

		dlist_foreach(iter, &pipe->transfers)
		{
			if (dlist_container(HttpTransfer, node, iter.cur) == t)
				break;
			before++;
		}
		if (planhat_log_requests)
			http_log_attempt(t, (double) total_us / 1000.0, true, 0);
		http_body_free(t);
		t->state = HTTP_QUEUED;
		t->attempts--;
		pipe->nstarted--;
		before = Max(before, 1);
		pipe->mem_depth = pipe->mem_depth > 0 ?
			Min(pipe->mem_depth, before) : before;
		return;
	}

	if (t->failure == HTTP_FAIL_TOO_LARGE || t->failure == HTTP_FAIL_OOM ||
		t->failure == HTTP_FAIL_BUDGET)
		retry = false;
	else if (t->failure == HTTP_FAIL_INTERRUPTED)
	{
		/* our own abort: normally CHECK_FOR_INTERRUPTS throws next */
		retry = t->req.retry_safe || t->before_request;
		delay_ms = 0;
	}
	else if (result != CURLE_OK)
	{
		retry = http_transport_retryable(result) &&
			(t->req.retry_safe || t->before_request);
		delay_ms = http_backoff_ms(t->attempts, HTTP_BACKOFF_BASE_MS);
		/* a scheme the port does not speak fails the same way every time */
		t->port_scheme = http_scheme_mismatch(conn, t, result);
		if (t->port_scheme != NULL)
			retry = false;
	}
	else if (status == 429 || status == 500 || status == 502 ||
			 status == 503 || status == 504)
	{
		int64		hinted = -1;

		retry = (status == 429) || t->req.retry_safe;
		if (status == 429 || status == 503)
			hinted = http_retry_after_ms(t->retry_after);

		if (hinted >= 0)
		{
			delay_ms = hinted;
			if (hinted > PLANHAT_MAX_RATE_LIMIT_WAIT_MS)
			{
				/* not worth holding the statement: report now */
				retry = false;
				t->asked_wait_ms = hinted;
			}
		}
		else if (status == 429 &&
				 t->rl_remaining[0] != '\0' &&
				 strtol(t->rl_remaining, NULL, 10) == 0)
			delay_ms = HTTP_RATE_LIMIT_WINDOW_MS;
		else if (status == 429)
			delay_ms = HTTP_RATE_LIMIT_MIN_WAIT_MS +
				http_backoff_ms(t->attempts, HTTP_RATE_LIMIT_MIN_WAIT_MS);
		else
			delay_ms = http_backoff_ms(t->attempts, HTTP_BACKOFF_BASE_MS);
	}

	if (retry && t->attempts > conn->max_retries)
		retry = false;

	/* state first: nothing below may leave the transfer half-updated */
	if (retry)
	{
		/* a repeat after this attempt may find Planhat's work done */
		if ((result != CURLE_OK && !t->before_request) ||
			(result == CURLE_OK && status >= 500))
			t->unsure++;
		t->state = HTTP_BACKOFF;
		t->not_before = TimestampTzPlusMilliseconds(now, delay_ms);
		/* a 429 pauses every request to this server and mapping */
		if (status == 429 && result == CURLE_OK)
			http_limiter_hold(conn, t->not_before);
	}
	else
		t->state = HTTP_DONE;

	MemSet(&delta, 0, sizeof(delta));
	delta.bytes_received = (int64) t->body_len;
	if (result == CURLE_OK && status == 429)
		delta.rate_limited = 1;
	http_count(t, &delta);

	if (planhat_log_requests)
		http_log_attempt(t, (double) total_us / 1000.0, retry, delay_ms);

	if (retry)
	{
		/* the next attempt starts afresh */
		http_body_free(t);
	}
}

/*
 * http_body_free
 *		Free a transfer's answer buffer and give its bytes back to the
 *		memory budget.
 */
static void
http_body_free(HttpTransfer *t)
{
	if (t->body != NULL)
	{
		pfree(t->body);
		Assert(http_memory_in_flight >= t->body_cap);
		http_memory_in_flight -= Min(http_memory_in_flight, t->body_cap);
	}
	t->body = NULL;
	t->body_len = 0;
	t->body_cap = 0;
}

/*
 * http_log_attempt
 *		planhat_fdw.log_requests: one LOG line per attempt, without host,
 *		token or statement.
 */
static void
http_log_attempt(HttpTransfer *t, double ms, bool retry, int64 delay_ms)
{
	char	   *display = http_scrub(t->req.display);
	char	   *retry_note = "";
	const char *failure = NULL;

	if (retry)
		retry_note = psprintf(", retry in " INT64_FORMAT " ms", delay_ms);

	if (t->failure == HTTP_FAIL_TOO_LARGE)
		failure = "answer too large";
	else if (t->failure == HTTP_FAIL_BUDGET)
		failure = "memory budget full";
	else if (t->failure == HTTP_FAIL_OOM)
		failure = "out of memory";
	else if (t->failure == HTTP_FAIL_INTERRUPTED)
		failure = "interrupted";
	else if (t->result != CURLE_OK)
		failure = curl_easy_strerror(t->result);

	if (failure == NULL)
		ereport(LOG,
				(errmsg_internal("planhat_fdw: %s -> %ld (%zu bytes, %.1f ms)%s",
								 display, t->status, t->body_len, ms,
								 retry_note),
				 errhidestmt(true), errhidecontext(true)));
	else
		ereport(LOG,
				(errmsg_internal("planhat_fdw: %s -> %s (%zu bytes, %.1f ms)%s",
								 display, failure, t->body_len, ms,
								 retry_note),
				 errhidestmt(true), errhidecontext(true)));
}

/*
 * http_count
 *		Add to the backend's counters and to the request's, if any.
 */
static void
http_count(HttpTransfer *t, const PlanhatCounters *delta)
{
	planhat_counters_add(&planhat_backend_counters, delta);
	if (t != NULL && t->req.counters != NULL)
		planhat_counters_add(t->req.counters, delta);
}


/* ----------------------------------------------------------------
 *		driving transfers
 * ----------------------------------------------------------------
 */

/*
 * The client-side rate limiter, one state per tenant as far as planhat_fdw
 * can tell: per (database, server, user mapping).  Requests to one server
 * never wait for another's.  A request may start when
 *
 * - the latest start of the tenant lies 1 / max_requests_per_second back
 *	 (spacing, as the option is now: a raised limit applies at once);
 * - a token of the max_requests_per_minute bucket is there (see
 *	 http_limiter_burst);
 * - no 429 pause holds the tenant.
 *
 * With shared_preload_libraries the state is an entry of a table in shared
 * memory, so the sessions of a tenant together stay within the limits and
 * a 429 met by one holds them all; otherwise it is the cache entry's, per
 * backend.  http_limiter_take checks and takes a turn in one step under
 * the table's lock, so two sessions never take the same turn; a session
 * that lost the race computes its next time again.  The lock is held for
 * a few comparisons: waits for the limiter happen in http_drive_loop, on
 * the latch, without it, and a cancel or statement_timeout ends them at
 * once.
 *
 * Times come from GetCurrentTimestamp, the same clock in every backend.
 * Should the clock step back, times stored in the future are read as now
 * (and a 429 pause as at most PLANHAT_MAX_RATE_LIMIT_WAIT_MS): a step
 * never turns into a long wait.
 */

/* Bytes of shared memory the limiter asks for */
static Size
http_limiter_shmem_size(void)
{
	return MAXALIGN(sizeof(HttpSharedLimiters));
}

/* shmem_request_hook: the table and its lock */
static void
http_limiter_shmem_request(void)
{
	if (http_prev_shmem_request_hook)
		http_prev_shmem_request_hook();

	RequestAddinShmemSpace(http_limiter_shmem_size());
	RequestNamedLWLockTranche("planhat_fdw", 1);
}

/* shmem_startup_hook: create the table, or attach to it */
static void
http_limiter_shmem_startup(void)
{
	bool		found;

	if (http_prev_shmem_startup_hook)
		http_prev_shmem_startup_hook();

	/* a restart of the postmaster after a crash makes a new segment */
	http_shared_limiters = NULL;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	http_shared_limiters = ShmemInitStruct("planhat_fdw rate limiter",
										   http_limiter_shmem_size(),
										   &found);
	if (!found)
	{
		MemSet(http_shared_limiters, 0, http_limiter_shmem_size());
		http_shared_limiters->lock =
			&(GetNamedLWLockTranche("planhat_fdw"))->lock;
	}
	LWLockRelease(AddinShmemInitLock);
}

/*
 * Capacity of the max_requests_per_minute bucket: a quarter of the limit,
 * at least 1.  It refills at the rest of the limit per minute, so that no
 * 60 seconds ever see more than max_requests_per_minute starts (the bucket
 * at most full, plus 60 seconds of refill), while short jobs run at the
 * speed of max_requests_per_second.
 */
static double
http_limiter_burst(PlanhatConnection *conn)
{
	return Max(1.0, conn->max_rpm / 4.0);
}

/*
 * Tokens the bucket gains per microsecond.  option.c admits 0 (off) or 2
 * and more for max_requests_per_minute, so this is never 0.
 */
static double
http_limiter_refill(PlanhatConnection *conn)
{
	double		per_minute = conn->max_rpm - http_limiter_burst(conn);

	Assert(conn->max_rpm >= 2);
	return Max(per_minute, 1.0) / (60.0 * USECS_PER_SEC);
}

/* Tokens in the bucket at 'now' (the option must be on) */
static double
http_limiter_tokens(const HttpLimiter *lim, PlanhatConnection *conn,
					TimestampTz now)
{
	double		burst = http_limiter_burst(conn);

	if (lim->refilled_at == 0)
		return burst;
	if (lim->refilled_at >= now)
		return Min(lim->tokens, burst);
	return Min(burst, lim->tokens +
			   (now - lim->refilled_at) * http_limiter_refill(conn));
}

/* The earliest start the state allows, seen at 'now' (may be before it) */
static TimestampTz
http_limiter_earliest(const HttpLimiter *lim, PlanhatConnection *conn,
					  TimestampTz now)
{
	TimestampTz next;

	next = Min(lim->hold_until,
			   TimestampTzPlusMilliseconds(now,
										   PLANHAT_MAX_RATE_LIMIT_WAIT_MS));
	if (conn->max_rps > 0 && lim->last_start != 0)
		next = Max(next, Min(lim->last_start, now) +
				   (TimestampTz) (USECS_PER_SEC / conn->max_rps));
	if (conn->max_rpm > 0)
	{
		double		tokens = http_limiter_tokens(lim, conn, now);

		if (tokens < 1.0)
			next = Max(next, now + (TimestampTz)
					   ceil((1.0 - tokens) / http_limiter_refill(conn)));
	}
	return next;
}

/*
 * From when on the state constrains nothing: its entry of the shared table
 * may then be given to another tenant (a fresh state allows the same).
 */
static TimestampTz
http_limiter_idle_at(const HttpLimiter *lim, PlanhatConnection *conn,
					 TimestampTz now)
{
	TimestampTz idle = http_limiter_earliest(lim, conn, now);

	if (conn->max_rpm > 0)
	{
		double		missing = http_limiter_burst(conn) -
			http_limiter_tokens(lim, conn, now);

		if (missing > 0)
			idle = Max(idle, now + (TimestampTz)
					   ceil(missing / http_limiter_refill(conn)));
	}
	return idle;
}

/*
 * The tenant's entry of the shared table, or NULL.  With 'claim', an entry
 * is taken when the tenant has none: a free one, or one whose state
 * constrains nothing any more; NULL then means the table is full.  The
 * caller holds the table's lock (exclusively to claim).
 */
static HttpSharedLimiter *
http_limiter_find(PlanhatConnection *conn, TimestampTz now, bool claim)
{
	HttpSharedLimiters *table = http_shared_limiters;
	HttpSharedLimiter *reusable = NULL;
	HttpLimiterKey key;
	int			i;

	key.dbid = MyDatabaseId;
	key.serverid = conn->key.serverid;
	key.umid = conn->key.umid;

	/* most lookups: the entry this connection used last time */
	i = conn->limiter_slot;
	if (i >= 0 && i < PLANHAT_SHARED_LIMITERS &&
		memcmp(&table->slots[i].key, &key, sizeof(key)) == 0)
		return &table->slots[i];

	for (i = 0; i < PLANHAT_SHARED_LIMITERS; i++)
	{
		HttpSharedLimiter *slot = &table->slots[i];

		if (memcmp(&slot->key, &key, sizeof(key)) == 0)
		{
			conn->limiter_slot = i;
			return slot;
		}
		if (reusable == NULL &&
			(!OidIsValid(slot->key.dbid) || slot->idle_at <= now))
			reusable = slot;
	}
	if (!claim || reusable == NULL)
		return NULL;

	MemSet(reusable, 0, sizeof(HttpSharedLimiter));
	reusable->key = key;
	conn->limiter_slot = reusable - table->slots;
	return reusable;
}

/*
 * The earliest time the next request of conn's tenant may start: 'now' at
 * the earliest.
 */
static TimestampTz
http_limiter_next(PlanhatConnection *conn, TimestampTz now)
{
	TimestampTz next;

	if (http_shared_limiters != NULL && !conn->limiter_local)
	{
		HttpSharedLimiter *slot;

		LWLockAcquire(http_shared_limiters->lock, LW_SHARED);
		slot = http_limiter_find(conn, now, false);
		/* no entry: nobody of the tenant started a request lately */
		next = slot ? http_limiter_earliest(&slot->state, conn, now) : now;
		LWLockRelease(http_shared_limiters->lock);
	}
	else
		next = http_limiter_earliest(&conn->limiter, conn, now);

	return Max(next, now);
}

/* Take the limiter's turn for a request that starts now, if it is there */
static bool
http_limiter_take_state(HttpLimiter *lim, PlanhatConnection *conn,
						TimestampTz now)
{
	if (http_limiter_earliest(lim, conn, now) > now)
		return false;
	if (conn->max_rpm > 0)
	{
		lim->tokens = http_limiter_tokens(lim, conn, now) - 1.0;
		lim->refilled_at = now;
	}
	lim->last_start = now;
	return true;
}

/*
 * May a request start now?  If so, its start is recorded: checking and
 * recording are one step, under the lock of the shared table.  The clock is
 * read under the lock: a time read before it could be older than a start
 * another session recorded meanwhile.
 */
static bool
http_limiter_take(PlanhatConnection *conn)
{
	HttpSharedLimiter *slot = NULL;
	bool		taken = false;

	if (http_shared_limiters != NULL)
	{
		TimestampTz now;

		LWLockAcquire(http_shared_limiters->lock, LW_EXCLUSIVE);
		now = GetCurrentTimestamp();
		slot = http_limiter_find(conn, now, true);
		if (slot != NULL)
		{
			taken = http_limiter_take_state(&slot->state, conn, now);
			if (taken)
				slot->idle_at = http_limiter_idle_at(&slot->state, conn, now);
		}
		LWLockRelease(http_shared_limiters->lock);

		conn->limiter_local = (slot == NULL);
		if (slot != NULL)
			return taken;

		/* every entry is taken: pace this backend's requests alone */
		if (!conn->limiter_warned)
		{
			conn->limiter_warned = true;
			ereport(WARNING,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("planhat_fdw's shared rate limiter is full"),
					 errdetail("The limits of %d servers and user mappings apply at the moment; this session limits its requests to server \"%s\" alone until an entry is free.",
							   PLANHAT_SHARED_LIMITERS, conn->servername),
					 errhint("Use fewer servers or user mappings at once: every other session of the same server and user mapping may send requests besides this one's.")));
		}
	}
	return http_limiter_take_state(&conn->limiter, conn, GetCurrentTimestamp());
}

/* After a 429: nothing of the tenant starts before 'until' */
static void
http_limiter_hold(PlanhatConnection *conn, TimestampTz until)
{
	if (http_shared_limiters != NULL)
	{
		TimestampTz now = GetCurrentTimestamp();
		HttpSharedLimiter *slot;

		LWLockAcquire(http_shared_limiters->lock, LW_EXCLUSIVE);
		slot = http_limiter_find(conn, now, true);
		if (slot != NULL)
		{
			if (until > slot->state.hold_until)
				slot->state.hold_until = until;
			slot->idle_at = Max(slot->idle_at, slot->state.hold_until);
		}
		LWLockRelease(http_shared_limiters->lock);
		if (slot != NULL)
			return;
	}
	if (until > conn->limiter.hold_until)
		conn->limiter.hold_until = until;
}

/*
 * At the end of a transaction: a per-backend 429 pause ends with the
 * statement.  A shared one is the tenant's: it holds the other sessions
 * too, and runs out by itself (PLANHAT_MAX_RATE_LIMIT_WAIT_MS at most).
 */
static void
http_limiter_end_xact(PlanhatConnection *conn)
{
	conn->limiter.hold_until = 0;
}

/*
 * http_budget_bytes
 *		planhat_fdw.memory_budget in bytes.
 */
static Size
http_budget_bytes(void)
{
	return (Size) http_memory_budget_kb * 1024;
}

/*
 * http_pipeline_depth
 *		How many transfers a pipeline may have started and not handed back.
 *
 * Its depth, lowered so that the prefetched answers, as large as the largest
 * it has handed back and each at twice its size while its buffer grows, fit
 * the half of planhat_fdw.memory_budget that prefetches may use; and lowered
 * further after a prefetched answer found that half full.  Never below 1:
 * the answer the scan needs always goes out, and only it fails when it
 * does not fit.
 */
static int
http_pipeline_depth(PlanhatPipeline *pipe)
{
	int			depth = pipe->depth;

	if (pipe->largest_answer > 0)
	{
		Size		fit = 1 + http_budget_bytes() / (4 * pipe->largest_answer);

		if (fit < (Size) depth)
			depth = (int) fit;
	}
	if (pipe->mem_depth > 0)
		depth = Min(depth, pipe->mem_depth);
	return depth;
}

/*
 * http_may_start
 *		Apart from the limiter, may this transfer start (again) now?
 */
static bool
http_may_start(HttpTransfer *t, TimestampTz now)
{
	PlanhatPipeline *pipe = t->pipe;

	if (t->state == HTTP_BACKOFF)
		return now >= t->not_before;
	if (t->state == HTTP_QUEUED)
		return pipe->nstarted < http_pipeline_depth(pipe) &&
			(!pipe->lazy || pipe->wanted == t);
	return false;
}

/*
 * http_service
 *		Start every transfer of the connection that may start now, oldest
 *		pipeline and oldest request first.
 */
static void
http_service(PlanhatConnection *conn)
{
	dlist_mutable_iter piter;

	dlist_foreach_modify(piter, &conn->pipelines)
	{
		PlanhatPipeline *pipe = dlist_container(PlanhatPipeline, conn_node,
												piter.cur);
		dlist_iter	titer;

		dlist_foreach(titer, &pipe->transfers)
		{
			HttpTransfer *t = dlist_container(HttpTransfer, node, titer.cur);
			TimestampTz now;

			if (conn->nrunning >= HTTP_MAX_IN_FLIGHT)
				return;
			if (t->state != HTTP_QUEUED && t->state != HTTP_BACKOFF)
				continue;
			now = GetCurrentTimestamp();
			if (!http_may_start(t, now))
			{
				if (t->state == HTTP_QUEUED)
					break;		/* later ones of this pipeline wait too */
				continue;
			}

			/*
			 * Taking the limiter's turn and starting are one step for the
			 * limiter: should http_start fail, the turn is lost, which only
			 * errs on the side of fewer requests.
			 */
			if (!http_limiter_take(conn))
				return;
			http_start(conn, t);
		}
	}
}

/*
 * http_next_wake
 *		When could something that waits start, at the earliest?  0 when
 *		nothing waits for a time.
 */
static TimestampTz
http_next_wake(PlanhatConnection *conn)
{
	TimestampTz earliest = DT_NOEND;
	bool		waiting = false;
	dlist_iter	piter;

	/* at the in-flight cap only a finishing transfer frees a slot */
	if (conn->nrunning >= HTTP_MAX_IN_FLIGHT)
		return 0;

	dlist_foreach(piter, &conn->pipelines)
	{
		PlanhatPipeline *pipe = dlist_container(PlanhatPipeline, conn_node,
												piter.cur);
		dlist_iter	titer;

		dlist_foreach(titer, &pipe->transfers)
		{
			HttpTransfer *t = dlist_container(HttpTransfer, node, titer.cur);

			if (t->state == HTTP_BACKOFF)
				earliest = Min(earliest, t->not_before);
			else if (t->state == HTTP_QUEUED &&
					 http_may_start(t, DT_NOEND))
				earliest = 0;	/* only the limiter holds it back */
			else
				continue;
			waiting = true;
		}
	}
	if (!waiting)
		return 0;

	/* the limiter's lock is taken only when something waits */
	return Max(earliest, http_limiter_next(conn, GetCurrentTimestamp()));
}

/*
 * http_perform
 *		Let libcurl move every running transfer forward (without blocking)
 *		and record the attempts that ended.
 *
 * Completed transfers may belong to any pipeline of the connection; each
 * records its own outcome, which its pipeline reports when asked for it.
 */
static void
http_perform(PlanhatConnection *conn)
{
	int			still_running;
	int			left;
	CURLMcode	mc;
	CURLMsg    *msg;

	mc = curl_multi_perform(conn->multi, &still_running);
	if (mc != CURLM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("could not drive the requests to Planhat server \"%s\": %s",
						conn->servername, curl_multi_strerror(mc))));

	while ((msg = curl_multi_info_read(conn->multi, &left)) != NULL)
	{
		CURL	   *easy;
		CURLcode	result;
		char	   *priv = NULL;
		HttpTransfer *t;

		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg does not survive curl_multi_remove_handle: copy first */
		easy = msg->easy_handle;
		result = msg->data.result;
		(void) curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		t = (HttpTransfer *) priv;
		if (t == NULL || t->easy != easy)
		{
			/* cannot happen: drop the stray handle */
			(void) curl_multi_remove_handle(conn->multi, easy);
			curl_easy_cleanup(easy);
			elog(WARNING, "planhat_fdw: stray libcurl transfer dropped");
			continue;
		}
		http_finish_attempt(conn, t, result);
	}
}

/*
 * http_kick
 *		Start what may start and push it out, without waiting.
 */
static void
http_kick(PlanhatConnection *conn)
{
	http_service(conn);
	if (conn->nrunning > 0)
		http_perform(conn);
}

/*
 * http_sleep
 *		Wait up to ms on the process latch (retry backoff, rate limiter).
 *		Interrupts set the latch, so the caller's CHECK_FOR_INTERRUPTS
 *		follows at once.
 */
static void
http_sleep(HttpTransfer *target, long ms)
{
	TimestampTz start = GetCurrentTimestamp();
	PlanhatCounters delta;

	if (ms > 0)
	{
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}

	MemSet(&delta, 0, sizeof(delta));
	delta.wait_ms = (double) (GetCurrentTimestamp() - start) / 1000.0;
	http_count(target, &delta);
}

/*
 * http_drive_loop
 *		Move the connection's transfers until 'target' has its final
 *		answer, servicing interrupts at least every HTTP_POLL_MS.
 */
static void
http_drive_loop(PlanhatConnection *conn, HttpTransfer *target)
{
	for (;;)
	{
		TimestampTz now;
		TimestampTz wake;
		long		wait_ms = HTTP_POLL_MS;

		http_service(conn);
		if (conn->nrunning > 0)
			http_perform(conn);
		if (target->state == HTTP_DONE)
			break;

		now = GetCurrentTimestamp();
		wake = http_next_wake(conn);
		if (wake != 0)
			wait_ms = Min(wait_ms, TimestampDifferenceMilliseconds(now, wake));

		if (conn->nrunning > 0)
		{
			pgstat_report_wait_start(PG_WAIT_EXTENSION);
			(void) curl_multi_poll(conn->multi, NULL, 0, (int) wait_ms, NULL);
			pgstat_report_wait_end();
		}
		else if (wake != 0)
			http_sleep(target, TimestampDifferenceMilliseconds(now, wake));
		else
			elog(ERROR, "planhat_fdw: request \"%s\" is neither running nor scheduled",
				 target->req.display);

		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * http_drive
 *		http_drive_loop, accounting its wall time; an ERROR escaping it
 *		(cancel, statement timeout, ...) cancels the pipeline it drives, so
 *		that nothing of it stays attached to the multi handle.
 *
 * Transfers of other pipelines stay attached: they belong to scans that
 * are still alive (an enclosing query, when a PL/pgSQL block catches the
 * error), and their own cleanup detaches them.
 */
static void
http_drive(PlanhatPipeline *pipe, HttpTransfer *target)
{
	TimestampTz start = GetCurrentTimestamp();
	PlanhatCounters delta;

	MemSet(&delta, 0, sizeof(delta));
	PG_TRY();
	{
		http_drive_loop(pipe->conn, target);
	}
	PG_CATCH();
	{
		delta.http_ms = (double) (GetCurrentTimestamp() - start) / 1000.0;
		http_count(target, &delta);
		planhat_pipeline_cancel(pipe);
		PG_RE_THROW();
	}
	PG_END_TRY();

	delta.http_ms = (double) (GetCurrentTimestamp() - start) / 1000.0;
	http_count(target, &delta);
}


/* ----------------------------------------------------------------
 *		pipelines and single requests
 * ----------------------------------------------------------------
 */

/*
 * planhat_pipeline_create
 *		A pipeline keeping up to 'depth' requests in flight on conn.
 *
 * The pipeline, its requests and its answers live in cxt; resetting or
 * deleting cxt cancels the pipeline (after which the pointer is gone).
 */
PlanhatPipeline *
planhat_pipeline_create(PlanhatConnection *conn, int depth,
						MemoryContext cxt)
{
	PlanhatPipeline *pipe;

	pipe = MemoryContextAllocZero(cxt, sizeof(PlanhatPipeline));
	pipe->conn = conn;
	pipe->cxt = cxt;
	pipe->lazy = (depth <= 0);
	pipe->depth = Min(Max(depth, 1), HTTP_MAX_IN_FLIGHT);
	dlist_init(&pipe->transfers);
	pipe->reset_cb.func = http_pipeline_reset_callback;
	pipe->reset_cb.arg = pipe;
	MemoryContextRegisterResetCallback(cxt, &pipe->reset_cb);
	return pipe;
}

/*
 * http_pipeline_reset_callback
 *		The pipeline's memory is going away: detach its transfers.
 */
static void
http_pipeline_reset_callback(void *arg)
{
	planhat_pipeline_cancel((PlanhatPipeline *) arg);
}

/*
 * planhat_pipeline_submit
 *		Queue a request (copied into the pipeline's context) and start it if
 *		a slot is free and the rate limiter allows.
 */
void
planhat_pipeline_submit(PlanhatPipeline *pipe, const PlanhatRequest *req)
{
	HttpTransfer *t;
	MemoryContext oldcxt;
	size_t		body_len;

	if (req->url == NULL)
		elog(ERROR, "planhat_fdw: request without URL");

	body_len = req->body_len;
	if (req->body != NULL && body_len == 0)
		body_len = strlen(req->body);

	oldcxt = MemoryContextSwitchTo(pipe->cxt);
	t = palloc0(sizeof(HttpTransfer));
	t->req = *req;
	t->req.url = pstrdup(req->url);
	t->req.display = pstrdup(req->display ? req->display :
							 planhat_method_name(req->method));
	if (req->body != NULL)
	{
		char	   *body = palloc(body_len + 1);

		memcpy(body, req->body, body_len);
		body[body_len] = '\0';
		t->req.body = body;
	}
	t->req.body_len = req->body != NULL ? body_len : 0;
	t->req.relname = req->relname ? pstrdup(req->relname) : NULL;
	MemoryContextSwitchTo(oldcxt);

	t->pipe = pipe;
	t->state = HTTP_QUEUED;
	t->asked_wait_ms = -1;

	dlist_push_tail(&pipe->transfers, &t->node);
	pipe->npending++;
	if (!pipe->registered)
	{
		dlist_push_tail(&pipe->conn->pipelines, &pipe->conn_node);
		pipe->registered = true;
	}

	if (!pipe->lazy)
		http_kick(pipe->conn);
}

/*
 * planhat_pipeline_pending
 *		Requests submitted and not yet handed back.
 */
int
planhat_pipeline_pending(PlanhatPipeline *pipe)
{
	return pipe->npending;
}

/*
 * http_unregister
 *		Take an empty pipeline off its connection's list.
 */
static void
http_unregister(PlanhatPipeline *pipe)
{
	if (pipe->registered)
	{
		dlist_delete(&pipe->conn_node);
		pipe->registered = false;
	}
}

/*
 * http_fail
 *		Report the failure of a transfer just taken off its pipeline, after
 *		cancelling the rest of the pipeline; the transfer is freed once the
 *		error data has been copied.
 */
static void
http_fail(PlanhatPipeline *pipe, HttpTransfer *t, HttpErrorKind kind)
{
	planhat_pipeline_cancel(pipe);
	PG_TRY();
	{
		http_report(t, kind);
	}
	PG_CATCH();
	{
		http_free_transfer(pipe->conn, t);
		PG_RE_THROW();
	}
	PG_END_TRY();
}

/*
 * planhat_pipeline_next
 *		Wait for the oldest request's final answer and hand it back, the body
 *		allocated in body_cxt.
 *
 * Other transfers of the connection progress meanwhile.  A failure of this
 * request (not covered by its ok_flags) cancels the whole pipeline and is
 * reported; failures of later requests wait until those are asked for.
 */
void
planhat_pipeline_next(PlanhatPipeline *pipe, PlanhatResponse *resp,
					  MemoryContext body_cxt)
{
	HttpTransfer *t;
	HttpErrorKind kind = HTTP_ERR_DERIVE;

	if (dlist_is_empty(&pipe->transfers))
		elog(ERROR, "planhat_fdw: no request pending in pipeline");

	t = dlist_head_element(HttpTransfer, node, &pipe->transfers);
	if (t->state != HTTP_DONE)
	{
		pipe->wanted = t;
		http_drive(pipe, t);
		pipe->wanted = NULL;
	}

	/* hand it over: off the list, its slot free for the next one */
	dlist_delete(&t->node);
	pipe->npending--;
	pipe->nstarted--;
	if (dlist_is_empty(&pipe->transfers))
		http_unregister(pipe);

	if (!http_answer_usable(t, &kind))
		http_fail(pipe, t, kind);

	/* an answer from the API proves the url (see planhat_confirm_missing) */
	if (t->req.send_token && t->status >= 200 && t->status < 300)
		pipe->conn->url_confirmed = true;

	resp->status = t->status;
	resp->attempts = t->attempts;
	resp->unsure_attempts = t->unsure;
	resp->body_len = t->body_len;
	pipe->largest_answer = Max(pipe->largest_answer, t->body_len);
	if (t->body != NULL && body_cxt == pipe->cxt)
	{
		/* the caller owns it now: out of the budget of answers in flight */
		resp->body = t->body;
		Assert(http_memory_in_flight >= t->body_cap);
		http_memory_in_flight -= Min(http_memory_in_flight, t->body_cap);
		t->body = NULL;
		t->body_cap = 0;
	}
	else
	{
		resp->body = MemoryContextAllocHuge(body_cxt, t->body_len + 1);
		if (t->body_len > 0)
			memcpy(resp->body, t->body, t->body_len);
		resp->body[t->body_len] = '\0';
	}
	resp->content_type = t->content_type[0] != '\0' ?
		MemoryContextStrdup(body_cxt, t->content_type) : NULL;
	http_free_transfer(pipe->conn, t);

	/* a slot is free: start the next queued request now */
	if (!pipe->lazy && pipe->npending > 0)
		http_kick(pipe->conn);
}

/*
 * planhat_pipeline_cancel
 *		Abort and free every request not yet handed back.
 *
 * Safe to call twice and from error cleanup; the pipeline may be used
 * again afterwards.
 */
void
planhat_pipeline_cancel(PlanhatPipeline *pipe)
{
	dlist_mutable_iter iter;

	if (pipe == NULL)
		return;

	dlist_foreach_modify(iter, &pipe->transfers)
	{
		HttpTransfer *t = dlist_container(HttpTransfer, node, iter.cur);

		dlist_delete(iter.cur);
		http_free_transfer(pipe->conn, t);
	}
	pipe->npending = 0;
	pipe->nstarted = 0;
	pipe->wanted = NULL;
	http_unregister(pipe);
}

/*
 * planhat_http_request
 *		One request, with retries, answered in CurrentMemoryContext: a
 *		lazy pipeline of depth 1 in a short-lived context.
 */
void
planhat_http_request(PlanhatConnection *conn, const PlanhatRequest *req,
					 PlanhatResponse *resp)
{
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext reqcxt;

	reqcxt = AllocSetContextCreate(callercxt, "planhat_fdw request",
								   ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		PlanhatPipeline *pipe = planhat_pipeline_create(conn, 0, reqcxt);

		planhat_pipeline_submit(pipe, req);
		planhat_pipeline_next(pipe, resp, callercxt);
	}
	PG_FINALLY();
	{
		/* its reset callback cancels whatever is left */
		MemoryContextDelete(reqcxt);
	}
	PG_END_TRY();
}


/*
 * planhat_confirm_missing
 *		A lookup by key (GET, PUT or DELETE /<path>/<key>) answered 404:
 *		believe "no such record" only once the url has answered.
 *
 * Under a url whose path is not the API's, or behind a gateway that does
 * not know the route, every key answers 404, and each would read as "no
 * row": an empty SELECT, an UPDATE 0, never an error.  So the first such
 * 404 on a connection whose url has not yet answered with a 2xx sends one list
 * request for a single id (GET /<path>?select=_id&limit=1&offset=0).  Its
 * success confirms the url for the life of the connection; its failure is
 * reported as any list failure (a 404 names the whole path requested).
 */
void
planhat_confirm_missing(PlanhatConnection *conn, const PlanhatOptions *opts,
						const char *path, PlanhatCounters *counters,
						PlanhatOutcome *outcome)
{
	PlanhatRequest req;
	PlanhatResponse resp;

	if (conn->url_confirmed)
		return;
	planhat_make_request(&req, opts, PH_GET, opts->url,
						 psprintf("/%s%s", path,
								  planhat_build_query(NIL, "_id", NULL, 1, 0)));
	req.counters = counters;
	req.outcome = outcome;
	planhat_http_request(conn, &req, &resp);
	/* a list answers with an array: anything else is not the Planhat API */
	(void) planhat_parse_page(resp.body, resp.body_len, false, opts->relname,
							  req.display, CurrentMemoryContext);
	pfree(resp.body);
}


/* ----------------------------------------------------------------
 *		answers and errors
 * ----------------------------------------------------------------
 */

/*
 * http_is_json
 *		Is a Content-Type value JSON (application/json, text/json, +json)?
 */
static bool
http_is_json(const char *content_type)
{
	char		type[HTTP_HEADER_VALUE_MAX];
	size_t		n = 0;
	const char *p = content_type;

	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0' && *p != ';' && *p != ' ' && *p != '\t' &&
		   n < sizeof(type) - 1)
		type[n++] = *p++;
	type[n] = '\0';

	return pg_strcasecmp(type, "application/json") == 0 ||
		pg_strcasecmp(type, "text/json") == 0 ||
		(n > 5 && pg_strcasecmp(type + n - 5, "+json") == 0);
}

/*
 * http_answer_usable
 *		Is the final answer one to hand back?  If not, *kind says how to
 *		report it.
 */
static bool
http_answer_usable(HttpTransfer *t, HttpErrorKind *kind)
{
	long		status = t->status;
	bool		json_or_untyped;

	*kind = HTTP_ERR_DERIVE;
	if (t->failure == HTTP_FAIL_TOO_LARGE)
	{
		*kind = HTTP_ERR_TOO_LARGE;
		return false;
	}
	if (t->failure == HTTP_FAIL_OOM)
	{
		*kind = HTTP_ERR_OOM;
		return false;
	}
	if (t->failure == HTTP_FAIL_BUDGET)
	{
		*kind = HTTP_ERR_BUDGET;
		return false;
	}
	if (t->result != CURLE_OK || t->failure == HTTP_FAIL_INTERRUPTED)
	{
		*kind = http_transport_kind(t);
		return false;
	}

	json_or_untyped = t->content_type[0] == '\0' ||
		http_is_json(t->content_type);

	if (status >= 200 && status < 300)
	{
		if (!json_or_untyped)
		{
			*kind = HTTP_ERR_CONTENT_TYPE;
			return false;
		}
		if (t->body_len == 0 && t->req.method != PH_DELETE)
		{
			*kind = HTTP_ERR_EMPTY;
			return false;
		}
		return true;
	}
	if (status == 404 && (t->req.ok_flags & PH_HTTP_OK_404))
		return true;
	if ((status == 400 || status == 403) &&
		(t->req.ok_flags & PH_HTTP_OK_BULK) &&
		t->body_len > 0 && json_or_untyped)
		return true;

	*kind = HTTP_ERR_STATUS;
	return false;
}

/*
 * http_transport_kind
 *		Classify a libcurl failure for the message.
 */
static HttpErrorKind
http_transport_kind(HttpTransfer *t)
{
	switch (t->result)
	{
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_CONNECT:
		case CURLE_UNSUPPORTED_PROTOCOL:
		case CURLE_URL_MALFORMAT:
			return HTTP_ERR_CONNECT;
		case CURLE_SSL_CONNECT_ERROR:
			return t->before_request ? HTTP_ERR_CONNECT : HTTP_ERR_RECEIVE;
		case CURLE_OPERATION_TIMEDOUT:
			return t->before_request ? HTTP_ERR_CONNECT_TIMEOUT :
				HTTP_ERR_TIMEOUT;
		case CURLE_PEER_FAILED_VERIFICATION:
		case CURLE_SSL_CACERT_BADFILE:
		case CURLE_SSL_CERTPROBLEM:
		case CURLE_SSL_ISSUER_ERROR:
		case CURLE_SSL_CRL_BADFILE:
		case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
			return HTTP_ERR_TLS;
		default:
			return HTTP_ERR_RECEIVE;
	}
}

/*
 * http_report
 *		Report a transfer's final failure through http_report_failure.
 */
static void
http_report(HttpTransfer *t, HttpErrorKind kind)
{
	PlanhatConnection *conn = t->pipe->conn;
	HttpErrorReport f;

	MemSet(&f, 0, sizeof(f));
	if (t->port_scheme != NULL)
		kind = HTTP_ERR_SCHEME;
	f.kind = kind;
	if (t->failure == HTTP_FAIL_BUDGET)
		f.kind = HTTP_ERR_BUDGET;
	f.req = &t->req;
	f.server = conn->servername;
	f.status = t->status;
	f.body = t->body;
	f.body_len = t->body_len;
	f.content_type = t->content_type[0] != '\0' ? t->content_type : NULL;
	f.attempts = t->attempts;
	f.alloc_size = t->failed_alloc;
	f.asked_wait_ms = t->asked_wait_ms;
	f.unsure = (t->unsure > 0);
	f.port_scheme = t->port_scheme;
	f.max_retries = conn->max_retries;
	if (kind == HTTP_ERR_CONNECT_TIMEOUT)
		f.timeout_ms = conn->connect_timeout_ms;
	else if (kind == HTTP_ERR_TIMEOUT)
		f.timeout_ms = conn->timeout_ms;

	if (t->failure == HTTP_FAIL_INTERRUPTED)
		f.transport_error = "the request was interrupted";
	else if (t->result != CURLE_OK && t->failure == HTTP_FAIL_NONE)
	{
		f.transport_error = t->errbuf[0] != '\0' ? t->errbuf :
			curl_easy_strerror(t->result);
		if (kind != HTTP_ERR_RECEIVE && kind != HTTP_ERR_TIMEOUT)
			f.status = 0;
	}

	http_report_failure(&f);
}

/*
 * http_scrub_one
 *		Replace every occurrence of secret in text by "***", and every
 *		occurrence of a part of it that starts like it: messages cut long
 *		texts (Planhat's message, an item of a bulk answer) before they are
 *		scrubbed, and the cut may fall inside a token.
 *
 * A text that begins with the secret's first HTTP_SCRUB_MIN_LEN bytes is
 * masked as far as it agrees with the secret.  That may mask a few bytes of
 * harmless text; it never lets the head of a token through.
 */
static char *
http_scrub_one(char *text, const char *secret)
{
	StringInfoData buf;
	size_t		len;
	char		head[HTTP_SCRUB_MIN_LEN + 1];
	const char *p;
	const char *hit;

	if (secret == NULL || (len = strlen(secret)) < HTTP_SCRUB_MIN_LEN)
		return text;
	memcpy(head, secret, HTTP_SCRUB_MIN_LEN);
	head[HTTP_SCRUB_MIN_LEN] = '\0';
	if (strstr(text, head) == NULL)
		return text;

	initStringInfo(&buf);
	p = text;
	while ((hit = strstr(p, head)) != NULL)
	{
		size_t		n = HTTP_SCRUB_MIN_LEN;

		/* stops at the text's NUL too: secret[n] is never NUL before len */
		while (n < len && hit[n] == secret[n])
			n++;
		appendBinaryStringInfo(&buf, p, hit - p);
		appendStringInfoString(&buf, "***");
		p = hit + n;
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * http_scrub_secret
 *		Mask a secret in text as it is, percent-encoded (the tenant token in
 *		a path) and JSON-escaped with and without "\/" (items of a bulk
 *		answer are printed as JSON).
 */
static char *
http_scrub_secret(char *text, const char *secret)
{
	StringInfoData json;
	StringInfoData json_slash;
	const char *c;
	char	   *escaped;

	if (secret == NULL || strlen(secret) < HTTP_SCRUB_MIN_LEN)
		return text;
	text = http_scrub_one(text, secret);

	escaped = planhat_escape(secret, -1);
	if (strcmp(escaped, secret) != 0)
		text = http_scrub_one(text, escaped);
	pfree(escaped);

	initStringInfo(&json);
	initStringInfo(&json_slash);
	for (c = secret; *c != '\0'; c++)
	{
		unsigned char ch = (unsigned char) *c;

		if (ch == '"' || ch == '\\')
		{
			appendStringInfoChar(&json, '\\');
			appendStringInfoChar(&json_slash, '\\');
		}
		else if (ch == '/')
			appendStringInfoChar(&json_slash, '\\');
		if (ch < 0x20)
		{
			appendStringInfo(&json, "\\u%04x", ch);
			appendStringInfo(&json_slash, "\\u%04x", ch);
			continue;
		}
		appendStringInfoChar(&json, (char) ch);
		appendStringInfoChar(&json_slash, (char) ch);
	}
	if (strcmp(json.data, secret) != 0)
		text = http_scrub_one(text, json.data);
	if (strcmp(json_slash.data, json.data) != 0)
		text = http_scrub_one(text, json_slash.data);
	pfree(json.data);
	pfree(json_slash.data);
	return text;
}

/*
 * http_scrub
 *		A palloc'd copy of text without any token of the user mappings this
 *		backend has used (see http_scrub_secret).
 *
 * The tokens are those of the connection cache: a token is there from the
 * first request that could make Planhat echo it until its mapping changes.
 * Through a view, that is the view owner's mapping, whose token the user
 * running the query must not see either.
 */
static char *
http_scrub(const char *text)
{
	char	   *result = pstrdup(text ? text : "");
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;

	if (ConnectionHash == NULL)
		return result;

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		result = http_scrub_secret(result, conn->api_token);
		result = http_scrub_secret(result, conn->tenant_token);
	}
	return result;
}

/*
 * http_answer_hidden
 *		Must what the host answered to req stay out of messages?
 *
 * A non-superuser does not read answers of hosts outside the allowlist: a
 * superuser-owned server may point anywhere, at an internal service for
 * example, and a role it lets use the server must not read that service
 * through error messages.
 */
static bool
http_answer_hidden(const PlanhatRequest *req)
{
	return !superuser() && !planhat_url_allowed(req->url);
}

/*
 * planhat_answer_text
 *		Text from the answer to req (Planhat's per-item errors of a bulk
 *		upsert, ...) made fit for a message: a palloc'd copy without tokens,
 *		or NULL when the host's text must not be shown (http_answer_hidden).
 */
char *
planhat_answer_text(const PlanhatRequest *req, const char *text)
{
	if (http_answer_hidden(req))
		return NULL;
	return http_scrub(text);
}

/*
 * http_printable
 *		Remote text made safe for a message: scrubbed, cut to maxlen bytes at
 *		a character boundary, control characters and (unless the database
 *		is UTF-8 and the text valid UTF-8) non-ASCII bytes replaced.
 */
static char *
http_printable(const char *text, size_t maxlen)
{
	char	   *s = http_scrub(text);
	size_t		len = strlen(s);
	bool		utf8 = GetDatabaseEncoding() == PG_UTF8 &&
		pg_verifymbstr(s, (int) len, true);
	char	   *p;

	if (len > maxlen)
	{
		int			cut = utf8 ?
			pg_encoding_mbcliplen(PG_UTF8, s, (int) len, (int) maxlen) :
			(int) maxlen;

		s[cut] = '\0';
		s = psprintf("%s...", s);
	}
	for (p = s; *p != '\0'; p++)
	{
		unsigned char c = (unsigned char) *p;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
			(c >= 0x80 && !utf8))
			*p = '?';
	}
	return s;
}

/*
 * http_base_url
 *		The base URL a request was sent to: its url without the path and
 *		query of its display line ("https://host:port/v1").
 */
static char *
http_base_url(const PlanhatRequest *req)
{
	const char *pq = req->display ? strchr(req->display, ' ') : NULL;
	size_t		url_len = strlen(req->url);
	size_t		pq_len = pq ? strlen(pq + 1) : 0;

	if (pq_len > url_len)
		return pstrdup(req->url);
	return pnstrdup(req->url, url_len - pq_len);
}

/*
 * http_request_path
 *		The path of a display line: "GET /companies?limit=1" -> "/companies".
 */
static char *
http_request_path(const char *display)
{
	const char *p = strchr(display, ' ');
	const char *q;

	p = p ? p + 1 : display;
	q = strchr(p, '?');
	return q ? pnstrdup(p, q - p) : pstrdup(p);
}

/*
 * http_error_callback
 *		Error context of a remote error: the foreign table the request was
 *		for (arg), in the manner of postgres_fdw's conversion_error_callback.
 */
static void
http_error_callback(void *arg)
{
	errcontext("foreign table %s", (const char *) arg);
}

/*
 * errdetail_request_failed
 *		Detail of a request that got no (whole) answer, in errdetail's style.
 */
static int
errdetail_request_failed(const char *display, int attempts, const char *reason)
{
	return errdetail_plural("Request \"%s\" failed after %d attempt: %s",
							"Request \"%s\" failed after %d attempts: %s",
							attempts, display, attempts, reason);
}

/*
 * errdetail_request_status
 *		Detail of a request answered with an HTTP error status; said is
 *		empty or a sentence, with its leading space, quoting Planhat.
 */
static int
errdetail_request_status(const char *display, long status, int attempts,
						 const char *said)
{
	return errdetail_plural("Request \"%s\" got HTTP status %ld after %d attempt.%s",
							"Request \"%s\" got HTTP status %ld after %d attempts.%s",
							attempts, display, status, attempts, said);
}

/*
 * errdetail_request_answered
 *		Detail of a request whose answer is unusable whatever its status.
 */
static int
errdetail_request_answered(const char *display, long status, const char *said)
{
	return errdetail("Request \"%s\" got HTTP status %ld.%s",
					 display, status, said);
}

/*
 * errdetail_wait_refused
 *		Detail of a 429 or 503 whose Retry-After is beyond what we wait.
 */
static int
errdetail_wait_refused(const char *display, long status, int64 asked_wait_ms,
					   const char *said)
{
	return errdetail("Request \"%s\" got HTTP status %ld and Planhat asked to wait " INT64_FORMAT " seconds, longer than planhat_fdw waits (%d seconds).%s",
					 display, status, asked_wait_ms / 1000,
					 PLANHAT_MAX_RATE_LIMIT_WAIT_MS / 1000, said);
}

/*
 * planhat_report_error
 *		A caller's check of an answer it got from conn failed (a bulk
 *		upsert's answer that is not one): report it as http.c reports its
 *		own failures.
 */
void
planhat_report_error(PlanhatConnection *conn, const PlanhatRequest *req,
					 const PlanhatResponse *resp)
{
	HttpErrorReport f;

	MemSet(&f, 0, sizeof(f));
	f.kind = HTTP_ERR_DERIVE;
	f.req = req;
	f.server = conn->servername;
	f.status = resp->status;
	f.body = resp->body;
	f.body_len = resp->body_len;
	f.content_type = resp->content_type;
	f.attempts = resp->attempts;
	f.max_retries = conn->max_retries;
	http_report_failure(&f);
}

/*
 * http_report_failure
 *		The one place that turns a failed exchange with Planhat into an
 *		ERROR (the PostgreSQL error style guide, docs/errors.md).
 *
 * f->status 0 means a transport failure described by f->transport_error; a
 * transport_error with a status means the answer broke off.  The detail
 * names the request line (req->display: method, path and query, never host
 * or token), the status, the attempts and Planhat's own message; the
 * context names the foreign table.  Every printed text is scrubbed of
 * tokens.  Before it raises the error it records in *req->outcome whether
 * Planhat may have acted on the request.
 */
static void
http_report_failure(const HttpErrorReport *failure)
{
	HttpErrorReport f = *failure;
	const PlanhatRequest *req = f.req;
	char	   *display;
	char	   *message = NULL;
	char	   *said = "";
	PlanhatCounters delta;
	PlanhatOutcome outcome;
	ErrorContextCallback errcallback;

	MemSet(&delta, 0, sizeof(delta));
	delta.errors = 1;
	planhat_counters_add(&planhat_backend_counters, &delta);
	if (req->counters != NULL)
		planhat_counters_add(req->counters, &delta);

	display = http_printable(req->display ? req->display :
							 planhat_method_name(req->method), 1024);
	f.attempts = Max(f.attempts, 1);

	if (f.kind == HTTP_ERR_DERIVE)
	{
		if (f.status == 0)
			f.kind = HTTP_ERR_CONNECT;
		else if (f.transport_error != NULL)
			f.kind = HTTP_ERR_RECEIVE;
		else if (f.status >= 200 && f.status < 300 && f.content_type != NULL &&
				 !http_is_json(f.content_type))
			f.kind = HTTP_ERR_CONTENT_TYPE;
		else if (f.status >= 200 && f.status < 300 && f.body_len == 0)
			f.kind = HTTP_ERR_EMPTY;
		else
			f.kind = HTTP_ERR_STATUS;
	}

	/* did Planhat act on the request?  (modify.c says so in its hints) */
	if (f.unsure)
		outcome = PH_OUTCOME_UNKNOWN;
	else if (f.kind == HTTP_ERR_CONNECT ||
			 f.kind == HTTP_ERR_CONNECT_TIMEOUT || f.kind == HTTP_ERR_TLS)
		outcome = PH_OUTCOME_NOT_SENT;
	else if (f.kind == HTTP_ERR_STATUS && f.status >= 300 && f.status < 500)
		outcome = PH_OUTCOME_REFUSED;
	else
		outcome = PH_OUTCOME_UNKNOWN;
	if (req->outcome != NULL)
		*req->outcome = outcome;

	if (f.body != NULL && f.body_len > 0 &&
		(f.kind == HTTP_ERR_STATUS || f.kind == HTTP_ERR_CONTENT_TYPE))
	{
		char	   *raw = planhat_error_message(f.body, f.body_len);

		if (raw != NULL && raw[0] != '\0')
			message = http_printable(raw, HTTP_MESSAGE_MAX);
	}
	if (message != NULL && http_answer_hidden(req))
		said = " The answer's text is not shown: its host is not in planhat_fdw.allowed_hosts.";
	else if (message != NULL)
		said = psprintf(f.kind == HTTP_ERR_CONTENT_TYPE ?
						" The answer begins with: %s" :
						" Planhat's message: %s", message);

	/* the error's context names the foreign table; the error pops it */
	if (req->relname != NULL)
	{
		errcallback.callback = http_error_callback;
		errcallback.arg = (void *) req->relname;
		errcallback.previous = error_context_stack;
		error_context_stack = &errcallback;
	}

	if (f.kind == HTTP_ERR_STATUS)
		http_report_status(&f, display, said);
	http_report_exchange(&f, display, said);
}

/*
 * http_report_exchange
 *		Report a failure that its kind names: the transfer failed, or its
 *		answer cannot be used whatever its status.
 */
static void
http_report_exchange(const HttpErrorReport *f, const char *display,
					 const char *said)
{
	const char *server = f->server;
	const char *reason = http_printable(f->transport_error ?
										f->transport_error : "", 512);

	switch (f->kind)
	{
		case HTTP_ERR_CONNECT:
		case HTTP_ERR_DERIVE:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not connect to Planhat server \"%s\"",
							server),
					 errdetail_request_failed(display, f->attempts, reason),
					 errhint("Check the url option of server \"%s\" and that this database server can reach it (https is required unless the url starts with http://).",
							 server)));
			break;
		case HTTP_ERR_CONNECT_TIMEOUT:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not connect to Planhat server \"%s\" within %d ms",
							server, f->timeout_ms),
					 errdetail_request_failed(display, f->attempts, reason),
					 errhint("Check the url option of server \"%s\", or raise its connect_timeout_ms option.",
							 server)));
			break;
		case HTTP_ERR_TIMEOUT:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("Planhat did not answer within %d ms",
							f->timeout_ms),
					 errdetail_request_failed(display, f->attempts, reason),
					 errhint("Raise the timeout_ms option of server \"%s\", or lower the fetch_size option of the foreign table.",
							 server)));
			break;
		case HTTP_ERR_TLS:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not verify the TLS certificate of Planhat server \"%s\"",
							server),
					 errdetail_request_failed(display, f->attempts, reason),
					 errhint("If the server uses a private certificate authority, set the ssl_ca_file option of server \"%s\" to a readable file holding that CA's certificate.",
							 server)));
			break;
		case HTTP_ERR_RECEIVE:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("could not receive the answer from Planhat server \"%s\"",
							server),
					 errdetail_request_failed(display, f->attempts, reason)));
			break;
		case HTTP_ERR_SCHEME:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_UNABLE_TO_ESTABLISH_CONNECTION),
					 errmsg("the port of Planhat server \"%s\" speaks %s, not %s",
							server, f->port_scheme,
							strcmp(f->port_scheme, "https") == 0 ? "http" : "https"),
					 errdetail_request_failed(display, f->attempts, reason),
					 errhint("Set the url option of server \"%s\" to %s.",
							 server,
							 http_printable(psprintf("%s%s", f->port_scheme,
													 strchr(http_base_url(f->req), ':')),
											512))));
			break;
		case HTTP_ERR_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("answer from Planhat is larger than %zu MB",
							PLANHAT_MAX_BODY / (1024 * 1024)),
					 errdetail_request_answered(display, f->status, ""),
					 errhint("Lower the fetch_size option of the foreign table.")));
			break;
		case HTTP_ERR_BUDGET:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("answers from Planhat in flight exceed planhat_fdw.memory_budget (%dkB)",
							http_memory_budget_kb),
					 errdetail("Request \"%s\" was being received when its answer no longer fit.",
							   display),
					 errhint("Lower the fetch_size or prefetch option of the foreign table, or ask a superuser to raise planhat_fdw.memory_budget.")));
			break;
		case HTTP_ERR_OOM:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("Failed on request of size %zu while receiving the answer to \"%s\".",
							   f->alloc_size, display),
					 errhint("Lower the fetch_size option of the foreign table.")));
			break;
		case HTTP_ERR_CONTENT_TYPE:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered with content type \"%s\" instead of JSON",
							http_printable(f->content_type ? f->content_type : "",
										   HTTP_HEADER_VALUE_MAX)),
					 errdetail_request_answered(display, f->status, said),
					 errhint("Check that the url option of server \"%s\" points at the Planhat API.",
							 server)));
			break;
		case HTTP_ERR_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat answered with an empty body"),
					 errdetail_request_answered(display, f->status, "")));
			break;
		case HTTP_ERR_STATUS:
			break;
	}
	elog(ERROR, "planhat_fdw: unexpected error kind %d", (int) f->kind);
	pg_unreachable();
}

/*
 * http_report_status
 *		Report an answer by its HTTP error status.
 */
static void
http_report_status(const HttpErrorReport *f, const char *display,
				   const char *said)
{
	const PlanhatRequest *req = f->req;
	const char *server = f->server;
	long		status = f->status;
	int			attempts = f->attempts;

	if (status == 401)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
				 errmsg("authentication failed for Planhat server \"%s\"",
						server),
				 errdetail_request_status(display, status, attempts, said),
				 errhint("Check the api_token option of the user mapping for server \"%s\" and that the url option points at your Planhat region (for example https://api-eu.planhat.com).",
						 server)));
	if (status == 403)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied by Planhat"),
				 errdetail_request_status(display, status, attempts, said),
				 errhint("Check the permissions of the service account (private app) whose api_token the user mapping for server \"%s\" uses; a read-only token cannot write.",
						 server)));
	if (status == 404)
	{
		char	   *path = http_request_path(display);
		char	   *base = http_base_url(req);
		char	   *base_path = strstr(base, "://") ? strchr(strstr(base, "://") + 3, '/') : NULL;

		/*
		 * A tenant without a model Planhat enables per tenant answers 404
		 * on its list and its create alike (docs/planhat-api.md §11); key
		 * lookups never get here, they take a 404 as "no such record".
		 */
		bool		per_tenant = (req->resource != NULL &&
								  (req->resource->flags & PH_RES_PER_TENANT) != 0);

		/* a url with a path: the whole path requested, and where it came from */
		if (base_path != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
					 errmsg("Planhat has no resource at path \"%s\"",
							http_printable(psprintf("%s%s", base_path, path), 512)),
					 errdetail_request_status(display, status, attempts, said),
					 errhint("The url option of server \"%s\" is the base URL of the API, without a path (such as https://api.planhat.com): remove \"%s\" from it.",
							 server, http_printable(base_path, 512))));
		if (req->method == PH_GET || per_tenant)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
					 errmsg("Planhat has no resource at path \"%s\"", path),
					 errdetail_request_status(display, status, attempts, said),
					 per_tenant ?
					 errhint("Planhat enables the %s model per tenant, and a tenant without it answers 404: ask Planhat to enable it, or drop the foreign table. Also check the url option of server \"%s\".",
							 req->resource->name, server) :
					 errhint("Check the resource option of the foreign table and the url option of server \"%s\".",
							 server)));
		ereport(ERROR,
				(errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
				 errmsg("Planhat has no object at path \"%s\"", path),
				 errdetail_request_status(display, status, attempts, said)));
	}
	if (status == 429)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat rate limit exceeded"),
				 f->asked_wait_ms > 0 ?
				 errdetail_wait_refused(display, status, f->asked_wait_ms, said) :
				 errdetail_request_status(display, status, attempts, said),
				 errhint("Lower the max_requests_per_second option of server \"%s\", or try again later.",
						 server)));
	if (status >= 300 && status < 400)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat request failed with HTTP status %ld", status),
				 errdetail_request_status(display, status, attempts, said),
				 errhint("planhat_fdw does not follow redirects; check the url option of server \"%s\".",
						 server)));
	if (f->asked_wait_ms > 0)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat request failed with HTTP status %ld", status),
				 errdetail_wait_refused(display, status, f->asked_wait_ms, said),
				 errhint("Try again later.")));
	ereport(ERROR,
			(errcode(ERRCODE_FDW_ERROR),
			 errmsg("Planhat request failed with HTTP status %ld", status),
			 errdetail_request_status(display, status, attempts, said),
			 (status >= 500 && req->retry_safe) ?
			 errhint("Planhat, or a proxy in front of it, is failing: check Planhat's service status and run the statement again later.  The max_retries option of server \"%s\" (now %d) sets how often such a request is retried.",
					 server, f->max_retries) : 0));
	pg_unreachable();
}


/* ----------------------------------------------------------------
 *		small helpers for other files
 * ----------------------------------------------------------------
 */

/*
 * planhat_method_name
 *		"GET", "POST", "PUT" or "DELETE".
 */
const char *
planhat_method_name(PlanhatMethod method)
{
	switch (method)
	{
		case PH_GET:
			return "GET";
		case PH_POST:
			return "POST";
		case PH_PUT:
			return "PUT";
		case PH_DELETE:
			return "DELETE";
	}
	return "UNKNOWN";
}

/*
 * planhat_escape
 *		Percent-encode s (len bytes, or up to its NUL when len < 0; text in
 *		the database encoding) for a URL path segment or query value: it is
 *		converted to UTF-8, which is what Planhat decodes, then RFC 3986
 *		unreserved characters stay and every other byte becomes %XX.  Result
 *		palloc'd.
 */
char *
planhat_escape(const char *s, int len)
{
	static const char hex[] = "0123456789ABCDEF";
	char	   *result;
	char	   *out;
	char	   *utf8;
	int			i;

	if (len < 0)
		len = (int) strlen(s);
	/* a no-op in UTF8 and SQL_ASCII databases */
	utf8 = pg_server_to_any(s, len, PG_UTF8);
	if (utf8 != s)
	{
		s = utf8;
		len = (int) strlen(utf8);
	}
	result = palloc((Size) len * 3 + 1);
	out = result;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') ||
			c == '-' || c == '.' || c == '_' || c == '~')
			*out++ = (char) c;
		else
		{
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 0x0F];
		}
	}
	*out = '\0';
	return result;
}


/* ----------------------------------------------------------------
 *		SQL-callable functions
 * ----------------------------------------------------------------
 */

/*
 * planhat_fdw_get_connections
 *		One row per open connection of this backend: server name, user name
 *		("public" for a PUBLIC mapping) and whether it is still valid, like
 *		postgres_fdw_get_connections().  Names of dropped objects are NULL.
 */
Datum
planhat_fdw_get_connections(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;

	InitMaterializedSRF(fcinfo, 0);

	if (ConnectionHash == NULL)
		PG_RETURN_VOID();

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		Datum		values[3];
		bool		nulls[3];
		ForeignServer *server;
		char	   *username = NULL;

		if (conn->multi == NULL)
			continue;

		MemSet(nulls, 0, sizeof(nulls));

		server = GetForeignServerExtended(conn->key.serverid, FSV_MISSING_OK);
		if (server != NULL)
			values[0] = CStringGetTextDatum(server->servername);
		else
			nulls[0] = true;

		if (OidIsValid(conn->key.umid))
		{
			HeapTuple	tp;

			tp = SearchSysCache1(USERMAPPINGOID,
								 ObjectIdGetDatum(conn->key.umid));
			if (HeapTupleIsValid(tp))
			{
				Oid			umuser = ((Form_pg_user_mapping) GETSTRUCT(tp))->umuser;

				ReleaseSysCache(tp);
				username = OidIsValid(umuser) ?
					GetUserNameFromId(umuser, true) : pstrdup("public");
			}
		}
		if (username != NULL)
			values[1] = CStringGetTextDatum(username);
		else
			nulls[1] = true;

		values[2] = BoolGetDatum(server != NULL && !conn->invalidated);

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
							 values, nulls);
	}

	PG_RETURN_VOID();
}

/*
 * http_disconnect_cached
 *		Close the connections of one server (or all); true if any was open.
 *		Connections in use in this transaction are left alone, with a
 *		WARNING, like postgres_fdw_disconnect().
 */
static bool
http_disconnect_cached(Oid serverid, bool all)
{
	HASH_SEQ_STATUS scan;
	PlanhatConnection *conn;
	bool		result = false;

	if (ConnectionHash == NULL)
		return false;

	hash_seq_init(&scan, ConnectionHash);
	while ((conn = (PlanhatConnection *) hash_seq_search(&scan)) != NULL)
	{
		if (conn->multi == NULL)
			continue;
		if (!all && conn->key.serverid != serverid)
			continue;

		if (conn->xact_used || !dlist_is_empty(&conn->pipelines))
		{
			ForeignServer *server;

			server = GetForeignServerExtended(conn->key.serverid,
											  FSV_MISSING_OK);
			if (server == NULL)
				ereport(WARNING,
						(errmsg("cannot close dropped server connection because it is still in use")));
			else
				ereport(WARNING,
						(errmsg("cannot close connection for server \"%s\" because it is still in use",
								server->servername)));
		}
		else
		{
			http_close(conn);
			result = true;
		}
	}
	return result;
}

/*
 * planhat_fdw_disconnect
 *		Close the connections of the named server; an unknown name is an
 *		error.
 */
Datum
planhat_fdw_disconnect(PG_FUNCTION_ARGS)
{
	char	   *servername = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ForeignServer *server = GetForeignServerByName(servername, false);

	PG_RETURN_BOOL(http_disconnect_cached(server->serverid, false));
}

/*
 * planhat_fdw_disconnect_all
 *		Close every connection of this backend.
 */
Datum
planhat_fdw_disconnect_all(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(http_disconnect_cached(InvalidOid, true));
}
