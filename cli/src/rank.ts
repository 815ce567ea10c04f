/**
 * The ranking (pure): every check's findings from {@link Observations}, deploys lined up with the
 * changes that start with them, sorted by score; and the report's list of checks with whether each had
 * data. Both iterate the registry (checks/index.ts).
 */
import type { CheckData } from './checks/check.ts';
import { score, type AlsoSeenDraft, type Draft } from './checks/draft.ts';
import { CHECKS, type FindingKind } from './checks/index.ts';
import type { Observations } from './observations.ts';
import type { CheckResult } from './report-schema.ts';
import { clock } from './window.ts';

/** How a deploy's score grows when other findings start with it. */
const ALIGNED_BONUS = 25;

/**
 * Marks findings that start within a short time after a deploy (from 1 minute before to 2 minutes
 * after, or 3 and 6 range steps for long windows) as related to it, both ways.
 */
export function alignDeploys(drafts: Draft[], step: number): void {
  const before = Math.max(60, 3 * step);
  const after = Math.max(120, 6 * step);
  for (const d of drafts.filter((x) => x.kind === 'deploy' && x.since !== undefined)) {
    const aligned = drafts.filter(
      (x) => x !== d && x.kind !== 'deploy' && x.since !== undefined && x.since >= d.since! - before && x.since <= d.since! + after,
    );
    if (aligned.length === 0) continue;
    for (const x of aligned) {
      x.related.push(d.subject);
      x.details.push(`starts with the deploy of ${d.subject} at ${clock(d.since!)}`);
    }
    d.related.push(...aligned.map((x) => x.subject));
    d.details.push(`lines up with: ${aligned.map((x) => `${x.subject} (${x.kind})`).join(', ')}`);
    d.score = score(d.score + ALIGNED_BONUS);
  }
}

/** A check seen through the registry: it reads the whole observations. */
interface RegistryCheck {
  name: CheckResult['name'];
  kinds: Record<string, string>;
  describe(o: CheckData): string;
  hasData(o: CheckData): boolean;
  rank(o: CheckData): Draft<FindingKind>[];
  alsoSeen?(o: CheckData): AlsoSeenDraft<FindingKind>[];
  note?(o: CheckData): string | undefined;
}

/** The registry, each check reading the whole observations (it reads only what it declared). */
const REGISTRY = CHECKS as readonly RegistryCheck[];

/** Findings, highest score first (ties: in the order the checks run). */
export function rank(o: Observations): Draft<FindingKind>[] {
  const drafts = REGISTRY.flatMap((c) => c.rank(o));
  alignDeploys(drafts, o.step);
  return drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => b.d.score - a.d.score || a.i - b.i)
    .map(({ d }) => d);
}

/** What was checked, whether the data for it exists, and how many findings each check gave. */
export function checks(o: Observations, findings: Draft[]): CheckResult[] {
  return REGISTRY.map((c) => ({
    name: c.name,
    description: c.describe(o),
    hasData: c.hasData(o),
    findings: findings.filter((f) => Object.hasOwn(c.kinds, f.kind)).length,
  }));
}

/** Changes too small to be findings, every check's, in check order (the report's `alsoSeen`). */
export function alsoSeen(o: Observations): AlsoSeenDraft<FindingKind>[] {
  return REGISTRY.flatMap((c) => c.alsoSeen?.(o) ?? []);
}

/** Caveats for the report's header (e.g. a baseline with little data), every check's, in check order. */
export function notes(o: Observations): string[] {
  return REGISTRY.map((c) => c.note?.(o)).filter((x): x is string => x !== undefined);
}
