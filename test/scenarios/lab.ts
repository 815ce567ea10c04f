/**
 * What the incident-lab tests share: switching a scenario in the running fleet (through the same admin
 * endpoints `npm run scenario` uses), reading Prometheus at a given time, and running
 * `faultline incident` over the scenario's window.
 */
import assert from 'node:assert/strict';
import { investigate } from '../../cli/src/incident.ts';
import type { Finding, IncidentReport } from '../../cli/src/report-schema.ts';
import { jaeger, prometheus, type Sample } from '@faultline/signals';
import { runIncidentCommand, type ScriptResult } from '@faultline/testkit';
import { defaultAdminUrls, switchScenario } from '../../demo-services/scenario/client.ts';
import type { Stack } from '../../stack/src/index.ts';

/** Span batch (1 s) + span-metrics flush (5 s) + scrape (5 s), with room. */
export const METRICS_LAG_MS = 12_000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Unix seconds now. */
export const nowS = (): number => Date.now() / 1000;

/** Switches `name` on or off in every service that takes part; fails the test if one refuses. */
export async function scenario(name: string, on: boolean): Promise<void> {
  const results = await switchScenario(name, on, defaultAdminUrls());
  for (const r of results) assert.ok(r.ok, `${r.service}: ${name} ${on ? 'on' : 'off'}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

/** A PromQL instant query at `time` (unix s; default now) as `{labels: value}` samples. */
export async function prom(stack: Stack, query: string, time = nowS()): Promise<Sample[]> {
  return prometheus.instant(stack.urls.prometheus!, query, time);
}

/** The value of the single sample of `query` (0 when it has none). */
export async function scalar(stack: Stack, query: string, time = nowS()): Promise<number> {
  const s = await prom(stack, query, time);
  assert.ok(s.length <= 1, `${query}: ${s.length} series`);
  return s[0]?.value ?? 0;
}

/** `query`'s samples keyed by the value of `label`. */
export async function byLabel(stack: Stack, query: string, label: string, time = nowS()): Promise<Map<string, number>> {
  return new Map((await prom(stack, query, time)).map((s) => [s.labels[label] ?? '', s.value]));
}

/**
 * The `--since` window, s, that reaches back to the switch at `on` (unix s) and `marginS` before it, so
 * the window's baseline (as long, just before) holds none of the scenario. The lab's default window
 * (the last ON_S s, once the metrics lag is over) starts that lag after the switch.
 */
export function sinceSwitch(on: number, marginS = 0): number {
  return Math.ceil(nowS() - on) + marginS;
}

/** `faultline incident --since <windowS>s` on the stack, logged in the test output. */
export async function incident(stack: Stack, windowS: number, label: string): Promise<IncidentReport> {
  const report = await investigate({
    prometheus: stack.urls.prometheus!,
    jaeger: stack.urls.jaegerQuery,
    grafana: 'http://127.0.0.1:3000',
    windowS,
    edge: 'lb',
  });
  console.log(
    `# ${label}: faultline incident --since ${windowS}s (${report.tookMs} ms)\n${report.findings.map((f, i) => `#   ${i + 1}. [${f.kind}] ${f.title} (score ${f.score})`).join('\n') || '#   no anomaly'}`,
  );
  if (report.alerts?.length)
    console.log(`#   alerts that fired: ${report.alerts.map((a) => `${a.name}${JSON.stringify(a.labels)}`).join(', ')}`);
  // Under tail sampling every trace link the CLI prints must be a trace Jaeger kept.
  for (const f of report.findings) {
    for (const id of f.traces.ids)
      assert.ok(await jaeger.getTrace(stack.urls.jaegerQuery, id), `${label}: ${f.subject}'s example trace ${id} is not in Jaeger`);
  }
  return report;
}

/** `faultline incident --since <windowS>s [...extra]` on the stack, run as the command (cli/dist/main.js). */
export function incidentCommand(stack: Stack, windowS: number, extra: string[] = []): Promise<ScriptResult> {
  return runIncidentCommand({ prometheus: stack.urls.prometheus!, jaeger: stack.urls.jaegerQuery }, windowS, extra);
}

/** One line per finding, for assertion messages. */
export function summary(findings: Finding[]): string {
  return findings.map((f) => `[${f.kind}] ${f.title}`).join(' | ') || 'no findings';
}

/** Polls `probe` every 2 s until it returns true, or fails after `timeoutMs` with `what`. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) assert.fail(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(2000);
  }
}
