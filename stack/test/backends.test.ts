/** PostgreSQL and Redis through the library, on ports of their own: they answer, and stop cleanly. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { binaries } from '../src/paths.ts';
import { startPostgres, type PostgresInstance } from '../src/postgres.ts';
import { freePorts, isPortFree } from '../src/ports.ts';
import { runToEnd } from '../src/process.ts';
import { redisCommand, startRedis, type RedisInstance } from '../src/redis.ts';

describe('backends', () => {
  let pg: PostgresInstance | undefined;
  let redis: RedisInstance | undefined;
  after(async () => {
    await pg?.stop();
    await redis?.stop();
  });

  it('PostgreSQL: a private cluster answers a query over TCP with the faultline password', async () => {
    const [port] = await freePorts(1);
    pg = await startPostgres({ port, name: 'test-postgres' });
    assert.equal(pg.url, `postgres://faultline:faultline@127.0.0.1:${port}/faultline`);
    const psql = join(binaries().pgBin, 'psql');
    const q = await runToEnd(
      psql,
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'faultline', '-d', 'faultline', '-tAc', "select current_database() || ' ' || 40 + 2"],
      {
        env: { PGPASSWORD: 'faultline' },
      },
    );
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stdout.trim(), 'faultline 42');
    const bad = await runToEnd(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'faultline', '-d', 'faultline', '-c', 'select 1'], {
      env: { PGPASSWORD: 'wrong' },
    });
    assert.notEqual(bad.code, 0, 'a wrong password is refused over TCP');
    const listen = await runToEnd(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'faultline', '-tAc', 'show listen_addresses'], {
      env: { PGPASSWORD: 'faultline' },
    });
    assert.equal(listen.stdout.trim(), '127.0.0.1');
  });

  it('Redis: answers PING and keeps nothing on disk', async () => {
    const [port] = await freePorts(1);
    redis = await startRedis({ port: port!, name: 'test-redis' });
    assert.equal(await redisCommand(port!, 'PING'), '+PONG');
    assert.equal(await redisCommand(port!, 'CONFIG GET save'), '*2');
  });

  it('stop() frees both ports, and a second stop() is harmless', async () => {
    const ports = [pg!.port, redis!.port];
    await pg!.stop();
    await redis!.stop();
    await pg!.stop();
    for (const p of ports) assert.equal(await isPortFree(p), true, `port ${p} still in use`);
    assert.equal(pg!.process.exit()?.code, 0, 'PostgreSQL shut down cleanly (fast shutdown)');
  });
});
