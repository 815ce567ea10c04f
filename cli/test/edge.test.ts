/** Finding the edge service from the data when `--edge` is not given (pure choice, and the query). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLIENT_UNKNOWN, L } from '@faultline/signals';
import { chooseEdge, edgeQueries, findEdge } from '../src/edge.ts';
import { sample } from './build.ts';

const svc = (name: string, requests: number) => sample({ [L.service]: name }, requests);
const marked = (name: string) => sample({ [L.job]: name }, 1);

describe('edge', () => {
  it('is the marked service with the most client requests', () => {
    assert.deepEqual(chooseEdge([marked('gateway'), marked('admin')], [svc('gateway', 900), svc('admin', 20), svc('orders', 950)]), {
      service: 'gateway',
      from: 'marked',
    });
  });

  it('without a marked service, the one whose server spans carry the most client IDs', () => {
    assert.deepEqual(chooseEdge([], [svc('gateway', 900), svc('orders', 950)]), { service: 'orders', from: 'traffic' });
  });

  it('none when no request carries a client ID', () => {
    assert.deepEqual(chooseEdge([], []), { service: '', from: 'none' });
  });

  it('asks for client IDs other than the unknown one, over baseline and window', () => {
    const q = edgeQueries({ end: 1000, seconds: 60, baselineSeconds: 240 });
    assert.match(q.clientRequests, new RegExp(`${L.clientId}!="${CLIENT_UNKNOWN}"`));
    assert.match(q.clientRequests, /\[300s\]/);
    assert.match(q.marked, new RegExp(`${L.edge}="true"`));
  });

  it('--edge wins without asking Prometheus', async () => {
    assert.deepEqual(await findEdge('http://127.0.0.1:1', { end: 1000, seconds: 60, baselineSeconds: 60 }, 'gateway'), {
      service: 'gateway',
      from: 'option',
    });
  });
});
