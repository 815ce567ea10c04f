/**
 * Switching scenarios from outside a service: where each service's admin endpoint is, and the calls
 * (`POST /admin/scenarios/<name>`, `GET /admin/scenarios`). Used by the CLI, by the load generator's
 * schedule, and by the scenario tests.
 */
import { findScenario, TOXIPROXY, type Scenario } from '../shared/scenarios.ts';
import { switchToxics, toxicsStatus } from './toxics.ts';

/**
 * Native admin ports of the fleet (docker-compose.yml publishes the same on 127.0.0.1); `toxiproxy` is
 * Toxiproxy's API (standard port 8474), where the chaos scenarios' toxics are switched.
 */
export const ADMIN_PORTS: Readonly<Record<string, number>> = {
  'api-1': 8081,
  'api-2': 8082,
  partner: 8090,
  worker: 8091,
  loadgen: 8092,
  [TOXIPROXY]: 8474,
};

/** Admin base URL per service. */
export type AdminUrls = Record<string, string>;

/**
 * Parses `service=url,service=url` (e.g. `FLEET_ADMIN_URLS`).
 * @throws Error naming the first item that is not `name=http(s)://…`.
 */
export function parseAdminUrls(raw: string): AdminUrls {
  const out: AdminUrls = {};
  for (const item of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    const url = item
      .slice(eq + 1)
      .trim()
      .replace(/\/+$/, '');
    if (eq <= 0 || !/^https?:\/\/[^/]+/.test(url)) throw new Error(`"${item}" is not service=http://host:port`);
    out[name] = url;
  }
  return out;
}

/** The native fleet's admin URLs on `host`, every port shifted by `offset` (FAULTLINE_PORT_OFFSET). */
export function defaultAdminUrls(offset = 0, host = '127.0.0.1'): AdminUrls {
  return Object.fromEntries(Object.entries(ADMIN_PORTS).map(([name, port]) => [name, `http://${host}:${port + offset}`]));
}

/** One service's answer to a switch. */
export interface SwitchResult {
  service: string;
  ok: boolean;
  status: number;
  body: unknown;
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/**
 * Switches scenario `name` on or off in every service that takes part (see shared/scenarios.ts).
 * @param urls - admin URL per service; a service with no URL is reported as failed.
 * @throws Error for an unknown scenario name.
 */
export async function switchScenario(name: string, on: boolean, urls: AdminUrls): Promise<SwitchResult[]> {
  const scenario: Scenario | undefined = findScenario(name);
  if (!scenario) throw new Error(`unknown scenario "${name}"`);
  return Promise.all(
    scenario.services.map(async (service): Promise<SwitchResult> => {
      const base = urls[service];
      if (!base) return { service, ok: false, status: 0, body: `no admin URL for ${service}` };
      if (service === TOXIPROXY) {
        try {
          return { service, ok: true, status: 200, body: await switchToxics(scenario, on, base) };
        } catch (err) {
          return { service, ok: false, status: 0, body: `${base}: ${(err as Error).message}` };
        }
      }
      try {
        const r = await call(`${base}/admin/scenarios/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ on }),
        });
        return { service, ok: r.status === 200, ...r };
      } catch (err) {
        return { service, ok: false, status: 0, body: `${base}: ${(err as Error).message}` };
      }
    }),
  );
}

/** `GET /admin/scenarios` of each service in `urls` (Toxiproxy: its toxics by proxy); unreachable services give `{error}`. */
export async function scenarioStatus(urls: AdminUrls): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  await Promise.all(
    Object.entries(urls).map(async ([service, base]) => {
      try {
        if (service === TOXIPROXY) return void (out[service] = await toxicsStatus(base));
        const r = await call(`${base}/admin/scenarios`, {});
        out[service] = r.status === 200 ? r.body : { error: `HTTP ${r.status}` };
      } catch (err) {
        out[service] = { error: (err as Error).message };
      }
    }),
  );
  return out;
}
