/**
 * Deploy markers (pure): a service version first seen inside the window, after another version of
 * the same service was already running. Versions come from the SDKs' info metric and the span metrics'
 * service version label (`M.targetInfo`, `L.serviceVersion`). The same check names restarts (a
 * process started again with the same version, restarts.ts): both are process starts.
 */
import { L, M } from '@faultline/signals';
import { clock, windowStart } from '../window.ts';
import { defineCheck, NO_QUERIES, type CheckData } from './check.ts';
import { score, type Draft } from './draft.ts';
import { CALLS, DURATION, labelSelector } from './promql.ts';
import { RESTART_KINDS, RESTART_RANGE, restartFindings } from './restarts.ts';

const KINDS = { deploy: 'a service started running a new version', ...RESTART_KINDS } as const;
const RANGE = {
  ...RESTART_RANGE,
  // A version is "there" while its SDK's info metric or its span metrics are exported.
  versions: () =>
    `group by (${L.service}, ${L.instance}, ${L.serviceVersion}) (label_replace(${M.targetInfo}, "${L.service}", "$1", "${L.job}", "(.+)") or ${CALLS})`,
};

/** What the deploy check reads. */
export type DeployData = CheckData<never, keyof typeof RANGE>;

/** Deploys in the window, unranked (alignment with other findings is added by rank.ts). */
export function deployFindings(o: DeployData): Draft<'deploy'>[] {
  // first[service][version] = earliest time; perInstance[service][version][instance] = earliest time.
  const first = new Map<string, Map<string, number>>();
  const perInstance = new Map<string, Map<string, Map<string, number>>>();
  for (const s of o.range.versions) {
    const service = s.labels[L.service];
    const version = s.labels[L.serviceVersion];
    const t = s.points[0]?.[0];
    if (!service || !version || t === undefined) continue;
    const versions = first.get(service) ?? new Map<string, number>();
    first.set(service, versions);
    versions.set(version, Math.min(versions.get(version) ?? Infinity, t));
    const inst = perInstance.get(service) ?? new Map<string, Map<string, number>>();
    perInstance.set(service, inst);
    const byInst = inst.get(version) ?? new Map<string, number>();
    inst.set(version, byInst);
    const instance = s.labels[L.instance] ?? '?';
    byInst.set(instance, Math.min(byInst.get(instance) ?? Infinity, t));
  }
  const out: Draft<'deploy'>[] = [];
  for (const [service, versions] of first) {
    const ordered = [...versions].sort((a, b) => a[1] - b[1]);
    ordered.forEach(([version, t], idx) => {
      if (idx === 0 || t < windowStart(o.window)) return;
      const previous = ordered[idx - 1]![0];
      const instances = [...(perInstance.get(service)?.get(version) ?? new Map<string, number>())].sort((a, b) => a[1] - b[1]);
      const last = instances.at(-1)?.[1] ?? t;
      out.push({
        kind: 'deploy',
        subject: `${service}@${version}`,
        title: `deploy: ${service} ${previous} → ${version} at ${clock(t)} (${instances.length} instance${instances.length === 1 ? '' : 's'})`,
        details: [`instances: ${instances.map(([i, at]) => `${i} ${clock(at)}`).join(', ')}`],
        score: score(30),
        since: t,
        until: last,
        evidence: { service, version, previousVersion: previous, instances: instances.length },
        related: [],
        query: `count by (${L.serviceVersion}) (${labelSelector(CALLS, { [L.service]: service })})`,
        examples: {
          exemplars: labelSelector(DURATION, { [L.service]: service, [L.serviceVersion]: version }),
          prefer: 'newest',
          jaeger: { service, tags: { 'service.version': version } },
        },
      });
    });
  }
  return out;
}

/** The deploys check: versions that appeared in the window, and processes that restarted in it. */
export const deploys = defineCheck({
  name: 'deploys',
  kinds: KINDS,
  instant: NO_QUERIES,
  range: RANGE,
  describe: () =>
    `service versions (${M.targetInfo}, ${L.serviceVersion}) that appeared in the window, and process start times (${M.processStart}) that changed in it (restarts)`,
  hasData: (o) => o.range.versions.length > 0,
  rank: (o) => [...deployFindings(o), ...restartFindings(o)],
});
