/**
 * CPU profile of one setup under the benchmark's load (`node --cpu-prof`, written under bench/tmp/,
 * git-ignored), summarised as self time per function and per package.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApp } from './app.ts';
import { measure, type LoadResult } from './load.ts';
import type { Setup } from './setups.ts';

/** One row of a self-time table. */
export interface SelfTime {
  /** `function file:line` or a package name. */
  name: string;
  /** Share of the profile's non-idle samples, %. */
  pct: number;
  /** Self time per request, µs. */
  usPerRequest: number;
}

/** What {@link profileSetup} gives. */
export interface ProfileSummary {
  setup: string;
  /** The `.cpuprofile` file. */
  file: string;
  load: LoadResult;
  /** Non-idle main-thread CPU per request, µs. */
  cpuUsPerRequest: number;
  /** Top functions by self time (GC and idle shown as `(garbage collector)`, `(program)`). */
  functions: SelfTime[];
  /** Self time by package (`node_modules/<pkg>`), Node internals (`node:<module>`), or repo path. */
  packages: SelfTime[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  /** µs on CLOCK_MONOTONIC, the clock of `process.hrtime` in every process of this machine. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Now on CLOCK_MONOTONIC, µs (comparable with a `.cpuprofile`'s sample times). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const REPO = fileURLToPath(new URL('..', import.meta.url));

function packageOf(url: string, fn: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:internal/')) return `node:internal/${url.slice(14).split('/')[0]}`;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  if (!url) return fn.startsWith('(') ? fn : `native ${fn}`;
  const path = url.replace(`file://${REPO}`, '');
  if (path.startsWith('instrumentation/')) return '@faultline/instrumentation';
  if (path.startsWith('demo-services/')) return 'demo api';
  return path.split('/').slice(0, 2).join('/');
}

/**
 * Self-time tables of a `.cpuprofile`, per request of `requests`, counting only samples taken inside
 * `window` (µs on CLOCK_MONOTONIC, see {@link monotonicUs}; default: the whole profile). `packages`
 * lists every package, `functions` the `top` ones.
 */
export function summarise(
  file: string,
  requests: number,
  window?: [number, number],
  top = 15,
): Pick<ProfileSummary, 'cpuUsPerRequest' | 'functions' | 'packages'> {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  let t = prof.startTime;
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const cf = byId.get(id)!;
    const dt = prof.timeDeltas[i] ?? 0;
    t += dt;
    if (cf.functionName === '(idle)' || (window && (t < window[0] || t > window[1]))) return;
    busy += dt;
    const where = cf.url ? ` ${cf.url.replace(/.*node_modules\//, '').replace(`file://${REPO}`, '')}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where}`;
    fns.set(key, (fns.get(key) ?? 0) + dt);
    const pkg = packageOf(cf.url, cf.functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
  });
  // A clock mismatch would leave nothing inside the window: then count the whole profile.
  if (busy === 0 && window) return summarise(file, requests, undefined, top);
  const rows = (m: Map<string, number>, k = Infinity) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => ({ name, pct: +((100 * us) / busy).toFixed(1), usPerRequest: +(us / requests).toFixed(1) }));
  return { cpuUsPerRequest: +(busy / requests).toFixed(1), functions: rows(fns, top), packages: rows(pkgs) };
}

/**
 * Runs `setup` with `--cpu-prof` under the benchmark's load (warm-up, then `durationS` measured),
 * stops it, and summarises the samples taken during the measured part only (no start-up, no warm-up).
 */
export async function profileSetup(
  setup: Setup,
  port: number,
  env: Record<string, string>,
  route: string,
  durationS: number,
  warmupS: number,
  entry?: string,
): Promise<ProfileSummary> {
  const dir = join(REPO, 'bench/tmp', `prof-${new Date().toISOString().replace(/[:.]/g, '-')}-${setup.name.replace(/[^a-z0-9]/gi, '_')}`);
  mkdirSync(dir, { recursive: true });
  const app = await startApp(setup, port, env, ['--cpu-prof', `--cpu-prof-dir=${dir}`], entry);
  let load: LoadResult;
  let measured: [number, number];
  try {
    await measure(app.url, warmupS, route);
    const start = monotonicUs();
    load = await measure(app.url, durationS, route);
    measured = [start, monotonicUs()];
  } finally {
    // V8 writes the profile at a normal exit: the api's own SIGTERM handler ends with process.exit(0).
    await app.stop(15_000);
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile in ${dir}: the process did not exit normally`);
  return { setup: setup.name, file: join(dir, file).replace(REPO, ''), load, ...summarise(join(dir, file), load.requests, measured) };
}

/** Self time per request of one package in two profiles, µs, and the difference. */
export interface PackageDelta {
  name: string;
  baseUs: number;
  otherUs: number;
  deltaUs: number;
}

/** Per-package self time of `other` minus `base` (per request), largest increase first. */
export function diffPackages(base: ProfileSummary, other: ProfileSummary): PackageDelta[] {
  const names = new Set([...base.packages, ...other.packages].map((p) => p.name));
  const us = (s: ProfileSummary, n: string) => s.packages.find((p) => p.name === n)?.usPerRequest ?? 0;
  return [...names]
    .map((name) => ({ name, baseUs: us(base, name), otherUs: us(other, name), deltaUs: +(us(other, name) - us(base, name)).toFixed(1) }))
    .sort((a, b) => b.deltaUs - a.deltaUs);
}
