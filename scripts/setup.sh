#!/usr/bin/env bash
# Installs everything Arbor's demo and tests need on a fresh Debian 12 machine (idempotent).
set -euo pipefail
packages=(
  ostree            # the oracle: tests compare against the real ostree 2022.7
  ostree-boot       # ostree-prepare-root/-remount: the oracle for the boot stage's mount tables
  ostree-tests      # ostree 2022.7's own shell test suite, run against arbor (tests/Upstream)
  systemd strace file   # unit verification, boot-path syscall checks, static-binary check
  gcc zlib1g-dev libc6-dev binutils   # NativeAOT publish (arbor, static arbor-prepare-root)
  attr              # getfattr/setfattr for xattr fixtures
  nginx-light       # static HTTP server for pull tests
  qemu-system-x86   # boots the test image (VM tests)
  busybox-static    # the test OS and its initramfs
  e2fsprogs cpio kmod xz-utils zstd
  git tar gzip xxd
  gnupg             # GPG-signed commit tests
  bubblewrap        # runs a deployment's semodule after an /etc merge, as ostree does
  curl bc python3 time hyperfine debootstrap   # bench/ scripts
  avahi-daemon avahi-utils   # the LAN finder of find-remotes: a private avahi-daemon and its D-Bus API
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet on PATH); install it from https://dot.net" >&2
  exit 1
fi
