/** Fills an alert's annotations: the rule gives what is its own, the runbook and incident lines are common. */
import { ALERT_CONFIG } from './config.ts';
import { incidentCommand } from './links.ts';
import type { AlertAnnotations } from './model.ts';

/** What a rule writes itself; {@link annotate} adds `runbook_url` and `incident`. */
export type OwnAnnotations = Omit<AlertAnnotations, 'runbook_url' | 'incident'>;

/** The full annotations of an alert. */
export function annotate(own: OwnAnnotations): AlertAnnotations {
  return { ...own, runbook_url: ALERT_CONFIG.links.runbook, incident: incidentCommand() };
}
