#!/usr/bin/env bash
# The load-test stage of the CI examples (Jenkinsfile, github-actions.yml), as one script so
# both pipelines — and loadctl's own test of them (test/ci-pipeline.test.ts) — run exactly
# the same commands:
#
#   1. start an example service (pnpm example <name>, on a free port)
#   2. loadctl capacity on its scenario: the capacity, with a --min-rps gate
#   3. loadctl compare against the stored baseline: fail on a regression, Markdown for the PR
#
# Everything lands in $OUT: result.json, junit.xml, report.html, compare.md (and
# baseline-candidate.json when there is no baseline yet). Run after `pnpm build`.
#
# Settings (environment):
#   SERVICE        example service and scenario (default behaviour)
#   OUT            output folder (default out/ci)
#   BASELINE       result.json of the baseline (default examples/ci/baseline/$SERVICE.json)
#   SLOS           SLOs, one per line (default "p(99) < 100ms" and "error_rate < 1%")
#   MIN_RPS        --min-rps gate (default 200)
#   MAX_RPS_DROP   compare's allowed drop of max RPS (default 10%)
#   CAPACITY_ARGS  more flags for capacity (default: --max-rate 5000 --max-duration 8m)
#   LOADCTL        the loadctl command (default: node packages/cli/bin/run.js)
#
# Exit code: 0 when the gate and the comparison pass; otherwise loadctl's code of the
# first step that failed (1 gate missed or regression, 2 bad input, 3 inconclusive).
set -uo pipefail
cd "$(dirname "$0")/../.."

SERVICE=${SERVICE:-behaviour}
OUT=${OUT:-out/ci}
BASELINE=${BASELINE:-examples/ci/baseline/$SERVICE.json}
SLOS=${SLOS:-$'p(99) < 100ms\nerror_rate < 1%'}
MIN_RPS=${MIN_RPS:-200}
MAX_RPS_DROP=${MAX_RPS_DROP:-10%}
CAPACITY_ARGS=${CAPACITY_ARGS:---max-rate 5000 --max-duration 8m}
LOADCTL=${LOADCTL:-node packages/cli/bin/run.js}
ENV_NAME="$(echo "$SERVICE" | tr '[:lower:]' '[:upper:]')_URL"

mkdir -p "$OUT"
rm -f "$OUT/compare.md" "$OUT/baseline-candidate.json"

# 1. The service, on a free port; its first line says where.
node scripts/example.js "$SERVICE" --port 0 >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null; wait "$SERVICE_PID" 2>/dev/null' EXIT
URL=""
for _ in $(seq 1 100); do
  URL=$(grep -o -m1 'listening on http://[0-9.:]*' "$OUT/service.log" | sed 's/listening on //') && [ -n "$URL" ] && break
  kill -0 "$SERVICE_PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "loadtest: $SERVICE did not start:" >&2
  cat "$OUT/service.log" >&2
  exit 3
fi
echo "loadtest: $SERVICE at $URL"

# 2. Capacity, with the gate. The step table goes to the log; the files to $OUT.
slo_flags=()
while IFS= read -r s; do [ -n "$s" ] && slo_flags+=(--slo "$s"); done <<<"$SLOS"
# shellcheck disable=SC2086 # CAPACITY_ARGS is a list of flags
$LOADCTL capacity "scenarios/$SERVICE.yml" --env "$ENV_NAME=$URL" "${slo_flags[@]}" \
  --min-rps "$MIN_RPS" --out-dir "$OUT" --quiet $CAPACITY_ARGS
capacity_status=$?
echo "loadtest: capacity exited with $capacity_status"

# 3. Compare with the baseline (when there is one and the capacity run wrote its result).
compare_status=0
if [ ! -f "$OUT/result.json" ]; then
  echo "loadtest: no result to compare" >&2
elif [ -f "$BASELINE" ]; then
  $LOADCTL compare "$BASELINE" "$OUT/result.json" --max-rps-drop "$MAX_RPS_DROP" --markdown >"$OUT/compare.md"
  compare_status=$?
  cat "$OUT/compare.md"
  echo "loadtest: compare exited with $compare_status"
else
  cp "$OUT/result.json" "$OUT/baseline-candidate.json"
  echo "loadtest: no baseline at $BASELINE; this run's result is in $OUT/baseline-candidate.json (commit it as the baseline)"
fi

[ "$capacity_status" -ne 0 ] && exit "$capacity_status"
exit "$compare_status"
