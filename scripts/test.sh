#!/usr/bin/env bash
# `npm test`: every check and test, each stage run even when an earlier one failed, so one run
# shows everything that is wrong. Lint and type-check results go to test-results/checks.json.
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
status=0
checks_passed=0
checks_failed=0
check() {
  echo "== $1 =="
  if "${@:2}"; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); status=1; fi
}
check "lint (biome)" node_modules/.bin/biome check .
check "typecheck (tsc)" node_modules/.bin/tsc --noEmit -p .
printf '{"numPassedTests":%d,"numFailedTests":%d}\n' "$checks_passed" "$checks_failed" > test-results/checks.json
echo "== unit + integration (vitest) =="
node_modules/.bin/vitest run || status=1
echo "== e2e (playwright) =="
node_modules/.bin/playwright test || status=1
exit $status
