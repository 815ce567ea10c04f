/**
 * Jaeger's Badger storage (jaeger/config.yaml's default): traces written before a restart are found after
 * it, by ID and by a `client.id` tag search; a short JAEGER_TTL removes old traces; JAEGER_STORAGE=memory
 * still gives a throwaway store.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { jaeger as jq } from '@faultline/signals';
import { eventually, lookback, newSpanId, newTraceId, sendTraces } from '@faultline/testkit';
import { startJaeger, type JaegerInstance, type JaegerPorts } from '../src/jaeger.ts';
import { readCompose, toMap } from '../src/fleet.ts';
import { freePorts } from '../src/ports.ts';

async function ports(): Promise<JaegerPorts> {
  const [otlpGrpc, otlpHttp, query, queryGrpc, health, metrics] = (await freePorts(6)) as [number, number, number, number, number, number];
  return { otlpGrpc, otlpHttp, query, queryGrpc, health, metrics };
}

/** Sends one server span of `service` for `client`, straight to Jaeger's OTLP/HTTP receiver; returns its trace ID. */
async function writeTrace(j: JaegerInstance, service: string, client: string): Promise<string> {
  const traceId = newTraceId();
  await sendTraces(`http://127.0.0.1:${j.ports.otlpHttp}`, [
    { service, spans: [{ traceId, spanId: newSpanId(), name: 'GET /v1/stock/:id', kind: 'server', attributes: { 'client.id': client } }] },
  ]);
  return traceId;
}

const found = (j: JaegerInstance, id: string) => jq.getTrace(j.queryUrl, id);

describe('jaeger storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-jaeger-badger-'));
  let j: JaegerInstance | undefined;
  after(async () => {
    await j?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Badger keeps traces across a restart: found by ID and by client.id', async () => {
    const p = await ports();
    j = await startJaeger({ ports: p, name: 'test-jaeger-badger', dataDir: dir, keepData: true });
    assert.equal(j.storage, 'badger');
    const ids = [await writeTrace(j, 'restart-svc', 'team-restart'), await writeTrace(j, 'restart-svc', 'team-restart')];
    const other = await writeTrace(j, 'restart-svc', 'team-other');
    for (const id of ids) await eventually(`trace ${id} before the restart`, () => found(j!, id), 20_000, 250);
    await j.stop();
    assert.ok(existsSync(join(dir, 'keys')) && existsSync(join(dir, 'values')), 'keys/ and values/ stay on disk');

    j = await startJaeger({ ports: p, name: 'test-jaeger-badger', dataDir: dir, keepData: true });
    for (const id of [...ids, other]) {
      const t = await found(j, id);
      assert.ok(t, `trace ${id} is found by ID after the restart`);
      assert.equal(t.spans[0]!.tags['client.id'], id === other ? 'team-other' : 'team-restart');
    }
    const [start, end] = lookback(600);
    const byTag = await jq.searchTraceIds(j.queryUrl, { service: 'restart-svc', tags: { 'client.id': 'team-restart' } }, start, end, 20);
    assert.deepEqual([...byTag].sort(), [...ids].sort(), "a client.id search finds exactly that client's traces");
    assert.deepEqual(await jq.services(j.queryUrl), ['restart-svc']);
    await j.stop();
    j = undefined;
  });

  it('a TTL of a few seconds removes old traces', async () => {
    j = await startJaeger({ ports: await ports(), name: 'test-jaeger-ttl', ttl: '3s' });
    const old = await writeTrace(j, 'ttl-svc', 'team-ttl');
    await eventually(`trace ${old} while fresh`, () => found(j!, old), 2500, 100);
    await new Promise((r) => setTimeout(r, 4500));
    assert.equal(await found(j, old), undefined, 'the trace has expired');
    const fresh = await writeTrace(j, 'ttl-svc', 'team-ttl');
    await eventually(`trace ${fresh} written after the expiry`, () => found(j!, fresh), 2500, 100);
    const dataDir = j.dataDir;
    await j.stop();
    j = undefined;
    assert.equal(existsSync(dataDir), false, 'without keepData the Badger directory is removed at stop');
  });

  it('JAEGER_STORAGE=memory: a restart starts empty', async () => {
    const p = await ports();
    j = await startJaeger({ ports: p, name: 'test-jaeger-memory', storage: 'memory' });
    const id = await writeTrace(j, 'memory-svc', 'team-mem');
    await eventually(`trace ${id} in memory`, () => found(j!, id), 20_000, 250);
    await j.stop();
    j = await startJaeger({ ports: p, name: 'test-jaeger-memory', storage: 'memory' });
    assert.equal(await found(j, id), undefined);
    assert.deepEqual(await jq.services(j.queryUrl), []);
  });

  it("compose keeps Badger's directory on a named volume", () => {
    const compose = readCompose() as {
      services: Record<string, { volumes?: string[]; environment?: Record<string, unknown> }>;
      volumes?: Record<string, unknown>;
    };
    const dir = toMap(compose.services['jaeger']!.environment).JAEGER_BADGER_DIR;
    assert.equal(dir, '/var/lib/jaeger');
    assert.ok(compose.services['jaeger']!.volumes!.includes(`jaeger-data:${dir}`));
    assert.ok(compose.volumes && 'jaeger-data' in compose.volumes);
  });
});
