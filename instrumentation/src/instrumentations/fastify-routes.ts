/**
 * `http.route` for fastify 5, with no span of its own: fastify publishes the `fastify.request.handler`
 * tracing channel (node:diagnostics_channel) before each route handler, with the route's pattern
 * (`/items/:id`); faultline hands that pattern to the HTTP instrumentation's RPC metadata of the request,
 * which sets `http.route` and names the server span `GET /items/:id` (as the express instrumentation does).
 *
 * Why not `@fastify/otel` (the Fastify project's instrumentation) or contrib's
 * `@opentelemetry/instrumentation-fastify`: at their newest versions (0.21.2 and 0.57.0)
 * both pin `@opentelemetry/instrumentation` 0.2xx and `core` 2, which would put a second copy of the
 * OpenTelemetry packages into every app; both also make spans of their own for hooks and handlers. The channel costs one
 * subscriber call per request and only once fastify is loaded (the subscription is made in the module
 * hook, so an app without fastify pays nothing).
 */
import diagnostics from 'node:diagnostics_channel';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { VERSION } from '../version.ts';

/** fastify versions that publish the `fastify.request.handler` tracing channel with the route. */
export const SUPPORTED_FASTIFY = ['>=5.0.0 <6'];

/** The channel fastify publishes on before a route handler runs (`tracingChannel('fastify.request.handler').start`). */
export const FASTIFY_HANDLER_START = 'tracing:fastify.request.handler:start';

interface HandlerStore {
  readonly route?: { readonly url?: unknown };
}

/** Sets the route of the active HTTP request from fastify's message. Never throws. */
function onHandlerStart(message: unknown): void {
  try {
    const url = (message as HandlerStore | undefined)?.route?.url;
    const rpc = getRPCMetadata(context.active());
    if (typeof url === 'string' && rpc?.type === RPCType.HTTP) rpc.route = url;
  } catch {
    // never in the app's way
  }
}

/**
 * Subscribes to fastify's handler channel once fastify (in {@link SUPPORTED_FASTIFY}) is loaded, and
 * unsubscribes on `disable()`. Scope `@faultline/fastify-routes`.
 */
export class FastifyRoutes extends InstrumentationBase {
  #subscribed = false;

  constructor() {
    super('@faultline/fastify-routes', VERSION, {});
  }

  protected override init() {
    return [
      new InstrumentationNodeModuleDefinition(
        'fastify',
        SUPPORTED_FASTIFY,
        (exports: unknown) => {
          if (!this.#subscribed) diagnostics.subscribe(FASTIFY_HANDLER_START, onHandlerStart);
          this.#subscribed = true;
          return exports;
        },
        (exports: unknown) => {
          if (this.#subscribed) diagnostics.unsubscribe(FASTIFY_HANDLER_START, onHandlerStart);
          this.#subscribed = false;
          return exports;
        },
      ),
    ];
  }
}
