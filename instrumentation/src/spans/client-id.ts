/**
 * Client identity: where a request's client ID comes from, how it is cleaned, and how it
 * travels between services.
 *
 * Trust model (see the package README, "Client ID"):
 * - At the edge (`FAULTLINE_EDGE=true`) the client ID of an inbound HTTP request is taken
 *   only from the configured header; a `client.id` entry in inbound W3C Baggage is dropped,
 *   because anyone outside can send a `baggage` header.
 * - Behind the edge (`FAULTLINE_EDGE=false`) the client ID is taken from W3C Baggage, which
 *   faultline-instrumented callers send (https://www.w3.org/TR/baggage/).
 * - Context extracted from anything that is not an inbound HTTP request (for example a
 *   BullMQ job's metadata, written by our own producer) is trusted in both modes.
 * Every value is sanitised wherever it enters.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { propagation, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { BAGGAGE_CLIENT_ID, CLIENT_ID_UNKNOWN } from '../semconv.ts';

const SAFE_ID = /^[A-Za-z0-9._:@/-]+$/;
const UNSAFE_CHAR = /[^A-Za-z0-9._:@/-]/g;

/**
 * Cleans an untrusted client ID.
 *
 * Keeps the first value of a list (`"a, b"` or a repeated header → `"a"`), trims white
 * space, replaces every character outside `A-Z a-z 0-9 . _ : @ / -` with `_`, and truncates
 * to `maxLength` characters.
 *
 * @param raw - a header or baggage value: string, array of strings (repeated header), or anything else.
 * @param maxLength - maximum length in UTF-16 code units, ≥ 1.
 * @returns the cleaned ID, or `undefined` when nothing usable is left (then spans say `"unknown"`).
 */
export function sanitizeClientId(raw: unknown, maxLength: number): string | undefined {
  let v: unknown = raw;
  if (Array.isArray(v)) v = v[0];
  if (typeof v !== 'string') return undefined;
  const comma = v.indexOf(',');
  if (comma >= 0) v = (v as string).slice(0, comma);
  let s = (v as string).trim();
  if (s.length === 0) return undefined;
  if (s.length > maxLength) s = s.slice(0, maxLength);
  if (!SAFE_ID.test(s)) s = s.replace(UNSAFE_CHAR, '_');
  if (s === CLIENT_ID_UNKNOWN) return undefined;
  return s;
}

/**
 * The client ID in a context, as every span of that context should carry it.
 * @param ctx - any OpenTelemetry context.
 * @returns the baggage entry `client.id`, or `"unknown"`.
 */
export function clientIdOf(ctx: Context): string {
  return propagation.getBaggage(ctx)?.getEntry(BAGGAGE_CLIENT_ID)?.value ?? CLIENT_ID_UNKNOWN;
}

/**
 * Returns `ctx` with its baggage entry `client.id` set to `id` (or removed when `id` is
 * undefined). Use it to attribute work started outside a request (cron, queue consumers
 * of foreign messages) to a client.
 */
export function withClientId(ctx: Context, id: string | undefined): Context {
  let bag = propagation.getBaggage(ctx);
  if (bag) bag = bag.removeEntry(BAGGAGE_CLIENT_ID);
  if (id !== undefined) bag = (bag ?? propagation.createBaggage()).setEntry(BAGGAGE_CLIENT_ID, { value: id });
  return bag ? propagation.setBaggage(ctx, bag) : ctx;
}

// The headers object of the HTTP request Node is about to dispatch. Node publishes
// `http.server.request.start` synchronously just before `server.emit('request')`, inside
// which the HTTP instrumentation extracts context from `request.headers`; matching the
// carrier by identity tells an inbound HTTP request from any other carrier.
let inboundHeaders: object | undefined;
let listening = false;

function onRequestStart(message: unknown): void {
  const req = (message as { request?: { headers?: object } } | undefined)?.request;
  inboundHeaders = req?.headers;
}

/** Starts watching inbound HTTP requests (idempotent). */
export function watchInboundRequests(): void {
  if (listening) return;
  listening = true;
  diagnosticsChannel.subscribe('http.server.request.start', onRequestStart);
}

/** Stops watching inbound HTTP requests (tests, shutdown). */
export function unwatchInboundRequests(): void {
  if (!listening) return;
  listening = false;
  inboundHeaders = undefined;
  diagnosticsChannel.unsubscribe('http.server.request.start', onRequestStart);
}

/** Options of {@link ClientIdPropagator}; see `FaultlineConfig` for meaning and defaults. */
export interface ClientIdPropagatorOptions {
  /** This service is the edge: inbound HTTP requests are identified by header only. */
  readonly edge: boolean;
  /** Lower-case header name, e.g. `x-client-id`. */
  readonly header: string;
  /** Maximum client ID length. */
  readonly maxLength: number;
}

/**
 * A TextMapPropagator that runs after the W3C Baggage propagator and applies the trust
 * model above to the `client.id` baggage entry. It injects nothing itself: the W3C Baggage
 * propagator carries the entry downstream.
 */
export class ClientIdPropagator implements TextMapPropagator {
  readonly #edge: boolean;
  readonly #header: string;
  readonly #maxLength: number;

  /** @param options - the trust mode, header and length limit (from `FaultlineConfig`). */
  constructor(options: ClientIdPropagatorOptions) {
    this.#edge = options.edge;
    this.#header = options.header;
    this.#maxLength = options.maxLength;
  }

  inject(_context: Context, _carrier: unknown, _setter: TextMapSetter): void {}

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const inbound = carrier !== undefined && carrier !== null && carrier === inboundHeaders;
    if (inbound) inboundHeaders = undefined;
    if (this.#edge && inbound) {
      return withClientId(ctx, sanitizeClientId(getter.get(carrier, this.#header), this.#maxLength));
    }
    const current = propagation.getBaggage(ctx)?.getEntry(BAGGAGE_CLIENT_ID)?.value;
    if (current === undefined) return ctx;
    const clean = sanitizeClientId(current, this.#maxLength);
    return clean === current ? ctx : withClientId(ctx, clean);
  }

  fields(): string[] {
    return [];
  }
}
