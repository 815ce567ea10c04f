/**
 * `faultline report` (the built command, as `npx faultline` runs it) against fake Prometheus and
 * Jaeger answering from recorded fixtures: JSON valid against cli/schema/report.schema.json,
 * Markdown with the timeline, `--out DIR` with every chart as SVG and PNG, and the HTML page opened
 * in headless Debian chromium (playwright-core, never a downloaded browser): no console errors,
 * every chart drawn, the culprit's series present; its screenshot is kept in .cache/artifacts/report/.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { fixture } from './build.ts';
import { startFakes, type Fakes } from './fake-sources.ts';
import { validateJson as validate } from '@faultline/testkit';

const BIN = new URL('../bin/faultline.js', import.meta.url).pathname;
const SCHEMA = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ARTIFACTS = new URL('../../.cache/artifacts/report/', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';

/** Runs `faultline report` with the fakes' URLs. */
async function report(f: Fakes, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'report', '--since', '1m', '--prometheus', f.prometheus, '--jaeger', f.jaeger, ...args],
    { maxBuffer: 32 << 20 },
  );
  return stdout;
}

let flood: Fakes;
let pool: Fakes;
before(async () => {
  flood = await startFakes(fixture('flood'));
  pool = await startFakes(fixture('pool'));
});
after(async () => {
  await flood?.close();
  await pool?.close();
});

describe('faultline report (fake sources)', () => {
  it('--format json is valid against cli/schema/report.schema.json, entries in time order, the culprit in the timeline and the charts', async () => {
    const r = JSON.parse(await report(flood, '--format', 'json')) as {
      entries: { time: string; subject: string; query: string }[];
      charts: { name: string; series: string[] }[];
    };
    assert.deepEqual(validate(SCHEMA, r), []);
    assert.ok(r.entries.some((e) => e.subject === 'team-09'));
    const times = r.entries.map((e) => Date.parse(e.time));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.deepEqual(
      r.charts.map((c) => c.name),
      ['requests-by-client', 'pool', 'backends'],
    );
    assert.equal(r.charts[0]!.series[0], 'team-09', 'the culprit is the first (coloured) series');
    assert.deepEqual(r.charts[2]!.series.sort(), ['api-1', 'api-2'], 'the edge upstream service found in the data');
  });

  it("markdown (the default): a heading, the timeline table with each entry's PromQL", async () => {
    const md = await report(pool);
    assert.match(md, /^# Incident timeline: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d–\d\d:\d\d:\d\d UTC \(1m\)$/m);
    assert.match(md, /^\| \d\d:\d\d:\d\d(–\d\d:\d\d:\d\d)? \| \*\*pool 127\.0\.0\.1:55432\/faultline on api-1: 2\/2 used/m);
    assert.match(md, /waiting for connections: team-batch/);
    assert.match(md, /`max by \(instance\) \(db_client_connection_pending_requests\{/);
  });

  it('--out DIR writes the report and every chart as SVG and PNG', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-report-'));
    try {
      const listed = (await report(pool, '--out', dir)).trim().split('\n');
      assert.equal(listed.length, 7, listed.join('\n'));
      for (const name of ['requests-by-client', 'pool', 'backends']) {
        assert.match(readFileSync(join(dir, `${name}.svg`), 'utf8'), /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.deepEqual([...readFileSync(join(dir, `${name}.png`)).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      }
      assert.match(readFileSync(join(dir, 'report.md'), 'utf8'), /!\[requests per client at lb\]\(requests-by-client\.png\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    "--format html opens in headless chromium: no console errors, every chart drawn, the culprit's series present",
    { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}` },
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const page = join(ARTIFACTS, 'flood.html');
      writeFileSync(page, await report(flood, '--format', 'html'));
      const browser = await chromium.launch({ executablePath: CHROMIUM });
      try {
        const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        const errors: string[] = [];
        tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        tab.on('pageerror', (e) => errors.push(String(e)));
        await tab.goto(`file://${page}`);
        const charts = await tab.$$eval('figure.chart', (figs) =>
          figs.map((f) => ({
            name: f.getAttribute('data-chart'),
            svg: f.querySelector('svg') !== null,
            marks: f.querySelectorAll('svg .mark-area path, svg .mark-line path').length,
            text: f.textContent ?? '',
          })),
        );
        assert.deepEqual(
          charts.map((c) => c.name),
          ['requests-by-client', 'pool', 'backends'],
        );
        for (const c of charts) assert.ok(c.svg && c.marks > 0, `${c.name}: ${c.marks} marks`);
        assert.match(charts[0]!.text, /team-09/, "the culprit's series is in the requests chart's legend");
        const culpritFill = await tab.$$eval('figure[data-chart="requests-by-client"] svg .mark-area path', (ps) =>
          ps.map((p) => p.getAttribute('fill')),
        );
        assert.ok(culpritFill.includes('#d62728'), `a series in the culprit's red: ${culpritFill.slice(0, 3).join(', ')}`);
        await tab.screenshot({ path: join(ARTIFACTS, 'flood.png'), fullPage: true });
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    },
  );
});
