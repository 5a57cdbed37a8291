#!/usr/bin/env bash
# `commit` side by side (issue 2): arbor vs the real ostree on the same tree with the same flags, in
# archive and bare modes. Each row: median wall time of ARBOR_BENCH_RUNS runs (tools interleaved),
# ratio arbor/ostree, peak RSS; every run checks that both tools made the same commit checksum, and
# `ostree fsck` checks arbor's repository once per row (archive: arbor's own compressed bytes).
#   bench/commit.sh [minbase|50k|all]        timing table
#   bench/commit.sh rss [SIZES...]           arbor's peak RSS as generated trees grow (default 10000 50000
#                                            100000 200000; trees made under $WORK and deleted afterwards)
# Sourced by repo.sh too (commit_rows TREE_NAME TREE_PATH prints the rows without the header).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ext4 skips inodes freed in the last ~10 s (recently_deleted) and re-checks each of them on every
# allocation: a commit right after `rm -rf` of the previous run's repository pays for those deletions.
# The untimed setup waits that long, so the rows measure the tools, not the benchmark's own rm -rf.
SETTLE="${ARBOR_BENCH_SETTLE:-11}"
COMMIT_FLAGS=(-b bench -s bench --timestamp=2024-01-01T00:00:00Z --owner-uid=0 --owner-gid=0)

# one_commit TOOL REPO MODE TREE: prints "seconds max_rss_kb checksum"
one_commit() {
  local tool="$1" repo="$2" mode="$3" tree="$4" out t
  rm -rf "$repo"
  $OSTREE init --repo="$repo" --mode="$mode"
  sync; sleep "$SETTLE"
  t=$(mktemp)
  out=$( { /usr/bin/time -f '%e %M' -o "$t" "$tool" commit --repo="$repo" "${COMMIT_FLAGS[@]}" --tree=dir="$tree"; } 2>/dev/null) \
    || { echo "bench: $tool commit failed on $tree ($mode)" >&2; rm -f "$t"; return 1; }
  echo "$(tail -1 "$t") $out"
  rm -f "$t"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# commit_rows NAME TREE: one row per mode
commit_rows() {
  local name="$1" tree="$2" w="$WORK/commit-$1"
  mkdir -p "$w"
  for mode in archive bare; do
    local ot=() at=() orss=0 arss=0 o a
    for ((i = 0; i < RUNS; i++)); do
      o=($(one_commit "$OSTREE" "$w/o" "$mode" "$tree"))
      a=($(one_commit "$ARBOR" "$w/a" "$mode" "$tree"))
      if [[ "${o[2]}" != "${a[2]}" ]]; then
        echo "bench: commit checksums differ ($name, $mode): ostree ${o[2]} arbor ${a[2]}" >&2
        return 1
      fi
      ot+=("${o[0]}"); at+=("${a[0]}")
      (( o[1] > orss )) && orss=${o[1]}
      (( a[1] > arss )) && arss=${a[1]}
    done
    $OSTREE fsck --repo="$w/a" >/dev/null 2>&1 || { echo "bench: ostree fsck failed on arbor's $mode repo ($name)" >&2; return 1; }
    row "commit ($mode)" "$name" "$(median "${ot[@]}") $orss" "$(median "${at[@]}") $arss"
    rm -rf "$w/o" "$w/a"
  done
  rm -rf "$w"
}

# commit_rss SIZES...: arbor's peak RSS and time per tree size, both modes
commit_rss() {
  printf '%-8s %22s %22s\n' files "commit archive" "commit bare"
  for n in "$@"; do
    local tree="$WORK/gen$n" w="$WORK/rss$n" made=0
    if [[ -e "$CACHE/gen$n/.complete" ]]; then tree="$CACHE/gen$n"
    else rm -rf "$tree"; python3 "$BENCH_DIR/gen-tree.py" "$tree" "$n"; made=1; fi
    local ca cb
    ca=($(SETTLE=0 one_commit "$ARBOR" "$w" archive "$tree")); rm -rf "$w"
    cb=($(SETTLE=0 one_commit "$ARBOR" "$w" bare "$tree")); rm -rf "$w"
    printf '%-8s %14s MB (%5ss) %14s MB (%5ss)\n' "$n" "$((ca[1] / 1024))" "${ca[0]}" "$((cb[1] / 1024))" "${cb[0]}"
    if (( made )); then rm -rf "$tree"; fi
  done
}

# ARBOR_BENCH_FS=loop (default): the repositories live on a private ext4 file system (a sparse loop
# image under $WORK, mounted in a private mount namespace, gone when the script ends). On a shared,
# busy file system, allocating inodes dominated both tools' time and varied 3x from run to run with
# other people's deletions (perf: ext4 find_inode_bit/recently_deleted); =host measures in $WORK.
if [[ "${BASH_SOURCE[0]}" == "$0" && "${ARBOR_BENCH_FS:-loop}" == loop && -z "${ARBOR_BENCH_IN_NS:-}" ]]; then
  ensure_tools
  img="$WORK/commit-fs.img" mnt="$WORK/commit-fs"
  rm -f "$img"; truncate -s 16G "$img"; mkfs.ext4 -q -F "$img"; mkdir -p "$mnt"
  rc=0
  ARBOR_BENCH_IN_NS=1 unshare -m bash -c 'mount -o loop "$1" "$2" && ARBOR_BENCH_WORK="$2" "$0" "${@:3}"' "$0" "$img" "$mnt" "$@" || rc=$?
  rm -f "$img"; rmdir "$mnt" 2>/dev/null || true
  exit $rc
fi

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  ensure_tools
  which="${1:-all}"
  case "$which" in
    rss)
      shift
      if (( $# == 0 )); then set -- 10000 50000 100000 200000; fi
      commit_rss "$@"
      ;;
    minbase|50k|all)
      print_header
      [[ $which == 50k ]] || commit_rows minbase "$(tree_minbase)"
      [[ $which == minbase ]] || commit_rows 50k "$(tree_generated 50000)"
      ;;
    *) echo "usage: $0 [minbase|50k|all] | rss [SIZES...]" >&2; exit 2 ;;
  esac
fi
