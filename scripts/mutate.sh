#!/usr/bin/env bash
# Mutation testing of the pure core (`npm run mutate`; not part of CI, which never runs it):
# StrykerJS on each scope of stryker.config.mjs in turn, each with a time budget, then the scores.
#   npm run mutate                       every scope: offers, zones, components, bootstrap, config
#   npm run mutate -- offers zones       some scopes
#   MUTATE_FILES=config/range.ts,config/gpu.ts npm run mutate -- config    a sample of a scope
#   MUTATE_BUDGET=3600 (seconds per scope, default 2 h), MUTATE_CONCURRENCY=1|2, MUTATE_STATIC=1.
# Reports: reports/mutation/SCOPE.html and .json, a log per scope in reports/mutation/SCOPE.log
# (NAME instead of SCOPE with MUTATE_REPORT=NAME).
# A full run of config/ takes hours on two cores: sample it with MUTATE_FILES.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scopes=("$@")
if [ "${#scopes[@]}" -eq 0 ]; then scopes=(offers zones components bootstrap config); fi
budget="${MUTATE_BUDGET:-7200}"
mkdir -p reports/mutation

status=0
for scope in "${scopes[@]}"; do
  log="reports/mutation/${MUTATE_REPORT:-$scope}.log"
  echo "== $scope (budget ${budget}s${MUTATE_FILES:+, files ${MUTATE_FILES}})"
  MUTATE_SCOPE="$scope" timeout --kill-after=30 "$budget" npx stryker run >"$log" 2>&1
  code=$?
  if [ "$code" -eq 124 ]; then echo "$scope: over its budget of ${budget}s ($log)"; status=1; continue; fi
  if [ "$code" -ne 0 ]; then echo "$scope: stryker failed with $code ($log)"; status=1; continue; fi
  # The score table of the clear-text reporter.
  sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(-+\||File +\||All files|  *\||[^ ].*\| *[0-9.]+ \|)' | grep -v '^-' || true
done
exit "$status"
