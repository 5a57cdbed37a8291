#!/usr/bin/env bash
# Side-by-side pull benchmark: the real ostree vs arbor, pulling the same commit from nginx on
# 127.0.0.1 into a fresh repository, several rounds, alternating who goes first.
#
# The tree is a Debian "minbase"-like root filesystem assembled from this machine's own files:
# every file of the installed packages in the dependency closure of the Priority: required set,
# without /usr/share/{doc,man,info,locale,lintian} (about 4.3k regular files, 125 MB, plus
# symlinks and directories). It is committed by the real ostree into an archive repository
# with `ostree summary -u`.
#
# Usage: bench/pull/run.sh [ROUNDS=5] [MODES="bare-user archive"]
# Needs: ostree, nginx (nginx-light), apt-cache/dpkg, and a published arbor (./arbor builds one).
set -euo pipefail
rounds="${1:-5}"
modes="${2:-bare-user archive}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="${BENCH_WORK:-/var/tmp/arbor-bench-pull}"
arbor="${ARBOR:-$here/arbor}"   # ARBOR=/path/to/published/arbor to measure a specific build
mkdir -p "$work"

# ---- the tree and the served repository (built once, reused) ----
if [[ ! -f "$work/served/summary" ]]; then
  echo "bench: assembling the tree" >&2
  rm -rf "$work/tree" "$work/served"
  req=$(dpkg-query -W -f='${Package} ${Priority} ${db:Status-Status}\n' | awk '$2=="required" && $3=="installed"{print $1}')
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances $req 2>/dev/null \
    | grep -v '^[ <]' | sort -u > "$work/packages.txt"
  while read -r p; do dpkg -L "$p" 2>/dev/null || true; done < "$work/packages.txt" | sort -u \
    | grep -v -E '^/usr/share/(doc|man|info|locale|lintian)/' > "$work/paths.txt"
  mkdir -p "$work/tree"
  while read -r f; do
    if [[ -L "$f" || -f "$f" ]]; then cp -a --parents "$f" "$work/tree/" 2>/dev/null || true; fi
  done < "$work/paths.txt"
  ostree init --repo="$work/served" --mode=archive
  ostree commit --repo="$work/served" --branch=minbase --subject=minbase --timestamp=2024-01-01T00:00:00Z "$work/tree" >/dev/null
  ostree summary -u --repo="$work/served"
fi
files=$(find "$work/tree" -type f | wc -l)
bytes=$(du -sb "$work/tree" | cut -f1)

# ---- nginx on a free port ----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off; worker_processes 2; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/fcgi;
  uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; root $work; } }
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$work/dest"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/served/config" >/dev/null && break; sleep 0.1; done

"$arbor" --help >/dev/null  # build the published binary outside the timings
url="http://127.0.0.1:$port/served"

now() { date +%s.%N; }
seq_no=0
run_one() { # tool mode -> seconds
  # a fresh destination each time, deleted only at the end: deleting thousands of files just
  # before a run makes ext4's inode allocator crawl over "recently deleted" inodes, which would
  # penalise whoever runs next
  seq_no=$((seq_no + 1))
  local tool=$1 mode=$2 dest="$work/dest/$(basename "$1")-$mode-$seq_no"
  mkdir -p "$work/dest"
  "$tool" init --repo="$dest" --mode="$mode" >/dev/null
  "$tool" remote add --repo="$dest" --no-gpg-verify bench "$url" >/dev/null
  sync
  local t0 t1; t0=$(now)
  "$tool" pull --repo="$dest" bench minbase >/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "tree: $files files, $((bytes / 1000000)) MB; $rounds rounds; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in $modes; do
  : > "$work/ostree.times"; : > "$work/arbor.times"
  for r in $(seq "$rounds"); do
    if (( r % 2 )); then
      run_one ostree "$mode" >> "$work/ostree.times"; run_one "$arbor" "$mode" >> "$work/arbor.times"
    else
      run_one "$arbor" "$mode" >> "$work/arbor.times"; run_one ostree "$mode" >> "$work/ostree.times"
    fi
  done
  o=$(median < "$work/ostree.times"); a=$(median < "$work/arbor.times")
  printf '%-10s ostree %6.2f s   arbor %6.2f s   ratio %.2f   (ostree: %s) (arbor: %s)\n' "$mode" "$o" "$a" "$(echo "$a / $o" | bc -l)" \
    "$(tr '\n' ' ' < "$work/ostree.times")" "$(tr '\n' ' ' < "$work/arbor.times")"
done
