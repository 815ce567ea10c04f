/**
 * restart.ts on real child processes: a crash (V8 out of memory) is logged and restarted, a clean exit
 * under `on-failure` is not, a crash loop stops at the per-minute limit, and a stop is never restarted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually } from '@faultline/testkit';
import { spawnManaged } from '../src/process.ts';
import { parseRestartPolicy, supervise, type SuperviseOptions } from '../src/restart.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-restart-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Supervises `node -e <code>` (extra node flags first) under `name`, with a fast backoff; collects the stack's log lines. */
function run(name: string, code: string, opts: SuperviseOptions, flags: string[] = []) {
  const lines: string[] = [];
  const s = supervise(
    name,
    (append) => spawnManaged({ name, command: process.execPath, args: [...flags, '-e', code], logDir: dir, append, graceMs: 2000 }),
    { backoffMs: 50, log: (l) => lines.push(l), ...opts },
  );
  return { s, lines, log: () => readFileSync(join(dir, `${name}.log`), 'utf8') };
}

describe('restart policy', () => {
  it('reads compose restart values', () => {
    assert.equal(parseRestartPolicy('on-failure'), 'on-failure');
    assert.equal(parseRestartPolicy('on-failure:5'), 'on-failure');
    assert.equal(parseRestartPolicy('always'), 'always');
    assert.equal(parseRestartPolicy('no'), 'no');
    assert.equal(parseRestartPolicy(undefined), 'no');
  });

  it('a process killed by V8 running out of heap is logged with its signal and started again, its log kept', async () => {
    // The first run leaks until V8 aborts; the restarted one (a marker file exists) stays up.
    const marker = join(dir, 'oom-ran');
    const code = `const fs=require('fs');if(fs.existsSync(${JSON.stringify(marker)})){console.log('second run');setInterval(()=>{},1000)}else{fs.writeFileSync(${JSON.stringify(marker)},'');const a=[];for(;;)a.push(new Array(1e5).fill(Math.random()))}`;
    const { s, lines, log } = run('restart-test-oom', code, { policy: 'on-failure' }, ['--max-old-space-size=24']);
    const first = s.current.pid;
    await eventually('the restart', async () => (s.restarts.length === 1 && /second run/.test(log()) ? true : undefined), 30_000, 100);
    assert.equal(s.restarts[0]!.pid, first);
    assert.equal(s.restarts[0]!.exit.signal, 'SIGABRT', JSON.stringify(s.restarts[0]!.exit));
    assert.notEqual(s.current.pid, first);
    assert.match(log(), /heap out of memory/, 'the crash stays in the log');
    assert.match(log(), /exited with signal SIGABRT; restarting/);
    assert.match(lines.join('\n'), /restart-test-oom \(pid \d+\) exited with signal SIGABRT; restarting in 50 ms/);
    await s.stop();
    assert.equal(s.restarts.length, 1, 'a stop is not restarted');
  });

  it('on-failure leaves a clean exit alone', async () => {
    const { s, lines } = run('restart-test-clean', 'process.exit(0)', { policy: 'on-failure' });
    await s.current.exited;
    await eventually('the exit logged', async () => (lines.some((l) => /code 0.*not restarted/.test(l)) ? true : undefined), 5000, 20);
    assert.equal(s.restarts.length, 0);
  });

  it('a crash loop stops at the per-minute limit', async () => {
    const { s, lines, log } = run('restart-test-loop', 'process.exit(3)', { policy: 'on-failure', maxPerMinute: 2 });
    await eventually(
      'the limit',
      async () => (lines.some((l) => /2 restarts in the last minute: not restarted/.test(l)) ? true : undefined),
      10_000,
      20,
    );
    assert.equal(s.restarts.length, 2);
    assert.ok(s.restarts.every((r) => r.exit.code === 3));
    assert.equal((log().match(/exited with code 3/g) ?? []).length, 3, 'every exit in the service log');
  });

  it('policy no never restarts', async () => {
    const { s, lines } = run('restart-test-no', 'process.exit(2)', {});
    await s.current.exited;
    await eventually('the exit logged', async () => (lines.some((l) => /code 2; restart policy no/.test(l)) ? true : undefined), 5000, 20);
    assert.equal(s.restarts.length, 0);
  });
});
