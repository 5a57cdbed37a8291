# Shared helpers for the side-by-side benchmarks (sourced, not run).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOP="$(cd "$BENCH_DIR/.." && pwd)"
CACHE="${ARBOR_BENCH_CACHE:-/var/cache/arbor-bench}"
WORK="${ARBOR_BENCH_WORK:-/var/tmp/arbor-bench-work}"
RUNS="${ARBOR_BENCH_RUNS:-3}"
OSTREE=/usr/bin/ostree
ARBOR="$TOP/artifacts/cli/arbor"
mkdir -p "$CACHE" "$WORK"

ensure_tools() {
  for p in ostree debootstrap time hyperfine python3; do
    command -v "$p" >/dev/null || { echo "bench: installing $p" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
  done
  "$TOP/arbor" --help >/dev/null   # builds artifacts/cli/arbor (NativeAOT) when sources changed
}

# tree_minbase: a Debian bookworm minbase root filesystem (~5k files, ~125 MB), made once.
tree_minbase() {
  local t="$CACHE/minbase"
  if [[ ! -e "$t/.complete" ]]; then
    rm -rf "$t"
    echo "bench: debootstrap --variant=minbase bookworm (once) ..." >&2
    debootstrap --variant=minbase bookworm "$t" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1
    rm -rf "$t"/var/cache/apt/archives/*.deb "$t"/var/cache/apt/*.bin "$t"/var/lib/apt/lists/*
    touch "$t/.complete"
  fi
  # ostree refuses device nodes (ostree systems ship an empty /dev): drop debootstrap's, keep its symlinks
  find "$t/dev" -mindepth 1 \( -type b -o -type c -o -type p -o -type s \) -delete
  echo "$t"
}

# tree_generated N: a synthetic tree of N files (bench/gen-tree.py), made once per N.
tree_generated() {
  local n="$1" t="$CACHE/gen$1"
  if [[ ! -e "$t/.complete" ]]; then
    rm -rf "$t"
    echo "bench: generating $n-file tree (once) ..." >&2
    python3 "$BENCH_DIR/gen-tree.py" "$t" "$n"
    touch "$t/.complete"
  fi
  echo "$t"
}

# measure SETUP CMD...: runs SETUP (untimed) then CMD, RUNS times; prints "median_seconds max_rss_kb".
measure() {
  local setup="$1"; shift
  local times=() rss=0 out
  for ((i = 0; i < RUNS; i++)); do
    eval "$setup"
    # -o: the command's stderr is discarded, time's report must not be (it went to /dev/null too)
    /usr/bin/time -f '%e %M' -o "$WORK/.time" "$@" >/dev/null 2>/dev/null || true
    out=$(tail -1 "$WORK/.time")
    times+=("${out% *}")
    local r="${out#* }"; (( r > rss )) && rss=$r
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $rss"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

print_header() {
  printf '%-26s %-9s %10s %10s %7s %11s %11s\n' operation tree "ostree s" "arbor s" ratio "ostree RSS" "arbor RSS"
}

# row OP TREE OSTREE_RESULT ARBOR_RESULT
row() {
  local o=($3) a=($4)
  printf '%-26s %-9s %10s %10s %7s %9s MB %8s MB\n' "$1" "$2" "${o[0]}" "${a[0]}" "$(ratio "${a[0]}" "${o[0]}")" "$((o[1] / 1024))" "$((a[1] / 1024))"
}
