/** process.ts and pids.ts: log files, readiness errors that quote the log, stop escalation, and no orphans. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from '../src/paths.ts';
import { freePorts } from '../src/ports.ts';
import { reapStale } from '../src/pids.ts';
import { spawnManaged } from '../src/process.ts';
import { tcpProbe, waitUntil } from '../src/wait.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe('process', () => {
  it('a child that dies before it is ready fails the wait at once, quoting its log', async () => {
    const p = spawnManaged({ name: 'test-dies', command: 'sh', args: ['-c', 'echo "fatal: config is broken" >&2; exit 3'] });
    const [port] = await freePorts(1);
    const t0 = Date.now();
    await assert.rejects(waitUntil('test-dies port', tcpProbe(port!), { proc: p, timeoutMs: 20_000 }), (e: Error) => {
      assert.match(e.message, /test-dies exited \(code 3/);
      assert.match(e.message, /fatal: config is broken/);
      return true;
    });
    assert.ok(Date.now() - t0 < 5000);
  });

  it('a child that never gets ready fails the wait at the deadline, with the last probe error', async () => {
    const p = spawnManaged({ name: 'test-slow', command: 'sh', args: ['-c', 'echo starting; sleep 30'] });
    const [port] = await freePorts(1);
    await assert.rejects(
      waitUntil('test-slow port', tcpProbe(port!), { proc: p, timeoutMs: 500 }),
      /not ready after 0\.5 s \(last probe: .*ECONNREFUSED[\s\S]*starting/,
    );
    const exit = await p.stop();
    assert.equal(exit.signal, 'SIGTERM');
  });

  it('stop() escalates to SIGKILL for a child that ignores SIGTERM', async () => {
    const p = spawnManaged({ name: 'test-stubborn', command: 'sh', args: ['-c', 'trap "" TERM; echo up; sleep 30 & wait; sleep 30'] });
    await waitUntil('up', async () => p.logTail().includes('up'));
    const t0 = Date.now();
    const exit = await p.stop(300);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(Date.now() - t0 < 3000);
  });

  it('children die with their parent, even when it is SIGKILLed', async () => {
    const script = `
      const { spawnManaged } = await import(${JSON.stringify(new URL('../src/process.ts', import.meta.url).href)});
      const p = spawnManaged({ name: 'test-orphan', command: 'sleep', args: ['60'] });
      console.log(p.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    assert.ok(alive(pid));
    parent.kill('SIGKILL');
    await new Promise((r) => parent.once('exit', r));
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(20);
    assert.equal(alive(pid), false, `child ${pid} outlived its parent`);
    assert.equal(reapStale('test-orphan'), undefined, 'nothing left to reap; the stale pid file is removed');
  });

  it('children die when their parent exits normally', async () => {
    const script = `
      const { spawnManaged } = await import(${JSON.stringify(new URL('../src/process.ts', import.meta.url).href)});
      const p = spawnManaged({ name: 'test-orphan-exit', command: 'sleep', args: ['60'] });
      console.log(p.pid);
      setTimeout(() => process.exit(0), 200);`;
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))));
    await new Promise((r) => parent.once('exit', r));
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(20);
    assert.equal(alive(pid), false, `child ${pid} outlived its parent`);
    assert.equal(existsSync(join(runDir(), 'pids', 'test-orphan-exit.json')), false, 'the exit hook removed the pid file');
  });

  it('a later start kills a child left behind by a crashed owner', async () => {
    // a stand-in for a crashed run: a pid file whose owner is dead, for a child that is still alive
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    const deadOwner = spawn('true');
    await new Promise((r) => deadOwner.once('exit', r));
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(runDir(), 'pids'), { recursive: true });
    writeFileSync(join(runDir(), 'pids', 'test-stale.json'), JSON.stringify({ pid: child.pid, owner: deadOwner.pid, command: 'sleep' }));
    const p = spawnManaged({ name: 'test-stale', command: 'sleep', args: ['60'] });
    await new Promise((r) => child.once('exit', r));
    assert.equal(alive(child.pid!), false);
    await p.stop();
  });
});
