#!/usr/bin/env bash
# The project's test command (README): installs the real OVN when missing, then runs every test.
# With CI=true a missing OVN is a failure (the ovn project refuses to skip), never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/setup-ovn.sh
npx tsc -p tsconfig.json
npx vitest run "$@"
