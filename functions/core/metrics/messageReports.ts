// Reports read from the live counters: the journey/message funnel and the A/B test with its statistics.
// Each states its definitions, so a number pasted into a spreadsheet carries its meaning with it.

import type { MetricRow } from './counters.js';
import { sumCounts } from './counters.js';
import {
  moments,
  msprtPValue,
  sampleSizePerArm,
  twoProportionZTest,
  uplift,
  welchTTest,
  wilsonInterval,
} from './statistics.js';

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
/** A figure for a report: rounded, and null where there is none (no denominator, not finite). */
export const round = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits));

export type FunnelLine = {
  stepId: string;
  variant: string;
  template: string;
  requested: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  converted: number;
  revenue: number;
  heldOut: number;
  skipped: number;
  capped: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  deliveryRate: number | null;
  openRate: number | null;
  clickRate: number | null;
  clickToOpenRate: number | null;
  conversionRate: number | null;
  negativeReactionRate: number | null;
  revenuePerRecipient: number | null;
};

export const FUNNEL_DEFINITIONS = {
  sent: 'messages handed to the provider',
  reached: 'delivered where the channel reports deliveries (e-mail, texts with reports), else sent',
  deliveryRate: 'delivered ÷ sent',
  openRate: 'unique opens ÷ reached',
  clickRate: 'unique clicks ÷ reached',
  clickToOpenRate: 'unique clicks ÷ unique opens',
  conversionRate: 'converted ÷ sent (a conversion is the attribution event within the window after the message)',
  negativeReactionRate: '(unsubscribes + complaints) ÷ reached',
  revenuePerRecipient: 'attributed revenue ÷ sent',
  days: 'counted under the day the message was requested',
};

/** One line per step × variant × template, over the days asked for. */
export function messageFunnel(rows: MetricRow[]): FunnelLine[] {
  const groups = new Map<string, MetricRow[]>();
  for (const row of rows) {
    const key = [row.stepId ?? '-', row.variant ?? '-', row.template].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()].map(([key, group]) => {
    const [stepId, variant, template] = key.split('\u0000');
    const c = sumCounts(group);
    const n = (name: string) => c[name] ?? 0;
    const reached = n('delivered') > 0 ? n('delivered') : n('sent');
    return {
      stepId,
      variant,
      template,
      requested: n('requested'),
      sent: n('sent'),
      delivered: n('delivered'),
      opened: n('opened'),
      clicked: n('clicked'),
      converted: n('converted'),
      revenue: n('revenue'),
      heldOut: n('heldOut'),
      skipped: n('skipped'),
      capped: n('capped'),
      bounced: n('bounced'),
      complained: n('complained'),
      unsubscribed: n('unsubscribed'),
      deliveryRate: round(ratio(n('delivered'), n('sent'))),
      openRate: round(ratio(n('opened'), reached)),
      clickRate: round(ratio(n('clicked'), reached)),
      clickToOpenRate: round(ratio(n('clicked'), n('opened'))),
      conversionRate: round(ratio(n('converted'), n('sent'))),
      negativeReactionRate: round(ratio(n('unsubscribed') + n('complained'), reached)),
      revenuePerRecipient: round(ratio(n('revenue'), n('sent')), 2),
    };
  });
}

export type AbArm = {
  variant: string;
  recipients: number;
  conversions: number;
  conversionRate: number | null;
  interval: { low: number | null; high: number | null };
  revenue: number;
  revenuePerRecipient: number | null;
  /** Where the arm's messages printed coupon codes: how many, how many orders used them, their revenue. */
  coupons?: { issued: number; redeemed: number; redemptionRate: number | null; revenue: number };
  vsReference?: {
    absoluteUplift: { estimate: number | null; low: number | null; high: number | null };
    relativeUplift: { estimate: number | null; low: number | null; high: number | null } | null;
    pValue: number | null;
    alwaysValidPValue: number | null;
    revenuePerRecipient: { difference: number | null; t: number | null; df: number | null; pValue: number | null };
    incrementalConversions: { estimate: number | null; low: number | null; high: number | null };
    incrementalRevenue: { estimate: number | null; low: number | null; high: number | null };
  };
};

export type AbReport = {
  reference: string;
  arms: AbArm[];
  requiredPerArm: number | null;
  winner: string | null;
  verdict: string;
  definitions: Record<string, string>;
};

/**
 * The A/B report: each variant against the control group (or, without one, against the first variant).
 * `mde`: the minimum detectable effect, relative to the reference's rate (0.1 = a 10 % lift).
 */
export function abTest(rows: MetricRow[], options: { mde: number; alpha?: number; power?: number }): AbReport {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const byVariant = new Map<string, MetricRow[]>();
  for (const row of rows) byVariant.set(row.variant ?? '-', [...(byVariant.get(row.variant ?? '-') ?? []), row]);
  const arms = [...byVariant.entries()]
    .map(([variant, group]) => {
      const c = sumCounts(group);
      // The control group's recipients are the held-out ones; a variant's are those it was sent to.
      const recipients = variant === 'control' ? (c.heldOut ?? 0) : (c.sent ?? 0);
      return {
        variant,
        recipients,
        conversions: c.converted ?? 0,
        revenue: c.revenue ?? 0,
        revenueSquares: c.revenueSquares ?? 0,
        couponsIssued: c.couponsIssued ?? 0,
        couponsRedeemed: c.couponsRedeemed ?? 0,
        couponRevenue: c.couponRevenue ?? 0,
      };
    })
    .sort((a, b) => (a.variant === 'control' ? -1 : b.variant === 'control' ? 1 : a.variant.localeCompare(b.variant)));
  const reference = arms[0];
  const baseline = reference && reference.recipients > 0 ? reference.conversions / reference.recipients : 0;
  const effect = baseline * options.mde;
  const required = baseline > 0 && effect > 0 ? sampleSizePerArm(baseline, effect, alpha, power) : null;
  // The mixture's variance: the square of the effect worth detecting.
  const tau2 = Math.max(effect * effect, 1e-6);

  const results: AbArm[] = arms.map((arm) => {
    const wilson = wilsonInterval(arm.conversions, arm.recipients);
    const line: AbArm = {
      variant: arm.variant,
      recipients: arm.recipients,
      conversions: arm.conversions,
      conversionRate: round(ratio(arm.conversions, arm.recipients)),
      interval: { low: round(wilson.low), high: round(wilson.high) },
      revenue: arm.revenue,
      revenuePerRecipient: round(ratio(arm.revenue, arm.recipients), 2),
      ...(arm.couponsIssued > 0
        ? {
            coupons: {
              issued: arm.couponsIssued,
              redeemed: arm.couponsRedeemed,
              redemptionRate: round(ratio(arm.couponsRedeemed, arm.couponsIssued)),
              revenue: arm.couponRevenue,
            },
          }
        : {}),
    };
    if (arm === reference) return line;
    const diff = uplift(arm.conversions, arm.recipients, reference.conversions, reference.recipients);
    const test = twoProportionZTest(arm.conversions, arm.recipients, reference.conversions, reference.recipients);
    const a = { n: arm.recipients, ...moments(arm.recipients, arm.revenue, arm.revenueSquares) };
    const b = {
      n: reference.recipients,
      ...moments(reference.recipients, reference.revenue, reference.revenueSquares),
    };
    const welch = welchTTest(a, b);
    const revenueSe = Math.sqrt((a.n ? a.variance / a.n : 0) + (b.n ? b.variance / b.n : 0));
    const q = 1.959963984540054;
    line.vsReference = {
      absoluteUplift: {
        estimate: round(diff.absolute.estimate),
        low: round(diff.absolute.low),
        high: round(diff.absolute.high),
      },
      relativeUplift: diff.relative
        ? { estimate: round(diff.relative.estimate), low: round(diff.relative.low), high: round(diff.relative.high) }
        : null,
      pValue: round(test.p, 6),
      alwaysValidPValue: round(
        msprtPValue(arm.conversions, arm.recipients, reference.conversions, reference.recipients, tau2),
        6,
      ),
      revenuePerRecipient: {
        difference: round(a.mean - b.mean, 2),
        t: round(welch.t),
        df: round(welch.df, 1),
        pValue: round(welch.p, 6),
      },
      incrementalConversions: {
        estimate: round(diff.absolute.estimate * arm.recipients, 1),
        low: round(diff.absolute.low * arm.recipients, 1),
        high: round(diff.absolute.high * arm.recipients, 1),
      },
      incrementalRevenue: {
        estimate: round((a.mean - b.mean) * arm.recipients, 0),
        low: round((a.mean - b.mean - q * revenueSe) * arm.recipients, 0),
        high: round((a.mean - b.mean + q * revenueSe) * arm.recipients, 0),
      },
    };
    return line;
  });

  const challengers = results.filter((r) => r.variant !== reference?.variant);
  const shortest = required === null ? null : Math.min(...arms.map((a) => a.recipients));
  let winner: string | null = null;
  let verdict: string;
  if (!reference || challengers.length === 0) verdict = 'nothing to compare yet: at least two arms need recipients';
  else if (required === null)
    verdict = `no conversions in ${reference.variant} yet: the sample size cannot be estimated`;
  else if (shortest! < required)
    verdict = `not yet: each arm needs ${required} recipients to detect a ${Math.round(options.mde * 100)} % lift at 80 % power; the smallest has ${shortest} (${required - shortest!} more)`;
  else {
    const significant = challengers.filter(
      (c) => (c.vsReference?.pValue ?? 1) < alpha && (c.vsReference?.absoluteUplift.estimate ?? 0) > 0,
    );
    const best = significant.sort((x, y) => (y.conversionRate ?? 0) - (x.conversionRate ?? 0))[0];
    if (best) {
      winner = best.variant;
      verdict = `${best.variant} wins: ${Math.round((best.vsReference!.relativeUplift?.estimate ?? 0) * 100)} % more conversions than ${reference.variant} (p = ${best.vsReference!.pValue})`;
    } else verdict = `no variant beats ${reference.variant} at p < ${alpha} with the sample reached`;
  }

  return {
    reference: reference?.variant ?? '-',
    arms: results,
    requiredPerArm: required,
    winner,
    verdict,
    definitions: {
      recipients: 'a variant: messages sent; control: customers held out',
      conversion: 'the attribution event within the window after the message (one per recipient)',
      interval: 'Wilson score interval, 95 %',
      uplift: 'variant − reference, unpooled normal approximation, 95 %; relative = ÷ the reference rate',
      pValue: 'pooled two-proportion z-test, two-sided, no continuity correction',
      alwaysValidPValue:
        'mSPRT with a normal mixture (τ = the minimum detectable effect): valid however often you look',
      revenuePerRecipient: "Welch's t-test on attributed revenue per recipient",
      coupons:
        "codes the arm's sent messages printed, the orders that used one (properties.coupon, any time later) and their revenue; redemptionRate = redeemed ÷ issued",
      winner: `declared only when every arm has the sample for a ${Math.round(options.mde * 100)} % relative lift at 80 % power and p < ${alpha}`,
    },
  };
}
