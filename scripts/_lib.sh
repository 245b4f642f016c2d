# shellcheck shell=bash
# Shared helpers for scripts/elasticsearch and scripts/postgres.
# Sourced, not executed. Needs bash, coreutils, util-linux (runuser, flock)
# and system python3 (stdlib only). Everything else is installed on demand.

set -Eeuo pipefail

# --- locations --------------------------------------------------------------
# Project root is derived from this file's location (CI clones elsewhere).
GK_SCRIPTS_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
GK_ROOT="$(cd "$GK_SCRIPTS_DIR/.." && pwd)"
GK_STATE_DIR="$GK_ROOT/var/run"
GK_CACHE="${GONGKAI_CACHE:-${HOME:-/root}/.cache/gongkai}"
GK_SVC_USER="${GONGKAI_SVC_USER:-gongkai-svc}"
GK_TMP_BASE="${GONGKAI_TMP:-${TMPDIR:-/tmp}}"

# --- messages (stdout is reserved for the one result line) -----------------
log() { printf '[%s] %s\n' "$GK_NAME" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$GK_NAME" "$*" >&2; exit 1; }

# Any command failing under set -e gets reported instead of exiting silently.
trap 'printf "[%s] ERROR: command failed (exit %s, line %s): %s\n" "$GK_NAME" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR

# --- misc -------------------------------------------------------------------
is_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
    is_root || die "need root to apt-get install $*"
    log "installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Take an exclusive lock for the rest of the script (fd 9). Every child that
# outlives us (daemons) must be started with 9>&- so it does not keep it.
take_lock() {
    mkdir -p "$GK_STATE_DIR"
    exec 9>"$GK_STATE_DIR/$1.lock"
    if ! flock -w 300 9; then die "timed out waiting for lock $GK_STATE_DIR/$1.lock"; fi
}

# A free TCP port on 127.0.0.1 (the kernel picks it; tiny race is acceptable).
free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_in_use() {
    python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
# SO_REUSEADDR like the servers themselves: TIME_WAIT leftovers are no conflict
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
finally:
    s.close()
sys.exit(1)
EOF
}

# The non-root account daemons run as (ES and PostgreSQL refuse root).
ensure_svc_user() {
    is_root || return 0
    if ! getent passwd "$GK_SVC_USER" >/dev/null; then
        log "creating system user $GK_SVC_USER"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$GK_SVC_USER"
    fi
}

# Run a command as the service user (or as ourselves when not root).
as_svc() {
    if is_root; then
        runuser -u "$GK_SVC_USER" -- "$@"
    else
        "$@"
    fi
}

# Give a directory tree to the service user (no-op when not root).
give_to_svc() {
    is_root || return 0
    chown -R "$GK_SVC_USER:" "$@"
}

# A fresh private run directory, traversable by the service user.
make_run_dir() {
    mkdir -p "$GK_TMP_BASE"
    local d
    d="$(mktemp -d "$GK_TMP_BASE/gongkai-$1.XXXXXX")"
    chmod 755 "$d"
    give_to_svc "$d"
    printf '%s\n' "$d"
}

# True if $1 is a live pid whose command line mentions $2 (guards against
# pid reuse after a reboot or a kill).
pid_matches() {
    local pid="$1" needle="$2"
    [ -n "$pid" ] || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$needle"
}

# Wait (up to $2 seconds) for pid $1 to disappear.
wait_pid_gone() {
    local pid="$1" t="$2" i=0
    while kill -0 "$pid" 2>/dev/null; do
        # a zombie child of ours is as good as dead
        if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = "Z" ]; then return 0; fi
        [ "$i" -ge $((t * 10)) ] && return 1
        sleep 0.1
        i=$((i + 1))
    done
}

# SIGTERM, wait, then SIGKILL.
terminate_pid() {
    local pid="$1" t="${2:-30}"
    kill -TERM "$pid" 2>/dev/null || return 0
    if ! wait_pid_gone "$pid" "$t"; then
        log "pid $pid did not exit after ${t}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_pid_gone "$pid" 10 || die "pid $pid survives SIGKILL"
    fi
}

# State files are KEY='value' lines, sourced back by load_state.
write_state() {
    local file="$1"; shift
    mkdir -p "$GK_STATE_DIR"
    local tmp="$file.tmp.$$" kv
    : >"$tmp"
    for kv in "$@"; do
        printf '%s=%q\n' "${kv%%=*}" "${kv#*=}" >>"$tmp"
    done
    mv -f "$tmp" "$file"
}

load_state() {
    [ -f "$1" ] || return 1
    # shellcheck disable=SC1090
    . "$1"
}

# Safety net before rm -rf of a run dir recorded in a state file.
remove_run_dir() {
    local d="$1"
    [ -n "$d" ] || return 0
    case "$d" in
        */gongkai-*.*) rm -rf -- "$d" ;;
        *) log "refusing to remove unexpected directory '$d'" ;;
    esac
}
