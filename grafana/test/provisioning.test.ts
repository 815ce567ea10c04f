/**
 * Grafana provisioning agrees with the dashboards, docker-compose.yml and Prometheus: every datasource
 * UID a dashboard uses is provisioned, literal `$` is written `$$`, the dashboards provider reads
 * where compose mounts the JSON, and the datasources point at compose's services.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderDashboards } from '../src/dashboards.ts';
import { dashboardPanels, dashboardQueries } from '../src/targets.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PROV = join(REPO, 'grafana', 'provisioning');
type Json = Record<string, unknown>;
const yaml = (file: string) => parse(readFileSync(file, 'utf8')) as Json;
const datasources = yaml(join(PROV, 'datasources', 'datasources.yaml'))['datasources'] as Json[];
const compose = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Json> };

describe('grafana/provisioning', () => {
  it("gives every alertlist panel a provisioned Prometheus rule source, and Alertmanager's datasource points at compose's Alertmanager", () => {
    let lists = 0;
    for (const [file, text] of Object.entries(renderDashboards())) {
      for (const p of dashboardPanels(JSON.parse(text) as Json).filter((x) => x.panelType === 'alertlist')) {
        const source = datasources.find((d) => d['name'] === p.ruleSource);
        assert.equal(source?.['type'], 'prometheus', `${file}: "${p.title}" reads rule source ${p.ruleSource}`);
        assert.equal((source!['jsonData'] as Json)['manageAlerts'], true, `${p.ruleSource}: its rules are not listed without manageAlerts`);
        lists++;
      }
    }
    assert.ok(lists >= 1, 'no alertlist panel');
    const am = datasources.find((d) => d['type'] === 'alertmanager');
    assert.ok(am, 'no Alertmanager datasource');
    assert.equal((am['jsonData'] as Json)['implementation'], 'prometheus');
    const port = String((compose.services['alertmanager']?.['ports'] as string[] | undefined)?.[0] ?? '')
      .split(':')
      .at(-1);
    assert.equal(am['url'], `http://alertmanager:${port}`);
  });

  it('defines every datasource UID the dashboards use, with the type they expect', () => {
    const byUid = new Map(datasources.map((d) => [String(d['uid']), String(d['type'])]));
    let used = 0;
    for (const [file, text] of Object.entries(renderDashboards())) {
      for (const q of dashboardQueries(JSON.parse(text) as Json)) {
        assert.ok(q.datasourceUid, `${file}: ${q.kind} "${q.title}" has no datasource`);
        assert.equal(byUid.get(q.datasourceUid), q.datasourceType, `${file}: ${q.kind} "${q.title}" uses ${q.datasourceUid}`);
        used++;
      }
    }
    assert.ok(used > 30);
  });

  it('links exemplars and traces-to-metrics only to provisioned datasources', () => {
    const uids = new Set(datasources.map((d) => String(d['uid'])));
    const prom = datasources.find((d) => d['type'] === 'prometheus')!['jsonData'] as Json;
    const dest = (prom['exemplarTraceIdDestinations'] as Json[])[0]!;
    assert.equal(dest['name'], 'trace_id');
    assert.ok(uids.has(String(dest['datasourceUid'])));
    const jaeger = datasources.find((d) => d['type'] === 'jaeger')!['jsonData'] as Json;
    assert.ok(uids.has(String((jaeger['tracesToMetrics'] as Json)['datasourceUid'])));
    assert.equal((jaeger['nodeGraph'] as Json)['enabled'], true);
  });

  it('writes every literal $ as $$ (Grafana expands $VAR in provisioning files)', () => {
    for (const dir of readdirSync(PROV)) {
      for (const f of readdirSync(join(PROV, dir))) {
        const text = readFileSync(join(PROV, dir, f), 'utf8');
        const single = text.replace(/\$\$/g, '').match(/\$[^$\s]*/g);
        assert.equal(single, null, `${dir}/${f}: ${single}`);
      }
    }
  });

  it("points the datasources at compose's Prometheus and Jaeger, Prometheus' timeInterval at its scrape interval", () => {
    const prom = datasources.find((d) => d['type'] === 'prometheus')!;
    const jaeger = datasources.find((d) => d['type'] === 'jaeger')!;
    const port = (name: string) => String((compose.services[name]!['ports'] as string[])[0]).split(':')[2];
    assert.equal(prom['url'], `http://prometheus:${port('prometheus')}`);
    assert.equal(jaeger['url'], `http://jaeger:${port('jaeger')}`);
    const scrape = (yaml(join(REPO, 'prometheus', 'prometheus.yml'))['global'] as Json)['scrape_interval'];
    assert.equal((prom['jsonData'] as Json)['timeInterval'], scrape);
  });

  it('reads the dashboards where docker-compose.yml mounts grafana/dashboards', () => {
    const providers = yaml(join(PROV, 'dashboards', 'faultline.yaml'))['providers'] as Json[];
    const path = String((providers[0]!['options'] as Json)['path']);
    const volumes = compose.services['grafana']!['volumes'] as string[];
    assert.ok(volumes.includes(`./grafana/dashboards:${path}:ro`), volumes.join(', '));
    assert.ok(volumes.includes('./grafana/provisioning:/etc/grafana/provisioning:ro'), volumes.join(', '));
  });
});
