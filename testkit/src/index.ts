/**
 * `@faultline/testkit`: what faultline's tests share, one concern per file — backends on free ports
 * (backends.ts), fixture apps with or without the preload (fixtures.ts), a paced load (load.ts) and its
 * percentiles (percentile.ts), a process's RSS (proc.ts), hand-made OTLP traces (otlp.ts) and a paced stream of them (trace-load.ts), polling until something arrives
 * (eventually.ts), one client's extra traffic through an edge (drive.ts), JSON Schema validation (json-schema.ts), a command-line script run to completion (script.ts) and a time window for the readers (window.ts). Test code only: no workspace's src
 * imports it, except the bench's measurements.
 */
export { startBackends, BATCH_DELAY_MS, type Backends } from './backends.ts';
export { runFixture, fixtureRunner, PRELOAD, type Run, type RunOptions, type RunExit } from './fixtures.ts';
export { loadPhase, loadSideBySide, type Phase } from './load.ts';
export { percentile } from './percentile.ts';
export { rssMb, rssPartsMb } from './proc.ts';
export { eventually } from './eventually.ts';
export { logLinesEventually } from './log-lines.ts';
export { lookback } from './window.ts';
export { sendTraces, otlpTraceBody, newTraceId, newSpanId, type TestSpan, type TestResourceSpans, type AttrValue } from './otlp.ts';
export { flood, pressure, type Driven } from './drive.ts';
export { validateJson } from './json-schema.ts';
export { runScript, runIncidentCommand, type ScriptResult } from './script.ts';
export { traceLoad, type TraceLoadOptions, type TraceLoadResult } from './trace-load.ts';
