/**
 * A consumer group's lag on a topic: for each partition, the log end offset minus the group's
 * committed offset (a partition the group never committed counts from its earliest offset), summed.
 * Read with kafkajs' admin client, the way `kafka-consumer-groups --describe` computes it.
 * On Node 24, kafkajs 2.2.4 prints one `TimeoutNegativeWarning` per process (its request queue schedules
 * `throttledUntil - Date.now()` with `throttledUntil` still 0: kafkajs issue 1751, harmless; Node clamps
 * the delay to 1 ms).
 */
import { Kafka, logLevel } from 'kafkajs';

/** The lag of `group` on `topic` at one moment. */
export interface ConsumerLag {
  /** Messages written to the topic and not yet committed by the group, all partitions. */
  total: number;
  /** Per partition: end offset − committed offset. */
  partitions: Record<number, number>;
}

/**
 * Reads `group`'s lag on `topic` from the broker at `broker` (`host:port`).
 * @throws Error if the broker cannot be reached within 10 s or the topic does not exist.
 */
export async function consumerLag(broker: string, group: string, topic: string): Promise<ConsumerLag> {
  const kafka = new Kafka({
    clientId: 'faultline-lag',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 1 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    const partitions: Record<number, number> = {};
    let total = 0;
    for (const e of ends) {
      const c = byPartition.get(e.partition) ?? -1;
      const from = c >= 0 ? c : Number(e.low);
      const lag = Math.max(0, Number(e.high) - from);
      partitions[e.partition] = lag;
      total += lag;
    }
    return { total, partitions };
  } finally {
    await admin.disconnect();
  }
}
