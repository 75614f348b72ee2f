#!/usr/bin/env bash
# test/check.sh: the whole planhat_fdw test suite (the README's test command; .ci/run calls it).
#
# Installs what is missing (as root), builds with -Werror and installs into a
# private installation tree, starts a throwaway PostgreSQL and the Planhat
# emulator, then runs
#   1. the emulator's unit tests          (each test counts)
#   2. the pg_regress suite               (each test counts; regression.diffs shown on failure)
#   3. the fuzz run, test/fuzz/run.sh 30  (counts 1; skipped without clang's libFuzzer)
#   4. every test/*.test.sh               (1 each; exit 0 = pass, 77 = skipped)
#   5. a secrets check: the API tokens must not appear in PostgreSQL's or the emulator's log (1)
# and ends with the line "N passed, N failed".  Exit status 1 when anything failed.
# Nothing is left running afterwards (unless --keep).
#
# --standalone adds, after the suite, test/standalone.sh: each pg_regress file
# alone in a fresh database, against the same expected output (1 part).  It
# takes about as long as the suite again, so it is not run by default.
#
# --valgrind (make check-valgrind) runs PostgreSQL under valgrind memcheck and
# only the pg_regress suite and the secrets check; the valgrind errors of all
# server processes count as one more part (0 errors = pass).  It takes a
# while; timing assertions of the suite may fail under valgrind's slowdown.
#
# Which PostgreSQL: without --pg, the host's (lib.sh: PH_PG=NN, else the
# newest installed, else the one the host's Debian packages).  --pg NN runs
# the suite with the Debian release that packages PostgreSQL NN, with that
# release's libcurl and json-c: on the host when it is that release, else in
# a chroot that test/chroot.sh creates on first use (15: Debian 12
# "bookworm", 17: Debian 13 "trixie", 18: Debian testing "forky").
#
# Usage: bash test/check.sh [--pg NN] [--no-install] [--only-regress] [--standalone] [--valgrind] [--keep]
set -euo pipefail

PH_TAG=check
# one stream, in order: the closing line stays the last line however the output is captured
exec 2>&1
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PH_REPO"

usage() {
	cat <<-EOF
		Usage: bash test/check.sh [options]
		  --pg NN          PostgreSQL NN with its Debian release (a chroot unless the host is it)
		  --no-install     do not apt-get install missing packages
		  --only-regress   run only the pg_regress suite
		  --standalone     also run each pg_regress file alone (test/standalone.sh)
		  --valgrind       run the pg_regress suite with PostgreSQL under valgrind
		  --keep           leave PostgreSQL and the emulator running; print how to connect
	EOF
}

opt_install=1
opt_only_regress=0
opt_standalone=0
opt_valgrind=0
opt_pg=
pass=()  # the options that a chroot run passes on
while [ $# -gt 0 ]; do
	case "$1" in
	--pg)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		opt_pg=$2
		shift
		;;
	--pg=*) opt_pg=${1#--pg=} ;;
	--no-install) opt_install=0; pass+=("$1") ;;
	--only-regress) opt_only_regress=1; pass+=("$1") ;;
	--standalone) opt_standalone=1; pass+=("$1") ;;
	--valgrind) opt_valgrind=1; pass+=("$1") ;;
	--keep) PH_KEEP=1; pass+=("$1") ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

if [ -n "$opt_pg" ]; then
	if ! [[ "$opt_pg" =~ ^[0-9]+$ ]]; then
		usage >&2
		exit 2
	fi
	if ! ph_pg_is_host_release "$opt_pg"; then
		exec bash "$PH_REPO/test/chroot.sh" "$opt_pg" ${pass[@]+"${pass[@]}"}
	fi
	export PH_PG=$opt_pg
fi

# ---------------------------------------------------------------- results

PASSED=0
FAILED=0
SUMMARY=()

# record PART PASSED FAILED [NOTE]
record() {
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	SUMMARY+=("$(printf '%-22s %s passed, %s failed%s' "$1" "$2" "$3" "${4:+ ($4)}")")
}

# skip PART REASON
skip() {
	SUMMARY+=("$(printf '%-22s skipped: %s' "$1" "$2")")
	ph_say "$1: skipped: $2"
}

# finish: the summary, the closing line last, the exit status
finish() {
	local line
	[ "$PH_KEEP" = 1 ] && [ -n "${PGPORT:-}" ] && ph_keep_notice
	echo
	echo "== summary"
	for line in "${SUMMARY[@]}"; do
		echo "$line"
	done
	echo "$PASSED passed, $FAILED failed"
	if [ "$FAILED" -gt 0 ] || [ "$PASSED" -eq 0 ]; then
		exit 1
	fi
	exit 0
}

# ---------------------------------------------------------------- parts

# Emulator unit tests: unittest's own "Ran N tests" / "FAILED (failures=F, errors=E, skipped=S)".
run_unit_tests() {
	local log="$PH_TMP/logs/unittest.log" rc ran failed skipped n key note=
	if ! compgen -G "test/emulator/test*.py" >/dev/null; then
		ph_err "emulator unit tests: no test/emulator/test*.py found"
		record "emulator unit tests" 0 1 "none found"
		return 0
	fi
	ph_say "emulator unit tests: running"
	rc=0
	# TMPDIR inside the temp dir: whatever the tests leave there goes with it
	mkdir -p "$PH_TMP/unittest"
	(cd test/emulator && TMPDIR="$PH_TMP/unittest" python3 -m unittest -v) >"$log" 2>&1 || rc=$?
	ran=$(sed -n -E 's/^Ran ([0-9]+) tests? in .*/\1/p' "$log" | tail -n 1)
	if [ -z "$ran" ]; then
		ph_err "emulator unit tests: unittest did not report a result (exit $rc)"
		ph_show_log "$log"
		record "emulator unit tests" 0 1 "no result"
		return 0
	fi
	# the status line: "OK", "OK (skipped=2)", "FAILED (failures=1, errors=2)"
	failed=0
	skipped=0
	for key in failures errors "unexpected successes"; do
		n=$(tail -n 3 "$log" | sed -n -E "s/.*(\\(|, )$key=([0-9]+).*/\\2/p" | tail -n 1)
		failed=$((failed + ${n:-0}))
	done
	for key in skipped "expected failures"; do
		n=$(tail -n 3 "$log" | sed -n -E "s/.*(\\(|, )$key=([0-9]+).*/\\2/p" | tail -n 1)
		skipped=$((skipped + ${n:-0}))
	done
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1  # unittest failed without saying why (e.g. an import error)
	fi
	if [ "$failed" -gt 0 ]; then
		grep -E '^(FAIL|ERROR):' "$log" | sed 's/^/    /' >&2 || true
		ph_show_log "$log" 60
	fi
	[ "$skipped" -eq 0 ] || note="$skipped skipped"
	record "emulator unit tests" $((ran - failed - skipped)) "$failed" "$note"
	ph_say "emulator unit tests: $((ran - failed - skipped)) passed, $failed failed"
}

# pg_regress through PGXS: its summary line gives the counts.  Up to 15 it
# prints "test options ... ok" and "All 13 tests passed."; from 16 on TAP
# lines, "ok 1 - options", "not ok 2 - read", and "# All 13 tests passed." /
# "# 2 of 13 tests failed.": the "# " is optional below.
run_regress() {
	local log="$PH_TMP/logs/regress.log" rc n m k ok bad
	rm -f regression.diffs regression.out
	ph_say "pg_regress: running make installcheck"
	set +e
	make PG_CONFIG="$PH_PG_CONFIG" installcheck 2>&1 | tee "$log" |
		{ grep --line-buffered -E '^((test | {5})[^ ]+ +\.\.\. |(not )?ok [0-9]+ )' || true; }
	rc=${PIPESTATUS[0]}
	set -e
	if read -r n < <(sed -n -E 's/^(# )? *All ([0-9]+) tests passed\..*/\2/p' "$log"); then
		record "pg_regress" "$n" 0
	elif read -r m n k < <(sed -n -E \
		's/^(# )? *([0-9]+) of ([0-9]+) tests failed(, ([0-9]+) of these failures ignored)?\..*/\2 \3 \5/p' "$log"); then
		# ignored failures (pg_regress "ignore" in a schedule) count neither way
		record "pg_regress" $((n - m)) $((m - ${k:-0})) "${k:+$k failures ignored}"
	elif read -r m n k < <(sed -n -E \
		's/^(# )? *([0-9]+) of ([0-9]+) tests passed, ([0-9]+) failed test\(s\) ignored\..*/\2 \3 \4/p' "$log"); then
		record "pg_regress" "$m" 0 "$k failures ignored"
	else
		# no summary: pg_regress could not run the tests at all
		ok=$(grep -cE '(\.\.\. ok |^ok [0-9]+ )' "$log" || true)
		bad=$(grep -cE '(\.\.\. FAILED|^not ok [0-9]+ )' "$log" || true)
		[ "$bad" -gt 0 ] || bad=1
		ph_err "pg_regress did not finish (exit $rc)"
		ph_show_log "$log"
		record "pg_regress" "$ok" "$bad" "no summary"
	fi
	if [ "$rc" -ne 0 ] && [ -s regression.diffs ]; then
		echo "---------------- regression.diffs ----------------"
		cat regression.diffs
		echo "---------------- end of regression.diffs ----------------"
	fi
}

# One script = one test: exit 0 passes, 77 is skipped, anything else fails.
# run_script PART LOG COMMAND...
run_script() {
	local part=$1 log=$2 rc=0
	shift 2
	ph_say "$part: running"
	"$@" >"$log" 2>&1 </dev/null || rc=$?
	case "$rc" in
	0)
		record "$part" 1 0
		ph_say "$part: ok: $(tail -n 1 "$log")"
		;;
	77) skip "$part" "$(tail -n 1 "$log")" ;;
	*)
		ph_err "$part failed (exit $rc)"
		ph_show_log "$log"
		record "$part" 0 1
		;;
	esac
}

# test/fuzz/run.sh finds clang and libFuzzer itself and exits 77 without them
run_fuzz() {
	if [ ! -f test/fuzz/run.sh ]; then
		skip "fuzz" "test/fuzz/run.sh not present"
	else
		run_script "fuzz" "$PH_TMP/logs/fuzz.log" bash test/fuzz/run.sh 30
	fi
}

run_extra_scripts() {
	local t
	for t in test/*.test.sh; do
		[ -f "$t" ] || continue
		run_script "$(basename "$t" .test.sh)" "$PH_TMP/logs/$(basename "$t").log" bash "$t"
	done
}

# The API tokens (plain, and as Basic auth "token:" in base64) must not
# appear in what PostgreSQL or the emulator logged.
run_secrets_check() {
	local token form file hits total=0
	for token in "$PLANHAT_TOKEN" "$PLANHAT_RO_TOKEN"; do
		[ -n "$token" ] || continue
		for form in "$token" "$(printf '%s:' "$token" | base64 -w 0)"; do
			for file in "$PH_SERVER_LOG" "$PH_EMULATOR_LOG"; do
				[ -f "$file" ] || continue
				hits=$(grep -cF -- "$form" "$file" || true)
				if [ "$hits" -gt 0 ]; then
					ph_err "secrets: an API token appears $hits time(s) in $file"
					grep -nF -- "$form" "$file" | head -n 5 | sed 's/^/    /' >&2
					total=$((total + hits))
				fi
			done
		done
	done
	if [ "$total" -eq 0 ]; then
		record "secrets in logs" 1 0
		ph_say "secrets: no token in the PostgreSQL or emulator log"
	else
		record "secrets in logs" 0 1
	fi
}

# The valgrind errors of every server process: the cluster is stopped first
# (fast, so that each process exits normally and valgrind writes its summary).
run_valgrind_check() {
	local summary
	ph_say "valgrind: stopping PostgreSQL"
	ph_stop_cluster fast
	summary=$(ph_valgrind_summary) && record "valgrind" 1 0 "$summary" ||
		record "valgrind" 0 1 "$summary"
	# the logs outlive the temp dir, beside pg_regress's results
	rm -rf results/valgrind
	mkdir -p results
	cp -r "$PH_VALGRIND_LOGS" results/valgrind
	ph_say "valgrind: $summary (logs: results/valgrind)"
}

# ---------------------------------------------------------------- main

if [ "$opt_valgrind" = 1 ]; then
	export PH_VALGRIND=1  # before ph_init: valgrind joins the required packages
	opt_only_regress=1
	PH_KEEP=0       # the cluster is stopped to collect valgrind's summaries
fi

ph_init

if [ "$opt_install" = 1 ]; then
	if ! ph_install_deps all; then
		record "set-up (dependencies)" 0 1
		finish
	fi
else
	ph_ensure_locale
fi

built=1
if ! ph_build; then
	record "build" 0 1
	built=0
fi

# everything the extension logs goes to the server log (the secrets check reads it)
export PH_LOG_MIN_MESSAGES=debug5
cluster=1
if ! ph_start_cluster; then
	record "set-up (PostgreSQL)" 0 1
	cluster=0
fi
emulator=1
if ! ph_start_emulator --dataset regress; then
	record "set-up (emulator)" 0 1
	emulator=0
fi

if [ "$opt_only_regress" = 0 ]; then
	run_unit_tests
fi

if [ "$built" = 1 ] && [ "$cluster" = 1 ] && [ "$emulator" = 1 ]; then
	run_regress
	if [ "$opt_standalone" = 1 ]; then
		run_script "pg_regress, each alone" "$PH_TMP/logs/standalone.log" bash test/standalone.sh
	fi
else
	skip "pg_regress" "set-up failed"
fi

if [ "$opt_only_regress" = 0 ]; then
	run_fuzz
	if [ "$built" = 1 ] && [ "$cluster" = 1 ] && [ "$emulator" = 1 ]; then
		run_extra_scripts
	elif compgen -G "test/*.test.sh" >/dev/null; then
		skip "test/*.test.sh" "set-up failed"
	fi
	if [ "$emulator" = 1 ]; then
		run_secrets_check
	fi
elif [ "$opt_valgrind" = 1 ]; then
	[ "$emulator" = 1 ] && run_secrets_check
	[ "$cluster" = 1 ] && run_valgrind_check
fi

finish
