#!/usr/bin/env bash
# Side-by-side `static-delta generate` benchmark: the real ostree vs arbor on the same archive
# repository, writing the from-scratch delta to C1 and the C1-C2 update delta with --filename
# (so the repository itself is not changed). C1 is the tree bench/pull/run.sh assembles
# (/var/tmp/arbor-bench-pull/tree, Debian minbase-like); C2 changes a few bytes in every 20th
# regular file and adds one, as bench/pull/delta.sh does (its served repository is reused).
# Both tools send the changed files of the update delta as rollsum ranges or bsdiff patches of
# their FROM versions (chosen alike); the parts' sizes differ with the xz encoder and the object
# order, so the sizes are printed beside the times.
#
# Usage: bench/static-delta.sh [ROUNDS=3]
# Needs: ostree, /usr/bin/time, and a published arbor (./arbor builds one).
set -euo pipefail
rounds="${1:-3}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${BENCH_WORK:-/var/tmp/arbor-bench-pull}"
arbor="${ARBOR:-$here/arbor}"
tree="${BENCH_TREE:-$work/tree}"
served="$work/served-delta-$(echo "$tree" | md5sum | cut -c1-8)"
[[ -d "$tree" ]] || { echo "bench: no tree at $tree (run bench/pull/run.sh once, or set BENCH_TREE)" >&2; exit 1; }
if [[ ! -f "$served/summary" ]]; then
  echo "bench: building the served repository with bench/pull/delta.sh's set-up (one round)" >&2
  "$here/bench/pull/delta.sh" 1 >/dev/null
fi
repo="$work/static-delta-repo"
out="$work/static-delta-out"
if [[ ! -f "$repo/config" ]]; then
  ostree init --repo="$repo" --mode=archive
  ostree pull-local --repo="$repo" --depth=1 "$served" main >/dev/null
fi
c1=$(ostree rev-parse --repo="$repo" main^)
c2=$(ostree rev-parse --repo="$repo" main)
trap 'rm -rf "$out"' EXIT

"$arbor" --help >/dev/null  # build the published binary outside the timings

run_one() { # tool kind -> "seconds peak-rss-kB bytes"
  local tool=$1 kind=$2 dir="$out/$(basename "$1")-$2" from
  rm -rf "$dir"; mkdir -p "$dir"
  if [[ $kind == scratch ]]; then from=(--empty --to="$c1"); else from=(--from="$c1" --to="$c2"); fi
  sync
  /usr/bin/time -f '%e %M' -o "$dir.time" "$tool" static-delta generate --repo="$repo" "${from[@]}" --filename="$dir/superblock" >/dev/null 2>&1
  echo "$(cat "$dir.time") $(du -sb "$dir" | cut -f1)"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "tree: $tree ($(find "$tree" -type f | wc -l) files); $rounds rounds; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in scratch update; do
  : > "$work/ostree.gen-$kind"; : > "$work/arbor.gen-$kind"
  for r in $(seq "$rounds"); do
    if (( r % 2 )); then
      run_one ostree $kind >> "$work/ostree.gen-$kind"; run_one "$arbor" $kind >> "$work/arbor.gen-$kind"
    else
      run_one "$arbor" $kind >> "$work/arbor.gen-$kind"; run_one ostree $kind >> "$work/ostree.gen-$kind"
    fi
  done
  o=$(cut -d' ' -f1 < "$work/ostree.gen-$kind" | median); a=$(cut -d' ' -f1 < "$work/arbor.gen-$kind" | median)
  orss=$(cut -d' ' -f2 < "$work/ostree.gen-$kind" | median); arss=$(cut -d' ' -f2 < "$work/arbor.gen-$kind" | median)
  osz=$(cut -d' ' -f3 < "$work/ostree.gen-$kind" | median); asz=$(cut -d' ' -f3 < "$work/arbor.gen-$kind" | median)
  printf '%-8s ostree %7.2f s %5d MB %10d B   arbor %7.2f s %5d MB %10d B   time ratio %.2f   size ratio %.2f\n' \
    "$kind" "$o" $((orss / 1024)) "$osz" "$a" $((arss / 1024)) "$asz" "$(echo "$a / $o" | bc -l)" "$(echo "$asz / $osz" | bc -l)"
done
