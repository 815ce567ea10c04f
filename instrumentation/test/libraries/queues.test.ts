/**
 * RabbitMQ (amqplib) and Kafka (kafkajs) with only `--import`, ESM and CommonJS: the client ID of the
 * request that published a message travels in the message headers (W3C Baggage) and the consumer's span
 * keeps it; a `client.id` forged in the request's own baggage is dropped at the edge and never reaches
 * the consumer. Message headers are trusted like BullMQ job metadata (context not from an inbound HTTP
 * request): a message published by anyone else with a baggage `client.id` is attributed to that
 * (sanitised) ID. Real RabbitMQ and Kafka servers on free ports.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { jaeger, type JaegerSpan } from '@faultline/signals';
import { freePort, startKafka, startRabbitMq, startTogether, type KafkaInstance, type RabbitMqInstance } from '@faultline/stack';
import { eventually, lookback, startBackends, type Backends } from '@faultline/testkit';
import { runFixture, type Run } from '../support/run.ts';

let backends: Backends;
let rabbit: RabbitMqInstance;
let kafka: KafkaInstance;
before(async () => {
  [backends, rabbit, kafka] = await startTogether([
    startBackends(),
    freePort().then((port) => startRabbitMq({ port })),
    freePort().then((port) => startKafka({ port })),
  ]);
  console.log(`RabbitMQ ready in ${rabbit.readyMs} ms, Kafka in ${kafka.readyMs} ms`);
});
after(async () => {
  await Promise.all([backends?.stop(), rabbit?.stop(), kafka?.stop()]);
});

/** Publishes `id` with `headers` from this (uninstrumented) process: a producer faultline does not know. */
async function publishForeign(queue: 'amqp' | 'kafka', name: string, id: string, headers: Record<string, string>): Promise<void> {
  if (queue === 'amqp') {
    const conn = await amqp.connect(rabbit.url);
    const ch = await conn.createChannel();
    ch.sendToQueue(name, Buffer.from(id), { headers });
    await ch.close();
    await conn.close();
    return;
  }
  const producer = new Kafka({ brokers: [kafka.broker], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic: name, messages: [{ value: id, headers }] });
  await producer.disconnect();
}

async function consumerSpans(service: string, client: string): Promise<JaegerSpan[]> {
  return eventually(
    `a consumer span of ${service} with client.id=${client}`,
    async () => {
      const traces = await jaeger.findTraces(backends.jaeger, { service, tags: { 'client.id': client } }, ...lookback(300), 10);
      const spans = traces.flatMap((t) => t.spans);
      return spans.some((s) => s.kind === 'consumer') ? spans : undefined;
    },
    30000,
    500,
  );
}

for (const queue of ['amqp', 'kafka'] as const) {
  for (const fixture of ['queue-app.mjs', 'queue-app.cjs']) {
    describe(`${queue === 'amqp' ? 'RabbitMQ (amqplib)' : 'Kafka (kafkajs)'}, ${fixture} with only --import`, () => {
      it("the consumer keeps the producer's client.id; forged baggage behaves as for BullMQ", async () => {
        const tag = `${queue}-${fixture.replace('.', '-')}`;
        const service = `fixture-${tag}`;
        const name = `faultline-${tag}`;
        if (queue === 'kafka') {
          const admin = new Kafka({ brokers: [kafka.broker], logLevel: logLevel.NOTHING }).admin();
          await admin.connect();
          await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: true });
          await admin.disconnect();
        }
        const run: Run = runFixture(fixture, {
          preload: true,
          env: {
            ...backends.env,
            OTEL_SERVICE_NAME: service,
            QUEUE: queue,
            QUEUE_NAME: name,
            AMQP_URL: rabbit.url,
            KAFKA_BROKER: kafka.broker,
          },
        });
        try {
          await run.waitFor('listening', 30000);
          const port = /listening (\d+)/.exec(run.stdout())![1]!;
          const client = `team-${tag}`;
          // The edge takes the client from x-client-id; the baggage entry anyone can send is dropped.
          const res = await fetch(`http://127.0.0.1:${port}/publish?id=from-request`, {
            headers: { 'x-client-id': client, baggage: 'client.id=forged-at-the-edge' },
          });
          assert.equal(res.status, 200);
          await run.waitFor('consumed from-request', 30000);
          const spans = await consumerSpans(service, client);
          const kinds = new Set(spans.map((s) => s.kind));
          assert.ok(kinds.has('producer') && kinds.has('consumer'), `producer and consumer spans in ${JSON.stringify([...kinds])}`);
          for (const s of spans) assert.equal(s.tags['client.id'], client, `client.id on ${s.kind} ${s.operation}`);

          // A producer faultline does not know: its baggage is trusted like a BullMQ job's metadata, sanitised.
          await publishForeign(queue, name, 'foreign', { baggage: 'client.id=mallory%20%3Cscript%3E' });
          await run.waitFor('consumed foreign', 30000);
          const foreign = await consumerSpans(service, 'mallory__script_');
          assert.ok(foreign.every((s) => s.tags['client.id'] === 'mallory__script_'));
          const forged = await jaeger.findTraces(
            backends.jaeger,
            { service, tags: { 'client.id': 'forged-at-the-edge' } },
            ...lookback(300),
            5,
          );
          assert.equal(forged.length, 0, 'the client.id forged in the request baggage reached a span');
        } finally {
          run.child.kill('SIGTERM');
          await run.exited;
        }
      });
    });
  }
}
