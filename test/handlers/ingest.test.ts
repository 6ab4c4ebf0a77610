import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createIngestHandler } from '../../functions/handlers/ingest.js';
import { provisionCredential } from '../../functions/core/credentials/issueCredential.js';
import { basicAuth, context, httpEvent } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

const WRITE_KEY = 'wk_ingest-test-key';
let t: TestTables;
let ingest: ReturnType<typeof createIngestHandler>;

beforeAll(async () => {
  t = await freshTables({ clock: fixedClock('2026-11-23T10:00:10.000Z') });
  await provisionCredential('write-key', 'test', WRITE_KEY, t.adapters);
  ingest = createIngestHandler(t.adapters);
});

async function post(path: string, body: unknown, headers: Record<string, string> = basicAuth(WRITE_KEY)) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const result = (await ingest(
    httpEvent({ method: 'POST', path, body: raw, headers }),
    context(),
  )) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

const stored = (userId: string) => t.adapters.events.listRecent([`u:${userId}`], 100);

describe('ingest handler', () => {
  it('stores a track call and answers like Segment', async () => {
    const res = await post('/v1/track', {
      userId: 'track-1',
      event: 'Signed Up',
      messageId: 'm1',
      timestamp: '2026-11-23T10:00:00Z',
      sentAt: '2026-11-23T10:00:05Z',
    });
    expect(res).toEqual({ status: 200, body: { success: true, rejected: [] } });
    const [event] = await stored('track-1');
    expect(event).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      timestamp: '2026-11-23T10:00:05.000Z',
      sk: '2026-11-23T10:00:00.000Z#m1',
    });
  });

  it('accepts the write key as "writeKey" in the body', async () => {
    const res = await post('/v1/identify', { writeKey: WRITE_KEY, userId: 'body-key', traits: { a: 1 } }, {});
    expect(res.status).toBe(200);
  });

  it('answers 401 for a missing or unknown write key and stores nothing', async () => {
    expect((await post('/v1/track', { userId: 'nokey', event: 'A' }, {})).status).toBe(401);
    const unknown = await post('/v1/track', { userId: 'nokey', event: 'A' }, basicAuth('wk_wrong'));
    expect(unknown).toMatchObject({ status: 401, body: { error: { message: 'unknown write key' } } });
    expect(await stored('nokey')).toEqual([]);
  });

  it('answers 400 naming the field for an invalid single message and stores nothing', async () => {
    const res = await post('/v1/track', { userId: 'bad-1', event: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_message', field: 'event' });
    expect(res.body.error.message).toMatch(/^event: /);
    expect(await stored('bad-1')).toEqual([]);
  });

  it('stores the valid messages of a batch and names each rejected one', async () => {
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'batch-1', event: 'A', messageId: 'ok-1' },
        { type: 'track', userId: 'batch-1', messageId: 'no-event' },
        { type: 'identify', userId: 'batch-1', traits: { name: 'Kim' }, messageId: 'ok-2' },
        JSON.parse('{"type":"track","userId":"batch-1","event":"B","properties":{"__proto__":{"x":1}}}'),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.rejected).toEqual([
      { index: 1, messageId: 'no-event', error: 'batch[1].event: Invalid input: expected string, received undefined' },
      { index: 3, error: 'batch[3].properties.__proto__: the key "__proto__" is not allowed' },
    ]);
    expect((await stored('batch-1')).map((e) => e.messageId).sort()).toEqual(['ok-1', 'ok-2']);
    const log = await t.adapters.ingestErrors.listRecent(10);
    expect(
      log
        .filter((e) => e.path === '/v1/batch')
        .map((e) => e.index)
        .sort(),
    ).toEqual([1, 3]);
  });

  it('answers 400 when no message of a batch is valid', async () => {
    const res = await post('/v1/batch', { batch: [{ type: 'track', event: 'A' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no valid message/);
  });

  it('refuses oversized bodies and too many messages, naming the limit', async () => {
    const big = await post('/v1/track', { userId: 'big', event: 'A', properties: { s: 'x'.repeat(40_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/32 KB/);
    const huge = await post('/v1/batch', {
      batch: [{ type: 'track', userId: 'big', event: 'A', properties: { s: 'x'.repeat(600_000) } }],
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/500 KB/);
    const many = await post('/v1/batch', {
      batch: Array.from({ length: 2501 }, () => ({ type: 'page', userId: 'x' })),
    });
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/2,500/);
  });

  it.each([
    ['non-JSON', 'userId=1&event=A', { 'content-type': 'application/json' }, 400, /not valid JSON/],
    [
      'a form content type',
      '{"userId":"x","event":"A"}',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      /application\/json/,
    ],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), {}, 400, /UTF-8/],
    [
      'deep nesting',
      `{"userId":"x","event":"A","properties":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
      {},
      400,
      /nesting deeper than 32/,
    ],
    ['an empty body', '', {}, 400, /empty/],
    ['a JSON array', '[1,2]', {}, 400, /JSON object/],
  ])('answers 4xx, never 5xx, for %s', async (_name, body, headers, status, message) => {
    const res = await post('/v1/track', body, { ...basicAuth(WRITE_KEY), ...headers });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('rejects one deeply nested message of a batch without a 5xx and keeps its neighbours', async () => {
    const deep = `{"type":"track","userId":"deep","event":"A","properties":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const body = `{"batch":[${deep},{"type":"track","userId":"deep","event":"B"}]}`;
    const res = await post('/v1/batch', body);
    expect(res.status).toBe(200);
    expect(res.body.rejected[0].error).toMatch(/^batch\[0\]\.properties(\[0\])+: nesting deeper than 32 levels$/);
    expect((await stored('deep')).map((e) => e.event)).toEqual(['B']);
  });

  it('answers 503 so the client retries when the table refuses writes', async () => {
    const broken = createIngestHandler({
      ...t.adapters,
      events: {
        ...t.adapters.events,
        append: async () => {
          const { StoreUnavailableError } = await import('../../functions/core/errors.js');
          throw new StoreUnavailableError('Events throttled');
        },
      },
    });
    const result = (await broken(
      httpEvent({
        method: 'POST',
        path: '/v1/track',
        body: JSON.stringify({ userId: 'u', event: 'A' }),
        headers: basicAuth(WRITE_KEY),
      }),
      context(),
    )) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('1');
  });
});
