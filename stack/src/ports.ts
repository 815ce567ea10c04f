/** TCP ports on 127.0.0.1: is one free, fail clearly if not, and pick free ones for tests. */
import net from 'node:net';

/** Resolves `true` if nothing listens on `host:port` (tries to listen there). Default host 127.0.0.1. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * The lowest port of Linux's default ephemeral range (`net.ipv4.ip_local_port_range`, 32768–60999; IANA's
 * dynamic range, which other systems use, is 49152–65535). The kernel gives any outgoing connection a
 * local port from that range, so a fixed listening port inside it can be held by some client's socket
 * at the moment a service starts (the native stack's PostgreSQL and Redis were at 55432 and 56379, and a
 * CI run's stack start failed on "port 55433 … is already in use"). Every fixed port of the stack is below it.
 */
export const EPHEMERAL_PORTS_FROM = 32768;

/** @throws Error naming `what` and the port if something already listens on `127.0.0.1:port`. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} (${what}) is already in use on 127.0.0.1: is another faultline stack running? (see: ss -ltnp 'sport = :${port}')`,
    );
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice), for tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `n` distinct TCP ports on 127.0.0.1 that were free a moment ago (all held open together while chosen). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const srv = net.createServer();
          srv.once('error', reject);
          srv.listen({ port: 0, host: '127.0.0.1' }, () => resolve(srv));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/**
 * `n` distinct TCP ports on 127.0.0.1 that were free a moment ago, none of them in `taken`: the ports a
 * caller chose before and has not bound yet. The kernel may hand out again a port that {@link freePort}
 * just closed (seen once in CI: a Kafka controller port equal to the broker port chosen a moment before
 * for the same broker, and its storage format refusing the duplicate listener).
 * @param n - how many ports, ≥ 1.
 * @param taken - ports the result must not contain.
 * @param pick - where candidates come from (default {@link freePorts}; tests pass a fixed sequence).
 * @throws Error if 100 picks in a row all hit `taken`.
 */
export async function freePortsExcept(
  n: number,
  taken: readonly number[],
  pick: (n: number) => Promise<number[]> = freePorts,
): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ports = await pick(n);
    if (!ports.some((p) => taken.includes(p))) return ports;
  }
  throw new Error(`no ${n} free port(s) other than ${taken.join(', ')} in 100 picks`);
}
