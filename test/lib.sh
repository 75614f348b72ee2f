# shellcheck shell=bash
# test/lib.sh: shared by test/check.sh and test/demo.sh (source it; do not run it).
#
# Brings up everything planhat_fdw needs on a Debian machine, from nothing:
#   ph_init              temp dir /tmp/planhat_fdw.XXXXXX + cleanup traps (EXIT, INT, TERM),
#                        and the PostgreSQL version (ph_select_pg)
#   ph_install_deps all|required  apt-get install what is missing (root), en_US.UTF-8 locale
#   ph_build             make WERROR=1, then make install into a private installation
#                        tree in the temp dir (nothing is installed into the system)
#   ph_start_cluster     a throwaway PostgreSQL on a free port, socket in the temp dir
#   ph_start_emulator    the Planhat emulator (test/emulator/server.py) on free ports
#   ph_cleanup           stop both, remove the temp dir (idempotent; PH_KEEP=1 keeps all)
#
# The PostgreSQL version: PH_PG=NN (a major version) if set, else the newest
# one whose server and headers (postgresql-NN, postgresql-server-dev-NN) are
# installed, else the one this Debian release packages.  Debian's and PGDG's
# packages put it in /usr/lib/postgresql/NN.  test/chroot.sh runs the same
# scripts inside a Debian chroot for the versions the host does not package.
#
# Environment exported for psql, pg_regress and the tests:
#   PGHOST PGPORT PGUSER PGDATABASE             the throwaway cluster (PGHOST is the socket dir)
#   PH_SERVER_LOG                                PostgreSQL's log file
#   PLANHAT_EMULATOR_URL PLANHAT_URL             http://127.0.0.1:PORT (both the same)
#   PLANHAT_TLS_URL PLANHAT_CA_FILE              https://localhost:PORT and its CA (empty without TLS)
#   PLANHAT_TOKEN PLANHAT_RO_TOKEN PLANHAT_TENANT  API token, read-only token, tenant token
#   PHCTL                                        "python3 /abs/path/test/emulator/phctl.py"
#   PH_EMULATOR_LOG                              the emulator's stdout+stderr
#   PH_TMP                                       the temp dir holding all of the above
#   PH_DESTDIR                                   the private installation tree: after a
#                                                rebuild, make install DESTDIR=$PH_DESTDIR
#   PATH                                         PostgreSQL's bin directory first (psql)

PH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PH_PG=${PH_PG:-}
PH_PGBIN=          # the system's bin directory of PostgreSQL PH_PG (psql, pg_config)
PH_PG_CONFIG=${PH_PG_CONFIG:-}
PH_DESTDIR=        # the private installation tree (ph_build)
PH_SERVER_BIN=     # its bin directory: initdb, pg_ctl and postgres run from here
PH_TAG=${PH_TAG:-planhat_fdw}
PH_TMP=
PH_KEEP=${PH_KEEP:-0}
PH_EMU_PID=
PH_PGDATA=
PH_LOCALE=${PH_LOCALE:-}

# Debian packages.  Required ones make the run fail when missing; optional
# ones (the fuzz run's clang and libFuzzer; pg_cron, which ph_select_pg adds
# with PostgreSQL's) only turn the steps that need them into "skipped".
# test/chroot.sh installs the same lists into its chroots.
PH_REQUIRED_PKGS=(build-essential pkg-config libcurl4-openssl-dev libjson-c-dev
	python3 openssl locales ca-certificates)
PH_OPTIONAL_PKGS=(clang libclang-rt-dev)

# ---------------------------------------------------------------- messages

ph_say() { printf '[%s] %s\n' "$PH_TAG" "$*"; }
ph_warn() { printf '[%s] warning: %s\n' "$PH_TAG" "$*" >&2; }
ph_err() { printf '[%s] error: %s\n' "$PH_TAG" "$*" >&2; }

# ph_show_log FILE [N]: the last N lines of a log, indented, on stderr
ph_show_log() {
	local file=$1 n=${2:-40}
	[ -s "$file" ] || return 0
	printf '[%s] --- last lines of %s\n' "$PH_TAG" "$file" >&2
	tail -n "$n" -- "$file" | sed 's/^/    /' >&2
}

ph_is_root() { [ "$(id -u)" = 0 ]; }

# ph_apt ARGS...: apt-get, one at a time: .ci/run's parallel runs may all
# install at once on a fresh machine (and dpkg waits for other users too)
ph_apt() {
	flock /var/lib/apt/planhat_fdw.lock apt-get -o DPkg::Lock::Timeout=600 "$@"
}

# Run a command as the OS user that owns the cluster: PostgreSQL refuses to
# run as root, so root runs initdb/pg_ctl as "postgres".
ph_as_pg() {
	if ph_is_root; then
		(cd "$PH_TMP" && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# ---------------------------------------------------------------- set-up and clean-up

# ph_tmp_to_pg: as root, hand the temp dir to the postgres OS user, which runs
# the cluster in it and whose backends read the emulator's CA file from it
ph_tmp_to_pg() {
	ph_is_root || return 0
	if ! id postgres >/dev/null 2>&1; then
		ph_err "running as root but there is no 'postgres' OS user (is postgresql-$PH_PG installed?)"
		return 1
	fi
	chown postgres: "$PH_TMP"
}

# ph_init: make the temp dir, install the cleanup traps, choose the
# PostgreSQL version.  Call first.
ph_init() {
	PH_TMP=$(mktemp -d /tmp/planhat_fdw.XXXXXX) || { ph_err "could not create a temp dir in /tmp"; exit 1; }
	mkdir -p "$PH_TMP/logs"
	trap 'ph_on_exit' EXIT
	trap 'ph_on_signal INT 130' INT
	trap 'ph_on_signal TERM 143' TERM
	ph_select_pg || true
}

# ph_adopt_tree DIR: a test/*.test.sh that starts a cluster of its own runs
# it from the calling run's private installation tree DIR (that run's
# PH_DESTDIR, this checkout's library), when there is one
ph_adopt_tree() {
	[ -n "$1" ] || return 0
	PH_DESTDIR=$1
	PH_SERVER_BIN=$(dirname "$(find "$PH_DESTDIR" -path '*/bin/postgres' -print -quit)")
}

# ph_pg_suite NN: the Debian release that packages PostgreSQL NN (its
# codename), the one whose libcurl and json-c a test of NN uses.  16 is in
# none of them.  When testing moves on to a newer PostgreSQL, add it here.
ph_pg_suite() {
	case "$1" in
	15) echo bookworm ;;  # Debian 12
	17) echo trixie ;;    # Debian 13
	18) echo forky ;;     # Debian testing
	*) return 1 ;;
	esac
}

# ph_host_suite: this machine's Debian codename (empty elsewhere)
ph_host_suite() {
	# shellcheck disable=SC1091
	[ -r /etc/os-release ] && (. /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-}")
}

# ph_pg_is_host_release NN: is this machine the Debian release that packages NN?
ph_pg_is_host_release() {
	local suite
	suite=$(ph_pg_suite "$1") || return 1
	[ "$suite" = "$(ph_host_suite)" ]
}

# ph_debian_pg: the PostgreSQL major version this machine's Debian release
# packages (what the "postgresql" package depends on)
ph_debian_pg() {
	local v
	command -v apt-cache >/dev/null 2>&1 || return 1
	v=$(apt-cache depends postgresql 2>/dev/null | sed -n -E 's/^ *Depends: postgresql-([0-9]+)$/\1/p' | head -n 1)
	if [ -z "$v" ] && ph_is_root; then
		# no package lists yet (a fresh machine)
		ph_apt update -q >/dev/null 2>&1 || true
		v=$(apt-cache depends postgresql 2>/dev/null | sed -n -E 's/^ *Depends: postgresql-([0-9]+)$/\1/p' | head -n 1)
	fi
	[ -n "$v" ] && printf '%s\n' "$v"
}

# ph_select_pg: set PH_PG, PH_PGBIN, PH_PG_CONFIG and add PostgreSQL's
# packages to PH_REQUIRED_PKGS (see the top of this file for the choice)
ph_select_pg() {
	local d
	if [ -z "$PH_PG" ] && [ -n "$PH_PG_CONFIG" ]; then
		PH_PG=$("$PH_PG_CONFIG" --version 2>/dev/null | sed -n -E 's/^PostgreSQL ([0-9]+).*/\1/p')
	fi
	if [ -z "$PH_PG" ]; then
		for d in /usr/lib/postgresql/*/; do
			d=${d%/}
			d=${d##*/}
			[[ "$d" =~ ^[0-9]+$ ]] || continue
			if [ -x "/usr/lib/postgresql/$d/bin/postgres" ] && [ -x "/usr/lib/postgresql/$d/bin/pg_config" ] &&
				{ [ -z "$PH_PG" ] || [ "$d" -gt "$PH_PG" ]; }; then
				PH_PG=$d
			fi
		done
	fi
	[ -n "$PH_PG" ] || PH_PG=$(ph_debian_pg) || PH_PG=
	if ! [[ "$PH_PG" =~ ^[0-9]+$ ]]; then
		ph_err "no PostgreSQL found: install postgresql-NN and postgresql-server-dev-NN, or set PH_PG=NN"
		PH_PG=
		return 1
	fi
	if [ -n "$PH_PG_CONFIG" ]; then
		# a PostgreSQL of its own (PH_PG_CONFIG=/path/to/pg_config): no packages for it
		PH_PGBIN=$("$PH_PG_CONFIG" --bindir) || return 1
	else
		PH_PGBIN=/usr/lib/postgresql/$PH_PG/bin
		PH_PG_CONFIG=$PH_PGBIN/pg_config
		PH_REQUIRED_PKGS+=("postgresql-$PH_PG" "postgresql-server-dev-$PH_PG")
		# test/pg_cron.test.sh
		PH_OPTIONAL_PKGS+=("postgresql-$PH_PG-cron")
	fi
	if [ "${PH_VALGRIND:-0}" = 1 ]; then
		PH_REQUIRED_PKGS+=(valgrind)
	fi
}

ph_on_exit() {
	local rc=$?
	ph_cleanup
	exit "$rc"
}

ph_on_signal() {
	trap - INT TERM
	printf '\n[%s] interrupted (SIG%s): cleaning up\n' "$PH_TAG" "$1" >&2
	ph_cleanup
	exit "$2"
}

# ph_cleanup: stop the emulator and PostgreSQL, remove the temp dir.
# Silent (check.sh's closing line must stay the last line), idempotent.
ph_cleanup() {
	[ "$PH_KEEP" = 1 ] && return 0
	ph_stop_emulator
	ph_stop_cluster
	case "$PH_TMP" in
	/tmp/planhat_fdw.??????) rm -rf -- "$PH_TMP" ;;
	esac
	PH_TMP=
	return 0
}

# ---------------------------------------------------------------- dependencies

# ph_missing_pkgs PKG...: print the packages that are not installed
ph_missing_pkgs() {
	local pkg status
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) || status=
		[ "$status" = "install ok installed" ] || printf '%s\n' "$pkg"
	done
}

# ph_install_deps all|required: install what is missing, quietly ("all" adds
# the optional packages).  As non-root nothing is installed: missing required
# packages are an error.
ph_install_deps() {
	local log="$PH_TMP/logs/apt.log" missing optional=() installed=() pkg
	if [ -z "$PH_PG" ]; then
		return 1  # ph_select_pg said why
	fi
	if ! command -v dpkg-query >/dev/null 2>&1; then
		ph_warn "dpkg-query not found (not Debian?): assuming the dependencies are present"
		return 0
	fi
	mapfile -t missing < <(ph_missing_pkgs "${PH_REQUIRED_PKGS[@]}")
	if [ "$1" = all ]; then
		mapfile -t optional < <(ph_missing_pkgs "${PH_OPTIONAL_PKGS[@]}")
	fi

	if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
		ph_say "dependencies: all present"
	elif ! ph_is_root; then
		if [ ${#missing[@]} -gt 0 ]; then
			ph_err "missing packages: ${missing[*]}"
			ph_err "install them as root: apt-get install -y ${missing[*]} (or run this script as root)"
			return 1
		fi
		ph_warn "optional packages missing (the steps that need them will be skipped): ${optional[*]}"
	else
		export DEBIAN_FRONTEND=noninteractive
		ph_say "dependencies: installing $(printf '%s ' "${missing[@]}" "${optional[@]}")(log: $log)"
		if ! ph_apt update -q >>"$log" 2>&1; then
			ph_err "apt-get update failed"
			ph_show_log "$log"
			return 1
		fi
		if [ ${#missing[@]} -gt 0 ]; then
			if ! ph_apt install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
				ph_err "apt-get install failed"
				ph_show_log "$log"
				return 1
			fi
			installed+=("${missing[@]}")
		fi
		# one at a time: a package this release lacks does not keep out the others
		for pkg in "${optional[@]}"; do
			if ph_apt install -y -q --no-install-recommends "$pkg" >>"$log" 2>&1; then
				installed+=("$pkg")
			else
				ph_warn "could not install $pkg: the steps that need it will be skipped"
			fi
		done
		[ ${#installed[@]} -eq 0 ] || ph_say "dependencies: installed ${installed[*]}"
	fi
	ph_ensure_locale
}

# ph_ensure_locale: choose the cluster's locale (PH_LOCALE).  The expected
# outputs assume en_US.UTF-8: a non-C collation, so that a text ORDER BY
# pushed down with the wrong semantics shows up.  Root generates it when
# missing; otherwise fall back to C.UTF-8 with a warning.
ph_has_locale() { locale -a 2>/dev/null | grep -qixE "${1//./\\.}|${1%%.*}\\.utf8"; }

ph_ensure_locale() {
	local want=en_US.UTF-8 log="$PH_TMP/logs/locale.log"
	if [ -n "$PH_LOCALE" ]; then
		return 0
	fi
	if ! ph_has_locale "$want" && ph_is_root && [ -f /etc/locale.gen ] && command -v locale-gen >/dev/null 2>&1; then
		ph_say "locale: generating $want"
		# uncomment it (or add it) in /etc/locale.gen so that a later
		# locale-gen keeps it, then regenerate
		if grep -qE "^[#[:space:]]*${want//./\\.}[[:space:]]+UTF-8" /etc/locale.gen; then
			sed -i -E "s/^[#[:space:]]*(${want//./\\.}[[:space:]]+UTF-8)/\\1/" /etc/locale.gen
		else
			printf '%s UTF-8\n' "$want" >>/etc/locale.gen
		fi
		locale-gen >>"$log" 2>&1 || ph_show_log "$log"
	fi
	if ph_has_locale "$want"; then
		PH_LOCALE=$want
	else
		PH_LOCALE=C.UTF-8
		ph_warn "locale $want is not available: using $PH_LOCALE (text sort order in the regression tests will differ)"
	fi
}

# ---------------------------------------------------------------- build

ph_jobs() {
	local n
	n=$(nproc 2>/dev/null) || n=2
	[ "$n" -ge 2 ] 2>/dev/null || n=2
	printf '%s\n' "$n"
}

# ph_shadow_dir SRC DST [SUBDIR...]: make DST a directory of symbolic links
# to the entries of SRC.  Each SUBDIR becomes a real directory, shadowed the
# same way, so that make install writes into the copy and never through a
# link into SRC.  planhat_fdw's own files are left out.
ph_shadow_dir() {
	local src=$1 dst=$2 e name
	shift 2
	mkdir -p "$dst" || return 1
	for e in "$src"/*; do
		[ -e "$e" ] || continue
		name=${e##*/}
		case "$name" in planhat_fdw*) continue ;; esac
		if [ -d "$e" ] && [[ " $* " == *" $name "* ]]; then
			ph_shadow_dir "$e" "$dst/$name" || return 1
		else
			ln -s "$e" "$dst/$name" || return 1
		fi
	done
}

# ph_private_tree: PH_DESTDIR, an installation of the system's PostgreSQL
# private to this run.  PostgreSQL finds its share and lib directories
# relative to its own executable (the compiled-in paths, moved along with
# the bin directory), so a copy of initdb, pg_ctl and postgres under
# $PH_DESTDIR/usr/lib/postgresql/NN/bin reads $PH_DESTDIR/usr/share/... and
# $PH_DESTDIR/usr/lib/.../lib: links to the system's files, plus what
# make install DESTDIR=$PH_DESTDIR adds.  Parallel checkouts and versions
# never see each other's build, and the system's PostgreSQL is not touched.
ph_private_tree() {
	local bindir sharedir pkglibdir f
	bindir=$("$PH_PG_CONFIG" --bindir) && sharedir=$("$PH_PG_CONFIG" --sharedir) &&
		pkglibdir=$("$PH_PG_CONFIG" --pkglibdir) || return 1
	PH_DESTDIR="$PH_TMP/install"
	rm -rf -- "$PH_DESTDIR"
	mkdir -p "$PH_DESTDIR$bindir" || return 1
	for f in postgres initdb pg_ctl; do
		cp -- "$bindir/$f" "$PH_DESTDIR$bindir/$f" || return 1
	done
	ph_shadow_dir "$sharedir" "$PH_DESTDIR$sharedir" extension || return 1
	ph_shadow_dir "$pkglibdir" "$PH_DESTDIR$pkglibdir" bitcode || return 1
	PH_SERVER_BIN=$PH_DESTDIR$bindir
}

# ph_build: build warning-free and install into the private installation tree
ph_build() {
	local log="$PH_TMP/logs/build.log"
	if [ -z "$PH_PG_CONFIG" ] || [ ! -x "$PH_PG_CONFIG" ]; then
		ph_err "${PH_PG_CONFIG:-pg_config} not found: is postgresql-server-dev-${PH_PG:-NN} installed?"
		return 1
	fi
	if ! make -C "$PH_REPO" PG_CONFIG="$PH_PG_CONFIG" WERROR=1 -j"$(ph_jobs)" >"$log" 2>&1; then
		ph_err "build failed (make WERROR=1)"
		ph_show_log "$log" 60
		return 1
	fi
	if ! ph_private_tree >>"$log" 2>&1; then
		ph_err "could not set up the private installation tree in $PH_TMP/install"
		ph_show_log "$log"
		return 1
	fi
	if ! make -C "$PH_REPO" PG_CONFIG="$PH_PG_CONFIG" DESTDIR="$PH_DESTDIR" install >>"$log" 2>&1; then
		ph_err "make install DESTDIR=$PH_DESTDIR failed"
		ph_show_log "$log"
		return 1
	fi
	ph_say "build: planhat_fdw built for PostgreSQL $PH_PG and installed into $PH_DESTDIR (the system's PostgreSQL is not touched)"
}

# ---------------------------------------------------------------- PostgreSQL

# ph_free_port: a TCP port free on 127.0.0.1 right now (the kernel's choice)
ph_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ph_valgrind_wrapper: an executable that runs postgres under valgrind
# memcheck ($PH_TMP/valgrind-postgres, for pg_ctl -p).  Every backend is a fork of the postmaster and so
# runs under valgrind too; programs the server starts (COPY FROM PROGRAM)
# do not (--trace-children=no).  One log per process in $PH_TMP/valgrind.
# Leaks: only "definitely lost" blocks count, since a backend exits with its
# memory contexts still reachable by design.
ph_valgrind_wrapper() {
	local wrapper="$PH_TMP/valgrind-postgres"
	PH_VALGRIND_LOGS="$PH_TMP/valgrind"
	mkdir -p "$PH_VALGRIND_LOGS"
	cat >"$wrapper" <<-EOF
		#!/bin/sh
		exec valgrind --tool=memcheck --trace-children=no --error-limit=no \\
		    --num-callers=40 --track-origins=yes \\
		    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \\
		    --suppressions=$PH_REPO/test/valgrind.supp \\
		    --log-file=$PH_VALGRIND_LOGS/%p.log \\
		    $PH_SERVER_BIN/postgres "\$@"
	EOF
	chmod 755 "$wrapper"
	if ph_is_root; then
		chown -R postgres "$PH_VALGRIND_LOGS" "$wrapper"
	fi
}

# ph_valgrind_summary: "N errors in M processes" over $PH_VALGRIND_LOGS; the
# first errors go to stderr.  Returns 1 when there is any error.
ph_valgrind_summary() {
	local f n total=0 procs=0 bad=()
	for f in "$PH_VALGRIND_LOGS"/*.log; do
		[ -f "$f" ] || continue
		procs=$((procs + 1))
		n=$(sed -n -E 's/^==[0-9]+== ERROR SUMMARY: ([0-9]+) errors.*/\1/p' "$f" | tail -n 1)
		if [ -z "$n" ]; then
			# no summary: the process was killed (the postmaster's children at
			# an immediate stop) before valgrind wrote one
			continue
		fi
		if [ "$n" -gt 0 ]; then
			total=$((total + n))
			bad+=("$f")
		fi
	done
	printf '%s errors in %s processes\n' "$total" "$procs"
	for f in "${bad[@]:0:3}"; do
		ph_err "valgrind: errors in $f"
		grep -E '^==[0-9]+== ' "$f" | head -n 60 | sed 's/^/    /' >&2
	done
	[ "$total" -eq 0 ]
}

# ph_start_cluster: initdb + pg_ctl start on a free port; export PG* variables.
# PH_LOG_MIN_MESSAGES (default warning) sets the server's log level;
# PH_VALGRIND=1 runs the server under valgrind (ph_valgrind_wrapper).
ph_start_cluster() {
	local log="$PH_TMP/logs/cluster.log" port attempt postgres=() wait_s=60
	PH_PGDATA="$PH_TMP/data"
	PH_SERVER_LOG="$PH_TMP/postgres.log"
	[ -n "$PH_LOCALE" ] || ph_ensure_locale
	ph_tmp_to_pg || return 1
	if [ -z "$PH_SERVER_BIN" ] || [ ! -x "$PH_SERVER_BIN/postgres" ]; then
		ph_err "no PostgreSQL server to start (the build did not set up the installation tree)"
		return 1
	fi
	if ! ph_as_pg "$PH_SERVER_BIN/initdb" -D "$PH_PGDATA" -U postgres --auth=trust --encoding=UTF8 \
		--locale="$PH_LOCALE" --no-sync --no-instructions >"$log" 2>&1; then
		ph_err "initdb failed"
		ph_show_log "$log"
		return 1
	fi
	# Settings for a fast, disposable test server.  log_min_error_statement
	# is off so that the tests' own SQL (which may hold a token in CREATE USER
	# MAPPING) is not copied into the log: the secrets check at the end of
	# check.sh greps the log for what the extension itself writes.
	ph_as_pg tee -a "$PH_PGDATA/postgresql.conf" >/dev/null <<-EOF

		# planhat_fdw test cluster (test/lib.sh)
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$PH_TMP'
		max_connections = 20
		shared_buffers = 64MB
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		lc_messages = 'C'
		logging_collector = off
		log_min_messages = ${PH_LOG_MIN_MESSAGES:-warning}
		log_min_error_statement = panic
		log_line_prefix = '%m [%p] %q%a '
	EOF
	if [ "${PH_VALGRIND:-0}" = 1 ]; then
		if ! command -v valgrind >/dev/null 2>&1; then
			ph_err "valgrind is not installed"
			return 1
		fi
		ph_valgrind_wrapper
		postgres=(-p "$PH_TMP/valgrind-postgres")
		wait_s=600
	fi
	for attempt in 1 2 3; do
		port=$(ph_free_port) || { ph_err "python3 could not find a free port"; return 1; }
		if ph_as_pg "$PH_SERVER_BIN/pg_ctl" -D "$PH_PGDATA" -l "$PH_SERVER_LOG" -o "-p $port" "${postgres[@]}" \
			-w -t "$wait_s" start >>"$log" 2>&1; then
			break
		fi
		if [ "$attempt" = 3 ]; then
			ph_err "PostgreSQL did not start"
			ph_show_log "$PH_SERVER_LOG"
			return 1
		fi
		ph_warn "PostgreSQL did not start on port $port, trying another port"
	done
	unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGOPTIONS PGPASSWORD PGSSLMODE PGCONNECT_TIMEOUT
	export PGHOST="$PH_TMP" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres PH_SERVER_LOG PH_DESTDIR
	# psql and the other clients of the same version
	export PATH="$PH_PGBIN:$PATH"
	ph_say "cluster: PostgreSQL $("$PH_SERVER_BIN/postgres" -V | awk '{print $3}') on port $PGPORT, socket in $PGHOST, locale $PH_LOCALE"
}

# ph_stop_cluster [MODE]: pg_ctl stop -m MODE (default immediate; a
# valgrind run stops "fast", so that every process writes its summary)
ph_stop_cluster() {
	local pid mode=${1:-immediate}
	if [ -z "$PH_PGDATA" ] || [ ! -f "$PH_PGDATA/postmaster.pid" ]; then
		PH_PGDATA=
		return 0
	fi
	pid=$(head -n 1 "$PH_PGDATA/postmaster.pid" 2>/dev/null) || pid=
	ph_as_pg "$PH_PGBIN/pg_ctl" -D "$PH_PGDATA" -m "$mode" -w -t 120 stop >/dev/null 2>&1 ||
		{ [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; }
	PH_PGDATA=
	return 0
}

# ---------------------------------------------------------------- emulator

# ph_emulator_vars FILE: emulator.json as shell assignments (fails until complete)
ph_emulator_vars() {
	python3 - "$1" 2>/dev/null <<-'EOF'
		import json, shlex, sys
		d = json.load(open(sys.argv[1]))
		if not d.get("url"):
		    sys.exit(1)
		for var, key in (("PLANHAT_EMULATOR_URL", "url"), ("PLANHAT_URL", "url"),
		                 ("PLANHAT_TLS_URL", "tls_url"), ("PLANHAT_CA_FILE", "ca_file"),
		                 ("PLANHAT_TOKEN", "token"), ("PLANHAT_RO_TOKEN", "readonly_token"),
		                 ("PLANHAT_TENANT", "tenant_token")):
		    print("%s=%s" % (var, shlex.quote(str(d.get(key) or ""))))
	EOF
}

# ph_start_emulator [server.py options...]: start it on free ports, wait for
# <state-dir>/emulator.json, export PLANHAT_* and PHCTL.
ph_start_emulator() {
	local dir="$PH_TMP/emulator" server="$PH_REPO/test/emulator/server.py" vars i
	PH_EMULATOR_LOG="$PH_TMP/emulator.log"
	if [ ! -f "$server" ]; then
		ph_err "the emulator is missing: $server"
		return 1
	fi
	ph_tmp_to_pg || return 1
	mkdir -p "$dir" && chmod 755 "$dir"
	python3 "$server" --host 127.0.0.1 --port 0 --tls-port 0 --state-dir "$dir" "$@" \
		</dev/null >"$PH_EMULATOR_LOG" 2>&1 &
	PH_EMU_PID=$!
	for ((i = 0; i < 300; i++)); do  # 30 s
		if ! kill -0 "$PH_EMU_PID" 2>/dev/null; then
			ph_err "the emulator exited during start-up"
			ph_show_log "$PH_EMULATOR_LOG"
			PH_EMU_PID=
			return 1
		fi
		# emulator.json may be half-written: retry until it parses
		if [ -f "$dir/emulator.json" ] && vars=$(ph_emulator_vars "$dir/emulator.json"); then
			break
		fi
		sleep 0.1
	done
	if [ -z "${vars:-}" ]; then
		ph_err "the emulator did not write $dir/emulator.json within 30 s"
		ph_show_log "$PH_EMULATOR_LOG"
		return 1
	fi
	eval "$vars"
	export PLANHAT_EMULATOR_URL PLANHAT_URL PLANHAT_TLS_URL PLANHAT_CA_FILE \
		PLANHAT_TOKEN PLANHAT_RO_TOKEN PLANHAT_TENANT PH_EMULATOR_LOG
	export PHCTL="python3 $PH_REPO/test/emulator/phctl.py"
	# the backend (OS user postgres) reads the CA file
	if [ -n "$PLANHAT_CA_FILE" ]; then
		chmod a+r "$PLANHAT_CA_FILE" 2>/dev/null || true
		if ph_is_root && ! runuser -u postgres -- test -r "$PLANHAT_CA_FILE"; then
			ph_warn "the postgres OS user cannot read $PLANHAT_CA_FILE"
		fi
	fi
	ph_say "emulator: $PLANHAT_URL${PLANHAT_TLS_URL:+ and $PLANHAT_TLS_URL} (pid $PH_EMU_PID)"
}

ph_stop_emulator() {
	local i
	[ -n "$PH_EMU_PID" ] || return 0
	if kill -TERM "$PH_EMU_PID" 2>/dev/null; then
		for ((i = 0; i < 50; i++)); do  # 5 s
			kill -0 "$PH_EMU_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PH_EMU_PID" 2>/dev/null || true
	fi
	wait "$PH_EMU_PID" 2>/dev/null || true
	PH_EMU_PID=
	return 0
}

# ph_import_db DB: a new database DB with planhat_fdw, server planhat on
# PLANHAT_URL (also its analytics_url), a user mapping with PLANHAT_TOKEN and
# PLANHAT_TENANT, and every resource imported into schema planhat (the
# README's set-up).  The tokens go in as psql variables, never on a command
# line.  The caller drops DB.
ph_import_db() {
	psql -X -q -d postgres -c "CREATE DATABASE $1" || return 1
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -v url="$PLANHAT_URL" -v token="$PLANHAT_TOKEN" \
		-v tenant="${PLANHAT_TENANT:-x}" <<-'SQL'
		CREATE EXTENSION planhat_fdw;
		CREATE SERVER planhat FOREIGN DATA WRAPPER planhat_fdw OPTIONS (url :'url', analytics_url :'url');
		CREATE USER MAPPING FOR CURRENT_USER SERVER planhat
		  OPTIONS (api_token :'token', tenant_token :'tenant');
		CREATE SCHEMA planhat;
		IMPORT FOREIGN SCHEMA planhat FROM SERVER planhat INTO planhat;
	SQL
}

# ---------------------------------------------------------------- keeping things

# ph_write_env: $PH_TMP/env.sh (source it to reach the cluster and the
# emulator) and $PH_TMP/stop.sh (stops both, removes the temp dir).
ph_write_env() {
	local v
	{
		echo "# source this file to reach the planhat_fdw test cluster and emulator"
		for v in PGHOST PGPORT PGUSER PGDATABASE PH_SERVER_LOG PH_EMULATOR_LOG PLANHAT_EMULATOR_URL \
			PLANHAT_URL PLANHAT_TLS_URL PLANHAT_CA_FILE PLANHAT_TOKEN PLANHAT_RO_TOKEN PLANHAT_TENANT PHCTL PH_TMP \
			PH_DESTDIR; do
			printf 'export %s=%q\n' "$v" "${!v:-}"
		done
		# shellcheck disable=SC2016 # $PATH is for env.sh to expand
		printf 'export PATH=%q:"$PATH"\n' "$PH_PGBIN"
	} >"$PH_TMP/env.sh"
	{
		echo "#!/usr/bin/env bash"
		echo "# stops the kept planhat_fdw test cluster and emulator"
		[ -n "$PH_EMU_PID" ] && printf 'kill %q 2>/dev/null\n' "$PH_EMU_PID"
		if ph_is_root; then
			printf 'runuser -u postgres -- %q -D %q -m fast stop\n' "$PH_PGBIN/pg_ctl" "$PH_PGDATA"
		else
			printf '%q -D %q -m fast stop\n' "$PH_PGBIN/pg_ctl" "$PH_PGDATA"
		fi
		printf 'rm -rf -- %q\n' "$PH_TMP"
	} >"$PH_TMP/stop.sh"
	chmod 755 "$PH_TMP/env.sh" "$PH_TMP/stop.sh"
}

# ph_keep_notice: what --keep left running and how to reach it
ph_keep_notice() {
	ph_write_env
	ph_say "kept: PostgreSQL on port $PGPORT (socket $PGHOST), emulator pid ${PH_EMU_PID:-none} at ${PLANHAT_URL:-?}"
	ph_say "  connect:  source $PH_TMP/env.sh && psql"
	ph_say "  stop:     bash $PH_TMP/stop.sh"
}
