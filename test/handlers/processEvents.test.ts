import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { createProcessEventsHandler } from '../../functions/handlers/processEvents.js';
import { context, streamEvent, streamRecord } from '../support/awsEvents.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { storedEvent } from '../unit/builders.js';

let t: TestTables;
let processEvents: ReturnType<typeof createProcessEventsHandler>;

beforeAll(async () => {
  t = await freshTables();
  processEvents = createProcessEventsHandler(t.adapters);
});

const run = async (records: ReturnType<typeof streamRecord>[]) =>
  (await processEvents(streamEvent(records), context())) as DynamoDBBatchResponse;

async function profileOf(key: `u:${string}` | `a:${string}`) {
  const stored = await t.adapters.profiles.get(key);
  return stored?.kind === 'profile' ? stored.profile : undefined;
}

describe('process-events handler', () => {
  it('folds a batch of several customers into one profile each', async () => {
    const records = [
      streamRecord(storedEvent({ type: 'identify', userId: 'p1', traits: { email: 'p1@example.com' } })),
      streamRecord(storedEvent({ type: 'track', userId: 'p2', event: 'Order Completed', properties: { total: 5000 } })),
      streamRecord(
        storedEvent({ type: 'track', userId: 'p1', event: 'Order Completed', properties: { revenue: 12000 } }),
      ),
    ];
    expect(await run(records)).toEqual({ batchItemFailures: [] });
    expect((await profileOf('u:p1'))?.channels.email).toBe('p1@example.com');
    expect((await profileOf('u:p1'))?.computed.revenue).toBe(12000);
    expect((await profileOf('u:p2'))?.computed.orders).toBe(1);
  });

  it('is idempotent when Lambda delivers the same records again', async () => {
    const records = [
      streamRecord(
        storedEvent({ type: 'track', userId: 'again', event: 'Order Completed', properties: { total: 100 } }),
      ),
    ];
    await run(records);
    await run(records);
    expect((await profileOf('u:again'))?.computed.orders).toBe(1);
  });

  it('ignores anything but INSERT', async () => {
    await run([streamRecord(storedEvent({ type: 'identify', userId: 'modified', traits: { a: 1 } }), 'MODIFY')]);
    expect(await profileOf('u:modified')).toBeUndefined();
  });

  it('merges the anonymous history on identify and resolves later anonymous events', async () => {
    await run([
      streamRecord(
        storedEvent({
          type: 'track',
          anonymousId: 'device-9',
          event: 'Product Added',
          properties: { product_id: 'p1' },
        }),
      ),
    ]);
    await run([
      streamRecord(
        storedEvent({ type: 'identify', userId: 'known-9', anonymousId: 'device-9', traits: { name: 'Lee' } }),
      ),
    ]);
    await run([streamRecord(storedEvent({ type: 'track', anonymousId: 'device-9', event: 'Cart Viewed' }))]);
    const known = await profileOf('u:known-9');
    expect(known?.computed.eventCounts).toEqual({ 'Product Added': 1, 'Cart Viewed': 1 });
    expect(known?.computed.cart.items.map((i) => i.productId)).toEqual(['p1']);
    expect(await t.adapters.profiles.get('a:device-9')).toMatchObject({
      kind: 'tombstone',
      tombstone: { mergedInto: 'u:known-9' },
    });
  });

  it('reports an unreadable record by its sequence number and still applies the others', async () => {
    const good = streamRecord(storedEvent({ type: 'identify', userId: 'neighbour', traits: { ok: true } }));
    const bad = streamRecord(storedEvent({ type: 'identify', userId: 'poison' }));
    bad.dynamodb!.NewImage!.body = { S: '{not json' };
    const response = await run([bad, good]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.dynamodb!.SequenceNumber }]);
    expect((await profileOf('u:neighbour'))?.traits).toEqual({ ok: true });
  });
});
