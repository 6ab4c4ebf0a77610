import { describe, expect, it } from 'vitest';
import { journeyDefinitionSchema } from '../../functions/core/journeys/definition.js';
import { simulateJourney } from '../../functions/core/journeys/simulate.js';

const cart = journeyDefinitionSchema.parse({
  id: 'cart',
  name: 'Cart abandonment',
  trigger: { kind: 'event', event: 'Product Added' },
  goal: { event: 'Order Completed', window: '3d' },
  start: 'wait',
  steps: {
    wait: { type: 'wait', duration: '24h', next: 'remind' },
    remind: { type: 'send', channel: 'push', template: 'cart-reminder', next: 'w2' },
    w2: { type: 'wait', duration: '1d', next: 'opened' },
    opened: { type: 'branch', message: { step: 'remind', outcome: 'opened' }, then: 'done', else: 'email' },
    email: { type: 'send', channel: 'email', template: 'cart-reminder-2', next: 'points' },
    points: { type: 'update-profile', increment: { points: 10 }, next: 'done' },
    done: { type: 'exit' },
  },
});

describe('simulateJourney', () => {
  it('reports the exact steps, times and sends for a cart abandoner', async () => {
    const report = await simulateJourney(cart, {
      start: '2026-11-23T00:00:00.000Z',
      events: [{ at: '2026-11-23T01:00:00.000Z', event: 'Product Added', properties: { product_id: 'mug' } }],
    });
    expect(report.status).toBe('completed');
    expect(report.steps.map((s) => [s.step, s.at])).toEqual([
      ['wait', '2026-11-23T01:00:00.000Z'],
      ['remind', '2026-11-24T01:00:00.000Z'],
      ['w2', '2026-11-24T01:00:00.000Z'],
      ['opened', '2026-11-25T01:00:00.000Z'],
      ['email', '2026-11-25T01:00:00.000Z'],
      ['points', '2026-11-25T01:00:00.000Z'],
      ['done', '2026-11-25T01:00:00.000Z'],
    ]);
    expect(report.sends.map((s) => [s.channel, s.template, s.at])).toEqual([
      ['push', 'cart-reminder', '2026-11-24T01:00:00.000Z'],
      ['email', 'cart-reminder-2', '2026-11-25T01:00:00.000Z'],
    ]);
  });

  it('sends nothing to someone who buys before the reminder', async () => {
    const report = await simulateJourney(cart, {
      start: '2026-11-23T00:00:00.000Z',
      events: [
        { at: '2026-11-23T01:00:00.000Z', event: 'Product Added' },
        { at: '2026-11-23T05:00:00.000Z', event: 'Order Completed', properties: { total: 12000 } },
      ],
    });
    expect(report).toMatchObject({ status: 'converted', sends: [] });
  });

  it('takes the opened branch when the simulated customer opens the first message', async () => {
    const report = await simulateJourney(cart, {
      start: '2026-11-23T00:00:00.000Z',
      events: [{ at: '2026-11-23T01:00:00.000Z', event: 'Product Added' }],
      engagement: { remind: 'opened' },
    });
    expect(report.sends.map((s) => s.template)).toEqual(['cart-reminder']);
  });

  it('says when the customer does not enter', async () => {
    const report = await simulateJourney(cart, {
      start: '2026-11-23T00:00:00.000Z',
      events: [{ at: '2026-11-23T01:00:00.000Z', event: 'Page Viewed' }],
    });
    expect(report).toEqual({ entered: false, steps: [], sends: [], status: 'not-entered' });
  });
});

import { JourneyIndex } from '../../functions/core/journeys/journeyIndex.js';
import { runCustomerEvents } from '../../functions/core/journeys/runJourneys.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { storedEvent } from './builders.js';
import { untouchedJourneyPorts } from '../support/untouchedPorts.js';

describe('an event no journey cares about', () => {
  it('reads nothing and writes nothing', async () => {
    const index = new JourneyIndex([
      {
        head: { id: 'cart', name: 'Cart', status: 'active', latestVersion: 1, activeVersion: 1, updatedAt: '' },
        versions: new Map([[1, cart]]),
      },
    ]);
    const deps = untouchedJourneyPorts();
    const profile = newProfile('u:quiet', '2026-11-23T00:00:00.000Z');
    const event = storedEvent({ type: 'track', userId: 'quiet', event: 'Page Scrolled' });
    const activity = await runCustomerEvents(
      { profileKey: 'u:quiet', after: profile, events: [event] },
      index,
      deps,
      new Date(),
    );
    expect(activity).toEqual({ entered: [], advanced: 0, sends: 0 });
  });
});

describe('an early wake-up', () => {
  it('is put off to the due time instead of being dropped', async () => {
    const { runWakeUp } = await import('../../functions/core/journeys/runJourneys.js');
    const { startInstance, advance } = await import('../../functions/core/journeys/advance.js');
    const entered = advance(
      cart,
      startInstance(cart, 1, {
        userKey: 'u:early',
        instanceId: 'e1',
        now: new Date('2026-11-23T00:00:00Z'),
        trigger: {},
      }),
      {
        now: new Date('2026-11-23T00:00:00Z'),
        profile: {},
      },
    ).instance;
    const scheduled: unknown[] = [];
    const deps = {
      ...untouchedJourneyPorts(),
      instances: { ...untouchedJourneyPorts().instances, get: async () => entered },
      scheduler: { schedule: async (w: unknown) => void scheduled.push(w), cancel: async () => undefined },
    };
    const index = new JourneyIndex([
      {
        head: { id: 'cart', name: 'Cart', status: 'active', latestVersion: 1, activeVersion: 1, updatedAt: '' },
        versions: new Map([[1, cart]]),
      },
    ]);
    const wakeUp = {
      userKey: 'u:early' as const,
      journeyId: 'cart',
      instanceId: 'e1',
      token: 1,
      at: entered.waiting!.until,
    };
    expect(await runWakeUp(wakeUp, index, deps, new Date('2026-11-23T23:59:59.600Z'))).toBe('held');
    expect(scheduled).toEqual([{ ...wakeUp, at: '2026-11-24T00:00:00.000Z' }]);
  });
});
