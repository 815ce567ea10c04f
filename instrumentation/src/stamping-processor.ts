/**
 * Moved to `src/spans/stamping-processor.ts`. This path stays only so that `bench/stamping.ts`, which imports it,
 * keeps working; new code imports from `src/spans/stamping-processor.ts` or from the package's `index.ts`.
 */
export * from './spans/stamping-processor.ts';
