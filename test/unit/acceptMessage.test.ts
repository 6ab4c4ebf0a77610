import { describe, expect, it } from 'vitest';
import { acceptMessage, describeRejection, type AcceptContext } from '../../functions/core/events/acceptMessage.js';

const receivedAt = new Date('2026-11-23T10:00:10.000Z');
const ctx: AcceptContext = { receivedAt, writeKeyId: 'wk1', newMessageId: () => 'generated-id' };

function accept(raw: unknown, extra: Partial<AcceptContext> = {}) {
  return acceptMessage(raw, { ...ctx, ...extra });
}

function rejection(raw: unknown, extra: Partial<AcceptContext> = {}) {
  const result = accept(raw, extra);
  if (result.ok) throw new Error('expected a rejection');
  return { ...result.rejection, text: describeRejection(result.rejection) };
}

describe('acceptMessage', () => {
  it('corrects clock skew as receivedAt - (sentAt - timestamp) but keys the event by the client timestamp', () => {
    const result = accept({
      type: 'track',
      event: 'Signed Up',
      userId: 'u1',
      messageId: 'm1',
      timestamp: '2026-11-23T09:00:00.000Z',
      sentAt: '2026-11-23T09:00:05.000Z',
    });
    expect(result.ok && result.event).toMatchObject({
      userKey: 'u:u1',
      sk: '2026-11-23T09:00:00.000Z#m1',
      timestamp: '2026-11-23T10:00:05.000Z',
      clientTimestamp: '2026-11-23T09:00:00.000Z',
      receivedAt: '2026-11-23T10:00:10.000Z',
      writeKeyId: 'wk1',
    });
  });

  it('keeps the same key when a retry arrives later with a new sentAt', () => {
    const message = {
      type: 'track',
      event: 'A',
      userId: 'u1',
      messageId: 'm1',
      timestamp: '2026-11-23T09:00:00+09:00',
    };
    const first = accept({ ...message, sentAt: '2026-11-23T09:00:01+09:00' });
    const retry = accept(
      { ...message, sentAt: '2026-11-23T09:05:01+09:00' },
      { receivedAt: new Date('2026-11-23T10:05:11Z') },
    );
    expect(first.ok && retry.ok).toBe(true);
    if (first.ok && retry.ok) {
      expect(retry.event.sk).toBe(first.event.sk);
      expect(first.event.sk).toBe('2026-11-23T00:00:00.000Z#m1');
    }
  });

  it('uses originalTimestamp when timestamp is absent, and receivedAt when both are', () => {
    const withOriginal = accept({
      type: 'page',
      anonymousId: 'a1',
      messageId: 'm',
      originalTimestamp: '2026-11-23T08:00:00Z',
    });
    expect(withOriginal.ok && withOriginal.event.timestamp).toBe('2026-11-23T08:00:00.000Z');
    const bare = accept({ type: 'page', anonymousId: 'a1' });
    expect(bare.ok && bare.event).toMatchObject({
      userKey: 'a:a1',
      timestamp: receivedAt.toISOString(),
      messageId: 'generated-id',
    });
  });

  it('prefers the userId over the anonymousId for the partition and stringifies numeric ids', () => {
    const result = accept({ type: 'identify', userId: 42, anonymousId: 'dev-1', traits: { name: 'Kim' } });
    expect(result.ok && result.event).toMatchObject({
      userKey: 'u:42',
      userId: '42',
      anonymousId: 'dev-1',
      traits: { name: 'Kim' },
    });
  });

  it('applies the batch envelope context and sentAt, the message winning on conflicts', () => {
    const result = accept(
      { type: 'track', event: 'A', userId: 'u1', timestamp: '2026-11-23T09:00:00Z', context: { locale: 'ko-KR' } },
      { envelope: { sentAt: '2026-11-23T09:00:10Z', context: { locale: 'en-US', timezone: 'Asia/Seoul' } } },
    );
    expect(result.ok && result.event.context).toEqual({ locale: 'ko-KR', timezone: 'Asia/Seoul' });
    expect(result.ok && result.event.timestamp).toBe('2026-11-23T10:00:00.000Z');
  });

  it('takes the type from a single-message endpoint', () => {
    const result = accept({ userId: 'u1', event: 'Viewed' }, { type: 'track' });
    expect(result.ok && result.event.type).toBe('track');
  });

  it.each([
    [{ type: 'track', event: 'A' }, 'userId', 'userId: userId or anonymousId is required'],
    [{ type: 'track', userId: 'u1' }, 'event', 'event:'],
    [{ type: 'track', userId: 'u1', event: '' }, 'event', 'event: must not be empty'],
    [{ type: 'fly', userId: 'u1' }, 'type', 'type: must be one of track, identify, page, screen, group, alias'],
    [{ type: 'identify', userId: 'u1', traits: [1, 2] }, 'traits', 'traits:'],
    [
      { type: 'track', userId: 'u1', event: 'A', timestamp: 'yesterday' },
      'timestamp',
      'timestamp: expected an ISO 8601 timestamp',
    ],
    [{ type: 'alias', userId: 'u1' }, 'previousId', 'previousId:'],
    [{ type: 'group', userId: 'u1' }, 'groupId', 'groupId:'],
    [
      { type: 'track', userId: 'u1', event: 'A', context: { device: { token: 7 } } },
      'context.device.token',
      'context.device.token:',
    ],
    [{ type: 'track', userId: { id: 1 }, event: 'A' }, 'userId', 'userId:'],
  ])('refuses %j naming the field', (raw, field, text) => {
    const r = rejection(raw);
    expect(r.field).toBe(field);
    expect(r.text.startsWith(text)).toBe(true);
    expect(r.code).toBe('invalid_message');
  });

  it('refuses prototype-polluting keys anywhere in the message', () => {
    const raw = JSON.parse(
      '{"type":"track","userId":"u1","event":"A","properties":{"a":{"__proto__":{"admin":true}}}}',
    );
    expect(rejection(raw).text).toBe('properties.a.__proto__: the key "__proto__" is not allowed');
    expect(rejection({ type: 'identify', userId: 'u1', traits: { constructor: { prototype: {} } } }).field).toBe(
      'traits.constructor',
    );
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses nesting deeper than 32 levels and numbers JSON cannot keep', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { x: deep };
    expect(rejection({ type: 'track', userId: 'u1', event: 'A', properties: deep }).error).toMatch(
      /nesting deeper than 32/,
    );
    const huge = JSON.parse('{"type":"track","userId":"u1","event":"A","properties":{"n":1e400}}');
    expect(rejection(huge).text).toBe('properties.n: number is out of range');
  });

  it('refuses a message over 32 KB with 413', () => {
    const r = rejection({ type: 'track', userId: 'u1', event: 'A', properties: { blob: 'x'.repeat(33 * 1024) } });
    expect(r.code).toBe('payload_too_large');
    expect(r.error).toMatch(/32 KB/);
  });

  it('refuses what is not an object', () => {
    expect(rejection('hello').text).toBe('a message must be a JSON object');
    expect(rejection([1]).text).toBe('a message must be a JSON object');
  });

  it('formats batch rejections with the index', () => {
    expect(
      describeRejection({ field: 'userId', error: 'must not be empty', code: 'invalid_message' }, 'batch[3]'),
    ).toBe('batch[3].userId: must not be empty');
    expect(
      describeRejection({ field: '', error: 'a message must be a JSON object', code: 'invalid_message' }, 'batch[0]'),
    ).toBe('batch[0]: a message must be a JSON object');
  });
});
