/**
 * Switching the chaos scenarios: their faults are Toxiproxy toxics on the links between the api and its
 * dependencies (the proxies in toxiproxy/proxies.json), added and removed through Toxiproxy's API with
 * its Node client. Idempotent like the services' switches: a toxic that is already there is not added
 * twice, one that is gone is not removed again. Each toxic is named `<scenario>-<type>-<stream>`.
 */
import { Toxiproxy } from 'toxiproxy-node-client';
import type { Scenario, ToxicSpec } from '../shared/scenarios.ts';

/** The name a scenario's toxic has in Toxiproxy. */
export function toxicName(scenario: string, t: ToxicSpec): string {
  return `${scenario}-${t.type}-${t.stream}`;
}

/** What one switch did on Toxiproxy: the toxics it added or removed, per proxy. */
export interface ToxicsResult {
  added: string[];
  removed: string[];
}

/**
 * Adds (`on`) or removes (off) the toxics of `scenario` on Toxiproxy at `apiUrl`.
 * @param apiUrl - Toxiproxy's API, e.g. `http://127.0.0.1:8474`.
 * @throws Error (the client's ToxiproxyError) if the API is unreachable or a proxy is missing.
 */
export async function switchToxics(scenario: Scenario, on: boolean, apiUrl: string): Promise<ToxicsResult> {
  const toxiproxy = new Toxiproxy(apiUrl);
  const out: ToxicsResult = { added: [], removed: [] };
  for (const t of scenario.toxics ?? []) {
    const proxy = await toxiproxy.get(t.proxy);
    const name = toxicName(scenario.name, t);
    const present = (await names(toxiproxy, proxy.getPath())).includes(name);
    if (on && !present) {
      await proxy.addToxic({ name, type: t.type, stream: t.stream, toxicity: 1, attributes: t.attributes });
      out.added.push(`${t.proxy}/${name}`);
    } else if (!on && present) {
      await (await proxy.getToxic(name)).remove();
      out.removed.push(`${t.proxy}/${name}`);
    }
  }
  return out;
}

/** The names of the toxics on the proxy at `proxyPath` (`<api>/proxies/<name>`). */
async function names(toxiproxy: Toxiproxy, proxyPath: string): Promise<string[]> {
  const res = await toxiproxy.getApi().get<{ name: string }[]>(`${proxyPath}/toxics`);
  return res.data.map((t) => t.name);
}

/** Every toxic on Toxiproxy at `apiUrl`, by proxy (for `npm run scenario -- status`). */
export async function toxicsStatus(apiUrl: string): Promise<Record<string, string[]>> {
  const toxiproxy = new Toxiproxy(apiUrl);
  const all = await toxiproxy.getAll();
  const out: Record<string, string[]> = {};
  for (const [name, p] of Object.entries(all)) out[name] = await names(toxiproxy, p.getPath());
  return out;
}
