/** Every dashboard, by the file name of its generated JSON under `grafana/dashboards/`. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { clientsDashboard } from './clients.ts';
import { collectorHealthDashboard } from './collector-health.ts';
import { incidentDashboard } from './incident.ts';
import { statusDashboard } from './status.ts';

/** File name → builder. */
export const DASHBOARDS: Record<string, () => { build(): Dashboard }> = {
  'clients.json': clientsDashboard,
  'incident-overview.json': incidentDashboard,
  'collector-health.json': collectorHealthDashboard,
  'status.json': statusDashboard,
};

/** Each dashboard's JSON as written to disk (2-space indent, trailing newline). */
export function renderDashboards(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, build] of Object.entries(DASHBOARDS)) out[file] = JSON.stringify(build().build(), null, 2) + '\n';
  return out;
}
