import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadSideBySide } from '../src/load.ts';

/** A loopback server that answers after `delayMs` (status `status`) and counts requests. */
function server(delayMs: number, status = 200): { srv: http.Server; hits: () => number } {
  let n = 0;
  const srv = http.createServer((_req, res) => {
    n++;
    setTimeout(() => res.writeHead(status).end('ok'), delayMs);
  });
  return { srv, hits: () => n };
}

const fast = server(0);
const slow = server(20);
const failing = server(0, 503);
const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;

before(async () => {
  for (const s of [fast, slow, failing]) await new Promise<void>((r) => s.srv.listen(0, '127.0.0.1', r));
});
after(async () => {
  for (const s of [fast, slow, failing]) await new Promise<void>((r) => s.srv.close(() => r()));
});

describe('loadSideBySide', () => {
  it('sends the same paced load to every target and summarises each in the order given', async () => {
    const [s, f, e] = await loadSideBySide([url(slow.srv), url(fast.srv), url(failing.srv)], 1000, 100, 4);
    // 100 req/s to each for 1 s, 4 workers: about 100 each, the same number to every target.
    assert.equal(s!.requests, f!.requests);
    assert.equal(f!.requests, e!.requests);
    assert.ok(f!.requests >= 60 && f!.requests <= 110, `${f!.requests} requests`);
    assert.equal(slow.hits(), s!.requests);
    assert.ok(s!.p50 >= 19 && f!.p50 < 19, `slow p50 ${s!.p50} ms, fast p50 ${f!.p50} ms`);
    assert.equal(s!.errors, 0);
    assert.equal(e!.errors, e!.requests);
  });
});
