#!/usr/bin/env bash
# Runs every test: unit, oracle (against the real ostree), privileged (mount namespaces) and VM tests.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
scripts/setup.sh
dotnet build Arbor.slnx -c Release -nologo -clp:ErrorsOnly
scripts/build-boot.sh
# The VM test: Debian's kernel boots both deployments of a sysroot made by ostree admin and by arbor admin.
tests/Vm/run.sh --sysroot-tool ostree
tests/Vm/run.sh --sysroot-tool arbor
# ostree 2022.7's own shell tests (Debian's ostree-tests) with arbor as `ostree`: the ones in tests/Upstream/passing.txt
./arbor --version >/dev/null
upstream=0
tests/Upstream/run.sh --jobs 3 || upstream=$?
dotnet test Arbor.slnx -c Release --no-build -nologo
exit "$upstream"
