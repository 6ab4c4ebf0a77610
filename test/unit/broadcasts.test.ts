import { describe, expect, it } from 'vitest';
import {
  assignVariant,
  broadcastSchema,
  contentHash,
  dueFor,
  waveOf,
  wavesOf,
  type BroadcastDefinition,
} from '../../functions/core/broadcasts/broadcast.js';
import { linkProblems, linksIn, recipientVerdict, testSendItem } from '../../functions/core/broadcasts/checklist.js';
import { pageLimit, planPage, throttledAt, type BroadcastPage } from '../../functions/core/broadcasts/fanOut.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import { missingVariables } from '../../functions/core/delivery/render.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';

const definition = (extra: Record<string, unknown> = {}): BroadcastDefinition =>
  broadcastSchema.parse({ id: 'sale', segment: 'all', template: 'sale-email', ...extra });

const customer = (id: string, change: (p: Profile) => void = () => undefined): Profile => {
  const profile = newProfile(`u:${id}`, '2026-11-01T00:00:00.000Z');
  profile.channels.email = `${id}@example.com`;
  profile.consent.email = { granted: true, at: '2026-11-01T00:00:00.000Z' };
  profile.consent.advertising = { granted: true, at: '2026-11-01T00:00:00.000Z' };
  change(profile);
  return profile;
};

describe('broadcast definitions', () => {
  it('takes either one template or variants, and sendAt or localTime', () => {
    expect(broadcastSchema.safeParse({ id: 'x', segment: 's' }).error?.issues[0].path).toEqual(['template']);
    expect(
      broadcastSchema.safeParse({ id: 'x', segment: 's', template: 't', variants: [{ name: 'A', template: 't' }] })
        .success,
    ).toBe(false);
    expect(
      broadcastSchema.safeParse({
        id: 'x',
        segment: 's',
        template: 't',
        sendAt: '2026-12-01T10:00:00+09:00',
        localTime: { date: '2026-12-01', time: '10:00' },
      }).error?.issues[0].path,
    ).toEqual(['localTime']);
    expect(
      broadcastSchema.safeParse({ id: 'x', segment: 's', variants: [{ name: 'control', template: 't' }] }).success,
    ).toBe(false);
    expect(broadcastSchema.safeParse({ id: 'x', segment: 's', template: 't', controlPercent: 60 }).success).toBe(false);
  });
});

describe('variant assignment', () => {
  it('holds out the control share and splits the rest by weight, the same way every time', () => {
    const ab = definition({
      template: undefined,
      variants: [
        { name: 'A', template: 'a', weight: 3 },
        { name: 'B', template: 'b', weight: 1 },
      ],
      controlPercent: 20,
    });
    const counts: Record<string, number> = { A: 0, B: 0, control: 0 };
    for (let i = 0; i < 20_000; i++) {
      const variant = assignVariant(ab, `u:c${i}`);
      counts[variant === 'control' ? 'control' : variant.name]++;
    }
    // 20 % control; of the 80 % left, 3:1 → 60 % A, 20 % B (±1.5 points at n = 20,000).
    expect(counts.control / 20_000).toBeCloseTo(0.2, 1);
    expect(counts.A / 20_000).toBeGreaterThan(0.585);
    expect(counts.A / 20_000).toBeLessThan(0.615);
    expect(counts.B / 20_000).toBeGreaterThan(0.185);
    expect(counts.B / 20_000).toBeLessThan(0.215);
    expect(assignVariant(ab, 'u:c7')).toEqual(assignVariant(ab, 'u:c7'));
  });
});

describe('local-time waves', () => {
  const local = definition({ localTime: { date: '2026-12-01', time: '10:00' } });
  const since = new Date('2026-11-30T00:00:00Z');

  it("is one wave per distinct instant the local time falls on among the audience's zones", () => {
    const waves = wavesOf(local, ['Asia/Seoul', 'Asia/Tokyo', 'Europe/Berlin', 'America/New_York'], since);
    // Seoul and Tokyo share UTC+9: three waves, earliest first.
    expect(waves.map((w) => w.toISOString())).toEqual([
      '2026-12-01T01:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T15:00:00.000Z',
    ]);
    expect(waveOf(dueFor(local, 'Asia/Tokyo', since), waves)).toBe(0);
    expect(waveOf(dueFor(local, 'America/New_York', since), waves)).toBe(2);
    // A zone the check did not see (a customer who moved) joins the next wave after their time, or the last.
    expect(waveOf(dueFor(local, 'Asia/Kolkata', since), waves)).toBe(1);
    expect(waveOf(dueFor(local, 'Pacific/Honolulu', since), waves)).toBe(2);
  });

  it('sends a local time that has passed in some zones at once there', () => {
    const late = new Date('2026-12-01T05:00:00Z');
    expect(wavesOf(local, ['Asia/Seoul', 'Europe/Berlin'], late).map((w) => w.toISOString())).toEqual([
      '2026-12-01T05:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
    ]);
  });
});

describe('the throttled fan-out of a page', () => {
  const now = new Date('2026-11-23T01:00:00Z');
  const page: BroadcastPage = {
    broadcastId: 'sale',
    wave: 0,
    waves: [now.toISOString()],
    segment: 0,
    totalSegments: 4,
    index: 0,
    position: 0,
  };
  const ctx = (extra: Partial<Parameters<typeof planPage>[2]> = {}) => ({
    definition: definition({ controlPercent: 10 }),
    condition: { attribute: 'consent.email.granted', op: 'eq', value: true } as const,
    segments: () => undefined,
    settings: defaultSettings(),
    channelOf: () => 'email' as const,
    sendingSince: now,
    ratePerMinute: 120,
    now,
    ...extra,
  });

  it("spaces each scan segment's recipients at its share of the rate, control first and unthrottled", () => {
    const profiles = Array.from({ length: 50 }, (_, i) => customer(`p${i}`));
    profiles.push(
      customer('no-consent', (p) => (p.consent.email = { granted: false, at: '2026-11-02T00:00:00.000Z' })),
    );
    const plan = planPage(page, profiles, ctx());
    const control = plan.deliveries.filter((d) => d.request.holdout);
    expect(control.length).toBe(plan.heldOut);
    expect(plan.deliveries).toHaveLength(50);
    expect(plan.nextPosition).toBe(50 - plan.heldOut);
    // 120 a minute over 4 segments: 30 a minute here, one every 2 s.
    const sent = plan.deliveries.filter((d) => !d.request.holdout);
    expect(sent.map((d) => d.at.getTime() - now.getTime())).toEqual(sent.map((_, i) => i * 2000));
    expect(sent[1].request.notBefore).toBe(new Date(now.getTime() + 2000).toISOString());
    expect(sent[0].request).toMatchObject({
      idempotencyKey: 'broadcast:sale:u:p0',
      journeyId: 'broadcast:sale',
      broadcastId: 'sale',
      variant: 'A',
    });
    expect(control.every((d) => d.at.getTime() === now.getTime() && d.request.variant === 'control')).toBe(true);
  });

  it('continues a segment where its last page left off, and reads at most ten minutes of it per page', () => {
    const plan = planPage(
      { ...page, position: 30 },
      [customer('late', () => undefined)],
      ctx({ definition: definition() }),
    );
    expect(plan.deliveries[0].at.getTime() - now.getTime()).toBe(60_000);
    expect(throttledAt(now, 45, 30).getTime() - now.getTime()).toBe(90_000);
    expect(pageLimit(120, 4)).toBe(300);
    expect(pageLimit(1, 8)).toBe(10);
    expect(pageLimit(1_000_000, 8)).toBe(1000);
  });
});

describe("the checklist's decisions", () => {
  const ctx = {
    settings: defaultSettings(),
    channelOf: () => 'email' as const,
    sendingSince: new Date('2026-11-23T01:00:00Z'),
  };

  it('follows the fallback chain and names the first reason when no channel can send', () => {
    const phoneOnly = customer('phone', (p) => {
      p.channels.email = undefined;
      p.channels.phone = '010-1234-5678';
      p.consent.sms = { granted: true, at: '2026-11-01T00:00:00.000Z' };
    });
    expect(recipientVerdict({ definition: definition() }, phoneOnly, ctx)).toEqual({
      kind: 'skip',
      reason: 'no e-mail address',
    });
    expect(recipientVerdict({ definition: definition({ fallback: ['sms'] }) }, phoneOnly, ctx)).toMatchObject({
      kind: 'candidate',
      channel: 'sms',
    });
    const night = recipientVerdict({ definition: definition() }, customer('x'), {
      ...ctx,
      sendingSince: new Date('2026-11-23T13:00:00Z'),
    });
    expect(night).toMatchObject({ kind: 'candidate', quietUntil: new Date('2026-11-23T23:00:00Z') });
  });

  it('wants every link well-formed and UTM-tagged, except our own unsubscribe link', () => {
    const links = linksIn([
      '<a href="https://shop.example/a?utm_source=retain&amp;utm_medium=email&amp;utm_campaign=sale">A</a> <a href="https://api.example/v1/unsubscribe?token=x">stop</a>',
      'Visit https://shop.example/b?utm_source=retain today or http//broken',
    ]);
    expect(links).toEqual([
      'https://shop.example/a?utm_source=retain&utm_medium=email&utm_campaign=sale',
      'https://api.example/v1/unsubscribe?token=x',
      'https://shop.example/b?utm_source=retain',
    ]);
    expect(linkProblems(links, 'https://api.example/v1/unsubscribe')).toEqual([
      { link: 'https://shop.example/b?utm_source=retain', problem: 'missing utm_medium, utm_campaign' },
    ]);
    expect(linkProblems(['https://exa mple.com/'], 'x')).toEqual([
      { link: 'https://exa mple.com/', problem: 'not a well-formed URL' },
    ]);
  });

  it('reports variables with no value and no default', () => {
    const scope = { profile: { traits: { name: '민지' } }, event: {} };
    expect(
      missingVariables(
        ['{{ profile.traits.name }} {{ profile.traits.city }} {{ profile.traits.tier | default: "member" }}'],
        scope,
      ),
    ).toEqual(['profile.traits.city']);
  });

  it('counts a test send only if it came after the last edit and showed the same content', () => {
    const hash = contentHash(definition(), [{ id: 't' }]);
    expect(testSendItem({ updatedAt: '2026-11-23T01:00:00Z' }, hash, 2).passed).toBe(false);
    expect(
      testSendItem(
        {
          updatedAt: '2026-11-23T01:00:00Z',
          testSend: { at: '2026-11-23T02:00:00Z', contentHash: hash, recipients: 2 },
        },
        hash,
        2,
      ).passed,
    ).toBe(true);
    expect(
      testSendItem(
        {
          updatedAt: '2026-11-23T03:00:00Z',
          testSend: { at: '2026-11-23T02:00:00Z', contentHash: hash, recipients: 2 },
        },
        hash,
        2,
      ).passed,
    ).toBe(false);
    expect(
      testSendItem(
        {
          updatedAt: '2026-11-23T01:00:00Z',
          testSend: { at: '2026-11-23T02:00:00Z', contentHash: hash, recipients: 2 },
        },
        contentHash(definition(), [{ id: 't', edited: true }]),
        2,
      ).passed,
    ).toBe(false);
    expect(testSendItem({ updatedAt: '2026-11-23T01:00:00Z' }, hash, 0).summary).toMatch(/seed list is empty/);
  });
});
