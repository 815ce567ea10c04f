/**
 * Circuit breakers with no code change beyond using opossum (https://nodeshift.dev/opossum/): every
 * `CircuitBreaker` the app creates reports its state changes and rejections.
 *
 * - Each state change (`open`, `half_open`, `closed`) is a short span `circuit_breaker <name>` with
 *   `circuit_breaker.name` and `circuit_breaker.state` (findable in Jaeger by those tags), and a span
 *   event `circuit_breaker` on the span that was active when it happened, if any.
 * - A call rejected by an open breaker adds the same span event (`circuit_breaker.event=reject`).
 * - Metrics: `circuit_breaker.state` (0 closed, 1 half_open, 2 open) and `circuit_breaker.events`.
 * Only listeners are added; the breaker's behaviour is untouched.
 *
 * `disable()` puts the original class back into an ESM namespace; a subclass CommonJS already handed
 * out then adds no listeners, and breakers observed before stay silent until `enable()`.
 */
import { trace, type Counter, type ObservableGauge } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import {
  ATTR_BREAKER_EVENT,
  ATTR_BREAKER_NAME,
  ATTR_BREAKER_STATE,
  EVENT_BREAKER,
  METRIC_BREAKER_EVENTS,
  METRIC_BREAKER_STATE,
} from '../semconv.ts';
import { VERSION } from '../version.ts';
import { replaceClassExport, Subclasses } from './module-exports.ts';
import { warnOnce } from '../warn.ts';

/** opossum versions whose events faultline listens to. */
export const SUPPORTED_OPOSSUM = ['>=6.0.0 <11'];

/** State names as faultline reports them, and their gauge values. */
export const BREAKER_STATES = { closed: 0, half_open: 1, open: 2 } as const;

type Breaker = { name: string; on(event: string, listener: (...args: unknown[]) => void): unknown };
type BreakerClass = new (...args: any[]) => Breaker;

/**
 * The opossum instrumentation (instrumentation scope `@faultline/opossum`): a subclass of
 * `CircuitBreaker` whose constructor adds faultline's listeners. Enabled on construction.
 */
export class OpossumBreakers extends InstrumentationBase {
  readonly #states = new Map<string, number>();
  readonly #subclasses = new Subclasses();
  // Set by the base constructor (through _updateMetricInstruments) before field initialisers run.
  declare private events: Counter | undefined;
  declare private gauge: ObservableGauge | undefined;

  /** Hooks `opossum` (CommonJS and ESM) and is enabled at once. */
  constructor() {
    super('@faultline/opossum', VERSION, {});
  }

  protected override _updateMetricInstruments(): void {
    this.events = this.meter.createCounter(METRIC_BREAKER_EVENTS, { description: 'Circuit breaker events.', unit: '{event}' });
    this.gauge = this.meter.createObservableGauge(METRIC_BREAKER_STATE, {
      description: 'Circuit breaker state: 0 closed, 1 half_open, 2 open.',
      unit: '{state}',
    });
    this.gauge.addCallback((result) => {
      if (!this.isEnabled()) return;
      for (const [name, state] of this.#states ?? []) result.observe(state, { [ATTR_BREAKER_NAME]: name });
    });
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'opossum',
        SUPPORTED_OPOSSUM,
        (exports: unknown) =>
          replaceClassExport(exports, (cls) => this.#subclasses.of(cls as BreakerClass, (Original) => this.#observing(Original))),
        (exports: unknown) => replaceClassExport(exports, Subclasses.originalOf),
      ),
    ];
  }

  #observing(Original: BreakerClass): BreakerClass {
    const observe = (b: Breaker) => {
      if (this.isEnabled()) this.#observe(b);
    };
    return class extends Original {
      constructor(...args: any[]) {
        super(...args);
        observe(this);
      }
    };
  }

  #observe(breaker: Breaker): void {
    try {
      const name = String(breaker.name ?? 'unnamed');
      this.#states.set(name, BREAKER_STATES.closed);
      const change = (state: keyof typeof BREAKER_STATES) => () => {
        if (!this.isEnabled()) return; // observed before a disable(): silent from then on
        this.#states.set(name, BREAKER_STATES[state]);
        this.#record(name, state, state);
        const attrs = { [ATTR_BREAKER_NAME]: name, [ATTR_BREAKER_STATE]: state };
        this.tracer.startSpan(`circuit_breaker ${name}`, { attributes: attrs }).end();
      };
      breaker.on('open', change('open'));
      breaker.on('halfOpen', change('half_open'));
      breaker.on('close', change('closed'));
      breaker.on('reject', () => this.#record(name, 'reject', 'open'));
      breaker.on('timeout', () => this.#record(name, 'timeout', undefined));
      breaker.on('failure', () => this.#record(name, 'failure', undefined));
    } catch (err) {
      warnOnce('opossum:observe', `could not observe a circuit breaker (${(err as Error)?.message}).`);
    }
  }

  #record(name: string, event: string, state: string | undefined): void {
    if (!this.isEnabled()) return;
    try {
      this.events?.add(1, { [ATTR_BREAKER_NAME]: name, [ATTR_BREAKER_EVENT]: event });
      const active = trace.getActiveSpan();
      if (active?.isRecording()) {
        active.addEvent(EVENT_BREAKER, {
          [ATTR_BREAKER_NAME]: name,
          [ATTR_BREAKER_EVENT]: event,
          ...(state ? { [ATTR_BREAKER_STATE]: state } : {}),
        });
      }
    } catch {
      // never in the app's way
    }
  }
}
