/**
 * The preload: `node --import @faultline/instrumentation/register app.js`.
 *
 * Works for ESM and CommonJS apps with that one flag: it installs the import-in-the-middle ESM
 * hooks itself, limited to the modules faultline instruments, then starts the SDK before the app's
 * first line runs:
 * - where Node's synchronous `module.registerHooks` works for this (Node ≥ 22.22.3, ≥ 24.11.1), the
 *   hooks run in the app's thread with an include list;
 * - on older 22.x/24.x, the off-thread `module.register` loader is used, and the instrumentations'
 *   module names reach it over import-in-the-middle's message channel, which must exist before
 *   the instrumentations are created; the preload waits for the loader to acknowledge them.
 *
 * Nothing here can throw into the app: any failure becomes one `[faultline]` line on stderr
 * and the app runs uninstrumented.
 */
import { createRequire, register as registerLoader } from 'node:module';
import { readConfig } from './config.ts';
import type { FaultlineSdk } from './export/sdk.ts';
import { warnOnce } from './warn.ts';

const require = createRequire(import.meta.url);

interface SyncHooks {
  supportsSyncHooks(): boolean;
  register(options: { include: string[] }): void;
}
interface MessageChannelHooks {
  createAddHookMessageChannel(): { registerOptions: object; waitForAllMessagesAcknowledged(): Promise<void> };
}

async function main(): Promise<FaultlineSdk | undefined> {
  const config = readConfig(process.env);
  if (!config.enabled) return undefined; // nothing else is even loaded
  const { createParts, startSdk } = await import('./export/sdk.ts');
  const { hookedModules } = await import('./instrumentations/list.ts');
  const sync = (await import('import-in-the-middle/register-hooks.mjs')) as SyncHooks;
  if (sync.supportsSyncHooks()) {
    const parts = createParts(config);
    sync.register({ include: hookedModules(parts.instrumentations) });
    return startSdk(config, parts);
  }
  const { createAddHookMessageChannel } = require('import-in-the-middle') as MessageChannelHooks;
  const channel = createAddHookMessageChannel();
  registerLoader('import-in-the-middle/hook.mjs', import.meta.url, channel.registerOptions);
  const parts = createParts(config); // each instrumentation's hook now tells the loader its modules
  await channel.waitForAllMessagesAcknowledged();
  return startSdk(config, parts);
}

let started: FaultlineSdk | undefined;
try {
  started = await main();
} catch (err) {
  warnOnce('start', `could not start (${(err as Error)?.stack ?? err}); the app runs without instrumentation.`);
}

/** The SDK this preload started, or `undefined` if disabled or failed. */
export const sdk = started;
