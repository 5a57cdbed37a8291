#!/usr/bin/env bash
# Downloads Debian's newest linux-image-6.1.*-amd64 (apt-get download, never installed), unpacks it
# with dpkg-deb -x into the cache and runs depmod for the unpacked tree. Prints the unpacked
# directory and the kernel version: "DIR KVER". Idempotent: a finished unpack is reused.
set -euo pipefail
cache=${1:?usage: fetch-kernel.sh CACHE_DIR}
mkdir -p "$cache"
pkg=${ARBOR_VM_KERNEL_PACKAGE:-}
if [[ -z $pkg ]]; then
  # the newest signed 6.1 image (not -rt, -cloud, -dbg or -unsigned)
  pkg=$(apt-cache search --names-only '^linux-image-6\.1\.[0-9]+-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -n1)
  if [[ -z $pkg ]]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(apt-cache search --names-only '^linux-image-6\.1\.[0-9]+-[0-9]+-amd64$' | awk '{print $1}' | sort -V | tail -n1)
  fi
  [[ -n $pkg ]] || { echo "fetch-kernel: no linux-image-6.1.*-amd64 package in the apt lists" >&2; exit 1; }
fi
kver=${pkg#linux-image-}
dir=$cache/$pkg
if [[ ! -f $dir/.done ]]; then
  rm -rf "$dir" "$dir.deb.d"
  mkdir -p "$dir.deb.d"
  (cd "$dir.deb.d" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >/dev/null)
  deb=$(ls "$dir.deb.d"/*.deb)
  mkdir -p "$dir.tmp"
  dpkg-deb -x "$deb" "$dir.tmp"
  # the package carries no modules.dep: build it for the unpacked tree
  depmod -b "$dir.tmp" "$kver"
  rm -rf "$dir.deb.d"
  mv "$dir.tmp" "$dir"
  touch "$dir/.done"
  # an older kernel's unpacked tree (400 MB) is not needed any more
  for old in "$cache"/linux-image-*; do [[ $old == "$dir" ]] || rm -rf "$old"; done
fi
[[ -f $dir/boot/vmlinuz-$kver ]] || { echo "fetch-kernel: $dir/boot/vmlinuz-$kver missing" >&2; exit 1; }
echo "$dir $kver"
