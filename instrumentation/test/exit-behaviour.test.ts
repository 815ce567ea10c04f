import assert from 'node:assert/strict';
import net from 'node:net';
import { before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { FIXTURES, runFixture } from './support/run.ts';

// A port nothing listens on: the exporter cannot connect, which must cost the app nothing.
let deadEndpoint = '';
before(async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  deadEndpoint = `http://127.0.0.1:${port}`;
});

function env(mode: string): Record<string, string> {
  return { MODE: mode, OTEL_EXPORTER_OTLP_ENDPOINT: deadEndpoint, OTEL_SERVICE_NAME: 'exit-fixture', OTEL_BSP_SCHEDULE_DELAY: '100' };
}

async function sigtermDelay(preload: boolean, mode: string) {
  const run = runFixture('exit-modes.mjs', { preload, env: env(mode) });
  await run.waitFor('ready');
  const t0 = Date.now();
  run.child.kill('SIGTERM');
  const end = await run.exited;
  return { ...end, delayMs: end.at - t0, stderr: run.stderr() };
}

describe('exit behaviour is the same with and without the preload', () => {
  it('an app with no SIGTERM handler dies of SIGTERM, promptly', async () => {
    const bare = await sigtermDelay(false, 'plain');
    const withPreload = await sigtermDelay(true, 'plain');
    console.log(`SIGTERM to exit: bare ${bare.delayMs} ms, with preload ${withPreload.delayMs} ms`);
    assert.equal(bare.signal, 'SIGTERM');
    assert.equal(withPreload.signal, 'SIGTERM', 'same death by signal');
    assert.equal(withPreload.code, null);
    // Bounded by FAULTLINE_SHUTDOWN_TIMEOUT_MS (1000) plus process teardown.
    assert.ok(withPreload.delayMs < 1500, `exit took ${withPreload.delayMs} ms`);
  });

  it("an app's own SIGTERM handler keeps control of the exit code", async () => {
    const bare = await sigtermDelay(false, 'handler');
    const withPreload = await sigtermDelay(true, 'handler');
    assert.equal(bare.code, 7);
    assert.equal(withPreload.code, 7);
    assert.equal(withPreload.signal, null);
  });

  it('an uncaught exception still crashes the app with the same code and message', async () => {
    for (const preload of [false, true]) {
      const run = runFixture('exit-modes.mjs', { preload, env: env('throw') });
      const end = await run.exited;
      assert.equal(end.code, 1, `preload=${preload}`);
      assert.match(run.stderr(), /Error: boom from the app/);
    }
  });

  it('a drained event loop exits 0, and an unreachable Collector gives one warning, not one per batch', async () => {
    const t0 = Date.now();
    const run = runFixture('exit-modes.mjs', { preload: true, env: env('drain') });
    const end = await run.exited;
    assert.equal(end.code, 0);
    console.log(`drained app with the Collector down lived ${end.at - t0} ms`);
    // The exporter's retries hold the loop at most the export timeout (3 s) past the drain.
    assert.ok(end.at - t0 < 6000, `lived ${end.at - t0} ms`);
    const warnings = run
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('[faultline] cannot export spans'));
    assert.equal(warnings.length, 1, run.stderr());
    assert.match(warnings[0]!, new RegExp(`${deadEndpoint}/v1/traces`));
  });

  it('bad OTEL_* values are one warning each, and the app runs', async () => {
    const run = runFixture('exit-modes.mjs', {
      preload: true,
      env: { ...env('drain'), OTEL_TRACES_SAMPLER: 'sometimes', OTEL_RESOURCE_ATTRIBUTES: 'broken', OTEL_BSP_SCHEDULE_DELAY: 'soon' },
    });
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    assert.match(run.stdout(), /ready/);
    for (const name of ['OTEL_TRACES_SAMPLER', 'OTEL_RESOURCE_ATTRIBUTES', 'OTEL_BSP_SCHEDULE_DELAY']) {
      assert.equal(
        run
          .stderr()
          .split('\n')
          .filter((l) => l.startsWith(`[faultline] ${name}=`)).length,
        1,
        run.stderr(),
      );
    }
  });

  it('a full export queue drops spans with one warning, not one per span', async () => {
    const run = runFixture('burst.mjs', { preload: true, env: { ...env('drain'), SPANS: '2000', OTEL_BSP_MAX_QUEUE_SIZE: '50' } });
    const end = await run.exited;
    assert.equal(end.code, 0, run.stderr());
    assert.match(run.stdout(), /made 2000/);
    const lines = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('export queue is full'));
    assert.equal(lines.length, 1, run.stderr());
    assert.match(lines[0]!, /OTEL_BSP_MAX_QUEUE_SIZE=50/);
  });

  it('a bad FAULTLINE_* value is one warning, and the app runs', async () => {
    const run = runFixture('exit-modes.mjs', { preload: true, env: { ...env('drain'), FAULTLINE_CLIENT_ID_MAX_LENGTH: 'lots' } });
    const end = await run.exited;
    assert.equal(end.code, 0);
    assert.match(run.stderr(), /\[faultline\] FAULTLINE_CLIENT_ID_MAX_LENGTH="lots" is not an integer from 1 to 256; using 64\./);
    assert.match(run.stdout(), /ready/);
  });
});

describe('a library version outside what faultline instruments', () => {
  it('gives one warning naming it, and the app runs', async () => {
    const dir = `${FIXTURES}unsupported`;
    if (!existsSync(`${dir}/node_modules/express/package.json`)) {
      // express 3 is installed for this test only (the workspace itself uses express 5).
      execFileSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore' });
    }
    const run = runFixture('unsupported/app.cjs', { preload: true, env: env('plain') });
    try {
      await run.waitFor('listening');
      const port = /listening (\d+)/.exec(run.stdout())![1];
      const res = await fetch(`http://127.0.0.1:${port}/`);
      assert.equal(await res.text(), 'old but fine');
      const lines = run
        .stderr()
        .split('\n')
        .filter((l) => l.includes('is outside the versions faultline instruments'));
      assert.equal(lines.length, 1, run.stderr());
      assert.match(
        lines[0]!,
        /^\[faultline\] express 3\.21\.2 is outside the versions faultline instruments \(>=4\.0\.0 <6\): it is not traced; the app runs normally\.$/,
      );
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
