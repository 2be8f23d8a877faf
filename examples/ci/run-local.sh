#!/usr/bin/env bash
# giftlab in CI — the steps of examples/ci/github-actions.yml and examples/ci/gitlab-ci.yml, runnable on
# your machine (tests/ci/recipes.test.ts runs it, so the recipe cannot rot):
#
#   examples/ci/run-local.sh              # every stage
#   examples/ci/run-local.sh scenarios    # 1. validate and run every scenario against its thresholds
#   examples/ci/run-local.sh backend      # 2. start the reference backend: k6 smoke load + audit,
#                                         #    and replay a small run into a fresh backend
#
# Every step runs even when an earlier one failed, so that every JUnit file and report is there to
# publish; the script then exits with the first failure's code (99 a threshold, 3 an invariant or
# audit violation or a replay difference, 2 bad input). The k6 step is skipped, saying so, when k6 is
# neither on PATH nor named by K6_BIN.
#
# Settings (environment):
#   GIFTLAB                  the command (default: npx giftlab)
#   GIFTLAB_CI_OUT           where everything goes (default: runs/ci): junit/*.xml, runs/<scenario>/report.html, …
#   GIFTLAB_CI_SCENARIOS     the scenario files (default: scenarios/*.yaml)
#   GIFTLAB_CI_THRESHOLDS    thresholds added to every scenario's own, separated by ';'
#                            (default: platformMarginCents>0;grossBookingsCents>0)
#   GIFTLAB_CI_RUN_ARGS      more flags for giftlab run, e.g. "--replications 5" or "--set population.viewers=20000"
set -uo pipefail

GIFTLAB=${GIFTLAB:-npx giftlab}
OUT=${GIFTLAB_CI_OUT:-runs/ci}
SCENARIOS=${GIFTLAB_CI_SCENARIOS:-scenarios/*.yaml}
THRESHOLDS=${GIFTLAB_CI_THRESHOLDS:-platformMarginCents>0;grossBookingsCents>0}
RUN_ARGS=${GIFTLAB_CI_RUN_ARGS:-}
STAGE=${1:-all}

status=0
failures=()
pids=()

# Runs a step; remembers the first failure's exit code and keeps going.
step() {
  local name=$1
  shift
  echo "::: $name"
  "$@"
  local code=$?
  if [ "$code" -ne 0 ]; then
    echo "::: FAILED (exit $code): $name"
    failures+=("$name (exit $code)")
    if [ "$status" -eq 0 ]; then status=$code; fi
  fi
  return 0
}

# A step that could not even start: counted as bad input (exit 2).
broken() {
  step "$1" bash -c 'exit 2'
}

# Each backend runs in its own process group (set -m), so that stopping it stops the node process
# under `npx` too.
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
}
trap cleanup EXIT

# Starts `giftlab serve` on a free port in the background and sets BACKEND to its URL once its users
# file is written. (Not in a $(…) subshell: the server's pid must reach `cleanup`.)
start_backend() {
  local name=$1 users=$2
  shift 2
  rm -f "$users"
  BACKEND=
  set -m
  # shellcheck disable=SC2086
  $GIFTLAB serve --port 0 --users-file "$users" "$@" >"$OUT/$name.log" 2>&1 &
  pids+=($!)
  set +m
  for _ in $(seq 1 300); do
    if [ -s "$users" ]; then
      BACKEND=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).target)' "$users")
      return 0
    fi
    sleep 0.1
  done
  echo "giftlab serve did not start; its log:" >&2
  cat "$OUT/$name.log" >&2
  return 2
}

# `giftlab validate` prints the resolved scenario; only its errors (stderr) matter here.
validate_quietly() {
  $GIFTLAB validate "$1" --json >/dev/null
}

stage_scenarios() {
  local flags=()
  IFS=';' read -r -a list <<<"$THRESHOLDS"
  for t in "${list[@]}"; do [ -n "$t" ] && flags+=(--threshold "$t"); done
  for file in $SCENARIOS; do
    local name
    name=$(basename "$file" .yaml)
    step "validate $file" validate_quietly "$file"
    # shellcheck disable=SC2086
    step "run $file" $GIFTLAB run "$file" $RUN_ARGS "${flags[@]}" \
      --junit "$OUT/junit/run-$name.xml" --out "$OUT/runs/$name" --quiet
  done
}

stage_backend() {
  local target users="$OUT/users-load.json"
  rm -rf "$OUT/load"
  if ! start_backend serve-load "$users" --seed-users 1000; then
    broken "start the reference backend"
    return
  fi
  target=$BACKEND
  echo "::: backend $target"
  if [ -n "${K6_BIN:-}" ] || command -v k6 >/dev/null 2>&1; then
    step "load --profile smoke" $GIFTLAB load scenarios/baseline.yaml --target "$target" --users "$users" \
      --profile smoke --out "$OUT/load"
  else
    echo "::: skipped: no k6 — giftlab load --profile smoke needs k6 on PATH or K6_BIN (https://github.com/grafana/k6/releases)"
  fi
  local acks=()
  if [ -s "$OUT/load/acks.jsonl" ]; then acks=(--acks "$OUT/load/acks.jsonl"); fi
  step "audit $target" $GIFTLAB audit --target "$target" --users "$users" "${acks[@]}" --junit "$OUT/junit/audit.xml"

  # The backend's arithmetic against the model's: a small run's operations replayed into a fresh backend.
  step "run baseline --journal" $GIFTLAB run scenarios/baseline.yaml --set population.viewers=1000 \
    --set viewers.payerShare=0.5 --journal --out "$OUT/runs/replay-baseline" --quiet
  local fresh replay_users="$OUT/users-replay.json"
  if ! start_backend serve-replay "$replay_users" --seed-users 1000 --scenario scenarios/baseline.yaml; then
    broken "start a fresh backend for replay"
    return
  fi
  fresh=$BACKEND
  step "replay into $fresh" $GIFTLAB replay "$OUT/runs/replay-baseline" --target "$fresh" --users "$replay_users" --quiet
  step "audit $fresh" $GIFTLAB audit --target "$fresh" --users "$replay_users" --junit "$OUT/junit/audit-replay.xml"
}

mkdir -p "$OUT/junit" "$OUT/runs"
case "$STAGE" in
  all) stage_scenarios; stage_backend ;;
  scenarios) stage_scenarios ;;
  backend) stage_backend ;;
  *) echo "usage: $0 [all|scenarios|backend]" >&2; exit 2 ;;
esac

echo
echo "artifacts: $OUT/junit/*.xml, $OUT/runs/*/report.html${failures[*]:+, and the logs above}"
if [ "$status" -ne 0 ]; then
  echo "giftlab CI: ${#failures[@]} step(s) failed:"
  printf '  %s\n' "${failures[@]}"
  exit "$status"
fi
echo "giftlab CI: every step passed"
