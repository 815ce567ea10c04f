/**
 * Preloaded (`--import`) by `scripts/run.sh` into `node --test` and so into each test file's child process.
 * A child streams its results to the runner over a pipe, and `--test-force-exit` ends it with
 * `process.exit()` while the last frames may still sit in that non-blocking pipe: the runner then reports
 * fewer tests than ran, with `fail 0` (nodejs/node issue 64833; seen here as the last 6 tests of
 * cli/test/rank.test.ts missing from a passing run). A child's exit code still carries a failure, so no
 * failing test passed unseen, but the counts and names were lost. Blocking writes to the pipe leave nothing
 * behind at the exit. Only in the test children (`NODE_TEST_CONTEXT` is the runner's, `argv[1]` a test file),
 * not in the processes that tests start.
 */
if (process.env['NODE_TEST_CONTEXT'] === 'child-v8' && /\.(test|suite)\.ts$/.test(process.argv[1] ?? '')) {
  // the pipe's libuv handle (net.Socket has no public setBlocking; Node's own tty and net modules do this before an exit)
  process.stdout._handle?.setBlocking?.(true);
}
