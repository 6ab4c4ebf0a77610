// Random batches with random envelopes through the real ingest use case into DynamoDB Local: client input
// never makes ingest throw (a 500 that Segment clients retry), and whatever is stored fits a DynamoDB item.
import { beforeAll, describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { ingestMessages, type IngestDeps, type IngestRequest } from '../../functions/core/events/ingestMessages.js';
import { toEventItem } from '../../functions/adapters/aws/dynamodb/DynamoEventStore.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

const DYNAMODB_ITEM_BYTES = 400 * 1024;

/** DynamoDB's own size rule: attribute names plus values (UTF-8 strings, numbers at most 21 bytes). */
function itemBytes(item: Record<string, unknown>): number {
  let n = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    n += Buffer.byteLength(name) + (typeof value === 'number' ? 21 : Buffer.byteLength(String(value)));
  }
  return n;
}

/** Strings as hostile clients send them: unicode, lone surrogates, occasionally tens of KB. */
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
  fc.integer({ min: 1_000, max: 40_000 }).map((n) => 'x'.repeat(n)),
);
const jsonWith = (keys: fc.Arbitrary<string>) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      tie('object'),
    ),
    object: fc.dictionary(keys, tie('value'), { maxKeys: 5 }),
  })).object as fc.Arbitrary<Record<string, unknown>>;
/** What an app might send, money fields included. */
const json = jsonWith(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('total', 'price', 'value')));
/** What an attacker adds: keys that poison prototypes, any string as a key. */
const hostileJson = jsonWith(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'total', 'price')));
const when = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
const id = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');

const plausible = fc.record(
  {
    type: fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
    userId: id,
    anonymousId: id,
    previousId: id,
    groupId: id,
    messageId: id,
    event: fc.constantFrom('Order Completed', 'Product Viewed', 'Signed Up'),
    timestamp: when,
    properties: json,
    traits: json,
    context: json,
  },
  { requiredKeys: ['type', 'userId', 'previousId', 'groupId', 'event'] },
);
const hostile = fc.record(
  {
    type: fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias', 'other'),
    userId: fc.oneof(text, fc.integer()),
    anonymousId: text,
    previousId: text,
    groupId: text,
    messageId: text,
    event: text,
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      text,
    ),
    sentAt: when,
    properties: hostileJson,
    traits: hostileJson,
    context: fc.oneof(hostileJson, text),
    integrations: hostileJson,
  },
  { requiredKeys: ['type'] },
);
const message = fc.oneof({ arbitrary: plausible, weight: 4 }, { arbitrary: hostile, weight: 1 });
const envelope = fc.record(
  {
    context: fc.oneof(
      json,
      hostileJson,
      fc.record({ app: fc.record({ notes: fc.integer({ min: 0, max: 6_000 }).map((n) => 'c'.repeat(n)) }) }),
    ),
    integrations: json,
    sentAt: when,
  },
  { requiredKeys: [] },
);

describe('ingest fuzz', () => {
  it('answers random batches with random envelope contexts without throwing, storing only items DynamoDB keeps', async () => {
    let storedInAll = 0;
    let withEnvelopeContext = 0;
    await fc.assert(
      fc.asyncProperty(envelope, fc.array(message, { minLength: 1, maxLength: 12 }), async (env, batch) => {
        const text = JSON.stringify({ ...env, batch });
        const appended: StoredEvent[] = [];
        const deps: IngestDeps = {
          events: {
            ...t.adapters.events,
            append: async (events) => {
              appended.push(...events);
              await t.adapters.events.append(events);
            },
          },
          ingestErrors: t.adapters.ingestErrors,
          now: new Date('2026-11-23T10:00:10.000Z'),
          newMessageId: () => crypto.randomUUID(),
        };
        const bodyBytes = Buffer.byteLength(text);
        const request: IngestRequest = { endpoint: 'batch', body: JSON.parse(text), bodyBytes, writeKeyId: 'wk' };
        const outcome = await ingestMessages(request, deps);
        if (outcome.kind === 'stored') expect(outcome.stored + outcome.rejected.length).toBe(batch.length);
        else expect(['invalid_message', 'payload_too_large']).toContain(outcome.code);
        storedInAll += appended.length;
        if (env.context) withEnvelopeContext += appended.length;
        for (const event of appended) {
          expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(64 * 1024);
          expect(itemBytes(toEventItem(event, 90))).toBeLessThan(DYNAMODB_ITEM_BYTES);
        }
      }),
      { numRuns: 150, seed: 20261201 },
    );
    // A fuzz that only ever refuses proves nothing about what is stored.
    expect(storedInAll).toBeGreaterThan(50);
    expect(withEnvelopeContext).toBeGreaterThan(20);
  }, 240_000);

  it('refuses the reported attack whole: a 300 KB envelope context over 2,000 tiny messages stores nothing', async () => {
    const batch = Array.from({ length: 2000 }, (_, i) => ({ type: 'track', userId: `amp-${i}`, event: 'A' }));
    const text = JSON.stringify({ context: { traits: { pad: 'x'.repeat(300_000) } }, batch });
    const appended: StoredEvent[] = [];
    const outcome = await ingestMessages(
      { endpoint: 'batch', body: JSON.parse(text), bodyBytes: Buffer.byteLength(text), writeKeyId: 'wk' },
      {
        events: { ...t.adapters.events, append: async (events) => void appended.push(...events) },
        ingestErrors: t.adapters.ingestErrors,
        now: new Date('2026-11-23T10:00:10.000Z'),
        newMessageId: () => crypto.randomUUID(),
      },
    );
    expect(outcome).toMatchObject({ kind: 'refused', code: 'payload_too_large', field: 'context' });
    expect(appended).toHaveLength(0);
  });

  it('stores ids and names holding lone surrogates or any unicode without a store error', async () => {
    const odd = ['\ud800', 'a\udfffb', '😀\u0000', 'ß'.repeat(255)];
    const batch = odd.map((v, i) => ({
      type: 'track',
      userId: v,
      event: v.slice(0, 200),
      messageId: `${v.slice(0, 50)}-${i}`,
    }));
    const text = JSON.stringify({ batch });
    const outcome = await ingestMessages(
      { endpoint: 'batch', body: JSON.parse(text), bodyBytes: Buffer.byteLength(text), writeKeyId: 'wk' },
      {
        events: t.adapters.events,
        ingestErrors: t.adapters.ingestErrors,
        now: new Date('2026-11-23T10:00:10.000Z'),
        newMessageId: () => crypto.randomUUID(),
      },
    );
    expect(outcome).toMatchObject({ kind: 'stored', stored: odd.length, rejected: [] });
  });
});
