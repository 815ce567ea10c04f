/**
 * Moved to `src/spans/client-id.ts`. This path stays only so that `bench/stamping.ts`, which imports it,
 * keeps working; new code imports from `src/spans/client-id.ts` or from the package's `index.ts`.
 */
export * from './spans/client-id.ts';
