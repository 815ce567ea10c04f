/**
 * `faultline incident`: runs every finding query, ranks the findings, attaches example traces, and
 * returns the report (rendering is separate).
 */
import { breakerFindings, clientFindings, healthFindings, poolFindings, type Finding } from './findings.ts';
import { exampleTraces, traceUrl } from './jaeger.ts';
import { instant } from './prometheus.ts';

/** Options of {@link investigate}. */
export interface IncidentOptions {
  prometheus: string;
  jaeger: string;
  /** Window length in seconds (compared with the window of the same length before it). */
  windowS: number;
  /** The edge service whose server spans count client requests. */
  edge: string;
}

/** The report: what was checked and what was found (schema: cli/README.md). */
export interface IncidentReport {
  windowS: number;
  checkedAt: string;
  checked: string[];
  findings: (Finding & { traceUrls: string[] })[];
}

/**
 * @throws SourceError (which source, which URL) when Prometheus or Jaeger cannot be reached, or when
 * Prometheus has no span metrics at all (nothing to judge).
 */
export async function investigate(o: IncidentOptions): Promise<IncidentReport> {
  const now = Date.now() / 1000;
  const seen = await instant(o.prometheus, `count(traces_span_metrics_calls_total)`, now);
  if (seen.length === 0) {
    const { SourceError } = await import('./prometheus.ts');
    throw new SourceError('Prometheus', `Prometheus at ${o.prometheus} has no span metrics (traces_span_metrics_calls_total): is it scraping the Collector?`);
  }
  const groups = await Promise.all([
    clientFindings(o.prometheus, o.edge, o.windowS, now),
    poolFindings(o.prometheus, o.windowS, now),
    breakerFindings(o.prometheus, o.windowS, now),
    healthFindings(o.prometheus, o.windowS, now),
  ]);
  const findings = groups.flat().sort((a, b) => b.score - a.score);
  await Promise.all(
    findings.slice(0, 8).map(async (f) => {
      const q = f.traces;
      const tags = { ...q.tags };
      f.traceIds = await exampleTraces(o.jaeger, q.service, tags, o.windowS + 60, 3, q.operation, q.minDuration);
    }),
  );
  return {
    windowS: o.windowS,
    checkedAt: new Date(now * 1000).toISOString(),
    checked: [
      `request rate and error rate per client at ${o.edge} vs the previous ${o.windowS}s`,
      'connection pools: used vs max, waiting requests, p99 wait',
      'circuit breakers: open or half-open',
      'health checks: failures per service',
    ],
    findings: findings.map((f) => ({ ...f, traceUrls: f.traceIds.map((id) => traceUrl(o.jaeger, id)) })),
  };
}
