import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rank } from '../src/rank.ts';
import { empty, sample } from './build.ts';

const get = { service_name: 'api', span_name: 'get' };

describe('dependencies: calls to a dependency that started failing', () => {
  it('a cache that fails on every instance behind a fallback: its reads, how many, on which instances', () => {
    const o = empty();
    o.instant.dependencyErrors.push(sample({ ...get, instance: 'api-1' }, 600), sample({ ...get, instance: 'api-2' }, 580));
    o.instant.dependencyErrorsBase.push(sample({ ...get, instance: 'api-1' }, 1));
    o.instant.dependencyCalls.push(sample(get, 1200), sample({ service_name: 'api', span_name: 'pg.query:SELECT faultline' }, 2400));
    const [f, ...rest] = rank(o);
    assert.equal(rest.length, 0);
    assert.equal(f?.kind, 'dependency-errors');
    assert.equal(f.subject, 'api get');
    assert.equal(f.title, 'api → get: 1,180 failed calls (98% of them; 1 before) on api-1, api-2');
    assert.deepEqual(f.related, ['api-1', 'api-2']);
    assert.equal(f.examples.jaeger.operation, 'get');
    assert.deepEqual(f.examples.jaeger.tags, { error: 'true' });
  });

  it('one instance cut off names that instance', () => {
    const o = empty();
    const connect = { service_name: 'api', span_name: 'pg.connect' };
    o.instant.dependencyErrors.push(sample({ ...connect, instance: 'api-1' }, 40));
    o.instant.dependencyCalls.push(sample(connect, 60));
    const [f] = rank(o);
    assert.match(f!.title, / on api-1$/);
    assert.equal(f!.evidence['instances'], 'api-1');
  });

  it('failures at their usual rate, or too few, are not findings', () => {
    const o = empty();
    o.instant.dependencyErrors.push(sample({ ...get, instance: 'api-1' }, 30), sample({ ...get, instance: 'api-2' }, 5));
    o.instant.dependencyErrorsBase.push(sample({ ...get, instance: 'api-1' }, 28));
    o.instant.dependencyCalls.push(sample(get, 3000));
    const few = { service_name: 'api', span_name: 'hgetall' };
    o.instant.dependencyErrors.push(sample({ ...few, instance: 'api-1' }, 12));
    o.instant.dependencyCalls.push(sample(few, 100));
    assert.deepEqual(rank(o), []);
  });
});
