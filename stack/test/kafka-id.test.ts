/**
 * The KRaft cluster ID given to `kafka-storage format -t`: never starting with `-` (the tool's argument
 * parser reads such an ID as an option; a CI run lost its Kafka tests to one), always 22 base64url
 * characters. No broker is started.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kafkaClusterId } from '../src/kafka.ts';

describe('kafkaClusterId', () => {
  it('draws again when the ID would start with "-" (first byte 0xf8–0xfb in base64url)', () => {
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x41)];
    assert.equal(draws[0]!.toString('base64url')[0], '-');
    let calls = 0;
    const id = kafkaClusterId(() => draws[calls++]!);
    assert.equal(calls, 2);
    assert.equal(id, draws[1]!.toString('base64url'));
  });

  it('gives 22 base64url characters, never a leading "-", over 5000 random draws', () => {
    for (let i = 0; i < 5000; i++) {
      const id = kafkaClusterId();
      assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
