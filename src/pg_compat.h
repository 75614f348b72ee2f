/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *		  Every difference between the PostgreSQL major versions that
 *		  planhat_fdw supports, in one place.
 *
 * The code is written against the newest API; each difference is one
 * macro or static inline function here, named after what it does, and the
 * call sites use only those.  Nothing else in the tree tests
 * PG_VERSION_NUM.
 *
 * Tested: 15 (Debian 12), 17 (Debian 13), 18 (Debian testing).  16 is built
 * from its headers' documented signatures but not tested: no Debian suite
 * ships it.  What changed, and in which release:
 *
 *	16	RangeTblEntry.checkAsUser moved to RTEPermissionInfo: the executor
 *		asks ForeignScan.checkAsUser or ExecGetResultRelCheckAsUser();
 *		AdjustTimestampForTypmodError() became AdjustTimestampForTypmod()
 *		with an ErrorSaveContext ("soft" errors).
 *	17	create_foreignscan_path() and create_foreign_upper_path() take the
 *		path's fdw_restrictinfo.
 *	18	the path constructors take disabled_nodes; ExplainState and the
 *		ExplainProperty*() functions moved to commands/explain_state.h and
 *		commands/explain_format.h; pg_attribute_noreturn() became the
 *		pg_noreturn prefix; PathKey.pk_strategy became pk_cmptype;
 *		vacuum_delay_point() takes is_analyze; POSIX_COLLATION_OID is no
 *		longer generated (the collation itself is unchanged);
 *		PG_MODULE_MAGIC_EXT() names the module and its version.
 *
 * Copyright (c) 2026, planhat_fdw contributors
 *
 * IDENTIFICATION
 *		  src/pg_compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PLANHAT_PG_COMPAT_H
#define PLANHAT_PG_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "planhat_fdw needs PostgreSQL 15 or later"
#endif

#include "access/stratnum.h"
#include "catalog/pg_collation.h"
#include "commands/vacuum.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/pathnodes.h"
#include "nodes/plannodes.h"
#include "optimizer/pathnode.h"
#include "utils/datetime.h"

#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#include "commands/explain_state.h"
#else
#include "commands/explain.h"
#endif

#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif

/* ----------------------------------------------------------------
 *		Declarations
 * ----------------------------------------------------------------
 */

/*
 * A function that never returns: write "pg_noreturn" before the return
 * type (18's form).  Before 18, GCC and clang accept the attribute there.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * The module's magic block; from 18 on it carries the name and version
 * that pg_get_loaded_modules() shows.
 */
#ifdef PG_MODULE_MAGIC_EXT
#define PH_MODULE_MAGIC \
	PG_MODULE_MAGIC_EXT(.name = "planhat_fdw", .version = PLANHAT_FDW_VERSION)
#else
#define PH_MODULE_MAGIC PG_MODULE_MAGIC
#endif

/* ----------------------------------------------------------------
 *		Planner
 * ----------------------------------------------------------------
 */

/*
 * create_foreignscan_path() and create_foreign_upper_path() with 17's
 * arguments.  18's disabled_nodes is 0: no enable_* setting disables a
 * foreign scan.  Before 17, fdw_restrictinfo does not exist and must be NIL.
 */
#if PG_VERSION_NUM >= 180000
#define ph_create_foreignscan_path(root, rel, target, rows, startup, total, \
								   pathkeys, required_outer, outerpath, \
								   restrictinfo, private) \
	create_foreignscan_path((root), (rel), (target), (rows), 0, (startup), \
							(total), (pathkeys), (required_outer), \
							(outerpath), (restrictinfo), (private))
#define ph_create_foreign_upper_path(root, rel, target, rows, startup, total, \
									 pathkeys, outerpath, restrictinfo, \
									 private) \
	create_foreign_upper_path((root), (rel), (target), (rows), 0, (startup), \
							  (total), (pathkeys), (outerpath), \
							  (restrictinfo), (private))
#elif PG_VERSION_NUM >= 170000
#define ph_create_foreignscan_path(root, rel, target, rows, startup, total, \
								   pathkeys, required_outer, outerpath, \
								   restrictinfo, private) \
	create_foreignscan_path((root), (rel), (target), (rows), (startup), \
							(total), (pathkeys), (required_outer), \
							(outerpath), (restrictinfo), (private))
#define ph_create_foreign_upper_path(root, rel, target, rows, startup, total, \
									 pathkeys, outerpath, restrictinfo, \
									 private) \
	create_foreign_upper_path((root), (rel), (target), (rows), (startup), \
							  (total), (pathkeys), (outerpath), \
							  (restrictinfo), (private))
#else
#define ph_create_foreignscan_path(root, rel, target, rows, startup, total, \
								   pathkeys, required_outer, outerpath, \
								   restrictinfo, private) \
	(AssertMacro((restrictinfo) == NIL), \
	 create_foreignscan_path((root), (rel), (target), (rows), (startup), \
							 (total), (pathkeys), (required_outer), \
							 (outerpath), (private)))
#define ph_create_foreign_upper_path(root, rel, target, rows, startup, total, \
									 pathkeys, outerpath, restrictinfo, \
									 private) \
	(AssertMacro((restrictinfo) == NIL), \
	 create_foreign_upper_path((root), (rel), (target), (rows), (startup), \
							   (total), (pathkeys), (outerpath), (private)))
#endif

/* The direction of a sort key: ascending (<) or descending (>) */
#if PG_VERSION_NUM >= 180000
#define ph_pathkey_is_asc(pk)	((pk)->pk_cmptype == COMPARE_LT)
#define ph_pathkey_is_desc(pk)	((pk)->pk_cmptype == COMPARE_GT)
#else
#define ph_pathkey_is_asc(pk)	((pk)->pk_strategy == BTLessStrategyNumber)
#define ph_pathkey_is_desc(pk)	((pk)->pk_strategy == BTGreaterStrategyNumber)
#endif

/*
 * The "POSIX" collation, which sorts like "C".  18 no longer generates the
 * symbol; the row in pg_collation.dat keeps OID 951.
 */
#ifndef POSIX_COLLATION_OID
#define POSIX_COLLATION_OID 951
#endif

/* ----------------------------------------------------------------
 *		Executor
 * ----------------------------------------------------------------
 */

/*
 * The user whose user mapping a foreign scan (or a direct modification,
 * which is a ForeignScan too) uses: the view owner for a scan through a
 * security-barrier view, the current user otherwise.
 */
static inline Oid
ph_scan_user(ForeignScan *fsplan, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	return OidIsValid(fsplan->checkAsUser) ? fsplan->checkAsUser : GetUserId();
#else
	RangeTblEntry *rte = exec_rt_fetch(fsplan->scan.scanrelid, estate);

	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

/* The user whose user mapping INSERT, UPDATE or DELETE on a result relation uses */
static inline Oid
ph_result_rel_user(ResultRelInfo *rinfo, EState *estate)
{
#if PG_VERSION_NUM >= 160000
	return ExecGetResultRelCheckAsUser(rinfo, estate);
#else
	RangeTblEntry *rte = exec_rt_fetch(rinfo->ri_RangeTableIndex, estate);

	return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

/* A cost-based vacuum delay point in ANALYZE's sampling loop */
#if PG_VERSION_NUM >= 180000
#define ph_analyze_delay_point()	vacuum_delay_point(true)
#else
#define ph_analyze_delay_point()	vacuum_delay_point()
#endif

/* ----------------------------------------------------------------
 *		Data types
 * ----------------------------------------------------------------
 */

/*
 * Round a timestamp to a typmod's fractional digits; false (instead of an
 * ERROR) when the result is out of range.
 */
static inline bool
ph_timestamp_round_typmod(Timestamp *time, int32 typmod)
{
#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};

	return AdjustTimestampForTypmod(time, typmod, (Node *) &escontext);
#else
	bool		error = false;

	(void) AdjustTimestampForTypmodError(time, typmod, &error);
	return !error;
#endif
}

#endif							/* PLANHAT_PG_COMPAT_H */
