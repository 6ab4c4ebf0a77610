import { describe, expect, it } from 'vitest';
import {
  moments,
  msprtPValue,
  sampleSizePerArm,
  twoProportionZTest,
  twoSidedT,
  uplift,
  welchTTest,
  wilsonInterval,
} from '../../functions/core/metrics/statistics.js';
import { abTest, messageFunnel } from '../../functions/core/metrics/messageReports.js';
import type { MetricRow } from '../../functions/core/metrics/counters.js';
import { attributable, revenueOf } from '../../functions/core/metrics/attributeConversions.js';
import { outcomeCounts } from '../../functions/core/metrics/counters.js';

describe('statistics against published values', () => {
  it('Wilson interval: 10 of 100 → [0.0552, 0.1744] (Newcombe 1998, method 3)', () => {
    const { low, high } = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.0552, 4);
    expect(high).toBeCloseTo(0.1744, 4);
    // Never outside [0, 1], even at 0 of n.
    expect(wilsonInterval(0, 20)).toEqual({ low: 0, high: expect.closeTo(0.1611, 4) });
  });

  it('two-proportion z-test: 200/1000 vs 250/1000 → z = −2.68, p = 0.0074 (by hand: p̄ = 0.225)', () => {
    const { z, p } = twoProportionZTest(200, 1000, 250, 1000);
    expect(z).toBeCloseTo(-2.6775, 3);
    expect(p).toBeCloseTo(0.00742, 4);
  });

  it('the t distribution: t = 2.776 with 4 degrees of freedom is the two-sided 5 % point (tables)', () => {
    expect(twoSidedT(2.776, 4)).toBeCloseTo(0.05, 3);
    expect(twoSidedT(1.96, 1e6)).toBeCloseTo(0.05, 3);
  });

  it("Welch's test from sums: t and the Satterthwaite degrees of freedom computed by hand", () => {
    // A = [0, 0, 10, 20]: mean 7.5, variance 91.667; B = [0, 5, 5, 5, 5]: mean 4, variance 5.
    const a = { n: 4, ...moments(4, 30, 500) };
    const b = { n: 5, ...moments(5, 20, 100) };
    expect(a.variance).toBeCloseTo(91.667, 3);
    expect(b.variance).toBeCloseTo(5, 6);
    const { t, df } = welchTTest(a, b);
    expect(t).toBeCloseTo(0.7157, 3);
    // df = (22.917 + 1)² / (22.917²/3 + 1²/4) = 3.263
    expect(df).toBeCloseTo(3.263, 2);
  });

  it('sample size: 10 % → 12 % at α = 0.05 two-sided and 80 % power needs 3,841 per arm (Fleiss)', () => {
    expect(sampleSizePerArm(0.1, 0.02)).toBe(3841);
    expect(sampleSizePerArm(0.1, 0)).toBe(Infinity);
  });

  it('uplift: the unpooled interval of 12 % vs 10 % at 1,000 each', () => {
    const { absolute, relative } = uplift(120, 1000, 100, 1000);
    expect(absolute.estimate).toBeCloseTo(0.02, 10);
    // se = √(0.12·0.88/1000 + 0.1·0.9/1000) = 0.013964
    expect(absolute.high - absolute.estimate).toBeCloseTo(1.96 * 0.013964, 4);
    expect(relative!.estimate).toBeCloseTo(0.2, 10);
  });

  it('mSPRT: no evidence gives p = 1; the always-valid p is never below the fixed-horizon one', () => {
    expect(msprtPValue(100, 1000, 100, 1000, 0.0001)).toBe(1);
    const fixed = twoProportionZTest(150, 1000, 100, 1000).p;
    const always = msprtPValue(150, 1000, 100, 1000, 0.02 ** 2);
    expect(always).toBeGreaterThan(fixed);
    expect(always).toBeLessThan(0.05);
    // By hand: V = 0.0002175, θ = 0.05, τ² = 0.0004 → √(V/(V+τ²)) = 0.5935, exp(τ²θ²/(2V(V+τ²))) = e^3.7229 = 41.39,
    // Λ = 24.56, p = 1/Λ = 0.0407
    expect(msprtPValue(150, 1000, 100, 1000, 0.0004)).toBeCloseTo(0.0407, 3);
  });
});

const row = (variant: string, counts: Record<string, number>, extra: Partial<MetricRow> = {}): MetricRow => ({
  journeyId: 'broadcast:sale',
  stepId: 'send',
  variant,
  template: 'sale',
  day: '2026-11-23',
  counts,
  ...extra,
});

describe('reports from counters', () => {
  it('the funnel: rates with their denominators, summed over days', () => {
    const [line] = messageFunnel([
      row('A', {
        requested: 100,
        sent: 90,
        delivered: 80,
        opened: 40,
        clicked: 10,
        converted: 5,
        revenue: 50000,
        unsubscribed: 1,
        complained: 1,
        skipped: 10,
      }),
      row(
        'A',
        { requested: 100, sent: 110, delivered: 120, opened: 20, clicked: 10, converted: 5, revenue: 50000 },
        { day: '2026-11-24' },
      ),
    ]);
    expect(line).toMatchObject({
      sent: 200,
      delivered: 200,
      opened: 60,
      clicked: 20,
      converted: 10,
      revenue: 100000,
      skipped: 10,
    });
    expect(line.openRate).toBe(0.3);
    expect(line.clickToOpenRate).toBe(0.3333);
    expect(line.conversionRate).toBe(0.05);
    expect(line.negativeReactionRate).toBe(0.01);
    expect(line.revenuePerRecipient).toBe(500);
  });

  it('the A/B test against control: waits for the sample, then names the winner', () => {
    const early = abTest(
      [
        row('control', { heldOut: 100, converted: 10 }),
        row('A', { sent: 100, converted: 15, revenue: 150000, revenueSquares: 15 * 10000 ** 2 }),
      ],
      { mde: 0.2 },
    );
    expect(early.reference).toBe('control');
    expect(early.winner).toBeNull();
    // 10 % → 12 % needs 3,841 a side.
    expect(early.requiredPerArm).toBe(3841);
    expect(early.verdict).toContain('3741 more');
    const late = abTest(
      [
        row('control', { heldOut: 4000, converted: 400, revenue: 4_000_000, revenueSquares: 400 * 10000 ** 2 }),
        row('A', { sent: 4000, converted: 520, revenue: 5_200_000, revenueSquares: 520 * 10000 ** 2 }),
      ],
      { mde: 0.2 },
    );
    expect(late.winner).toBe('A');
    const a = late.arms.find((x) => x.variant === 'A')!;
    expect(a.vsReference!.pValue).toBeLessThan(0.001);
    expect(a.vsReference!.incrementalConversions.estimate).toBe(120);
    expect(a.vsReference!.incrementalRevenue.estimate).toBe(1_200_000);
    expect(late.definitions.pValue).toMatch(/pooled two-proportion z-test/);
  });
});

describe('conversion attribution', () => {
  const message = (journeyId: string, key: string, sentAt: string, status = 'sent') =>
    ({
      userKey: 'u:c',
      idempotencyKey: key,
      channel: 'email',
      template: 't',
      category: 'marketing',
      journeyId,
      status,
      requestedAt: sentAt,
      updatedAt: sentAt,
      sentAt: status === 'sent' ? sentAt : undefined,
    }) as never;

  it('credits the latest message of each journey within the window, control included, nothing after the goal', () => {
    const rule = { event: 'Order Completed', windowDays: 3 };
    const chosen = attributable(
      [
        message('cart', 'c1', '2026-11-20T00:00:00Z'),
        message('cart', 'c2', '2026-11-22T00:00:00Z'),
        message('broadcast:sale', 'b1', '2026-11-22T12:00:00Z', 'held-out'),
        message('welcome', 'w1', '2026-11-10T00:00:00Z'),
        message('later', 'l1', '2026-11-24T00:00:00Z'),
        message('skipped', 's1', '2026-11-22T00:00:00Z', 'skipped'),
      ],
      'Order Completed',
      '2026-11-23T00:00:00Z',
      rule,
    );
    expect(chosen.map((m: { idempotencyKey: string }) => m.idempotencyKey).sort()).toEqual(['b1', 'c2']);
    // A journey's own goal replaces the rule for its messages: cart's goal is Checkout Started within 1 day.
    const goals = (id: string) => (id === 'cart' ? { event: 'Checkout Started', windowDays: 1 } : undefined);
    const withGoals = (event: string) =>
      attributable(
        [
          message('cart', 'c2', '2026-11-22T00:00:00Z'),
          message('broadcast:sale', 'b1', '2026-11-22T12:00:00Z', 'held-out'),
        ],
        event,
        '2026-11-23T00:00:00Z',
        rule,
        goals,
      );
    expect(withGoals('Order Completed').map((m: { idempotencyKey: string }) => m.idempotencyKey)).toEqual(['b1']);
    expect(withGoals('Checkout Started').map((m: { idempotencyKey: string }) => m.idempotencyKey)).toEqual(['c2']);
    expect(revenueOf({ properties: { total: 30000 } })).toBe(30000);
    expect(revenueOf({ properties: { revenue: '12000' } })).toBe(12000);
    expect(revenueOf({ properties: { revenue: -5 } })).toBe(0);
  });

  it('counts a request once: requested with its first outcome only', () => {
    expect(outcomeCounts('deferred', 'quiet hours', true)).toEqual({ deferred: 1, requested: 1 });
    expect(outcomeCounts('sent', undefined, false)).toEqual({ sent: 1 });
    expect(outcomeCounts('skipped', 'no e-mail consent', true)).toEqual({
      skipped: 1,
      requested: 1,
      'skipped:no e-mail consent': 1,
    });
    expect(outcomeCounts('fallback', 'x', false)).toBeUndefined();
  });
});
