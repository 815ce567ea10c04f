/**
 * A service's scenario switches: which of its scenarios are on, since when, and what to do when one
 * is switched on or off. Switching is idempotent (on when on does nothing) and serialised per
 * scenario, so two quick calls cannot start a scenario twice.
 */

/** What a scenario does in one service. Both steps are optional (a flag read elsewhere needs neither). */
export interface ScenarioHandler {
  /** Called when the scenario goes from off to on. */
  start?(): void | Promise<void>;
  /** Called when the scenario goes from on to off. */
  stop?(): void | Promise<void>;
}

/** A scenario's state as the admin endpoint reports it. */
export interface ScenarioState {
  name: string;
  on: boolean;
  /** ISO time of the last change, or `null` if never switched. */
  since: string | null;
}

/** Thrown by {@link Switchboard.set} for a scenario this service does not take part in. */
export class UnknownScenarioError extends Error {}

/** The scenario switches of one service. */
export class Switchboard {
  readonly service: string;
  readonly #handlers: ReadonlyMap<string, ScenarioHandler>;
  readonly #states = new Map<string, ScenarioState>();
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * @param service - the service's name (reported by the admin endpoint).
   * @param handlers - the scenarios it supports, by name.
   */
  constructor(service: string, handlers: Record<string, ScenarioHandler>) {
    this.service = service;
    this.#handlers = new Map(Object.entries(handlers));
    for (const name of this.#handlers.keys()) this.#states.set(name, { name, on: false, since: null });
  }

  /** Whether `name` is on (false for a scenario this service does not know). */
  isOn(name: string): boolean {
    return this.#states.get(name)?.on ?? false;
  }

  /** Every scenario of this service with its state. */
  states(): ScenarioState[] {
    return [...this.#states.values()].map((s) => ({ ...s }));
  }

  /**
   * Switches `name` on or off, running its handler's `start`/`stop` on a change.
   * @returns the new state.
   * @throws UnknownScenarioError if this service has no such scenario; whatever the handler throws
   *   (the state is then left unchanged).
   */
  set(name: string, on: boolean): Promise<ScenarioState> {
    const handler = this.#handlers.get(name);
    if (!handler) return Promise.reject(new UnknownScenarioError(`${this.service} has no scenario "${name}"`));
    const run = this.#queue.then(async () => {
      const state = this.#states.get(name)!;
      if (state.on !== on) {
        await (on ? handler.start?.() : handler.stop?.());
        state.on = on;
        state.since = new Date().toISOString();
      }
      return { ...state };
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
