#!/usr/bin/env bash
# Runs every test: unit, oracle (against the real ostree), privileged (mount namespaces) and VM tests.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
phase() { echo "== [${SECONDS}s] $*"; }
scripts/setup.sh
phase build
dotnet build Arbor.slnx -c Release -nologo -clp:ErrorsOnly
scripts/build-boot.sh
# The VM test: Debian's kernel boots both deployments of a sysroot made by ostree admin and by arbor admin.
# (qemu's TCG takes one core: the arbor executable, NativeAOT, is published on the other meanwhile)
./arbor --version >/dev/null &
publish=$!
phase "vm boots (ostree sysroot)"
tests/Vm/run.sh --sysroot-tool ostree
wait "$publish"
phase "vm boots (arbor sysroot)"
tests/Vm/run.sh --sysroot-tool arbor
# ostree 2022.7's own shell tests (Debian's ostree-tests) with arbor as `ostree`: the ones in tests/Upstream/passing.txt
phase "upstream ostree tests"
upstream=0
tests/Upstream/run.sh --jobs 3 || upstream=$?
# The scratch directories of the .NET tests go to a tmpfs (user xattrs there need Linux 6.6): on
# ext4 the syncfs/fsync calls of both tools, many tests at once, took most of the run (Repo.Tests
# 5 min instead of 1). ostree's own suite above and the VM images stay on the disk.
scratch=/var/tmp/arbor-test-scratch
mkdir -p "$scratch"
mountpoint -q "$scratch" || mount -t tmpfs -o size=12G,mode=1777 arbor-test-scratch "$scratch"
if touch "$scratch/.xattr-probe" && setfattr -n user.arbor.probe -v 1 "$scratch/.xattr-probe" 2>/dev/null; then
  export ARBOR_TEST_TMP="$scratch"
  trap 'umount -l "$scratch" 2>/dev/null || true' EXIT
else
  echo "test: no user xattrs on tmpfs here; the tests' scratch directories stay in /var/tmp"
  umount -l "$scratch" 2>/dev/null || true
fi
# The unit and oracle tests: Compat.Tests, the longest by far, in the background while the other
# projects run one after the other (dotnet test on the solution would start it third, two at a time)
phase ".NET tests"
logs="$(mktemp -d /tmp/arbor-test-logs.XXXXXX)"
dotnet test tests/Compat.Tests -c Release --no-build -nologo >"$logs/Compat.log" 2>&1 &
compat_pid=$!
failed=0
for project in Repo Deploy Cli Boot Architecture; do
  phase "$project.Tests"
  dotnet test "tests/$project.Tests" -c Release --no-build -nologo 2>&1 | tee "$logs/$project.log" || failed=1
done
phase "waiting for Compat.Tests"
wait "$compat_pid" || failed=1
phase "done"
cat "$logs/Compat.log"
echo
echo "== test summary (logs: $logs)"
grep -h "^\(Passed\|Failed\)!" "$logs"/*.log || true
((upstream == 0)) && echo "upstream ostree tests: passed" || echo "upstream ostree tests: FAILED"
((failed == 0 && upstream == 0))
