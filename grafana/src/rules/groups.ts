/** Every rule group of faultline's alerts, in the order of the rules file. */
import { clientRules } from './clients.ts';
import { dependencyRules } from './dependencies.ts';
import { edgeRules } from './edge.ts';
import type { RuleGroup } from './model.ts';
import { poolRules } from './pools.ts';
import { processRules } from './processes.ts';
import { telemetryRules } from './telemetry.ts';

/** Evaluation interval of every group: the scrape interval (prometheus/prometheus.yml). */
export const EVALUATION_INTERVAL = '5s';

/** The rule groups. */
export function ruleGroups(): RuleGroup[] {
  const g = (name: string, rules: RuleGroup['rules']): RuleGroup => ({ name: `faultline-${name}`, interval: EVALUATION_INTERVAL, rules });
  return [
    g('clients', clientRules()),
    g('pools', poolRules()),
    g('edge', edgeRules()),
    g('dependencies', dependencyRules()),
    g('processes', processRules()),
    g('telemetry', telemetryRules()),
  ];
}
