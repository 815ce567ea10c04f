/**
 * The alert rules: the committed grafana/rules/faultline.rules.yml is what grafana/src/rules
 * generates, Prometheus' promtool accepts it, and promtool's unit tests (grafana/rules/tests/*.yml,
 * synthetic series every 5 s) pass — with a firing and a not-firing case for every rule.
 *
 * The unit tests run against the generated rules with their annotations left out: promtool compares
 * annotations exactly, and the rules' behaviour is what the cases pin down. The annotations are
 * checked here instead (every one present, templated with the alert's labels, links well-formed), and
 * promtool check rules parses their templates.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { RULES_FILE, rulesCurrent } from '../src/rules/generate.ts';
import { ruleGroups } from '../src/rules/groups.ts';
import { DASHBOARD } from '../src/rules/links.ts';
import { renderRules } from '../src/rules/render.ts';

const TESTS_DIR = fileURLToPath(new URL('../rules/tests/', import.meta.url));
const DASHBOARDS_DIR = fileURLToPath(new URL('../dashboards/', import.meta.url));
/** Debian's `prometheus` package ships it (scripts/bootstrap.sh installs it). */
const PROMTOOL = process.env['FAULTLINE_PROMTOOL'] ?? 'promtool';
const testFiles = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.test.yml'))
  .sort();
const rules = ruleGroups().flatMap((g) => g.rules);

/** Runs promtool; its output, or the test fails with promtool's own words (or how to install it). */
async function promtool(args: string[], cwd?: string): Promise<string> {
  try {
    return (await promisify(execFile)(PROMTOOL, args, { cwd, encoding: 'utf8' })).stdout;
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') assert.fail(`${PROMTOOL} not found: run \`bash scripts/bootstrap.sh\` (Debian package prometheus)`);
    assert.fail(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

interface AlertCase {
  eval_time: string;
  alertname: string;
  exp_alerts?: unknown[];
}
const cases: AlertCase[] = testFiles.flatMap((f) =>
  (parse(readFileSync(join(TESTS_DIR, f), 'utf8')) as { tests: { alert_rule_test?: AlertCase[] }[] }).tests.flatMap(
    (t) => t.alert_rule_test ?? [],
  ),
);

const work = mkdtempSync(join(tmpdir(), 'faultline-rules-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('alert rules (grafana/rules/faultline.rules.yml)', () => {
  it('the committed file is what grafana/src/rules generates (run `npm run rules` after changing it)', () => {
    assert.ok(rulesCurrent(), 'grafana/rules/faultline.rules.yml is out of date');
  });

  it('promtool check rules accepts it (PromQL and annotation templates parse)', async () => {
    const out = await promtool(['check', 'rules', RULES_FILE]);
    assert.match(out, new RegExp(`SUCCESS: ${rules.length} rules found`));
  });

  it('promtool test rules: every unit test passes', async () => {
    const groups = ruleGroups();
    for (const r of groups.flatMap((g) => g.rules)) r.annotations = {} as typeof r.annotations;
    writeFileSync(join(work, 'faultline.rules.yml'), renderRules(groups));
    for (const f of testFiles) cpSync(join(TESTS_DIR, f), join(work, f));
    // One promtool per test file, as many at once as there are cores (promtool runs its files one by one).
    const pending = [...testFiles];
    const outs: string[] = [];
    const worker = async (): Promise<void> => {
      for (let f = pending.shift(); f !== undefined; f = pending.shift()) outs.push(await promtool(['test', 'rules', f], work));
    };
    await Promise.all(Array.from({ length: Math.min(availableParallelism(), testFiles.length) }, worker));
    const out = outs.join('');
    assert.equal((out.match(/SUCCESS/g) ?? []).length, testFiles.length, out);
  });

  it('every rule has a case where it fires and one where it does not', () => {
    for (const r of rules) {
      const mine = cases.filter((c) => c.alertname === r.alert);
      assert.ok(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${r.alert}: no firing case in grafana/rules/tests/`,
      );
      assert.ok(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${r.alert}: no not-firing case in grafana/rules/tests/`,
      );
    }
  });

  it('every rule has a severity and a summary, description, runbook, incident line, Jaeger search and Grafana panel', () => {
    const names = new Set<string>();
    for (const r of rules) {
      assert.ok(!names.has(r.alert), `duplicate ${r.alert}`);
      names.add(r.alert);
      assert.match(r.labels.severity, /^(critical|warning)$/);
      for (const [k, v] of Object.entries(r.annotations)) assert.ok(v.trim().length > 0, `${r.alert}: empty ${k}`);
      assert.equal(Object.keys(r.annotations).length, 7, `${r.alert}: ${Object.keys(r.annotations).join(', ')}`);
      assert.match(r.annotations.incident, /faultline incident --since \d+m$/);
      assert.match(r.annotations.jaeger_url, /^http:\/\/[^/]+\/search\?service=[^&]+&/);
      assert.match(r.annotations.grafana_url, /^http:\/\/[^/]+\/d\/faultline-[a-z]+\?/);
      assert.ok(r.words.length > 10, `${r.alert}: no words for the README`);
      // The summary names who, which pool or instance (the alert's labels), or at least the value.
      assert.match(r.annotations.summary, /\{\{ \$labels\.|\{\{ \$value/, r.alert);
    }
  });

  it('the Grafana dashboards the alerts link to exist', () => {
    const uids = readdirSync(DASHBOARDS_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')) as { uid: string }).uid);
    for (const uid of Object.values(DASHBOARD)) assert.ok(uids.includes(uid), `no dashboard with uid ${uid}`);
  });
});
