// What the sender tells operators: each outcome per channel with a bounded reason, provider errors, and the
// trigger-to-send latency, which only a send reached without a wait carries.

import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../functions/core/delivery/deliverMessage.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import { OUTCOME_REASONS, outcomeReason } from '../../functions/core/delivery/outcomeReason.js';
import { templateSchema } from '../../functions/core/delivery/template.js';
import { ProviderRejectedError, ProviderThrottledError } from '../../functions/core/errors.js';
import { advance, startInstance, wake } from '../../functions/core/journeys/advance.js';
import { journeyDefinitionSchema } from '../../functions/core/journeys/definition.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import { deliveryWorld, type DeliveryWorld } from './inMemoryDelivery.js';

const now = new Date('2026-11-23T03:00:00.000Z'); // noon in Seoul
const at = '2026-11-01T00:00:00.000Z';
let world: DeliveryWorld;

function customer(id: string, changes: (p: Profile) => void = () => undefined): void {
  const p = newProfile(`u:${id}`, at);
  p.channels.email = `${id}@example.com`;
  p.channels.phone = '010-1234-5678';
  p.consent = { email: { granted: true, at }, sms: { granted: true, at }, advertising: { granted: true, at } };
  changes(p);
  world.profiles.put(p);
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
      email: { subject: 'Hello', html: '<p>Hello</p>' },
      sms: { text: 'Hello' },
    }),
  );
  world.settings.current = {
    ...world.settings.current,
    email: { from: 'Shop <shop@example.com>' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    caps: [],
  };
});

describe('delivery metrics', () => {
  it('observes a sent e-mail and its latency from the triggering event', async () => {
    customer('c1');
    await deliverMessage(request('c1', 'k1', { triggeredAt: '2026-11-23T02:59:58.500Z' }), world.deps, now);
    expect(world.telemetry.outcomes).toEqual([{ channel: 'email', status: 'sent' }]);
    expect(world.telemetry.triggerToSendMs).toEqual([{ channel: 'email', milliseconds: 1500 }]);
  });

  it('observes no latency for a send without a trigger time (after a wait, or a broadcast)', async () => {
    customer('c2');
    await deliverMessage(request('c2', 'k2'), world.deps, now);
    expect(world.telemetry.triggerToSendMs).toEqual([]);
  });

  it('observes a provider refusal as a failed e-mail and a rejected provider call, even when SMS takes over', async () => {
    customer('c3');
    world.deps.mailer = {
      send: async () => {
        throw new ProviderRejectedError('Sending paused for this account.', 'AccountSendingPausedException');
      },
    };
    const outcome = await deliverMessage(request('c3', 'k3', { fallback: ['sms'] }), world.deps, now);
    expect(outcome.status).toBe('fallback');
    expect(world.telemetry.outcomes).toEqual([{ channel: 'email', status: 'failed', reason: 'provider-refused' }]);
    expect(world.telemetry.providerErrors).toEqual([{ channel: 'email', kind: 'rejected' }]);
  });

  it('observes a throttle as a provider error and no outcome (the retry records one)', async () => {
    customer('c4');
    world.deps.mailer = {
      send: async () => {
        throw new ProviderThrottledError('slow down');
      },
    };
    await expect(deliverMessage(request('c4', 'k4'), world.deps, now)).rejects.toThrow('slow down');
    expect(world.telemetry.providerErrors).toEqual([{ channel: 'email', kind: 'throttled' }]);
    expect(world.telemetry.outcomes).toEqual([]);
  });

  it('observes a skip without consent with its reason code', async () => {
    customer('c5', (p) => (p.consent.email = { granted: false, at }));
    await deliverMessage(request('c5', 'k5'), world.deps, now);
    expect(world.telemetry.outcomes).toEqual([{ channel: 'email', status: 'skipped', reason: 'no-consent' }]);
  });
});

describe('a Brand Message to non-friends', () => {
  beforeEach(() => {
    world.templates.set(
      'weekend-brand',
      templateSchema.parse({
        id: 'weekend-brand',
        name: 'Weekend',
        channel: 'kakao',
        kakao: {
          kind: 'brand',
          templateCode: 'BM-1',
          text: '(광고) 주말 특가\n무료수신거부 080-123-4567',
          target: 'M',
        },
      }),
    );
    world.settings.current = { ...world.settings.current, kakao: { channelId: 'KA01PF' } };
    customer('k1', (p) => (p.consent.kakao = { granted: true, at }));
  });
  const brandRequest = () => request('k1', 'bm-1', { channel: 'kakao', template: 'weekend-brand' });

  it('is refused while M is not enabled: the reason in the message log, kakao-target in the metrics', async () => {
    await deliverMessage(brandRequest(), world.deps, now);
    expect(world.talks).toEqual([]);
    expect(await world.messages.get('u:k1', 'bm-1')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Brand Message target M \(consented non-friends\) is not enabled/),
    });
    expect(world.telemetry.outcomes).toEqual([{ channel: 'kakao', status: 'failed', reason: 'kakao-target' }]);
  });

  it('goes to the provider with its target once M is enabled', async () => {
    world.settings.current = { ...world.settings.current, brandMessageTargets: { m: true, n: false } };
    await deliverMessage(brandRequest(), world.deps, now);
    expect(world.talks).toMatchObject([{ kind: 'brand', target: 'M', templateCode: 'BM-1' }]);
  });
});

describe('outcome reasons', () => {
  it('maps the sentences of the log onto a fixed list, and only for failures and skips', () => {
    expect(outcomeReason('skipped', 'no e-mail address')).toBe('no-address');
    expect(outcomeReason('skipped', 'no advertising consent')).toBe('no-consent');
    expect(outcomeReason('skipped', 'suppressed address')).toBe('suppressed');
    expect(outcomeReason('skipped', 'number opted out (080)')).toBe('suppressed');
    expect(outcomeReason('skipped', 'the webhook channel is not available yet')).toBe('channel-unavailable');
    expect(outcomeReason('failed', 'provider refused (MessageRejected): Email address is not verified.')).toBe(
      'provider-refused',
    );
    expect(outcomeReason('failed', 'template "x" has no sms part')).toBe('template');
    expect(outcomeReason('failed', 'every push token was invalid (removed from the profile)')).toBe(
      'invalid-push-tokens',
    );
    expect(outcomeReason('failed', 'liquid: unknown filter "shout"')).toBe('content');
    expect(
      outcomeReason('failed', 'Brand Message target N (consented customers, friends or not) is not enabled: …'),
    ).toBe('kakao-target');
    expect(outcomeReason('skipped', 'something new')).toBe('other');
    expect(outcomeReason('capped', 'daily: at most 1 per day')).toBeUndefined();
    expect(outcomeReason('sent', undefined)).toBeUndefined();
    expect(new Set(OUTCOME_REASONS).size).toBe(OUTCOME_REASONS.length);
  });
});

describe('the trigger time on a send request', () => {
  const definition = (steps: object, start: string) =>
    journeyDefinitionSchema.parse({ id: 'j', name: 'J', trigger: { kind: 'event', event: 'Signed Up' }, start, steps });
  const t0 = new Date('2026-11-23T00:00:00Z');
  const instance = (d: ReturnType<typeof definition>) =>
    startInstance(d, 1, {
      userKey: 'u:kim',
      instanceId: 'i1',
      now: t0,
      trigger: { event: 'Signed Up', messageId: 'm1', receivedAt: '2026-11-22T23:59:59.000Z' },
    });
  const ctx = (now: Date) => ({ now, profile: {}, timezone: 'Asia/Seoul' });

  it('carries the event’s receipt on a send reached at once', () => {
    const d = definition(
      { welcome: { type: 'send', channel: 'email', template: 'hello', next: 'done' }, done: { type: 'exit' } },
      'welcome',
    );
    const [send] = advance(d, instance(d), ctx(t0)).effects;
    expect(send).toMatchObject({ kind: 'send', request: { triggeredAt: '2026-11-22T23:59:59.000Z' } });
  });

  it('leaves it off a send after a wait', () => {
    const d = definition(
      {
        wait: { type: 'wait', duration: '1h', next: 'remind' },
        remind: { type: 'send', channel: 'email', template: 'hello', next: 'done' },
        done: { type: 'exit' },
      },
      'wait',
    );
    const waiting = advance(d, instance(d), ctx(t0)).instance;
    const woken = wake(d, waiting, { token: 1 }, ctx(new Date(t0.getTime() + 3_600_000)))!;
    const send = woken.effects.find((e) => e.kind === 'send');
    expect(send).toMatchObject({ kind: 'send' });
    expect(send && 'request' in send && send.request.triggeredAt).toBeUndefined();
  });
});
