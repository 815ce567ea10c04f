/**
 * The api's HTTP routes (express 5). Every handler answers JSON; errors become a JSON 4xx/5xx and
 * never crash the process.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ITEM_COUNT } from '../shared/db.ts';
import { activeClientId } from '../shared/otel.ts';
import { PoolTimeoutError, type Db } from './db.ts';
import type { createItemStore } from './items.ts';
import { PartnerError, type createPartnerClient } from './partner-client.ts';
import type { createPriceStore } from './prices.ts';

/** What the routes need. */
export interface RouteDeps {
  instance: string;
  db: Db;
  items: ReturnType<typeof createItemStore>;
  prices: ReturnType<typeof createPriceStore>;
  partner: ReturnType<typeof createPartnerClient>;
  queue: Queue;
  healthTimeoutMs: number;
  log: Logger;
  /** Called at the start of every request (scenario hooks). */
  onRequest?: () => void;
}

const SYMBOLS = ['EUR', 'GBP', 'JPY', 'CHF', 'SEK'];

function itemId(raw: unknown): number | undefined {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= ITEM_COUNT ? n : undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Builds the express app. */
export function createApp(d: RouteDeps): express.Express {
  const app = express();
  if (d.onRequest) {
    const hook = d.onRequest;
    app.use((_req, _res, next) => {
      hook();
      next();
    });
  }
  app.use(express.json({ limit: '16kb' }));

  // Health: the pool must hand out a connection and run a query in time. A saturated pool fails
  // this check, which is what makes the load balancer eject the replica (the seed-1 cascade).
  app.get('/healthz', async (_req, res) => {
    try {
      await withTimeout(d.db.query('SELECT 1'), d.healthTimeoutMs);
      res.json({ status: 'ok', instance: d.instance });
    } catch (err) {
      res.status(503).json({ status: 'unhealthy', instance: d.instance, error: (err as Error).message });
    }
  });

  app.get('/v1/items/:id', async (req, res) => {
    const id = itemId(req.params['id']);
    if (id === undefined) return void res.status(400).json({ error: `id must be 1..${ITEM_COUNT}` });
    const { item, hit } = await d.items.get(id);
    if (!item) return void res.status(404).json({ error: 'no such item' });
    res.json({ item, cached: hit, instance: d.instance });
  });

  // Item details come from the cache, the stock level is always read live: every request is one
  // Redis read and one query (the overhead benchmark's endpoint).
  app.get('/v1/stock/:id', async (req, res) => {
    const id = itemId(req.params['id']);
    if (id === undefined) return void res.status(400).json({ error: `id must be 1..${ITEM_COUNT}` });
    const { item } = await d.items.get(id);
    if (!item) return void res.status(404).json({ error: 'no such item' });
    const { rows } = await d.db.query<{ stock: number }>('SELECT stock FROM items WHERE id = $1', [id]);
    res.json({ id, name: item.name, stock: rows[0]?.stock ?? 0, instance: d.instance });
  });

  // The calling client's own price for an item: one Redis HGETALL per request, PostgreSQL on a miss.
  app.get('/v1/prices/:id', async (req, res) => {
    const id = itemId(req.params['id']);
    if (id === undefined) return void res.status(400).json({ error: `id must be 1..${ITEM_COUNT}` });
    const client = activeClientId() ?? req.get('x-client-id') ?? 'unknown';
    const { price, hit } = await d.prices.get(client, id);
    if (!price) return void res.status(404).json({ error: 'no such item' });
    res.json({ ...price, cached: hit, instance: d.instance });
  });

  app.get('/v1/quote/:symbol', async (req, res) => {
    const symbol = String(req.params['symbol']).toUpperCase();
    const rate = await d.partner.rate(symbol);
    res.json({ symbol, rate, instance: d.instance });
  });

  // An order touches everything: the item through the cache, a quote from the partner, an insert
  // through the pool, and a background job for the worker.
  app.post('/v1/orders', async (req: Request, res: Response) => {
    const id = itemId(req.body?.itemId);
    const qty = Number(req.body?.qty ?? 1);
    if (id === undefined || !Number.isInteger(qty) || qty < 1 || qty > 100) {
      return void res.status(400).json({ error: 'body must be {itemId: 1..1000, qty: 1..100}' });
    }
    const { item } = await d.items.get(id);
    if (!item) return void res.status(404).json({ error: 'no such item' });
    const rate = await d.partner.rate(SYMBOLS[id % SYMBOLS.length]!);
    const total = (Number(item.price) * qty * rate).toFixed(2);
    const { rows } = await d.db.query<{ id: string }>(
      'INSERT INTO orders (item_id, qty, client, total) VALUES ($1, $2, $3, $4) RETURNING id',
      [id, qty, req.get('x-client-id') ?? null, total],
    );
    const orderId = rows[0]!.id;
    await d.queue.add('process-order', { orderId }, { removeOnComplete: 1000, removeOnFail: 1000 });
    res.status(202).json({ orderId, total, instance: d.instance });
  });

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof PartnerError ? 502 : ((err as { status?: number }).status ?? 500);
    // A pool timeout was logged where it happened (db.ts), with its wait.
    if (status >= 500 && !(err instanceof PoolTimeoutError)) d.log.warn({ err: err.message }, 'request failed');
    res.status(status).json({ error: err.message });
  });
  return app;
}
