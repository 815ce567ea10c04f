/**
 * Moved to `src/pools/registry.ts`. This path stays only so that `bench/stamping.ts`, which imports it,
 * keeps working; new code imports from `src/pools/registry.ts` or from the package's `index.ts`.
 */
export * from './pools/registry.ts';
