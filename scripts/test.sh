#!/usr/bin/env bash
# Runs every test: unit, oracle (against the real ostree), privileged (mount namespaces) and VM tests.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
scripts/setup.sh
dotnet build Arbor.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test Arbor.slnx -c Release --no-build -nologo
