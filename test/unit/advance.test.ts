import { describe, expect, it } from 'vitest';
import {
  advance,
  chooseVariant,
  onEvent,
  startInstance,
  wake,
  type StepContext,
} from '../../functions/core/journeys/advance.js';
import { journeyDefinitionSchema, type JourneyInput } from '../../functions/core/journeys/definition.js';
import { storedEvent } from './builders.js';

const t0 = new Date('2026-11-23T00:00:00Z'); // 09:00 in Seoul
const ctx = (now: Date, extra: Partial<StepContext> = {}): StepContext => ({
  now,
  profile: { traits: { tier: 'gold' } },
  timezone: 'Asia/Seoul',
  ...extra,
});
const later = (ms: number) => new Date(t0.getTime() + ms);
const HOUR = 3_600_000;

function journey(input: Partial<JourneyInput> & Pick<JourneyInput, 'steps' | 'start'>) {
  return journeyDefinitionSchema.parse({
    id: 'j',
    name: 'J',
    trigger: { kind: 'event', event: 'Product Added' },
    ...input,
  });
}

const cart = journey({
  goal: { event: 'Order Completed', window: '3d' },
  start: 'wait',
  steps: {
    wait: { type: 'wait', duration: '24h', next: 'remind' },
    remind: { type: 'send', channel: 'push', template: 'cart-reminder', next: 'done' },
    done: { type: 'exit' },
  },
});

const instanceOf = (definition = cart) =>
  startInstance(definition, 2, {
    userKey: 'u:kim',
    instanceId: 'i1',
    now: t0,
    trigger: { event: 'Product Added', messageId: 'm1' },
  });

describe('journey steps', () => {
  it('waits 24 hours, then requests the send with everything the sender needs, then completes', () => {
    const entered = advance(cart, instanceOf(), ctx(t0));
    expect(entered.instance.waiting).toEqual({ kind: 'time', until: '2026-11-24T00:00:00.000Z', token: 1 });
    expect(entered.effects).toEqual([
      {
        kind: 'schedule',
        wakeUp: { userKey: 'u:kim', journeyId: 'j', instanceId: 'i1', token: 1, at: '2026-11-24T00:00:00.000Z' },
      },
    ]);
    expect(wake(cart, entered.instance, { token: 1 }, ctx(later(23 * HOUR)))).toBeUndefined();
    const woken = wake(cart, entered.instance, { token: 1 }, ctx(later(24 * HOUR)))!;
    expect(woken.effects).toEqual([
      {
        kind: 'send',
        request: expect.objectContaining({
          idempotencyKey: 'i1:remind',
          channel: 'push',
          template: 'cart-reminder',
          category: 'marketing',
          userKey: 'u:kim',
          userId: 'kim',
          journeyId: 'j',
          journeyVersion: 2,
          stepId: 'remind',
          trigger: { event: 'Product Added', messageId: 'm1' },
        }),
      },
    ]);
    expect(woken.instance).toMatchObject({ status: 'completed', endReason: 'reached exit' });
  });

  it('ignores a stale wake-up and any wake-up after the instance ended', () => {
    const entered = advance(cart, instanceOf(), ctx(t0)).instance;
    expect(wake(cart, entered, { token: 0 }, ctx(later(48 * HOUR)))).toBeUndefined();
    const converted = onEvent(
      cart,
      entered,
      storedEvent({ type: 'track', userId: 'kim', event: 'Order Completed' }),
      ctx(later(HOUR)),
    )!;
    expect(wake(cart, converted.instance, { token: 1 }, ctx(later(48 * HOUR)))).toBeUndefined();
  });

  it('ends as converted on the goal, cancelling the pending wait — the reminder never goes out', () => {
    const entered = advance(cart, instanceOf(), ctx(t0)).instance;
    const result = onEvent(
      cart,
      entered,
      storedEvent({ type: 'track', userId: 'kim', event: 'Order Completed' }),
      ctx(later(2 * HOUR)),
    )!;
    expect(result.instance).toMatchObject({ status: 'converted', endReason: 'goal Order Completed' });
    expect(result.effects).toEqual([{ kind: 'cancel', wakeUp: expect.objectContaining({ token: 1 }) }]);
  });

  it('still stops on a goal after the conversion window, without counting it as converted', () => {
    const long = journey({ ...cart, goal: { event: 'Order Completed', window: '1h' } });
    const entered = advance(long, instanceOf(long), ctx(t0)).instance;
    const result = onEvent(
      long,
      entered,
      storedEvent({ type: 'track', userId: 'kim', event: 'Order Completed' }),
      ctx(later(2 * HOUR)),
    )!;
    expect(result.instance.status).toBe('exited');
  });

  it('waits for an event with a timeout and takes the matching exit', () => {
    const d = journey({
      start: 'w',
      steps: {
        w: {
          type: 'wait-for-event',
          event: 'Order Completed',
          where: { attribute: 'total', op: 'gte', value: 50000 },
          timeout: '24h',
          onEvent: 'thanks',
          onTimeout: 'nudge',
        },
        thanks: { type: 'send', channel: 'email', template: 'thanks', category: 'transactional', next: 'end' },
        nudge: { type: 'send', channel: 'push', template: 'nudge', next: 'end' },
        end: { type: 'exit' },
      },
    });
    const waiting = advance(d, instanceOf(d), ctx(t0)).instance;
    expect(waiting.waiting).toMatchObject({ kind: 'event', event: 'Order Completed', token: 1 });
    const small = storedEvent({ type: 'track', userId: 'kim', event: 'Order Completed', properties: { total: 10000 } });
    expect(onEvent(d, waiting, small, ctx(later(HOUR)))).toBeUndefined();
    const big = storedEvent({ type: 'track', userId: 'kim', event: 'Order Completed', properties: { total: '60000' } });
    const bought = onEvent(d, waiting, big, ctx(later(HOUR)))!;
    expect(bought.effects.map((e) => e.kind)).toEqual(['cancel', 'send']);
    expect(bought.effects[1]).toMatchObject({ request: { template: 'thanks', category: 'transactional' } });
    const timedOut = wake(d, waiting, { token: 1 }, ctx(later(24 * HOUR)))!;
    expect(timedOut.effects).toMatchObject([{ kind: 'send', request: { template: 'nudge' } }]);
  });

  it("waits until the next local time of day in the customer's zone", () => {
    const d = journey({
      start: 'w',
      steps: { w: { type: 'wait', until: { time: '10:00' }, next: 'e' }, e: { type: 'exit' } },
    });
    const seoul = advance(d, instanceOf(d), ctx(t0)).instance;
    expect(seoul.waiting?.until).toBe('2026-11-23T01:00:00.000Z');
    const newYork = advance(d, instanceOf(d), ctx(t0, { timezone: 'America/New_York' })).instance;
    expect(newYork.waiting?.until).toBe('2026-11-23T15:00:00.000Z');
  });

  it('waits one purchase cycle and until the best hour, from the analytics, or the fallbacks', () => {
    const repurchase = journey({
      start: 'cycle',
      steps: {
        cycle: { type: 'wait', duration: 'purchase-cycle', fallback: '30d', next: 'hour' },
        hour: { type: 'wait', until: { time: 'best-hour', fallback: '11:00' }, next: 'done' },
        done: { type: 'exit' },
      },
    });
    const known = { traits: {}, purchaseCycleDays: 12.5, bestHour: 20 };
    const first = advance(repurchase, instanceOf(repurchase), ctx(t0, { profile: known }));
    expect(first.instance.waiting?.until).toBe(new Date(t0.getTime() + 12.5 * 24 * HOUR).toISOString());
    const next = wake(
      repurchase,
      first.instance,
      { token: 1 },
      ctx(new Date(first.instance.waiting!.until), { profile: known }),
    )!;
    // 2026-12-05T12:00Z is 21:00 in Seoul: the next 20:00 there is the following day, 11:00Z.
    expect(next.instance.waiting?.until).toBe('2026-12-06T11:00:00.000Z');
    const unknown = advance(repurchase, instanceOf(repurchase), ctx(t0, { profile: { traits: {} } }));
    expect(unknown.instance.waiting?.until).toBe(new Date(t0.getTime() + 30 * 24 * HOUR).toISOString());
    const unknownHour = wake(
      repurchase,
      unknown.instance,
      { token: 1 },
      ctx(new Date(unknown.instance.waiting!.until), { profile: { traits: {} } }),
    )!;
    // 2026-12-23T00:00Z is 09:00 in Seoul: 11:00 the same day is 02:00Z.
    expect(unknownHour.instance.waiting?.until).toBe('2026-12-23T02:00:00.000Z');
  });

  it("branches on the profile and on an earlier message's outcome", () => {
    const d = journey({
      start: 's',
      steps: {
        s: { type: 'send', channel: 'email', template: 'first', next: 'w' },
        w: { type: 'wait', duration: '1d', next: 'b' },
        b: { type: 'branch', message: { step: 's', outcome: 'opened' }, then: 'vip', else: 'sms' },
        vip: {
          type: 'branch',
          condition: { attribute: 'traits.tier', op: 'eq', value: 'gold' },
          then: 'e',
          else: 'sms',
        },
        sms: { type: 'send', channel: 'sms', template: 'second', next: 'e' },
        e: { type: 'exit' },
      },
    });
    const waiting = advance(d, instanceOf(d), ctx(t0)).instance;
    expect(waiting.sends).toEqual({ s: 'i1:s' });
    const unopened = wake(d, waiting, { token: 1 }, ctx(later(25 * HOUR)))!;
    expect(unopened.effects).toMatchObject([{ kind: 'send', request: { channel: 'sms' } }]);
    const opened = wake(d, waiting, { token: 1 }, ctx(later(25 * HOUR), { outcomes: { 'i1:s': { opened: true } } }))!;
    expect(opened.effects).toEqual([]);
    expect(opened.instance.history.map((h) => h.step)).toEqual(['s', 'w', 'b', 'vip', 'e']);
  });

  it('updates the profile with a key that makes the update idempotent', () => {
    const d = journey({
      start: 'u',
      steps: {
        u: { type: 'update-profile', increment: { points: 100 }, set: { welcomed: true }, next: 'e' },
        e: { type: 'exit' },
      },
    });
    expect(advance(d, instanceOf(d), ctx(t0)).effects).toEqual([
      {
        kind: 'update-profile',
        userKey: 'u:kim',
        update: { key: 'i1:u', set: { welcomed: true }, increment: { points: 100 } },
      },
    ]);
  });
});

describe('A/B split', () => {
  const split = journey({
    start: 'ab',
    steps: {
      ab: {
        type: 'split',
        variants: [
          { name: 'A', weight: 45, next: 'a' },
          { name: 'B', weight: 45, next: 'b' },
        ],
        control: { weight: 10 },
      },
      a: { type: 'send', channel: 'push', template: 'a', next: 'e' },
      b: { type: 'send', channel: 'push', template: 'b', next: 'e' },
      e: { type: 'exit' },
    },
  });
  const step = split.steps.ab as Extract<(typeof split.steps)[string], { type: 'split' }>;

  it('assigns the same customer to the same variant every time', () => {
    const first = chooseVariant({ journeyId: 'j', userKey: 'u:kim' }, 'ab', step);
    for (let i = 0; i < 5; i++) expect(chooseVariant({ journeyId: 'j', userKey: 'u:kim' }, 'ab', step)).toEqual(first);
  });

  it('splits 10,000 customers within 1.5 points of the weights, control included', () => {
    const counts: Record<string, number> = { A: 0, B: 0, control: 0 };
    for (let i = 0; i < 10_000; i++) {
      const choice = chooseVariant({ journeyId: 'j', userKey: `u:user-${i}` }, 'ab', step);
      counts[choice === 'control' ? 'control' : choice.name]++;
    }
    expect(Math.abs(counts.A / 100 - 45)).toBeLessThan(1.5);
    expect(Math.abs(counts.B / 100 - 45)).toBeLessThan(1.5);
    expect(Math.abs(counts.control / 100 - 10)).toBeLessThan(1.5);
  });

  it("sends nothing to the control group: it is held out on the message log under the variants' first send", () => {
    let control: `u:${string}` | undefined;
    for (let i = 0; i < 200 && !control; i++) {
      const id: `u:${string}` = `u:c-${i}`;
      if (chooseVariant({ journeyId: 'j', userKey: id }, 'ab', step) === 'control') control = id;
    }
    const instance = startInstance(split, 1, { userKey: control as never, instanceId: 'x', now: t0, trigger: {} });
    const result = advance(split, instance, ctx(t0));
    expect(result.effects).toEqual([
      {
        kind: 'send',
        request: expect.objectContaining({ holdout: true, variant: 'control', idempotencyKey: 'x:ab:control' }),
      },
    ]);
    const sendStep = Object.entries(split.steps).find(([, s]) => s.type === 'send')!;
    expect(result.effects[0]).toMatchObject({
      request: { stepId: sendStep[0], template: (sendStep[1] as { template: string }).template },
    });
    expect(result.instance).toMatchObject({ status: 'completed', variant: 'control', endReason: 'control group' });
  });
});
