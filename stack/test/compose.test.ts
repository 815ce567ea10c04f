/**
 * docker-compose.yml cannot run here (no Docker engine), so it is checked as data: pinned images,
 * loopback-only ports, files that exist, and the same ports and values as the native run.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { COLLECTOR_PORTS } from '../src/collector.ts';
import { dependsOnOf, loadFleet, readCompose, toMap } from '../src/fleet.ts';
import { JAEGER_GOMEMLIMIT, JAEGER_PORTS } from '../src/jaeger.ts';
import { COLLECTOR_CONFIG, COMPOSE_FILE, JAEGER_CONFIG, PROMETHEUS_SCALE_CONFIG, REPO_ROOT } from '../src/paths.ts';
import {
  SCALE_AGENT_CONFIG,
  SCALE_CASSANDRA_STORAGE_CONFIG,
  SCALE_FIXED_PORTS,
  SCALE_GATEWAY_CONFIG,
  SCALE_INGESTER_CONFIG,
  SCALE_QUERY_CONFIG,
  staticResolver,
} from '../src/scale.ts';
import { EPHEMERAL_PORTS_FROM } from '../src/ports.ts';
import { POSTGRES_PORT } from '../src/postgres.ts';
import { REDIS_PORT } from '../src/redis.ts';
import { nativeProxies, TOXIPROXY_PORT } from '../src/toxiproxy.ts';

const compose = readCompose();
const services = compose.services as Record<string, Record<string, unknown>>;

/** The native ports table: fleet service → PORT. */
const FLEET_PORTS: Record<string, number> = { lb: 8080, 'api-1': 8081, 'api-2': 8082, partner: 8090, worker: 8091 };

/** Published ports as `{hostIp, host, container}` from short ("127.0.0.1:1:2") or long syntax. */
function published(s: Record<string, unknown>): { hostIp: string; host: number; container: number }[] {
  return ((s.ports as unknown[]) ?? []).map((p) => {
    if (typeof p === 'string' || typeof p === 'number') {
      const parts = String(p).split(':');
      assert.equal(parts.length, 3, `port "${p}" must be ip:host:container`);
      return { hostIp: parts[0]!, host: Number(parts[1]), container: Number(parts[2]!.split('/')[0]) };
    }
    const o = p as { host_ip?: string; published?: string | number; target: number };
    return { hostIp: o.host_ip ?? '', host: Number(o.published), container: Number(o.target) };
  });
}

describe('docker-compose.yml', () => {
  it('parses, and every service has an image or a build', () => {
    assert.doesNotThrow(() => parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }));
    for (const [name, s] of Object.entries(services)) assert.ok(s.image || s.build, `${name}: no image and no build`);
  });

  it('pins every image to a version (no latest, no missing tag)', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.image) continue;
      const image = String(s.image);
      const tag = /:([^/:@]+)$/.exec(image)?.[1];
      assert.ok(tag, `${name}: image ${image} has no tag`);
      assert.notEqual(tag, 'latest', `${name}: image ${image}`);
      assert.match(tag, /\d/, `${name}: image ${image} has no version in its tag`);
    }
  });

  it('pins the Collector and Jaeger images to the versions built natively', () => {
    const builder = readFileSync(join(REPO_ROOT, 'collector', 'builder-config.yaml'), 'utf8');
    const version = /^\s*version:\s*([\d.]+)/m.exec(builder)?.[1];
    assert.equal(services.collector!.image, `otel/opentelemetry-collector-contrib:${version}`);
    const bootstrap = readFileSync(join(REPO_ROOT, 'scripts', 'bootstrap.sh'), 'utf8');
    assert.match(bootstrap, /JAEGER_MODULE_VERSION=v1\.76\.0/, 'module v1.76.0 is Jaeger 2.13.0');
    assert.equal(services.jaeger!.image, 'jaegertracing/jaeger:2.13.0');
  });

  it('runs the Toxiproxy built natively, with the one proxy list the native run reads', () => {
    const bootstrap = readFileSync(join(REPO_ROOT, 'scripts', 'bootstrap.sh'), 'utf8');
    const version = /^TOXIPROXY_VERSION=v([\d.]+)$/m.exec(bootstrap)?.[1];
    assert.equal(services.toxiproxy!.image, `ghcr.io/shopify/toxiproxy:${version}`);
    const command = (services.toxiproxy!.command as string[]).join(' ');
    const mount = (services.toxiproxy!.volumes as string[]).find((v) => v.startsWith('./toxiproxy/proxies.json:'));
    assert.ok(mount, 'toxiproxy/proxies.json mounted');
    assert.ok(command.includes(`-config=${mount.split(':')[1]}`), command);
    assert.ok(command.includes(`-port=${TOXIPROXY_PORT}`), command);
    const proxies = JSON.parse(readFileSync(join(REPO_ROOT, 'toxiproxy', 'proxies.json'), 'utf8')) as { upstream: string }[];
    for (const p of proxies) assert.ok(services[p.upstream.split(':')[0]!], `upstream ${p.upstream} is a compose service`);
  });

  it('publishes every port on 127.0.0.1 only, with the same number inside and out', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const p of published(s)) {
        assert.equal(p.hostIp, '127.0.0.1', `${name}: ${JSON.stringify(p)}`);
        assert.equal(p.host, p.container, `${name}: ${JSON.stringify(p)}`);
      }
    }
  });

  it('keeps every fixed port below the ephemeral ports, where an outgoing connection could hold it at start', () => {
    const fixed = [
      ...Object.values(services).flatMap((s) => published(s).map((p) => p.host)),
      ...nativeProxies().map((p) => Number(p.listen.split(':').pop())),
      ...Object.values(SCALE_FIXED_PORTS).flatMap((group) =>
        typeof group === 'number' ? [group] : Object.values(group as Record<string, number>),
      ),
    ];
    assert.ok(fixed.length > 20, `${fixed.length} ports found`);
    // Base ports of numbered pieces (gateway i, ingester i) leave room for a few of them.
    const high = fixed.filter((port) => !(port > 0 && port + 10 < EPHEMERAL_PORTS_FROM));
    assert.deepEqual(high, []);
  });

  it('publishes the backends on the native ports table', () => {
    const ports = (name: string) =>
      published(services[name]!)
        .map((p) => p.host)
        .sort();
    assert.deepEqual(ports('postgres'), [POSTGRES_PORT]);
    assert.deepEqual(ports('redis'), [REDIS_PORT]);
    assert.deepEqual(ports('collector'), Object.values(COLLECTOR_PORTS).sort());
    assert.deepEqual(ports('jaeger'), [JAEGER_PORTS.health, JAEGER_PORTS.query, JAEGER_PORTS.metrics].sort());
    for (const [name, port] of Object.entries(FLEET_PORTS)) assert.deepEqual(ports(name), [port], name);
  });

  it('mounts only files that exist in the repo, and the one Collector and Jaeger config', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of (s.volumes as unknown[]) ?? []) {
        const src = typeof v === 'string' ? v.split(':')[0]! : String((v as { source?: string }).source ?? '');
        if (!src.startsWith('.') && !src.startsWith('/')) continue; // a named volume
        assert.ok(existsSync(join(REPO_ROOT, src)), `${name}: mounts ${src}, which does not exist`);
      }
    }
    assert.ok((services.collector!.volumes as string[]).includes('./collector/config.yaml:/etc/otelcol/config.yaml:ro'));
    assert.ok((services.jaeger!.volumes as string[]).includes('./jaeger/config.yaml:/etc/jaeger/config.yaml:ro'));
    assert.ok(existsSync(COLLECTOR_CONFIG) && existsSync(JAEGER_CONFIG));
  });

  it('builds the fleet from demo-services/Dockerfile, which exists', () => {
    for (const [name, s] of Object.entries(services)) {
      if (!s.build) continue;
      const b = s.build as { context: string; dockerfile: string };
      assert.ok(existsSync(join(REPO_ROOT, b.context, b.dockerfile)), `${name}: ${b.context}/${b.dockerfile}`);
    }
  });

  it("sets only env vars that the Collector and Jaeger configs read, or Go's runtime (GOMEMLIMIT, as natively)", () => {
    for (const [name, file] of [
      ['collector', COLLECTOR_CONFIG],
      ['jaeger', JAEGER_CONFIG],
    ] as const) {
      const config = readFileSync(file, 'utf8');
      for (const key of Object.keys(toMap(services[name]!.environment as Record<string, unknown>))) {
        if (key === 'GOMEMLIMIT') continue;
        assert.ok(config.includes(`\${env:${key}:-`), `${name} sets ${key}, which ${file} does not read`);
      }
    }
    const jaegerEnv = toMap(services.jaeger!.environment as Record<string, unknown>);
    assert.equal(jaegerEnv.GOMEMLIMIT, `\${JAEGER_GOMEMLIMIT:-${JAEGER_GOMEMLIMIT}}`, "Jaeger's memory limit has the native default");
    assert.equal(toMap(services.collector!.environment as Record<string, unknown>).JAEGER_OTLP_ENDPOINT, `jaeger:${JAEGER_PORTS.otlpGrpc}`);
  });

  it('names only existing services in depends_on', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const d of dependsOnOf(s)) assert.ok(services[d], `${name} depends on unknown service ${d}`);
    }
  });

  it('gives every fleet service a healthcheck, and depends on fleet services only once they are healthy', () => {
    for (const s of loadFleet()) {
      const c = services[s.name]!;
      if (!s.load) assert.ok(c.healthcheck, `${s.name}: no healthcheck`);
      for (const [dep, cond] of Object.entries((c.depends_on as Record<string, { condition: string }>) ?? {})) {
        const expected = services[dep]!.healthcheck ? 'service_healthy' : 'service_started';
        assert.equal(cond.condition, expected, `${s.name} → ${dep}`);
      }
    }
  });
});

describe('the fleet from docker-compose.yml, natively', () => {
  const fleet = loadFleet(COMPOSE_FILE, '/path/to/node24');
  const byName = Object.fromEntries(fleet.map((s) => [s.name, s]));

  it('is every service labelled faultline.fleet, load generator last', () => {
    assert.deepEqual(fleet.map((s) => s.name).sort(), ['api-1', 'api-2', 'lb', 'loadgen', 'partner', 'worker']);
    assert.equal(fleet.at(-1)!.name, 'loadgen');
    assert.equal(byName.loadgen!.load, true);
  });

  it('starts each service after the fleet services it depends on', () => {
    const at = (n: string) => fleet.findIndex((s) => s.name === n);
    for (const s of fleet) for (const d of s.dependsOn) assert.ok(at(d) < at(s.name), `${d} before ${s.name}`);
    assert.ok(at('partner') < at('api-1') && at('api-2') < at('lb'));
  });

  it('runs Node 24 with the preload on demo-services/dist/<name>/main.js', () => {
    for (const s of fleet) {
      assert.equal(s.argv[0], '/path/to/node24');
      const script = s.argv.at(-1)!;
      assert.match(script, new RegExp(`^${REPO_ROOT}/demo-services/dist/[a-z]+/main\\.js$`), s.name);
      if (!s.load) assert.deepEqual(s.argv.slice(1, 3), ['--import', '@faultline/instrumentation/register'], s.name);
    }
  });

  it('maps every compose host to 127.0.0.1 and keeps the native ports table', () => {
    for (const [name, port] of Object.entries(FLEET_PORTS)) {
      assert.equal(byName[name]!.port, port, name);
      assert.equal(byName[name]!.env.HOST, '127.0.0.1', `${name} listens on loopback only`);
    }
    const hosts = Object.keys(services);
    const proxyPorts = nativeProxies().map((p) => Number(p.listen.split(':')[1]));
    const allowed = new Set([
      ...Object.values(FLEET_PORTS),
      POSTGRES_PORT,
      REDIS_PORT,
      COLLECTOR_PORTS.otlpHttp,
      COLLECTOR_PORTS.otlpGrpc,
      TOXIPROXY_PORT,
      ...proxyPorts,
    ]);
    for (const s of fleet) {
      for (const [k, v] of Object.entries(s.env)) {
        for (const h of hosts) {
          assert.doesNotMatch(v, new RegExp(`(//|@)${h}(:|/|,|$)|(^|,)${h}:\\d`), `${s.name} ${k}=${v} still names host ${h}`);
          if (k.endsWith('HOST')) assert.notEqual(v, h, `${s.name} ${k}`);
        }
        for (const m of v.matchAll(/127\.0\.0\.1:(\d+)/g))
          assert.ok(allowed.has(Number(m[1])), `${s.name} ${k}=${v}: port ${m[1]} is not in the table`);
      }
      if (s.load) continue;
      assert.equal(s.env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://127.0.0.1:${COLLECTOR_PORTS.otlpHttp}`, s.name);
    }
    // The worker reaches its dependencies directly; each api instance through its Toxiproxy links.
    const listen = Object.fromEntries(nativeProxies().map((p) => [p.name, p.listen]));
    const direct = { pg: `127.0.0.1:${POSTGRES_PORT}`, cache: `127.0.0.1:${REDIS_PORT}`, partner: '127.0.0.1:8090' };
    const expected: Record<string, typeof direct> = {
      worker: direct,
      'api-1': { pg: listen['postgres-api-1']!, cache: listen['redis-api']!, partner: listen['partner-api']! },
      'api-2': { pg: listen['postgres-api-2']!, cache: listen['redis-api']!, partner: listen['partner-api']! },
    };
    for (const [n, want] of Object.entries(expected)) {
      const e = byName[n]!.env;
      assert.deepEqual(
        [`${e.PGHOST}:${e.PGPORT}`, e.PGUSER, e.PGPASSWORD, e.PGDATABASE],
        [want.pg, 'faultline', 'faultline', 'faultline'],
        n,
      );
      assert.equal(e.REDIS_URL, `redis://127.0.0.1:${REDIS_PORT}`, `${n}: the queue goes to Redis directly`);
      assert.equal(e.CACHE_REDIS_URL ?? e.REDIS_URL, `redis://${want.cache}`, n);
      assert.equal(e.PARTNER_URL, `http://${want.partner}`, n);
    }
    assert.equal(byName.lb!.env.BACKENDS, 'http://127.0.0.1:8081,http://127.0.0.1:8082');
    assert.equal(byName.loadgen!.env.TARGET_URL, 'http://127.0.0.1:8080');
  });

  it('names each instance in its resource, with a version, and marks only lb as the edge', () => {
    for (const s of fleet.filter((x) => !x.load)) {
      const attrs = Object.fromEntries(s.env.OTEL_RESOURCE_ATTRIBUTES!.split(',').map((kv) => kv.split('=') as [string, string]));
      assert.equal(attrs['service.instance.id'], s.name);
      assert.equal(attrs['service.instance.id'], s.env.INSTANCE);
      assert.match(attrs['service.version'] ?? '', /^\d+\.\d+\.\d+/);
      assert.ok(s.env.OTEL_SERVICE_NAME, `${s.name}: OTEL_SERVICE_NAME`);
      assert.equal(s.env.FAULTLINE_EDGE, s.name === 'lb' ? 'true' : 'false', s.name);
    }
    assert.equal(byName['api-1']!.env.OTEL_SERVICE_NAME, byName['api-2']!.env.OTEL_SERVICE_NAME, 'two replicas of one service');
  });
});

describe('docker-compose.yml, profile scale', () => {
  const scale = Object.entries(services).filter(([, s]) => ((s.profiles as string[]) ?? []).includes('scale'));
  const byName = Object.fromEntries(scale);
  const gateways = scale.filter(([n]) => /^gateway-\d+$/.test(n));
  const env = (name: string) => toMap(byName[name]!.environment as Record<string, unknown>);

  it('is an agent, 3 gateways, Kafka, 2 Jaeger ingesters, Cassandra, Jaeger query and a Prometheus, all in the profile', () => {
    assert.equal(gateways.length, 3);
    for (const n of ['scale-agent', 'kafka', 'cassandra', 'jaeger-ingester-1', 'jaeger-ingester-2', 'jaeger-query', 'prometheus-scale'])
      assert.ok(byName[n], `${n} in profile scale`);
    assert.ok(!services.collector!.profiles && !services.jaeger!.profiles, 'the default profile is unchanged');
  });

  it('mounts the same config files as the native run', () => {
    const mounts = (n: string) => (byName[n]!.volumes as string[]).map((v) => v.split(':')[0]!.replace(/^\.\//, ''));
    const rel = (p: string) => p.slice(REPO_ROOT.length + 1);
    assert.ok(mounts('scale-agent').includes(rel(SCALE_AGENT_CONFIG)));
    for (const [n] of gateways) assert.ok(mounts(n).includes(rel(SCALE_GATEWAY_CONFIG)), n);
    for (const n of ['jaeger-ingester-1', 'jaeger-ingester-2']) {
      assert.deepEqual(mounts(n), [rel(SCALE_INGESTER_CONFIG), rel(SCALE_CASSANDRA_STORAGE_CONFIG)], n);
    }
    assert.deepEqual(mounts('jaeger-query'), [rel(SCALE_QUERY_CONFIG), rel(SCALE_CASSANDRA_STORAGE_CONFIG)]);
    assert.ok(mounts('prometheus-scale').includes(rel(PROMETHEUS_SCALE_CONFIG)));
  });

  it('resolves the gateways by DNS on one alias that every gateway carries, in the format the config takes', () => {
    for (const [n, s] of gateways) assert.deepEqual((s.networks as { default: { aliases: string[] } }).default.aliases, ['gateway'], n);
    const resolver = parse(env('scale-agent').SCALE_LB_RESOLVER!) as { dns: { hostname: string; port: unknown } };
    assert.equal(resolver.dns.hostname, 'gateway');
    assert.equal(typeof resolver.dns.port, 'string', 'the dns resolver takes its port as a string');
    assert.equal(Object.keys(parse(staticResolver(['127.0.0.1:1'])) as object)[0], 'static', 'natively: the static resolver');
  });

  it('sets only env vars that the configs read, and publishes the native ports of the agent and Jaeger query', () => {
    const files: Record<string, string[]> = {
      'scale-agent': [SCALE_AGENT_CONFIG],
      'gateway-1': [SCALE_GATEWAY_CONFIG],
      'jaeger-ingester-1': [SCALE_INGESTER_CONFIG, SCALE_CASSANDRA_STORAGE_CONFIG],
      'jaeger-query': [SCALE_QUERY_CONFIG, SCALE_CASSANDRA_STORAGE_CONFIG],
    };
    for (const [n, fs] of Object.entries(files)) {
      const text = fs.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const key of Object.keys(env(n))) assert.ok(text.includes(`\${env:${key}`), `${n} sets ${key}, which its config does not read`);
    }
    const ports = (n: string) => published(byName[n]!).map((p) => p.host);
    const F = SCALE_FIXED_PORTS;
    assert.deepEqual(ports('scale-agent'), [F.agent.otlpGrpc, F.agent.otlpHttp]);
    assert.equal(env('scale-agent').COLLECTOR_OTLP_HTTP_PORT, String(F.agent.otlpHttp));
    assert.deepEqual(ports('jaeger-query'), [F.query.query]);
    assert.equal(env('jaeger-query').JAEGER_QUERY_PORT, String(F.query.query));
  });

  it('pins the scale Collector image to the version of collector/scale/builder-config.yaml', () => {
    const builder = readFileSync(join(REPO_ROOT, 'collector', 'scale', 'builder-config.yaml'), 'utf8');
    const version = /^\s*version:\s*([\d.]+)/m.exec(builder)?.[1];
    for (const n of ['scale-agent', ...gateways.map(([g]) => g)])
      assert.equal(byName[n]!.image, `otel/opentelemetry-collector-contrib:${version}`, n);
    for (const n of ['jaeger-ingester-1', 'jaeger-query']) assert.equal(byName[n]!.image, services.jaeger!.image, n);
    assert.match(readFileSync(join(REPO_ROOT, 'scripts', 'bootstrap.sh'), 'utf8'), /CASSANDRA_VERSION=5\.0\.9/);
    assert.equal(byName.cassandra!.image, 'cassandra:5.0.9');
  });

  it('names every Prometheus target of prometheus/scale.yml as a service of the profile', () => {
    const cfg = parse(readFileSync(PROMETHEUS_SCALE_CONFIG, 'utf8')) as { scrape_configs: { static_configs: { targets: string[] }[] }[] };
    const targets = cfg.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    for (const t of targets) assert.ok(byName[t.split(':')[0]!], `${t}: no such service in profile scale`);
    assert.equal(targets.filter((t) => t.startsWith('gateway-')).length, 6, 'each gateway: span metrics and own metrics');
  });
});
