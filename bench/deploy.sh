#!/usr/bin/env bash
# Side-by-side benchmark of admin deploy and upgrade (issue 4): arbor vs the real ostree on the
# debootstrap minbase tree (plus a small fake kernel), each on its own fresh sysroot in a private
# mount namespace on tmpfs (so the host's /, /boot and /sysroot are never touched).
#   bench/deploy.sh
# Rows: first deploy (checkout, /etc, boot entries, cleanup, prune) and an upgrade to a commit that
# changes a few files (checkout, /etc merge, new boot version); median of ARBOR_BENCH_RUNS.
source "$(dirname "$0")/lib.sh"

if [[ -z "${ARBOR_BENCH_IN_NS:-}" ]]; then
  ensure_tools
  tree_minbase >/dev/null
  exec unshare -m --propagation private env ARBOR_BENCH_IN_NS=1 "$0" "$@"
fi

ns="$WORK/deploy-ns"
mkdir -p "$ns"
mount -t tmpfs -o size=2g,mode=0755 arbor-bench "$ns"
# ostree commits no device nodes: the OS tree is minbase without debootstrap's /dev entries
tree="$ns/os"
cp -a "$(tree_minbase)" "$tree"
find "$tree" \( -type c -o -type b -o -type p -o -type s \) -delete
# an OSTree OS keeps its default configuration in /usr/etc (ostree 2022.7 refuses a lone /etc)
mv "$tree/etc" "$tree/usr/etc"

# the OS: minbase plus a kernel and initramfs under usr/lib/modules; v2 changes a few files
mkdir -p "$ns/kernel/usr/lib/modules/6.1.0-bench" "$ns/v2/usr/share/bench" "$ns/v2/usr/etc"
head -c 8M /dev/urandom >"$ns/kernel/usr/lib/modules/6.1.0-bench/vmlinuz"
head -c 16M /dev/urandom >"$ns/kernel/usr/lib/modules/6.1.0-bench/initramfs.img"
echo 2 >"$ns/v2/usr/share/bench/version"
echo "bench-v2" >"$ns/v2/usr/etc/hostname"

tpl="$ns/template"
mkdir -p "$tpl"
$OSTREE admin init-fs --modern "$tpl" >/dev/null
$OSTREE admin os-init --sysroot="$tpl" bench >/dev/null
repo="$tpl/ostree/repo"
$OSTREE commit --repo="$repo" -b bench/stable -s v1 --timestamp=2023-01-01 --tree=dir="$tree" --tree=dir="$ns/kernel" >/dev/null
$OSTREE commit --repo="$repo" -b bench/v2 -s v2 --timestamp=2023-01-02 --tree=dir="$tree" --tree=dir="$ns/kernel" --tree=dir="$ns/v2" >/dev/null
v1=$($OSTREE rev-parse --repo="$repo" bench/stable)
v2=$($OSTREE rev-parse --repo="$repo" bench/v2)

s="$ns/sysroot"
fresh="{ chattr -i $s/ostree/deploy/bench/deploy/*.? 2>/dev/null || true; } && rm -rf $s && cp -a $tpl $s"
# upgrade: a sysroot on v1 (deployed by ostree, local /etc edits), bench/stable then moved to v2
upgradable="$fresh && $OSTREE admin deploy --sysroot=$s --os=bench bench/stable >/dev/null 2>&1 && \
  echo local >>$s/ostree/deploy/bench/deploy/$v1.0/etc/motd && $OSTREE reset --repo=$s/ostree/repo bench/stable $v2"

print_header
o=$(measure "$fresh" $OSTREE admin deploy --sysroot="$s" --os=bench bench/stable)
a=$(measure "$fresh" "$ARBOR" admin deploy --sysroot="$s" --os=bench bench/stable)
row "admin deploy" "minbase" "$o" "$a"
o=$(measure "$upgradable" $OSTREE admin upgrade --sysroot="$s" --os=bench)
a=$(measure "$upgradable" "$ARBOR" admin upgrade --sysroot="$s" --os=bench)
row "admin upgrade" "minbase" "$o" "$a"

# arbor's results must be what was asked for, as ostree reads them (the timings above ignore exit codes)
eval "$fresh"
"$ARBOR" admin deploy --sysroot="$s" --os=bench bench/stable >/dev/null 2>&1
$OSTREE admin status --sysroot="$s" | grep -q "bench $v1.0" || { echo "bench: arbor deploy did not deploy v1" >&2; exit 1; }
[[ -x "$s/ostree/deploy/bench/deploy/$v1.0/usr/bin/bash" && -f "$s/ostree/deploy/bench/deploy/$v1.0/etc/passwd" ]] || { echo "bench: arbor's deployment is incomplete" >&2; exit 1; }
eval "$upgradable"
"$ARBOR" admin upgrade --sysroot="$s" --os=bench >/dev/null 2>&1
$OSTREE admin status --sysroot="$s" | grep -q "bench $v2.0" || { echo "bench: arbor upgrade did not deploy v2" >&2; exit 1; }
chattr -i "$s"/ostree/deploy/bench/deploy/*.? 2>/dev/null || true
umount "$ns"
