// A bench app of another shape than the demo api, written for the bench and not tuned on:
// plain node:http (no framework), and per request one Redis read (ioredis), one PostgreSQL query
// through a pg.Pool (node-postgres' default max of 10 connections) and one outbound fetch to a
// local upstream (UPSTREAM_URL, started by the bench).
//
//   GET /quote/:id  →  { id, price, rate, at }      GET /healthz  →  ok
//
// Env: PORT, PG* (libpq variables), REDIS_URL, UPSTREAM_URL.
import { createServer } from 'node:http';
import pg from 'pg';
import { Redis } from 'ioredis';

const pool = new pg.Pool();
const redis = new Redis(process.env.REDIS_URL);
const upstream = process.env.UPSTREAM_URL;
const ITEMS = 1000;

// Every id has a price in Redis, so each request does exactly one read that hits.
await redis.mset(...Array.from({ length: ITEMS }, (_, i) => [`bench:price:${i + 1}`, String(100 + i)]).flat());

async function quote(id) {
  const price = await redis.get(`bench:price:${id}`);
  const { rows } = await pool.query('SELECT $1::int AS id, now() AS at', [id]);
  const rate = await (await fetch(`${upstream}/rate/${id}`)).json();
  return { id: rows[0].id, price: Number(price) * rate.rate, rate: rate.rate, at: rows[0].at };
}

const server = createServer((req, res) => {
  const m = /^\/quote\/(\d+)$/.exec(req.url ?? '');
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  if (!m || req.method !== 'GET') {
    res.writeHead(404).end();
    return;
  }
  quote(Number(m[1])).then(
    (q) => {
      const body = JSON.stringify(q);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    },
    (err) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err?.message ?? err));
    },
  );
});
server.listen(Number(process.env.PORT), '127.0.0.1');

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
});
