/**
 * What one check of `faultline incident` declares: its name, the finding kinds it emits, the PromQL
 * it asks (instant and range queries, by name), whether the data it needs exists, how it describes
 * itself in the report, and how it ranks. A check is one file; checks/index.ts lists them.
 */
import type { Sample, Series } from '@faultline/signals';
import type { CacheCounts } from '../observations.ts';
import type { Window } from '../window.ts';
import type { AlsoSeenDraft, Draft } from './draft.ts';

/** What a query is built from. */
export interface QueryContext {
  /** The investigated window and its baseline. */
  window: Window;
  /** The edge service, whose server spans count client requests (see edge.ts). */
  edge: string;
}

/**
 * A PromQL question. Instant queries are evaluated at the window's end (`[W]` is the window,
 * `[B] offset W` the baseline); range queries from the baseline's start to the window's end, every
 * step (window.ts `stepSeconds`).
 */
export type QueryBuilder = (c: QueryContext) => string;

/**
 * What a check reads: the answers to the queries it declared, by name, and the cache reads. Query
 * names are shared by every check: two checks that declare the same name must ask the same PromQL
 * (checks/index.ts verifies it), and then read the same answer.
 */
export interface CheckData<I extends string = string, R extends string = string> {
  window: Window;
  /** The edge service. */
  edge: string;
  /** Step of the range series, s. */
  step: number;
  /** Instant-query answers by name. */
  instant: Record<I, Sample[]>;
  /** Range-query answers by name. */
  range: Record<R, Series[]>;
  /** Cache reads per client (span metrics, else a Jaeger sample): observe.ts reads them for the cache check. */
  cache: CacheCounts;
}

/**
 * One check.
 * @typeParam N - its name, as the report's `checks[].name` has it.
 * @typeParam K - the finding kinds it emits (the report's `findings[].kind`).
 * @typeParam I - names of its instant queries.
 * @typeParam R - names of its range queries.
 */
export interface IncidentCheck<N extends string, K extends string, I extends string, R extends string> {
  name: N;
  /** Each finding kind it emits, with what such a finding means (one sentence; the schema's description). */
  kinds: Record<K, string>;
  /** Its instant queries by name. */
  instant: Record<I, QueryBuilder>;
  /** Its range queries by name. */
  range: Record<R, QueryBuilder>;
  /** What was looked at, in words, for the report's `checks[].description`. */
  describe(o: CheckData<I, R>): string;
  /** `false` when the metrics (or traces) it needs do not exist: it could not find anything. */
  hasData(o: CheckData<I, R>): boolean;
  /** Its findings, unranked (pure). */
  rank(o: CheckData<I, R>): Draft<K>[];
  /** Changes too small to be findings, for the report's "also seen" line (pure). Default none. */
  alsoSeen?(o: CheckData<I, R>): AlsoSeenDraft<K>[];
  /**
   * A caveat the report's header must show (pure), e.g. that the baseline has less data than asked
   * and what was compared instead. Default none.
   */
  note?(o: CheckData<I, R>): string | undefined;
}

/** Declares a check (an identity function that lets TypeScript infer its names and kinds). */
export function defineCheck<N extends string, K extends string, I extends string = never, R extends string = never>(
  c: IncidentCheck<N, K, I, R>,
): IncidentCheck<N, K, I, R> {
  return c;
}

/** No queries of this type (`instant: NO_QUERIES` or `range: NO_QUERIES`). */
export const NO_QUERIES: Record<never, QueryBuilder> = {};
