/*-------------------------------------------------------------------------
 *
 * pushdown.c
 *		  Decide what a query can ask Planhat for: WHERE clauses, the column
 *		  list, ORDER BY and LIMIT/OFFSET become a PlanhatScanSpec.
 *
 * Planhat's list endpoints understand very little: a few documented
 * filters per resource (from the catalog in resource.c), a lookup by key,
 * one sort key, limit/offset paging and a projection.  Everything here is
 * about pushing exactly what keeps PostgreSQL's semantics:
 *
 * - A qual is pushed only when it compares a column that maps to a
 *   documented field with a value that does not depend on the scanned row,
 *   using the type's own btree equality (or ordering, for day ranges) and a
 *   deterministic collation.  A qual whose filter is not exact in Planhat
 *   (the catalog says so) is pushed AND kept as a local qual.
 * - Values are expressions evaluated at execution (Consts, Params, outer
 *   columns of a parameterized join, stable functions such as now()), so
 *   prepared statements and joins work; mutable expressions stay local.  A
 *   constant holding a value Planhat cannot take as it is (request.c's
 *   value rules) keeps its qual local; other values are judged when the
 *   scan starts.
 * - Sizes: a table never ANALYZEd is assumed to hold the estimated_rows
 *   option's rows, and every path is costed by the requests it sends.
 * - ORDER BY is pushed only where MongoDB's order equals PostgreSQL's (see
 *   planhat_pathkey_sort), LIMIT only when every qual is pushed exactly and
 *   the answer is a single ordered list.
 * - A lower bound on updatedAt, which no list filters, is sent as
 *   sort=-updatedAt so that each list ends where its rows fall below it;
 *   bounds on a pushed ORDER BY's column end the list the same way
 *   (add_stop).  The bounds stay local quals.
 *
 * With planhat_fdw.pushdown off nothing is pushed: every row is fetched and
 * every qual runs locally.  That is the reference the tests compare with.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/pushdown.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/nbtree.h"
#include "access/stratnum.h"
#include "access/sysattr.h"
#include "catalog/pg_am.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "foreign/foreign.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "parser/parsetree.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/varlena.h"
#include "access/table.h"

#include "planhat_fdw.h"


/* A pushed value is compared the way this qual compares it */
typedef enum QualOp
{
	QUAL_EQ,					/* = (or = ANY when is_array) */
	QUAL_LT,
	QUAL_LE,
	QUAL_GE,
	QUAL_GT
} QualOp;

/* One qual that Planhat can evaluate */
typedef struct PushedQual
{
	RestrictInfo *rinfo;
	Expr	   *clause;
	int			attnum;
	const PlanhatFilter *filter;	/* list filter, or NULL for a key */
	const char *key_prefix;		/* key lookup: "", "extid-", "srcid-" */
	QualOp		op;
	bool		is_array;		/* value is an array (IN / = ANY) */
	Expr	   *value;			/* evaluated at execution */
	bool		exact;			/* Planhat returns exactly the qual's rows */
	char	   *note;			/* not pushed: a constant holds a value that
								 * cannot be sent (EXPLAIN says which) */
} PushedQual;

/*
 * A clause as classify_qual saw it, kept in PlanhatRelInfo.classified so
 * that each clause is classified once: the base restrictions when the
 * relation is planned, a join clause when its parameterized path is built.
 */
typedef struct ClassifiedQual
{
	RestrictInfo *rinfo;
	bool		pushable;		/* classify_qual's answer */
	PushedQual	pq;				/* its result (pq.note when not pushable) */
} ClassifiedQual;

/*
 * A qual that bounds a sort field from the side a sorted list reaches last
 * (find_bounds): the list can end at it.
 */
typedef struct BoundQual
{
	RestrictInfo *rinfo;
	int			attnum;
	QualOp		op;
	Expr	   *value;			/* evaluated at execution */
} BoundQual;

/* What the clauses of a scan become (make_spec) */
typedef struct SpecClauses
{
	List	   *remote;			/* RestrictInfos Planhat evaluates exactly */
	List	   *local;			/* RestrictInfos evaluated here */
	List	   *notes;			/* constants not sent, and why */
	bool		single_stream;	/* one ordered list: ORDER BY, LIMIT pushable */
	double		nkeys;			/* key lookups, 0 for a list scan */
} SpecClauses;

static const ClassifiedQual *classify_rinfo(PlannerInfo *root,
											RelOptInfo *baserel,
											PlanhatRelInfo *info,
											RestrictInfo *ri);
static bool classify_qual(PlannerInfo *root, RelOptInfo *baserel,
						  PlanhatRelInfo *info, Expr *clause, PushedQual *pq);
static Var *qual_var(Node *node, Index relid);
static bool value_is_pushable(PlannerInfo *root, RelOptInfo *baserel,
							  Node *value);
static bool column_sortable(PlanhatColumn *col, Oid collation);
static int	add_fdw_expr(List **fdw_exprs, Expr *expr);
static void warn_unknown_columns(PlanhatRelInfo *info);
static char *select_list(PlanhatRelInfo *info, Bitmapset *attrs_used);
static PlanhatScanSpec *make_spec(PlannerInfo *root, RelOptInfo *baserel,
								  PlanhatRelInfo *info, List *clauses,
								  List **fdw_exprs, SpecClauses *out);
static bool choose_key(PlanhatRelInfo *info, PlanhatScanSpec *spec,
					   List *pushable, List **fdw_exprs, SpecClauses *out);
static void map_filters(PlanhatRelInfo *info, PlanhatScanSpec *spec,
						List *pushable, List **fdw_exprs, SpecClauses *out);
static List *finish_spec(PlannerInfo *root, RelOptInfo *baserel,
						 PlanhatRelInfo *info, PlanhatScanSpec *spec,
						 List *fdw_exprs, const SpecClauses *out,
						 List *scan_clauses, const char *sort,
						 bool has_limit);
static void estimate_rel(PlannerInfo *root, RelOptInfo *baserel,
						 PlanhatRelInfo *info, PlanhatScanSpec *spec,
						 List *exprs);
static double spec_requests(PlanhatRelInfo *info, PlanhatScanSpec *spec,
							List *exprs, double rows);
static int	const_array_length(Const *c);
static List *find_bounds(PlannerInfo *root, RelOptInfo *baserel,
						 PlanhatRelInfo *info, List *clauses,
						 const char *field, bool desc);
static void add_stop(PlannerInfo *root, RelOptInfo *baserel,
					 PlanhatRelInfo *info, PlanhatScanSpec *spec,
					 List *local, List **fdw_exprs);

/*
 * planhat_plan_rel
 *		Build the planner's view of a foreign table: options, columns with
 *		their Planhat fields, the split of baserestrictinfo into remote and
 *		local conditions, and the size estimates.
 */
PlanhatRelInfo *
planhat_plan_rel(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	PlanhatRelInfo *info = palloc0(sizeof(PlanhatRelInfo));
	Relation	rel;
	TupleDesc	tupdesc;
	ListCell   *lc;
	int			i;

	info->opts = planhat_get_options(foreigntableid, InvalidOid);
	info->res = info->opts->resource;

	/* columns: names, types, Planhat fields */
	rel = table_open(foreigntableid, NoLock);
	tupdesc = RelationGetDescr(rel);
	info->natts = tupdesc->natts;
	info->cols = palloc0(sizeof(PlanhatColumn) * Max(info->natts, 1));
	for (i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);

		if (att->attisdropped)
			continue;
		planhat_check_column_type(info->opts->relname,
								  NameStr(att->attname), att->atttypid);
		planhat_resolve_column(foreigntableid, att, info->res,
							   &info->cols[i]);
	}
	table_close(rel, NoLock);
	warn_unknown_columns(info);

	/* columns needed: output, joins, and local quals */
	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid,
				   &info->attrs_used);

	/* which restrictions can Planhat evaluate?  Classified once, here */
	foreach(lc, baserel->baserestrictinfo)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		pull_varattnos((Node *) ri->clause, baserel->relid, &info->attrs_used);
		if (planhat_pushdown_enabled && !ri->pseudoconstant)
			(void) classify_rinfo(root, baserel, info, ri);
	}
	{
		SpecClauses out;

		/* the request every unparameterized path starts from */
		info->base_spec = make_spec(root, baserel, info,
									baserel->baserestrictinfo,
									&info->base_exprs, &out);
		info->remote_conds = out.remote;
		info->local_conds = out.local;
		info->single_stream = out.single_stream;
		info->nkeys = out.nkeys;
		estimate_rel(root, baserel, info, info->base_spec, info->base_exprs);
	}
	return info;
}

/* A name folded for comparison: lower case, without underscores */
static char *
fold_name(const char *name)
{
	char	   *folded = palloc(strlen(name) + 1);
	char	   *out = folded;

	for (; *name; name++)
	{
		if (*name != '_')
			*out++ = pg_ascii_tolower((unsigned char) *name);
	}
	*out = '\0';
	return folded;
}

/* Does the column name its field with the field option? */
static bool
has_field_option(Oid relid, AttrNumber attnum)
{
	ListCell   *lc;

	foreach(lc, GetForeignColumnOptions(relid, attnum))
	{
		if (strcmp(((DefElem *) lfirst(lc))->defname, "field") == 0)
			return true;
	}
	return false;
}

/*
 * warn_unknown_columns
 *		One WARNING, once per table and backend, for the columns whose names
 *		map to fields the resource's catalog does not list (a field option is
 *		taken as meant: Planhat objects carry undocumented fields too; the
 *		attrs column and custom.<name> fields are free), naming the nearest
 *		catalog field of each: CREATE FOREIGN TABLE ... (companyId text)
 *		folds to "companyid", a field no object has, which reads NULL in
 *		every row.  The validator never sees column names, so planning is
 *		the first place to say it.
 */
static void
warn_unknown_columns(PlanhatRelInfo *info)
{
	static List *warned = NIL;	/* relids, in TopMemoryContext */
	MemoryContext old;
	StringInfoData names;
	StringInfoData fields;
	StringInfoData guesses;
	int			n = 0;
	int			i;

	if (list_member_oid(warned, info->opts->relid))
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	warned = lappend_oid(warned, info->opts->relid);
	MemoryContextSwitchTo(old);

	initStringInfo(&names);
	initStringInfo(&fields);
	initStringInfo(&guesses);
	for (i = 0; i < info->natts; i++)
	{
		PlanhatColumn *col = &info->cols[i];
		const PlanhatField *f;
		const PlanhatField *best = NULL;
		int			best_dist = INT_MAX;
		char	   *top;
		char	   *folded;

		if (col->attname == NULL || col->is_attrs || col->field == NULL ||
			strncmp(col->field, "custom.", 7) == 0 ||
			has_field_option(info->opts->relid, i + 1))
			continue;
		/* a dotted field reads a key inside a documented object */
		top = pstrdup(col->field);
		if (strchr(top, '.'))
			*strchr(top, '.') = '\0';
		if (planhat_find_field(info->res, top) != NULL ||
			(col->alt_field && planhat_find_field(info->res, col->alt_field)))
			continue;

		/* the nearest field, by its name or its column's */
		folded = fold_name(col->attname);
		for (f = info->res->fields; f->name; f++)
		{
			const char *column = f->column ? f->column :
				planhat_field_to_column(f->name);
			char	   *a = fold_name(f->name);
			char	   *b = fold_name(column);
			int			d = Min(varstr_levenshtein(folded, strlen(folded), a, strlen(a),
												   1, 1, 1, true),
								varstr_levenshtein(folded, strlen(folded), b, strlen(b),
												   1, 1, 1, true));

			if (d < best_dist)
			{
				best_dist = d;
				best = f;
			}
		}

		appendStringInfo(&names, "%s\"%s\"", n > 0 ? ", " : "", col->attname);
		appendStringInfo(&fields, "%s%s (field \"%s\")", n > 0 ? ", " : "",
						 quote_identifier(col->attname), col->field);
		/* close enough to be a slip: at most two edits, under half the name */
		if (best && best_dist <= 2 && best_dist * 2 < (int) strlen(folded))
			appendStringInfo(&guesses, "%s%s (field %s) for %s",
							 guesses.len > 0 ? ", " : "",
							 best->column ? best->column : planhat_field_to_column(best->name),
							 best->name, quote_identifier(col->attname));
		n++;
	}
	if (n == 0)
		return;
	ereport(WARNING,
			(errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
			 n == 1 ?
			 errmsg("column %s of foreign table %s matches no field of Planhat resource \"%s\"",
					names.data, info->opts->relname, info->res->name) :
			 errmsg("columns %s of foreign table %s match no field of Planhat resource \"%s\"",
					names.data, info->opts->relname, info->res->name),
			 errdetail("Planhat does not document %s for %s: such a column reads NULL unless Planhat returns the field.",
					   fields.data, info->res->name),
			 guesses.len > 0 ?
			 errhint("Did you mean %s?  Rename the column, or set its field option; custom fields are read with field 'custom.<name>'.",
					 guesses.data) :
			 errhint("docs/resources.md lists the fields of each resource; custom fields are read with field 'custom.<name>'.")));
}

/*
 * Size and cost of a scan of the relation with its own restrictions.
 *
 * The row count is pg_class.reltuples once the table was ANALYZEd (which
 * reads every row: the exact way), else the estimated_rows option (server
 * or table, default PLANHAT_DEFAULT_ESTIMATED_ROWS).  A Planhat list is
 * usually many pages, and a request costs far more than a row: assuming
 * many pages makes a join of a few local rows send one filtered request per
 * row instead of reading the whole resource, and a large outer side still
 * read it once.
 */
static void
estimate_rel(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
			 PlanhatScanSpec *spec, List *exprs)
{
	Selectivity remote_sel;
	Selectivity local_sel;
	double		requests;
	double		read;
	List	   *bounds = NIL;
	ListCell   *lc;

	if (spec->kind == PH_SCAN_NONE)
	{
		/* no request, no row (one, as the planner never estimates zero) */
		info->tuples = 0;
		baserel->tuples = 0;
		info->fetched = 0;
		info->rows = clamp_row_est(0);
		baserel->rows = info->rows;
		cost_qual_eval(&info->local_cost, info->local_conds, root);
		info->startup_cost = info->local_cost.startup;
		info->total_cost = info->startup_cost + cpu_tuple_cost;
		return;
	}

	if (baserel->tuples >= 0 && baserel->pages > 0)
		info->tuples = baserel->tuples;
	else
		info->tuples = info->opts->estimated_rows;
	baserel->tuples = info->tuples;

	remote_sel = clauselist_selectivity(root, info->remote_conds,
										baserel->relid, JOIN_INNER, NULL);
	local_sel = clauselist_selectivity(root, info->local_conds,
									   baserel->relid, JOIN_INNER, NULL);
	cost_qual_eval(&info->local_cost, info->local_conds, root);

	if (info->nkeys > 0)
		info->fetched = info->nkeys;
	else
		info->fetched = clamp_row_est(info->tuples * remote_sel);

	/*
	 * A lower bound on updatedAt ends the list (sorted by -updatedAt) where
	 * the rows fall below it: the pages are those of the rows that pass it.
	 */
	read = info->fetched;
	if (spec->kind == PH_SCAN_LIST && spec->paginated && planhat_pushdown_enabled)
	{
		foreach(lc, find_bounds(root, baserel, info, info->local_conds,
								"updatedAt", true))
			bounds = lappend(bounds, ((BoundQual *) lfirst(lc))->rinfo);
		if (bounds != NIL)
			read = clamp_row_est(info->fetched *
								 clauselist_selectivity(root, bounds, baserel->relid,
														JOIN_INNER, NULL));
	}
	requests = spec_requests(info, spec, exprs, read);
	info->rows = clamp_row_est(info->fetched * local_sel);
	baserel->rows = info->rows;

	info->startup_cost = PLANHAT_REQUEST_COST + info->local_cost.startup;
	info->total_cost = info->startup_cost +
		(requests - 1) * PLANHAT_REQUEST_COST +
		info->fetched * (PLANHAT_ROW_COST + cpu_tuple_cost +
						 info->local_cost.per_tuple);
}

/*
 * How many requests a scan of this spec sends for 'rows' rows: one per key,
 * else the pages of each stream (one stream per partition of tasks, per
 * value of a single-value filter, per chunk of a long comma list).
 */
static double
spec_requests(PlanhatRelInfo *info, PlanhatScanSpec *spec, List *exprs,
			  double rows)
{
	double		streams = 1;
	double		pages;
	ListCell   *lc;

	if (spec->kind == PH_SCAN_KEYS)
	{
		Node	   *keys = list_nth(exprs, spec->key_expr);

		if (IsA(keys, Const) && OidIsValid(get_element_type(exprType(keys))))
			return Max(const_array_length((Const *) keys), 1);
		return OidIsValid(get_element_type(exprType(keys))) ? 10 : 1;
	}
	foreach(lc, spec->params)
	{
		PlanhatParamSpec *p = lfirst(lc);
		Node	   *value = p->exprs ? list_nth(exprs, linitial_int(p->exprs)) : NULL;
		double		n = 1;

		if (p->kind == PH_PARAM_STREAMS)
			n = 2;				/* "false,true" */
		else if (value && OidIsValid(get_element_type(exprType(value))))
		{
			n = IsA(value, Const) ? const_array_length((Const *) value) : 10;
			if (p->kind == PH_PARAM_LIST)
				n = ceil(n / PLANHAT_MAX_LIST_VALUES);
			else if (p->kind != PH_PARAM_SINGLE)
				n = 1;
		}
		streams *= Max(n, 1);
	}
	if (!spec->paginated)
		return streams;
	pages = ceil(rows / Max(info->opts->fetch_size, 1));
	return Max(pages, streams);
}

/*
 * planhat_param_path
 *		The fdw_private of the parameterized path with this ParamPathInfo
 *		(one filtered request per outer row, or a lookup by key), and in
 *		*startup and *total the cost of one execution returning its rows.
 *		Its clauses are the ones the plan will have: the relation's own and
 *		ppi's join clauses, each classified once and kept.
 */
List *
planhat_param_path(PlannerInfo *root, RelOptInfo *baserel,
				   PlanhatRelInfo *info, ParamPathInfo *ppi,
				   Cost *startup, Cost *total)
{
	List	   *clauses = list_concat_copy(baserel->baserestrictinfo,
										   ppi->ppi_clauses);
	SpecClauses out;
	List	   *exprs = NIL;
	PlanhatScanSpec *spec;
	double		requests;

	spec = make_spec(root, baserel, info, clauses, &exprs, &out);
	requests = spec_requests(info, spec, exprs, ppi->ppi_rows);
	*startup = PLANHAT_REQUEST_COST + info->local_cost.startup;
	*total = *startup + (requests - 1) * PLANHAT_REQUEST_COST +
		ppi->ppi_rows * (PLANHAT_ROW_COST + cpu_tuple_cost +
						 info->local_cost.per_tuple);
	return finish_spec(root, baserel, info, spec, exprs, &out, clauses,
					   NULL, false);
}

/*
 * Strip binary-compatible relabeling and return the Var of this relation,
 * or NULL.
 */
static Var *
qual_var(Node *node, Index relid)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	if (node && IsA(node, Var))
	{
		Var		   *var = (Var *) node;

		if (var->varno == relid && var->varlevelsup == 0 && var->varattno > 0)
			return var;
	}
	return NULL;
}

/*
 * Can this expression be evaluated at execution, once per scan (or rescan),
 * independently of the scanned row?
 */
static bool
value_is_pushable(PlannerInfo *root, RelOptInfo *baserel, Node *value)
{
	Relids		relids;

	if (value == NULL)
		return false;
	relids = pull_varnos(root, value);
	if (bms_is_member(baserel->relid, relids))
		return false;
	/* volatile functions may give another value each time: keep local */
	if (contain_volatile_functions(value))
		return false;
	/* no sub-selects, aggregates, window functions or SRFs */
	if (contain_subplans(value) || contain_agg_clause(value) ||
		contain_window_function(value) || expression_returns_set(value))
		return false;
	return true;
}

/*
 * Btree strategy of opno in the default btree opfamily of the column's type,
 * or 0.  Only the type's own operators are trusted: a user-defined "=" of
 * another opfamily could mean anything.
 */
static int
qual_strategy(Oid opno, Oid typid)
{
	Oid			opclass = GetDefaultOpClass(getBaseType(typid), BTREE_AM_OID);
	Oid			opfamily;

	if (!OidIsValid(opclass))
		return 0;
	opfamily = get_opclass_family(opclass);
	return get_op_opfamily_strategy(opno, opfamily);
}

/* The type category a column must have for a Planhat field to be compared */
static bool
column_matches_field(PlanhatColumn *col, Oid exprtype)
{
	Oid			base = getBaseType(col->typid);

	Oid			vtype;

	if (col->cat == NULL || !OidIsValid(exprtype))
		return false;
	vtype = getBaseType(exprtype);
	/* the comparison happens in the column's own type */
	if (vtype != base &&
		!((base == TEXTOID || base == VARCHAROID) &&
		  (vtype == TEXTOID || vtype == VARCHAROID)))
		return false;
	switch (col->cat->type)
	{
		case PH_TYPE_TEXT:
			return base == TEXTOID || base == VARCHAROID;
		case PH_TYPE_BOOLEAN:
			return base == BOOLOID;
		case PH_TYPE_DAY:
			return base == DATEOID;
		case PH_TYPE_TIMESTAMPTZ:
			return base == TIMESTAMPTZOID;
		default:
			return false;
	}
}

/*
 * classify_qual
 *		Can Planhat evaluate this clause?  Fills *pq when it can.
 */
static bool
classify_qual(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
			  Expr *clause, PushedQual *pq)
{
	const PlanhatResource *res = info->res;
	PlanhatColumn *col;
	Var		   *var = NULL;
	Node	   *value = NULL;
	Oid			opno = InvalidOid;
	Oid			collid = InvalidOid;
	bool		commuted = false;
	int			strategy;

	memset(pq, 0, sizeof(PushedQual));
	pq->clause = clause;

	if (IsA(clause, OpExpr))
	{
		OpExpr	   *op = (OpExpr *) clause;

		if (list_length(op->args) != 2)
			return false;
		var = qual_var(linitial(op->args), baserel->relid);
		value = lsecond(op->args);
		if (var == NULL)
		{
			var = qual_var(lsecond(op->args), baserel->relid);
			value = linitial(op->args);
			commuted = true;
		}
		opno = op->opno;
		collid = op->inputcollid;
		if (var && commuted)
			opno = get_commutator(opno);
	}
	else if (IsA(clause, ScalarArrayOpExpr))
	{
		ScalarArrayOpExpr *saop = (ScalarArrayOpExpr *) clause;

		/* col = ANY (array) and col IN (...) */
		if (!saop->useOr || list_length(saop->args) != 2)
			return false;
		var = qual_var(linitial(saop->args), baserel->relid);
		value = lsecond(saop->args);
		opno = saop->opno;
		collid = saop->inputcollid;
		pq->is_array = true;
	}
	else if (IsA(clause, Var) || (IsA(clause, BoolExpr) &&
								  ((BoolExpr *) clause)->boolop == NOT_EXPR))
	{
		/* bare boolean column, or NOT column */
		bool		negated = !IsA(clause, Var);
		Node	   *arg = negated ? linitial(((BoolExpr *) clause)->args)
			: (Node *) clause;

		var = qual_var(arg, baserel->relid);
		if (var == NULL || getBaseType(var->vartype) != BOOLOID)
			return false;
		value = (Node *) makeBoolConst(!negated, false);
		opno = BooleanEqualOperator;
	}
	else
		return false;

	if (var == NULL || !OidIsValid(opno) || var->varattno > info->natts)
		return false;
	col = &info->cols[var->varattno - 1];
	if (col->attname == NULL || col->is_attrs || col->field == NULL)
		return false;
	if (!value_is_pushable(root, baserel, value))
		return false;

	/* equality must be plain equality: no case-insensitive collations */
	if (OidIsValid(collid) && !get_collation_isdeterministic(collid))
		return false;

	strategy = qual_strategy(opno, col->typid);
	switch (strategy)
	{
		case BTEqualStrategyNumber:
			pq->op = QUAL_EQ;
			break;
		case BTLessStrategyNumber:
			pq->op = QUAL_LT;
			break;
		case BTLessEqualStrategyNumber:
			pq->op = QUAL_LE;
			break;
		case BTGreaterEqualStrategyNumber:
			pq->op = QUAL_GE;
			break;
		case BTGreaterStrategyNumber:
			pq->op = QUAL_GT;
			break;
		default:
			return false;
	}
	if (pq->is_array && pq->op != QUAL_EQ)
		return false;
	if (!column_matches_field(col, pq->is_array ? get_element_type(exprType(value))
							  : exprType(value)))
		return false;

	pq->attnum = var->varattno;
	pq->value = (Expr *) value;

	/* key lookups: GET /<path>/<key> */
	if (pq->op == QUAL_EQ && (res->verbs & PH_VERB_GET))
	{
		if (strcmp(col->field, "_id") == 0)
			pq->key_prefix = "";
		else if (res->external_id_field &&
				 strcmp(col->field, res->external_id_field) == 0 &&
				 (res->keyables & PH_KEY_EXTID) &&
				 (res->keyables & PH_KEY_EXTID_UNIQUE))
			pq->key_prefix = "extid-";
		else if (strcmp(col->field, "sourceId") == 0 &&
				 (res->keyables & PH_KEY_SRCID))
			pq->key_prefix = "srcid-";
	}

	/* documented list filters */
	pq->filter = planhat_find_filter(res, col->field);
	if (pq->filter)
	{
		const PlanhatFilter *f = pq->filter;

		switch (f->kind)
		{
			case PH_FILTER_LIST:
			case PH_FILTER_SINGLE:
			case PH_FILTER_INCLUDE_FLAG:
			case PH_FILTER_SPLIT_FLAG:
				if (pq->op != QUAL_EQ)
					pq->filter = NULL;
				else if ((f->kind == PH_FILTER_INCLUDE_FLAG ||
						  f->kind == PH_FILTER_SPLIT_FLAG) && pq->is_array)
					pq->filter = NULL;
				break;
			case PH_FILTER_DAY_RANGE:
				if (pq->is_array)
					pq->filter = NULL;
				break;
		}
		if (pq->filter)
			pq->exact = f->exact;
	}

	/*
	 * A constant that holds a value Planhat cannot take as it is (an empty
	 * key, a comma in a comma list, ...): the qual stays local, and EXPLAIN
	 * says why.  Other values are judged at execution (request.c).
	 */
	while (value && IsA(value, RelabelType))
		value = (Node *) ((RelabelType *) value)->arg;
	if (value && IsA(value, Const) && (pq->key_prefix || pq->filter))
	{
		Const	   *c = (Const *) value;
		char	   *why = NULL;

		if (pq->key_prefix)
		{
			why = planhat_value_unsendable(pq->key_prefix[0] == '\0' ?
										   PH_VALUES_ID : PH_VALUES_KEY,
										   c->constvalue, c->constisnull,
										   c->consttype);
			if (why)
				pq->key_prefix = NULL;
		}
		if (pq->filter && (pq->filter->kind == PH_FILTER_LIST ||
						   pq->filter->kind == PH_FILTER_SINGLE))
		{
			char	   *fwhy = planhat_value_unsendable(pq->filter->values,
														c->constvalue,
														c->constisnull,
														c->consttype);

			if (fwhy)
			{
				pq->filter = NULL;
				why = fwhy;
			}
		}
		if (why && pq->key_prefix == NULL && pq->filter == NULL)
			pq->note = psprintf("%s = %s", col->attname, why);
	}
	return pq->filter != NULL || pq->key_prefix != NULL;
}

/*
 * classify_rinfo
 *		The classification of a clause of this relation: the one made before
 *		for the same RestrictInfo, or made now and kept in info.
 */
static const ClassifiedQual *
classify_rinfo(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
			   RestrictInfo *ri)
{
	ClassifiedQual *cq;
	ListCell   *lc;

	foreach(lc, info->classified)
	{
		cq = lfirst(lc);
		if (cq->rinfo == ri)
			return cq;
	}
	cq = palloc(sizeof(ClassifiedQual));
	cq->rinfo = ri;
	cq->pushable = classify_qual(root, baserel, info, ri->clause, &cq->pq);
	info->classified = lappend(info->classified, cq);
	return cq;
}

/*
 * planhat_join_clause_pushable
 *		Is this join clause (column = outer expression) one Planhat can
 *		evaluate with a single list stream or key lookup per outer row?  Used
 *		to build parameterized paths; the classification is kept for them
 *		and for the plan.
 */
bool
planhat_join_clause_pushable(PlannerInfo *root, RelOptInfo *baserel,
							 PlanhatRelInfo *info, RestrictInfo *ri)
{
	const ClassifiedQual *cq;

	if (!planhat_pushdown_enabled || !(info->res->verbs & PH_VERB_LIST))
		return false;
	cq = classify_rinfo(root, baserel, info, ri);
	if (!cq->pushable)
		return false;
	if (cq->pq.op != QUAL_EQ || cq->pq.is_array)
		return false;
	if (cq->pq.key_prefix != NULL)
		return true;
	return cq->pq.filter->kind == PH_FILTER_LIST ||
		cq->pq.filter->kind == PH_FILTER_SINGLE;
}

/*
 * Is Planhat's sort order on this column the same as PostgreSQL's?
 *
 * Planhat sorts like MongoDB: missing and null lowest, numbers numerically,
 * strings by code point, false before true, and ISO-8601 timestamps (which
 * it stores as strings of one format) chronologically.  PostgreSQL agrees
 * for numbers, booleans, timestamps and dates (day numbers) once NULLS
 * FIRST/LAST is matched, and for text only under the "C" (or "POSIX")
 * collation, which compares UTF-8 bytes, i.e. code points.  The column must
 * map to a documented field of a matching JSON type, since a value of
 * another JSON type would sort elsewhere in MongoDB.
 */
static bool
column_sortable(PlanhatColumn *col, Oid collation)
{
	Oid			base = getBaseType(col->typid);

	if (col->cat == NULL || col->attname == NULL)
		return false;
	switch (col->cat->type)
	{
		case PH_TYPE_NUMERIC:
		case PH_TYPE_INTEGER:
		case PH_TYPE_BIGINT:
			return base == NUMERICOID || base == INT4OID || base == INT8OID ||
				base == INT2OID || base == FLOAT8OID || base == FLOAT4OID;
		case PH_TYPE_BOOLEAN:
			return base == BOOLOID;
		case PH_TYPE_TIMESTAMPTZ:
			return base == TIMESTAMPTZOID;
		case PH_TYPE_DAY:
			return base == DATEOID;
		case PH_TYPE_TEXT:
			return (base == TEXTOID || base == VARCHAROID) &&
				(collation == C_COLLATION_OID || collation == POSIX_COLLATION_OID);
		default:
			return false;
	}
}

/*
 * planhat_pathkey_sort
 *		The sort= value that yields these pathkeys, or NULL when Planhat
 *		cannot sort exactly like this.  Only one sort key is supported.
 */
char *
planhat_pathkey_sort(PlannerInfo *root, RelOptInfo *baserel,
					 PlanhatRelInfo *info, List *pathkeys)
{
	PathKey    *pk;
	EquivalenceClass *ec;
	ListCell   *lc;

	if (!planhat_pushdown_enabled || list_length(pathkeys) != 1)
		return NULL;
	pk = linitial_node(PathKey, pathkeys);
	ec = pk->pk_eclass;
	if (ec->ec_has_volatile)
		return NULL;

	/* MongoDB puts nulls lowest: ASC NULLS FIRST or DESC NULLS LAST */
	if (ph_pathkey_is_asc(pk) && !pk->pk_nulls_first)
		return NULL;
	if (ph_pathkey_is_desc(pk) && pk->pk_nulls_first)
		return NULL;

	foreach(lc, ec->ec_members)
	{
		EquivalenceMember *em = lfirst_node(EquivalenceMember, lc);
		Var		   *var = qual_var((Node *) em->em_expr, baserel->relid);
		PlanhatColumn *col;
		Oid			opfamily;

		if (var == NULL || var->varattno > info->natts)
			continue;
		col = &info->cols[var->varattno - 1];
		if (col->is_attrs || col->field == NULL || strchr(col->field, '.'))
			continue;
		if (!column_sortable(col, ec->ec_collation))
			continue;
		/* the type's default ordering, not some other opfamily */
		opfamily = get_opclass_family(GetDefaultOpClass(getBaseType(col->typid),
														BTREE_AM_OID));
		if (opfamily != pk->pk_opfamily)
			continue;
		return psprintf("%s%s",
						ph_pathkey_is_desc(pk) ? "-" : "",
						col->field);
	}
	return NULL;
}

/* Elements of an array constant (NULL: 0) */
static int
const_array_length(Const *c)
{
	ArrayType  *arr;

	if (c->constisnull)
		return 0;
	arr = DatumGetArrayTypeP(c->constvalue);
	return ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
}

static int
add_fdw_expr(List **fdw_exprs, Expr *expr)
{
	*fdw_exprs = lappend(*fdw_exprs, expr);
	return list_length(*fdw_exprs) - 1;
}

static PlanhatParamSpec *
new_param(PlanhatParamKind kind, const PlanhatFilter *f, const char *name)
{
	PlanhatParamSpec *p = palloc0(sizeof(PlanhatParamSpec));

	p->kind = kind;
	p->name = pstrdup(name);
	p->field = pstrdup(f->field);
	p->exact = f->exact;
	p->values = (kind == PH_PARAM_LIST || kind == PH_PARAM_SINGLE) ?
		f->values : PH_VALUES_ANY;
	return p;
}

/*
 * The parameter of a filter that compares one value (every kind but
 * PH_FILTER_DAY_RANGE): the qual's value is its expression.
 */
static PlanhatParamSpec *
add_filter_param(const PlanhatFilter *f, PushedQual *pq,
				 PlanhatRelInfo *info, List **fdw_exprs)
{
	PlanhatParamKind kind = PH_PARAM_LIST;
	PlanhatParamSpec *p;

	switch (f->kind)
	{
		case PH_FILTER_LIST:
			kind = PH_PARAM_LIST;
			break;
		case PH_FILTER_SINGLE:
			kind = PH_PARAM_SINGLE;
			break;
		case PH_FILTER_INCLUDE_FLAG:
			kind = PH_PARAM_INCLUDE;
			break;
		case PH_FILTER_SPLIT_FLAG:
			kind = PH_PARAM_PARTITION;
			break;
		case PH_FILTER_DAY_RANGE:
			elog(ERROR, "planhat_fdw: a day range filter has two parameters");
			break;
	}
	p = new_param(kind, f, f->param);

	p->column = pstrdup(info->cols[pq->attnum - 1].attname);
	p->exprs = list_make1_int(add_fdw_expr(fdw_exprs, pq->value));
	p->adjust = list_make1_int(0);
	return p;
}

/*
 * The parameters a filter adds to the base scan even without a qual, so
 * that the table holds every row of the resource: end users' archived=true,
 * tasks' two partitions.  NULL for other filters.
 */
static PlanhatParamSpec *
base_param(const PlanhatFilter *f)
{
	PlanhatParamSpec *p;

	if (f->kind == PH_FILTER_INCLUDE_FLAG)
		return new_param(PH_PARAM_INCLUDE, f, f->param);
	if (f->kind != PH_FILTER_SPLIT_FLAG)
		return NULL;
	p = new_param(PH_PARAM_STREAMS, f, f->param);
	p->fixed = pstrdup("false,true");
	return p;
}

/*
 * make_spec
 *		The request description of a scan with these clauses (the
 *		relation's own and, for a parameterized path, its join clauses):
 *		the key (choose_key) or the list filters (map_filters), with their
 *		values in *fdw_exprs.  *out gets what is evaluated remotely and
 *		locally.  Reads each clause's classification (a join clause met for
 *		the first time, from a ParamPathInfo, is classified and kept).
 */
static PlanhatScanSpec *
make_spec(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
		  List *clauses, List **fdw_exprs, SpecClauses *out)
{
	const PlanhatResource *res = info->res;
	PlanhatScanSpec *spec = palloc0(sizeof(PlanhatScanSpec));
	List	   *pushable = NIL;
	ListCell   *lc;

	memset(out, 0, sizeof(SpecClauses));
	out->single_stream = true;
	spec->kind = PH_SCAN_LIST;
	spec->path = pstrdup(res->path);
	spec->key_expr = -1;
	spec->limit_expr = -1;
	spec->offset_expr = -1;
	spec->fetch_size = info->opts->fetch_size;
	spec->paginated = (res->max_limit > 0);

	/*
	 * An insert-only resource (the analytics pushes) has nothing to list:
	 * its scan reads no row and sends nothing, so that a dump of a whole
	 * import (pg_dump --include-foreign-data) or a SELECT * over every
	 * table works.  Every clause stays local.
	 */
	if (!(res->verbs & PH_VERB_LIST))
	{
		spec->kind = PH_SCAN_NONE;
		spec->path = pstrdup(res->name);	/* for EXPLAIN: nothing is sent */
		spec->paginated = false;
		out->single_stream = false;
		out->local = list_copy(clauses);
		return spec;
	}

	/* which clauses could Planhat evaluate?  (classified once: read) */
	foreach(lc, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		const ClassifiedQual *cq = NULL;

		if (planhat_pushdown_enabled && !ri->pseudoconstant)
			cq = classify_rinfo(root, baserel, info, ri);
		if (cq != NULL && cq->pushable)
		{
			/* a copy: map_filters consumes its rinfo */
			PushedQual *pq = palloc(sizeof(PushedQual));

			*pq = cq->pq;
			pq->rinfo = ri;
			pushable = lappend(pushable, pq);
		}
		else
		{
			if (cq != NULL && cq->pq.note)
				out->notes = lappend(out->notes, cq->pq.note);
			out->local = lappend(out->local, ri);
		}
	}
	spec->notes = out->notes;

	if (!choose_key(info, spec, pushable, fdw_exprs, out))
		map_filters(info, spec, pushable, fdw_exprs, out);
	return spec;
}

/*
 * choose_key
 *		Make spec a lookup by key when a qual allows one, and say so.  A key
 *		lookup answers with at most one row per key, so it beats any list
 *		filter: the first "=" on a key column.  (An IN list on ids of a
 *		resource whose list can filter ids, like companies, is one request
 *		with a comma list: map_filters.)  The key qual and every other qual
 *		are evaluated locally: it costs nothing on so few rows.
 */
static bool
choose_key(PlanhatRelInfo *info, PlanhatScanSpec *spec, List *pushable,
		   List **fdw_exprs, SpecClauses *out)
{
	PushedQual *key = NULL;
	const PlanhatFilter *f;
	ListCell   *lc;

	foreach(lc, pushable)
	{
		PushedQual *pq = lfirst(lc);

		if (pq->key_prefix == NULL)
			continue;
		if (pq->is_array && pq->filter && pq->filter->kind == PH_FILTER_LIST)
			continue;
		key = pq;
		break;
	}
	if (key == NULL)
		return false;

	spec->kind = PH_SCAN_KEYS;
	spec->key_prefix = pstrdup(key->key_prefix);
	spec->key_expr = add_fdw_expr(fdw_exprs, key->value);
	spec->key_column = pstrdup(info->cols[key->attnum - 1].attname);
	spec->key_field = pstrdup(info->cols[key->attnum - 1].field);
	out->single_stream = false;
	if (key->is_array && IsA(key->value, Const))
		out->nkeys = const_array_length((Const *) key->value);
	else
		out->nkeys = key->is_array ? 10 : 1;
	if (out->nkeys < 1)
		out->nkeys = 1;
	spec->key_only = (out->local == NIL && list_length(pushable) == 1 &&
					  !key->is_array);
	foreach(lc, pushable)
		out->local = lappend(out->local, ((PushedQual *) lfirst(lc))->rinfo);

	/* the list scan that replaces lookups a key cannot be sent for */
	for (f = info->res->filters; f->field; f++)
	{
		PlanhatParamSpec *p = base_param(f);

		if (p)
			spec->params = lappend(spec->params, p);
	}
	return true;
}

/*
 * map_filters
 *		The list filters of a list scan, in catalog order so URLs are
 *		stable.  Each filter takes the first qual on its field (day ranges
 *		take all their bounds); further quals on the same field stay local.
 *		Each qual goes to out->remote when Planhat evaluates it exactly,
 *		else to out->local.
 */
static void
map_filters(PlanhatRelInfo *info, PlanhatScanSpec *spec, List *pushable,
			List **fdw_exprs, SpecClauses *out)
{
	const PlanhatFilter *f;
	ListCell   *lc;

	for (f = info->res->filters; f->field; f++)
	{
		PlanhatParamSpec *p = NULL;
		PlanhatParamSpec *p2 = NULL;

		foreach(lc, pushable)
		{
			PushedQual *pq = lfirst(lc);

			if (pq->filter != f || pq->rinfo == NULL)
				continue;

			if (f->kind == PH_FILTER_DAY_RANGE)
			{
				bool		lower = (pq->op == QUAL_GE || pq->op == QUAL_GT ||
									 pq->op == QUAL_EQ);
				bool		upper = (pq->op == QUAL_LE || pq->op == QUAL_LT ||
									 pq->op == QUAL_EQ);
				int			idx = add_fdw_expr(fdw_exprs, pq->value);
				bool		is_day = getBaseType(exprType((Node *) pq->value)) == DATEOID;

				/* a day column moves strict bounds by a day */
				if (lower)
				{
					if (p == NULL)
						p = new_param(PH_PARAM_DAY_FROM, f, f->param);
					p->exprs = lappend_int(p->exprs, idx);
					p->adjust = lappend_int(p->adjust,
											(is_day && pq->op == QUAL_GT) ? 1 : 0);
				}
				if (upper)
				{
					if (p2 == NULL)
						p2 = new_param(PH_PARAM_DAY_TO, f, f->param2);
					p2->exprs = lappend_int(p2->exprs, idx);
					p2->adjust = lappend_int(p2->adjust,
											 (is_day && pq->op == QUAL_LT) ? -1 : 0);
				}
			}
			else if (p != NULL)
				continue;		/* one qual per filter */
			else
			{
				p = add_filter_param(f, pq, info, fdw_exprs);

				/*
				 * One stream per value, or a list that may be split in
				 * chunks: the answer is not one ordered list.
				 */
				if (pq->is_array &&
					(f->kind == PH_FILTER_SINGLE ||
					 !IsA(pq->value, Const) ||
					 const_array_length((Const *) pq->value) > PLANHAT_MAX_LIST_VALUES))
					out->single_stream = false;
			}

			if (pq->exact)
				out->remote = lappend(out->remote, pq->rinfo);
			else
				out->local = lappend(out->local, pq->rinfo);
			pq->rinfo = NULL;	/* consumed */
		}

		/* filters that shape the base scan even without a qual */
		if (p == NULL && (p = base_param(f)) != NULL &&
			p->kind == PH_PARAM_STREAMS)
			out->single_stream = false;
		if (p)
			spec->params = lappend(spec->params, p);
		if (p2)
			spec->params = lappend(spec->params, p2);
	}

	/* pushable quals that found no use (a second qual on a field) */
	foreach(lc, pushable)
	{
		PushedQual *pq = lfirst(lc);

		if (pq->rinfo != NULL)
			out->local = lappend(out->local, pq->rinfo);
	}
}

/*
 * find_bounds
 *		The quals of 'clauses' that bound a column of 'field' from the side
 *		that a list sorted on it reaches last: lower bounds (>, >=, =) of a
 *		descending sort, upper bounds (<, <=, =) of an ascending one.  Once a
 *		row of such a list fails one of them, every later row fails it too.
 *
 * The column must sort in Planhat as in PostgreSQL (column_sortable); the
 * value must be evaluated once per scan, like a pushed filter's; and the
 * comparison must be one of the btree ordering of the column's type, whose
 * comparison function scan.c compares the rows with.  The bounds found are
 * all on one column: the first that has one.
 */
static List *
find_bounds(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
			List *clauses, const char *field, bool desc)
{
	List	   *result = NIL;
	int			attnum = 0;
	ListCell   *lc;

	foreach(lc, clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);
		OpExpr	   *op = (OpExpr *) ri->clause;
		Var		   *var;
		Node	   *value;
		Oid			opno;
		Oid			opfamily;
		PlanhatColumn *col;
		BoundQual  *b;
		QualOp		qop;

		if (ri->pseudoconstant || !IsA(op, OpExpr) || list_length(op->args) != 2)
			continue;
		opno = op->opno;
		var = qual_var(linitial(op->args), baserel->relid);
		value = lsecond(op->args);
		if (var == NULL)
		{
			var = qual_var(lsecond(op->args), baserel->relid);
			value = linitial(op->args);
			opno = get_commutator(opno);
		}
		if (var == NULL || !OidIsValid(opno) || var->varattno > info->natts ||
			(attnum != 0 && var->varattno != attnum))
			continue;
		col = &info->cols[var->varattno - 1];
		if (col->cat == NULL || strcmp(col->field, field) != 0 ||
			!column_sortable(col, op->inputcollid) ||
			!value_is_pushable(root, baserel, value))
			continue;

		/* an ordering of the column type's default btree opfamily */
		opfamily = get_opclass_family(GetDefaultOpClass(getBaseType(col->typid),
														BTREE_AM_OID));
		if (!OidIsValid(get_opfamily_proc(opfamily, getBaseType(col->typid),
										  getBaseType(exprType(value)),
										  BTORDER_PROC)))
			continue;
		switch (get_op_opfamily_strategy(opno, opfamily))
		{
			case BTEqualStrategyNumber:
				qop = QUAL_EQ;
				break;
			case BTGreaterStrategyNumber:
				qop = QUAL_GT;
				break;
			case BTGreaterEqualStrategyNumber:
				qop = QUAL_GE;
				break;
			case BTLessStrategyNumber:
				qop = QUAL_LT;
				break;
			case BTLessEqualStrategyNumber:
				qop = QUAL_LE;
				break;
			default:
				continue;
		}
		if (desc ? (qop == QUAL_LT || qop == QUAL_LE) :
			(qop == QUAL_GT || qop == QUAL_GE))
			continue;

		b = palloc0(sizeof(BoundQual));
		b->rinfo = ri;
		b->attnum = var->varattno;
		b->op = qop;
		b->value = (Expr *) value;
		result = lappend(result, b);
		attnum = var->varattno;
	}
	return result;
}

/*
 * add_stop
 *		An early stop for a list scan (PlanhatScanSpec.stop), from the quals
 *		evaluated locally.
 *
 * Planhat has no "changed since" filter, but it sorts: a lower bound on
 * updatedAt (the incremental pull of a warehouse refresh) is sent as
 * sort=-updatedAt, and each list ends at the page where its rows fall below
 * the bound.  Where the query's ORDER BY is pushed, Planhat takes no second
 * sort key: bounds on that sort field end the list the same way, and a
 * bound on updatedAt is only evaluated locally (EXPLAIN says so).  Every
 * bound stays a local qual: the rows are rechecked, and a list whose order
 * turns out not to hold is read to its end (scan.c).
 */
static void
add_stop(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
		 PlanhatScanSpec *spec, List *local, List **fdw_exprs)
{
	const char *field;
	bool		desc;
	List	   *bounds;
	ListCell   *lc;

	if (spec->sort)
	{
		desc = (spec->sort[0] == '-');
		field = desc ? spec->sort + 1 : spec->sort;
		if (strcmp(field, "updatedAt") != 0 || !desc)
		{
			bounds = find_bounds(root, baserel, info, local, "updatedAt", true);
			if (bounds != NIL)
			{
				spec->bound_column =
					pstrdup(info->cols[((BoundQual *) linitial(bounds))->attnum - 1].attname);
				spec->bound_note = psprintf("sort=%s is the query's ORDER BY", spec->sort);
			}
		}
	}
	else
	{
		desc = true;
		field = "updatedAt";
	}
	bounds = find_bounds(root, baserel, info, local, field, desc);
	if (bounds == NIL)
		return;

	if (spec->sort == NULL)
	{
		spec->sort = pstrdup("-updatedAt");
		spec->sort_for_stop = true;
	}
	spec->stop = desc ? PH_STOP_BELOW : PH_STOP_ABOVE;
	spec->bound_attnum = ((BoundQual *) linitial(bounds))->attnum;
	spec->bound_column = pstrdup(info->cols[spec->bound_attnum - 1].attname);
	spec->bound_note = NULL;
	foreach(lc, bounds)
	{
		BoundQual  *b = lfirst(lc);

		spec->bound_exprs = lappend_int(spec->bound_exprs,
										add_fdw_expr(fdw_exprs, b->value));
		spec->bound_ops = lappend(spec->bound_ops,
								  b->op == QUAL_EQ ? "=" :
								  b->op == QUAL_GT ? ">" :
								  b->op == QUAL_GE ? ">=" :
								  b->op == QUAL_LT ? "<" : "<=");
	}
}

/*
 * Add to *attrs a column of this field that a row check of scan.c can read
 * (text for keys and filters, boolean for flags, date for day numbers), or
 * nothing when the table has none.  A column the query uses is preferred.
 */
static void
add_check_column(PlanhatRelInfo *info, const char *field, Bitmapset **attrs)
{
	int			found = -1;
	int			i;

	for (i = 0; i < info->natts; i++)
	{
		PlanhatColumn *col = &info->cols[i];
		Oid			base = getBaseType(col->typid);

		if (col->attname == NULL || col->is_attrs || col->field == NULL ||
			strcmp(col->field, field) != 0)
			continue;
		if (base != TEXTOID && base != VARCHAROID && base != BOOLOID &&
			base != DATEOID)
			continue;
		if (bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, *attrs))
			return;
		if (found < 0)
			found = i;
	}
	if (found >= 0)
		*attrs = bms_add_member(*attrs, found + 1 - FirstLowInvalidHeapAttributeNumber);
}

/*
 * finish_spec
 *		The fdw_private of a path (FdwPathPrivateIndex) whose request is
 *		spec with its values fdw_exprs, made by make_spec from scan_clauses
 *		(RestrictInfos: the relation's own and, for a parameterized path,
 *		the join clauses) with the result *out.  sort is the sort= value of
 *		a sorted path and has_limit says the query's LIMIT/OFFSET is pushed;
 *		both were checked by the caller.  Adds them and the select= list:
 *		the query's columns plus those the scan verifies rows with.  Changes
 *		spec and appends to fdw_exprs: callers pass their own.
 */
static List *
finish_spec(PlannerInfo *root, RelOptInfo *baserel, PlanhatRelInfo *info,
			PlanhatScanSpec *spec, List *fdw_exprs, const SpecClauses *out,
			List *scan_clauses, const char *sort, bool has_limit)
{
	Bitmapset  *attrs;
	List	   *retrieved = NIL;
	ListCell   *lc;
	int			i;

	/*
	 * The columns to read: the relation's output (reltarget, already in
	 * attrs_used), every clause, join clauses included, and the fields the
	 * scan verifies rows with.  Not the plan's tlist: for "count(*)" it is
	 * the physical tlist of every column, whose values nobody reads.
	 */
	attrs = bms_copy(info->attrs_used);
	foreach(lc, scan_clauses)
	{
		RestrictInfo *ri = lfirst_node(RestrictInfo, lc);

		pull_varattnos((Node *) ri->clause, baserel->relid, &attrs);
	}
	if (planhat_pushdown_enabled)
	{
		foreach(lc, spec->params)
		{
			PlanhatParamSpec *p = lfirst(lc);

			if (p->exact && p->field)
				add_check_column(info, p->field, &attrs);
		}
	}

	/* the sort and limit */
	if (sort && spec->kind == PH_SCAN_LIST && out->single_stream)
	{
		spec->sort = pstrdup(sort);
		spec->sort_relied = true;
		add_check_column(info, sort[0] == '-' ? sort + 1 : sort, &attrs);
	}
	if (planhat_pushdown_enabled && spec->kind == PH_SCAN_LIST && spec->paginated)
		add_stop(root, baserel, info, spec, out->local, &fdw_exprs);
	if (has_limit && out->local == NIL && spec->kind == PH_SCAN_LIST &&
		out->single_stream && spec->paginated)
	{
		Query	   *parse = root->parse;

		if (parse->limitCount)
			spec->limit_expr = add_fdw_expr(&fdw_exprs, (Expr *) parse->limitCount);
		if (parse->limitOffset)
			spec->offset_expr = add_fdw_expr(&fdw_exprs, (Expr *) parse->limitOffset);
	}
	spec->select = planhat_pushdown_enabled ?
		select_list(info, attrs) : NULL;
	spec->has_recheck = (out->remote != NIL);

	/* whole-row reference: every column */
	for (i = 1; i <= info->natts; i++)
	{
		if (bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs) ||
			bms_is_member(i - FirstLowInvalidHeapAttributeNumber, attrs))
			retrieved = lappend_int(retrieved, i);
	}

	return list_make5(planhat_spec_to_list(spec), fdw_exprs,
					  extract_actual_clauses(out->local, false),
					  extract_actual_clauses(out->remote, false),
					  retrieved);
}

/*
 * planhat_path_private
 *		The fdw_private of an unparameterized path: the relation's request
 *		(made once, by planhat_plan_rel) with this sort= value and, when
 *		has_limit, the query's LIMIT/OFFSET.
 */
List *
planhat_path_private(PlannerInfo *root, RelOptInfo *baserel,
					 PlanhatRelInfo *info, const char *sort, bool has_limit)
{
	PlanhatScanSpec *spec = palloc(sizeof(PlanhatScanSpec));
	SpecClauses out;

	*spec = *info->base_spec;
	out.remote = info->remote_conds;
	out.local = info->local_conds;
	out.notes = info->base_spec->notes;
	out.single_stream = info->single_stream;
	out.nkeys = info->nkeys;
	return finish_spec(root, baserel, info, spec, list_copy(info->base_exprs),
					   &out, baserel->baserestrictinfo, sort, has_limit);
}

/*
 * select_list
 *		The select= value for these columns: "_id" first, then each needed
 *		column's top-level field once.  NULL when the whole object is needed
 *		(a whole-row reference or the attrs column).
 */
static char *
select_list(PlanhatRelInfo *info, Bitmapset *attrs_used)
{
	StringInfoData buf;
	List	   *seen = NIL;
	bool		whole;
	int			i;

	/* a whole-row reference or the attrs column needs every field */
	whole = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, attrs_used);
	for (i = 0; i < info->natts && !whole; i++)
	{
		if (info->cols[i].is_attrs &&
			bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs_used))
			whole = true;
	}

	/*
	 * Without select Planhat returns whole objects -- except on resources
	 * with a default projection (users), where every documented field must
	 * be named.
	 */
	if (whole && !(info->res->flags & PH_RES_DEFAULT_PROJECTION))
		return NULL;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "_id");
	seen = lappend(seen, "_id");
	for (i = -1; i < info->natts; i++)
	{
		const char *fields[2] = {NULL, NULL};
		int			k;

		if (i == -1)
		{
			/* with a default projection, every documented field first */
			const PlanhatField *f;

			if (!whole)
				continue;
			for (f = info->res->fields; f->name; f++)
			{
				ListCell   *lc;
				bool		dup = false;

				foreach(lc, seen)
				{
					if (strcmp((char *) lfirst(lc), f->name) == 0)
						dup = true;
				}
				if (!dup)
				{
					seen = lappend(seen, (char *) f->name);
					appendStringInfo(&buf, ",%s", f->name);
				}
			}
			continue;
		}
		if (info->cols[i].attname == NULL || info->cols[i].is_attrs ||
			(!whole &&
			 !bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, attrs_used)))
			continue;
		fields[0] = info->cols[i].field;
		fields[1] = info->cols[i].alt_field;
		for (k = 0; k < 2; k++)
		{
			char	   *top;
			char	   *dot;
			ListCell   *lc;
			bool		dup = false;

			if (fields[k] == NULL)
				continue;
			top = pstrdup(fields[k]);
			dot = strchr(top, '.');
			if (dot)
				*dot = '\0';
			/* select is a comma list: such a name cannot be selected */
			if (strchr(top, ',') != NULL)
				return NULL;
			foreach(lc, seen)
			{
				if (strcmp((char *) lfirst(lc), top) == 0)
					dup = true;
			}
			if (dup)
				continue;
			seen = lappend(seen, top);
			appendStringInfo(&buf, ",%s", top);
		}
	}
	return buf.data;
}

/*
 * planhat_full_scan_spec
 *		A spec that reads every row and every field of the resource (for
 *		ANALYZE): no filters but those that shape the base scan.
 */
PlanhatScanSpec *
planhat_full_scan_spec(const PlanhatOptions *opts)
{
	const PlanhatResource *res = opts->resource;
	PlanhatScanSpec *spec = palloc0(sizeof(PlanhatScanSpec));
	const PlanhatFilter *f;

	spec->kind = PH_SCAN_LIST;
	spec->path = pstrdup(res->path);
	spec->key_expr = -1;
	spec->limit_expr = -1;
	spec->offset_expr = -1;
	spec->fetch_size = opts->fetch_size;
	spec->paginated = (res->max_limit > 0);
	if (!(res->verbs & PH_VERB_LIST))
	{
		spec->kind = PH_SCAN_NONE;	/* insert-only: no row to read */
		spec->path = pstrdup(res->name);
		spec->paginated = false;
		return spec;
	}
	for (f = res->filters; f->field; f++)
	{
		PlanhatParamSpec *p = base_param(f);

		if (p)
			spec->params = lappend(spec->params, p);
	}
	return spec;
}
