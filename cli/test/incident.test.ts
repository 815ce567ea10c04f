/**
 * `faultline incident` on a stack of its own (fleet with load from 24 clients, Collector, Prometheus,
 * Jaeger) whose api pools hold 2 connections: one client saturating them is named first and the pools
 * next. The cases that need no special fleet (a quiet window, a client driven ~6× harder, a heavy new
 * client among a dozen light ones, the command's text and JSON) run on the incident lab's stack
 * (test/scenarios/lab.test.ts). With FAULTLINE_RECORD=1 the observations are saved as the ranking's
 * fixtures.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { investigate, type IncidentOptions } from '../src/incident.ts';
import { observe } from '../src/observe.ts';
import { startStack, type Stack } from '../../stack/src/index.ts';
import { pressure, runIncidentCommand, type ScriptResult } from '@faultline/testkit';

const WINDOW_S = 60;
/** Span batch (1 s) + span-metrics flush (5 s) + scrape (5 s), with room. */
const METRICS_LAG_MS = 12_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options(stack: Stack, windowS = WINDOW_S): IncidentOptions {
  return {
    prometheus: stack.urls.prometheus!,
    jaeger: stack.urls.jaegerQuery,
    grafana: 'http://127.0.0.1:3000',
    windowS,
    edge: 'lb',
  };
}

/** `faultline incident --since <windowS>s` against the stack, run as the command (cli/dist/main.js). */
function cli(stack: Stack, extra: string[] = [], windowS = WINDOW_S): Promise<ScriptResult> {
  return runIncidentCommand({ prometheus: stack.urls.prometheus!, jaeger: stack.urls.jaegerQuery }, windowS, extra);
}

/** With FAULTLINE_RECORD=1, writes what the ranking saw as cli/test/fixtures/<name>.json. */
async function record(stack: Stack, name: string): Promise<void> {
  if (!process.env['FAULTLINE_RECORD']) return;
  const obs = await observe(
    stack.urls.prometheus!,
    stack.urls.jaegerQuery,
    { end: Math.floor(Date.now() / 1000), seconds: WINDOW_S, baselineSeconds: WINDOW_S },
    'lb',
  );
  writeFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), `${JSON.stringify(obs)}\n`);
}

describe('faultline incident when one client saturates a pool (the seed incident)', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      fleet: true,
      load: { rate: 40 },
      serviceEnv: { 'api-1': { PG_POOL_MAX: '2' }, 'api-2': { PG_POOL_MAX: '2' } },
    });
    // The report compares the window (the last WINDOW_S, which the pressure below fills) with the
    // WINDOW_S before it: the fleet must have been measured for that long before the pressure starts.
    await sleep(WINDOW_S * 1000 + METRICS_LAG_MS + 10_000);
  });
  after(async () => {
    await stack?.stop();
  });

  it('names the client first and the pool at its limit next, with the p99 wait, when, and traces', async () => {
    // A batch job of one client keeps 48 requests in flight: pools of 2 connections cannot keep up.
    const driven = await pressure(stack.urls.lb!, 'team-17', 48, 45);
    await sleep(METRICS_LAG_MS);
    const report = await investigate(options(stack));
    await record(stack, 'pool');
    const text = await cli(stack);
    console.log(`pool (${driven.sent} sent, ${driven.failed} failed), faultline incident took ${text.ms} ms:\n${text.stdout}`);
    assert.equal(report.findings[0]?.kind, 'client-requests');
    assert.equal(report.findings[0]?.subject, 'team-17');
    const pools = report.findings.filter((f) => f.kind === 'pool' && f.evidence['service'] === 'api');
    assert.ok(pools.length >= 1, 'a pool finding for the api');
    const p = pools[0]!;
    assert.equal(p.evidence['max'], 2);
    assert.ok(Number(p.evidence['maxPending']) > 0 || p.evidence['maxUsed'] === 2, JSON.stringify(p.evidence));
    assert.equal(typeof p.evidence['p99WaitMs'], 'number');
    assert.ok(p.since, 'when it was at the limit');
    assert.ok(p.traces.ids.length >= 1, `traces ${JSON.stringify(p.traces)}`);
    assert.match(p.details.join('\n'), /waiting for connections: team-17 \d+%/);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^ 1\. \[client-requests\] team-17: /m);
    assert.match(text.stdout, /^ \d\. \[pool\] pool .* on api-\d: 2\/2 used/m);
  });
});
