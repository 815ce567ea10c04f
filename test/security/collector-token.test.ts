/**
 * The Collector's OTLP receiver can require a bearer token (FAULTLINE_COLLECTOR_TOKEN adds
 * collector/auth.yaml): an app without the token is refused (and told so once), an app that sends it
 * with the standard OTEL_EXPORTER_OTLP_HEADERS is accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freeCollectorPorts, startCollector, type CollectorInstance } from '../../stack/src/index.ts';
import { M, scrape, sumCounter } from '@faultline/signals';
import { fixtureRunner } from '@faultline/testkit';

const runFixture = fixtureRunner(new URL('../../instrumentation/test/fixtures/', import.meta.url));

const TOKEN = `tok-${process.pid}-${Date.now()}`;
let collector: CollectorInstance;
before(async () => {
  collector = await startCollector({
    ports: await freeCollectorPorts(),
    jaegerOtlpEndpoint: '127.0.0.1:9',
    token: TOKEN,
  });
});
after(async () => {
  await collector?.stop();
});

async function counters(): Promise<{ accepted: number; refused: number }> {
  const samples = await scrape(collector.metricsUrl);
  return { accepted: sumCounter(samples, M.collectorAcceptedSpans), refused: sumCounter(samples, M.collectorRefusedSpans) };
}

function burst(headers?: string) {
  return runFixture('burst.mjs', {
    preload: true,
    env: {
      SPANS: '20',
      OTEL_SERVICE_NAME: 'token-test',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpHttpUrl,
      ...(headers ? { OTEL_EXPORTER_OTLP_HEADERS: headers } : {}),
    },
  });
}

describe('Collector bearer token', () => {
  it('refuses an app without the token, with one clear warning in the app', async () => {
    const run = burst();
    const end = await run.exited;
    assert.equal(end.code, 0);
    assert.match(run.stderr(), /\[faultline\] cannot export spans to .*\(.*(401|Unauthorized|unauthenticated).*\)/i);
    assert.equal((await counters()).accepted, 0);
  });

  it('accepts an app that sends it in OTEL_EXPORTER_OTLP_HEADERS', async () => {
    const run = burst(`Authorization=Bearer ${TOKEN}`);
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    assert.equal(run.stderr().includes('cannot export spans'), false, run.stderr());
    assert.equal((await counters()).accepted, 20);
  });
});
