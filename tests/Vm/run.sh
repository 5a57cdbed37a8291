#!/usr/bin/env bash
# run.sh [--sysroot-tool ostree|arbor]
# The VM test: boots Debian's kernel in qemu (TCG) on an ext4 image holding a sysroot with two
# deployments of a tiny busybox OS, once per BLS entry (default = highest version, then rollback),
# with arbor-prepare-root in a busybox initramfs, and checks the result from inside the guest.
# Cache (kernel): $ARBOR_VM_CACHE or /var/cache/arbor/vm (outside the checkout: CI's clean clones share it). Work files: $ARBOR_VM_WORK or artifacts/vm/work.
source "$(dirname "$(readlink -f "$0")")/lib.sh"
tool=ostree
while [[ $# -gt 0 ]]; do
    case $1 in
        --sysroot-tool) tool=$2; shift 2 ;;
        --sysroot-tool=*) tool=${1#*=}; shift ;;
        *) vm_die "usage: run.sh [--sysroot-tool ostree|arbor]" ;;
    esac
done
[[ $(id -u) -eq 0 ]] || vm_die "needs root (private mount namespace for the deploy, as CI runs it)"
for cmd in qemu-system-x86_64 busybox cpio depmod mkfs.ext4 dpkg-deb apt-get ostree unshare file; do
    command -v "$cmd" >/dev/null || vm_die "$cmd not found (scripts/setup.sh installs the VM test's packages)"
done
cache=${ARBOR_VM_CACHE:-/var/cache/arbor/vm}
work=${ARBOR_VM_WORK:-$REPO_ROOT/artifacts/vm/work}-$tool
t0=$(date +%s)

prepare_root=${ARBOR_BOOT_BINARY:-$REPO_ROOT/artifacts/boot/arbor-prepare-root}
if [[ -z ${ARBOR_BOOT_BINARY:-} ]]; then "$REPO_ROOT/scripts/build-boot.sh"; fi
read -r kdir kver < <("$VM_DIR/fetch-kernel.sh" "$cache")
vm_log "kernel $kver, sysroot made by $tool"

rm -rf "$work"; mkdir -p "$work/ns"
for v in 1 2; do
    "$VM_DIR/make-initramfs.sh" "$kdir" "$kver" "$prepare_root" "$work/initramfs-v$v.img" "$v"
    "$VM_DIR/make-os-tree.sh" "$work/tree-v$v" "$v" "$kdir/boot/vmlinuz-$kver" "$work/initramfs-v$v.img" "$kver"
done
unshare -m --propagation private bash -c 'mount -t tmpfs -o size=512m,mode=0755 arbor-vm "$1/ns" && "$2" "$3" "$1"' \
    sh "$work" "$VM_DIR/make-sysroot.sh" "$tool"
vm_log "image ready ($(du -h --apparent-size "$work/disk.img" | cut -f1)) in $(( $(date +%s) - t0 ))s"

"$VM_DIR/boot.sh" "$work" 0 "$tool-default" 2
"$VM_DIR/boot.sh" "$work" 1 "$tool-rollback" 1
vm_log "PASS: both deployments booted ($tool sysroot) in $(( $(date +%s) - t0 ))s"
