// The sender use case on in-memory ports: gates, composition, the channel's provider and the message log,
// without a database. The same code runs against DynamoDB Local in test/integration/delivery.test.ts.

import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../functions/core/delivery/deliverMessage.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import { templateSchema } from '../../functions/core/delivery/template.js';
import { ProviderThrottledError } from '../../functions/core/errors.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import { deliveryWorld, type DeliveryWorld } from './inMemoryDelivery.js';

const now = new Date('2026-11-23T03:00:00.000Z'); // noon in Seoul
const at = '2026-11-01T00:00:00.000Z';
let world: DeliveryWorld;

function customer(id: string, changes: (p: Profile) => void = () => undefined): Profile {
  const p = newProfile(`u:${id}`, at);
  p.traits = { name: '김민지' };
  p.channels.email = `${id}@example.com`;
  p.channels.phone = '010-1234-5678';
  p.channels.push = [{ token: `tok-${id}`, platform: 'android', updatedAt: at }];
  p.consent = {
    email: { granted: true, at },
    push: { granted: true, at },
    sms: { granted: true, at },
    advertising: { granted: true, at },
  };
  p.timezone = 'Asia/Seoul';
  changes(p);
  world.profiles.put(p);
  return p;
}

const request = (userId: string, key: string, extra: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'email',
  userKey: `u:${userId}`,
  userId,
  template: 'hello',
  category: 'marketing',
  journeyId: 'j',
  journeyVersion: 1,
  stepId: 's',
  instanceId: 'i',
  requestedAt: now.toISOString(),
  trigger: {},
  ...extra,
});

beforeEach(() => {
  world = deliveryWorld();
  world.templates.set(
    'hello',
    templateSchema.parse({
      id: 'hello',
      name: 'Hello',
      channel: 'email',
      email: { subject: '{{ profile.traits.name }}님, 안녕하세요', preheader: '주말 특가', html: '<p>Hello</p>' },
      push: { title: '다시 만나요', body: '장바구니가 기다려요' },
      sms: { text: '{{ profile.traits.name }}님, 주말 특가!' },
    }),
  );
  world.settings.current = {
    ...world.settings.current,
    email: { from: 'Shop <shop@example.com>', replyTo: 'help@example.com' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    caps: [],
  };
});

describe('deliverMessage', () => {
  it('sends a marketing e-mail with its preheader, Reply-To and one-click unsubscribe, once', async () => {
    customer('c1');
    expect(await deliverMessage(request('c1', 'k1'), world.deps, now)).toEqual({ status: 'sent', reason: undefined });
    const [mail] = world.mails;
    expect(mail).toMatchObject({
      to: 'c1@example.com',
      from: 'Shop <shop@example.com>',
      replyTo: 'help@example.com',
      subject: '(광고) 김민지님, 안녕하세요',
    });
    expect(mail.html.startsWith('<div style="display:none;max-height:0;overflow:hidden">주말 특가</div>')).toBe(true);
    expect(mail.headers).toEqual({
      'List-Unsubscribe': expect.stringMatching(/^<https:\/\/retain\.example\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>$/),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(await deliverMessage(request('c1', 'k1'), world.deps, now)).toEqual({ status: 'duplicate' });
    expect(world.mails).toHaveLength(1);
  });

  it('hands a request the channel cannot deliver to the next channel of its chain, under the same key', async () => {
    customer('c2', (p) => (p.consent.email = { granted: false, at }));
    const outcome = await deliverMessage(request('c2', 'k2', { fallback: ['sms'] }), world.deps, now);
    expect(outcome).toEqual({ status: 'fallback', reason: 'skipped: no email consent' });
    expect(world.handedOn).toMatchObject([{ idempotencyKey: 'k2', channel: 'sms', fallback: [] }]);
    expect(await deliverMessage(world.handedOn[0], world.deps, now)).toMatchObject({ status: 'sent' });
    expect(world.texts).toMatchObject([
      { from: '02-1234-5678', type: 'SMS', text: '(광고)Retain\n김민지님, 주말 특가!\n무료수신거부 080-123-4567' },
    ]);
    expect((await world.messages.get('u:c2', 'k2'))?.attempts?.map((a) => `${a.channel}:${a.status}`)).toEqual([
      'email:fallback',
      'sms:sent',
    ]);
  });

  it('refuses a marketing text while no opt-out number is configured, and says so', async () => {
    customer('c3');
    world.settings.current = {
      ...world.settings.current,
      sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678' },
    };
    const outcome = await deliverMessage(request('c3', 'k3', { channel: 'sms' }), world.deps, now);
    expect(outcome).toEqual({
      status: 'failed',
      reason: expect.stringContaining('no free opt-out (080) number is configured'),
    });
    // The placeholder number stored by earlier versions as the default is no number either.
    world.settings.current.sms.optOutNumber = '080-000-0000';
    const placeholder = await deliverMessage(request('c3', 'k4', { channel: 'sms' }), world.deps, now);
    expect(placeholder).toEqual({ status: 'failed', reason: expect.stringContaining('placeholder 080-000-0000') });
    expect(world.texts).toEqual([]);
    // A transactional text carries no opt-out line and goes out.
    expect(
      await deliverMessage(request('c3', 'k5', { channel: 'sms', category: 'transactional' }), world.deps, now),
    ).toMatchObject({ status: 'sent' });
  });
});

describe('push to several devices', () => {
  it('counts a push delivered to any device as sent, with no fallback, though a later device refused it', async () => {
    customer('p1', (p) => {
      p.channels.push = [
        { token: 'tok-phone', platform: 'android', updatedAt: at },
        { token: 'refuse-tablet', platform: 'android', updatedAt: at },
      ];
    });
    const outcome = await deliverMessage(request('p1', 'k1', { channel: 'push', fallback: ['sms'] }), world.deps, now);
    expect(outcome).toMatchObject({ status: 'sent' });
    expect(world.push.sent.map((s) => s.token)).toEqual(['tok-phone']);
    expect(world.handedOn).toEqual([]);
    expect(world.texts).toEqual([]);
  });

  it('retries after a throttle only to the devices not yet reached', async () => {
    customer('p2', (p) => {
      p.channels.push = [
        { token: 'tok-phone', platform: 'android', updatedAt: at },
        { token: 'tok-tablet', platform: 'android', updatedAt: at },
      ];
    });
    world.push.throttled.add('tok-tablet');
    await expect(deliverMessage(request('p2', 'k2', { channel: 'push' }), world.deps, now)).rejects.toBeInstanceOf(
      ProviderThrottledError,
    );
    expect(await world.messages.get('u:p2', 'k2')).toMatchObject({ status: 'retrying', capsCounted: true });
    world.push.throttled.clear();
    // The queue redelivers the request.
    expect(await deliverMessage(request('p2', 'k2', { channel: 'push' }), world.deps, now)).toMatchObject({
      status: 'sent',
    });
    expect(world.push.sent.map((s) => s.token)).toEqual(['tok-phone', 'tok-tablet']);
    expect(await world.messages.get('u:p2', 'k2')).toMatchObject({
      status: 'sent',
      providerMessageId: 'push-1,push-2',
    });
  });

  it('fails over to the next channel when every device refused, and forgets the dead tokens', async () => {
    customer('p3', (p) => {
      p.channels.push = [
        { token: 'dead-phone', platform: 'android', updatedAt: at },
        { token: 'refuse-tablet', platform: 'android', updatedAt: at },
      ];
    });
    const outcome = await deliverMessage(request('p3', 'k3', { channel: 'push', fallback: ['sms'] }), world.deps, now);
    expect(outcome).toEqual({
      status: 'fallback',
      reason: 'failed: provider refused (MismatchSenderId): the device refused the message',
    });
    const stored = await world.profiles.get('u:p3');
    expect(stored?.kind === 'profile' && stored.profile.channels.push.map((t) => t.token)).toEqual(['refuse-tablet']);
  });
});
