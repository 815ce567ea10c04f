/**
 * The version ranges behind the one "outside the versions faultline instruments" warning, for the
 * frameworks, pools and Redis client added beside express/pg/ioredis: the versions installed here are
 * inside, older majors outside.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createInstrumentations } from '../../src/instrumentations/list.ts';
import { isSupported, supportedRanges } from '../../src/instrumentations/versions.ts';
import { PoolRegistry } from '../../src/pools/registry.ts';
import { readConfig } from '../../src/config.ts';

const instrumentations = createInstrumentations(readConfig({}), new PoolRegistry(), {});
const ranges = supportedRanges(instrumentations);
for (const i of instrumentations) i.disable();

const CASES: [module: string, inside: string[], outside: string[]][] = [
  ['fastify', ['5.0.0', '5.12.8'], ['4.29.1']],
  ['koa', ['2.16.0', '3.3.0'], ['1.7.0']],
  ['knex', ['0.95.15', '3.3.0'], ['0.21.21']],
  ['generic-pool', ['3.9.0'], ['2.5.4']],
  ['redis', ['3.1.2', '4.7.0', '5.8.0', '6.3.1'], ['2.5.0']],
  ['@redis/client', ['1.6.0', '5.8.0', '6.0.0'], ['0.1.0']],
];

describe('supported versions', () => {
  for (const [module, inside, outside] of CASES) {
    it(`${module}: ${inside.join(', ')} inside, ${outside.join(', ')} outside`, () => {
      const r = ranges.get(module);
      assert.ok(r, `no range for ${module}`);
      for (const v of inside) assert.ok(isSupported(v, r), `${module} ${v} in ${r}`);
      for (const v of outside) assert.ok(!isSupported(v, r), `${module} ${v} not in ${r}`);
    });
  }
});
