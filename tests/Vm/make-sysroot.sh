#!/usr/bin/env bash
# make-sysroot.sh TOOL WORK
# Run inside a private mount namespace with a tmpfs on WORK/ns (the deploy freezes the filesystem
# holding /boot: never the host's). Commits WORK/tree-v1 and WORK/tree-v2 with the real ostree, then
# makes the sysroot with TOOL ("ostree", or "arbor" for the same steps through ./arbor admin):
# init-fs, os-init, deploy v1, a local /etc edit in v1, deploy v2 (so v2's /etc is a 3-way merge).
# Leaves the ext4 image WORK/disk.img (mkfs.ext4 -d: no loop device) and, per BLS entry sorted by
# version (default first), WORK/entries/N.{conf,linux,initrd,deployment} for boot.sh.
source "$(dirname "$(readlink -f "$0")")/lib.sh"
tool=$1 work=$2
ns=$work/ns
sysroot=$ns/sysroot
repo=$ns/repo
case $tool in
    ostree) admin() { ostree admin "$@"; } ;;
    arbor) admin() { "$REPO_ROOT/arbor" admin "$@"; } ;;
    *) vm_die "unknown sysroot tool $tool (ostree or arbor)" ;;
esac

ostree init --repo="$repo" --mode=archive
for v in 1 2; do
    ostree commit --repo="$repo" -b "$VM_BRANCH" --owner-uid=0 --owner-gid=0 \
        --timestamp="2024-01-0${v}T00:00:00Z" -s "Tiny OS $v" --add-metadata-string=version="$v" \
        "$work/tree-v$v" >/dev/null
done
v1=$(ostree rev-parse --repo="$repo" "$VM_BRANCH^")
v2=$(ostree rev-parse --repo="$repo" "$VM_BRANCH")

mkdir -p "$sysroot"
admin init-fs "$sysroot" >/dev/null
admin os-init --sysroot="$sysroot" "$VM_STATEROOT" >/dev/null
ostree pull-local --depth=1 --repo="$sysroot/ostree/repo" "$repo" "$VM_BRANCH" >/dev/null
karg=(--karg=root=/dev/vda --karg=rw)
admin deploy --sysroot="$sysroot" --os="$VM_STATEROOT" "${karg[@]}" "$v1" >/dev/null
d1=$(ls -d "$sysroot/ostree/deploy/$VM_STATEROOT/deploy/$v1".*[0-9])
printf 'version=1\nlocal=edited\n' > "$d1/etc/arbor-test.conf"   # the 3-way merge must keep this
admin deploy --sysroot="$sysroot" --os="$VM_STATEROOT" "${karg[@]}" "$v2" >/dev/null

# the BLS entries, default (highest version) first, with the files a bootloader would load
rm -rf "$work/entries"; mkdir -p "$work/entries"
n=0
for conf in $(for f in "$sysroot"/boot/loader/entries/*.conf; do
                  printf '%s %s\n' "$(awk '$1 == "version" { print $2 }' "$f")" "$f"; done | sort -k1,1nr | cut -d' ' -f2); do
    cp "$conf" "$work/entries/$n.conf"
    linux=$(awk '$1 == "linux" { print $2 }' "$conf")
    initrd=$(awk '$1 == "initrd" { print $2 }' "$conf")
    options=$(sed -n 's/^options //p' "$conf")
    cp "$sysroot/boot$linux" "$work/entries/$n.linux"
    cp "$sysroot/boot$initrd" "$work/entries/$n.initrd"
    ostree_arg=$(printf '%s\n' $options | sed -n 's/^ostree=//p' | head -n1)
    basename "$(readlink -f "$sysroot$ostree_arg")" > "$work/entries/$n.deployment"
    n=$((n + 1))
done
[[ $n -eq 2 ]] || vm_die "expected 2 BLS entries, found $n"

size_mb=$(( $(du -sm "$sysroot" | cut -f1) * 3 / 2 + 32 ))
rm -f "$work/disk.img"
mkfs.ext4 -q -F -L arbor-root -d "$sysroot" "$work/disk.img" "${size_mb}M"
