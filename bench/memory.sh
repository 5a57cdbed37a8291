#!/usr/bin/env bash
# Peak RSS of arbor as trees grow (issue 2: under 128 MB and flat from 10,000 to 200,000 files).
#   bench/memory.sh [SIZES...]   (default: 10000 50000 100000 200000)
source "$(dirname "$0")/lib.sh"
ensure_tools
sizes=("${@:-10000 50000 100000 200000}")
read -ra sizes <<<"${sizes[*]}"
RUNS=1
printf '%-8s %16s %16s %16s %16s\n' files "commit archive" "commit bare" "checkout -H" "fsck archive"
for n in "${sizes[@]}"; do
  tree=$(tree_generated "$n"); w="$WORK/mem$n"; rm -rf "$w"; mkdir -p "$w"
  ca=$(measure "rm -rf $w/ar && $OSTREE init --repo=$w/ar --mode=archive" "$ARBOR" commit --repo="$w/ar" -b m -s m --tree=dir="$tree")
  cb=$(measure "rm -rf $w/br && $OSTREE init --repo=$w/br --mode=bare" "$ARBOR" commit --repo="$w/br" -b m -s m --tree=dir="$tree")
  co=$(measure "rm -rf $w/co" "$ARBOR" checkout --repo="$w/br" -H m "$w/co")
  fa=$(measure ":" "$ARBOR" fsck --repo="$w/ar")
  mb() { local x=($1); echo "$((x[1] / 1024)) MB (${x[0]}s)"; }
  printf '%-8s %16s %16s %16s %16s\n' "$n" "$(mb "$ca")" "$(mb "$cb")" "$(mb "$co")" "$(mb "$fa")"
  rm -rf "$w"
done
