/**
 * The load balancer's backend set: active-health-check state per backend (eject after N
 * consecutive failures, re-admit after M consecutive successes) and round robin over the healthy
 * ones. Pure and synchronous, so it is unit-tested without a network.
 */

/** One backend's state. */
export interface BackendState {
  readonly url: string;
  healthy: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Times this backend was ejected since start. */
  ejections: number;
  /** Reason of the last failed check, if any. */
  lastError: string | undefined;
}

/** Thresholds of {@link BackendSet}. */
export interface HealthThresholds {
  /** Consecutive failed checks that eject a healthy backend (≥ 1). */
  unhealthyThreshold: number;
  /** Consecutive passed checks that re-admit an ejected backend (≥ 1). */
  healthyThreshold: number;
}

/** What a recorded check changed. */
export type Transition = 'ejected' | 'readmitted' | undefined;

/** The backends behind the load balancer. All start healthy. */
export class BackendSet {
  readonly #backends: BackendState[];
  readonly #t: HealthThresholds;
  #cursor = 0;

  constructor(urls: readonly string[], thresholds: HealthThresholds) {
    if (urls.length === 0) throw new Error('BackendSet needs at least one backend URL');
    this.#backends = urls.map((url) => ({
      url,
      healthy: true,
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      ejections: 0,
      lastError: undefined,
    }));
    this.#t = thresholds;
  }

  /**
   * Records one health-check result for `url`.
   * @returns `'ejected'` or `'readmitted'` when the backend changed state, else `undefined`.
   * @throws if `url` is not a backend.
   */
  record(url: string, ok: boolean, reason?: string): Transition {
    const b = this.#backends.find((x) => x.url === url);
    if (!b) throw new Error(`unknown backend ${url}`);
    if (ok) {
      b.consecutiveFailures = 0;
      b.consecutiveSuccesses++;
      b.lastError = undefined;
      if (!b.healthy && b.consecutiveSuccesses >= this.#t.healthyThreshold) {
        b.healthy = true;
        return 'readmitted';
      }
      return undefined;
    }
    b.consecutiveSuccesses = 0;
    b.consecutiveFailures++;
    b.lastError = reason;
    if (b.healthy && b.consecutiveFailures >= this.#t.unhealthyThreshold) {
      b.healthy = false;
      b.ejections++;
      return 'ejected';
    }
    return undefined;
  }

  /** The next healthy backend in round-robin order, or `undefined` when none is healthy. */
  next(): BackendState | undefined {
    for (let i = 0; i < this.#backends.length; i++) {
      const b = this.#backends[this.#cursor % this.#backends.length]!;
      this.#cursor = (this.#cursor + 1) % this.#backends.length;
      if (b.healthy) return b;
    }
    return undefined;
  }

  /** A copy of every backend's state. */
  status(): BackendState[] {
    return this.#backends.map((b) => ({ ...b }));
  }

  /** Backend URLs. */
  urls(): string[] {
    return this.#backends.map((b) => b.url);
  }
}
