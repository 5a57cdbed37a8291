#!/usr/bin/env bash
# Runs ostree 2022.7's own shell (and Python) tests (Debian's ostree-tests package, installed tests in
# /usr/libexec/installed-tests/libostree) with `ostree` on PATH being arbor, each in a scratch
# directory inside a private mount namespace. Prints one line per test and a summary; exits
# non-zero when a test fails.
#
#   tests/Upstream/run.sh [--arbor PATH] [--jobs N] [--keep] [TEST.sh ...]
#
# Without TEST names it runs the tests listed in tests/Upstream/passing.txt. `--arbor` names the
# arbor executable (default: artifacts/cli/arbor, built by ./arbor). With `--oracle`, the real
# ostree runs the tests instead (to tell an arbor failure from one of this machine).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/../.." && pwd)"
suite=/usr/libexec/installed-tests/libostree
arbor="$top/artifacts/cli/arbor"
jobs=3 keep=0 oracle=0 tests=()
while (($#)); do
  case "$1" in
    --arbor) arbor="$(readlink -f "$2")"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --oracle) oracle=1; shift ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) tests+=("$1"); shift ;;
  esac
done
[[ -d "$suite" ]] || { echo "upstream: $suite missing (apt-get install ostree-tests)" >&2; exit 1; }
if ((${#tests[@]} == 0)); then mapfile -t tests < <(grep -v '^\s*\(#\|$\)' "$here/passing.txt"); fi
if ((oracle == 0)); then
  [[ -x "$arbor" ]] || "$top/arbor" --version >/dev/null || exit 1
fi

# every test's web server watches its directory with inotify (128 instances per user by default)
if (( $(cat /proc/sys/fs/inotify/max_user_instances) < 1024 )); then sysctl -q -w fs.inotify.max_user_instances=1024 || true; fi
work="$(mktemp -d /tmp/arbor-upstream.XXXXXX)"
bin="$work/bin"; mkdir -p "$bin"
((oracle)) || ln -s "$arbor" "$bin/ostree"
export UPSTREAM_WORK="$work" UPSTREAM_BIN="$bin" UPSTREAM_SUITE="$suite" UPSTREAM_ORACLE="$oracle"

run_one() {
  local t="$1" dir="$UPSTREAM_WORK/$1" start end rc
  mkdir -p "$dir"
  start=$(date +%s%N)
  # (a hang guard: test-delta-ed25519.sh, the longest, takes about 160 s in CI and passed 300 s on a machine also building)
  (cd "$dir" && PATH="$([[ $UPSTREAM_ORACLE = 1 ]] || echo "$UPSTREAM_BIN:")$PATH" \
     timeout 600 unshare -m --propagation private \
     env G_TEST_SRCDIR="$UPSTREAM_SUITE" G_TEST_BUILDDIR="$UPSTREAM_SUITE" "$([[ $t == *.py ]] && echo python3 || echo bash)" "$UPSTREAM_SUITE/$t" \
     >"$UPSTREAM_WORK/$t.log" 2>&1)
  rc=$?
  end=$(date +%s%N)
  # the test's web servers (ostree-trivial-httpd --autoexit --daemonize) outlive it; each holds an inotify instance
  local p
  for p in $(pgrep -f ostree-trivial-httpd); do
    [[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" == "$dir"* ]] && kill "$p" 2>/dev/null
  done
  local secs=$(( (end - start) / 1000000000 ))
  if ((rc == 0)); then printf 'ok   %-45s %4ds\n' "$t" "$secs"
  else printf 'FAIL %-45s %4ds (exit %d)\n' "$t" "$secs" "$rc"; sed 's/^/     | /' "$UPSTREAM_WORK/$t.log" | grep -v 'gpg-connect-agent\|OK closing' | tail -8; fi
  return $rc
}
export -f run_one

printf '%s\n' "${tests[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} | tee "$work/results.txt"
failed=$(grep -c '^FAIL' "$work/results.txt")
passed=$(grep -c '^ok' "$work/results.txt")
echo "upstream ostree tests: $passed passed, $failed failed (logs: $work)"
if ((failed == 0 && keep == 0)); then rm -rf "$work"; fi
((failed == 0))
