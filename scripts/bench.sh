#!/usr/bin/env bash
# `npm run bench`: every benchmark under bench/, each reporting ratios against a baseline measured
# in the same run (never absolute timings as pass/fail). Results land in bench/results/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-ovn.sh
bash scripts/setup-ovsdbapp.sh
mkdir -p bench/results
npm run build --silent
for suite in bench/*/run.ts; do
  echo "== ${suite}"
  node --expose-gc --import tsx "${suite}" "$@"
done
# The sync bench's second variant: the same stream through the real `nbgen sync -f -` on stdin.
echo "== bench/sync/pipe.ts"
node --expose-gc --import tsx bench/sync/pipe.ts "$@"
