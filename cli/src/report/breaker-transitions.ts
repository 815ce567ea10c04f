/**
 * Circuit breaker transitions (pure): every change of the breaker state gauge (`M.breakerState`:
 * 0 closed, 1 half-open, 2 open) in the window, per breaker, from the range series the breaker check reads.
 */
import { L, type Series } from '@faultline/signals';
import { by } from '../checks/promql.ts';
import { clock } from '../window.ts';

/** Breaker states as the gauge has them. */
const STATE_NAMES = ['closed', 'half-open', 'open'] as const;
/** The verb of a transition into each state. */
const VERB = { closed: 'closed', 'half-open': 'went half-open', open: 'opened' } as const;

/** One transition. */
export interface BreakerTransition {
  /** Unix seconds: the first point in the new state. */
  time: number;
  service: string;
  instance: string;
  breaker: string;
  from: (typeof STATE_NAMES)[number];
  to: (typeof STATE_NAMES)[number];
  /** `circuit breaker partner on api-1 opened at 12:51:05 (was closed)`. */
  title: string;
}

/** The state name of a gauge value (rounded; out-of-range values are clamped). */
function stateOf(v: number): (typeof STATE_NAMES)[number] {
  return STATE_NAMES[Math.max(0, Math.min(2, Math.round(v)))]!;
}

/**
 * Transitions from `from` (unix seconds) on, in time order.
 * @param series - `max by (service, instance, breaker) (M.breakerState)` over time.
 */
export function breakerTransitions(series: Series[], from: number): BreakerTransition[] {
  const out: BreakerTransition[] = [];
  for (const s of series) {
    let prev: (typeof STATE_NAMES)[number] | undefined;
    for (const [t, v] of s.points) {
      const state = stateOf(v);
      if (prev !== undefined && state !== prev && t >= from) {
        const service = s.labels[L.service] ?? '';
        const instance = s.labels[L.instance] ?? service;
        const breaker = s.labels[L.breakerName] ?? '?';
        out.push({
          time: t,
          service,
          instance,
          breaker,
          from: prev,
          to: state,
          title: `circuit breaker ${breaker} on ${instance} ${VERB[state]} at ${clock(t)} (was ${prev})`,
        });
      }
      prev = state;
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The labels a breaker's series is grouped by (for the entry's query). */
export const BREAKER_KEY = by(L.service, L.instance, L.breakerName);
