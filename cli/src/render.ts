/** Text output of `faultline incident`: fits 100 columns, colour only on a TTY and without NO_COLOR. */
import type { IncidentReport } from './incident.ts';

/** @param colour - use ANSI colour (caller decides from isTTY and NO_COLOR). */
export function renderText(r: IncidentReport, colour: boolean): string {
  const bold = (s: string) => (colour ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string) => (colour ? `\x1b[2m${s}\x1b[0m` : s);
  const lines: string[] = [bold(`faultline incident — last ${r.windowS}s vs the ${r.windowS}s before (${r.checkedAt})`)];
  if (r.findings.length === 0) {
    lines.push('no anomaly found. Checked:', ...r.checked.map((c) => `  - ${c}`));
    return lines.join('\n');
  }
  r.findings.forEach((f, i) => {
    lines.push(`${bold(`${i + 1}.`)} [${f.kind}] ${f.title}`.slice(0, 100 + (colour ? 8 : 0)));
    for (const u of f.traceUrls) lines.push(dim(`     trace ${u}`));
  });
  lines.push(dim(`checked: ${r.checked.join('; ')}`));
  return lines.join('\n');
}
