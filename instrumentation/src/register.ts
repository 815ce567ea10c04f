/**
 * The preload: `node --import @faultline/instrumentation/register app.js`.
 *
 * Works for ESM and CommonJS apps with that one flag: it installs the import-in-the-middle
 * ESM hooks itself (synchronous `module.registerHooks` where Node supports it, the
 * off-thread `module.register` loader otherwise), limited to the modules faultline
 * instruments, then starts the SDK before the app's first line runs.
 *
 * Nothing here can throw into the app: any failure becomes one `[faultline]` line on stderr
 * and the app runs uninstrumented.
 */
import { createRequire, register as registerLoader } from 'node:module';
import { readConfig } from './config.ts';
import { hookedModules } from './instrumentations.ts';
import { createParts, startSdk, type FaultlineSdk } from './sdk.ts';
import { warnOnce } from './warn.ts';

const require = createRequire(import.meta.url);

async function installEsmHooks(include: string[]): Promise<void> {
  const sync = (await import('import-in-the-middle/register-hooks.mjs')) as {
    supportsSyncHooks(): boolean;
    register(options: { include: string[] }): void;
  };
  if (sync.supportsSyncHooks()) {
    sync.register({ include });
    return;
  }
  const { createAddHookMessageChannel } = require('import-in-the-middle') as {
    createAddHookMessageChannel(): { registerOptions: object; waitForAllMessagesAcknowledged(): Promise<void> };
  };
  const { registerOptions } = createAddHookMessageChannel();
  registerLoader('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
}

async function main(): Promise<FaultlineSdk | undefined> {
  const config = readConfig(process.env);
  if (!config.enabled) return undefined;
  const parts = createParts(config);
  await installEsmHooks(hookedModules(parts.instrumentations));
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
