/**
 * The two products installed as a user would, outside the repository: `npm run pack` builds the
 * tarballs from a clean build; two scratch apps in temp dirs (ESM express + pg + ioredis behind a
 * CommonJS `node:http` + fetch edge) install them with the README's own `npm install` line (real npm,
 * third-party packages from the registry, the npm cache reused); both start with only
 * `node --import @faultline/instrumentation/register`, against backends on free ports and a
 * Prometheus scraping that Collector. Requests with `x-client-id` must show up in Jaeger with
 * `client.id` on both services' spans and the pool state on the database side; the installed
 * `npx faultline incident --since 1m` must give a report; each app's lockfile must hold one copy of
 * every OpenTelemetry package.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eq, jaeger, L, M, prometheus, selector, SERVER, type JaegerSpan } from '@faultline/signals';
import { freePort, startBackends, startPrometheus, type PrometheusInstance, type RunningBackends } from '@faultline/stack';
import { BATCH_DELAY_MS, eventually, lookback } from '@faultline/testkit';
import { scratchApp, sh, startApp, type App, type Done } from './scratch.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PACKED = ['instrumentation', 'signals', 'cli'] as const;
const VERSION = (JSON.parse(readFileSync(join(REPO, 'instrumentation/package.json'), 'utf8')) as { version: string }).version;
/** Reuse the npm cache as it is (metadata too): the test measures the install, not the registry. */
const NPM_ENV = { FAULTLINE: REPO, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

/** The README's install lines for today (from the tarballs). */
function readmeInstall(): { pack: string; install: string } {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const pack = /^\(cd "\$FAULTLINE" && npm run pack\)$/m.exec(readme)?.[0];
  const install = /^npm install "\$FAULTLINE"\/\.cache\/pack\/faultline-\{instrumentation,signals,cli\}-(\S+)\.tgz$/m.exec(readme);
  assert.ok(pack && install, 'README.md shows `npm run pack` and the tarball install line');
  assert.equal(install[1], VERSION, "README's install line names the current version");
  return { pack, install: install[0] };
}

/** npm's `npm pack --json` report, as scripts/pack.sh writes it. */
interface Packed {
  name: string;
  version: string;
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

function ok(what: string, r: Done): Done {
  assert.equal(r.code, 0, `${what} failed (${r.ms} ms)\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `@opentelemetry/*` packages with their versions in a lockfile. */
function otelVersions(lockfile: string): Map<string, string[]> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, { version?: string }> };
  const found = new Map<string, string[]>();
  for (const [path, meta] of Object.entries(lock.packages)) {
    const m = /(?:^|\/)node_modules\/(@opentelemetry\/[^/]+)$/.exec(path);
    if (m && meta.version) found.set(m[1]!, [...(found.get(m[1]!) ?? []), meta.version]);
  }
  return found;
}

describe('the packages, installed outside the repository', () => {
  const lines = readmeInstall();
  const esmDir = scratchApp('esm-app');
  const cjsDir = scratchApp('cjs-app');
  let packed: Packed[] = [];
  let backends: RunningBackends | undefined;
  let prom: PrometheusInstance | undefined;
  const apps: App[] = [];

  before(async () => {
    // The tarballs and the backends do not depend on each other: build while the backends start.
    const [pack, b] = await Promise.all([sh(REPO, lines.pack, NPM_ENV), startBackends()]);
    backends = b;
    console.log(`npm run pack: ${pack.ms} ms\n${pack.stdout.trim()}`);
    ok('npm run pack', pack);
    packed = JSON.parse(readFileSync(join(REPO, '.cache/pack/pack.json'), 'utf8')) as Packed[];
    prom = await startPrometheus({ port: await freePort(), collectorPorts: b.collector.ports });
  });
  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await prom?.stop();
    await backends?.stop();
    for (const d of [esmDir, cjsDir]) rmSync(d, { recursive: true, force: true });
  });

  it('packs three tarballs with built JS, types, README, LICENSE and the schema only, publishable', async () => {
    assert.deepEqual(packed.map((p) => p.name).sort(), PACKED.map((p) => `@faultline/${p}`).sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      assert.equal(p.version, VERSION, p.name);
      for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/index.d.ts'].filter(
        (f) => p.name !== '@faultline/cli' || f !== 'dist/index.d.ts',
      )) {
        assert.ok(files.includes(f), `${p.name} lacks ${f}`);
      }
      // bin/: the CLI's committed launcher of dist/main.js (linked by npm before a build exists).
      const stray = files.filter(
        (f) => !/^(package\.json|README\.md|LICENSE|bin\/[^/]+\.js|dist\/.+\.(js|d\.ts)|schema\/.+\.json)$/.test(f),
      );
      assert.deepEqual(stray, [], `${p.name} holds only what it needs`);
      const manifest = JSON.parse(readFileSync(join(REPO, p.name.replace('@faultline/', ''), 'package.json'), 'utf8')) as {
        private?: boolean;
        engines?: { node?: string };
      };
      assert.equal(manifest.private, undefined, `${p.name} is publishable`);
      assert.ok(manifest.engines?.node, `${p.name} names its Node versions`);
      ok(`npm publish --dry-run ${p.filename}`, await sh(REPO, `npm publish --dry-run .cache/pack/${p.filename}`));
    }
    const cli = packed.find((p) => p.name === '@faultline/cli')!;
    assert.ok(cli.files.some((f) => f.path === 'dist/main.js') && cli.files.some((f) => f.path === 'schema/incident.schema.json'));
    assert.ok(
      cli.files.some((f) => f.path === 'bin/faultline.js'),
      'the CLI ships its bin launcher',
    );
  });

  it("installs into an ESM and a CommonJS app with the README's line, one copy of each OpenTelemetry package", async () => {
    const [esm, cjs] = await Promise.all([sh(esmDir, `${lines.install} express pg ioredis`, NPM_ENV), sh(cjsDir, lines.install, NPM_ENV)]);
    console.log(`npm install: ESM app ${esm.ms} ms, CommonJS app ${cjs.ms} ms`);
    ok('npm install (ESM app)', esm);
    ok('npm install (CommonJS app)', cjs);
    for (const dir of [esmDir, cjsDir]) {
      const versions = otelVersions(join(dir, 'package-lock.json'));
      for (const name of ['@opentelemetry/api', '@opentelemetry/core', '@opentelemetry/sdk-trace']) {
        assert.equal(versions.get(name)?.length, 1, `${dir}: ${name} ${versions.get(name)?.join(', ')}`);
      }
      const dupes = [...versions].filter(([, v]) => v.length > 1).map(([n, v]) => `${n}: ${v.join(', ')}`);
      assert.deepEqual(dupes, [], dir);
    }
  });

  it('traces both apps with only --import: client.id across the hop, the pool state, the distro', async () => {
    const env = { ...backends!.env, OTEL_BSP_SCHEDULE_DELAY: String(BATCH_DELAY_MS), PORT: '0' };
    const esm = await startApp(esmDir, { ...env, OTEL_SERVICE_NAME: 'scratch-esm', FAULTLINE_EDGE: 'false', POOL_MAX: '4' });
    apps.push(esm);
    const cjs = await startApp(cjsDir, {
      ...env,
      OTEL_SERVICE_NAME: 'scratch-cjs',
      FAULTLINE_EDGE: 'true',
      UPSTREAM: `http://127.0.0.1:${esm.port}`,
    });
    apps.push(cjs);
    for (const [id, client] of [
      [7, 'team-alpha'],
      [7, 'team-alpha'],
      [8, 'team-beta'],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${cjs.port}/orders/${id}`, { headers: { 'x-client-id': client } });
      assert.equal(res.status, 200, await res.text());
      await res.arrayBuffer().catch(() => undefined);
    }
    const spans: JaegerSpan[] = await eventually(
      "the ESM app's spans for team-alpha with its queries",
      async () => {
        const traces = await jaeger.findTraces(
          backends!.jaeger.queryUrl,
          { service: 'scratch-esm', tags: { 'client.id': 'team-alpha' } },
          ...lookback(300),
          10,
        );
        const all = traces.flatMap((t) => t.spans);
        return traces.length >= 2 && all.some((s) => s.operation.startsWith('pg.query')) && all.some((s) => s.service === 'scratch-cjs')
          ? all
          : undefined;
      },
      30000,
      500,
    );
    const alpha = spans.filter((s) => s.tags['client.id'] === 'team-alpha');
    assert.equal(alpha.length, spans.length, 'every span of these traces carries the client ID, on both services');
    const edge = spans.filter((s) => s.service === 'scratch-cjs');
    assert.ok(edge.some((s) => s.kind === 'server') && edge.some((s) => s.kind === 'client'), 'node:http server and fetch client spans');
    const db = spans.filter((s) => s.service === 'scratch-esm');
    for (const n of ['GET /items/:id', 'get', 'set'])
      assert.ok(
        db.some((s) => s.operation === n),
        `no ${n} span in ${db.map((s) => s.operation)}`,
      );
    assert.ok(
      db.some((s) => s.operation.startsWith('pg.query') && typeof s.tags['db.client.connection.wait_time'] === 'number'),
      'the query carries its pool wait',
    );
    for (const s of db) {
      assert.equal(s.tags['db.client.connection.pool.max'], 4, s.operation);
      assert.equal(typeof s.tags['db.client.connection.pool.used'], 'number', s.operation);
    }
    const raw = (await (await fetch(`${backends!.jaeger.queryUrl}/api/traces/${spans[0]!.traceId}`)).json()) as {
      data: { processes: Record<string, { tags?: { key: string; value: unknown }[] }> }[];
    };
    for (const p of Object.values(raw.data[0]!.processes)) {
      const tags = Object.fromEntries((p.tags ?? []).map((t) => [t.key, t.value]));
      assert.equal(tags['telemetry.distro.name'], 'faultline');
      assert.equal(tags['telemetry.distro.version'], VERSION);
    }
    for (const a of apps) assert.doesNotMatch(a.stderr(), /\[faultline\]/, 'no warning from the preload');
  });

  it('npx faultline incident --since 1m reports from the installed bin', async () => {
    await eventually(
      "the edge's span metrics in Prometheus",
      async () => {
        const s = await prometheus.instant(prom!.url, `sum(${selector(M.calls, eq(L.service, 'scratch-cjs'), SERVER)})`, Date.now() / 1000);
        return (s[0]?.value ?? 0) > 0 ? s : undefined;
      },
      45000,
      1000,
    );
    const r = await sh(cjsDir, `npx faultline incident --since 1m --prometheus ${prom!.url} --jaeger ${backends!.jaeger.queryUrl}`);
    console.log(`npx faultline incident (${r.ms} ms):\n${r.stdout}`);
    ok('npx faultline incident', r);
    assert.match(r.stdout, /^faultline incident: last 1m \(to .*\) vs the 1m before, edge scratch-cjs/m);
  });
});
