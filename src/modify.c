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
 *	                       a keyable UPDATES it).  RETURNING is refused.
 *	UPDATE                 PUT /<path>/<_id> with only the SET columns.
 *	DELETE                 DELETE /<path>/<_id>.
 *	INSERT into metrics /  POST <analytics_url>/<path>/<tenant_token>, in
 *	user_activities        batches (default 5,000 items).
 *
 * Every write goes out when the statement runs; ROLLBACK cannot undo it.
 *
 * The rows a statement modifies are read before its first write: a
 * statement that writes to Planhat has every Planhat scan of its plan read
 * all its pages first (planhat_plan_writes, used by planhat_fdw.c), since
 * Planhat pages only by offset and a write would shift the pages still to
 * read.  A scan hidden from the planner (in a function, in a cursor) that
 * meets a write between its pages fails instead (scan.c asks
 * planhat_storage_writes).
 *
 * Verbs a resource lacks and writes to tables whose "updatable" option is
 * false are refused at plan time with an error naming resource and verb.
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
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "commands/explain.h"
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

typedef struct PlanhatModifyState
{
	Relation	rel;
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
	MemoryContext temp_cxt;		/* per row / per batch */
	PlanhatCounters counters;

	/*
	 * COPY FROM (BeginForeignInsert): PostgreSQL 15 hands rows over one at a
	 * time, so batches are collected here and sent when full or at the end.
	 */
	MemoryContext pending_cxt;
	StringInfoData pending;		/* JSON array being built */
	int			npending;		/* items in it */
	bool		pending_keyed;	/* every item carries a keyable */
} PlanhatModifyState;

/* Direct modification state */
typedef struct PlanhatDirectState
{
	PlanhatModifyState *fmstate;
	char	   *key_prefix;
	List	   *key_exprs;		/* one ExprState: the key */
	List	   *set_exprs;		/* ExprStates of the SET values */
	bool		set_processed;
	bool		done;
} PlanhatDirectState;

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
/* Writes sent per storage (planhat_resource_storage), for scan.c */
static uint64 storage_writes[PLANHAT_MAX_STORAGES];

static void flush_pending(PlanhatModifyState *fmstate);
static void collect_row(PlanhatModifyState *fmstate, TupleTableSlot *slot);

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
						 errdetail("Planhat offers no PUT /%s/<id> for this resource.",
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
						 errdetail("Planhat offers no DELETE /%s/<id> for this resource.",
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
		List	   *returning = (List *) list_nth(plan->returningLists, subplan_index);
		Bitmapset  *attrs = NULL;
		int			i;

		pull_varattnos((Node *) returning, resultRelation, &attrs);
		for (i = 1; i <= RelationGetDescr(rel)->natts; i++)
		{
			if (bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs) ||
				bms_is_member(i - FirstLowInvalidHeapAttributeNumber, attrs))
				returning_attrs = lappend_int(returning_attrs, i);
		}
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
 *		execution
 * ----------------------------------------------------------------
 */
static PlanhatModifyState *
create_modify_state(Relation rel, CmdType operation, List *target_attrs,
					List *returning_attrs, bool has_returning, Oid userid,
					MemoryContext cxt)
{
	PlanhatModifyState *fmstate = palloc0(sizeof(PlanhatModifyState));

	fmstate->rel = rel;
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
	fmstate->temp_cxt = AllocSetContextCreate(cxt, "planhat_fdw modify",
											  ALLOCSET_DEFAULT_SIZES);
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
	RangeTblEntry *rte = exec_rt_fetch(rinfo->ri_RangeTableIndex, estate);
	Oid			userid = rte->checkAsUser ? rte->checkAsUser : GetUserId();
	PlanhatModifyState *fmstate;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	fmstate = create_modify_state(rinfo->ri_RelationDesc, mtstate->operation,
								  (List *) list_nth(fdw_private, FdwModifyPrivateTargetAttrs),
								  (List *) list_nth(fdw_private, FdwModifyPrivateReturningAttrs),
								  intVal(list_nth(fdw_private, FdwModifyPrivateHasReturning)) != 0,
								  userid, estate->es_query_cxt);
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
	PlanhatModifyState *fmstate;
	List	   *attrs = NIL;
	int			i;

	check_write_allowed(opts, CMD_INSERT, rinfo->ri_projectReturning != NULL);
	for (i = 1; i <= RelationGetDescr(rel)->natts; i++)
	{
		if (!TupleDescAttr(RelationGetDescr(rel), i - 1)->attisdropped)
			attrs = lappend_int(attrs, i);
	}
	fmstate = create_modify_state(rel, CMD_INSERT, attrs,
								  rinfo->ri_projectReturning ? attrs : NIL,
								  rinfo->ri_projectReturning != NULL,
								  GetUserId(), mtstate->ps.state->es_query_cxt);
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

/*
 * planhatExecForeignInsert
 *		POST /<path> with the row.
 */
static TupleTableSlot *
planhatExecForeignInsert(EState *estate, ResultRelInfo *rinfo,
						 TupleTableSlot *slot, TupleTableSlot *planSlot)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;
	int			one = 1;
	TupleTableSlot **slots;

	/* COPY in batch mode: collect, send when the batch is full */
	if (fmstate->pending_cxt && (fmstate->batch_size > 1 || fmstate->is_push))
	{
		collect_row(fmstate, slot);
		return slot;
	}

	/* batch mode or analytics: a batch of one */
	if (fmstate->batch_size > 1 || fmstate->is_push)
	{
		slots = planhatExecForeignBatchInsert(estate, rinfo, &slot, &planSlot, &one);
		return slots ? slots[0] : NULL;
	}

	{
		PlanhatRequest req;
		PlanhatResponse resp;
		char	   *body;
		MemoryContext old = MemoryContextSwitchTo(fmstate->temp_cxt);

		MemoryContextReset(fmstate->temp_cxt);
		slot_getallattrs(slot);
		body = planhat_build_object(fmstate->target_map, slot->tts_values,
									slot->tts_isnull, send_flags(fmstate, slot));
		planhat_make_request(&req, fmstate->opts, PH_POST, fmstate->opts->url,
							 psprintf("/%s", fmstate->opts->resource->path));
		req.body = body;
		req.body_len = strlen(body);
		req.retry_safe = false; /* a repeated create makes a duplicate */
		req.counters = &fmstate->counters;
		write_sending(fmstate->opts->resource);
		planhat_http_request(fmstate->conn, &req, &resp);
		MemoryContextSwitchTo(old);

		if (fmstate->has_returning)
			store_returning(fmstate, slot, &resp, req.display);
	}
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
 * unchanged or listed as failed.
 */
static void
check_bulk_result(PlanhatModifyState *fmstate, PlanhatRequest *req,
				  PlanhatResponse *resp, int nitems)
{
	PlanhatBulkResult result;
	int64		accounted;

	planhat_parse_bulk_result(resp->body, resp->body_len, &result);
	if (!result.valid)
		planhat_report_error(req, resp->status, resp->body, resp->body_len,
							 resp->content_type, NULL, resp->attempts);

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
					 errhint("Fix the listed items and push them again; items already processed would be counted twice.")));
		ereport(ERROR,
				(errcode(resp->status == 403 ? ERRCODE_INSUFFICIENT_PRIVILEGE : ERRCODE_FDW_ERROR),
				 errmsg("Planhat rejected %d of %d items in a bulk upsert to \"%s\"",
						Max(result.nerrors, nitems - (int) (result.created + result.updated + result.nonupdates)),
						nitems, fmstate->opts->resource->name),
				 errdetail_internal("%s answered HTTP %ld: created " INT64_FORMAT ", updated " INT64_FORMAT ", unchanged " INT64_FORMAT " (these are not rolled back).  Failed items:%s",
									req->display, resp->status, result.created,
									result.updated, result.nonupdates,
									items.len ? items.data : " (Planhat listed none)"),
				 errhint("Fix the listed items and run the statement again with the failed rows only; keyed rows (externalId, sourceId, _id) are matched, not duplicated.")));
	}
	if (accounted != nitems)
		ereport(ERROR,
				(errcode(ERRCODE_FDW_ERROR),
				 errmsg("Planhat accounted for " INT64_FORMAT " of %d items sent to \"%s\"",
						accounted, nitems, fmstate->opts->resource->name),
				 errdetail_internal("%s answered: created " INT64_FORMAT ", updated " INT64_FORMAT ", unchanged " INT64_FORMAT ", processed " INT64_FORMAT ", failed %d.",
									req->display, result.created, result.updated,
									result.nonupdates, result.processed, result.nerrors),
				 errhint("Compare the table with Planhat: some rows may not have been stored.")));
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
		/* repeating a keyed upsert updates the same records again */
		req.retry_safe = keyed;
		req.ok_flags = PH_HTTP_OK_BULK;
	}
	req.body = body;
	req.body_len = body_len;
	req.counters = &fmstate->counters;
	write_sending(opts->resource);
	planhat_http_request(fmstate->conn, &req, &resp);
	check_bulk_result(fmstate, &req, &resp, nitems);
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
	StringInfoData body;
	bool		keyed = true;
	int			i;
	MemoryContext old;

	if (*numSlots <= 0)
		return slots;

	MemoryContextReset(fmstate->temp_cxt);
	old = MemoryContextSwitchTo(fmstate->temp_cxt);

	initStringInfo(&body);
	planhat_json_array_begin(&body);
	for (i = 0; i < *numSlots; i++)
	{
		slot_getallattrs(slots[i]);
		planhat_json_array_add(&body,
							   planhat_build_object(fmstate->target_map,
													slots[i]->tts_values,
													slots[i]->tts_isnull,
													send_flags(fmstate, slots[i])));
		if (!row_is_keyed(fmstate, slots[i]))
			keyed = false;
	}
	planhat_json_array_end(&body);
	send_batch(fmstate, body.data, body.len, *numSlots, keyed);
	MemoryContextSwitchTo(old);
	return slots;
}

/* Send the rows COPY has collected, if any */
static void
flush_pending(PlanhatModifyState *fmstate)
{
	MemoryContext old;

	if (fmstate->npending == 0)
		return;
	old = MemoryContextSwitchTo(fmstate->pending_cxt);
	planhat_json_array_end(&fmstate->pending);
	send_batch(fmstate, fmstate->pending.data, fmstate->pending.len,
			   fmstate->npending, fmstate->pending_keyed);
	MemoryContextSwitchTo(old);
	MemoryContextReset(fmstate->pending_cxt);
	fmstate->npending = 0;
}

/* Add one COPY row to the batch being collected; send it when full */
static void
collect_row(PlanhatModifyState *fmstate, TupleTableSlot *slot)
{
	MemoryContext old;
	char	   *object;

	MemoryContextReset(fmstate->temp_cxt);
	old = MemoryContextSwitchTo(fmstate->temp_cxt);
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
	MemoryContextSwitchTo(old);
	if (fmstate->npending >= fmstate->batch_size)
		flush_pending(fmstate);
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

/* PUT /<path>/<prefix><key> with the SET columns; RETURNING from the answer */
static bool
send_update(PlanhatModifyState *fmstate, const char *prefix, const char *key,
			TupleTableSlot *slot, bool *found)
{
	PlanhatRequest req;
	PlanhatResponse resp;
	char	   *body;

	/* a key that can name no object updates nothing: no request */
	if (!planhat_key_addressable(prefix, key))
	{
		*found = false;
		return false;
	}
	slot_getallattrs(slot);
	body = planhat_build_object(fmstate->target_map, slot->tts_values,
								slot->tts_isnull, send_flags(fmstate, slot));
	planhat_make_request(&req, fmstate->opts, PH_PUT, fmstate->opts->url,
						 planhat_key_path(fmstate->opts->resource->path, prefix, key));
	req.body = body;
	req.body_len = strlen(body);
	req.ok_flags = PH_HTTP_OK_404;
	req.counters = &fmstate->counters;
	write_sending(fmstate->opts->resource);
	planhat_http_request(fmstate->conn, &req, &resp);
	*found = (resp.status != 404);
	if (*found && fmstate->has_returning)
		store_returning(fmstate, slot, &resp, req.display);
	return *found;
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
	MemoryContext old;
	char	   *id;
	bool		found;

	MemoryContextReset(fmstate->temp_cxt);
	old = MemoryContextSwitchTo(fmstate->temp_cxt);
	id = row_id(fmstate, planSlot);
	send_update(fmstate, "", id, slot, &found);
	MemoryContextSwitchTo(old);
	return found ? slot : NULL;
}

/* DELETE /<path>/<prefix><key>; with RETURNING the record is read first */
static bool
send_delete(PlanhatModifyState *fmstate, const char *prefix, const char *key,
			TupleTableSlot *slot)
{
	PlanhatRequest req;
	PlanhatResponse resp;
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
		planhat_http_request(fmstate->conn, &req, &resp);
		if (resp.status == 404)
			return false;
		store_returning(fmstate, slot, &resp, req.display);
	}
	planhat_make_request(&req, fmstate->opts, PH_DELETE, fmstate->opts->url, path);
	req.ok_flags = PH_HTTP_OK_404;
	req.counters = &fmstate->counters;
	write_sending(fmstate->opts->resource);
	planhat_http_request(fmstate->conn, &req, &resp);
	return resp.status != 404;
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
	MemoryContext old;
	bool		found;

	MemoryContextReset(fmstate->temp_cxt);
	old = MemoryContextSwitchTo(fmstate->temp_cxt);
	found = send_delete(fmstate, "", row_id(fmstate, planSlot), slot);
	MemoryContextSwitchTo(old);
	return found ? slot : NULL;
}

static void
planhatEndForeignModify(EState *estate, ResultRelInfo *rinfo)
{
	PlanhatModifyState *fmstate = (PlanhatModifyState *) rinfo->ri_FdwState;

	if (fmstate == NULL)
		return;
	MemoryContextDelete(fmstate->temp_cxt);
	rinfo->ri_FdwState = NULL;
}

/*
 * planhatExplainForeignModify
 *		Under VERBOSE, what each row sends.
 */
static void
planhatExplainForeignModify(ModifyTableState *mtstate, ResultRelInfo *rinfo,
							List *fdw_private, int subplan_index,
							ExplainState *es)
{
	PlanhatOptions *opts;
	const char *path;
	const char *line;

	if (!es->verbose)
		return;
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
			return;
	}
	ExplainPropertyText("Planhat Request", line, es);
}

/* ----------------------------------------------------------------
 *		direct modification: UPDATE/DELETE ... WHERE id = <value>
 * ----------------------------------------------------------------
 */

/*
 * planhatPlanDirectModify
 *		When the scan under an UPDATE or DELETE is a single key lookup with
 *		no other condition, send the PUT or DELETE directly: one request,
 *		no prior GET.
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
	if (get_element_type(exprType(list_nth(fscan->fdw_exprs, spec->key_expr))) != InvalidOid)
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
	{
		Bitmapset  *attrs = NULL;
		int			i;

		pull_varattnos((Node *) list_nth(plan->returningLists, subplan_index),
					   resultRelation, &attrs);
		for (i = 1; i <= RelationGetDescr(rel)->natts; i++)
		{
			if (bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs) ||
				bms_is_member(i - FirstLowInvalidHeapAttributeNumber, attrs))
				returning_attrs = lappend_int(returning_attrs, i);
		}
	}
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
	RangeTblEntry *rte = exec_rt_fetch(fsplan->scan.scanrelid, estate);
	Oid			userid = rte->checkAsUser ? rte->checkAsUser : GetUserId();
	PlanhatDirectState *dmstate;
	List	   *exprs;

	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;

	dmstate = palloc0(sizeof(PlanhatDirectState));
	node->fdw_state = dmstate;
	dmstate->fmstate = create_modify_state(node->ss.ss_currentRelation,
										   fsplan->operation,
										   (List *) list_nth(fsplan->fdw_private, FdwDirectPrivateTargetAttrs),
										   (List *) list_nth(fsplan->fdw_private, FdwDirectPrivateReturningAttrs),
										   list_nth(fsplan->fdw_private, FdwDirectPrivateReturningAttrs) != NIL,
										   userid, estate->es_query_cxt);
	dmstate->key_prefix = strVal(list_nth(fsplan->fdw_private, FdwDirectPrivateKeyPrefix));
	dmstate->set_processed = intVal(list_nth(fsplan->fdw_private,
											 FdwDirectPrivateSetProcessed)) != 0;
	exprs = ExecInitExprList(fsplan->fdw_exprs, (PlanState *) node);
	dmstate->key_exprs = list_make1(linitial(exprs));
	dmstate->set_exprs = list_delete_first(exprs);
}

static TupleTableSlot *
planhatIterateDirectModify(ForeignScanState *node)
{
	PlanhatDirectState *dmstate = (PlanhatDirectState *) node->fdw_state;
	PlanhatModifyState *fmstate = dmstate->fmstate;
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	EState	   *estate = node->ss.ps.state;
	ResultRelInfo *rinfo = node->resultRelInfo;
	TupleTableSlot *slot;
	TupleDesc	tupdesc = RelationGetDescr(node->ss.ss_currentRelation);
	Datum		keyval;
	bool		keynull;
	char	   *key;
	bool		found = false;
	Oid			outfunc;
	bool		isvarlena;
	MemoryContext old;

	if (dmstate->done)
		return ExecClearTuple(node->ss.ss_ScanTupleSlot);
	dmstate->done = true;

	keyval = ExecEvalExpr((ExprState *) linitial(dmstate->key_exprs), econtext,
						  &keynull);
	if (keynull)
		return ExecClearTuple(node->ss.ss_ScanTupleSlot);	/* id = NULL: no row */

	MemoryContextReset(fmstate->temp_cxt);
	old = MemoryContextSwitchTo(fmstate->temp_cxt);
	getTypeOutputInfo(exprType((Node *) ((ExprState *) linitial(dmstate->key_exprs))->expr),
					  &outfunc, &isvarlena);
	key = OidOutputFunctionCall(outfunc, keyval);

	/* the row to send: SET values into a slot of the table's shape */
	slot = node->ss.ss_ScanTupleSlot;
	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * tupdesc->natts);
	if (fmstate->operation == CMD_UPDATE)
	{
		ListCell   *lc;
		int			k = 0;

		foreach(lc, dmstate->set_exprs)
		{
			PlanhatColumn *col = &fmstate->target_map->columns[k++];

			slot->tts_values[col->attnum - 1] =
				ExecEvalExpr((ExprState *) lfirst(lc), econtext,
							 &slot->tts_isnull[col->attnum - 1]);
		}
		ExecStoreVirtualTuple(slot);
		send_update(fmstate, dmstate->key_prefix, key, slot, &found);
	}
	else
		found = send_delete(fmstate, dmstate->key_prefix, key, slot);
	MemoryContextSwitchTo(old);

	if (!found)
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

	if (dmstate == NULL)
		return;
	MemoryContextDelete(dmstate->fmstate->temp_cxt);
}

static void
planhatExplainDirectModify(ForeignScanState *node, ExplainState *es)
{
	ForeignScan *fsplan = (ForeignScan *) node->ss.ps.plan;
	RangeTblEntry *rte = exec_rt_fetch(fsplan->scan.scanrelid, node->ss.ps.state);
	PlanhatOptions *opts;
	Node	   *keyexpr = linitial(fsplan->fdw_exprs);
	char	   *keytext;
	char	   *prefix = strVal(list_nth(fsplan->fdw_private, FdwDirectPrivateKeyPrefix));
	const char *path;

	if (!es->verbose)
		return;
	opts = planhat_get_options(rte->relid, InvalidOid);
	if (IsA(keyexpr, Const) && !((Const *) keyexpr)->constisnull)
	{
		Oid			outfunc;
		bool		isvarlena;
		char	   *key;

		getTypeOutputInfo(((Const *) keyexpr)->consttype, &outfunc, &isvarlena);
		key = OidOutputFunctionCall(outfunc, ((Const *) keyexpr)->constvalue);
		if (!planhat_key_addressable(prefix, key))
		{
			/* send_update/send_delete send nothing for it */
			ExplainPropertyText("Planhat Request", "none", es);
			return;
		}
		path = planhat_key_path(opts->resource->path, prefix, key);
	}
	else
	{
		keytext = planhat_explain_deparse(keyexpr, es);
		path = psprintf("/%s/%s{%s}", opts->resource->path, prefix, keytext);
	}
	ExplainPropertyText("Planhat Request",
						psprintf("%s %s", fsplan->operation == CMD_UPDATE ? "PUT" : "DELETE",
								 path), es);
}
