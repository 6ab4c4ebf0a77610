import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { StreamPoller } from '../../functions/local/streamPoller.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { storedEvent } from '../unit/builders.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('StreamPoller (the local event source mapping)', () => {
  it('hands INSERTs to the handler, retries a reported failure, then dead-letters it and carries on', async () => {
    const seen: string[] = [];
    let poisonAttempts = 0;
    const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const failures = [];
      for (const record of event.Records) {
        const id = record.dynamodb!.NewImage!.messageId.S!;
        if (id === 'poison') {
          poisonAttempts++;
          failures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
          break; // like Lambda: everything after the first failure is retried anyway
        }
        seen.push(id);
      }
      return { batchItemFailures: failures };
    };
    const poller = new StreamPoller({
      endpoint: t.endpoint,
      tableName: t.tables.events,
      handler,
      maxRetries: 2,
      idleMs: 20,
    });
    await poller.start();
    for (const messageId of ['first', 'poison', 'last']) {
      await t.adapters.events.append([storedEvent({ type: 'track', userId: 'stream', event: 'A', messageId })]);
    }
    // Writing the same event again is a MODIFY or nothing at all: never a second INSERT.
    await t.adapters.events.append([
      storedEvent({
        type: 'track',
        userId: 'stream',
        event: 'A',
        messageId: 'first',
        receivedAt: '2026-11-23T12:00:00.000Z',
      }),
    ]);
    await poller.drain();
    await poller.stop();
    expect(seen.filter((id) => id === 'first')).toHaveLength(1);
    expect(seen).toContain('last');
    expect(poisonAttempts).toBe(3);
    expect(poller.deadLetters).toHaveLength(1);
  });
});
