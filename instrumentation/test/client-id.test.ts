import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ClientIdPropagator,
  clientIdOf,
  sanitizeClientId,
  unwatchInboundRequests,
  watchInboundRequests,
  withClientId,
} from '../src/spans/client-id.ts';

describe('sanitizeClientId', () => {
  it('keeps a clean ID as it is', () => {
    assert.equal(sanitizeClientId('team-17', 64), 'team-17');
    assert.equal(sanitizeClientId('svc.billing:eu/1@x_y', 64), 'svc.billing:eu/1@x_y');
  });
  it('trims, keeps the first of a list, replaces unsafe characters, truncates', () => {
    assert.equal(sanitizeClientId('  team-1  ', 64), 'team-1');
    assert.equal(sanitizeClientId('a, b', 64), 'a');
    assert.equal(sanitizeClientId(['first', 'second'], 64), 'first');
    assert.equal(sanitizeClientId('évil\u0000<script>', 64), '_vil__script_');
    assert.equal(sanitizeClientId('x'.repeat(500), 10), 'x'.repeat(10));
  });
  it('gives undefined for nothing usable', () => {
    for (const v of [undefined, null, 42, '', '   ', ',', [], 'unknown']) assert.equal(sanitizeClientId(v, 64), undefined);
  });
});

describe('ClientIdPropagator', () => {
  const composite = (edge: boolean) =>
    new CompositePropagator({
      propagators: [
        new W3CTraceContextPropagator(),
        new W3CBaggagePropagator(),
        new ClientIdPropagator({ edge, header: 'x-client-id', maxLength: 16 }),
      ],
    });

  // A real HTTP server: the handler extracts from req.headers exactly as the HTTP
  // instrumentation does inside `server.emit('request')`.
  let server: http.Server;
  let port = 0;
  let propagator = composite(true);
  let seen: Context[] = [];
  before(async () => {
    watchInboundRequests();
    server = http.createServer((req, res) => {
      seen.push(propagator.extract(ROOT_CONTEXT, req.headers, { get: (c, k) => (c as any)[k], keys: (c) => Object.keys(c as object) }));
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
    unwatchInboundRequests();
  });
  async function send(headers: Record<string, string | string[]>): Promise<string> {
    seen = [];
    await new Promise<void>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, headers }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    return clientIdOf(seen[0]!);
  }

  it('at the edge takes the client ID from the header', async () => {
    propagator = composite(true);
    assert.equal(await send({ 'x-client-id': 'team-03' }), 'team-03');
  });
  it('at the edge ignores a client.id sent in inbound baggage (spoofing)', async () => {
    propagator = composite(true);
    assert.equal(await send({ baggage: 'client.id=team-admin' }), 'unknown');
    assert.equal(await send({ baggage: 'client.id=team-admin,other=1', 'x-client-id': 'team-04' }), 'team-04');
    // other baggage entries are left alone
    const bag = propagation.getBaggage(seen[0]!);
    assert.equal(bag?.getEntry('other')?.value, '1');
  });
  it('at the edge sanitises and truncates the header', async () => {
    propagator = composite(true);
    assert.equal(await send({ 'x-client-id': ' team<>;"-xxxxxxxxxxxxxxxxxxxx' }), 'team____-xxxxxxx');
  });
  it('behind the edge trusts baggage from the caller and ignores the header', async () => {
    propagator = composite(false);
    assert.equal(await send({ baggage: 'client.id=team-05', 'x-client-id': 'team-06' }), 'team-05');
    assert.equal(await send({ 'x-client-id': 'team-06' }), 'unknown');
  });
  it('behind the edge still sanitises baggage values', async () => {
    propagator = composite(false);
    assert.equal(await send({ baggage: 'client.id=a%3Cb%3E' }), 'a_b_');
  });
  it('trusts non-HTTP carriers (job metadata) even at the edge', () => {
    const p = composite(true);
    const ctx = p.extract(
      ROOT_CONTEXT,
      { baggage: 'client.id=team-07' },
      { get: (c, k) => (c as any)[k], keys: (c) => Object.keys(c as object) },
    );
    assert.equal(clientIdOf(ctx), 'team-07');
  });
  it('round-trips through inject and extract between two services', () => {
    const edge = composite(true);
    const carrier: Record<string, string> = {};
    edge.inject(withClientId(ROOT_CONTEXT, 'team-08'), carrier, { set: (c, k, v) => ((c as any)[k] = v) });
    assert.match(carrier['baggage'] ?? '', /client\.id=team-08/);
    const internal = composite(false);
    const ctx = internal.extract(ROOT_CONTEXT, carrier, { get: (c, k) => (c as any)[k], keys: (c) => Object.keys(c as object) });
    assert.equal(clientIdOf(ctx), 'team-08');
    assert.equal(clientIdOf(context.active()), 'unknown');
  });
});
