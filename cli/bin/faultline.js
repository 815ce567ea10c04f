#!/usr/bin/env node
// The `faultline` command. Committed (not built) so that `npm ci` links it before anything is built;
// it runs the built CLI (cli/dist/main.js), and says how to build it when that is missing.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('faultline: the CLI is not built yet: run `npm run build` (or `npm run demo`) in the repository first\n');
  process.exit(2);
}
await import(main.href);
