/**
 * Background jobs: turns on BullMQ's own OpenTelemetry support (`bullmq-otel`,
 * https://docs.bullmq.io/guide/telemetry) for every `Queue`, `Worker` and `FlowProducer` the
 * app creates, with no code change. BullMQ then injects the producer's context (trace and
 * W3C Baggage, hence the client ID) into `job.opts.telemetry.metadata`, and the worker's
 * span continues that trace. An app that passes its own `telemetry` option keeps it.
 *
 * `disable()` puts the original classes back into the module's exports (the ESM namespace, the
 * CommonJS exports object or the copy of it the app got); a subclass the app kept passes its
 * arguments through unchanged until `enable()`.
 */
import { createRequire } from 'node:module';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { replaceExports, Subclasses } from './module-exports.ts';
import { VERSION } from '../version.ts';
import { warnOnce } from '../warn.ts';

const require = createRequire(import.meta.url);

/** BullMQ versions whose `telemetry` option faultline fills in. */
export const SUPPORTED_BULLMQ = ['>=5.23.0 <7'];

type AnyClass = new (...args: any[]) => object;

/** Where the options object sits in each class's constructor arguments. */
const OPTIONS_INDEX: Readonly<Record<string, number>> = { Queue: 1, Worker: 2, FlowProducer: 0 };

/**
 * Instrumentation (scope `@faultline/bullmq`) that adds `telemetry: new BullMQOtel(...)` to the
 * options of BullMQ's `Queue`, `Worker` and `FlowProducer` constructors. Enabled on construction.
 */
export class BullMqTelemetry extends InstrumentationBase {
  #telemetry: unknown;
  readonly #subclasses = new Subclasses();
  /** Exports objects → the copy a patch returned for them (CommonJS exports made of getters). */
  readonly #copies = new WeakMap<object, object>();

  /** Hooks `bullmq` (CommonJS and ESM) and is enabled at once; `bullmq-otel` is loaded at the first Queue/Worker. */
  constructor() {
    super('@faultline/bullmq', VERSION, {});
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'bullmq',
        SUPPORTED_BULLMQ,
        (exports: unknown) => this.#patch(exports),
        (exports: unknown) => this.#unpatch(exports),
      ),
    ];
  }

  #otel(): unknown {
    if (this.#telemetry === undefined) {
      const { BullMQOtel } = require('bullmq-otel') as { BullMQOtel: new (o: object) => unknown };
      this.#telemetry = new BullMQOtel({ tracerName: 'bullmq', meterName: 'bullmq', version: VERSION, enableMetrics: true });
    }
    return this.#telemetry;
  }

  /** The object the app holds: the exports themselves, or the copy an earlier patch handed out. */
  #held(exports: object): object {
    return this.#copies.get(exports) ?? exports;
  }

  #patch(exports: unknown): unknown {
    if (exports === null || typeof exports !== 'object') return exports;
    try {
      const held = this.#held(exports) as Record<string, unknown>;
      const replacements: Record<string, unknown> = {};
      for (const [name, index] of Object.entries(OPTIONS_INDEX)) {
        const current = held[name];
        if (typeof current !== 'function') continue;
        const sub = this.#subclasses.of(current as AnyClass, (Original) => this.#subclass(Original, index));
        if (sub !== current) replacements[name] = sub;
      }
      if (Object.keys(replacements).length === 0) return held;
      const out = replaceExports(held, replacements);
      if (out !== held) this.#copies.set(exports, out);
      return out;
    } catch (err) {
      warnOnce('bullmq:patch', `could not turn on BullMQ telemetry (${(err as Error)?.message}); jobs will not be traced.`);
      return exports;
    }
  }

  #unpatch(exports: unknown): unknown {
    if (exports === null || typeof exports !== 'object') return exports;
    try {
      const held = this.#held(exports) as Record<string, unknown>;
      const originals: Record<string, unknown> = {};
      for (const name of Object.keys(OPTIONS_INDEX)) {
        const current = held[name];
        if (typeof current === 'function' && Subclasses.originalOf(current) !== current) originals[name] = Subclasses.originalOf(current);
      }
      if (Object.keys(originals).length > 0) replaceExports(held, originals);
    } catch {
      // the subclasses stay, and pass arguments through unchanged while disabled
    }
    return exports;
  }

  #subclass(Original: AnyClass, optionsIndex: number): AnyClass {
    const self = this;
    return class extends Original {
      constructor(...args: any[]) {
        super(...(self.isEnabled() ? withTelemetry(args, optionsIndex, () => self.#otel()) : args));
      }
    };
  }
}

/**
 * Returns constructor arguments whose options object (at `index`) has a `telemetry` value:
 * the app's own when it set one, else `make()`. Never mutates the caller's objects.
 */
export function withTelemetry(args: unknown[], index: number, make: () => unknown): unknown[] {
  const opts = args[index];
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) return args;
  if (opts && (opts as { telemetry?: unknown }).telemetry !== undefined) return args;
  let telemetry: unknown;
  try {
    telemetry = make();
  } catch (err) {
    warnOnce('bullmq:otel', `bullmq-otel could not be loaded (${(err as Error)?.message}); jobs will not be traced.`);
    return args;
  }
  const out = args.slice();
  while (out.length < index) out.push(undefined);
  out[index] = { ...(opts as object | undefined), telemetry };
  return out;
}
