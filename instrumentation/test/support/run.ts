/** Spawning instrumentation's own fixture apps with and without the preload (testkit's runner, bound to test/fixtures/). */
import { fileURLToPath } from 'node:url';
import { fixtureRunner, type Run, type RunOptions } from '@faultline/testkit';

export { PRELOAD, type Run } from '@faultline/testkit';
/** instrumentation/test/fixtures/. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Starts `node [--import preload] test/fixtures/<fixture>`; see `@faultline/testkit`'s `runFixture`. */
export const runFixture: (fixture: string, opts: RunOptions) => Run = fixtureRunner(FIXTURES);
