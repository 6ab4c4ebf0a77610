// Amazon Pinpoint journeys (GetJourney answers) converted into Retain drafts: steps, report, settings, and a run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  convertPinpointJourney,
  isoDuration,
  PinpointJourneyError,
  PLACEHOLDER_ATTRIBUTE,
} from '../../functions/core/imports/pinpointJourney.js';
import { simulateJourney } from '../../functions/core/journeys/simulate.js';
import { validateJourney } from '../../functions/core/journeys/validateJourney.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/pinpoint/journeys/${name}.json`, 'utf8')) as Record<string, any>;
const activity = (report: { activities: { id: string }[] }, id: string) => report.activities.find((a) => a.id === id);

describe('isoDuration', () => {
  it('writes ISO 8601 durations in the largest whole Retain unit', () => {
    expect(isoDuration('P1D')).toBe('1d');
    expect(isoDuration('PT72H')).toBe('3d');
    expect(isoDuration('P1W')).toBe('7d');
    expect(isoDuration('PT90M')).toBe('90m');
    expect(isoDuration('PT1H30M')).toBe('90m');
    expect(isoDuration('PT45S')).toBe('45s');
    expect(isoDuration('P1DT12H')).toBe('36h');
  });

  it('refuses what is not a positive ISO 8601 duration', () => {
    for (const text of ['P', 'PT', 'P0D', '1d', 'PT1.5H', 'P1M', '']) expect(isoDuration(text)).toBeUndefined();
  });
});

describe('convertPinpointJourney: welcome (EMAIL, Wait, ConditionalSplit on an event)', () => {
  const { definition, report } = convertPinpointJourney(fixture('welcome'));

  it('reads the `aws pinpoint get-journey` wrapper and starts on the event with its attribute filter', () => {
    expect(definition.id).toBe('welcome-series');
    expect(definition.trigger).toEqual({
      kind: 'event',
      event: 'Signed Up',
      where: { attribute: 'source', op: 'eq', value: 'app' },
    });
    expect(definition.start).toBe('a1b2c3d4e5');
    expect(definition.reentry).toEqual({ policy: 'once' });
  });

  it('turns the e-mails into send steps and the wait into a Retain duration', () => {
    expect(definition.steps.a1b2c3d4e5).toMatchObject({
      type: 'send',
      channel: 'email',
      template: 'welcome-email',
      category: 'marketing',
      next: 'w1a2i3t4',
    });
    expect(definition.steps.w1a2i3t4).toEqual({ type: 'wait', duration: '1d', next: 's1p2l3i4t5' });
    expect(definition.steps.c1o2u3p4o5n6).toMatchObject({ type: 'send', next: 'end' });
    expect(definition.steps.end).toEqual({ type: 'exit' });
  });

  it('makes a split on one custom event within the evaluation wait a wait-for-event, reported as approximated', () => {
    expect(definition.steps.s1p2l3i4t5).toEqual({
      type: 'wait-for-event',
      event: 'Order Completed',
      timeout: '3d',
      onEvent: 't1h2a3n4k5',
      onTimeout: 'c1o2u3p4o5n6',
    });
    expect(activity(report, 's1p2l3i4t5')).toMatchObject({ kind: 'ConditionalSplit', outcome: 'approximated' });
  });

  it('lists every template to recreate with its Pinpoint name and version', () => {
    expect(report.templates).toEqual([
      { id: 'welcome-email', channel: 'email', pinpointName: 'Welcome_Email', pinpointVersion: '3' },
      { id: 'thanks-first-order', channel: 'email', pinpointName: 'Thanks_First_Order' },
      { id: 'first-order-coupon', channel: 'email', pinpointName: 'First_Order_Coupon', pinpointVersion: '1' },
    ]);
    expect(report.activities.map((a) => a.outcome)).toEqual(['mapped', 'mapped', 'approximated', 'mapped', 'mapped']);
  });

  it('passes Retain journey validation', () => {
    expect(validateJourney(definition).ok).toBe(true);
  });

  it('runs: a sign-up from the app gets the welcome, and an order within three days the thank-you', async () => {
    const buyer = await simulateJourney(definition, {
      start: '2026-03-02T00:00:00.000Z',
      consent: { email: true },
      events: [
        { at: '2026-03-02T00:00:00.000Z', event: 'Signed Up', properties: { source: 'app' } },
        { at: '2026-03-04T09:00:00.000Z', event: 'Order Completed' },
      ],
    });
    expect(buyer.entered).toBe(true);
    expect(buyer.sends.map((s) => s.template)).toEqual(['welcome-email', 'thanks-first-order']);
    const browser = await simulateJourney(definition, {
      start: '2026-03-02T00:00:00.000Z',
      events: [{ at: '2026-03-02T00:00:00.000Z', event: 'Signed Up', properties: { source: 'app' } }],
    });
    expect(browser.sends.map((s) => s.template)).toEqual(['welcome-email', 'first-order-coupon']);
    const web = await simulateJourney(definition, {
      start: '2026-03-02T00:00:00.000Z',
      events: [{ at: '2026-03-02T00:00:00.000Z', event: 'Signed Up', properties: { source: 'web' } }],
    });
    expect(web.entered).toBe(false);
  });
});

describe('convertPinpointJourney: Holdout, RandomSplit, SMS/PUSH, MultiCondition', () => {
  const { definition, report } = convertPinpointJourney(fixture('split-holdout'));

  it('enters on the segment (to recreate) and re-enters after the interval', () => {
    expect(definition.trigger).toEqual({
      kind: 'segment',
      condition: { segment: 'pinpoint-4c1a2b3d4e5f60718293a4b5c6d7e8f9' },
    });
    expect(definition.reentry).toEqual({ policy: 'after', days: 30 });
    expect(report.segments.sort()).toEqual(['pinpoint-4c1a2b3d4e5f60718293a4b5c6d7e8f9', 'pinpoint-vip-customers']);
  });

  it('makes the holdout a control group and the random split weighted variants', () => {
    expect(definition.steps.holdout).toEqual({
      type: 'split',
      variants: [{ name: 'treatment', weight: 90, next: 'abSplit' }],
      control: { weight: 10 },
    });
    expect(definition.steps.abSplit).toEqual({
      type: 'split',
      variants: [
        { name: 'branch-1', weight: 50, next: 'smsOffer' },
        { name: 'branch-2', weight: 50, next: 'pushOffer' },
      ],
    });
  });

  it('sends SMS and push on their channels; a TRANSACTIONAL SMS is transactional', () => {
    expect(definition.steps.smsOffer).toMatchObject({
      channel: 'sms',
      template: 'spring-offer-sms',
      category: 'marketing',
    });
    expect(definition.steps.pushOffer).toMatchObject({ channel: 'push', template: 'spring-offer-push' });
    expect(definition.steps.lastCall).toMatchObject({ channel: 'sms', category: 'transactional' });
    expect(definition.steps.waitWeek).toEqual({ type: 'wait', duration: '7d', next: 'who' });
  });

  it('chains the MultiCondition branches in order: segment, user attribute, message opened, then the default', () => {
    expect(definition.steps.who).toEqual({
      type: 'branch',
      condition: { segment: 'pinpoint-vip-customers' },
      then: 'vipMail',
      else: 'who-2',
    });
    expect(definition.steps['who-2']).toEqual({
      type: 'branch',
      condition: { attribute: 'traits.plan', op: 'in', value: ['gold', 'silver'] },
      then: 'planMail',
      else: 'who-3',
    });
    expect(definition.steps['who-3']).toEqual({
      type: 'branch',
      message: { step: 'pushOffer', outcome: 'opened' },
      then: 'openedMail',
      else: 'lastCall',
    });
    expect(activity(report, 'who')).toMatchObject({ outcome: 'mapped', steps: ['who', 'who-2', 'who-3'] });
    expect(validateJourney(definition).ok).toBe(true);
  });

  it('runs: customers who come to match the segment are held out or get an offer, then the e-mail of their branch', async () => {
    const segments = new Map([
      [
        'pinpoint-4c1a2b3d4e5f60718293a4b5c6d7e8f9',
        { attribute: 'computed.eventCounts.Went Quiet', op: 'gte' as const, value: 1 },
      ],
      ['pinpoint-vip-customers', { attribute: 'traits.vip', op: 'eq' as const, value: true }],
    ]);
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        simulateJourney(
          definition,
          {
            userId: `customer-${i}`,
            start: '2026-04-01T00:00:00.000Z',
            traits: { plan: 'gold' },
            consent: { email: true, sms: true, push: true },
            events: [{ at: '2026-04-01T00:00:00.000Z', event: 'Went Quiet' }],
          },
          { segments },
        ),
      ),
    );
    expect(runs.every((r) => r.entered)).toBe(true);
    // The simulator lists a held-out customer's first send with variant `control`: recorded, never sent.
    const held = runs.filter((r) => r.endReason === 'control group');
    const treated = runs.filter((r) => r.endReason !== 'control group');
    expect(held.length).toBeGreaterThan(0);
    for (const run of held) expect(run.sends.map((s) => s.variant)).toEqual(['control']);
    expect(treated.length).toBeGreaterThan(0);
    for (const run of treated) {
      expect(['spring-offer-sms', 'spring-offer-push']).toContain(run.sends[0].template);
      expect(run.sends[1]).toMatchObject({ template: 'plan-spring', channel: 'email' });
      expect(Date.parse(run.sends[1].at) - Date.parse(run.sends[0].at)).toBe(7 * 86_400_000);
    }
  });
});

describe('convertPinpointJourney: CUSTOM and ContactCenter activities, conditions Retain cannot express', () => {
  const { definition, report } = convertPinpointJourney(fixture('unsupported'));

  it('leaves custom and contact-center activities out and goes straight on to what follows them', () => {
    expect(definition.start).toBe('recent');
    expect(activity(report, 'lambda')).toMatchObject({ kind: 'CUSTOM', outcome: 'left-out', steps: [] });
    expect(activity(report, 'call')).toMatchObject({ kind: 'ContactCenter', outcome: 'left-out', steps: [] });
    expect(definition.trigger).toEqual({ kind: 'manual' });
  });

  it('keeps both paths of a split on a behaviour condition behind a placeholder nobody matches', () => {
    expect(definition.steps.recent).toEqual({
      type: 'branch',
      condition: { attribute: PLACEHOLDER_ATTRIBUTE, op: 'exists' },
      then: 'activeMail',
      else: 'inactiveMail',
    });
    const recent = activity(report, 'recent') as unknown as { outcome: string; note: string };
    expect(recent.outcome).toBe('left-out');
    expect(recent.note).toContain('Behavior');
  });

  it('drops an activity no path reaches, with its template, and says so', () => {
    expect(definition.steps.orphan).toBeUndefined();
    expect(activity(report, 'orphan')).toMatchObject({
      outcome: 'left-out',
      note: 'no path from the start activity reaches it',
    });
    expect(report.templates.map((t) => t.id)).toEqual(['thanks-active', 'miss-you']);
    expect(report.notes).toContain('unreachable in Pinpoint, left out: orphan');
    expect(validateJourney(definition).ok).toBe(true);
  });
});

describe('convertPinpointJourney: Limits, QuietTime, Schedule', () => {
  const { definition, report } = convertPinpointJourney(fixture('limits-quiet-time'));

  it('proposes quiet hours and the caps Retain has, and notes the limits it has not', () => {
    expect(report.proposedSettings).toEqual({
      quietHours: { enabled: true, start: '21:00', end: '08:00' },
      caps: [
        { id: 'pinpoint-daily', channel: 'any', window: 'day', limit: 2 },
        { id: 'pinpoint-weekly', channel: 'any', window: 'week', limit: 3 },
      ],
    });
    const notes = report.notes.join('\n');
    for (const word of [
      'TotalCap 100000',
      'MessagesPerSecond 50',
      'EndpointReentryCap 3',
      'RefreshFrequency',
      'metric filters (age)',
      'Birthday Today',
    ])
      expect(notes).toContain(word);
    expect(definition.reentry).toEqual({ policy: 'after', days: 300 });
  });

  it('names a Korean journey and Korean templates with ids Retain accepts', () => {
    expect(definition.id).toBe('pinpoint-1a2b3c4d5e6f708192a3b4c5d6e7f801');
    expect(definition.name).toBe('생일 축하');
    expect(report.templates).toEqual([
      { id: 'birthdaypush-push', channel: 'push', pinpointName: '생일_푸시' },
      { id: 'birthday-coupon', channel: 'email', pinpointName: 'Birthday Coupon' },
    ]);
  });

  it('approximates a wait until a date and reports it', () => {
    expect(definition.steps.untilBirthday).toEqual({ type: 'wait', duration: '1m', next: 'birthdayPush' });
    expect(activity(report, 'untilBirthday')).toMatchObject({ outcome: 'approximated' });
    expect(definition.steps.gap).toEqual({ type: 'wait', duration: '90m', next: 'birthdayMail' });
  });
});

describe('convertPinpointJourney: bad input', () => {
  it('names the field it cannot read', () => {
    expect(() => convertPinpointJourney({ Name: 'x', Activities: {} })).toThrow(/StartActivity/);
    expect(() => convertPinpointJourney({ Name: 'x', StartActivity: 'a', Activities: {} })).toThrow(
      PinpointJourneyError,
    );
    expect(() =>
      convertPinpointJourney({
        Name: 'x',
        StartActivity: 'a',
        Activities: { a: { Holdout: { Percentage: 120 } } },
      }),
    ).toThrow(/Activities\.a\.Holdout\.Percentage/);
  });

  it('ends a cycle of skipped activities instead of looping, and gives colliding ids distinct steps', () => {
    const { definition } = convertPinpointJourney({
      Name: 'Loop',
      StartActivity: 'a.b',
      Activities: {
        'a.b': { EMAIL: { TemplateName: 'One', NextActivity: 'a-b' } },
        'a-b': { EMAIL: { TemplateName: 'Two', NextActivity: 'end' } },
        end: { EMAIL: { TemplateName: 'Three', NextActivity: 'x' } },
        x: { CUSTOM: { NextActivity: 'y' } },
        y: { CUSTOM: { NextActivity: 'x' } },
      },
    });
    expect(definition.start).toBe('a-b');
    expect(definition.steps['a-b']).toMatchObject({ template: 'one', next: 'a-b-2' });
    expect(definition.steps['a-b-2']).toMatchObject({ template: 'two', next: 'end-2' });
    expect(definition.steps['end-2']).toMatchObject({ template: 'three', next: 'end' });
    expect(definition.steps.end).toEqual({ type: 'exit' });
  });
});
