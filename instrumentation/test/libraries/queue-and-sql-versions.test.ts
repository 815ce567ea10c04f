/**
 * The supported ranges of the mysql2, Sequelize, amqplib and kafkajs instrumentations reach the one
 * version warning (`watchVersions` warns for a loaded version outside every range of its module), and
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` switches the two new pool discoveries off.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULTS } from '../../src/config.ts';
import { createInstrumentations } from '../../src/instrumentations/list.ts';
import { isSupported, supportedRanges } from '../../src/instrumentations/versions.ts';
import { PoolRegistry } from '../../src/pools/registry.ts';

const created = createInstrumentations(DEFAULTS, new PoolRegistry(), {});
const ranges = supportedRanges(created);
try {
  describe('versions of the queue and SQL pool libraries', () => {
    for (const [module, inside, outside] of [
      ['mysql2', '3.24.6', '4.0.0'],
      ['sequelize', '6.37.8', '5.22.5'],
      ['amqplib', '2.3.1', '0.5.2'],
      ['kafkajs', '2.2.4', '3.0.0'],
    ] as const) {
      it(`${module}: ${inside} is instrumented, ${outside} gets the warning`, () => {
        const r = ranges.get(module);
        assert.ok(r, `no supported range for ${module}`);
        assert.equal(isSupported(inside, r), true);
        assert.equal(isSupported(outside, r), false);
      });
    }
  });
  describe('OTEL_NODE_DISABLED_INSTRUMENTATIONS', () => {
    it('mysql2-pool and sequelize-pool are not created when named', () => {
      const names = (env: Record<string, string>) => {
        const list = createInstrumentations(DEFAULTS, new PoolRegistry(), env);
        list.forEach((i) => i.disable());
        return list.map((i) => i.instrumentationName);
      };
      const on = names({});
      for (const n of ['@faultline/mysql2-pool-discovery', '@faultline/sequelize-pool-discovery']) assert.ok(on.includes(n), n);
      const off = names({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'mysql2-pool,sequelize-pool' });
      for (const n of ['@faultline/mysql2-pool-discovery', '@faultline/sequelize-pool-discovery']) assert.ok(!off.includes(n), n);
    });
  });
} finally {
  for (const i of created) i.disable();
}
