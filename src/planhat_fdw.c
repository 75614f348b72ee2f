/*-------------------------------------------------------------------------
 *
 * planhat_fdw.c
 *		  Foreign-data wrapper for the Planhat customer-success platform:
 *		  module set-up, GUCs, and the FdwRoutine scan callbacks.
 *
 * The callbacks are thin: planning lives in pushdown.c, request text in
 * request.c, request execution in scan.c, HTTP in http.c, JSON in
 * convert.c, writes in modify.c and IMPORT FOREIGN SCHEMA in import.c.
 *
 * No HTTP request is sent at plan time or by a plain EXPLAIN; only scans,
 * writes, ANALYZE and IMPORT FOREIGN SCHEMA talk to Planhat.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/planhat_fdw.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/vacuum.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "optimizer/tlist.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/sampling.h"
#include "utils/tuplestore.h"

#include "planhat_fdw.h"

PH_MODULE_MAGIC;

/* GUCs */
bool		planhat_pushdown_enabled = true;
bool		planhat_log_requests = false;

/*
 * Indexes of ForeignScan.fdw_private items (read with list_nth()).
 */
enum FdwScanPrivateIndex
{
	/* the PlanhatScanSpec, as a List (request.c) */
	FdwScanPrivateSpec,
	/* Integer list of the attribute numbers filled from each row */
	FdwScanPrivateRetrievedAttrs,
	/* Integer 0/1: read every page before the first row (materialize_scan) */
	FdwScanPrivateMaterialize
};

/*
 * Execution state of a foreign scan.
 */
typedef struct PlanhatScanState
{
	PlanhatOptions *opts;
	PlanhatScanSpec *spec;
	PlanhatColumnMap *map;
	PlanhatScan *scan;			/* NULL until the first row is asked for */
	List	   *param_exprs;	/* ExprStates of fdw_exprs */
	int			nparams;
	Datum	   *param_values;
	bool	   *param_isnull;
	Oid		   *param_types;
	bool		started;		/* values evaluated, requests under way */
	bool		recheck;		/* evaluate fdw_recheck_quals per row */
	int64		local_limit;	/* rows still to return, -1 = no limit */
	int64		local_offset;	/* rows still to skip */
	PlanhatCounters counters;	/* for EXPLAIN ANALYZE */
	bool		materialize;	/* see materialize_scan */
	ExprState  *local_qual;		/* materialize: the local conditions,
								 * applied as the store is filled */
	Tuplestorestate *store;		/* every row, once read; or NULL */
	TupleTableSlot *store_slot; /* reads the store */
} PlanhatScanState;

/*
 * SQL functions
 */
PG_FUNCTION_INFO_V1(planhat_fdw_handler);

void		_PG_init(void);

/*
 * FDW callback routines
 */
static void planhatGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
									 Oid foreigntableid);
static void planhatGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
								   Oid foreigntableid);
static ForeignScan *planhatGetForeignPlan(PlannerInfo *root,
										  RelOptInfo *foreignrel,
										  Oid foreigntableid,
										  ForeignPath *best_path,
										  List *tlist, List *scan_clauses,
										  Plan *outer_plan);
static void planhatGetForeignUpperPaths(PlannerInfo *root,
										UpperRelationKind stage,
										RelOptInfo *input_rel,
										RelOptInfo *output_rel,
										void *extra);
static void planhatBeginForeignScan(ForeignScanState *node, int eflags);
static TupleTableSlot *planhatIterateForeignScan(ForeignScanState *node);
static void planhatReScanForeignScan(ForeignScanState *node);
static void planhatEndForeignScan(ForeignScanState *node);
static void planhatExplainForeignScan(ForeignScanState *node, ExplainState *es);
static bool planhatAnalyzeForeignTable(Relation relation,
									   AcquireSampleRowsFunc *func,
									   BlockNumber *totalpages);

/*
 * Helper functions
 */
static void add_paths_for_rel(PlannerInfo *root, RelOptInfo *baserel,
							  PlanhatRelInfo *info);
static void add_parameterized_paths(PlannerInfo *root, RelOptInfo *baserel,
									PlanhatRelInfo *info);
static void add_final_path(PlannerInfo *root, RelOptInfo *input_rel,
						   RelOptInfo *final_rel, FinalPathExtraData *extra);
static int	acquire_sample_rows(Relation relation, int elevel, HeapTuple *rows,
								int targrows, double *totalrows,
								double *totaldeadrows);
static TupleTableSlot *iterate_remote(ForeignScanState *node,
									  PlanhatScanState *fsstate);
static TupleTableSlot *materialize_scan(ForeignScanState *node,
										PlanhatScanState *fsstate);

/*
 * _PG_init
 *		Module load: GUCs and the HTTP layer.
 */
void
_PG_init(void)
{
	DefineCustomBoolVariable("planhat_fdw.pushdown",
							 "Sends WHERE, column lists, ORDER BY and LIMIT to Planhat.",
							 "When off, every row of a resource is fetched and "
							 "everything is evaluated locally.",
							 &planhat_pushdown_enabled,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomBoolVariable("planhat_fdw.log_requests",
							 "Logs every request sent to Planhat (without credentials).",
							 NULL,
							 &planhat_log_requests,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	/* before the prefix is reserved: it drops placeholders of undefined names */
	planhat_option_init();
	planhat_http_init();

	MarkGUCPrefixReserved("planhat_fdw");
}

/*
 * planhat_fdw_handler
 *		The FdwRoutine with our callbacks.
 */
Datum
planhat_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	/* scans */
	routine->GetForeignRelSize = planhatGetForeignRelSize;
	routine->GetForeignPaths = planhatGetForeignPaths;
	routine->GetForeignPlan = planhatGetForeignPlan;
	routine->BeginForeignScan = planhatBeginForeignScan;
	routine->IterateForeignScan = planhatIterateForeignScan;
	routine->ReScanForeignScan = planhatReScanForeignScan;
	routine->EndForeignScan = planhatEndForeignScan;
	routine->GetForeignUpperPaths = planhatGetForeignUpperPaths;

	/* writes (modify.c) */
	planhat_modify_routines(routine);

	/* EXPLAIN, ANALYZE, IMPORT FOREIGN SCHEMA */
	routine->ExplainForeignScan = planhatExplainForeignScan;
	routine->AnalyzeForeignTable = planhatAnalyzeForeignTable;
	routine->ImportForeignSchema = planhatImportForeignSchema;

	PG_RETURN_POINTER(routine);
}

/*
 * planhatGetForeignRelSize
 *		Classify the restrictions and estimate the size of the scan.
 */
static void
planhatGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel,
						 Oid foreigntableid)
{
	baserel->fdw_private = planhat_plan_rel(root, baserel, foreigntableid);
}

/*
 * planhatGetForeignPaths
 *		A plain path, a sorted path when Planhat can sort like the query
 *		wants, and parameterized paths for joins on filterable columns.
 */
static void
planhatGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel,
					   Oid foreigntableid)
{
	PlanhatRelInfo *info = (PlanhatRelInfo *) baserel->fdw_private;

	add_paths_for_rel(root, baserel, info);
	add_parameterized_paths(root, baserel, info);
}

static void
add_paths_for_rel(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info)
{
	add_path(baserel, (Path *)
			 ph_create_foreignscan_path(root, baserel, NULL,
										info->rows, info->startup_cost,
										info->total_cost,
										NIL, NULL, NULL, NIL,
										planhat_path_private(root, baserel, info,
															 NULL, false)));

	/*
	 * A path sorted by Planhat, when the query's order is one Planhat can
	 * produce exactly and the answer is one ordered list.
	 */
	info->qp_sort = NULL;
	if (root->query_pathkeys != NIL && info->single_stream && info->nkeys == 0)
	{
		char	   *sort = planhat_pathkey_sort(root, baserel, info,
												root->query_pathkeys);

		if (sort)
		{
			info->qp_sort = sort;
			add_path(baserel, (Path *)
					 ph_create_foreignscan_path(root, baserel, NULL,
												info->rows, info->startup_cost,
												info->total_cost,
												root->query_pathkeys, NULL, NULL,
												NIL,
												planhat_path_private(root, baserel,
																	 info, sort,
																	 false)));
		}
	}
}

/* Callback for generate_implied_equalities_for_column */
static bool
ec_member_matches_var(PlannerInfo *root, RelOptInfo *rel,
					  EquivalenceClass *ec, EquivalenceMember *em, void *arg)
{
	Var		   *var = (Var *) arg;
	Expr	   *expr = em->em_expr;

	while (expr && IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	return equal(expr, var);
}

/*
 * add_parameterized_paths
 *		For "col = outer.expr" join clauses on columns Planhat can filter,
 *		a path that sends one filtered request per outer value.
 */
static void
add_parameterized_paths(PlannerInfo *root, RelOptInfo *baserel,
						PlanhatRelInfo *info)
{
	List	   *clauses = NIL;
	List	   *done = NIL;
	ListCell   *lc;
	int			i;

	if (!planhat_pushdown_enabled)
		return;

	/*
	 * One request per outer row would interleave with the statement's
	 * writes to the same records: a later request could see a row an
	 * earlier write changed or created (materialize_scan).
	 */
	if (planhat_plan_writes(root, info->res) == PH_WRITES_SAME)
		return;

	/* explicit join clauses */
	foreach(lc, baserel->joininfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		if (join_clause_is_movable_to(ri, baserel) &&
			planhat_join_clause_pushable(root, baserel, info, ri))
			clauses = lappend(clauses, ri);
	}

	/* equivalence classes: a.x = e.company_id lives there, not in joininfo */
	if (baserel->has_eclass_joins)
	{
		for (i = 0; i < info->natts; i++)
		{
			Var		   *var;
			List	   *ec_clauses;
			ListCell   *c;

			if (info->cols[i].attname == NULL || info->cols[i].cat == NULL)
				continue;
			var = makeVar(baserel->relid, i + 1, info->cols[i].typid,
						  info->cols[i].typmod,
						  get_typcollation(info->cols[i].typid), 0);
			ec_clauses = generate_implied_equalities_for_column(root, baserel,
																ec_member_matches_var,
																var,
																baserel->lateral_referencers);
			foreach(c, ec_clauses)
			{
				RestrictInfo *ri = lfirst_node(RestrictInfo, c);

				if (join_clause_is_movable_to(ri, baserel) &&
					planhat_join_clause_pushable(root, baserel, info, ri))
					clauses = lappend(clauses, ri);
			}
		}
	}

	foreach(lc, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		Relids		required_outer;
		ParamPathInfo *ppi;
		List	   *fdw_private;
		Cost		startup;
		Cost		total;

		required_outer = bms_union(ri->clause_relids, baserel->lateral_relids);
		required_outer = bms_del_member(required_outer, baserel->relid);
		if (bms_is_empty(required_outer))
			continue;
		ppi = get_baserel_parampathinfo(root, baserel, required_outer);

		/* one path per parameterization: it has every clause of ppi */
		if (list_member_ptr(done, ppi))
			continue;
		done = lappend(done, ppi);

		/* filtered requests per outer row, returning a handful of rows */
		fdw_private = planhat_param_path(root, baserel, info, ppi,
										 &startup, &total);
		add_path(baserel, (Path *)
				 ph_create_foreignscan_path(root, baserel, NULL, ppi->ppi_rows,
											startup, total, NIL,
											required_outer, NULL, NIL,
											fdw_private));
	}
}

/*
 * planhatGetForeignUpperPaths
 *		Push LIMIT/OFFSET (with the ORDER BY Planhat sorts by) into the
 *		request, like postgres_fdw's add_foreign_final_paths.
 */
static void
planhatGetForeignUpperPaths(PlannerInfo *root, UpperRelationKind stage,
							RelOptInfo *input_rel, RelOptInfo *output_rel,
							void *extra)
{
	PlanhatRelInfo *ifpinfo = (PlanhatRelInfo *) input_rel->fdw_private;
	PlanhatRelInfo *fpinfo;

	if (ifpinfo == NULL || !planhat_pushdown_enabled)
		return;
	if ((stage != UPPERREL_ORDERED && stage != UPPERREL_FINAL) ||
		output_rel->fdw_private)
		return;

	fpinfo = palloc0(sizeof(PlanhatRelInfo));
	fpinfo->is_upper = true;
	output_rel->fdw_private = fpinfo;

	if (stage == UPPERREL_ORDERED)
	{
		/*
		 * The sorted paths of the base relation were made for
		 * query_pathkeys; remember whether they exist, for LIMIT.
		 */
		if (input_rel->reloptkind == RELOPT_BASEREL && !ifpinfo->is_upper)
		{
			fpinfo->pushdown_safe = (ifpinfo->qp_sort != NULL);
			fpinfo->qp_sort = ifpinfo->qp_sort;
			fpinfo->baserel = input_rel;
		}
		return;
	}
	add_final_path(root, input_rel, output_rel, (FinalPathExtraData *) extra);
}

static void
add_final_path(PlannerInfo *root, RelOptInfo *input_rel,
			   RelOptInfo *final_rel, FinalPathExtraData *extra)
{
	Query	   *parse = root->parse;
	PlanhatRelInfo *ifpinfo = (PlanhatRelInfo *) input_rel->fdw_private;
	RelOptInfo *baserel = input_rel;
	char	   *sort = NULL;
	List	   *pathkeys = NIL;
	double		rows;
	double		fetch;
	double		pages;
	Cost		total;

	if (parse->commandType != CMD_SELECT || !extra->limit_needed ||
		parse->hasTargetSRFs || parse->rowMarks)
		return;

	if (input_rel->reloptkind == RELOPT_UPPER_REL && ifpinfo->is_upper)
	{
		/* ORDER BY ... LIMIT: only when Planhat does the sort */
		if (!ifpinfo->pushdown_safe)
			return;
		baserel = ifpinfo->baserel;
		sort = ifpinfo->qp_sort;
		pathkeys = root->sort_pathkeys;
		ifpinfo = (PlanhatRelInfo *) baserel->fdw_private;
	}
	if (baserel->reloptkind != RELOPT_BASEREL || ifpinfo == NULL ||
		ifpinfo->is_upper)
		return;

	/* every qual exact in Planhat, one ordered list */
	if (ifpinfo->local_conds != NIL || !ifpinfo->single_stream ||
		ifpinfo->nkeys > 0 || ifpinfo->res->max_limit == 0)
		return;

	/* LIMIT and OFFSET must be constants or parameters */
	if ((parse->limitCount && !IsA(parse->limitCount, Const) &&
		 !IsA(parse->limitCount, Param)) ||
		(parse->limitOffset && !IsA(parse->limitOffset, Const) &&
		 !IsA(parse->limitOffset, Param)))
		return;
	if (parse->limitOption == LIMIT_OPTION_WITH_TIES)
		return;

	rows = ifpinfo->rows;
	if (extra->count_est > 0 && extra->count_est < rows)
		rows = extra->count_est;
	fetch = rows + Max(extra->offset_est, 0);
	pages = Max(ceil(fetch / Max(ifpinfo->opts->fetch_size, 1)), 1);
	/* a little below the same scan under a Limit node, so that it wins ties */
	total = pages * PLANHAT_REQUEST_COST + rows * (PLANHAT_ROW_COST + cpu_tuple_cost) - 1.0;

	add_path(final_rel, (Path *)
			 ph_create_foreign_upper_path(root, baserel,
										  root->upper_targets[UPPERREL_FINAL],
										  rows, PLANHAT_REQUEST_COST - 1.0, total, pathkeys,
										  NULL, NIL,
										  planhat_path_private(root, baserel,
															   ifpinfo, sort,
															   true)));
}

/*
 * planhatGetForeignPlan
 *		Turn the chosen path into a ForeignScan: the request and the split
 *		of the clauses were made with the path (planhat_path_private,
 *		planhat_param_path) from the clauses scan_clauses holds.
 */
static ForeignScan *
planhatGetForeignPlan(PlannerInfo *root, RelOptInfo *foreignrel,
					  Oid foreigntableid, ForeignPath *best_path,
					  List *tlist, List *scan_clauses, Plan *outer_plan)
{
	PlanhatRelInfo *info = (PlanhatRelInfo *) foreignrel->fdw_private;
	List	   *fp = best_path->fdw_private;

	return make_foreignscan(tlist, list_nth(fp, FdwPathPrivateLocal),
							foreignrel->relid,
							list_nth(fp, FdwPathPrivateExprs),
							list_make3(list_nth(fp, FdwPathPrivateSpec),
									   list_nth(fp, FdwPathPrivateRetrieved),
									   makeInteger(planhat_plan_writes(root, info->res) !=
												   PH_WRITES_NONE)),
							NIL, list_nth(fp, FdwPathPrivateRecheck),
							outer_plan);
}

/*
 * planhatBeginForeignScan
 *		Set up the scan state; nothing is sent until the first row is asked
 *		for, and nothing at all under EXPLAIN without ANALYZE.
 */
static void
planhatBeginForeignScan(ForeignScanState *node, int eflags)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	Oid			userid = ph_scan_user(fsplan, estate);
	PlanhatScanState *fsstate;
	ListCell   *lc;
	int			i;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	fsstate = palloc0(sizeof(PlanhatScanState));
	node->fdw_state = fsstate;

	fsstate->opts = planhat_get_options(RelationGetRelid(node->ss.ss_currentRelation),
										userid);
	fsstate->spec = planhat_spec_from_list(list_nth(fsplan->fdw_private,
													FdwScanPrivateSpec));
	fsstate->map = planhat_make_column_map(node->ss.ss_currentRelation,
										   fsstate->opts,
										   list_nth(fsplan->fdw_private,
													FdwScanPrivateRetrievedAttrs));

	fsstate->param_exprs = ExecInitExprList(fsplan->fdw_exprs, (PlanState *) node);
	fsstate->nparams = list_length(fsplan->fdw_exprs);
	fsstate->param_values = palloc0(sizeof(Datum) * Max(fsstate->nparams, 1));
	fsstate->param_isnull = palloc0(sizeof(bool) * Max(fsstate->nparams, 1));
	fsstate->param_types = palloc0(sizeof(Oid) * Max(fsstate->nparams, 1));
	i = 0;
	foreach(lc, fsplan->fdw_exprs)
		fsstate->param_types[i++] = exprType((Node *) lfirst(lc));

	fsstate->scan = planhat_scan_create(fsstate->opts, fsstate->spec,
										fsstate->map, estate->es_query_cxt,
										&fsstate->counters);
	fsstate->materialize = intVal(list_nth(fsplan->fdw_private,
										   FdwScanPrivateMaterialize)) != 0;

	/*
	 * A materialized scan applies the local conditions itself while it
	 * fills its store, which then keeps only the rows that pass them.
	 */
	if (fsstate->materialize)
	{
		fsstate->local_qual = node->ss.ps.qual;
		node->ss.ps.qual = NULL;
	}
}

/*
 * Evaluate fdw_exprs and (re)start the requests.  Called from Iterate, in
 * the per-tuple context: planhat_scan_start copies what it keeps (the
 * request strings) into the scan's own context, so nothing accumulates over
 * the rescans of a nested loop.
 */
static void
start_scan(ForeignScanState *node, PlanhatScanState *fsstate)
{
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	ListCell   *lc;
	int			i = 0;

	foreach(lc, fsstate->param_exprs)
	{
		ExprState  *es = (ExprState *) lfirst(lc);

		fsstate->param_values[i] = ExecEvalExpr(es, econtext,
												&fsstate->param_isnull[i]);
		i++;
	}

	planhat_scan_start(fsstate->scan, fsstate->nparams, fsstate->param_values,
					   fsstate->param_isnull, fsstate->param_types);
	fsstate->recheck = planhat_scan_needs_recheck(fsstate->scan,
												  &fsstate->local_limit,
												  &fsstate->local_offset);
	fsstate->started = true;
}

/*
 * planhatIterateForeignScan
 *		Return the next row, requesting pages as they are needed.
 */
static TupleTableSlot *
planhatIterateForeignScan(ForeignScanState *node)
{
	PlanhatScanState *fsstate = (PlanhatScanState *) node->fdw_state;

	if (fsstate->materialize)
		return materialize_scan(node, fsstate);
	return iterate_remote(node, fsstate);
}

/* The next row from Planhat, after the pushed quals' recheck */
static TupleTableSlot *
iterate_remote(ForeignScanState *node, PlanhatScanState *fsstate)
{
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;

	if (!fsstate->started)
		start_scan(node, fsstate);

	for (;;)
	{
		ExecClearTuple(slot);
		if (fsstate->local_limit == 0)
			return slot;

		memset(slot->tts_isnull, true,
			   sizeof(bool) * slot->tts_tupleDescriptor->natts);
		if (!planhat_scan_next(fsstate->scan, slot->tts_values,
							   slot->tts_isnull))
			return slot;
		ExecStoreVirtualTuple(slot);

		if (fsstate->recheck)
		{
			/* a value could not be sent exactly: apply the pushed quals */
			econtext->ecxt_scantuple = slot;
			if (!ExecQual(node->fdw_recheck_quals, econtext))
				continue;
			if (fsstate->local_offset > 0)
			{
				fsstate->local_offset--;
				continue;
			}
			if (fsstate->local_limit > 0)
				fsstate->local_limit--;
		}
		return slot;
	}
}

/*
 * materialize_scan
 *		A scan in a statement that writes to Planhat reads every page at its
 *		first row, into a tuplestore (work_mem, then a temporary file), and
 *		hands the rows out from there; only rows that pass the local
 *		conditions are kept.  Planhat pages only by offset: a
 *		write between two pages would shift the rows still to read, so that
 *		a DELETE skips rows and an INSERT ... SELECT reads its own rows.  A
 *		rescan with the same parameters replays the rows: the statement sees
 *		the records as they were before it wrote.
 */
static TupleTableSlot *
materialize_scan(ForeignScanState *node, PlanhatScanState *fsstate)
{
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	MemoryContext old;
	bool		found;

	if (fsstate->store == NULL)
	{
		old = MemoryContextSwitchTo(node->ss.ps.state->es_query_cxt);

		fsstate->store = tuplestore_begin_heap(false, false, work_mem);
		if (fsstate->store_slot == NULL)
			fsstate->store_slot = MakeSingleTupleTableSlot(slot->tts_tupleDescriptor,
														   &TTSOpsMinimalTuple);
		MemoryContextSwitchTo(old);
		for (;;)
		{
			ExprContext *econtext = node->ss.ps.ps_ExprContext;

			CHECK_FOR_INTERRUPTS();
			ResetExprContext(econtext);
			slot = iterate_remote(node, fsstate);
			if (TupIsNull(slot))
				break;
			if (fsstate->local_qual)
			{
				econtext->ecxt_scantuple = slot;
				if (!ExecQual(fsstate->local_qual, econtext))
				{
					InstrCountFiltered1(node, 1);
					continue;
				}
			}
			tuplestore_puttupleslot(fsstate->store, slot);
		}
	}

	/*
	 * A row read back from the temporary file is allocated in the current
	 * context and freed by store_slot at the next fetch: not the per-tuple
	 * context Iterate runs in, which is reset between rows.
	 */
	slot = node->ss.ss_ScanTupleSlot;
	ExecClearTuple(slot);
	old = MemoryContextSwitchTo(node->ss.ps.state->es_query_cxt);
	found = tuplestore_gettupleslot(fsstate->store, true, false,
									fsstate->store_slot);
	MemoryContextSwitchTo(old);
	if (!found)
		return slot;
	slot_getallattrs(fsstate->store_slot);
	memcpy(slot->tts_values, fsstate->store_slot->tts_values,
		   sizeof(Datum) * slot->tts_tupleDescriptor->natts);
	memcpy(slot->tts_isnull, fsstate->store_slot->tts_isnull,
		   sizeof(bool) * slot->tts_tupleDescriptor->natts);
	return ExecStoreVirtualTuple(slot);
}

/*
 * planhatReScanForeignScan
 *		Restart from the first request; parameters are evaluated again.  A
 *		materialized scan whose parameters did not change replays its rows.
 */
static void
planhatReScanForeignScan(ForeignScanState *node)
{
	PlanhatScanState *fsstate = (PlanhatScanState *) node->fdw_state;

	if (fsstate == NULL)
		return;
	if (fsstate->store != NULL)
	{
		if (node->ss.ps.chgParam == NULL)
		{
			tuplestore_rescan(fsstate->store);
			return;
		}
		tuplestore_end(fsstate->store);
		fsstate->store = NULL;
	}
	fsstate->started = false;
}

/*
 * planhatEndForeignScan
 *		Cancel requests in flight and release the scan.
 */
static void
planhatEndForeignScan(ForeignScanState *node)
{
	PlanhatScanState *fsstate = (PlanhatScanState *) node->fdw_state;

	if (fsstate == NULL)
		return;
	if (fsstate->scan)
		planhat_scan_end(fsstate->scan);
	fsstate->scan = NULL;
	if (fsstate->store)
		tuplestore_end(fsstate->store);
	fsstate->store = NULL;
	if (fsstate->store_slot)
		ExecDropSingleTupleTableSlot(fsstate->store_slot);
	fsstate->store_slot = NULL;
}

/* "Planhat <label>: <line>" for each of a few lines, then "... and N more" */
static void
explain_lines(const char *label, List *lines, int64 total, ExplainState *es)
{
	ListCell   *lc;

	foreach(lc, lines)
	{
		if (foreach_current_index(lc) == PLANHAT_EXPLAIN_MAX_REQUESTS)
			break;
		ExplainPropertyText(label, (char *) lfirst(lc), es);
	}
	if (total > PLANHAT_EXPLAIN_MAX_REQUESTS)
		ExplainPropertyText(label,
							psprintf("... and " INT64_FORMAT " more",
									 total - PLANHAT_EXPLAIN_MAX_REQUESTS), es);
}

/*
 * planhat_explain_counters
 *		The EXPLAIN ANALYZE lines of a scan or a write after its own, so
 *		that together they show what planhat_fdw_stats() counts: bytes
 *		sent (request bodies), 429 answers and errors, each only when not
 *		zero; with TIMING the time in HTTP and, of it, the time waited
 *		(retry backoff, the rate limiter, Retry-After).
 */
void
planhat_explain_counters(const PlanhatCounters *c, ExplainState *es)
{
	if (c->bytes_sent > 0)
		ExplainPropertyInteger("Planhat Bytes Sent", "bytes", c->bytes_sent, es);
	if (c->rate_limited > 0)
		ExplainPropertyInteger("Planhat Rate Limited", NULL, c->rate_limited, es);
	if (c->errors > 0)
		ExplainPropertyInteger("Planhat Errors", NULL, c->errors, es);
	if (es->timing)
	{
		ExplainPropertyFloat("Planhat HTTP Time", "ms", c->http_ms, 3, es);
		ExplainPropertyFloat("Planhat Wait Time", "ms", c->wait_ms, 3, es);
	}
}

/*
 * "Planhat Stop": where the lists of an early stop end ("where the rows
 * fall below updated_at > <value>"), or why a bound on updated_at does not
 * end them.
 */
static void
explain_stop(PlanhatScanSpec *spec, PlanhatRequests *r, List *fdw_exprs,
			 ExplainState *es)
{
	StringInfoData buf;
	ListCell   *e;
	ListCell   *o;

	if (spec->stop == PH_STOP_NONE || !r->stop)
	{
		if (spec->bound_note && r->streams != NIL)
			ExplainPropertyText("Planhat Stop",
								psprintf("none: %s, so %s is only evaluated locally",
										 spec->bound_note, spec->bound_column), es);
		return;
	}
	initStringInfo(&buf);
	appendStringInfo(&buf, "where the rows %s ",
					 spec->stop == PH_STOP_BELOW ? "fall below" : "rise above");
	forboth(e, spec->bound_exprs, o, spec->bound_ops)
	{
		appendStringInfo(&buf, "%s%s %s %s", e == list_head(spec->bound_exprs) ? "" : " AND ",
						 quote_identifier(spec->bound_column), (char *) lfirst(o),
						 planhat_explain_deparse(list_nth(fdw_exprs, lfirst_int(e)), es));
	}
	ExplainPropertyText("Planhat Stop", buf.data, es);
}

/*
 * planhatExplainForeignScan
 *		Under VERBOSE, "Planhat Request: GET /companies?..." for the first
 *		request of each stream, written by the code that sends them
 *		(request.c), and "Planhat Local" for values that are not sent and
 *		why.  Under ANALYZE, what was exchanged; with VERBOSE too, the
 *		requests whose answers were read.
 */
static void
planhatExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	PlanhatScanState *fsstate = (PlanhatScanState *) node->fdw_state;

	if (es->verbose)
	{
		PlanhatScanSpec *spec = planhat_spec_from_list(list_nth(fsplan->fdw_private,
																FdwScanPrivateSpec));
		PlanhatRequests *r = planhat_explain_requests(spec, fsplan->fdw_exprs,
													  planhat_explain_deparse, es);
		List	   *lines = NIL;
		ListCell   *lc;

		foreach(lc, r->streams)
		{
			PlanhatStream *stream = lfirst(lc);
			int64		limit = -1;

			if (foreach_current_index(lc) == PLANHAT_EXPLAIN_MAX_REQUESTS)
				break;
			/* the first page of each stream */
			if (spec->paginated && stream->key == NULL)
			{
				limit = spec->fetch_size;
				if (r->limit >= 0 && r->limit < limit)
					limit = r->limit;
			}
			lines = lappend(lines,
							psprintf("GET %s",
									 planhat_stream_path(spec, stream, limit,
														 limit >= 0 ? r->offset : -1,
														 r->limit_text,
														 r->offset_text)));
		}
		if (spec->kind == PH_SCAN_NONE)
			ExplainPropertyText("Planhat Request",
								psprintf("none (insert-only resource: Planhat offers no way to read %s back)",
										 spec->path), es);
		else if (lines == NIL)
			ExplainPropertyText("Planhat Request", "none", es);
		explain_lines("Planhat Request", lines, list_length(r->streams), es);
		explain_stop(spec, r, fsplan->fdw_exprs, es);
		if (intVal(list_nth(fsplan->fdw_private, FdwScanPrivateMaterialize)))
			ExplainPropertyText("Planhat Read", "every page before the first write", es);
		explain_lines("Planhat Local", list_concat(list_copy(spec->notes), r->notes),
					  0, es);
	}

	if (es->analyze && fsstate)
	{
		PlanhatCounters *c = &fsstate->counters;

		ExplainPropertyInteger("Planhat Requests", NULL, c->requests, es);
		ExplainPropertyInteger("Planhat Pages", NULL, c->pages, es);
		ExplainPropertyInteger("Planhat Rows", NULL, c->rows, es);
		ExplainPropertyInteger("Planhat Bytes Received", "bytes",
							   c->bytes_received, es);
		ExplainPropertyInteger("Planhat Retries", NULL, c->retries, es);
		planhat_explain_counters(c, es);
		if (es->verbose && fsstate->scan)
		{
			List	   *sent;
			List	   *notes;
			int64		nsent;

			planhat_scan_report(fsstate->scan, &sent, &nsent, &notes);
			explain_lines("Planhat Sent", sent, nsent, es);
			explain_lines("Planhat Local", notes, 0, es);
		}
		if (fsstate->scan && planhat_scan_stop_report(fsstate->scan))
			ExplainPropertyText("Planhat Stopped",
								planhat_scan_stop_report(fsstate->scan), es);
	}
}

/*
 * planhatAnalyzeForeignTable
 *		ANALYZE reads every row (Planhat has no sampling or count endpoint)
 *		and keeps a reservoir sample.
 */
static bool
planhatAnalyzeForeignTable(Relation relation, AcquireSampleRowsFunc *func,
						   BlockNumber *totalpages)
{
	*func = acquire_sample_rows;
	*totalpages = 1;
	return true;
}

static int
acquire_sample_rows(Relation relation, int elevel, HeapTuple *rows,
					int targrows, double *totalrows, double *totaldeadrows)
{
	TupleDesc	tupdesc = RelationGetDescr(relation);
	PlanhatOptions *opts = planhat_get_options(RelationGetRelid(relation),
											   GetUserId());
	PlanhatScanSpec *spec = planhat_full_scan_spec(opts);
	List	   *attnums = NIL;
	PlanhatColumnMap *map;
	PlanhatScan *scan;
	ReservoirStateData rstate;
	MemoryContext tmp;
	MemoryContext old;
	Datum	   *values;
	bool	   *nulls;
	double		seen = 0;
	double		rowstoskip = -1;
	int			numrows = 0;
	int			i;

	for (i = 1; i <= tupdesc->natts; i++)
		attnums = lappend_int(attnums, i);
	map = planhat_make_column_map(relation, opts, attnums);
	scan = planhat_scan_create(opts, spec, map, CurrentMemoryContext, NULL);
	planhat_scan_start(scan, 0, NULL, NULL, NULL);

	values = palloc(sizeof(Datum) * tupdesc->natts);
	nulls = palloc(sizeof(bool) * tupdesc->natts);
	tmp = AllocSetContextCreate(CurrentMemoryContext, "planhat_fdw analyze row",
								ALLOCSET_SMALL_SIZES);
	reservoir_init_selection_state(&rstate, targrows);

	for (;;)
	{
		bool		more;

		ph_analyze_delay_point();
		MemoryContextReset(tmp);
		old = MemoryContextSwitchTo(tmp);
		memset(nulls, true, sizeof(bool) * tupdesc->natts);
		more = planhat_scan_next(scan, values, nulls);
		MemoryContextSwitchTo(old);
		if (!more)
			break;

		seen += 1;
		if (numrows < targrows)
			rows[numrows++] = heap_form_tuple(tupdesc, values, nulls);
		else
		{
			if (rowstoskip < 0)
				rowstoskip = reservoir_get_next_S(&rstate, seen, targrows);
			if (rowstoskip <= 0)
			{
				int			k = (int) (targrows * sampler_random_fract(&rstate.randstate));

				heap_freetuple(rows[k]);
				rows[k] = heap_form_tuple(tupdesc, values, nulls);
			}
			rowstoskip -= 1;
		}
	}
	planhat_scan_end(scan);
	MemoryContextDelete(tmp);

	*totalrows = seen;
	*totaldeadrows = 0;
	ereport(elevel,
			(errmsg("\"%s\": Planhat returned %.0f rows, %d rows in sample",
					RelationGetRelationName(relation), seen, numrows)));
	return numrows;
}
