/**
 * Unsupported library versions: the OpenTelemetry instrumentations silently skip a module whose
 * version is outside their range. faultline says so, once per module and version, on stderr, so a
 * missing `pg` or `express` trace has an explanation; the app itself is never touched.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { warnOnce } from '../warn.ts';

const require = createRequire(import.meta.url);

/**
 * Versions of a package that an instrumentation covers through another package it hooks instead:
 * `redis` 4 and later is a thin wrapper over `@redis/client` (1.x for redis 4, then the same major),
 * which `@opentelemetry/instrumentation-redis` patches; its own definition for `redis` covers only the
 * old 2.x/3.x client. An unsupported `@redis/client` is still named by its own check.
 */
export const COVERED_THROUGH: Readonly<Record<string, readonly string[]>> = Object.freeze({ redis: ['^4.0.0', '^5.0.0', '^6.0.0'] });

/**
 * Module name → version ranges some instrumentation supports (`*` ranges are left out), plus
 * {@link COVERED_THROUGH} for modules some instrumentation hooks.
 */
export function supportedRanges(instrumentations: readonly Instrumentation[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of instrumentations) {
    const defs = (i as { getModuleDefinitions?: () => { name: string; supportedVersions: string[] }[] }).getModuleDefinitions?.() ?? [];
    for (const d of defs) {
      if (d.supportedVersions.includes('*')) continue;
      out.set(d.name, [...(out.get(d.name) ?? []), ...d.supportedVersions]);
    }
  }
  for (const [name, ranges] of Object.entries(COVERED_THROUGH)) if (out.has(name)) out.get(name)!.push(...ranges);
  return out;
}

/**
 * Whether `version` satisfies any of `ranges` (semver, prereleases included as the
 * instrumentations include them).
 */
export function isSupported(version: string, ranges: readonly string[]): boolean {
  const semver = require('semver') as { satisfies(v: string, r: string, o?: object): boolean };
  return ranges.some((r) => semver.satisfies(version, r, { includePrerelease: true }));
}

/**
 * Watches the loading of every instrumented module (CommonJS and ESM) and warns once per
 * `name@version` that no instrumentation supports. Never throws, never changes the module.
 */
export function watchVersions(instrumentations: readonly Instrumentation[]): void {
  const ranges = supportedRanges(instrumentations);
  if (ranges.size === 0) return;
  const check = (exports: unknown, name: string, baseDir?: string) => {
    try {
      if (!baseDir || !ranges.has(name)) return exports;
      const { version } = JSON.parse(readFileSync(join(baseDir, 'package.json'), 'utf8')) as { version?: string };
      if (version && !isSupported(version, ranges.get(name)!)) {
        warnOnce(
          `version:${name}@${version}`,
          `${name} ${version} is outside the versions faultline instruments (${ranges.get(name)!.join(' || ')}): it is not traced; the app runs normally.`,
        );
      }
    } catch {
      // never in the app's way
    }
    return exports;
  };
  const names = [...ranges.keys()];
  const { Hook: RequireHook } = require('require-in-the-middle') as { Hook: new (m: string[], o: object, cb: typeof check) => unknown };
  const { Hook: ImportHook } = require('import-in-the-middle') as { Hook: new (m: string[], o: object, cb: typeof check) => unknown };
  new RequireHook(names, { internals: false }, check);
  new ImportHook(names, { internals: false }, check);
}
