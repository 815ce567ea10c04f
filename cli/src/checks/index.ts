/**
 * The checks of `faultline incident`, in the order they run and are reported (ties in the ranking
 * keep this order). Adding a check: one file next to this one (see check.ts) and one line here.
 */
import { backlog } from './backlog.ts';
import { breakers } from './breakers.ts';
import { cache } from './cache.ts';
import type { QueryContext } from './check.ts';
import { clients } from './clients.ts';
import { dependencies } from './dependencies.ts';
import { deploys } from './deploys.ts';
import { ejections } from './ejections.ts';
import { health } from './health.ts';
import { latency } from './latency.ts';
import { pools } from './pools.ts';

/** Every check. */
export const CHECKS = [clients, latency, deploys, pools, ejections, health, breakers, cache, dependencies, backlog] as const;

/** One of {@link CHECKS}. */
export type AnyCheck = (typeof CHECKS)[number];
/** A check's name (the report's `checks[].name`). */
export type CheckName = AnyCheck['name'];
/** A finding kind (the report's `findings[].kind`). */
export type FindingKind = AnyCheck extends infer C ? (C extends { kinds: infer K } ? keyof K & string : never) : never;
/** Names of every instant query the checks declare. */
export type InstantName = AnyCheck extends infer C ? (C extends { instant: infer Q } ? keyof Q & string : never) : never;
/** Names of every range query the checks declare. */
export type RangeName = AnyCheck extends infer C ? (C extends { range: infer Q } ? keyof Q & string : never) : never;

/** Every check's name, in order. */
export const CHECK_NAMES: CheckName[] = CHECKS.map((c) => c.name);
/** Every finding kind with what it means, in check order. */
export const FINDING_KINDS: Record<FindingKind, string> = Object.assign({}, ...CHECKS.map((c) => c.kinds));

/**
 * The PromQL of every query the checks declare, by name (instant or range).
 * @throws Error when two checks declare the same name with different PromQL (a programming error).
 */
function collect(kind: 'instant' | 'range', c: QueryContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const check of CHECKS) {
    for (const [name, build] of Object.entries(check[kind] as Record<string, (c: QueryContext) => string>)) {
      const q = build(c);
      if (out[name] !== undefined && out[name] !== q)
        throw new Error(`${kind} query ${name} of check ${check.name} differs from another check's`);
      out[name] = q;
    }
  }
  return out;
}

/** Every instant query, by name. */
export function instantQueries(c: QueryContext): Record<InstantName, string> {
  return collect('instant', c) as Record<InstantName, string>;
}

/** Every range query, by name. */
export function rangeQueries(c: QueryContext): Record<RangeName, string> {
  return collect('range', c) as Record<RangeName, string>;
}

/** Names of every instant query. */
export const INSTANT_NAMES = [...new Set(CHECKS.flatMap((c) => Object.keys(c.instant)))] as InstantName[];
/** Names of every range query. */
export const RANGE_NAMES = [...new Set(CHECKS.flatMap((c) => Object.keys(c.range)))] as RangeName[];
