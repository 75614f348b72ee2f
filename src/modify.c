/*-------------------------------------------------------------------------
 *
 * modify.c
 *		  INSERT, UPDATE and DELETE on Planhat foreign tables: single
 *		  creates, bulk upserts, updates and deletes by _id, direct
 *		  modification, and the insert-only analytics pushes.
 *
 * What each statement sends (docs/writes.md says the same for users):
 *
 *	INSERT                 POST /<path> with the columns the statement
 *	                       supplies; RETURNING from Planhat's answer.
 *	INSERT, batch_size > 1 PUT /<path> with up to batch_size objects (bulk
 *	                       upsert: an item matching an existing record by
 *	                       a key UPDATES it).  RETURNING is refused.
 *	UPDATE                 PUT /<path>/<_id> with only the SET columns.
 *	DELETE                 DELETE /<path>/<_id>.
 *	INSERT into metrics /  POST <analytics_url>/<path>/<tenant_token>, in
 *	user_activities        batches (default 5,000 items).
 *
 * Planhat has no transactions: every write goes out when the statement
 * runs and ROLLBACK cannot undo it.  What this file does about that:
 *
 * - The rows a statement modifies are read before its first write: a
 *   statement that writes to Planhat has every Planhat scan of its plan read
 *   all its pages first (planhat_plan_writes, used by planhat_fdw.c), since
 *   Planhat pages only by offset and a write would shift the pages still to
 *   read.  A scan hidden from the planner (in a function, in a cursor) that
 *   meets a write between its pages fails instead (scan.c asks
 *   planhat_storage_writes).
 *
 * - A failed exchange with Planhat stops the statement's writes, and its
 *   error is raised when the statement ends, completed with what the whole
 *   statement did: records created, updated and deleted, the row that
 *   failed and why, and how many rows were not sent.  Other errors (a WITH
 *   CHECK OPTION, a value JSON cannot hold, a cancel) are raised at once,
 *   completed the same way.  The hint says what is safe to do next.
 *
 * - Transaction and subtransaction callbacks count what each (sub)
 *   transaction wrote, and warn when PostgreSQL rolls back writes that
 *   Planhat keeps; each write is in one warning at most.
 *
 * - A request is sent again after a failure that may have reached Planhat
 *   only when a repeat cannot do harm: PUT and DELETE by _id (a DELETE whose
 *   repeat finds nothing counts as done), a bulk batch whose every item
 *   carries a key that resource's bulk upsert matches on; never a POST, an
 *   unkeyed batch, an analytics push or an array "add".
 *
 * Verbs a resource lacks, ON CONFLICT, and writes to tables whose
 * "updatable" option is false are refused at plan time.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/modify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/appendinfo.h"
#include "optimizer/inherit.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"

#include "planhat_fdw.h"

/* Name of the junk column carrying each row's Planhat _id */
#define PLANHAT_ROWID_NAME		"planhat_id"

/* Items per analytics push when batch_size is not set (32 MB body cap) */
#define PLANHAT_PUSH_BATCH		5000

/* Failed items listed in a bulk error detail before "and N more" */
#define PLANHAT_MAX_ERROR_ITEMS 20

/* Resources counted by planhat_storage_writes (the catalog has fewer) */
#define PLANHAT_MAX_STORAGES	64

/*
 * Indexes of fdw_private items of a ModifyTable (PlanForeignModify).
 */
enum FdwModifyPrivateIndex
{
	FdwModifyPrivateTargetAttrs,	/* Integer list of columns sent */
	FdwModifyPrivateReturningAttrs, /* Integer list filled from the answer */
	FdwModifyPrivateHasReturning	/* Integer 0/1 */
};

/*
 * Indexes of fdw_private items of a ForeignScan doing a direct modification.
 */
enum FdwDirectPrivateIndex
{
	FdwDirectPrivateTargetAttrs,	/* Integer list: SET columns */
	FdwDirectPrivateReturningAttrs, /* Integer list */
	FdwDirectPrivateKeyPrefix,	/* String: "", "extid-", "srcid-" */
	FdwDirectPrivateSetProcessed	/* Integer 0/1: canSetTag */
};

/*
 * What a statement did to one foreign table, as Planhat answered it: for
 * error messages, EXPLAIN ANALYZE and the rollback warnings.
 */
typedef struct WriteTally
{
	int64		rows;			/* rows the executor handed over */
	int64		created;
	int64		updated;
	int64		unchanged;		/* bulk items matched that changed nothing */
	int64		upserted;		/* bulk items of a batch sent again after a
								 * lost answer: created by the first attempt
								 * or updated by the repeat */
	int64		deleted;
	int64		missing;		/* UPDATE/DELETE found no record (404) */
	int64		pushed;			/* analytics items accepted */
	/* rows whose request may or may not have been carried out */
	int64		maybe_created;
	int64		maybe_updated;
	int64		maybe_deleted;
	int64		maybe_pushed;
	int64		not_sent;		/* rows after a failure, never sent */
} WriteTally;

typedef struct PlanhatModifyState
{
	Relation	rel;
	ResultRelInfo *rinfo;
	EState	   *estate;
	PlanhatOptions *opts;
	PlanhatConnection *conn;
	CmdType		operation;
	PlanhatColumnMap *target_map;	/* columns sent */
	PlanhatColumnMap *returning_map;	/* columns filled from answers */
	bool		has_returning;
	bool		nonnull_only;	/* COPY / routing: send non-NULL columns */
	AttrNumber	rowid_attno;	/* junk column in the plan's output */
	int			batch_size;		/* 1: one POST per row */
	bool		is_push;		/* analytics push */
	MemoryContext cxt;			/* the statement's (es_query_cxt) */
	MemoryContext temp_cxt;		/* per row / per batch */
	PlanhatCounters counters;	/* requests, for EXPLAIN ANALYZE */
	WriteTally	tally;
	bool		all_keyed;		/* every bulk item sent carried a key */

	/*
	 * A failed exchange with Planhat (first and last row of the request),
	 * raised when the statement ends; see write_failed().
	 */
	ErrorData  *failure;
	int64		failed_first;
	int64		failed_last;
	char	   *failed_keys;	/* the failed row's keys, for the hint */
	PlanhatMethod failed_method;	/* of the last request begun */
	PlanhatOutcome failed_outcome;
	PlanhatOutcome outcome;		/* of the request under way: set by http.c
								 * when it fails (PlanhatRequest.outcome) */
	int64		unsure_items;	/* items of the last request whose outcome
								 * is unknown if it fails, -1: all */
	bool		in_flight;		/* a request is under way (send_request) */
	char	   *row_keys;		/* keys of the row being written, for
								 * messages (set by the RowWork) */

	/*
	 * COPY FROM (BeginForeignInsert): PostgreSQL 15 hands rows over one at a
	 * time, so batches are collected here and sent when full or at the end.
	 */
	MemoryContext pending_cxt;
	StringInfoData pending;		/* JSON array being built */
	int			npending;		/* items in it */
	bool		pending_keyed;	/* every item carries a key */
} PlanhatModifyState;

/* Direct modification state */
typedef struct PlanhatDirectState
{
	PlanhatModifyState *fmstate;
	char	   *key_prefix;
	List	   *key_exprs;		/* one ExprState: the key */
	List	   *set_exprs;		/* ExprStates of the SET values */
	Datum		keyval;			/* the key's value, once evaluated */
	bool		set_processed;
	bool		done;
} PlanhatDirectState;

/*
 * Writes of the open transaction, per subtransaction level and resource,
 * not yet covered by a rollback warning.  In TopMemoryContext.
 */
typedef struct XactWrites
{
	int			level;			/* GetCurrentTransactionNestLevel() */
	const PlanhatResource *res;
	WriteTally	tally;			/* the counts of records only */
	bool		rolled_back;	/* its subtransaction was rolled back by
								 * ROLLBACK or ROLLBACK TO: warned about
								 * when that command is done */
} XactWrites;

/* What rolled the writes back, for the warning's wording */
typedef enum RollbackKind
{
	ROLLBACK_XACT,				/* the transaction was rolled back */
	ROLLBACK_SUBXACT,			/* a savepoint or an exception block */
	ROLLBACK_ERROR_XACT,		/* the error being raised aborts the
								 * transaction */
	ROLLBACK_ERROR_SUBXACT		/* ... the subtransaction it is raised in */
} RollbackKind;

static XactWrites *xact_writes = NULL;
static int	xact_nwrites = 0;
static int	xact_maxwrites = 0;
static bool xact_callbacks_registered = false;

/*
 * Set while a failed statement's error waits for the statement's end: no
 * write of this backend is sent until the (sub)transaction ends.
 */
static bool writes_stopped = false;

/* Writes sent per storage (planhat_resource_storage), for scan.c */
static uint64 storage_writes[PLANHAT_MAX_STORAGES];

static void planhatAddForeignUpdateTargets(PlannerInfo *root, Index rtindex,
										   RangeTblEntry *target_rte,
										   Relation target_relation);
static List *planhatPlanForeignModify(PlannerInfo *root, ModifyTable *plan,
									  Index resultRelation, int subplan_index);
static void planhatBeginForeignModify(ModifyTableState *mtstate,
									  ResultRelInfo *rinfo, List *fdw_private,
									  int subplan_index, int eflags);
static TupleTableSlot *planhatExecForeignInsert(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static TupleTableSlot **planhatExecForeignBatchInsert(EState *estate,
													  ResultRelInfo *rinfo,
													  TupleTableSlot **slots,
													  TupleTableSlot **planSlots,
													  int *numSlots);
static int	planhatGetForeignModifyBatchSize(ResultRelInfo *rinfo);
static TupleTableSlot *planhatExecForeignUpdate(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static TupleTableSlot *planhatExecForeignDelete(EState *estate,
												ResultRelInfo *rinfo,
												TupleTableSlot *slot,
												TupleTableSlot *planSlot);
static void planhatEndForeignModify(EState *estate, ResultRelInfo *rinfo);
static void planhatBeginForeignInsert(ModifyTableState *mtstate,
									  ResultRelInfo *rinfo);
static void planhatEndForeignInsert(EState *estate, ResultRelInfo *rinfo);
static int	planhatIsForeignRelUpdatable(Relation rel);
static void planhatExplainForeignModify(ModifyTableState *mtstate,
										ResultRelInfo *rinfo,
										List *fdw_private, int subplan_index,
										ExplainState *es);
static bool planhatPlanDirectModify(PlannerInfo *root, ModifyTable *plan,
									Index resultRelation, int subplan_index);
static void planhatBeginDirectModify(ForeignScanState *node, int eflags);
static TupleTableSlot *planhatIterateDirectModify(ForeignScanState *node);
static void planhatEndDirectModify(ForeignScanState *node);
static void planhatExplainDirectModify(ForeignScanState *node, ExplainState *es);
static void flush_pending(PlanhatModifyState *fmstate);
static bool collect_row(PlanhatModifyState *fmstate, TupleTableSlot *slot);
static void write_failed(PlanhatModifyState *fmstate, MemoryContext callercxt,
						 int64 first, int64 last, const char *keys);
static void raise_failure(PlanhatModifyState *fmstate);
static void note_writes(PlanhatModifyState *fmstate, const WriteTally *delta);
static void warn_rolled_back(int level, bool rolled_only, RollbackKind kind);
static void xact_callback(XactEvent event, void *arg);
static void subxact_callback(SubXactEvent event, SubTransactionId mySubid,
							 SubTransactionId parentSubid, void *arg);

/*
 * planhat_modify_routines
 *		Install the write callbacks into the FdwRoutine.
 */
void
planhat_modify_routines(FdwRoutine *routine)
{
	routine->AddForeignUpdateTargets = planhatAddForeignUpdateTargets;
	routine->PlanForeignModify = planhatPlanForeignModify;
	routine->BeginForeignModify = planhatBeginForeignModify;
	routine->ExecForeignInsert = planhatExecForeignInsert;
	routine->ExecForeignBatchInsert = planhatExecForeignBatchInsert;
	routine->GetForeignModifyBatchSize = planhatGetForeignModifyBatchSize;
	routine->ExecForeignUpdate = planhatExecForeignUpdate;
	routine->ExecForeignDelete = planhatExecForeignDelete;
	routine->EndForeignModify = planhatEndForeignModify;
	routine->BeginForeignInsert = planhatBeginForeignInsert;
	routine->EndForeignInsert = planhatEndForeignInsert;
	routine->IsForeignRelUpdatable = planhatIsForeignRelUpdatable;
	routine->ExplainForeignModify = planhatExplainForeignModify;
	routine->PlanDirectModify = planhatPlanDirectModify;
	routine->BeginDirectModify = planhatBeginDirectModify;
	routine->IterateDirectModify = planhatIterateDirectModify;
	routine->EndDirectModify = planhatEndDirectModify;
	routine->ExplainDirectModify = planhatExplainDirectModify;
}

/* ----------------------------------------------------------------
 *		plan time
 * ----------------------------------------------------------------
 */

/* The attnum of the column mapped to "_id", or InvalidAttrNumber */
static AttrNumber
id_attnum(Relation rel, const PlanhatResource *res)
{
	TupleDesc	tupdesc = RelationGetDescr(rel);
	int			i;

	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		char	   *alt;
		char	   *field;

		if (att->attisdropped)
			continue;
		field = planhat_column_field(RelationGetRelid(rel), att->attnum, res,
									 NameStr(att->attname), &alt);
		if (field && strcmp(field, "_id") == 0)
			return att->attnum;
	}
	return InvalidAttrNumber;
}

static const char *
verb_name(CmdType operation)
{
	switch (operation)
	{
		case CMD_INSERT:
			return "INSERT";
		case CMD_UPDATE:
			return "UPDATE";
		case CMD_DELETE:
			return "DELETE";
		default:
			return "this command";
	}
}

/*
 * check_write_allowed
 *		Refuse, at plan time, writes the resource does not offer or the
 *		options forbid.  batch_size decides how an INSERT would be sent.
 */
static void
check_write_allowed(PlanhatOptions *opts, CmdType operation,
					bool has_returning)
{
	const PlanhatResource *res = opts->resource;

	if (!opts->updatable)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("foreign table %s does not allow %s",
						opts->relname, verb_name(operation)),
				 errdetail("The option \"updatable\" of the table or of server \"%s\" is false.",
						   opts->servername),
				 errhint("Remove the option or set it to true to write to Planhat.")));

	if (res->verbs & PH_VERB_PUSH)
	{
		if (operation != CMD_INSERT)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("Planhat resource \"%s\" does not support %s",
							res->name, verb_name(operation)),
					 errdetail("The analytics API only receives data: rows can be inserted, never read, updated or deleted.")));
		if (has_returning)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("INSERT ... RETURNING is not supported on Planhat resource \"%s\"",
							res->name),
					 errdetail("The analytics API answers with counts, not with the stored rows.")));
		return;
	}

	switch (operation)
	{
		case CMD_INSERT:
			if (opts->batch_size > 1)
			{
				if (!(res->verbs & PH_VERB_BULK))
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("Planhat resource \"%s\" does not support bulk INSERT",
									res->name),
							 errdetail("Planhat offers no bulk upsert (PUT /%s) for this resource.",
									   res->path),
							 errhint("Set batch_size to 1 to create rows one by one with POST.")));
				if (has_returning)
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("INSERT ... RETURNING is not supported with batch_size %d on foreign table %s",
									opts->batch_size, opts->relname),
							 errdetail("Bulk upserts answer with keys and counts, not with the stored objects, and may update existing records."),
							 errhint("Set the table's batch_size to 1 to create rows one by one and get RETURNING.")));
			}
			else if (!(res->verbs & PH_VERB_CREATE))
			{
				if (res->verbs & PH_VERB_BULK)
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("Planhat resource \"%s\" does not support single INSERT",
									res->name),
							 errdetail("Planhat offers no POST /%s; rows can be written only through the bulk upsert.",
									   res->path),
							 errhint("Set a batch_size above 1, e.g. ALTER FOREIGN TABLE %s OPTIONS (ADD batch_size '500').",
									 opts->relname)));
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("Planhat resource \"%s\" does not support INSERT",
								res->name),
						 errdetail("Planhat offers no create for this resource; it is read only.")));
			}
			break;
		case CMD_UPDATE:
			if (!(res->verbs & PH_VERB_UPDATE))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("Planhat resource \"%s\" does not support UPDATE",
								res->name),
						 errdetail("Planhat documents no PUT /%s/<id> for this resource.",
								   res->path),
						 (res->verbs & PH_VERB_BULK) ?
						 errhint("Update through the bulk upsert instead: INSERT rows carrying the record's id with a batch_size above 1.") : 0));
			break;
		case CMD_DELETE:
			if (!(res->verbs & PH_VERB_DELETE))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("Planhat resource \"%s\" does not support DELETE",
								res->name),
						 errdetail("Planhat documents no DELETE /%s/<id> for this resource.",
								   res->path)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("planhat_fdw does not support this command on foreign table %s",
							opts->relname)));
	}
}

/*
 * check_no_on_conflict
 *		INSERT ... ON CONFLICT DO NOTHING reaches a foreign table (PostgreSQL
 *		itself refuses DO UPDATE and conflict targets there).  Planhat cannot
 *		honour it exactly: a POST of a duplicate key is an error whose
 *		message does not reliably say so, and a bulk upsert updates the
 *		record it matches, the opposite of "nothing".  Refused before
 *		anything is sent.
 */
static void
check_no_on_conflict(PlanhatOptions *opts, OnConflictAction action)
{
	if (action == ONCONFLICT_NONE)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("INSERT with an ON CONFLICT clause is not supported on foreign table %s",
					opts->relname),
			 errdetail("Planhat cannot skip a row that matches an existing record: a single create fails on a duplicate key and a bulk upsert updates the record it matches."),
			 errhint("To create rows or update the records they match, leave out ON CONFLICT and set a batch_size above 1 (a bulk upsert), with a key such as external_id in every row.")));
}

/*
 * planhatIsForeignRelUpdatable
 *		Report every command as possible; PlanForeignModify refuses what the
 *		resource lacks with an error that says why (PostgreSQL's own error
 *		would only say the table is not updatable).
 */
static int
planhatIsForeignRelUpdatable(Relation rel)
{
	return (1 << CMD_INSERT) | (1 << CMD_UPDATE) | (1 << CMD_DELETE);
}

/*
 * planhatAddForeignUpdateTargets
 *		UPDATE and DELETE identify rows by the column mapped to "_id".
 */
static void
planhatAddForeignUpdateTargets(PlannerInfo *root, Index rtindex,
							   RangeTblEntry *target_rte,
							   Relation target_relation)
{
	PlanhatOptions *opts = planhat_get_options(RelationGetRelid(target_relation),
											   InvalidOid);
	AttrNumber	attno = id_attnum(target_relation, opts->resource);
	Form_pg_attribute att;
	Var		   *var;

	/* a write the table refuses anyway says so, not that it lacks an id */
	check_write_allowed(opts, root->parse->commandType, false);
	if (attno == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot update or delete rows of foreign table %s",
						opts->relname),
				 errdetail("The table has no column for the Planhat field \"_id\", so rows cannot be identified."),
				 errhint("Add a column \"id text\" (or any text column with OPTIONS (field '_id')).")));

	att = TupleDescAttr(RelationGetDescr(target_relation), attno - 1);
	var = makeVar(rtindex, attno, att->atttypid, att->atttypmod,
				  att->attcollation, 0);
	add_row_identity_var(root, var, rtindex, PLANHAT_ROWID_NAME);
}

/*
 * Attribute numbers of the columns 'exprs' use of relation varno (every
 * column for a whole-row reference), appended to *attrs without repeats.
 */
static List *
add_used_attrs(List *attrs, Node *exprs, Index varno, int natts)
{
	Bitmapset  *used = NULL;
	int			i;

	pull_varattnos(exprs, varno, &used);
	for (i = 1; i <= natts; i++)
	{
		if ((bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, used) ||
			 bms_is_member(i - FirstLowInvalidHeapAttributeNumber, used)) &&
			!list_member_int(attrs, i))
			attrs = lappend_int(attrs, i);
	}
	return attrs;
}

/*
 * planhatPlanForeignModify
 *		Check the command against the resource and note the columns to send
 *		and to return.
 */
static List *
planhatPlanForeignModify(PlannerInfo *root, ModifyTable *plan,
						 Index resultRelation, int subplan_index)
{
	CmdType		operation = plan->operation;
	RangeTblEntry *rte = planner_rt_fetch(resultRelation, root);
	PlanhatOptions *opts = planhat_get_options(rte->relid, InvalidOid);
	List	   *target_attrs = NIL;
	List	   *returning_attrs = NIL;
	bool		has_returning = (plan->returningLists != NIL);
	Relation	rel;

	check_write_allowed(opts, operation, has_returning);
	check_no_on_conflict(opts, plan->onConflictAction);

	rel = table_open(rte->relid, NoLock);
	if (operation == CMD_INSERT)
	{
		/* only the columns the statement supplies (or defaults) */
		ListCell   *lc;

		foreach(lc, root->parse->targetList)
		{
			TargetEntry *tle = lfirst_node(TargetEntry, lc);

			if (!tle->resjunk && tle->resno > 0)
				target_attrs = lappend_int(target_attrs, tle->resno);
		}
	}
	else if (operation == CMD_UPDATE)
	{
		RelOptInfo *baserel = find_base_rel(root, resultRelation);
		Bitmapset  *cols = get_rel_all_updated_cols(root, baserel);
		int			col = -1;

		while ((col = bms_next_member(cols, col)) >= 0)
		{
			AttrNumber	attno = col + FirstLowInvalidHeapAttributeNumber;

			if (attno <= InvalidAttrNumber)
				elog(ERROR, "system-column update is not supported");
			target_attrs = lappend_int(target_attrs, attno);
		}
	}

	if (has_returning)
	{
		int			natts = RelationGetDescr(rel)->natts;

		returning_attrs = add_used_attrs(NIL,
										 (Node *) list_nth(plan->returningLists,
														   subplan_index),
										 resultRelation, natts);

		/*
		 * PostgreSQL checks a view's WITH CHECK OPTION again on the row this
		 * returns, which RETURNING fills from Planhat's answer: the columns
		 * the check uses must be filled too.
		 */
		if (plan->withCheckOptionLists)
			returning_attrs = add_used_attrs(returning_attrs,
											 (Node *) list_nth(plan->withCheckOptionLists,
															   subplan_index),
											 resultRelation, natts);
	}
	table_close(rel, NoLock);

	return list_make3(target_attrs, returning_attrs,
					  makeInteger(has_returning ? 1 : 0));
}

/*
 * is_planhat_table
 *		Is relid a foreign table of this wrapper?
 */
static bool
is_planhat_table(Oid relid)
{
	FdwRoutine *routine;

	if (get_rel_relkind(relid) != RELKIND_FOREIGN_TABLE)
		return false;
	routine = GetFdwRoutineByRelId(relid);
	return routine->BeginForeignModify == planhatBeginForeignModify;
}

/*
 * Fold into *result what writing into table relid (and, for a parent,
 * its partitions and children) means for a scan of 'res'.
 */
static void
target_writes(Oid relid, bool inh, const PlanhatResource *res,
			  PlanhatWrites *result)
{
	List	   *relids;
	ListCell   *lc;

	if (inh)
		relids = find_all_inheritors(relid, NoLock, NULL);
	else
		relids = list_make1_oid(relid);

	foreach(lc, relids)
	{
		Oid			child = lfirst_oid(lc);
		PlanhatOptions *opts;

		if (!is_planhat_table(child))
			continue;
		opts = planhat_get_options(child, InvalidOid);
		if (res != NULL &&
			strcmp(planhat_resource_storage(opts->resource),
				   planhat_resource_storage(res)) == 0)
			*result = PH_WRITES_SAME;
		else if (*result == PH_WRITES_NONE)
			*result = PH_WRITES_OTHER;
	}
}

/* The table a modifying Query writes to, folded into *result */
static void
query_writes(Query *query, const PlanhatResource *res, PlanhatWrites *result)
{
	RangeTblEntry *rte;

	if ((query->commandType != CMD_INSERT &&
		 query->commandType != CMD_UPDATE &&
		 query->commandType != CMD_DELETE) ||
		query->resultRelation <= 0)
		return;
	rte = rt_fetch(query->resultRelation, query->rtable);
	if (rte->rtekind == RTE_RELATION)
		target_writes(rte->relid, rte->inh ||
					  get_rel_relkind(rte->relid) == RELKIND_PARTITIONED_TABLE,
					  res, result);
}

/*
 * planhat_plan_writes
 *		At plan time, for a scan of 'res' (or of nothing, NULL): does the
 *		statement being planned write to Planhat, and to the records 'res'
 *		lists?
 *
 * The statement is the top of the planner's query stack: subqueries, CTEs
 * and views are planned inside it.  Its writes are the target of the top
 * query and of its data-modifying CTEs (PostgreSQL allows those only at the
 * top level), with the partitions and inheritance children of a parent
 * table.  Two resources are the same when they share storage (tickets are
 * conversations), whatever server or table reaches them: another server
 * may point at the same tenant.  Writes hidden in functions or triggers
 * cannot be seen here (scan.c's guard catches their effect).
 */
PlanhatWrites
planhat_plan_writes(PlannerInfo *root, const PlanhatResource *res)
{
	PlannerInfo *top = root;
	PlanhatWrites result = PH_WRITES_NONE;
	ListCell   *lc;

	while (top->parent_root != NULL)
		top = top->parent_root;

	query_writes(top->parse, res, &result);
	foreach(lc, top->parse->cteList)
	{
		CommonTableExpr *cte = lfirst_node(CommonTableExpr, lc);

		if (IsA(cte->ctequery, Query))
			query_writes((Query *) cte->ctequery, res, &result);
	}
	return result;
}

/*
 * storage_index
 *		The catalog position of the resource whose records 'res' holds.
 */
static int
storage_index(const PlanhatResource *res)
{
	const char *storage = planhat_resource_storage(res);
	const PlanhatResource *r;
	int			i;

	for (i = 0; (r = planhat_resource_at(i)) != NULL; i++)
	{
		if (strcmp(r->name, storage) == 0)
			return i < PLANHAT_MAX_STORAGES ? i : -1;
	}
	return -1;
}

/*
 * planhat_storage_writes
 *		How many writes this backend has sent to the records 'res' lists:
 *		a scan that sees the number change between two pages knows that the
 *		offsets it pages by have moved.
 */
uint64
planhat_storage_writes(const PlanhatResource *res)
{
	int			i = storage_index(res);

	return i >= 0 ? storage_writes[i] : 0;
}

/* Count one write about to be sent to res's records (scan.c's guard) */
static void
write_sending(const PlanhatResource *res)
{
	int			i = storage_index(res);

	if (i >= 0)
		storage_writes[i]++;
}

/* ----------------------------------------------------------------
 *		execution: set-up
 * ----------------------------------------------------------------
 */
static PlanhatModifyState *
create_modify_state(Relation rel, ResultRelInfo *rinfo, EState *estate,
					CmdType operation, List *target_attrs,
					List *returning_attrs, bool has_returning, Oid userid)
{
	PlanhatModifyState *fmstate = palloc0(sizeof(PlanhatModifyState));

	fmstate->rel = rel;
	fmstate->rinfo = rinfo;
	fmstate->estate = estate;
	fmstate->operation = operation;
	fmstate->opts = planhat_get_options(RelationGetRelid(rel), userid);
	fmstate->is_push = (fmstate->opts->resource->verbs & PH_VERB_PUSH) != 0;
	fmstate->has_returning = has_returning;
	fmstate->target_map = planhat_make_column_map(rel, fmstate->opts, target_attrs);
	fmstate->returning_map = planhat_make_column_map(rel, fmstate->opts,
													 returning_attrs);
	fmstate->batch_size = fmstate->opts->batch_size;
	if (fmstate->is_push && !fmstate->opts->batch_size_set)
		fmstate->batch_size = PLANHAT_PUSH_BATCH;
	if (fmstate->is_push && fmstate->opts->tenant_token == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
				 errmsg("user mapping for server \"%s\" has no option \"tenant_token\"",
						fmstate->opts->servername),
				 errdetail("Foreign table %s pushes to the Planhat analytics API, which is addressed by the tenant token.",
						   fmstate->opts->relname),
				 errhint("ALTER USER MAPPING FOR CURRENT_USER SERVER %s OPTIONS (ADD tenant_token '...'); Planhat shows it in the Developer module.",
						 quote_identifier(fmstate->opts->servername))));
	fmstate->conn = planhat_get_connection(fmstate->opts);
	fmstate->cxt = estate->es_query_cxt;
	fmstate->temp_cxt = AllocSetContextCreate(estate->es_query_cxt,
											  "planhat_fdw modify",
											  ALLOCSET_DEFAULT_SIZES);
	fmstate->all_keyed = true;

	if (!xact_callbacks_registered)
	{
		RegisterXactCallback(xact_callback, NULL);
		RegisterSubXactCallback(subxact_callback, NULL);
		xact_callbacks_registered = true;
	}
	return fmstate;
}

/*
 * planhatBeginForeignModify
 *		Set up the state of INSERT, UPDATE or DELETE.
 */
static void
planhatBeginForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
						  List *fdw_private, int subplan_index, int eflags)
{
	EState	   *estate = mtstate->ps.state;
	Oid			userid = ph_result_rel_user(rinfo, estate);
	PlanhatModifyState *fmstate;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	fmstate = create_modify_state(rinfo->ri_RelationDesc, rinfo, estate,
								  mtstate->operation,
								  (List *) list_nth(fdw_private, FdwModifyPrivateTargetAttrs),
								  (List *) list_nth(fdw_private, FdwModifyPrivateReturningAttrs),
								  intVal(list_nth(fdw_private, FdwModifyPrivateHasReturning)) != 0,
								  userid);
	if (mtstate->operation == CMD_UPDATE || mtstate->operation == CMD_DELETE)
	{
		Plan	   *subplan = outerPlanState(mtstate)->plan;

		fmstate->rowid_attno = ExecFindJunkAttributeInTlist(subplan->targetlist,
															PLANHAT_ROWID_NAME);
		if (!AttributeNumberIsValid(fmstate->rowid_attno))
			elog(ERROR, "could not find junk column \"%s\"", PLANHAT_ROWID_NAME);
	}
	rinfo->ri_FdwState = fmstate;
}

/*
 * planhatBeginForeignInsert
 *		COPY FROM and tuple routing into a foreign partition: every column
 *		that is not NULL is sent (there is no column list to go by).
 */
static void
planhatBeginForeignInsert(ModifyTableState *mtstate, ResultRelInfo *rinfo)
{
	Relation	rel = rinfo->ri_RelationDesc;
	PlanhatOptions *opts = planhat_get_options(RelationGetRelid(rel), InvalidOid);
	ModifyTable *plan = mtstate ? (ModifyTable *) mtstate->ps.plan : NULL;
	PlanhatModifyState *fmstate;
	List	   *attrs = NIL;
	int			i;

	check_write_allowed(opts, CMD_INSERT, rinfo->ri_projectReturning != NULL);
	if (plan != NULL)
		check_no_on_conflict(opts, plan->onConflictAction);
	for (i = 1; i <= RelationGetDescr(rel)->natts; i++)
	{
		if (!TupleDescAttr(RelationGetDescr(rel), i - 1)->attisdropped)
			attrs = lappend_int(attrs, i);
	}
	fmstate = create_modify_state(rel, rinfo, mtstate->ps.state, CMD_INSERT,
								  attrs,
								  rinfo->ri_projectReturning ? attrs : NIL,
								  rinfo->ri_projectReturning != NULL,
								  GetUserId());
	fmstate->nonnull_only = true;
	/* without RETURNING, rows can be collected into batches (COPY) */
	if (rinfo->ri_projectReturning == NULL)
		fmstate->pending_cxt = AllocSetContextCreate(mtstate->ps.state->es_query_cxt,
													 "planhat_fdw pending batch",
													 ALLOCSET_DEFAULT_SIZES);
	rinfo->ri_FdwState = fmstate;
}

/*
 * planhatEndForeignInsert
 *		Send what COPY left in the last batch.
 */
static void
planhatEndForeignInsert(EState *estate, ResultRelInfo *rinfo)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;

	if (fmstate && fmstate->pending_cxt)
		flush_pending(fmstate);
	planhatEndForeignModify(estate, rinfo);
}

/*
 * planhatGetForeignModifyBatchSize
 *		Rows per ExecForeignBatchInsert call.
 */
static int
planhatGetForeignModifyBatchSize(ResultRelInfo *rinfo)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;
	int			batch;

	if (fmstate == NULL)
	{
		PlanhatOptions *opts = planhat_get_options(RelationGetRelid(rinfo->ri_RelationDesc),
												   InvalidOid);

		batch = opts->batch_size;
		if ((opts->resource->verbs & PH_VERB_PUSH) && !opts->batch_size_set)
			batch = PLANHAT_PUSH_BATCH;
	}
	else
		batch = fmstate->batch_size;

	/* as postgres_fdw: no batching with RETURNING, WITH CHECK or row triggers */
	if (rinfo->ri_projectReturning != NULL ||
		rinfo->ri_WithCheckOptions != NIL ||
		(rinfo->ri_TrigDesc &&
		 (rinfo->ri_TrigDesc->trig_insert_before_row ||
		  rinfo->ri_TrigDesc->trig_insert_after_row)))
		return 1;
	return Max(batch, 1);
}

/* ----------------------------------------------------------------
 *		what a statement did, and what its errors say
 * ----------------------------------------------------------------
 */

/* dst += src */
static void
tally_add(WriteTally *dst, const WriteTally *src)
{
	dst->rows += src->rows;
	dst->created += src->created;
	dst->updated += src->updated;
	dst->unchanged += src->unchanged;
	dst->upserted += src->upserted;
	dst->deleted += src->deleted;
	dst->missing += src->missing;
	dst->pushed += src->pushed;
	dst->maybe_created += src->maybe_created;
	dst->maybe_updated += src->maybe_updated;
	dst->maybe_deleted += src->maybe_deleted;
	dst->maybe_pushed += src->maybe_pushed;
	dst->not_sent += src->not_sent;
}

/* Did Planhat keep anything, or may it have? */
static bool
tally_wrote(const WriteTally *t)
{
	return t->created + t->updated + t->upserted + t->deleted + t->pushed +
		t->maybe_created + t->maybe_updated + t->maybe_deleted +
		t->maybe_pushed > 0;
}

/* Append "what n" to a comma-separated list, when n is not zero */
static void
append_count(StringInfo buf, const char *what, int64 n)
{
	if (n > 0)
		appendStringInfo(buf, "%s%s " INT64_FORMAT, buf->len > 0 ? ", " : "",
						 what, n);
}

/*
 * "created 2, updated 1" etc.: the non-zero record counts of a tally, or
 * NULL when there are none.
 */
static char *
tally_records(const WriteTally *t)
{
	StringInfoData buf;

	initStringInfo(&buf);
	append_count(&buf, "created", t->created);
	append_count(&buf, "updated", t->updated);
	append_count(&buf, "created or updated", t->upserted);
	append_count(&buf, "deleted", t->deleted);
	append_count(&buf, "pushed", t->pushed);
	append_count(&buf, "perhaps created", t->maybe_created);
	append_count(&buf, "perhaps updated", t->maybe_updated);
	append_count(&buf, "perhaps deleted", t->maybe_deleted);
	append_count(&buf, "perhaps pushed", t->maybe_pushed);
	return buf.len > 0 ? buf.data : NULL;
}

/* Is this result relation written by planhat_fdw (not a direct one)? */
static PlanhatModifyState *
our_state(ResultRelInfo *rinfo)
{
	if (rinfo->ri_FdwRoutine == NULL ||
		rinfo->ri_FdwRoutine->BeginForeignModify != planhatBeginForeignModify)
		return NULL;
	return (PlanhatModifyState *) rinfo->ri_FdwState;
}

/*
 * statement_tally
 *		What the whole statement did to Planhat: every planhat_fdw table it
 *		writes (a statement may write several, through CTEs or partitions).
 *		per_table gets "companies: created 2; endusers: deleted 1" when more
 *		than one table wrote.
 */
static void
statement_tally(EState *estate, WriteTally *sum, StringInfo per_table)
{
	List	   *lists[2];
	int			nwrote = 0;
	int			k;

	memset(sum, 0, sizeof(WriteTally));
	lists[0] = estate->es_opened_result_relations;
	lists[1] = estate->es_tuple_routing_result_relations;
	for (k = 0; k < 2; k++)
	{
		ListCell   *lc;

		foreach(lc, lists[k])
		{
			PlanhatModifyState *fm = our_state((ResultRelInfo *) lfirst(lc));
			char	   *records;

			if (fm == NULL)
				continue;
			tally_add(sum, &fm->tally);
			records = tally_records(&fm->tally);
			if (records != NULL)
			{
				appendStringInfo(per_table, "%s%s: %s", nwrote > 0 ? "; " : "",
								 fm->opts->relname, records);
				nwrote++;
			}
		}
	}
	if (nwrote < 2)
		resetStringInfo(per_table);
}

/* "row 4" or "rows 3 to 4" */
static char *
rows_text(int64 first, int64 last)
{
	if (first == last)
		return psprintf("row " INT64_FORMAT, first);
	return psprintf("rows " INT64_FORMAT " to " INT64_FORMAT, first, last);
}

/*
 * The paragraph added to the detail: the failed request's rows, what the
 * whole statement wrote, what it did not send.  'ended' says whether the
 * statement ran to its end (deferred failure: the rows not sent are
 * counted) or stops here (the rows after this one are not known).
 */
static char *
statement_detail(PlanhatModifyState *fmstate, const WriteTally *sum,
				 const char *per_table, bool ended)
{
	StringInfoData buf;
	char	   *records = tally_records(sum);
	int64		nfailed = fmstate->failed_last - fmstate->failed_first + 1;

	initStringInfo(&buf);
	if (nfailed == 1)
		appendStringInfo(&buf, "Row " INT64_FORMAT, fmstate->failed_first);
	else
		appendStringInfo(&buf, "The batch of rows " INT64_FORMAT " to " INT64_FORMAT,
						 fmstate->failed_first, fmstate->failed_last);
	if (ended)
		appendStringInfo(&buf, " of " INT64_FORMAT, fmstate->tally.rows);
	appendStringInfo(&buf, " for foreign table %s failed", fmstate->opts->relname);
	if (fmstate->failed_keys)
		appendStringInfo(&buf, " (%s)", fmstate->failed_keys);
	if (fmstate->failed_outcome == PH_OUTCOME_UNKNOWN)
		appendStringInfoString(&buf, nfailed == 1 ?
							   "; Planhat may have carried it out before the failure" :
							   "; Planhat may have carried out any of its items before the failure");
	appendStringInfoString(&buf, ".");

	if (records)
		appendStringInfo(&buf, "  Planhat keeps what the statement wrote: %s%s%s (not rolled back).",
						 records, per_table[0] ? "; by table: " : "", per_table);
	else
		appendStringInfoString(&buf, "  The statement wrote nothing to Planhat.");

	/* a statement of one request has no other rows to speak of */
	if (!ended)
		appendStringInfoString(&buf, "  The rows after it were not sent.");
	if (!ended && fmstate->npending == 1)
		appendStringInfoString(&buf, "  Nor was the row before it, which waited for its batch.");
	else if (!ended && fmstate->npending > 1)
		appendStringInfo(&buf, "  Nor were the %d rows before it that waited for their batch.",
						 fmstate->npending);
	else if (ended && sum->rows > nfailed)
		appendStringInfo(&buf, "  Not sent: " INT64_FORMAT " row%s after the failure.",
						 sum->not_sent, sum->not_sent == 1 ? "" : "s");
	return buf.data;
}

/* "_id, sourceId or externalId" from a catalog list "_id,sourceId,externalId" */
static char *
keys_text(const char *list)
{
	StringInfoData buf;
	const char *p;
	const char *last = strrchr(list, ',');

	initStringInfo(&buf);
	for (p = list; *p; p++)
	{
		if (*p != ',')
			appendStringInfoChar(&buf, *p);
		else
			appendStringInfoString(&buf, p == last ? " or " : ", ");
	}
	return buf.data;
}

/*
 * What to do next, such that following it never loses or duplicates data.
 */
static char *
statement_hint(PlanhatModifyState *fmstate, const WriteTally *sum)
{
	StringInfoData buf;
	const char *what = rows_text(fmstate->failed_first, fmstate->failed_last);
	bool		unknown = (fmstate->failed_outcome == PH_OUTCOME_UNKNOWN);

	initStringInfo(&buf);
	switch (fmstate->operation)
	{
		case CMD_INSERT:
			if (fmstate->is_push)
			{
				if (unknown)
					appendStringInfo(&buf, "Planhat may have received the items of %s: pushing them again could count them twice; check in Planhat first.",
									 what);
				else if (sum->pushed > 0)
					appendStringInfoString(&buf, "Push only the failed and unsent rows: the items already pushed would be counted twice.");
				break;
			}
			if (fmstate->batch_size > 1 && fmstate->all_keyed)
			{
				appendStringInfo(&buf, "Every row carries a key that the bulk upsert of \"%s\" matches on (%s): once the failed rows are fixed, running the whole statement again is safe, as the records already written are matched, not duplicated.",
								 fmstate->opts->resource->name,
								 keys_text(fmstate->opts->resource->bulk_keys));
				break;
			}
			if (unknown && fmstate->failed_first == fmstate->failed_last)
				appendStringInfo(&buf, "Planhat may have created the record of %s before the failure: look it up by %s before inserting that row again.",
								 what,
								 fmstate->failed_keys ? fmstate->failed_keys :
								 "its external id or source id (the row has neither: check by its other values)");
			else if (unknown)
				appendStringInfo(&buf, "Planhat may have created any of the records of %s before the failure: look them up by external id or source id before inserting them again.",
								 what);
			if (sum->created + sum->upserted > 0)
				appendStringInfo(&buf, "%sRunning the whole statement again would create the " INT64_FORMAT " record%s already created a second time: insert only the failed and unsent rows, after checking by external id or source id which ones Planhat has.",
								 buf.len > 0 ? "  " : "", sum->created + sum->upserted,
								 sum->created + sum->upserted == 1 ? "" : "s");
			break;
		case CMD_UPDATE:
			if (unknown)
				appendStringInfo(&buf, "Planhat may have updated the record of %s.  ", what);
			if (sum->updated > 0 || unknown)
				appendStringInfoString(&buf, "The records already updated keep their new values; running the statement again updates them again, which is harmless unless SET computes from the current values (x = x + 1) or adds to an array.");
			break;
		case CMD_DELETE:
			if (unknown)
				appendStringInfo(&buf, "Planhat may have deleted the record of %s.  ", what);
			if (sum->deleted > 0 || unknown)
				appendStringInfoString(&buf, "Running the statement again is safe: the records already deleted no longer match.");
			break;
		default:
			break;
	}
	return buf.len > 0 ? buf.data : NULL;
}

/*
 * complete_error
 *		Add the statement's story to an error raised after it began: the
 *		detail gets what was written and not sent, the hint what is safe.
 *		An error raised before anything was written, certainly not carried
 *		out and with nothing left unsent is left as it is.
 */
static void
complete_error(PlanhatModifyState *fmstate, ErrorData *edata, bool ended)
{
	WriteTally	sum;
	StringInfoData per_table;
	char	   *hint;

	initStringInfo(&per_table);
	statement_tally(fmstate->estate, &sum, &per_table);
	if (!tally_wrote(&sum) && fmstate->failed_outcome != PH_OUTCOME_UNKNOWN &&
		(!ended || sum.not_sent == 0))
		return;

	edata->detail = edata->detail ?
		psprintf("%s\n%s", edata->detail,
				 statement_detail(fmstate, &sum, per_table.data, ended)) :
		statement_detail(fmstate, &sum, per_table.data, ended);

	/*
	 * A hint on how to fix the failure (token permissions, an option) stays
	 * first; a hint about the request's outcome (timeout_ms, fetch_size) is
	 * replaced when the outcome is unknown.
	 */
	hint = statement_hint(fmstate, &sum);
	if (hint != NULL)
		edata->hint = (edata->hint && fmstate->failed_outcome != PH_OUTCOME_UNKNOWN) ?
			psprintf("%s  %s", edata->hint, hint) : hint;
}

/*
 * warn_before_error
 *		An error rolls back at least the (sub)transaction it is raised in:
 *		warn about the writes made there now, before the error, rather than
 *		from the abort callbacks, after it.
 */
static void
warn_before_error(void)
{
	int			level = GetCurrentTransactionNestLevel();

	warn_rolled_back(level, false,
					 level > 1 ? ROLLBACK_ERROR_SUBXACT : ROLLBACK_ERROR_XACT);
}

/*
 * write_failed
 *		Called in PG_CATCH around one row's or one batch's work (rows first
 *		to last of this table).  A failed exchange with Planhat is kept and
 *		raised when the statement ends, when the rows not sent are known;
 *		meanwhile no write of the backend is sent.  Anything else (a WITH
 *		CHECK OPTION, a conversion error, a cancel) is completed and raised
 *		at once: evaluating other code after it without a subtransaction
 *		would not be safe.
 */
static void
write_failed(PlanhatModifyState *fmstate, MemoryContext callercxt,
			 int64 first, int64 last, const char *keys)
{
	ErrorData  *edata;
	PlanhatOutcome outcome = fmstate->outcome;
	bool		planhat_failed = (outcome != PH_OUTCOME_NONE);

	MemoryContextSwitchTo(fmstate->cxt);
	edata = CopyErrorData();
	FlushErrorState();

	/* interrupted during its request (a cancel): it may have been received */
	if (!planhat_failed && fmstate->in_flight)
		outcome = PH_OUTCOME_UNKNOWN;
	fmstate->in_flight = false;

	fmstate->failed_first = first;
	fmstate->failed_last = last;
	fmstate->failed_keys = keys ? pstrdup(keys) : NULL;
	fmstate->failed_outcome = outcome;

	if (outcome == PH_OUTCOME_UNKNOWN && fmstate->failed_method == PH_GET)
	{
		/* DELETE ... RETURNING's read failed: the DELETE was not sent */
		fmstate->failed_outcome = PH_OUTCOME_NOT_SENT;
	}
	else if (outcome == PH_OUTCOME_UNKNOWN)
	{
		/* a request that may have been carried out */
		WriteTally	delta;
		int64		n = fmstate->unsure_items >= 0 ? fmstate->unsure_items :
			last - first + 1;

		memset(&delta, 0, sizeof(delta));
		if (fmstate->is_push)
			delta.maybe_pushed = n;
		else if (fmstate->operation == CMD_INSERT)
			delta.maybe_created = n;
		else if (fmstate->operation == CMD_UPDATE)
			delta.maybe_updated = n;
		else
			delta.maybe_deleted = n;
		note_writes(fmstate, &delta);
	}

	if (!planhat_failed || edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
	{
		complete_error(fmstate, edata, false);
		warn_before_error();
		ReThrowError(edata);
	}

	fmstate->failure = edata;
	writes_stopped = true;
	MemoryContextSwitchTo(callercxt);
}

/*
 * raise_failure
 *		At the end of the statement: the kept failure, completed.
 */
static void
raise_failure(PlanhatModifyState *fmstate)
{
	ErrorData  *edata = fmstate->failure;

	if (edata == NULL)
		return;
	fmstate->failure = NULL;
	writes_stopped = false;
	complete_error(fmstate, edata, true);
	warn_before_error();
	ReThrowError(edata);
}

/*
 * A row handed over after a failure stopped the writes: counted, not
 * sent, not returned.
 */
static bool
row_not_sent(PlanhatModifyState *fmstate, int n)
{
	if (!writes_stopped)
		return false;
	fmstate->tally.rows += n;
	fmstate->tally.not_sent += n;
	return true;
}

/*
 * note_writes
 *		Count records written (or perhaps written) by one request: in the
 *		statement's tally and in the transaction's, for the rollback
 *		warnings.
 */
static void
note_writes(PlanhatModifyState *fmstate, const WriteTally *delta)
{
	int			level = GetCurrentTransactionNestLevel();
	XactWrites *w = NULL;
	int			i;

	tally_add(&fmstate->tally, delta);
	if (!tally_wrote(delta))
		return;

	for (i = 0; i < xact_nwrites; i++)
	{
		if (xact_writes[i].level == level && !xact_writes[i].rolled_back &&
			xact_writes[i].res == fmstate->opts->resource)
		{
			w = &xact_writes[i];
			break;
		}
	}
	if (w == NULL)
	{
		if (xact_nwrites == xact_maxwrites)
		{
			int			n = Max(xact_maxwrites * 2, 8);

			xact_writes = xact_writes ?
				repalloc(xact_writes, n * sizeof(XactWrites)) :
				MemoryContextAlloc(TopMemoryContext, n * sizeof(XactWrites));
			xact_maxwrites = n;
		}
		w = &xact_writes[xact_nwrites++];
		memset(w, 0, sizeof(XactWrites));
		w->level = level;
		w->res = fmstate->opts->resource;
	}
	w->tally.created += delta->created;
	w->tally.updated += delta->updated;
	w->tally.upserted += delta->upserted;
	w->tally.deleted += delta->deleted;
	w->tally.pushed += delta->pushed;
	w->tally.maybe_created += delta->maybe_created;
	w->tally.maybe_updated += delta->maybe_updated;
	w->tally.maybe_deleted += delta->maybe_deleted;
	w->tally.maybe_pushed += delta->maybe_pushed;
}

/*
 * The keys a row is known by, for messages: 'external_id "x"' and the
 * like, from the columns sent; NULL when it carries none.
 */
static char *
row_keys(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	PlanhatColumnMap *map = fmstate->target_map;
	const PlanhatResource *res = fmstate->opts->resource;
	StringInfoData buf;
	int			k;

	initStringInfo(&buf);
	for (k = 0; k < map->ncolumns; k++)
	{
		PlanhatColumn *col = &map->columns[k];
		Oid			outfunc;
		bool		isvarlena;
		char	   *value;

		if (col->field == NULL || slot->tts_isnull[col->attnum - 1])
			continue;
		if (strcmp(col->field, "_id") != 0 &&
			strcmp(col->field, "sourceId") != 0 &&
			!(res->external_id_field &&
			  strcmp(col->field, res->external_id_field) == 0) &&
			!planhat_bulk_key(res, col->field))
			continue;
		getTypeOutputInfo(col->typid, &outfunc, &isvarlena);
		value = OidOutputFunctionCall(outfunc, slot->tts_values[col->attnum - 1]);
		appendStringInfo(&buf, "%s%s \"%s\"", buf.len > 0 ? ", " : "",
						 col->attname, value);
	}
	return buf.len > 0 ? buf.data : NULL;
}

/* ----------------------------------------------------------------
 *		execution: sending
 * ----------------------------------------------------------------
 */

/*
 * Send one request of a write.  What write_failed() needs if it fails is
 * noted first: http.c records in fmstate->outcome (req->outcome) whether
 * Planhat may have acted on a request that failed, and an error that
 * interrupts the request otherwise (a cancel) finds in_flight set.
 */
static void
send_request(PlanhatModifyState *fmstate, PlanhatRequest *req,
			 PlanhatResponse *resp)
{
	fmstate->outcome = PH_OUTCOME_NONE;
	req->outcome = &fmstate->outcome;
	fmstate->failed_method = req->method;
	fmstate->unsure_items = -1;
	if (req->method != PH_GET)
		write_sending(fmstate->opts->resource);
	fmstate->in_flight = true;
	planhat_http_request(fmstate->conn, req, resp);
	fmstate->in_flight = false;
}

/* The columns to send for this row: all targets, or the non-NULL ones */
static bool *
send_flags(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	PlanhatColumnMap *map = fmstate->target_map;
	bool	   *send = palloc(sizeof(bool) * Max(map->ncolumns, 1));
	int			k;

	for (k = 0; k < map->ncolumns; k++)
		send[k] = !(fmstate->nonnull_only &&
					slot->tts_isnull[map->columns[k].attnum - 1]);
	return send;
}

/*
 * A view's WITH CHECK OPTION on the row about to be sent: a row the view
 * refuses never reaches Planhat.  (PostgreSQL checks the row again after
 * the write, as it does for every foreign table.)
 */
static void
check_view_options(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	ResultRelInfo *rinfo = fmstate->rinfo;

	if (rinfo != NULL && rinfo->ri_WithCheckOptions != NIL)
		ExecWithCheckOptions(WCO_VIEW_CHECK, rinfo, slot, fmstate->estate);
}

/* Fill the RETURNING columns of slot from an answer object */
static void
store_returning(PlanhatModifyState *fmstate, TupleTableSlot *slot,
				PlanhatResponse *resp, const char *what)
{
	PlanhatPage *page;
	TupleDesc	tupdesc = slot->tts_tupleDescriptor;

	page = planhat_parse_page(resp->body, resp->body_len, true,
							  fmstate->opts->relname, what,
							  fmstate->temp_cxt);
	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * tupdesc->natts);
	planhat_page_row(page, 0, fmstate->returning_map, slot->tts_values,
					 slot->tts_isnull);
	ExecStoreVirtualTuple(slot);
	/* the values must outlive the page: materialize into the slot */
	ExecMaterializeSlot(slot);
}

/* POST /<path> with one row; RETURNING from the answer */
static void
send_create(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	PlanhatRequest req;
	PlanhatResponse resp;
	WriteTally	delta;
	char	   *body;

	check_view_options(fmstate, slot);
	body = planhat_build_object(fmstate->target_map, slot->tts_values,
								slot->tts_isnull, send_flags(fmstate, slot));
	planhat_make_request(&req, fmstate->opts, PH_POST, fmstate->opts->url,
						 psprintf("/%s", fmstate->opts->resource->path));
	req.body = body;
	req.body_len = strlen(body);
	req.retry_safe = false;		/* a repeated create makes a duplicate */
	req.counters = &fmstate->counters;
	send_request(fmstate, &req, &resp);

	memset(&delta, 0, sizeof(delta));
	delta.created = 1;
	note_writes(fmstate, &delta);
	if (fmstate->has_returning)
		store_returning(fmstate, slot, &resp, req.display);
}

/*
 * One row's work (a RowWork), under guard_row.  Returns whether a record
 * was written (UPDATE and DELETE find none on 404).
 */
typedef bool (*RowWork) (PlanhatModifyState *fmstate, void *arg);

/*
 * guard_row
 *		Run one row's work with the failure guard: an error raised in it is
 *		handed to write_failed() with the row's number and keys.  Returns
 *		false when no record was written or the failure is kept for the end
 *		of the statement.
 */
static bool
guard_row(PlanhatModifyState *fmstate, RowWork work, void *arg)
{
	MemoryContext callercxt = CurrentMemoryContext;
	int64		row = ++fmstate->tally.rows;
	volatile bool found = false;

	fmstate->outcome = PH_OUTCOME_NONE;
	fmstate->row_keys = NULL;
	MemoryContextReset(fmstate->temp_cxt);
	PG_TRY();
	{
		MemoryContextSwitchTo(fmstate->temp_cxt);
		found = work(fmstate, arg);
		MemoryContextSwitchTo(callercxt);
	}
	PG_CATCH();
	{
		write_failed(fmstate, callercxt, row, row, fmstate->row_keys);
		found = false;
	}
	PG_END_TRY();
	return found;
}

/* The RowWork of a single INSERT: POST one row (arg: its slot) */
static bool
insert_work(PlanhatModifyState *fmstate, void *arg)
{
	TupleTableSlot *slot = (TupleTableSlot *) arg;

	slot_getallattrs(slot);
	fmstate->row_keys = row_keys(fmstate, slot);
	send_create(fmstate, slot);
	return true;
}

/*
 * planhatExecForeignInsert
 *		POST /<path> with the row.
 */
static TupleTableSlot *
planhatExecForeignInsert(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;

	/* COPY in batch mode: collect, send when the batch is full */
	if (fmstate->pending_cxt && (fmstate->batch_size > 1 || fmstate->is_push))
	{
		if (row_not_sent(fmstate, 1) || !collect_row(fmstate, slot))
			return NULL;
		return slot;
	}

	/* batch mode or analytics: a batch of one */
	if (fmstate->batch_size > 1 || fmstate->is_push)
	{
		int			one = 1;
		TupleTableSlot **slots;

		slots = planhatExecForeignBatchInsert(estate, rinfo, &slot, &planSlot, &one);
		return one > 0 ? slots[0] : NULL;
	}

	if (row_not_sent(fmstate, 1) || !guard_row(fmstate, insert_work, slot))
		return NULL;
	return slot;
}

/*
 * Does this object carry a key that the resource's bulk upsert matches
 * on, so that sending it twice updates what the first attempt created?
 * An empty string is no key: Planhat would create a new record.
 */
static bool
row_is_keyed(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	PlanhatColumnMap *map = fmstate->target_map;
	const PlanhatResource *res = fmstate->opts->resource;
	int			k;

	for (k = 0; k < map->ncolumns; k++)
	{
		PlanhatColumn *col = &map->columns[k];
		Datum		value;

		if (col->field == NULL || slot->tts_isnull[col->attnum - 1] ||
			!planhat_bulk_key(res, col->field))
			continue;
		value = slot->tts_values[col->attnum - 1];
		if ((col->typid == TEXTOID || col->typid == VARCHAROID ||
			 col->typid == BPCHAROID) &&
			VARSIZE_ANY_EXHDR(DatumGetPointer(value)) == 0)
			continue;
		return true;
	}
	return false;
}

/*
 * Report a bulk upsert or analytics push that Planhat did not fully
 * accept.  Nothing may pass silently: every item must be created, updated,
 * unchanged or listed as failed.  What Planhat did is counted first, so
 * that the statement's totals include it.
 */
static void
check_bulk_result(PlanhatModifyState *fmstate, PlanhatRequest *req,
				  PlanhatResponse *resp, int nitems)
{
	PlanhatBulkResult result;
	int64		accounted;
	WriteTally	delta;

	planhat_parse_bulk_result(resp->body, resp->body_len, &result);
	if (!result.valid)
		planhat_report_error(fmstate->conn, req, resp);

	memset(&delta, 0, sizeof(delta));
	if (fmstate->is_push)
		delta.pushed = Max(Min(result.processed, nitems) - result.nerrors, 0);
	else if (resp->unsure_attempts > 0)
	{
		/* the answer is the repeat's: the first attempt's creations count
		 * as updated or unchanged there */
		delta.upserted = result.created + result.updated + result.nonupdates;
	}
	else
	{
		delta.created = result.created;
		delta.updated = result.updated;
		delta.unchanged = result.nonupdates;
	}
	note_writes(fmstate, &delta);

	/*
	 * Analytics answers count every item received as processed (the
	 * reference's example: one failed item, "processed": 1); accept also a
	 * count of the successful ones only.
	 */
	if (fmstate->is_push)
		accounted = (result.processed == nitems) ? nitems :
			result.processed + result.nerrors;
	else
		accounted = result.created + result.updated + result.nonupdates +
			result.nerrors;

	if (result.nerrors > 0 || resp->status >= 300)
	{
		StringInfoData items;
		ListCell   *lc;
		int			n = 0;

		/* Planhat answered for its items: the failed ones were not written */
		fmstate->outcome = PH_OUTCOME_REFUSED;

		initStringInfo(&items);
		foreach(lc, result.error_lines)
		{
			if (n++ == PLANHAT_MAX_ERROR_ITEMS)
			{
				appendStringInfo(&items, "\n... and %d more",
								 list_length(result.error_lines) - PLANHAT_MAX_ERROR_ITEMS);
				break;
			}
			appendStringInfo(&items, "\n%s", (char *) lfirst(lc));
		}
		/* Planhat's item lines may echo a token */
		items.data = planhat_answer_text(req, items.data);
		if (items.data == NULL)
			items.data = " (not shown: the host is not in planhat_fdw.allowed_hosts)";
		items.len = strlen(items.data);
		if (fmstate->is_push)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_ERROR),
					 errmsg("Planhat rejected %d of %d items pushed to \"%s\"",
							result.nerrors, nitems, fmstate->opts->resource->name),
					 errdetail_internal("%s: Planhat reported " INT64_FORMAT " items processed and %d failed; what it stored is not rolled back.  Failed items:%s",
										req->display, result.processed, result.nerrors, items.data),
					 errhint("Fix the listed items.")));
		if (resp->status == 403)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied by Planhat for a bulk upsert to \"%s\"",
							fmstate->opts->resource->name),
					 errdetail_internal("%s answered HTTP 403: created " INT64_FORMAT ", updated " INT64_FORMAT ", unchanged " INT64_FORMAT ".  Failed items:%s",
										req->display, result.created,
										result.updated, result.nonupdates,
										items.len ? items.data : " (Planhat listed none)"),
					 errhint("Check the permissions of the service account (private app) whose api_token the user mapping for server \"%s\" uses; a read-only token cannot write.",
							 fmstate->opts->servername)));
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat rejected %d of %d items in a bulk upsert to \"%s\"",
						Max(result.nerrors, nitems - (int) (result.created + result.updated + result.nonupdates)),
						nitems, fmstate->opts->resource->name),
				 errdetail_internal("%s answered HTTP %ld: created " INT64_FORMAT ", updated " INT64_FORMAT ", unchanged " INT64_FORMAT ".  Failed items:%s",
									req->display, resp->status, result.created,
									result.updated, result.nonupdates,
									items.len ? items.data : " (Planhat listed none)"),
				 errhint("Fix the listed items.")));
	}
	if (accounted != nitems)
	{
		/* the items Planhat did not mention may or may not be stored */
		fmstate->outcome = PH_OUTCOME_UNKNOWN;
		fmstate->unsure_items = Max(nitems - accounted, 0);
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat accounted for " INT64_FORMAT " of %d items sent to \"%s\"",
						accounted, nitems, fmstate->opts->resource->name),
				 errdetail_internal("%s answered: created " INT64_FORMAT ", updated " INT64_FORMAT ", unchanged " INT64_FORMAT ", processed " INT64_FORMAT ", failed %d.",
									req->display, result.created, result.updated,
									result.nonupdates, result.processed, result.nerrors),
				 errhint("Compare the table with Planhat: some rows may not have been stored.")));
	}
}

/*
 * Send one bulk upsert (or analytics push) whose JSON array body holds
 * nitems objects, and check Planhat's per-item answer.
 */
static void
send_batch(PlanhatModifyState *fmstate, const char *body, size_t body_len,
		   int nitems, bool keyed)
{
	PlanhatOptions *opts = fmstate->opts;
	PlanhatRequest req;
	PlanhatResponse resp;

	if (fmstate->is_push)
	{
		/* the tenant token is a secret: shown as *** */
		planhat_make_request(&req, opts, PH_POST, opts->analytics_url,
							 psprintf("/%s/%s", opts->resource->path,
									  planhat_escape(opts->tenant_token, -1)));
		req.display = psprintf("POST /%s/***", opts->resource->path);
		req.send_token = false;
		req.retry_safe = false;
	}
	else
	{
		planhat_make_request(&req, opts, PH_PUT, opts->url,
							 psprintf("/%s", opts->resource->path));

		/*
		 * Repeating a batch updates what the first attempt created only when
		 * every item carries a key this resource's bulk upsert matches on.
		 */
		req.retry_safe = keyed;
		req.ok_flags = PH_HTTP_OK_BULK;
		/* the counts must be the first attempt's unless we know better */
		req.fresh_connection = true;
	}
	req.body = body;
	req.body_len = body_len;
	req.counters = &fmstate->counters;
	send_request(fmstate, &req, &resp);
	check_bulk_result(fmstate, &req, &resp, nitems);
}

/*
 * The JSON array body of a bulk upsert or push of n rows, after checking
 * each against a view's WITH CHECK OPTION; *keyed says whether every row
 * carries a key the bulk upsert matches on.
 */
static void
build_batch(PlanhatModifyState *fmstate, TupleTableSlot **slots, int n,
			StringInfo body, bool *keyed)
{
	int			i;

	*keyed = true;
	initStringInfo(body);
	planhat_json_array_begin(body);
	for (i = 0; i < n; i++)
	{
		slot_getallattrs(slots[i]);
		check_view_options(fmstate, slots[i]);
		planhat_json_array_add(body,
							   planhat_build_object(fmstate->target_map,
													slots[i]->tts_values,
													slots[i]->tts_isnull,
													send_flags(fmstate, slots[i])));
		if (!row_is_keyed(fmstate, slots[i]))
			*keyed = false;
	}
	planhat_json_array_end(body);
}

/*
 * planhatExecForeignBatchInsert
 *		PUT /<path> (bulk upsert) or an analytics push with *numSlots rows.
 */
static TupleTableSlot **
planhatExecForeignBatchInsert(EState *estate, ResultRelInfo *rinfo,
							  TupleTableSlot **slots, TupleTableSlot **planSlots,
							  int *numSlots)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;
	MemoryContext callercxt = CurrentMemoryContext;
	int			n = *numSlots;
	int64		first;

	if (n <= 0)
		return slots;
	if (row_not_sent(fmstate, n))
	{
		*numSlots = 0;
		return slots;
	}

	first = fmstate->tally.rows + 1;
	fmstate->tally.rows += n;
	fmstate->outcome = PH_OUTCOME_NONE;
	MemoryContextReset(fmstate->temp_cxt);
	PG_TRY();
	{
		StringInfoData body;
		bool		keyed;

		MemoryContextSwitchTo(fmstate->temp_cxt);
		build_batch(fmstate, slots, n, &body, &keyed);
		if (!keyed)
			fmstate->all_keyed = false;
		send_batch(fmstate, body.data, body.len, n, keyed);
		MemoryContextSwitchTo(callercxt);
	}
	PG_CATCH();
	{
		write_failed(fmstate, callercxt, first, fmstate->tally.rows, NULL);
		*numSlots = 0;
	}
	PG_END_TRY();
	return slots;
}

/*
 * Send the rows COPY has collected, if any: the last npending rows handed
 * over.
 */
static void
flush_pending(PlanhatModifyState *fmstate)
{
	MemoryContext callercxt = CurrentMemoryContext;
	int			n = fmstate->npending;

	if (n == 0)
		return;
	fmstate->npending = 0;
	if (writes_stopped)
		fmstate->tally.not_sent += n;	/* counted in rows when collected */
	else
	{
		fmstate->outcome = PH_OUTCOME_NONE;
		if (!fmstate->pending_keyed)
			fmstate->all_keyed = false;
		PG_TRY();
		{
			MemoryContextSwitchTo(fmstate->pending_cxt);
			planhat_json_array_end(&fmstate->pending);
			send_batch(fmstate, fmstate->pending.data, fmstate->pending.len,
					   n, fmstate->pending_keyed);
			MemoryContextSwitchTo(callercxt);
		}
		PG_CATCH();
		{
			write_failed(fmstate, callercxt, fmstate->tally.rows - n + 1,
						 fmstate->tally.rows, NULL);
		}
		PG_END_TRY();
	}
	MemoryContextReset(fmstate->pending_cxt);
}

/*
 * Add one COPY row to the batch being collected; send it when full.
 * Returns false when the row could not be taken (the failure is kept).
 */
static bool
collect_row(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	MemoryContext callercxt = CurrentMemoryContext;
	int64		row = ++fmstate->tally.rows;
	volatile bool ok = true;

	fmstate->outcome = PH_OUTCOME_NONE;
	MemoryContextReset(fmstate->temp_cxt);
	PG_TRY();
	{
		char	   *object;

		MemoryContextSwitchTo(fmstate->temp_cxt);
		slot_getallattrs(slot);
		object = planhat_build_object(fmstate->target_map, slot->tts_values,
									  slot->tts_isnull, send_flags(fmstate, slot));
		MemoryContextSwitchTo(fmstate->pending_cxt);
		if (fmstate->npending == 0)
		{
			initStringInfo(&fmstate->pending);
			planhat_json_array_begin(&fmstate->pending);
			fmstate->pending_keyed = true;
		}
		planhat_json_array_add(&fmstate->pending, object);
		if (!row_is_keyed(fmstate, slot))
			fmstate->pending_keyed = false;
		fmstate->npending++;
		MemoryContextSwitchTo(callercxt);
	}
	PG_CATCH();
	{
		write_failed(fmstate, callercxt, row, row, NULL);
		ok = false;
	}
	PG_END_TRY();
	if (fmstate->npending >= fmstate->batch_size)
		flush_pending(fmstate);
	return ok;
}

/* The _id of the row being updated or deleted, from the junk column */
static char *
row_id(PlanhatModifyState *fmstate, TupleTableSlot *planSlot)
{
	bool		isnull;
	Datum		d = ExecGetJunkAttribute(planSlot, fmstate->rowid_attno, &isnull);
	Oid			typid;
	Oid			outfunc;
	bool		isvarlena;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("cannot %s a row of foreign table %s whose id is NULL",
						fmstate->operation == CMD_UPDATE ? "update" : "delete",
						fmstate->opts->relname)));
	typid = TupleDescAttr(planSlot->tts_tupleDescriptor, fmstate->rowid_attno - 1)->atttypid;
	getTypeOutputInfo(typid, &outfunc, &isvarlena);
	return OidOutputFunctionCall(outfunc, d);
}

/*
 * Is sending this update body twice harmless?  An array "add" operation
 * (docs/writes.md, "Arrays") appends its values again; the test is crude
 * on purpose: a false alarm only costs the retries.
 */
static bool
body_is_repeatable(const char *body)
{
	return strstr(body, "\"operation\"") == NULL;
}

/* PUT /<path>/<prefix><key> with the SET columns; RETURNING from the answer */
static bool
send_update(PlanhatModifyState *fmstate, const char *prefix, const char *key,
			TupleTableSlot *slot)
{
	PlanhatRequest req;
	PlanhatResponse resp;
	WriteTally	delta;
	char	   *body;

	/* a key that can name no object updates nothing: no request */
	if (!planhat_key_addressable(prefix, key))
		return false;
	slot_getallattrs(slot);
	check_view_options(fmstate, slot);
	body = planhat_build_object(fmstate->target_map, slot->tts_values,
								slot->tts_isnull, send_flags(fmstate, slot));
	planhat_make_request(&req, fmstate->opts, PH_PUT, fmstate->opts->url,
						 planhat_key_path(fmstate->opts->resource->path, prefix, key));
	req.body = body;
	req.body_len = strlen(body);
	req.retry_safe = body_is_repeatable(body);
	req.ok_flags = PH_HTTP_OK_404;
	req.counters = &fmstate->counters;
	send_request(fmstate, &req, &resp);

	if (resp.status == 404)
		planhat_confirm_missing(fmstate->conn, fmstate->opts,
								fmstate->opts->resource->path,
								&fmstate->counters, &fmstate->outcome);
	memset(&delta, 0, sizeof(delta));
	if (resp.status == 404)
		delta.missing = 1;
	else
		delta.updated = 1;
	note_writes(fmstate, &delta);
	if (resp.status != 404 && fmstate->has_returning)
		store_returning(fmstate, slot, &resp, req.display);
	return resp.status != 404;
}

/* The slots of one UPDATE or DELETE row, for its RowWork */
typedef struct RowSlots
{
	TupleTableSlot *slot;		/* the new row (UPDATE), RETURNING's (DELETE) */
	TupleTableSlot *planSlot;	/* carries the _id junk column */
} RowSlots;

/* The RowWork of an UPDATE: PUT the SET columns to the row's _id */
static bool
update_work(PlanhatModifyState *fmstate, void *arg)
{
	RowSlots   *rs = (RowSlots *) arg;
	char	   *id = row_id(fmstate, rs->planSlot);

	fmstate->row_keys = psprintf("id \"%s\"", id);
	return send_update(fmstate, "", id, rs->slot);
}

/*
 * planhatExecForeignUpdate
 *		PUT /<path>/<_id> with only the SET columns.
 */
static TupleTableSlot *
planhatExecForeignUpdate(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;
	RowSlots	rs = {slot, planSlot};

	if (row_not_sent(fmstate, 1) || !guard_row(fmstate, update_work, &rs))
		return NULL;
	return slot;
}

/*
 * DELETE /<path>/<prefix><key>; with RETURNING the record is read first.
 * A DELETE sent again after an attempt that may have reached Planhat and
 * answered 404 found the record gone: the first attempt deleted it, and it
 * counts as deleted (RETURNING gives the row read before).
 */
static bool
send_delete(PlanhatModifyState *fmstate, const char *prefix, const char *key,
			TupleTableSlot *slot)
{
	PlanhatRequest req;
	PlanhatResponse resp;
	WriteTally	delta;
	const char *path;

	/* a key that can name no object deletes nothing: no request */
	if (!planhat_key_addressable(prefix, key))
		return false;
	path = planhat_key_path(fmstate->opts->resource->path, prefix, key);

	if (fmstate->has_returning)
	{
		planhat_make_request(&req, fmstate->opts, PH_GET, fmstate->opts->url, path);
		req.ok_flags = PH_HTTP_OK_404;
		req.counters = &fmstate->counters;
		send_request(fmstate, &req, &resp);
		if (resp.status == 404)
		{
			planhat_confirm_missing(fmstate->conn, fmstate->opts,
									fmstate->opts->resource->path,
									&fmstate->counters, &fmstate->outcome);
			memset(&delta, 0, sizeof(delta));
			delta.missing = 1;
			note_writes(fmstate, &delta);
			return false;
		}
		store_returning(fmstate, slot, &resp, req.display);
	}
	planhat_make_request(&req, fmstate->opts, PH_DELETE, fmstate->opts->url, path);
	req.ok_flags = PH_HTTP_OK_404;
	/* only planhat_fdw's own repeats, which it counts, may precede a 404 */
	req.fresh_connection = true;
	req.counters = &fmstate->counters;
	send_request(fmstate, &req, &resp);

	if (resp.status == 404 && resp.unsure_attempts == 0)
		planhat_confirm_missing(fmstate->conn, fmstate->opts,
								fmstate->opts->resource->path,
								&fmstate->counters, &fmstate->outcome);
	memset(&delta, 0, sizeof(delta));
	if (resp.status == 404 && resp.unsure_attempts == 0)
		delta.missing = 1;
	else
		delta.deleted = 1;
	note_writes(fmstate, &delta);
	return delta.deleted > 0;
}

/* The RowWork of a DELETE: DELETE the row's _id */
static bool
delete_work(PlanhatModifyState *fmstate, void *arg)
{
	RowSlots   *rs = (RowSlots *) arg;
	char	   *id = row_id(fmstate, rs->planSlot);

	fmstate->row_keys = psprintf("id \"%s\"", id);
	return send_delete(fmstate, "", id, rs->slot);
}

/*
 * planhatExecForeignDelete
 *		DELETE /<path>/<_id>.
 */
static TupleTableSlot *
planhatExecForeignDelete(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;
	RowSlots	rs = {slot, planSlot};

	if (row_not_sent(fmstate, 1) || !guard_row(fmstate, delete_work, &rs))
		return NULL;
	return slot;
}

/*
 * planhatEndForeignModify
 *		Raise the failure the statement kept, if any.  The state stays in
 *		ri_FdwState until the executor ends: the statement's totals are
 *		gathered from every table it wrote.
 */
static void
planhatEndForeignModify(EState *estate, ResultRelInfo *rinfo)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;

	if (fmstate == NULL || fmstate->temp_cxt == NULL)
		return;
	MemoryContextDelete(fmstate->temp_cxt);
	fmstate->temp_cxt = NULL;
	raise_failure(fmstate);
}

/* ----------------------------------------------------------------
 *		EXPLAIN
 * ----------------------------------------------------------------
 */

/*
 * Under ANALYZE, the requests a write sent and what Planhat did, as the
 * scans show theirs.
 */
static void
explain_writes(PlanhatModifyState *fmstate, ExplainState *es)
{
	PlanhatCounters *c = &fmstate->counters;
	StringInfoData verbs;
	char	   *records = tally_records(&fmstate->tally);

	initStringInfo(&verbs);
	append_count(&verbs, "GET", c->requests_get);
	append_count(&verbs, "POST", c->requests_post);
	append_count(&verbs, "PUT", c->requests_put);
	append_count(&verbs, "DELETE", c->requests_delete);
	ExplainPropertyInteger("Planhat Requests", NULL, c->requests, es);
	ExplainPropertyText("Planhat Requests by Method",
						verbs.len > 0 ? verbs.data : "none", es);
	ExplainPropertyInteger("Planhat Retries", NULL, c->retries, es);
	ExplainPropertyText("Planhat Records", records ? records : "none", es);
	ExplainPropertyInteger("Planhat Bytes Received", "bytes",
						   c->bytes_received, es);
	planhat_explain_counters(c, es);
}

/*
 * planhatExplainForeignModify
 *		Under VERBOSE, what each row sends; under ANALYZE, what was sent.
 */
static void
planhatExplainForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
							List *fdw_private, int subplan_index,
							ExplainState *es)
{
	PlanhatOptions *opts;
	const char *path;
	const char *line = NULL;

	if (es->verbose)
	{
		opts = planhat_get_options(RelationGetRelid(rinfo->ri_RelationDesc), InvalidOid);
		path = opts->resource->path;
		switch (mtstate->operation)
		{
			case CMD_INSERT:
				if (opts->resource->verbs & PH_VERB_PUSH)
					line = psprintf("POST /%s/*** (batches of %d)", path,
									opts->batch_size_set ? opts->batch_size : PLANHAT_PUSH_BATCH);
				else if (opts->batch_size > 1)
					line = psprintf("PUT /%s (bulk upsert, batches of %d)", path,
									opts->batch_size);
				else
					line = psprintf("POST /%s (one per row)", path);
				break;
			case CMD_UPDATE:
				line = psprintf("PUT /%s/{id} (one per row)", path);
				break;
			case CMD_DELETE:
				line = psprintf("DELETE /%s/{id} (one per row)", path);
				break;
			default:
				break;
		}
		if (line)
			ExplainPropertyText("Planhat Request", line, es);
	}
	if (es->analyze && rinfo->ri_FdwState)
		explain_writes((PlanhatModifyState *) rinfo->ri_FdwState, es);
}

/* ----------------------------------------------------------------
 *		direct modification: UPDATE/DELETE ... WHERE id = <value>
 * ----------------------------------------------------------------
 */

/*
 * planhatPlanDirectModify
 *		When the scan under an UPDATE or DELETE is a single key lookup with
 *		no other condition, send the PUT or DELETE directly: one request,
 *		no prior GET.  (PostgreSQL does not ask when a view's WITH CHECK
 *		OPTION or a row trigger needs each row.)
 */
static bool
planhatPlanDirectModify(PlannerInfo *root, ModifyTable *plan,
						Index resultRelation, int subplan_index)
{
	CmdType		operation = plan->operation;
	Plan	   *subplan = outerPlan(plan);
	ForeignScan *fscan;
	PlanhatScanSpec *spec;
	RangeTblEntry *rte;
	PlanhatOptions *opts;
	List	   *processed_tlist = NIL;
	List	   *target_attrs = NIL;
	List	   *returning_attrs = NIL;
	List	   *set_exprs = NIL;
	ListCell   *lc;
	Relation	rel;
	Node	   *keyexpr;

	if (operation != CMD_UPDATE && operation != CMD_DELETE)
		return false;
	if (!planhat_pushdown_enabled || subplan == NULL || !IsA(subplan, ForeignScan))
		return false;
	fscan = (ForeignScan *) subplan;
	if (fscan->scan.scanrelid != resultRelation)
		return false;

	rte = planner_rt_fetch(resultRelation, root);
	opts = planhat_get_options(rte->relid, InvalidOid);
	check_write_allowed(opts, operation, plan->returningLists != NIL);

	/* one key, no other condition */
	spec = planhat_spec_from_list(linitial(fscan->fdw_private));
	if (spec->kind != PH_SCAN_KEYS || !spec->key_only)
		return false;
	keyexpr = (Node *) list_nth(fscan->fdw_exprs, spec->key_expr);
	if (get_element_type(exprType(keyexpr)) != InvalidOid)
		return false;

	/*
	 * A constant key was checked at plan time: one Planhat cannot take as it
	 * is (an empty or padded externalId, ...) made the scan a list scan with
	 * a local qual.  A value known only at execution could be such a value,
	 * and PUT /companies/extid- would update nothing where rows match: only
	 * an _id may be a parameter here, since an _id that is not an ObjectId
	 * matches no row anyway.
	 */
	while (keyexpr && IsA(keyexpr, RelabelType))
		keyexpr = (Node *) ((RelabelType *) keyexpr)->arg;
	if (!IsA(keyexpr, Const) && spec->key_prefix[0] != '\0')
		return false;
	/* DELETE ... RETURNING must read the record first */
	if (operation == CMD_DELETE && plan->returningLists != NIL)
		return false;

	if (operation == CMD_UPDATE)
	{
		ListCell   *lc2;

		get_translated_update_targetlist(root, resultRelation,
										 &processed_tlist, &target_attrs);
		forboth(lc, processed_tlist, lc2, target_attrs)
		{
			TargetEntry *tle = lfirst_node(TargetEntry, lc);

			/* the new value must not depend on the row (SET x = x + 1) */
			if (bms_is_member(resultRelation, pull_varnos(root, (Node *) tle->expr)) ||
				contain_volatile_functions((Node *) tle->expr))
				return false;
			set_exprs = lappend(set_exprs, tle->expr);
		}
	}

	rel = table_open(rte->relid, NoLock);
	if (plan->returningLists)
		returning_attrs = add_used_attrs(NIL,
										 (Node *) list_nth(plan->returningLists,
														   subplan_index),
										 resultRelation,
										 RelationGetDescr(rel)->natts);
	table_close(rel, NoLock);

	/*
	 * The key qual was the scan's only condition, kept as a recheck of the
	 * lookup; the PUT or DELETE by key applies it now.
	 */
	fscan->scan.plan.qual = NIL;

	/* fdw_exprs: the key, then the SET values */
	fscan->operation = operation;
	fscan->resultRelation = resultRelation;
	fscan->fdw_exprs = lcons(list_nth(fscan->fdw_exprs, spec->key_expr), set_exprs);
	fscan->fdw_private = list_make4(target_attrs, returning_attrs,
									makeString(pstrdup(spec->key_prefix)),
									makeInteger(plan->canSetTag ? 1 : 0));
	return true;
}

static void
planhatBeginDirectModify(ForeignScanState *node, int eflags)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	EState	   *estate = node->ss.ps.state;
	Oid			userid = ph_scan_user(fsplan, estate);
	PlanhatDirectState *dmstate;
	List	   *exprs;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	dmstate = palloc0(sizeof(PlanhatDirectState));
	node->fdw_state = dmstate;
	dmstate->fmstate = create_modify_state(node->ss.ss_currentRelation,
										   NULL, estate, fsplan->operation,
										   (List *) list_nth(fsplan->fdw_private, FdwDirectPrivateTargetAttrs),
										   (List *) list_nth(fsplan->fdw_private, FdwDirectPrivateReturningAttrs),
										   list_nth(fsplan->fdw_private, FdwDirectPrivateReturningAttrs) != NIL,
										   userid);
	/* unused by PostgreSQL for a direct modification: the statement's totals */
	node->resultRelInfo->ri_FdwState = dmstate->fmstate;
	dmstate->key_prefix = strVal(list_nth(fsplan->fdw_private, FdwDirectPrivateKeyPrefix));
	dmstate->set_processed = intVal(list_nth(fsplan->fdw_private,
											 FdwDirectPrivateSetProcessed)) != 0;
	exprs = ExecInitExprList(fsplan->fdw_exprs, (PlanState *) node);
	dmstate->key_exprs = list_make1(linitial(exprs));
	dmstate->set_exprs = list_delete_first(exprs);
}

/* The RowWork of a direct modification: one PUT or DELETE by key */
static bool
direct_work(PlanhatModifyState *fmstate, void *arg)
{
	ForeignScanState *node = (ForeignScanState *) arg;
	PlanhatDirectState *dmstate = (PlanhatDirectState *) node->fdw_state;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	TupleDesc	tupdesc = RelationGetDescr(node->ss.ss_currentRelation);
	Oid			outfunc;
	bool		isvarlena;
	char	   *key;
	ListCell   *lc;
	int			k = 0;

	getTypeOutputInfo(exprType((Node *) ((ExprState *) linitial(dmstate->key_exprs))->expr),
					  &outfunc, &isvarlena);
	key = OidOutputFunctionCall(outfunc, dmstate->keyval);
	fmstate->row_keys = psprintf("key \"%s%s\"", dmstate->key_prefix, key);
	if (fmstate->operation != CMD_UPDATE)
		return send_delete(fmstate, dmstate->key_prefix, key, slot);

	/* the row to send: SET values into a slot of the table's shape */
	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * tupdesc->natts);
	foreach(lc, dmstate->set_exprs)
	{
		PlanhatColumn *col = &fmstate->target_map->columns[k++];

		slot->tts_values[col->attnum - 1] =
			ExecEvalExpr((ExprState *) lfirst(lc), econtext,
						 &slot->tts_isnull[col->attnum - 1]);
	}
	ExecStoreVirtualTuple(slot);
	return send_update(fmstate, dmstate->key_prefix, key, slot);
}

static TupleTableSlot *
planhatIterateDirectModify(ForeignScanState *node)
{
	PlanhatDirectState *dmstate = (PlanhatDirectState *) node->fdw_state;
	PlanhatModifyState *fmstate = dmstate->fmstate;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	EState	   *estate = node->ss.ps.state;
	ResultRelInfo *rinfo = node->resultRelInfo;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	bool		keynull;

	if (dmstate->done)
		return ExecClearTuple(slot);
	dmstate->done = true;

	dmstate->keyval = ExecEvalExpr((ExprState *) linitial(dmstate->key_exprs),
								   econtext, &keynull);
	if (keynull)
		return ExecClearTuple(slot);	/* id = NULL: no row */
	if (row_not_sent(fmstate, 1) || !guard_row(fmstate, direct_work, node))
		return ExecClearTuple(slot);

	if (dmstate->set_processed)
		estate->es_processed += 1;
	if (!fmstate->has_returning)
		return ExecClearTuple(slot);
	/* RETURNING is computed from the answer */
	rinfo->ri_projectReturning->pi_exprContext->ecxt_scantuple = slot;
	return slot;
}

static void
planhatEndDirectModify(ForeignScanState *node)
{
	PlanhatDirectState *dmstate = (PlanhatDirectState *) node->fdw_state;
	PlanhatModifyState *fmstate;

	if (dmstate == NULL || dmstate->fmstate->temp_cxt == NULL)
		return;
	fmstate = dmstate->fmstate;
	MemoryContextDelete(fmstate->temp_cxt);
	fmstate->temp_cxt = NULL;
	raise_failure(fmstate);
}

static void
planhatExplainDirectModify(ForeignScanState *node, ExplainState *es)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	PlanhatDirectState *dmstate = (PlanhatDirectState *) node->fdw_state;
	RangeTblEntry *rte = exec_rt_fetch(fsplan->scan.scanrelid, node->ss.ps.state);
	PlanhatOptions *opts;
	Node	   *keyexpr = linitial(fsplan->fdw_exprs);
	char	   *keytext;
	char	   *prefix = strVal(list_nth(fsplan->fdw_private, FdwDirectPrivateKeyPrefix));
	const char *path = NULL;

	if (es->verbose)
	{
		opts = planhat_get_options(rte->relid, InvalidOid);
		if (IsA(keyexpr, Const) && !((Const *) keyexpr)->constisnull)
		{
			Oid			outfunc;
			bool		isvarlena;
			char	   *key;

			getTypeOutputInfo(((Const *) keyexpr)->consttype, &outfunc, &isvarlena);
			key = OidOutputFunctionCall(outfunc, ((Const *) keyexpr)->constvalue);
			/* send_update/send_delete send nothing for a key naming no object */
			if (planhat_key_addressable(prefix, key))
				path = planhat_key_path(opts->resource->path, prefix, key);
		}
		else
		{
			keytext = planhat_explain_deparse(keyexpr, es);
			path = psprintf("/%s/%s{%s}", opts->resource->path, prefix, keytext);
		}
		ExplainPropertyText("Planhat Request",
							path == NULL ? "none" :
							psprintf("%s %s", fsplan->operation == CMD_UPDATE ? "PUT" : "DELETE",
									 path), es);
	}
	if (es->analyze && dmstate)
		explain_writes(dmstate->fmstate, es);
}

/* ----------------------------------------------------------------
 *		rollback warnings
 * ----------------------------------------------------------------
 */

/*
 * Warn about the writes of levels >= level, or those already marked
 * rolled back (rolled_only), and forget them.  'kind' says what rolls them
 * back.
 */
static void
warn_rolled_back(int level, bool rolled_only, RollbackKind kind)
{
	StringInfoData per_res;
	char	   *detail = NULL;
	XactWrites *sums;
	int			nsums = 0;
	int			i;
	int			j;
	int			kept = 0;

	if (xact_nwrites == 0)
		return;
	sums = palloc0(sizeof(XactWrites) * xact_nwrites);
	for (i = 0; i < xact_nwrites; i++)
	{
		XactWrites *w = &xact_writes[i];

		if (!(w->rolled_back || (!rolled_only && w->level >= level)))
		{
			xact_writes[kept++] = *w;
			continue;
		}
		/* one entry per resource, in the order of the first write */
		for (j = 0; j < nsums && sums[j].res != w->res; j++)
			;
		if (j == nsums)
			sums[nsums++].res = w->res;
		tally_add(&sums[j].tally, &w->tally);
	}
	xact_nwrites = kept;

	initStringInfo(&per_res);
	for (j = 0; j < nsums; j++)
		appendStringInfo(&per_res, "%s%s: %s", j > 0 ? "; " : "",
						 sums[j].res->name, tally_records(&sums[j].tally));
	if (nsums == 0)
		return;

	switch (kind)
	{
		case ROLLBACK_XACT:
			detail = psprintf("PostgreSQL rolled back the transaction, but Planhat has no transactions and keeps its writes: %s.",
							  per_res.data);
			break;
		case ROLLBACK_SUBXACT:
			detail = psprintf("PostgreSQL rolled back a subtransaction (a savepoint or an exception block), but Planhat has no transactions and keeps the writes made in it: %s.",
							  per_res.data);
			break;
		case ROLLBACK_ERROR_XACT:
			detail = psprintf("The error that follows rolls back the transaction, but Planhat has no transactions and keeps its writes: %s.",
							  per_res.data);
			break;
		case ROLLBACK_ERROR_SUBXACT:
			detail = psprintf("The error that follows rolls back the subtransaction (a savepoint or an exception block) it is raised in, but Planhat has no transactions and keeps the writes made in it: %s.",
							  per_res.data);
			break;
	}
	ereport(WARNING,
			(errcode(ERRCODE_WARNING),
			 errmsg("writes to Planhat were not rolled back"),
			 errdetail_internal("%s", detail),
			 errhint("Check these records in Planhat and undo them there if they are not wanted.")));
}

/*
 * xact_callback
 *		A committed transaction keeps its writes silently; an aborted one
 *		(a failed autocommit statement included) warns about those not
 *		warned about yet, in one warning.
 */
static void
xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			writes_stopped = false;
			warn_rolled_back(0, false, ROLLBACK_XACT);
			xact_nwrites = 0;
			break;
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			/* savepoints rolled back and not yet warned about */
			warn_rolled_back(0, true, ROLLBACK_SUBXACT);
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			writes_stopped = false;
			xact_nwrites = 0;
			break;
		default:
			break;
	}
}

/*
 * subxact_callback
 *		A subtransaction that is rolled back warns about the writes made in
 *		it.  Under ROLLBACK and ROLLBACK TO the warning waits for the command
 *		to be done: ROLLBACK makes it part of the transaction's one warning,
 *		ROLLBACK TO gives it when it starts the savepoint afresh.  One that
 *		an error or an exception block rolls back warns at once.  RELEASE
 *		hands the writes to the parent.
 */
static void
subxact_callback(SubXactEvent event, SubTransactionId mySubid,
				 SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	int			i;

	switch (event)
	{
		case SUBXACT_EVENT_ABORT_SUB:
			writes_stopped = false;
			if (TransactionBlockStatusCode() == 'E')
			{
				/* ROLLBACK or ROLLBACK TO SAVEPOINT under way */
				for (i = 0; i < xact_nwrites; i++)
				{
					if (xact_writes[i].level >= level)
						xact_writes[i].rolled_back = true;
				}
			}
			else
				warn_rolled_back(level, false, ROLLBACK_SUBXACT);
			break;
		case SUBXACT_EVENT_START_SUB:
			/* ROLLBACK TO SAVEPOINT restarts the savepoint: it is done */
			warn_rolled_back(0, true, ROLLBACK_SUBXACT);
			break;
		case SUBXACT_EVENT_COMMIT_SUB:
			for (i = 0; i < xact_nwrites; i++)
			{
				XactWrites *w = &xact_writes[i];
				int			j;

				if (w->level < level || w->rolled_back)
					continue;
				/* merge into the parent's entry for the resource, if any */
				for (j = 0; j < xact_nwrites; j++)
				{
					if (j != i && xact_writes[j].level == level - 1 &&
						!xact_writes[j].rolled_back &&
						xact_writes[j].res == w->res)
						break;
				}
				if (j < xact_nwrites)
				{
					tally_add(&xact_writes[j].tally, &w->tally);
					xact_writes[i] = xact_writes[--xact_nwrites];
					i--;
				}
				else
					w->level = level - 1;
			}
			break;
		default:
			break;
	}
}
