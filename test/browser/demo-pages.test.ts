/**
 * Every page `npm run demo` prints, opened in headless Chromium on the real native stack under demo
 * load: Zipkin's Lens UI shows a trace of the lb → api path with the pool attributes on its spans and
 * finds a client's traces by `client.id`; the Prometheus link draws the per-client traffic graph; every
 * other printed URL loads with no console errors. Screenshots: test/browser/support/browser.ts'
 * ARTIFACTS_DIR (printed). Uses the fixed-port stack (startStack), like test/e2e/fleet.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { prometheus } from '@faultline/signals';
import { eventually } from '@faultline/testkit';
import {
  clientTrafficQuery,
  readyBanner,
  startStack,
  zipkinSearchUrl,
  zipkinTraceUrl,
  startTogether,
  type Stack,
} from '../../stack/src/index.ts';
import { ARTIFACTS_DIR, launchChromium, screenshot, watchedPage } from './support/browser.ts';

const EDGE = 'lb';
const POOL_USED = 'db.client.connection.pool.used';
const POOL_MAX = 'db.client.connection.pool.max';
const CLIENT_ID = 'client.id';

/** A span as Zipkin's API v2 returns it. */
interface ZSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

let stack: Stack;
let browser: Browser;
let banner = '';

/** Every http(s) URL in the banner (a closing parenthesis after one is the banner's, not the URL's). */
const printedUrls = () => [...banner.matchAll(/https?:\/\/[^\s)]+/g)].map((m) => m[0]);

async function zipkinTraces(query: Record<string, string>): Promise<ZSpan[][]> {
  const q = new URLSearchParams({ lookback: String(15 * 60_000), endTs: String(Date.now()), ...query });
  const res = await fetch(`${stack.urls.zipkin}/api/v2/traces?${q}`);
  assert.equal(res.status, 200, `Zipkin search ${q}`);
  return (await res.json()) as ZSpan[][];
}

const service = (s: ZSpan) => s.localEndpoint?.serviceName;
/** lb's server span and an api server span under it, and an api span with the pool state. */
const isLbToApi = (t: ZSpan[]) =>
  t.some((s) => service(s) === EDGE && s.kind === 'SERVER' && !s.parentId) &&
  t.some((s) => service(s) === 'api' && s.kind === 'SERVER') &&
  t.some((s) => service(s) === 'api' && s.tags?.[POOL_USED] !== undefined);

before(async () => {
  const t0 = Date.now();
  [stack, browser] = await startTogether([startStack({ fleet: true, load: { rate: 40 } }), launchChromium()]);
  banner = readyBanner(stack.urls, { edgeService: EDGE, readyMs: stack.readyMs });
  // Spans reach Zipkin through two Collectors; the graph needs two scrapes of the span metrics.
  await eventually(
    'an lb → api trace in Zipkin',
    async () => ((await zipkinTraces({ serviceName: 'api', limit: '50' })).some(isLbToApi) ? true : undefined),
    90_000,
  );
  await eventually(
    'per-client series in Prometheus',
    async () => {
      const s = await prometheus.instant(stack.urls.prometheus!, clientTrafficQuery(EDGE), Date.now() / 1000);
      return s.length >= 2 ? s : undefined;
    },
    90_000,
  );
  console.log(`# stack and data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in ${ARTIFACTS_DIR}`);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the pages npm run demo prints, in Chromium', () => {
  let trace: ZSpan[];

  it("Zipkin's UI shows a trace of the lb → api path", async () => {
    // Traces that started 10 s ago or earlier are complete (the SDKs batch for up to 5 s).
    trace =
      (await zipkinTraces({ serviceName: 'api', limit: '50', endTs: String(Date.now() - 10_000) })).find(isLbToApi) ??
      (await zipkinTraces({ serviceName: 'api', limit: '50' })).find(isLbToApi)!;
    const { page, errors } = await watchedPage(browser);
    const res = await page.goto(zipkinTraceUrl(stack.urls.zipkinUi, trace[0]!.traceId), { waitUntil: 'networkidle' });
    assert.equal(res?.status(), 200);
    await page
      .getByText(/^api: /)
      .first()
      .waitFor();
    const text = await page.locator('body').innerText();
    await screenshot(page, 'zipkin-trace');
    assert.match(text, new RegExp(`^${EDGE}: `, 'm'), 'the lb span is listed');
    assert.match(text, /^api: /m, 'an api span is listed');
    // Every span Zipkin had when the trace was picked (a late one may have joined since).
    const total = Number(/Total Spans\s+(\d+)/.exec(text)?.[1]);
    assert.ok(total >= trace.length, `${total} spans shown, ${trace.length} in Zipkin's API`);
    assert.deepEqual(errors, []);
  });

  it('a span of that trace shows the pool attributes', async () => {
    const pooled = trace.find((s) => service(s) === 'api' && s.tags?.[POOL_USED] !== undefined)!;
    const { page, errors } = await watchedPage(browser);
    await page.goto(zipkinTraceUrl(stack.urls.zipkinUi, pooled.traceId), { waitUntil: 'networkidle' });
    // A row of the timeline reads "<service>: <span name>"; clicking it shows that span's tags.
    await page.getByText(`api: ${pooled.name}`, { exact: true }).first().click();
    await page.getByText(POOL_USED, { exact: true }).waitFor();
    const text = await page.locator('body').innerText();
    await screenshot(page, 'zipkin-span-pool');
    for (const key of [POOL_USED, POOL_MAX, CLIENT_ID]) assert.ok(text.includes(key), `${key} not shown`);
    assert.deepEqual(errors, []);
  });

  it("a search by client.id lists that client's traces only", async () => {
    const client = trace.find((s) => s.tags?.[CLIENT_ID])!.tags![CLIENT_ID]!;
    const { page, errors } = await watchedPage(browser);
    const search = zipkinSearchUrl(stack.urls.zipkinUi, { tags: { [CLIENT_ID]: client }, limit: 10 });
    const answer = page.waitForResponse((r) => r.url().includes('/api/v2/traces?'));
    await page.goto(search, { waitUntil: 'networkidle' });
    const found = (await (await answer).json()) as ZSpan[][];
    // One summary row per trace found.
    const rows = page.getByTestId('TraceSummaryRow-duration');
    await rows.nth(Math.max(0, found.length - 1)).waitFor();
    await screenshot(page, 'zipkin-search-client');
    assert.ok(found.length >= 1, 'the search found traces');
    for (const t of found) {
      const clients = new Set(t.map((s) => s.tags?.[CLIENT_ID]).filter((c) => c !== undefined));
      assert.deepEqual([...clients], [client], `trace ${t[0]!.traceId}`);
    }
    assert.equal(await rows.count(), found.length, 'the page lists what the search found');
    assert.deepEqual(errors, []);
  });

  it('the Prometheus link draws the per-client traffic graph with series', async () => {
    const link = printedUrls().find((u) => u.includes('g0.expr='));
    assert.ok(link, banner);
    const { page, errors } = await watchedPage(browser);
    await page.goto(link, { waitUntil: 'networkidle' });
    // The classic UI draws with Rickshaw: one legend line and one path per series.
    await page.locator('.legend .line').nth(1).waitFor({ timeout: 20_000 });
    const legend = await page.locator('.legend').innerText();
    const paths = await page.locator('.graph_area svg path').count();
    await screenshot(page, 'prometheus-client-traffic');
    assert.ok((legend.match(/team-\d+/g) ?? []).length >= 2, legend);
    assert.ok(paths >= 2, `${paths} paths drawn`);
    assert.deepEqual(errors, []);
  });

  it('every other printed URL loads with no console errors', async () => {
    const rest = printedUrls().filter((u) => !u.includes('g0.expr='));
    assert.ok(rest.length >= 6, banner);
    const failures: string[] = [];
    for (const [i, url] of rest.entries()) {
      const { page, errors } = await watchedPage(browser);
      const res = await page.goto(url, { waitUntil: 'networkidle' });
      // A printed Lens search runs on load: it is working once it lists traces.
      if (url.startsWith(stack.urls.zipkinUi) && new URL(url).searchParams.has('endTs'))
        await page.getByTestId('TraceSummaryRow-duration').first().waitFor();
      await screenshot(page, `printed-${i}-${new URL(url).port}${new URL(url).pathname}`);
      if (res?.status() !== 200) failures.push(`${url}: HTTP ${res?.status()}`);
      for (const e of errors) failures.push(`${url}: ${e}`);
      await page.context().close();
    }
    assert.deepEqual(failures, []);
  });
});
