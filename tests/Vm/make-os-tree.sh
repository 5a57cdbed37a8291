#!/usr/bin/env bash
# make-os-tree.sh OUT VERSION KERNEL INITRAMFS KVER
# The tiny busybox OS, version VERSION, as an ostree-style tree: everything in /usr (busybox and its
# applets, the report-and-power-off init, os-release), default config in /usr/etc, the kernel and
# initramfs in usr/lib/modules/KVER/ where the deploy finds them, and the mount points the boot
# stage needs (sysroot, var, dev, proc, sys, run, boot, tmp).
source "$(dirname "$(readlink -f "$0")")/lib.sh"
out=$1 version=$2 kernel=$3 initramfs=$4 kver=$5
rm -rf "$out"
mkdir -p "$out"/usr/{bin,sbin,etc,lib/arbor-test,lib/modules/$kver}
for d in sysroot var dev proc sys run boot tmp; do mkdir -p "$out/$d"; done
chmod 1777 "$out/tmp"
ln -s usr/bin "$out/bin"
ln -s usr/sbin "$out/sbin"
ln -s usr/lib "$out/lib"
install -m 0755 "$(command -v busybox)" "$out/usr/bin/busybox"
for applet in $(busybox --list); do
    [[ $applet == busybox || -e $out/usr/bin/$applet ]] || ln -s busybox "$out/usr/bin/$applet"
done
install -m 0755 "$VM_DIR/guest-init" "$out/usr/sbin/init"
printf 'NAME="Tiny OS"\nID=tinyos\nVERSION_ID=%s\nPRETTY_NAME="Tiny OS %s"\n' "$version" "$version" > "$out/usr/lib/os-release"
echo "$version" > "$out/usr/lib/arbor-test/version"
printf 'version=%s\n' "$version" > "$out/usr/etc/arbor-test.conf"
echo tinyos > "$out/usr/etc/hostname"
if [[ $version == 2 ]]; then echo "new in 2" > "$out/usr/etc/arbor-v2-only.conf"; fi
install -m 0644 "$kernel" "$out/usr/lib/modules/$kver/vmlinuz"
install -m 0644 "$initramfs" "$out/usr/lib/modules/$kver/initramfs.img"
