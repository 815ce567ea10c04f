/**
 * The admin endpoints every scenario-taking service serves on its own HTTP port:
 * `GET /admin/scenarios` (this service's scenarios and their state) and
 * `POST /admin/scenarios/<name>` with `{"on": true|false}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { UnknownScenarioError, type Switchboard } from './switchboard.ts';

const PREFIX = '/admin/scenarios';
const MAX_BODY = 1024;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY) throw new Error(`body over ${MAX_BODY} bytes`);
  }
  return body;
}

/**
 * @param board - the service's switches.
 * @param log - where switches are logged.
 * @returns a handler for node's `http` server: it answers `/admin/scenarios…` and returns `true`,
 *   or returns `false` for any other path (the caller serves it).
 */
export function adminHandler(board: Switchboard, log: Logger): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return false;
    void handle(board, log, path, req, res).catch((err) => {
      if (!res.headersSent) reply(res, 500, { error: (err as Error).message });
    });
    return true;
  };
}

async function handle(board: Switchboard, log: Logger, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (path === PREFIX || path === `${PREFIX}/`) {
    if (req.method !== 'GET') return reply(res, 405, { error: 'use GET' });
    return reply(res, 200, { service: board.service, scenarios: board.states() });
  }
  const name = decodeURIComponent(path.slice(PREFIX.length + 1));
  if (req.method !== 'POST') return reply(res, 405, { error: 'use POST with {"on": true|false}' });
  let on: unknown;
  try {
    on = (JSON.parse(await readBody(req)) as { on?: unknown }).on;
  } catch (err) {
    return reply(res, 400, { error: `body must be {"on": true|false} (${(err as Error).message})` });
  }
  if (typeof on !== 'boolean') return reply(res, 400, { error: 'body must be {"on": true|false}' });
  try {
    const state = await board.set(name, on);
    log.warn({ scenario: name, on }, `scenario ${name} ${on ? 'on' : 'off'}`);
    return reply(res, 200, { service: board.service, ...state });
  } catch (err) {
    if (err instanceof UnknownScenarioError) {
      return reply(res, 404, { error: err.message, scenarios: board.states().map((s) => s.name) });
    }
    log.warn({ scenario: name, on, err: (err as Error).message }, 'scenario switch failed');
    return reply(res, 500, { error: (err as Error).message });
  }
}
