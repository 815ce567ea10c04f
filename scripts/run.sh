#!/usr/bin/env bash
# Entry point of `npm run demo` and `npm test`: bootstraps (fast when cached), then
#   run.sh demo [--duration 5m|300s] [--rate N] [--clients N] [--no-load] [--no-fleet]
#       starts the native stack and the demo fleet (stack/dist/cli.js) until Ctrl-C or --duration;
#   run.sh scenario list | status | <name> on|off
#       switches an incident-lab scenario in the running fleet (demo-services/scenario);
#   run.sh dashboards [--check] | dashboards:report [--prometheus URL] [--top N]
#       generates grafana/dashboards/*.json from grafana/src; prints every panel's query and top values;
#   run.sh rules [--check | --table]
#       generates grafana/rules/faultline.rules.yml (the alert rules) from grafana/src/rules;
#   run.sh measure jaeger-memory [--minutes 30] [--synthetic] [--rate 42]
#   run.sh measure quiet-alerts [--minutes 5] [--rate 40]
#       measurements that take minutes (bench/measure.ts): Jaeger's RSS curve, Badger's bytes per million spans;
#   run.sh test:scale [node --test options...]
#       the scale profile's failure suite alone (test/scale/scale.suite.ts, ~5 min: agent, 3 gateways, Kafka,
#       2 Jaeger ingesters, Cassandra on free ports, each piece broken under load; `test` runs it too);
#   run.sh lint
#       tsc's type check of every file (tests and bench too), typescript-eslint (type-aware: floating promises
#       are errors) and Prettier's check of every source file;
#   run.sh test [node --test options...]
#       runs the lint; the preload's own tests on Node 22 (instrumentation/test/*.test.ts: hooks in both
#       module systems, exit behaviour, export, pools, logs; the per-library coverage in
#       instrumentation/test/libraries/, which starts MariaDB, RabbitMQ and Kafka, runs on Node 24 only);
#       then every test on Node 24 (instrumentation, signals, testkit, demo-services, stack, grafana, cli,
#       top-level test/) but the incident lab; then the lab (test/scenarios/), last so that its summary ends
#       the output. The scale suite (test:scale) runs in the background from the start, beside the lint and
#       the first Node 24 files: it is ~5 min of mostly waiting on its own outages (~0.6 cores), on free
#       ports; its output is printed when it ends, and the lab starts only after it has (the lab's quiet
#       baseline must run on a quiet machine). Exits non-zero if the lint or any run fails (a lint failure
#       does not stop the tests).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"
[ $# -gt 0 ] && shift

case "$cmd" in
  demo | test | test:scale | lint | bench | measure | dashboards | dashboards:report | rules | scenario) ;;
  *) echo "usage: $0 demo|test|test:scale|lint|bench|measure|dashboards|dashboards:report|rules|scenario [args]" >&2; exit 2 ;;
esac

bash "$REPO/scripts/bootstrap.sh"
# shellcheck source=/dev/null
source "$REPO/.cache/env.sh"
cd "$REPO"

# lint: the type check of every file, tests and bench included (tsconfig.lint.json: the build's tsc -b
# covers only the packages' sources), typescript-eslint with type information (eslint.config.js), then
# Prettier's check of every source file (.prettierrc.json); `npm run format` rewrites what Prettier would change.
lint() {
  "$FAULTLINE_NODE24" node_modules/typescript/bin/tsc -p tsconfig.lint.json --noEmit &&
    "$FAULTLINE_NODE24" node_modules/eslint/bin/eslint.js --max-warnings=0 . &&
    "$FAULTLINE_NODE24" node_modules/prettier/bin/prettier.cjs --check --log-level=warn '**/*.{ts,js,mjs,cjs}'
}
if [ "$cmd" = lint ]; then
  lint && echo "[lint] tsc, eslint and prettier: clean"
  exit
fi
if [ "$cmd" = demo ]; then
  exec "$FAULTLINE_NODE24" stack/dist/cli.js demo "$@"
fi
if [ "$cmd" = scenario ]; then
  exec "$FAULTLINE_NODE24" demo-services/dist/scenario/main.js "$@"
fi
if [ "$cmd" = bench ]; then
  exec "$FAULTLINE_NODE24" bench/run.ts "$@"
fi
if [ "$cmd" = measure ]; then
  exec "$FAULTLINE_NODE24" bench/measure.ts "$@"
fi
if [ "$cmd" = dashboards ]; then
  exec "$FAULTLINE_NODE24" grafana/src/generate.ts "$@"
fi
if [ "$cmd" = rules ]; then
  exec "$FAULTLINE_NODE24" grafana/src/rules/generate.ts "$@"
fi
# Every `node --test` run preloads test-report-flush.mjs: without it, --test-force-exit can drop a file's last
# results on their way to the runner (nodejs/node issue 64833).
flush=(--import "$REPO/scripts/test-report-flush.mjs")
scale_runner=("${flush[@]}" --test --test-reporter=spec --test-concurrency=1 --test-timeout=900000 --test-force-exit)
if [ "$cmd" = test:scale ]; then
  exec "$FAULTLINE_NODE24" "${scale_runner[@]}" "$@" test/scale/scale.suite.ts
fi
if [ "$cmd" = dashboards:report ]; then
  exec "$FAULTLINE_NODE24" grafana/src/report.ts "$@"
fi

# existing GLOB...: prints the globs that match at least one file (node --test expands them itself).
existing() {
  local g
  shopt -s globstar nullglob
  for g in "$@"; do
    # shellcheck disable=SC2206
    local m=($g)
    [ ${#m[@]} -gt 0 ] && printf '%s\n' "$g"
  done
  shopt -u globstar nullglob
}

# The top-level tests but the incident lab (test/scenarios/), which runs last, on its own.
mapfile -t top < <(shopt -s globstar nullglob; for f in test/**/*.test.ts; do [[ $f == test/scenarios/* ]] || echo "$f"; done)
mapfile -t all < <(existing 'instrumentation/test/**/*.test.ts' 'signals/test/**/*.test.ts' 'testkit/test/**/*.test.ts' \
  'demo-services/test/**/*.test.ts' 'stack/test/**/*.test.ts' 'grafana/test/**/*.test.ts' 'cli/test/**/*.test.ts')
all+=("${top[@]}")
mapfile -t lab < <(existing 'test/scenarios/**/*.test.ts')
mapfile -t instr < <(existing 'instrumentation/test/*.test.ts')
[ ${#all[@]} -gt 0 ] || { echo "no test files found" >&2; exit 1; }

runner=("${flush[@]}" --test --test-reporter=spec --test-concurrency=1 --test-timeout=600000 --test-force-exit)
failed=()
scale_log="$REPO/.cache/test-scale.log"
scale_pid=
if [ -f test/scale/scale.suite.ts ]; then
  echo "[test] scale profile, in the background from now (output when it ends): test/scale/scale.suite.ts"
  "$FAULTLINE_NODE24" "${scale_runner[@]}" "$@" test/scale/scale.suite.ts >"$scale_log" 2>&1 &
  scale_pid=$!
  # Ctrl-C or a failure of this script stops it too (its `after` stops the pipeline).
  trap '[ -n "$scale_pid" ] && kill -INT "$scale_pid" 2>/dev/null; wait' EXIT
fi
echo "[test] lint"
lint || failed+=("lint")
# Node 22 first: the long Node 24 run comes last, so its summary of failing tests ends the output.
if [ ${#instr[@]} -gt 0 ]; then
  echo "[test] node $("$FAULTLINE_NODE22" --version): ${instr[*]}"
  "$FAULTLINE_NODE22" --experimental-strip-types "${runner[@]}" "$@" "${instr[@]}" || failed+=("node 22")
fi
echo "[test] node $("$FAULTLINE_NODE24" --version): ${all[*]}"
"$FAULTLINE_NODE24" "${runner[@]}" "$@" "${all[@]}" || failed+=("node 24")
if [ -n "$scale_pid" ]; then
  scale_rc=0
  wait "$scale_pid" || scale_rc=$?
  scale_pid=
  echo "[test] scale profile (ran in the background): test/scale/scale.suite.ts"
  cat "$scale_log"
  [ "$scale_rc" -eq 0 ] || failed+=("scale")
fi
if [ ${#lab[@]} -gt 0 ]; then
  echo "[test] node $("$FAULTLINE_NODE24" --version), the incident lab: ${lab[*]}"
  "$FAULTLINE_NODE24" "${runner[@]}" "$@" "${lab[@]}" || failed+=("lab")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "[test] FAILED on: ${failed[*]}" >&2
  exit 1
fi
echo "[test] all test runs passed"
