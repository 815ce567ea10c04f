/**
 * The part of autocannon's programmatic API (v8, which ships no types; DefinitelyTyped's are for v7)
 * that bench/load.ts uses: https://github.com/mcollina/autocannon#api
 */
declare module 'autocannon' {
  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    /** Called before each request; returns the request to send. */
    setupRequest?: (req: { path?: string }) => { path?: string };
  }
  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    requests?: Request[];
  }
  interface Result {
    /** Seconds measured. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  interface Instance extends PromiseLike<Result> {
    /** One response: its client, status code, bytes and response time in ms. */
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
  }
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
