/**
 * Scenario `client-flood`: one client sends `factor`× its usual rate. The extra requests come from
 * that client alone, with the same endpoint mix, on top of the normal load.
 */
import type { ScenarioHandler } from '../shared/switchboard.ts';

/** Knobs of {@link createFlood}. */
export interface FloodOptions {
  /** The flooding client. */
  client: string;
  /** Its rate while on, as a multiple of its usual rate (> 1). */
  factor: number;
  /** Its usual rate, requests/s. */
  baseRate: number;
}

/** The scenario: `handler` for the switchboard, `extraRate()` (requests/s to add now) for the ticker. */
export function createFlood(opts: FloodOptions) {
  let on = false;
  const handler: ScenarioHandler = {
    start() {
      on = true;
    },
    stop() {
      on = false;
    },
  };
  return { handler, client: opts.client, extraRate: () => (on ? Math.max(0, opts.factor - 1) * opts.baseRate : 0) };
}
