/** Jaeger v2 from jaeger/config.yaml: starts on ports of its own, answers its query API, exposes no more. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startJaeger, type JaegerInstance, type JaegerPorts } from '../src/jaeger.ts';
import { JAEGER_CONFIG, REPO_ROOT } from '../src/paths.ts';
import { freePorts, isPortFree } from '../src/ports.ts';

describe('jaeger', () => {
  let jaeger: JaegerInstance | undefined;
  after(() => jaeger?.stop());

  it('starts with jaeger/config.yaml and /api/services answers 200', async () => {
    const [otlpGrpc, otlpHttp, query, queryGrpc, health, metrics] = (await freePorts(6)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ports: JaegerPorts = { otlpGrpc, otlpHttp, query, queryGrpc, health, metrics };
    jaeger = await startJaeger({ ports, name: 'test-jaeger' });
    const res = await fetch(`${jaeger.queryUrl}/api/services`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: string[] | null };
    assert.deepEqual(body.data ?? [], [], 'a fresh Jaeger has seen no service (and not itself: its own tracing is off)');
    assert.equal((await fetch(jaeger.healthUrl)).status, 200);
    assert.match(await (await fetch(jaeger.metricsUrl)).text(), /^# (HELP|TYPE) /m);
  });

  it('listens only on 127.0.0.1 and only on the configured ports', () => {
    const out = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' });
    const mine = out.split('\n').filter((l) => l.includes(`pid=${jaeger!.process.pid},`));
    const addrs = mine.map((l) => l.trim().split(/\s+/)[3]!).sort();
    const expected = Object.values(jaeger!.ports)
      .map((p) => `127.0.0.1:${p}`)
      .sort();
    assert.deepEqual(addrs, expected);
  });

  it('jaeger/README.md lists every env var of the config with its default', () => {
    const readme = readFileSync(join(REPO_ROOT, 'jaeger', 'README.md'), 'utf8');
    const vars = [...readFileSync(JAEGER_CONFIG, 'utf8').matchAll(/\$\{env:([A-Z0-9_]+):-([^}]*)\}/g)];
    assert.ok(vars.length > 5);
    for (const [, name, def] of vars) assert.ok(readme.includes(`| \`${name}\` | \`${def}\` |`), `no row for ${name}=${def}`);
  });

  it('stop() frees its ports', async () => {
    await jaeger!.stop();
    for (const p of Object.values(jaeger!.ports)) assert.equal(await isPortFree(p), true, `port ${p}`);
  });
});
