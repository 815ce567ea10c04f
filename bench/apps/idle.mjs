// The smallest app: a node:http server that answers nothing. Once it listens and 1.5 s have passed (the
// preload's start-up work done), three full GCs, then one line of JSON: RSS and live heap, MB. Run with
// --expose-gc by bench/startup-memory.ts.
import http from 'node:http';

const server = http.createServer((_req, res) => res.end('ok'));
server.listen(0, '127.0.0.1', async () => {
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576 })}\n`);
  server.close();
  process.exit(0);
});
