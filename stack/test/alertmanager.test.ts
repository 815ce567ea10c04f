/**
 * Alertmanager natively and in compose: the shared alertmanager/alertmanager.yml with its webhook set
 * (or dropped), Prometheus pointed at it (or not), compose running the same files on the same port, and
 * a real Alertmanager on a free port that groups alerts and applies the ejection inhibition.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  ALERT_RULES,
  ALERTMANAGER_CONFIG,
  ALERTMANAGER_PORT,
  COMPOSE_FILE,
  freePort,
  nativeAlertmanagerConfig,
  nativePrometheusConfig,
  REPO_ROOT,
  startAlertmanager,
  WEBHOOK_ENV,
  WEBHOOK_PLACEHOLDER,
  STATUS_WEBHOOK_PLACEHOLDER,
  STATUS_WEBHOOK_PORT,
  type AlertmanagerInstance,
} from '../src/index.ts';

const source = readFileSync(ALERTMANAGER_CONFIG, 'utf8');
const promSource = readFileSync(join(REPO_ROOT, 'prometheus', 'prometheus.yml'), 'utf8');
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as { services: Record<string, Record<string, unknown>> };

/** amtool's verdict on a config text. */
function amtoolCheck(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'faultline-am-')), 'alertmanager.yml');
  writeFileSync(file, text);
  return execFileSync('amtool', ['check-config', file], { encoding: 'utf8' });
}

describe('Alertmanager config', () => {
  it('amtool accepts the shared file, with the webhook set and without it', () => {
    assert.match(amtoolCheck(source), /SUCCESS/);
    const set = nativeAlertmanagerConfig(source, 'http://127.0.0.1:5001/hook');
    assert.match(amtoolCheck(set), /SUCCESS/);
    assert.ok(set.includes('url: http://127.0.0.1:5001/hook') && !set.includes(WEBHOOK_PLACEHOLDER));
    const unset = nativeAlertmanagerConfig(source);
    assert.match(amtoolCheck(unset), /SUCCESS/);
    assert.ok(!unset.includes(WEBHOOK_PLACEHOLDER) && !unset.includes('webhook_configs'));
    assert.throws(() => nativeAlertmanagerConfig(source, 'not a url'), new RegExp(WEBHOOK_ENV));
  });

  it('sends every alert to the status timeline first (then on), natively to the given receiver, in compose to the status-webhook service', () => {
    const routes = (parse(source) as { route: { routes: { receiver: string; continue?: boolean; matchers?: string[] }[] } }).route.routes;
    assert.deepEqual(routes[0], { receiver: 'status-timeline', continue: true, group_wait: '0s', group_interval: '10s' });
    assert.equal(routes.at(-1)!.receiver, 'webhook');
    const set = nativeAlertmanagerConfig(source, undefined, 'http://127.0.0.1:19097/');
    assert.match(amtoolCheck(set), /SUCCESS/);
    assert.ok(
      set.includes('url: http://127.0.0.1:19097/') && !set.includes(STATUS_WEBHOOK_PLACEHOLDER) && !set.includes(WEBHOOK_PLACEHOLDER),
    );
    const command = (compose.services['alertmanager']!['command'] as string[]).join(' ');
    assert.ok(command.includes(`s|${STATUS_WEBHOOK_PLACEHOLDER}|http://status-webhook:${STATUS_WEBHOOK_PORT}/|`), command);
    const hook = (compose.services['status-webhook']!['command'] as string[]).join(' ');
    assert.match(
      hook,
      new RegExp(`cli/bin/faultline\\.js status webhook --listen 0\\.0\\.0\\.0:${STATUS_WEBHOOK_PORT} --collector http://collector:4318`),
    );
  });

  it("groups by alert and client or instance, and lets an ejection explain that instance's health-check and traffic alerts", () => {
    const c = parse(source) as {
      route: { group_by: string[] };
      inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
    };
    assert.deepEqual(c.route.group_by, ['alertname', 'client_id', 'instance']);
    const rule = c.inhibit_rules.find((r) => r.source_matchers.includes('alertname = BackendEjected'));
    assert.ok(rule && /HealthChecksFailing/.test(rule.target_matchers[0]!) && /BackendWithoutTraffic/.test(rule.target_matchers[0]!));
    assert.deepEqual(rule.equal, ['service_name', 'instance']);
    for (const name of ['BackendEjected', 'HealthChecksFailing', 'BackendWithoutTraffic'])
      assert.match(readFileSync(ALERT_RULES, 'utf8'), new RegExp(`alert: ${name}\\b`));
  });
});

describe('Prometheus → Alertmanager', () => {
  it('natively: the rules file at its repo path, alerts to the given Alertmanager, or no alerting section without one', () => {
    const ports = { prometheus: 18889, metrics: 18888 };
    const on = parse(nativePrometheusConfig(promSource, ports, { alertmanager: '127.0.0.1:19093' })) as Record<string, unknown>;
    assert.deepEqual(on['rule_files'], [ALERT_RULES]);
    assert.ok(existsSync(ALERT_RULES));
    assert.deepEqual(
      (on['alerting'] as { alertmanagers: { static_configs: { targets: string[] }[] }[] }).alertmanagers[0]!.static_configs[0]!.targets,
      ['127.0.0.1:19093'],
    );
    const off = parse(nativePrometheusConfig(promSource, ports)) as Record<string, unknown>;
    assert.equal(off['alerting'], undefined);
    assert.deepEqual(off['rule_files'], [ALERT_RULES]);
    assert.equal((off['scrape_configs'] as unknown[]).length, 2);
  });

  it('in compose: the same rules file mounted where prometheus.yml names it, alerts to the alertmanager service', () => {
    const prom = compose.services['prometheus']!;
    const mount = (prom['volumes'] as string[]).find((v) => v.startsWith('./grafana/rules:'));
    assert.equal(mount, './grafana/rules:/etc/prometheus/rules:ro');
    const c = parse(promSource) as { rule_files: string[]; alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    assert.deepEqual(c.rule_files, ['/etc/prometheus/rules/faultline.rules.yml']);
    assert.ok(existsSync(join(REPO_ROOT, 'grafana', 'rules', 'faultline.rules.yml')));
    assert.deepEqual(c.alerting.alertmanagers[0]!.static_configs[0]!.targets, [`alertmanager:${ALERTMANAGER_PORT}`]);
    assert.ok('alertmanager' in (prom['depends_on'] as Record<string, unknown>));
  });

  it('in compose: prom/alertmanager pinned, the shared config, the webhook from the environment, 127.0.0.1:9093', () => {
    const am = compose.services['alertmanager']!;
    assert.match(String(am['image']), /^prom\/alertmanager:v0\.\d+\.\d+$/);
    assert.ok((am['volumes'] as string[]).includes('./alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro'));
    assert.deepEqual(am['ports'], [`127.0.0.1:${ALERTMANAGER_PORT}:${ALERTMANAGER_PORT}`]);
    const command = (am['command'] as string[]).join(' ');
    assert.ok(command.includes(`s|${WEBHOOK_PLACEHOLDER}|$\${${WEBHOOK_ENV}:-${WEBHOOK_PLACEHOLDER}}|`), command);
    assert.match(command, /--config\.file=\/tmp\/alertmanager\.yml/);
    assert.match(command, /--cluster\.listen-address=(\s|$)/);
    assert.equal((am['environment'] as Record<string, string>)[WEBHOOK_ENV], `\${${WEBHOOK_ENV}:-}`);
  });
});

describe('Grafana (compose)', () => {
  it("has an Alertmanager datasource on compose's alertmanager service", () => {
    const file = join(REPO_ROOT, 'grafana', 'provisioning', 'datasources', 'datasources.yaml');
    const ds = (parse(readFileSync(file, 'utf8')) as { datasources: { type: string; url: string; jsonData: Record<string, unknown> }[] })
      .datasources;
    const am = ds.find((d) => d.type === 'alertmanager');
    assert.ok(am, 'no alertmanager datasource');
    assert.equal(am.url, `http://alertmanager:${ALERTMANAGER_PORT}`);
    assert.equal(am.jsonData['implementation'], 'prometheus');
  });
});

describe('Alertmanager natively (free port)', () => {
  let am: AlertmanagerInstance;
  before(async () => {
    am = await startAlertmanager({ port: await freePort(), name: 'alertmanager-test' });
  });
  after(async () => {
    await am?.stop();
  });

  it("is ready on 127.0.0.1 and inhibits the ejected instance's health-check alert, not its peer's", async () => {
    assert.match(am.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const alert = (alertname: string, instance: string) => ({
      labels: { alertname, service_name: 'api', instance, severity: 'warning' },
      annotations: { summary: `${alertname} ${instance}` },
    });
    const res = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('BackendEjected', 'api-1'),
        alert('HealthChecksFailing', 'api-1'),
        alert('HealthChecksFailing', 'api-2'),
      ]),
    });
    assert.equal(res.status, 200);
    let got: { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }[] = [];
    for (let i = 0; i < 50; i++) {
      got = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as typeof got;
      if (got.length === 3 && got.every((a) => a.status.state !== 'unprocessed')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const state = (n: string, i: string) => got.find((a) => a.labels['alertname'] === n && a.labels['instance'] === i)?.status.state;
    assert.equal(state('BackendEjected', 'api-1'), 'active');
    assert.equal(state('HealthChecksFailing', 'api-1'), 'suppressed');
    assert.equal(state('HealthChecksFailing', 'api-2'), 'active');
  });
});
