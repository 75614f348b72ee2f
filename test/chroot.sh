#!/usr/bin/env bash
# test/chroot.sh: the whole test suite (test/check.sh) on PostgreSQL NN, with the
# libcurl, json-c and compilers of the Debian release that packages NN, in a chroot.
# test/check.sh --pg NN calls it when the host is not that release.
#
# The chroot is made on first use with mmdebstrap, from the host's Debian mirror,
# with the packages test/lib.sh lists, and kept outside the clone, in
# $PH_CHROOT_CACHE/<codename> (default /var/cache/planhat_fdw/trixie, .../forky),
# for every checkout and later runs.  Concurrent runs share it: the first one
# makes it (under a lock), the others wait.  apt-get in the chroot installs what
# a later version of the lists adds.  Delete the directory to start afresh:
#   rm -rf --one-file-system /var/cache/planhat_fdw/forky
#
# A run happens in a private mount namespace (unshare): /proc, /sys, /dev and
# /dev/pts of the host are bind-mounted, /dev/shm and /tmp are fresh tmpfs, the
# checkout's files (tracked and untracked, not the ignored build products) are
# copied to /tmp/planhat_fdw-src, and test/check.sh runs there as on a host of
# that release.  The mounts are unmounted when the run ends, and go with the
# namespace whatever way it ends, so none outlives the run and the cached
# chroot holds nothing of it.  pg_regress's results/ and regression.diffs are
# copied back to results/pgNN/ in the checkout.
#
# The output is check.sh's, ending with its "N passed, N failed" line; a run that
# cannot start ends with "0 passed, 1 failed".  Needs root (mmdebstrap, mount,
# chroot).  Ctrl-C and SIGTERM stop the run cleanly.
#
# Usage: bash test/chroot.sh NN [--no-install] [--only-regress] [--standalone] [--valgrind]
#        bash test/chroot.sh --create NN     only make the chroot, if missing
set -euo pipefail

# one stream, in order: the closing line stays the last line
exec 2>&1
# shellcheck source=test/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PH_CHROOT_CACHE=${PH_CHROOT_CACHE:-/var/cache/planhat_fdw}
SRC_IN_CHROOT=/tmp/planhat_fdw-src

# ---------------------------------------------------------------- helpers

# fail MESSAGE: a run that could not start counts as one failure
fail() {
	ph_err "$1"
	echo "0 passed, 1 failed"
	exit 1
}

# wait_for PID: wait until PID has exited (a trapped signal interrupts wait)
# and return its exit status
wait_for() {
	local rc=0
	while :; do
		rc=0
		wait "$1" || rc=$?
		kill -0 "$1" 2>/dev/null || return "$rc"
	done
}

# host_mirror: the Debian mirror the host's apt uses for its own release
host_mirror() {
	local suite url
	suite=$(ph_host_suite)
	url=$(apt-cache policy 2>/dev/null |
		sed -n -E "s|^ *[0-9]+ (https?://[^ ]+) ${suite:-none}/main .*|\\1|p" | head -n 1)
	printf '%s\n' "${url:-http://deb.debian.org/debian}"
}

# has_mounts DIR: is anything mounted at or below DIR?
has_mounts() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

# ---------------------------------------------------------------- making the chroot

# ensure_chroot NN: $ROOT holds a chroot of the Debian release that packages
# PostgreSQL NN, made now if missing
ensure_chroot() {
	local nn=$1 suite tmp log mirror start pkgs fd
	suite=$(ph_pg_suite "$nn")
	ROOT=$PH_CHROOT_CACHE/$suite
	mkdir -p "$PH_CHROOT_CACHE"
	# one maker at a time; the others wait here, then find it ready
	exec {fd}>"$PH_CHROOT_CACHE/$suite.lock"
	flock "$fd"
	if [ -f "$ROOT/.planhat_fdw-ready" ]; then
		exec {fd}>&-
		return 0
	fi
	log=$PH_CHROOT_CACHE/$suite.log
	tmp=$ROOT.new
	if [ -e "$tmp" ]; then
		has_mounts "$tmp" && fail "$tmp has mounts (a creation was interrupted): unmount them first"
		rm -rf --one-file-system -- "$tmp"
	fi
	if [ -e "$ROOT" ]; then
		has_mounts "$ROOT" && fail "$ROOT has mounts and no ready mark: unmount them first"
		rm -rf --one-file-system -- "$ROOT"
	fi
	if ! command -v mmdebstrap >/dev/null 2>&1; then
		ph_say "chroot: installing mmdebstrap"
		# (a fresh machine may have no package lists yet)
		{ DEBIAN_FRONTEND=noninteractive ph_apt install -y -q --no-install-recommends mmdebstrap ||
			{ ph_apt update -q &&
				DEBIAN_FRONTEND=noninteractive ph_apt install -y -q --no-install-recommends mmdebstrap; }; } >"$log" 2>&1 ||
			{ ph_show_log "$log"; fail "could not install mmdebstrap"; }
	fi
	mirror=${PH_MIRROR:-$(host_mirror)}
	# the packages check.sh installs on a host of that release
	PH_PG=$nn PH_PG_CONFIG='' ph_select_pg >/dev/null
	pkgs=$(IFS=,; echo "${PH_REQUIRED_PKGS[*]}")
	ph_say "chroot: making Debian $suite for PostgreSQL $nn in $ROOT from $mirror (a few minutes, once; log: $log)"
	start=$(date +%s)
	# --mode=unshare: mmdebstrap's own mounts live in a namespace of their own.
	# Testing's Release file may be past its Valid-Until date; the option stays
	# in the chroot's apt configuration.  The optional packages (clang and
	# libFuzzer, pg_cron) may be missing from a release: the steps that need
	# them are then skipped.
	if ! mmdebstrap --mode=unshare --variant=apt \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="$pkgs" \
		--customize-hook="for p in ${PH_OPTIONAL_PKGS[*]}; do chroot \"\$1\" apt-get install -y -q --no-install-recommends \$p || echo \"optional package not installed: \$p\"; done" \
		--customize-hook='sed -i -E "s/^# *(en_US\.UTF-8 UTF-8)/\1/" "$1/etc/locale.gen" && chroot "$1" locale-gen' \
		"$suite" "$tmp" "$mirror" >"$log" 2>&1; then
		ph_show_log "$log"
		has_mounts "$tmp" || rm -rf --one-file-system -- "$tmp"
		fail "mmdebstrap could not make the $suite chroot"
	fi
	touch "$tmp/.planhat_fdw-ready"
	mv -- "$tmp" "$ROOT"
	exec {fd}>&-
	ph_say "chroot: made $ROOT in $(($(date +%s) - start)) s"
}

# ---------------------------------------------------------------- a run, inside the namespace

# copy_source DEST: the checkout's files, without the ignored build products
copy_source() {
	mkdir -p "$1"
	if git -C "$PH_REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# tracked and untracked files that exist (a deleted tracked file is skipped)
		git -C "$PH_REPO" ls-files -z --cached --others --exclude-standard |
			(cd "$PH_REPO" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
			tar -C "$PH_REPO" --null -T - -cf - | tar -C "$1" -xf -
	else
		tar -C "$PH_REPO" --exclude-vcs --exclude-vcs-ignores -cf - . | tar -C "$1" -xf -
	fi
}

MOUNTED=()

unmount_all() {
	local i
	for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
	done
	MOUNTED=()
}

# mount_at TARGET MOUNT-ARGS...
mount_at() {
	local target=$1
	shift
	mount "$@" "$target" || return 1
	MOUNTED+=("$target")
}

# stop_check: on Ctrl-C (INT) or TERM, send TERM once to check.sh's process
# group: the command it waits for ends at once, and its trap cleans up
stopped=0
stop_check() {
	[ "$stopped" = 0 ] && [ -n "${check_pid:-}" ] || return 0
	stopped=1
	kill -TERM -- "-$check_pid" 2>/dev/null || true
}

# inner ROOT NN CHECK-OPTIONS...: runs in the private mount namespace
inner() {
	local root=$1 nn=$2 rc=0 out
	shift 2
	trap unmount_all EXIT
	trap stop_check INT TERM
	mount_at "$root/proc" --bind /proc &&
		mount_at "$root/sys" --bind /sys &&
		mount_at "$root/dev" --bind /dev &&
		mount_at "$root/dev/pts" --bind /dev/pts &&
		mount_at "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm &&
		mount_at "$root/tmp" -t tmpfs -o mode=1777,nosuid,nodev tmp ||
		fail "could not mount /proc, /sys, /dev, /dev/pts, /dev/shm and /tmp in $root"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	copy_source "$root$SRC_IN_CHROOT" || fail "could not copy the checkout into the chroot"

	# check.sh as on a host of that release, in a clean environment and a
	# process group of its own (stop_check), with INT restored (a background
	# job of a script starts with INT ignored)
	setsid env --default-signal=INT chroot "$root" /usr/bin/env -i \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" PH_PG="$nn" \
		bash "$SRC_IN_CHROOT/test/check.sh" "$@" &
	check_pid=$!
	wait_for "$check_pid" || rc=$?
	check_pid=

	# pg_regress's results, beside the host's
	out=$PH_REPO/results/pg$nn
	rm -rf -- "$out"
	if [ -d "$root$SRC_IN_CHROOT/results" ]; then
		mkdir -p "$PH_REPO/results"
		cp -r "$root$SRC_IN_CHROOT/results" "$out" 2>/dev/null || true
		[ -f "$root$SRC_IN_CHROOT/regression.diffs" ] &&
			cp "$root$SRC_IN_CHROOT/regression.diffs" "$out/" 2>/dev/null
	fi
	unmount_all
	return "$rc"
}

# ---------------------------------------------------------------- main

if [ "${1:-}" = --inner ]; then
	shift
	inner "$@"
	exit $?
fi

create_only=0
if [ "${1:-}" = --create ]; then
	create_only=1
	shift
fi
nn=${1:-}
[ $# -gt 0 ] && shift
PH_TAG=check-pg$nn
[[ "$nn" =~ ^[0-9]+$ ]] || fail "usage: bash test/chroot.sh [--create] NN [check.sh options]"
ph_pg_suite "$nn" >/dev/null ||
	fail "no Debian release here packages PostgreSQL $nn (15: bookworm, 17: trixie, 18: forky); with PGDG packages installed, run PH_PG=$nn bash test/check.sh"
for arg in "$@"; do
	case "$arg" in
	--keep) fail "--keep does not work with a chroot run (its mounts end with it)" ;;
	esac
done
ph_is_root || fail "a chroot run needs root (mmdebstrap, mount, chroot)"
command -v unshare >/dev/null 2>&1 || fail "unshare (util-linux) is missing"

ensure_chroot "$nn"
[ "$create_only" = 1 ] && exit 0

ph_say "chroot: running test/check.sh in $ROOT (Debian $(ph_pg_suite "$nn"), PostgreSQL $nn)"
# Ctrl-C reaches the namespace's script from the terminal; TERM is passed on
trap ':' INT
trap '[ "$stopped" = 0 ] && stopped=1 && kill -TERM "$ns_pid" 2>/dev/null' TERM
env --default-signal=INT unshare --mount --propagation private -- \
	bash "$PH_REPO/test/chroot.sh" --inner "$ROOT" "$nn" "$@" &
ns_pid=$!
rc=0
wait_for "$ns_pid" || rc=$?
exit "$rc"
