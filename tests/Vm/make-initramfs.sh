#!/usr/bin/env bash
# make-initramfs.sh KERNEL_DIR KVER PREPARE_ROOT OUT VERSION
# A gzip'd newc cpio: static busybox, src/Boot/init/init as /init, arbor-prepare-root at
# /usr/lib/arbor/, the kernel modules for a virtio ext4 root (with their dependencies, in load order)
# and /etc/initrd-release carrying VERSION (so that each OS version gets its own boot checksum).
source "$(dirname "$(readlink -f "$0")")/lib.sh"
kdir=$1 kver=$2 prepare_root=$3 out=$4 version=$5
mods=$kdir/lib/modules/$kver
[[ -f $mods/modules.dep ]] || vm_die "$mods/modules.dep missing (run depmod for the unpacked kernel)"
busybox=$(command -v busybox) || vm_die "busybox not found (apt-get install busybox-static)"
file -L "$busybox" | grep -q 'statically linked' || vm_die "$busybox is not static (apt-get install busybox-static)"
file -L "$prepare_root" | grep -q 'statically linked' || vm_die "$prepare_root is not static"

stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,run,sysroot,tmp,etc/arbor-initramfs,usr/lib/arbor,lib/modules/$kver}
install -m 0755 "$busybox" "$stage/bin/busybox"
install -m 0755 "$REPO_ROOT/src/Boot/init/init" "$stage/init"
install -m 0755 "$prepare_root" "$stage/usr/lib/arbor/arbor-prepare-root"
printf 'NAME="Arbor test initramfs"\nID=arbor-initramfs\nVERSION_ID=%s\n' "$version" > "$stage/etc/initrd-release"

# dependency closure from modules.dep, dependencies first
declare -A seen=()
order=()
dep_line() { grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$mods/modules.dep" | head -n1; }
add_module() { # path relative to the modules dir
    local path=$1 line dep
    [[ -n ${seen[$path]:-} ]] && return
    seen[$path]=1
    line=$(grep -E "^${path//./\\.}:" "$mods/modules.dep")
    for dep in ${line#*:}; do add_module "$dep"; done
    order+=("$path")
}
for m in "${VM_MODULES[@]}"; do
    line=$(dep_line "$m") || vm_die "module $m not in $mods/modules.dep"
    add_module "${line%%:*}"
done
: > "$stage/etc/arbor-initramfs/modules"
for path in "${order[@]}"; do
    mkdir -p "$stage/lib/modules/$kver/$(dirname "$path")"
    cp "$mods/$path" "$stage/lib/modules/$kver/$path"
    echo "/lib/modules/$kver/$path" >> "$stage/etc/arbor-initramfs/modules"
done
cp "$mods"/modules.{order,builtin,builtin.modinfo} "$stage/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$stage" "$kver"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 -n > "$out.tmp"
mv -f "$out.tmp" "$out"
