/**
 * Deploy markers (pure): a service version first seen inside the window, after another version of
 * the same service was already running. Versions come from `target_info` and the span metrics'
 * `service_version` label.
 */
import type { Observations } from '../observations.ts';
import { CALLS, DURATION } from '../queries.ts';
import { clock, windowStart } from '../window.ts';
import { score, type Draft } from './draft.ts';
import { selector } from './labels.ts';

/** Deploys in the window, unranked (alignment with other findings is added by rank.ts). */
export function deployFindings(o: Observations): Draft[] {
  // first[service][version] = earliest time; perInstance[service][version][instance] = earliest time.
  const first = new Map<string, Map<string, number>>();
  const perInstance = new Map<string, Map<string, Map<string, number>>>();
  for (const s of o.range.versions) {
    const service = s.labels['service_name'];
    const version = s.labels['service_version'];
    const t = s.points[0]?.[0];
    if (!service || !version || t === undefined) continue;
    const versions = first.get(service) ?? new Map<string, number>();
    first.set(service, versions);
    versions.set(version, Math.min(versions.get(version) ?? Infinity, t));
    const inst = perInstance.get(service) ?? new Map<string, Map<string, number>>();
    perInstance.set(service, inst);
    const byInst = inst.get(version) ?? new Map<string, number>();
    inst.set(version, byInst);
    const instance = s.labels['instance'] ?? '?';
    byInst.set(instance, Math.min(byInst.get(instance) ?? Infinity, t));
  }
  const out: Draft[] = [];
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
        query: `count by (service_version) (${selector(CALLS, { service_name: service })})`,
        examples: { exemplars: selector(DURATION, { service_name: service, service_version: version }), prefer: 'newest', jaeger: { service, tags: { 'service.version': version } } },
      });
    });
  }
  return out;
}
