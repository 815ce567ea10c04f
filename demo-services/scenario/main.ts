/**
 * `npm run scenario -- list | status | <name> on|off`: the incident lab's switch.
 * - `list`: every scenario, what it does and where to look;
 * - `status`: each service's scenarios and whether they are on;
 * - `<name> on|off`: switches a scenario in every service that takes part.
 * Admin URLs: `FLEET_ADMIN_URLS` (`api-1=http://127.0.0.1:8081,…`), else the native ports shifted by
 * `FAULTLINE_PORT_OFFSET`. Exit code 0 on success, 1 if a service refused or was unreachable, 2 on usage errors.
 */
import { intEnv, strEnv } from '../shared/env.ts';
import { SCENARIOS, findScenario } from '../shared/scenarios.ts';
import { defaultAdminUrls, parseAdminUrls, scenarioStatus, switchScenario, type AdminUrls } from './client.ts';

const USAGE = 'usage: npm run scenario -- list | status | <scenario> on|off';

function adminUrls(): AdminUrls {
  const raw = strEnv('FLEET_ADMIN_URLS', '');
  return { ...defaultAdminUrls(intEnv('FAULTLINE_PORT_OFFSET', 0)), ...(raw ? parseAdminUrls(raw) : {}) };
}

function list(): void {
  for (const s of SCENARIOS) {
    process.stdout.write(`${s.name}  [${s.services.join(', ')}]\n  ${s.description}\n  where to look: ${s.whereToLook}\n\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, action] = argv;
  if (name === 'list' || name === undefined) {
    list();
    return name === undefined ? 2 : 0;
  }
  if (name === 'status') {
    process.stdout.write(`${JSON.stringify(await scenarioStatus(adminUrls()), null, 2)}\n`);
    return 0;
  }
  if (!findScenario(name)) {
    process.stderr.write(`unknown scenario "${name}"; one of: ${SCENARIOS.map((s) => s.name).join(', ')}\n${USAGE}\n`);
    return 2;
  }
  if (action !== 'on' && action !== 'off') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const results = await switchScenario(name, action === 'on', adminUrls());
  for (const r of results) {
    const detail = r.ok ? '' : ` — ${r.status ? `HTTP ${r.status} ` : ''}${typeof r.body === 'string' ? r.body : JSON.stringify(r.body)}`;
    process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.service}: ${name} ${action}${detail}\n`);
  }
  if (results.every((r) => r.ok) && action === 'on') process.stdout.write(`where to look: ${findScenario(name)!.whereToLook}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

// `… list | head` closes stdout early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}
