#!/usr/bin/env bash
# Start-up: `rev-parse` on a small repo, arbor (NativeAOT) vs ostree (issue 2: within 3x of ostree).
source "$(dirname "$0")/lib.sh"
ensure_tools
w="$WORK/startup"; rm -rf "$w"; mkdir -p "$w/t"; echo hi >"$w/t/a"
$OSTREE init --repo="$w/r" --mode=archive
$OSTREE commit --repo="$w/r" -b main -s s "$w/t" >/dev/null
hyperfine -N --warmup 10 --runs 200 --export-markdown "$w/startup.md" \
  "$OSTREE rev-parse --repo=$w/r main" "$ARBOR rev-parse --repo=$w/r main" >/dev/null
cat "$w/startup.md"
