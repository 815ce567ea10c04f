/**
 * Every `faultline` command the READMEs show (README.md, cli/README.md: lines of ```sh blocks that
 * start with `npx --no-install faultline` or `node cli/bin/faultline.js`) runs verbatim from the
 * repository root — through npx and the linked workspace bin, with the real argv — with a short
 * window (the durations and times shortened to 1 m, `--out` into a temporary folder), against fake
 * Prometheus and Jaeger that answer like them from a recorded fixture (test/fake-sources.ts): exit 0
 * and a report on stdout (JSON that parses for --json). `faultline deploy` and `faultline status` write
 * to and read from the log store: test/logs/events.test.ts runs them on a real Collector and VictoriaLogs.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixture } from './build.ts';
import { startFakes, type Fakes } from './fake-sources.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const COMMAND = /^(npx --no-install faultline|node cli\/bin\/faultline\.js)( |$)/;
/** The event commands (log store), run on real parts by test/logs/events.test.ts. */
const EVENT_COMMAND = /faultline(?:\.js)? (deploy|status)( |$)/;

/** The documented command lines of a Markdown file (comments after `#` dropped). */
export function documentedCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => COMMAND.test(l) && !EVENT_COMMAND.test(l));
}

/** The command with a short window: every duration and time 1 m, `--out` into `out`. */
function shortWindow(line: string, out: string): string[] {
  const args = line.split(/\s+/);
  for (let i = 0; i < args.length - 1; i++) {
    const next = { '--since': '1m', '--baseline': '1m', '--from': '-1m', '--to': 'now', '--out': out }[args[i]!];
    if (next !== undefined) args[i + 1] = next;
  }
  return args;
}

let fakes: Fakes;
let out: string;
before(async () => {
  fakes = await startFakes(fixture('flood'));
  out = mkdtempSync(join(tmpdir(), 'faultline-readme-'));
});
after(async () => {
  await fakes?.close();
  // `before` does not run when --test-name-pattern filters every test of the file out
  if (out) rmSync(out, { recursive: true, force: true });
});

const lines = [...new Set(['README.md', 'cli/README.md'].flatMap((f) => documentedCommands(readFileSync(join(ROOT, f), 'utf8'))))];

describe("the READMEs' faultline commands, verbatim but for a 1 m window", () => {
  it('finds the documented commands', () => {
    assert.ok(lines.length >= 8, lines.join('\n'));
    assert.ok(lines.some((l) => l.includes(' report ')));
  });

  for (const line of lines) {
    it(line, async () => {
      const [cmd, ...args] = shortWindow(line, out);
      const watch = args.includes('--watch');
      const child = spawn(cmd!, args, {
        cwd: ROOT,
        // Its own process group: --watch is stopped as Ctrl-C stops it, the whole group (npx and the bin).
        detached: true,
        // `node` is the Node.js the tests run on (the bin's `#!/usr/bin/env node`).
        env: {
          ...process.env,
          PATH: `${dirname(process.execPath)}:${process.env['PATH']}`,
          NO_COLOR: '1',
          FAULTLINE_PROMETHEUS_URL: fakes.prometheus,
          FAULTLINE_JAEGER_URL: fakes.jaeger,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (watch && /^faultline incident:/m.test(stdout)) process.kill(-child.pid!, 'SIGINT');
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
      const code = await new Promise<number | null>((r) => child.once('close', r));
      clearTimeout(timer);
      // --watch ends by Ctrl-C (npx may report the signal); everything else exits 0.
      if (!watch) assert.equal(code, 0, `${args.join(' ')}\n${stderr}`);
      if (args.includes('--json') || args.includes('json')) assert.ok(JSON.parse(stdout));
      else if (args.includes('--out')) assert.match(stdout, /report\.\w+\n/);
      else if (args.includes('report')) assert.match(stdout, /^# Incident timeline/);
      else assert.match(stdout, /^faultline incident: /m);
    });
  }
});
