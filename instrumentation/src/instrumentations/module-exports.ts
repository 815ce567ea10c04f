/**
 * Replacing a module's named exports from an instrumentation patch, for both module systems:
 * an import-in-the-middle namespace (ESM) accepts assignment; a CommonJS `exports` object
 * made of getters (TypeScript/tslib re-exports) does not, so a copy is returned instead,
 * which require-in-the-middle hands to the app.
 */

/**
 * @param exports - the module's exports as a hook received them.
 * @param replacements - export name → new value; names not present in `exports` are skipped.
 * @returns what the patch function must return (the same object when patched in place).
 */
export function replaceExports(exports: object, replacements: Readonly<Record<string, unknown>>): object {
  const target = exports as Record<string, unknown>;
  const names = Object.keys(replacements).filter((n) => n in target);
  const inPlace = names.every((n) => {
    const d = Object.getOwnPropertyDescriptor(target, n);
    return d === undefined || d.writable === true || d.set !== undefined;
  });
  if (inPlace) {
    try {
      for (const n of names) target[n] = replacements[n];
      if (names.every((n) => target[n] === replacements[n])) return exports;
    } catch {
      // fall through to a copy
    }
  }
  const copy: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(target)) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (d) Object.defineProperty(copy, key, { ...d, configurable: true });
  }
  for (const n of names) {
    Object.defineProperty(copy, n, { value: replacements[n], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
