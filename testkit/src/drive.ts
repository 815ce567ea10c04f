/** Extra traffic for the real-stack tests: one client through the edge (`x-client-id`), bounded in time. */
import { Agent, request } from 'undici';

/** Requests sent and how many failed. */
export interface Driven {
  sent: number;
  failed: number;
}

/**
 * `rps` extra requests per second from `client` to `GET {lb}{path}<n>` for `seconds` (n cycles 1..1000).
 */
export async function flood(lb: string, client: string, rps: number, seconds: number, path = '/v1/items/'): Promise<Driven> {
  const agent = new Agent({ connections: 16 });
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  let failed = 0;
  while (Date.now() < end) {
    const batch = Array.from({ length: rps }, () =>
      request(`${lb}${path}${1 + (sent++ % 1000)}`, { headers: { 'x-client-id': client }, dispatcher: agent })
        .then(async (r) => {
          await r.body.dump();
          if (r.statusCode >= 500) failed++;
        })
        .catch(() => failed++),
    );
    await Promise.all([...batch, new Promise((r) => setTimeout(r, 1000))]);
  }
  await agent.close();
  return { sent, failed };
}

/**
 * `concurrency` requests from `client` always in flight against `GET {lb}{path}<n>` for `seconds`:
 * enough to keep a small connection pool busy.
 */
export async function pressure(lb: string, client: string, concurrency: number, seconds: number, path = '/v1/stock/'): Promise<Driven> {
  const agent = new Agent({ connections: concurrency });
  const end = Date.now() + seconds * 1000;
  let sent = 0;
  let failed = 0;
  const worker = async () => {
    while (Date.now() < end) {
      try {
        const r = await request(`${lb}${path}${1 + (sent++ % 1000)}`, { headers: { 'x-client-id': client }, dispatcher: agent });
        await r.body.dump();
        if (r.statusCode >= 500) failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await agent.close();
  return { sent, failed };
}
