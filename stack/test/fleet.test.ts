/** The pure parts of fleet.ts: host mapping, dependency order, compose's two spellings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dependencyOrder, loadEnv, mapHosts, toMap } from '../src/fleet.ts';

describe('mapHosts', () => {
  const hosts = ['postgres', 'redis', 'collector', 'api-1', 'api-2', 'api', 'lb'];
  it('maps hosts in URLs, whole values and comma lists', () => {
    assert.equal(mapHosts('postgres', hosts, 'PGHOST'), '127.0.0.1');
    assert.equal(mapHosts('redis', hosts, 'REDIS_HOST'), '127.0.0.1');
    assert.equal(mapHosts('redis://redis:16379', hosts), 'redis://127.0.0.1:16379');
    assert.equal(mapHosts('http://collector:4318/v1/traces', hosts), 'http://127.0.0.1:4318/v1/traces');
    assert.equal(mapHosts('http://api-1:8081,http://api-2:8082', hosts), 'http://127.0.0.1:8081,http://127.0.0.1:8082');
    assert.equal(mapHosts('redis://user:pw@redis:16379/0', hosts), 'redis://user:pw@127.0.0.1:16379/0');
    assert.equal(mapHosts('api-1:8081,api-2:8082', hosts), '127.0.0.1:8081,127.0.0.1:8082');
  });
  it('leaves names that are not hosts alone', () => {
    assert.equal(mapHosts('service.instance.id=api-1,service.version=0.1.0', hosts), 'service.instance.id=api-1,service.version=0.1.0');
    assert.equal(mapHosts('api', hosts, 'OTEL_SERVICE_NAME'), 'api', 'a service name is not a host');
    assert.equal(mapHosts('api-1', hosts, 'INSTANCE'), 'api-1');
    assert.equal(mapHosts('redis', hosts), 'redis');
    assert.equal(mapHosts('lbx', hosts), 'lbx');
    assert.equal(mapHosts('http://api-10:1', hosts), 'http://api-10:1');
  });
});

describe('dependencyOrder', () => {
  it('puts dependencies first and keeps the given order otherwise', () => {
    const s = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });
    const order = dependencyOrder([s('lb', 'api-1', 'api-2'), s('api-1', 'partner', 'postgres'), s('api-2', 'partner'), s('partner')]);
    assert.deepEqual(
      order.map((x) => x.name),
      ['partner', 'api-1', 'api-2', 'lb'],
    );
  });
  it('rejects a cycle', () => {
    assert.throws(
      () =>
        dependencyOrder([
          { name: 'a', dependsOn: ['b'] },
          { name: 'b', dependsOn: ['a'] },
        ]),
      /cycle/,
    );
  });
});

describe('compose spellings and load options', () => {
  it('reads maps and KEY=value lists alike', () => {
    assert.deepEqual(toMap(['A=1', 'B=x=y', 'C']), { A: '1', B: 'x=y', C: '' });
    assert.deepEqual(toMap({ A: 1, B: true, C: null }), { A: '1', B: 'true', C: '' });
  });
  it('turns load options into the load generator env', () => {
    assert.deepEqual(loadEnv({ rate: 40, durationS: 60, clients: 12 }), {
      LOADGEN_RATE: '40',
      LOADGEN_DURATION_S: '60',
      LOADGEN_CLIENTS: '12',
    });
    assert.deepEqual(loadEnv({}), {});
  });
});
