/**
 * The ranking on recorded data (fixtures recorded from the demo stack: a quiet minute and a minute of
 * team-09 flooding) and on synthetic data shaped like Prometheus' answers, one scenario per check.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cacheSample from '../src/cache-sample.ts';
import { queueOf } from '../src/checks/backlog.ts';
import { poissonZ, proportionZ, runs } from '../src/checks/stats.ts';
import { alsoSeen, checks, notes, rank } from '../src/rank.ts';
import { baselineStart, windowStart } from '../src/window.ts';
import { empty, fixture, sample, series, steadyClients } from './build.ts';

const POOL = { service_name: 'api', instance: 'api-1', db_client_connection_pool_name: '127.0.0.1:55432/faultline' };

describe('ranking on recorded data', () => {
  it('finds nothing in a quiet minute of the demo (24 clients, 40 req/s)', () => {
    const o = fixture('quiet');
    assert.ok(o.instant.requests.length >= 20, 'the fixture has client traffic');
    assert.deepEqual(
      rank(o).map((d) => d.title),
      [],
    );
  });

  it('puts the flooding client first, with its factor and when it started', () => {
    const o = fixture('flood');
    const [top] = rank(o);
    assert.equal(top?.kind, 'client-requests');
    assert.equal(top.subject, 'team-09');
    assert.ok(Number(top.evidence['factor']) >= 3, `factor ${top.evidence['factor']}`);
    assert.match(top.title, /^team-09: \d+\.\d× requests \(/);
    assert.ok(top.since !== undefined && top.since >= baselineStart(o.window) && top.since <= o.window.end);
    assert.match(top.examples.exemplars!, /client_id="team-09"/);
    assert.deepEqual(top.examples.jaeger, { service: 'lb', tags: { 'client.id': 'team-09' } });
  });
});

describe('ranking by explained change (recorded quiet minute + synthesized clients, test/synthesize.ts)', () => {
  it('one heavy new client among twelve light new ones: the heavy one is the finding, the light ones one "also seen" line', () => {
    const o = fixture('new-clients');
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => d.subject),
      ['bulk-importer'],
    );
    assert.match(found[0]!.title, /^bulk-importer: new client, 1,400 requests in 1m \(2\d% of traffic; none before\)$/);
    assert.equal(found[0]!.evidence['excess'], 1400);
    const [line, ...more] = alsoSeen(o);
    assert.equal(more.length, 0);
    assert.equal(line?.kind, 'client-requests');
    assert.equal(line.subjects.length, 12);
    assert.match(line.title, /^12 new clients, 2\.\d%–2\.\d% of traffic each in 1m: newcomer-\d\d 120, /);
  });

  it('the same light clients with the heavy one left out: still context, not findings', () => {
    const o = fixture('new-clients');
    o.instant.requests = o.instant.requests.filter((s) => s.labels['client_id'] !== 'bulk-importer');
    assert.deepEqual(rank(o), []);
    assert.equal(alsoSeen(o)[0]?.subjects.length, 12);
  });

  it('the busiest client stopping ranks first, by the volume lost', () => {
    const o = fixture('client-stops');
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => d.subject),
      ['team-01', 'team-20', 'team-21'],
    );
    assert.ok(found.every((d) => d.kind === 'client-requests'));
    assert.match(found[0]!.title, /^team-01: requests fell to 0\.0× \([\d,]+ vs [\d,]+ in 1m; [\d,]+ fewer\)$/);
    assert.ok(found[0]!.score > found[1]!.score + 5, found.map((d) => `${d.subject} ${d.score}`).join(', '));
    assert.ok(found[0]!.since !== undefined);
  });

  it('two new clients: the one with the larger excess first, whatever their factors', () => {
    const o = empty();
    steadyClients(o, 20, 100);
    o.instant.requests.push(sample({ client_id: 'big' }, 900), sample({ client_id: 'mid' }, 300));
    o.instant.requestsBase.push(sample({ client_id: 'mid' }, 10));
    assert.deepEqual(
      rank(o).map((d) => d.subject),
      ['big', 'mid'],
    );
  });
});

describe('a baseline with little data', () => {
  it('compares the data that exists (its first third against the rest) and says so', () => {
    const o = empty();
    const start = windowStart(o.window);
    // The stack started 10 s before the window; team-07 floods from 40 s into it.
    o.range.clientRate = [1, 2, 3, 7].map((i) =>
      series({ client_id: `team-0${i}` }, start - 5, o.window.end, (t) => (i === 7 && t >= start + 40 ? 30 : 2)),
    );
    o.instant.requests.push(...[1, 2, 3, 7].map((i) => sample({ client_id: `team-0${i}` }, 100)));
    const [f, ...rest] = rank(o);
    assert.equal(f?.subject, 'team-07');
    assert.equal(rest.length, 0);
    assert.match(f.title, /^team-07: \d+\.\d× requests .*\(baseline \d+s, scaled\);/);
    assert.match(
      notes(o).join('\n'),
      /^baseline: (none|only \d+s of data) \(data at lb starts \d\d:\d\d:\d\d\): requests per client compared \d\d:\d\d:\d\d–\d\d:\d\d:\d\d vs /,
    );
    assert.match(checks(o, [f]).find((c) => c.name === 'clients')!.description, /no baseline: .*requests compared/);
  });

  it('a full baseline has no note', () => {
    const o = empty();
    steadyClients(o, 3, 100);
    assert.deepEqual(notes(o), []);
  });
});

describe('ranking on recorded data: one client (team-batch) keeps 48 requests in flight against pools of 2', () => {
  // Recorded 40 s after the stack started: no baseline yet, so clients are not compared (the check
  // says so) and the pools are the findings; cli/test/incident.test.ts has the full case.
  it('names both api pools at their limit with the p99 wait and who waited for connections', () => {
    const o = fixture('pool');
    const all = rank(o);
    assert.equal(checks(o, all).find((c) => c.name === 'clients')?.hasData, false);
    assert.deepEqual(
      all.map((d) => d.kind),
      ['pool', 'pool'],
    );
    const found = all.filter((d) => d.kind === 'pool');
    assert.deepEqual(found.map((d) => d.evidence['instance']).sort(), ['api-1', 'api-2']);
    for (const d of found) {
      assert.equal(d.evidence['max'], 2);
      assert.equal(d.evidence['maxUsed'], 2);
      assert.ok(Number(d.evidence['p99WaitMs']) > 0);
      assert.match(d.details.join('\n'), /waiting for connections: team-batch 9\d%/);
      assert.ok(d.since !== undefined);
    }
  });
});

describe('clients', () => {
  it('a 6× client ranks above everyone; steady clients are not findings', () => {
    const o = empty();
    steadyClients(o, 24, 50);
    o.instant.requests.find((s) => s.labels['client_id'] === 'team-09')!.value = 300;
    const found = rank(o);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.subject, 'team-09');
    assert.equal(found[0]!.evidence['factor'], 6);
    assert.match(found[0]!.title, /^team-09: 6\.0× requests \(300 vs 50 in 1m; 21% of traffic, was 4\.2%\)$/);
  });

  it('a 2× change in a small client is chance, not a finding (z < 3)', () => {
    const o = empty();
    o.instant.requests.push(sample({ client_id: 'team-24' }, 20));
    o.instant.requestsBase.push(sample({ client_id: 'team-24' }, 9));
    assert.deepEqual(rank(o), []);
  });

  it('scales a longer baseline to the window: 120 in 1m vs 60 in 4m is 8×', () => {
    const o = empty(60, 1_795_350_000, 240);
    o.instant.requests.push(sample({ client_id: 'team-03' }, 120));
    o.instant.requestsBase.push(sample({ client_id: 'team-03' }, 60));
    const [f] = rank(o);
    assert.equal(f?.evidence['factor'], 8);
    assert.match(f.title, /baseline 4m, scaled/);
  });

  it('names a new client and a client that went quiet', () => {
    const o = empty();
    o.instant.requests.push(sample({ client_id: 'team-99' }, 200));
    o.instant.requestsBase.push(sample({ client_id: 'team-02' }, 200));
    o.instant.requests.push(sample({ client_id: 'team-02' }, 3));
    const byClient = new Map(rank(o).map((d) => [d.subject, d]));
    assert.match(byClient.get('team-99')!.title, /new client, 200 requests/);
    assert.equal(byClient.get('team-99')!.evidence['factor'], null);
    assert.match(byClient.get('team-02')!.title, /requests fell to 0\.0×/);
    assert.ok(byClient.get('team-99')!.score > byClient.get('team-02')!.score);
  });

  it('compares nothing without a baseline (a fresh stack), and scales a partial one', () => {
    const o = empty();
    o.range.clientRate = [series({ client_id: 'team-01' }, windowStart(o.window) - 10, o.window.end, () => 1)];
    o.instant.requests.push(sample({ client_id: 'team-01' }, 200));
    o.instant.requestsBase.push(sample({ client_id: 'team-01' }, 10));
    assert.deepEqual(rank(o), [], '15 s of baseline is none');
    assert.match(checks(o, []).find((c) => c.name === 'clients')!.description, /no baseline: data at lb starts \d\d:\d\d:\d\d/);
    assert.equal(checks(o, []).find((c) => c.name === 'clients')!.hasData, false);
    o.range.clientRate = [series({ client_id: 'team-01' }, windowStart(o.window) - 25, o.window.end, () => 1)];
    const [f] = rank(o);
    assert.equal(f?.evidence['factor'], 10, '10 in the 30 s with data is 20 per minute: 200 is 10×');
    assert.match(f.title, /baseline 30s, scaled/);
    assert.match(checks(o, [f]).find((c) => c.name === 'clients')!.description, /\(baseline: 30s of data\)/);
  });

  it('names requests without a client ID as such', () => {
    const o = empty();
    o.instant.requests.push(sample({ client_id: 'unknown' }, 500));
    o.instant.requestsBase.push(sample({ client_id: 'unknown' }, 50));
    assert.match(rank(o)[0]!.title, /^requests without a client ID: 10\.0×/);
  });

  it("finds a client's error spike and when it started", () => {
    const o = empty();
    steadyClients(o, 5, 100);
    o.instant.errors.push(sample({ client_id: 'team-04' }, 30));
    o.instant.errorsBase.push(sample({ client_id: 'team-04' }, 1));
    const start = windowStart(o.window);
    o.range.clientErrorRate.push(
      series({ client_id: 'team-04' }, baselineStart(o.window), o.window.end, (t) => (t >= start + 20 ? 0.8 : 0.01)),
    );
    const [f] = rank(o);
    assert.equal(f?.kind, 'client-errors');
    assert.match(f.title, /^team-04: 30% errors \(30 of 100 in 1m; was 1\.0%\)$/);
    assert.equal(f.since, start + 20);
    assert.deepEqual(f.examples.jaeger.tags, { 'client.id': 'team-04', error: 'true' });
  });

  it("finds one client's latency, but not when everyone is as slow", () => {
    const o = empty();
    steadyClients(o, 3, 100);
    for (const c of ['team-01', 'team-02', 'team-03']) {
      o.instant.p95.push(sample({ client_id: c }, c === 'team-02' ? 900 : 110));
      o.instant.p95Base.push(sample({ client_id: c }, 100));
    }
    o.instant.p95All.push(sample({}, 120));
    o.instant.p95AllBase.push(sample({}, 100));
    const [f, ...rest] = rank(o);
    assert.equal(f?.kind, 'client-latency');
    assert.equal(f.subject, 'team-02');
    assert.equal(rest.length, 0);
    assert.equal(f.examples.prefer, 'slowest');

    o.instant.p95All[0]!.value = 800;
    o.instant.p95.find((s) => s.labels['client_id'] === 'team-02')!.value = 900;
    const all = rank(o);
    assert.deepEqual(
      all.map((d) => d.kind),
      ['latency'],
      'everyone is 8×: one latency finding, no client',
    );
  });

  it("no client latency when many clients got slower though the fleet p95 rose less (the lab's partner-throttle run)", () => {
    const o = empty();
    steadyClients(o, 12, 100);
    o.instant.p95All.push(sample({}, 136));
    o.instant.p95AllBase.push(sample({}, 48));
    for (let i = 1; i <= 12; i++) {
      const client_id = `team-${String(i).padStart(2, '0')}`;
      o.instant.p95.push(sample({ client_id }, i <= 4 ? [1100, 1000, 850, 450][i - 1]! : 60));
      o.instant.p95Base.push(sample({ client_id }, 48));
    }
    assert.deepEqual(
      rank(o).map((d) => d.kind),
      ['latency'],
      'a third of the clients 9–23× slower: shared, no client finding',
    );
  });
});

describe('deploys', () => {
  it('marks a new version and lines it up with the error spike that starts with it', () => {
    const o = empty();
    const start = windowStart(o.window);
    const b = baselineStart(o.window);
    o.range.versions.push(series({ service_name: 'api', instance: 'api-1', service_version: '0.1.0' }, b, start + 10, () => 1));
    o.range.versions.push(series({ service_name: 'api', instance: 'api-1', service_version: '0.2.0' }, start + 15, o.window.end, () => 1));
    o.range.versions.push(series({ service_name: 'api', instance: 'api-2', service_version: '0.2.0' }, start + 25, o.window.end, () => 1));
    o.range.versions.push(series({ service_name: 'lb', instance: 'lb', service_version: '0.1.0' }, b, o.window.end, () => 1));
    steadyClients(o, 3, 100);
    o.instant.errors.push(sample({ client_id: 'team-02' }, 40));
    o.range.clientErrorRate.push(series({ client_id: 'team-02' }, b, o.window.end, (t) => (t >= start + 20 ? 0.7 : 0)));
    const found = rank(o);
    const deploy = found.find((d) => d.kind === 'deploy')!;
    assert.match(deploy.title, /^deploy: api 0\.1\.0 → 0\.2\.0 at \d\d:\d\d:\d\d \(2 instances\)$/);
    assert.deepEqual(deploy.related, ['team-02']);
    assert.equal(deploy.score, 55);
    const errors = found.find((d) => d.kind === 'client-errors')!;
    assert.deepEqual(errors.related, ['api@0.2.0']);
    assert.match(errors.details.join('\n'), /starts with the deploy of api@0\.2\.0/);
  });

  it('a process whose start time changed in the window, same version: a restart, named by its instance', () => {
    const o = empty();
    const start = windowStart(o.window);
    const b = baselineStart(o.window);
    const [first, second] = [b - 3600, start + 20];
    const api1 = { service_name: 'api', instance: 'api-1', service_version: '0.1.0' };
    o.range.starts.push(series(api1, b, o.window.end, (t) => (t >= start + 25 ? second : first)));
    o.range.starts.push(series({ ...api1, instance: 'api-2' }, b, o.window.end, () => first));
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => [d.kind, d.subject]),
      [['restart', 'api/api-1']],
    );
    assert.match(found[0]!.title, /^api\/api-1 restarted at \d\d:\d\d:\d\d, same version 0\.1\.0$/);
    assert.equal(found[0]!.since, second);
    assert.deepEqual(found[0]!.examples.jaeger, { service: 'api', tags: { 'service.instance.id': 'api-1' } });
  });

  it('a restart before the window, or a new version (a deploy), is not a restart finding', () => {
    const o = empty();
    const start = windowStart(o.window);
    const b = baselineStart(o.window);
    const api1 = { service_name: 'api', instance: 'api-1', service_version: '0.1.0' };
    o.range.starts.push(series(api1, b, o.window.end, (t) => (t >= b + 20 ? b + 15 : b - 3600)));
    // A deploy: the new version is a new series that starts in the window.
    o.range.starts.push(series({ ...api1, instance: 'api-2' }, b, start + 10, () => b - 3600));
    o.range.starts.push(series({ ...api1, instance: 'api-2', service_version: '0.2.0' }, start + 15, o.window.end, () => start + 12));
    assert.deepEqual(
      rank(o).filter((d) => d.kind === 'restart'),
      [],
    );
  });

  it('a service seen for the first time (a fresh start) is not a deploy', () => {
    const o = empty();
    o.range.versions.push(
      series({ service_name: 'api', instance: 'api-1', service_version: '0.1.0' }, windowStart(o.window) + 5, o.window.end, () => 1),
    );
    assert.deepEqual(rank(o), []);
  });
});

describe('pools, ejections, health, breakers', () => {
  it('a saturated pool: used == max, waiting, p99 wait, when, and which clients waited for connections', () => {
    const o = empty();
    const start = windowStart(o.window);
    o.instant.poolPending.push(sample(POOL, 14));
    o.instant.poolUsed.push(sample(POOL, 2));
    o.instant.poolMax.push(sample(POOL, 2));
    o.instant.poolWaitP99.push(sample(POOL, 0.18));
    o.range.poolPending.push(series(POOL, baselineStart(o.window), o.window.end, (t) => (t >= start + 10 && t <= start + 40 ? 9 : 0)));
    o.instant.poolConnectsByClient.push(
      sample({ service_name: 'api', client_id: 'team-09' }, 800),
      sample({ service_name: 'api', client_id: 'team-01' }, 200),
    );
    const [f] = rank(o);
    assert.equal(f?.kind, 'pool');
    assert.equal(f.title, 'pool 127.0.0.1:55432/faultline on api-1: 2/2 used, up to 14 waiting, p99 wait 180 ms');
    assert.equal(f.since, start + 10);
    assert.equal(f.until, start + 40);
    assert.match(f.details.join('\n'), /waiting for connections: team-09 80%, team-01 20%/);
    assert.equal(f.examples.jaeger.operation, 'pg-pool.connect');
    assert.equal(f.score, 67.7);
  });

  it('a quiet pool (idle connections, 5 ms p99 wait) is not a finding', () => {
    const o = empty();
    o.instant.poolPending.push(sample(POOL, 0));
    o.instant.poolUsed.push(sample(POOL, 3));
    o.instant.poolMax.push(sample(POOL, 10));
    o.instant.poolWaitP99.push(sample(POOL, 0.005));
    assert.deepEqual(rank(o), []);
  });

  it('an instance without traffic while its peer served is an ejection, tied to its failed health checks', () => {
    const o = empty();
    const start = windowStart(o.window);
    const out = (t: number) => t >= start + 15 && t <= start + 45;
    o.range.instanceRate.push(
      series({ service_name: 'api', instance: 'api-1' }, baselineStart(o.window), o.window.end, (t) => (out(t) ? 40 : 20)),
    );
    o.range.instanceRate.push(
      series({ service_name: 'api', instance: 'api-2' }, baselineStart(o.window), o.window.end, (t) => (out(t) ? 0 : 20)),
    );
    o.range.instanceRate.push(series({ service_name: 'lb', instance: 'lb' }, baselineStart(o.window), o.window.end, () => 40));
    o.instant.healthFailed.push(sample({ service_name: 'api', instance: 'api-2' }, 6));
    o.instant.healthChecks.push(sample({ service_name: 'api', instance: 'api-2' }, 60));
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => d.kind),
      ['ejection', 'health'],
    );
    assert.equal(found[0]!.subject, 'api/api-2');
    assert.equal(found[0]!.since, start + 15);
    assert.equal(found[0]!.evidence['seconds'], 35);
    assert.match(found[0]!.details[0]!, /6 failed health checks on api-2: the load balancer ejected it/);
    assert.match(found[1]!.title, /^api\/api-2: 6 of 60 health checks failed in 1m/);
  });

  it('an open circuit breaker, how often and when', () => {
    const o = empty();
    const start = windowStart(o.window);
    const labels = { service_name: 'api', instance: 'api-1', circuit_breaker_name: 'partner' };
    o.instant.breakerState.push(sample(labels, 2), sample({ ...labels, instance: 'api-2' }, 0));
    o.instant.breakerEvents.push(
      sample({ ...labels, circuit_breaker_event: 'open' }, 3),
      sample({ ...labels, circuit_breaker_event: 'success' }, 300),
    );
    o.range.breakerState.push(series(labels, baselineStart(o.window), o.window.end, (t) => (t >= start + 30 ? 2 : 0)));
    const found = rank(o);
    assert.equal(found.length, 1);
    assert.match(found[0]!.title, /^circuit breaker partner on api-1 opened \(3×\) \d\d:\d\d:\d\d–\d\d:\d\d:\d\d$/);
    assert.equal(found[0]!.since, start + 30);
  });
});

describe('cache and backlog', () => {
  it('a hit-ratio drop overall, and the client whose own ratio fell most', () => {
    const o = empty();
    o.cache = {
      source: 'jaeger',
      current: { 'team-01': { hits: 60, misses: 40 }, 'team-07': { hits: 5, misses: 95 } },
      baseline: { 'team-01': { hits: 62, misses: 38 }, 'team-07': { hits: 60, misses: 40 } },
      missTraces: { 'team-07': ['a1', 'a2'] },
    };
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => d.subject),
      ['team-07', 'cache'],
    );
    assert.match(found[0]!.title, /^team-07: hit ratio fell to 5\.0% \(was 60%; sample of 100 reads in Jaeger\)$/);
    assert.deepEqual(found[0]!.examples.traceIds, ['a1', 'a2']);
  });

  it("one client's evicted cache stands out per read operation, though all reads together hide it (measured on the lab)", () => {
    const o = empty();
    const { cacheFromMetrics } = cacheSample;
    const reads = (client: string, op: string, hits: number, misses: number) => [
      sample({ client_id: client, span_name: op, cache_hit: 'true' }, hits),
      sample({ client_id: client, span_name: op, cache_hit: 'false' }, misses),
    ];
    // The shared item cache (`get`) churns for everyone; team-03's price list (`hgetall`) is evicted.
    o.cache = cacheFromMetrics(
      [
        ...reads('team-01', 'get', 120, 220),
        ...reads('team-01', 'hgetall', 122, 0),
        ...reads('team-03', 'get', 35, 60),
        ...reads('team-03', 'hgetall', 5, 46),
      ],
      [
        ...reads('team-01', 'get', 165, 170),
        ...reads('team-01', 'hgetall', 122, 2),
        ...reads('team-03', 'get', 40, 64),
        ...reads('team-03', 'hgetall', 47, 1),
      ],
    );
    const found = rank(o);
    assert.equal(found[0]?.subject, 'team-03', found.map((d) => d.title).join(' | '));
    assert.match(found[0]!.title, /^team-03: hgetall hit ratio fell to 9\.8% \(was 98%\)$/);
    assert.equal(found[0]!.evidence['operation'], 'hgetall');
  });

  it('steady cache reads are not a finding', () => {
    const o = empty();
    o.cache = {
      source: 'jaeger',
      current: { 'team-01': { hits: 150, misses: 150 } },
      baseline: { 'team-01': { hits: 160, misses: 140 } },
      missTraces: {},
    };
    assert.deepEqual(rank(o), []);
  });

  it('jobs added faster than processed, and failed jobs', () => {
    const o = empty();
    o.instant.jobsAdded.push(sample({ service_name: 'api', span_name: 'add orders.process-order' }, 400));
    o.instant.jobsProcessed.push(
      sample({ service_name: 'worker', span_name: 'process orders', status_code: 'STATUS_CODE_UNSET' }, 90),
      sample({ service_name: 'worker', span_name: 'process orders', status_code: 'STATUS_CODE_ERROR' }, 10),
    );
    const found = rank(o);
    assert.deepEqual(
      found.map((d) => d.title),
      ['queue orders: 400 jobs added, 100 processed in 1m (backlog grew by ~300)', 'queue orders: 10 of 100 jobs failed in 1m (10%)'],
    );
    assert.equal(found[0]!.examples.jaeger.service, 'worker');
  });

  it('reads queue names from BullMQ span names', () => {
    assert.equal(queueOf('add orders.process-order'), 'orders');
    assert.equal(queueOf('process orders'), 'orders');
    assert.equal(queueOf('GET /v1/items/:id'), undefined);
  });
});

describe('ranking across checks', () => {
  it('the flooding client outranks the pool it saturated and the health checks that failed', () => {
    const o = empty();
    steadyClients(o, 24, 50);
    o.instant.requests.find((s) => s.labels['client_id'] === 'team-09')!.value = 300;
    o.instant.poolPending.push(sample(POOL, 20));
    o.instant.poolUsed.push(sample(POOL, 10));
    o.instant.poolMax.push(sample(POOL, 10));
    o.instant.poolWaitP99.push(sample(POOL, 0.9));
    o.instant.healthFailed.push(sample({ service_name: 'api', instance: 'api-1' }, 4));
    assert.deepEqual(
      rank(o).map((d) => d.kind),
      ['client-requests', 'pool', 'health'],
    );
  });
});

describe('stats', () => {
  it('poissonZ, proportionZ and runs', () => {
    assert.ok(poissonZ(300, 50) > 10);
    assert.ok(Math.abs(poissonZ(50, 50)) < 0.2);
    assert.ok(poissonZ(120, 60, 0.25) > 5);
    assert.ok(proportionZ(30, 100, 1, 100) > 4);
    assert.equal(proportionZ(1, 0, 1, 10), 0);
    const s = series({}, 0, 60, (t) => ((t >= 10 && t <= 20) || t >= 50 ? 1 : 0));
    assert.deepEqual(
      runs(s, 0, 5, (v) => v > 0),
      [
        { start: 10, end: 20, points: 3 },
        { start: 50, end: 60, points: 3 },
      ],
    );
    assert.deepEqual(
      runs(s, 30, 5, (v) => v > 0),
      [{ start: 50, end: 60, points: 3 }],
    );
  });
});
