#!/usr/bin/env bash
# The project's test command (README): installs the real OVN when missing, then runs every test.
# With CI=true a missing OVN is a failure (the ovn project refuses to skip), never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/setup-ovn.sh
bash scripts/setup-browser.sh
npx tsc -p tsconfig.json
mkdir -p .vitest
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.vitest/results.json "$@" || status=$?
# One plain closing line, whatever the reporter printed above it.
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(".vitest/results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit "$status"
