#!/usr/bin/env bash
# Side-by-side benchmark of the repository operations (issue 2): arbor vs the real ostree on the same trees.
# Prints one row per operation with wall time (median of ARBOR_BENCH_RUNS), the ratio arbor/ostree and peak RSS.
#   bench/repo.sh [minbase|50k|all]
source "$(dirname "$0")/commit.sh"
ensure_tools
which="${1:-all}"
trees=()
[[ $which == minbase || $which == all ]] && trees+=("minbase:$(tree_minbase)")
[[ $which == 50k || $which == all ]] && trees+=("50k:$(tree_generated 50000)")

print_header
for spec in "${trees[@]}"; do
  name="${spec%%:*}" tree="${spec#*:}"
  w="$WORK/$name"; rm -rf "$w"; mkdir -p "$w"

  commit_rows "$name" "$tree"   # commit.sh: both modes, checksums compared
  for mode in archive bare; do   # repositories for the rows below, made by ostree (untimed)
    $OSTREE init --repo="$w/o-$mode" --mode="$mode"
    $OSTREE commit --repo="$w/o-$mode" -b bench -s bench --tree=dir="$tree" >/dev/null
  done

  # both tools read the same repositories (made by ostree above)
  o=$(measure "rm -rf $w/co" $OSTREE checkout --repo="$w/o-bare" -H bench "$w/co")
  a=$(measure "rm -rf $w/co" "$ARBOR" checkout --repo="$w/o-bare" -H bench "$w/co")
  row "checkout -H (bare)" "$name" "$o" "$a"

  o=$(measure "rm -rf $w/co" $OSTREE checkout --repo="$w/o-archive" bench "$w/co")
  a=$(measure "rm -rf $w/co" "$ARBOR" checkout --repo="$w/o-archive" bench "$w/co")
  row "checkout copy (archive)" "$name" "$o" "$a"
  rm -rf "$w/co"

  for mode in archive bare; do
    o=$(measure ":" $OSTREE fsck --repo="$w/o-$mode")
    a=$(measure ":" "$ARBOR" fsck --repo="$w/o-$mode")
    row "fsck ($mode)" "$name" "$o" "$a"
  done
  rm -rf "$w"
done
