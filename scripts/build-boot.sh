#!/usr/bin/env bash
# Publishes the boot stage as one static NativeAOT binary: artifacts/boot/arbor-prepare-root.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=artifacts/boot
# up to date unless a source is newer (--force publishes anyway)
if [[ ${1:-} != --force && -x $out/arbor-prepare-root ]] &&
   [[ -z $(find src/Boot src/Repo/Native src/Repo/Config/KeyFile.cs Directory.Build.props Directory.Packages.props \
            -newer "$out/arbor-prepare-root" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) \
            -not -path '*/obj/*' -not -path '*/bin/*' -print -quit) ]]; then
  exit 0
fi
dotnet publish src/Boot/Arbor.Boot.csproj -c Release -r linux-x64 -nologo -clp:ErrorsOnly \
  -p:StaticExecutable=true -p:PositionIndependentExecutable=false \
  -o "$out.tmp"
mkdir -p "$out"
install -m 0755 "$out.tmp/arbor-prepare-root" "$out/arbor-prepare-root.new"
mv -f "$out/arbor-prepare-root.new" "$out/arbor-prepare-root"
rm -rf "$out.tmp"
# a static binary or nothing: the initramfs has no loader and no libc
if ! file -L "$out/arbor-prepare-root" | grep -q 'statically linked'; then
  echo "build-boot: $out/arbor-prepare-root is not statically linked" >&2
  file -L "$out/arbor-prepare-root" >&2
  exit 1
fi
