/**
 * faultline's own instrumentations (pg-pool discovery, opossum, BullMQ) at unit level: their module
 * definition's unpatch (what `disable()` runs on each loaded module) puts the original classes back
 * where the module system lets them be replaced (an ESM namespace, a CommonJS exports object), and a
 * subclass already handed out behaves as the original while the instrumentation is disabled.
 * (`preload-own.test.ts` does the same through the real module hooks.)
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { InstrumentationBase, InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { BullMqTelemetry } from '../src/instrumentations/bullmq.ts';
import { replaceClassExport, Subclasses } from '../src/instrumentations/module-exports.ts';
import { OpossumBreakers } from '../src/instrumentations/opossum.ts';
import { PgPoolDiscovery } from '../src/instrumentations/pg-pool-discovery.ts';
import { PoolRegistry } from '../src/pools/registry.ts';

const require = createRequire(import.meta.url);

/** The instrumentation's one module definition, as its module hook uses it. */
function definition(i: InstrumentationBase): InstrumentationModuleDefinition {
  return i.getModuleDefinitions()[0]!;
}

/** Patches `exports` as the module hook does on load; returns what the hook hands to the app. */
function load(i: InstrumentationBase, exports: unknown): unknown {
  return definition(i).patch!(exports);
}

/** What `disable()` does for a module loaded while enabled: unpatch its exports, then stop. */
function disable(i: InstrumentationBase, exports: unknown): unknown {
  const out = definition(i).unpatch!(exports);
  i.disable();
  return out;
}

/** What `enable()` does for a module loaded before: patch its exports again. */
function enable(i: InstrumentationBase, exports: unknown): void {
  i.enable();
  definition(i).patch!(exports);
}

describe('replaceClassExport', () => {
  class A {}
  class B {}
  it('replaces a CommonJS class export by returning the new class', () => {
    assert.equal(
      replaceClassExport(A, () => B),
      B,
    );
  });
  it("replaces an ESM namespace's default in place", () => {
    const ns = { default: A, other: 1 };
    assert.equal(
      replaceClassExport(ns, () => B),
      ns,
    );
    assert.equal(ns.default, B);
  });
  it('leaves anything else alone', () => {
    const ns = { named: A };
    assert.equal(
      replaceClassExport(ns, () => B),
      ns,
    );
    assert.equal(ns.named, A);
    assert.equal(
      replaceClassExport(undefined, () => B),
      undefined,
    );
  });
});

describe('Subclasses', () => {
  it('makes one subclass per original, keeps its name, and knows the original', () => {
    class Pool {}
    const made = new Subclasses();
    const make = (O: typeof Pool) => class extends O {};
    const sub = made.of(Pool, make);
    assert.notEqual(sub, Pool);
    assert.equal(made.of(Pool, make), sub, 'the same subclass the second time');
    assert.equal(made.of(sub, make), sub, 'a subclass is not subclassed again');
    assert.equal(sub.name, 'Pool');
    assert.equal(Subclasses.originalOf(sub), Pool);
    assert.equal(Subclasses.originalOf(Pool), Pool);
  });
});

describe('pg-pool discovery: enable → disable', () => {
  const Pool = require('pg-pool') as new (o?: object) => { end(): Promise<void> };

  it('an ESM namespace gets the original class back, and again the subclass on enable', () => {
    const discovery = new PgPoolDiscovery(new PoolRegistry());
    const ns = { default: Pool };
    load(discovery, ns);
    assert.notEqual(ns.default, Pool);
    assert.equal(Subclasses.originalOf(ns.default), Pool);
    disable(discovery, ns);
    assert.equal(ns.default, Pool);
    enable(discovery, ns);
    assert.notEqual(ns.default, Pool);
    assert.equal(Subclasses.originalOf(ns.default), Pool);
    disable(discovery, ns);
  });

  it('a subclass already handed out (CommonJS) registers no pool while disabled', async () => {
    const registry = new PoolRegistry();
    const discovery = new PgPoolDiscovery(registry);
    const Discovered = load(discovery, Pool) as typeof Pool;
    const first = new Discovered();
    assert.equal(registry.size, 1);
    assert.equal(disable(discovery, Pool), Pool, 'unpatch returns the original class');
    const second = new Discovered();
    assert.equal(registry.size, 1, 'not registered while disabled');
    discovery.enable();
    const third = new Discovered();
    assert.equal(registry.size, 2);
    await Promise.all([first.end(), second.end(), third.end()]);
    discovery.disable();
  });
});

describe('opossum: enable → disable', () => {
  const CircuitBreaker = require('opossum') as new (f: () => unknown, o?: object) => { listenerCount(e: string): number; shutdown(): void };

  it('an ESM namespace gets the original class back', () => {
    const breakers = new OpossumBreakers();
    const ns = { default: CircuitBreaker };
    load(breakers, ns);
    assert.notEqual(ns.default, CircuitBreaker);
    disable(breakers, ns);
    assert.equal(ns.default, CircuitBreaker);
  });

  it('a subclass already handed out adds no listeners while disabled', () => {
    const breakers = new OpossumBreakers();
    const Observed = load(breakers, CircuitBreaker) as typeof CircuitBreaker;
    const bare = new CircuitBreaker(() => 1);
    const observed = new Observed(() => 1);
    assert.equal(observed.listenerCount('open'), bare.listenerCount('open') + 1);
    disable(breakers, CircuitBreaker);
    const quiet = new Observed(() => 1);
    assert.equal(quiet.listenerCount('open'), bare.listenerCount('open'));
    for (const b of [bare, observed, quiet]) b.shutdown();
  });
});

describe('bullmq: enable → disable', () => {
  type Opts = { telemetry?: unknown } | undefined;
  class Queue {
    opts: Opts;
    constructor(_name: string, opts?: Opts) {
      this.opts = opts;
    }
  }
  class Worker {
    opts: Opts;
    constructor(_name: string, _processor?: unknown, opts?: Opts) {
      this.opts = opts;
    }
  }
  class FlowProducer {
    opts: Opts;
    constructor(opts?: Opts) {
      this.opts = opts;
    }
  }

  it('a writable exports object (ESM namespace) gets Queue, Worker and FlowProducer back', () => {
    const bullmq = new BullMqTelemetry();
    const ns = { Queue, Worker, FlowProducer, other: 1 };
    assert.equal(load(bullmq, ns), ns);
    for (const C of [ns.Queue, ns.Worker, ns.FlowProducer]) assert.notEqual(Subclasses.originalOf(C), C);
    disable(bullmq, ns);
    assert.deepEqual(ns, { Queue, Worker, FlowProducer, other: 1 });
  });

  it('CommonJS exports made of getters: the copy handed out is restored', () => {
    const bullmq = new BullMqTelemetry();
    const cjs = {};
    for (const [k, v] of Object.entries({ Queue, Worker, FlowProducer })) Object.defineProperty(cjs, k, { enumerable: true, get: () => v });
    const copy = load(bullmq, cjs) as { Queue: typeof Queue };
    assert.notEqual(copy, cjs);
    assert.notEqual(copy.Queue, Queue);
    disable(bullmq, cjs);
    assert.equal(copy.Queue, Queue);
    enable(bullmq, cjs);
    assert.notEqual(copy.Queue, Queue, 'enable patches the same copy again');
    assert.equal(Subclasses.originalOf(copy.Queue), Queue);
    disable(bullmq, cjs);
  });

  it('a subclass already handed out passes its options through unchanged while disabled', () => {
    const bullmq = new BullMqTelemetry();
    const ns = { Queue };
    const Traced = (load(bullmq, ns) as { Queue: typeof Queue }).Queue;
    disable(bullmq, ns);
    const opts = { telemetry: undefined };
    assert.equal(new Traced('q', opts).opts, opts);
    assert.equal(new Traced('q').opts, undefined);
  });
});
