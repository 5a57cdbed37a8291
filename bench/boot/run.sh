#!/usr/bin/env bash
# Boot stage: size and start-up of arbor-prepare-root (NativeAOT, static) vs Debian's
# /usr/lib/ostree/ostree-prepare-root (package ostree-boot, installed here for the comparison only).
# Targets (issue 5): under 3 MB, start-up under 10 ms.
#   1. size: the binary alone, and with the shared libraries it needs in an initramfs (ldd)
#   2. start-up to the first decision: no ostree= on the command line (both exit with an error)
#   3. arbor-prepare-root --dry-run on a scratch sysroot (resolve, read config, probe, plan)
#   4. the real thing on the same scratch sysroot, both chrooted into a scratch initramfs root in a
#      fresh mount namespace per run; the set-up alone (with /bin/true) is measured and subtracted
# Needs root (mount namespaces). Work files: $ARBOR_BENCH_WORK (default /var/tmp/arbor-bench-work).
set -euo pipefail
BENCH_BOOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_BOOT/../.." && pwd)
WORK=${ARBOR_BENCH_WORK:-/var/tmp/arbor-bench-work}/boot
RUNS=${ARBOR_BENCH_RUNS:-200}
OSTREE_PR=/usr/lib/ostree/ostree-prepare-root
for p in hyperfine ostree-boot; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { echo "bench: installing $p" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null; }
done
"$TOP/scripts/build-boot.sh"
ARBOR_PR=$TOP/artifacts/boot/arbor-prepare-root
mkdir -p "$WORK"

# 1. sizes
with_libs() { # the binary plus every shared object it loads
  local total=$(stat -c %s "$1") lib
  for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do total=$((total + $(stat -L -c %s "$lib"))); done
  echo "$total"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1048576 }'; }
{
  echo "## Size"
  echo
  echo "| binary | file | with its shared libraries | linking |"
  echo "|---|---|---|---|"
  for b in "$ARBOR_PR" "$OSTREE_PR"; do
    echo "| \`$(basename "$b")\` | $(mb "$(stat -c %s "$b")") | $(mb "$(with_libs "$b")") | $(file -L "$b" | grep -o 'statically linked\|dynamically linked') |"
  done
  echo
} > "$WORK/size.md"

# 2-4 inside one private mount namespace holding a tmpfs with the scratch sysroot
unshare -m --propagation private bash -s "$WORK" "$ARBOR_PR" "$OSTREE_PR" "$RUNS" <<'INNER'
set -euo pipefail
W=$1 ARBOR_PR=$2 OSTREE_PR=$3 RUNS=$4
S=$W/ns
mkdir -p "$S"
mount -t tmpfs -o size=256m bench "$S"
T=$S/tree
mkdir -p "$T/usr/bin" "$T/usr/etc" "$T/usr/lib/modules/6.1.0-bench"
for d in sysroot var boot dev proc sys run tmp; do mkdir -p "$T/$d"; done
echo k > "$T/usr/lib/modules/6.1.0-bench/vmlinuz"; echo i > "$T/usr/lib/modules/6.1.0-bench/initramfs.img"
printf 'ID=bench\nNAME=bench\n' > "$T/usr/lib/os-release"
ostree init --repo="$S/repo" --mode=archive
ostree commit --repo="$S/repo" -b bench --add-metadata-string=version=1 "$T" >/dev/null
mkdir -p "$S/sysroot"
ostree admin init-fs "$S/sysroot" >/dev/null
ostree admin os-init --sysroot="$S/sysroot" bench >/dev/null
ostree pull-local --repo="$S/sysroot/ostree/repo" "$S/repo" bench >/dev/null
ostree admin deploy --sysroot="$S/sysroot" --os=bench --karg=root=/dev/vda bench >/dev/null
cmdline=$(sed -n 's/^options //p' "$S"/sysroot/boot/loader/entries/*.conf)
printf '%s\n' "$cmdline" > "$S/cmdline"
printf 'root=/dev/vda rw quiet\n' > "$S/cmdline-none"

# the scratch initramfs root: host /usr for ostree's shared libraries, both tools, an empty /run
R=$S/root
mkdir -p "$R"
mount -t tmpfs initramfs "$R"
mkdir -p "$R"/{usr,proc,run,sysroot,dev,tmp,tool}
ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"; ln -s usr/bin "$R/bin"
mount --rbind /usr "$R/usr"
mount -t proc proc "$R/proc"
cp "$ARBOR_PR" "$R/tool/arbor-prepare-root"; cp "$OSTREE_PR" "$R/tool/ostree-prepare-root"


# 2: /proc/cmdline without ostree=: start, read the command line, fail
mount --bind "$S/cmdline-none" "$R/proc/cmdline"
hyperfine -N -i --warmup 20 --runs "$RUNS" --export-markdown "$W/no-target.md" \
  -n ostree-prepare-root "chroot $R /tool/ostree-prepare-root /sysroot" \
  -n arbor-prepare-root "chroot $R /tool/arbor-prepare-root /sysroot" >/dev/null 2>&1
umount "$R/proc/cmdline"

# 3: dry run on the scratch sysroot (arbor only: ostree has none)
hyperfine -N --warmup 20 --runs "$RUNS" --export-markdown "$W/dry-run.md" \
  -n "arbor-prepare-root --dry-run" "$ARBOR_PR --dry-run --cmdline-file $S/cmdline $S/sysroot" \
  -n "arbor-prepare-root --dry-run --json" "$ARBOR_PR --dry-run --json --cmdline-file $S/cmdline $S/sysroot" >/dev/null 2>&1

# 4: the real mounts, a fresh namespace per run; /bin/true is the set-up alone
run() { echo "unshare -m --propagation private sh -c 'mount --bind $S/cmdline $R/proc/cmdline && mount --bind $S/sysroot $R/sysroot && ARBOR_BOOT_LOG=stderr chroot $R $1'"; }
for tool in ostree arbor; do   # each must succeed once before it is timed
  sh -c "$(run "/tool/$tool-prepare-root /sysroot")" 2>/dev/null || { echo "bench: $tool-prepare-root failed on the scratch sysroot" >&2; exit 1; }
done
hyperfine --warmup 5 --runs "$((RUNS / 4 + 10))" -N --export-markdown "$W/full.md" \
  -n "set-up only (/bin/true)" "$(run /bin/true)" \
  -n "set-up + ostree-prepare-root" "$(run '/tool/ostree-prepare-root /sysroot')" \
  -n "set-up + arbor-prepare-root" "$(run '/tool/arbor-prepare-root /sysroot')" >/dev/null 2>&1
INNER

{
  cat "$WORK/size.md"
  echo "## Start-up: no ostree= on the command line (start, read /proc/cmdline, fail)"; echo
  cat "$WORK/no-target.md"; echo
  echo "## arbor-prepare-root --dry-run on a scratch sysroot (text, JSON)"; echo
  cat "$WORK/dry-run.md"; echo
  echo "## Full run on a scratch sysroot (each in a fresh mount namespace; the first row is the set-up alone)"; echo
  cat "$WORK/full.md"
} | tee "$WORK/report.md"
