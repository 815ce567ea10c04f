/**
 * Replacing a module's exports from an instrumentation's patch and unpatch, for both module systems:
 * - named exports ({@link replaceExports}): an import-in-the-middle namespace (ESM) accepts
 *   assignment; a CommonJS `exports` object made of getters (TypeScript/tslib re-exports) does not,
 *   so a copy is returned instead, which require-in-the-middle hands to the app;
 * - a class that is the whole module ({@link replaceClassExport}): CommonJS hands over the class,
 *   import-in-the-middle a namespace whose `default` is the class;
 * - the subclasses faultline puts in their place ({@link Subclasses}), one per original class.
 */

/**
 * Sets named exports of a module.
 * @param exports - the module's exports as a hook received them (or the copy an earlier call returned).
 * @param replacements - export name → new value; names not present in `exports` are skipped.
 * @returns what the patch function must return: the same object when set in place, else a copy
 *   with every own property of `exports` and the replacements (all writable).
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

/**
 * Applies `replace` to a module whose export is a class, as a hook receives it: CommonJS
 * (require-in-the-middle) hands over the class itself; import-in-the-middle hands over a namespace
 * whose `default` is the class, which is then replaced in that namespace (importers see the new value).
 *
 * @param exports - the module's exports as a patch or unpatch function received them.
 * @param replace - takes the class, returns the class to use instead (or the same one).
 * @returns what the patch/unpatch function must return: `replace`'s result for CommonJS, the same
 *   namespace for ESM, `exports` untouched for anything else (no class found).
 */
export function replaceClassExport(exports: unknown, replace: (cls: Function) => Function): unknown {
  if (typeof exports === 'function') return replace(exports);
  if (exports !== null && typeof exports === 'object' && typeof (exports as { default?: unknown }).default === 'function') {
    const ns = exports as { default: Function };
    const next = replace(ns.default);
    if (next !== ns.default) ns.default = next;
    return exports;
  }
  return exports;
}

const ORIGINAL = Symbol.for('faultline.original');

/**
 * The subclasses an instrumentation made of a module's classes, one per original class, so that
 * patching twice (a module loaded by both module systems, or enable → disable → enable) hands out the
 * same subclass, and unpatching can tell a subclass from an original.
 */
export class Subclasses {
  readonly #made = new WeakMap<Function, Function>();

  /**
   * The subclass for `original`, made by `make` the first time. A class that already is one of
   * faultline's subclasses is returned as it is.
   * @param make - builds the subclass; its `name` is set to the original's.
   */
  of<C extends Function>(original: C, make: (original: C) => C): C {
    if ((original as { [ORIGINAL]?: Function })[ORIGINAL]) return original;
    let sub = this.#made.get(original) as C | undefined;
    if (sub === undefined) {
      sub = make(original);
      Object.defineProperty(sub, 'name', { value: original.name });
      Object.defineProperty(sub, ORIGINAL, { value: original });
      this.#made.set(original, sub);
    }
    return sub;
  }

  /** The original class of one of faultline's subclasses, or `cls` itself for any other class. */
  static originalOf<C extends Function>(cls: C): C {
    return ((cls as { [ORIGINAL]?: Function })[ORIGINAL] as C | undefined) ?? cls;
  }
}
