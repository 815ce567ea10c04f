/** The committed grafana/dashboards/*.json are exactly what grafana/src generates (`npm run dashboards`). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staleDashboards } from '../src/generate.ts';

describe('grafana/dashboards', () => {
  it('match the generated JSON (run `npm run dashboards` after changing grafana/src)', () => {
    assert.deepEqual(staleDashboards(), []);
  });
});
