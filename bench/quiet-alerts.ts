/**
 * `npm run measure -- quiet-alerts [--minutes 5] [--rate 40]`: the demo fleet under its normal load (24
 * clients, no scenario) for a while, then every alert Prometheus fired over that time (after a minute
 * of warm-up) and every alert Alertmanager holds. False positives are what make people mute alerts:
 * the expected answer is none. Exit 1 when any alert fired.
 */
import { parseArgs } from 'node:util';
import { eq, L, M, prometheus, selector } from '@faultline/signals';
import { startStack } from '../stack/src/index.ts';

/** Warm-up left out of the judged window, s (the first scrapes and the SDKs' start). */
const WARM_UP_S = 60;

/**
 * Runs the quiet measurement.
 * @param argv - `--minutes N` (judged minutes after the warm-up, default 5), `--rate N` (requests/s, default 40).
 * @returns the alerts that fired (name and labels), empty when the run was quiet.
 */
export async function quietAlerts(argv: string[]): Promise<string[]> {
  const { values } = parseArgs({
    args: argv,
    options: { minutes: { type: 'string', default: '5' }, rate: { type: 'string', default: '40' } },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  if (!(minutes > 0) || !(rate > 0)) throw new Error('--minutes and --rate take positive numbers');
  const stack = await startStack({ fleet: true, load: { rate } });
  try {
    const from = Date.now() / 1000 + WARM_UP_S;
    const end = from + minutes * 60;
    console.log(`quiet-alerts: normal load at ${rate} req/s; judging ${minutes} min after a ${WARM_UP_S} s warm-up`);
    while (Date.now() / 1000 < end) {
      await new Promise((r) => setTimeout(r, 30_000));
      const left = Math.max(0, end - Date.now() / 1000);
      console.log(`  ${((Date.now() / 1000 - from) / 60).toFixed(1)} min judged, ${(left / 60).toFixed(1)} left`);
    }
    const range = Math.round(end - from);
    const firing = selector(M.alerts, eq(L.alertState, 'firing'));
    const fired = await prometheus.instant(
      stack.urls.prometheus!,
      `max by (${L.alertName}, ${L.clientId}, ${L.service}, ${L.instance}) (max_over_time(${firing}[${range}s]))`,
      end,
    );
    const held = (await (await fetch(`${stack.urls.alertmanager}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
    const names = [...fired.map((s) => JSON.stringify(s.labels)), ...held.map((a) => `Alertmanager: ${JSON.stringify(a.labels)}`)];
    console.log(
      `quiet-alerts: ${range} s of normal load; alerts fired in Prometheus: ${fired.length}; held by Alertmanager: ${held.length}`,
    );
    for (const n of names) console.log(`  ${n}`);
    if (names.length) process.exitCode = 1;
    return names;
  } finally {
    await stack.stop();
  }
}
