import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveRecordOf } from '../../functions/core/analytics/archiveRecord.js';
import {
  churnSql,
  funnelParams,
  funnelShape,
  funnelSql,
  ltvHistoryShape,
  ltvHistorySql,
  orderParams,
  cohortParams,
  paretoShape,
  paretoSql,
  repurchaseShape,
  repurchaseSql,
  retentionShape,
  retentionSql,
  revenueTreeShape,
  revenueTreeSql,
  RFM_SEGMENTS,
  rfmSegment,
  rfmShape,
  rfmSql,
} from '../../functions/core/analytics/eventReports.js';
import { athenaDialect } from '../../functions/core/analytics/dialect.js';
import { quintileCuts, scoreOf } from '../../functions/core/analytics/refreshCustomers.js';
import { LocalEventArchive } from '../../functions/adapters/local/LocalEventArchive.js';
import { DuckDbReportEngine } from '../../functions/adapters/local/DuckDbReportEngine.js';
import { storedEvent } from '../unit/builders.js';

/*
 * Six customers, answers worked out by hand:
 * u1: viewed 11-01 10:00 (source email), added 10:30, checkout 11:00, ordered 11:10 (100), ordered again 11-15 (50)
 * u2: viewed 11-02 09:00 (source ads), added 12:00 — stops
 * u3: viewed 11-03, added 11-12 (after the 7-day window), ordered 11-20 (850)
 * u4: ordered 10-05 (200) and 11-04 (200)
 * u5: ordered 11-10 (100)
 */
const track = (
  userId: string,
  event: string,
  timestamp: string,
  properties: Record<string, unknown> = {},
  source?: string,
) =>
  archiveRecordOf(
    storedEvent({
      type: 'track',
      userId,
      event,
      timestamp,
      messageId: `${userId}-${event}-${timestamp}`,
      properties,
      ...(source ? { context: { campaign: { source } } } : {}),
    }),
  );

let engine: DuckDbReportEngine;
const range = { from: '2026-10-01', to: '2026-11-30' };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'retain-reports-'));
  const archive = new LocalEventArchive(dir);
  const records = [
    track('u1', 'Product Viewed', '2026-11-01T10:00:00.000Z', {}, 'email'),
    track('u1', 'Product Added', '2026-11-01T10:30:00.000Z'),
    track('u1', 'Checkout Started', '2026-11-01T11:00:00.000Z'),
    track('u1', 'Order Completed', '2026-11-01T11:10:00.000Z', { total: 100 }),
    track('u1', 'Order Completed', '2026-11-15T11:10:00.000Z', { total: 50 }),
    track('u2', 'Product Viewed', '2026-11-02T09:00:00.000Z', {}, 'ads'),
    track('u2', 'Product Added', '2026-11-02T12:00:00.000Z'),
    track('u3', 'Product Viewed', '2026-11-03T09:00:00.000Z'),
    track('u3', 'Product Added', '2026-11-12T09:00:00.000Z'),
    track('u3', 'Order Completed', '2026-11-20T09:00:00.000Z', { revenue: 850 }),
    track('u4', 'Order Completed', '2026-10-05T09:00:00.000Z', { total: 200 }),
    track('u4', 'Order Completed', '2026-11-04T09:00:00.000Z', { total: 200 }),
    track('u5', 'Order Completed', '2026-11-10T09:00:00.000Z', { total: 100 }),
  ];
  await archive.append(records);
  // The archive is at-least-once: a repeated batch must not change any answer.
  await archive.append(records.slice(0, 4));
  engine = new DuckDbReportEngine(dir);
});

describe('archive reports on DuckDB, against hand-computed answers', () => {
  it('event funnel: counts, step conversion, drop-off and median time, broken down by source', async () => {
    const p = funnelParams.parse({
      steps: [
        { event: 'Product Viewed' },
        { event: 'Product Added' },
        { event: 'Checkout Started' },
        { event: 'Order Completed' },
      ],
      ...range,
    });
    const [all] = funnelShape(await engine.query(funnelSql(engine.dialect, p)), p);
    expect(all.steps.map((s) => s.customers)).toEqual([3, 2, 1, 1]);
    expect(all.steps[1]).toMatchObject({ conversionFromPrevious: 0.6667, dropOff: 1, medianHoursFromPrevious: 1.75 });
    expect(all.steps[3]).toMatchObject({ conversionFromFirst: 0.3333, medianHoursFromPrevious: 0.17 });
    const bySource = funnelShape(
      await engine.query(funnelSql(engine.dialect, { ...p, breakdown: 'campaign_source' })),
      p,
    );
    expect(Object.fromEntries(bySource.map((s) => [s.segment, s.steps.map((x) => x.customers)]))).toEqual({
      email: [1, 1, 1, 1],
      ads: [1, 1, 0, 0],
      '(none)': [1, 0, 0, 0],
    });
    const history = funnelParams.parse({
      steps: [{ event: 'Order Completed' }, { event: 'Order Completed' }],
      windowDays: 60,
      breakdown: 'order_history',
      ...range,
    });
    // Each buyer's step 1 is their first order, so nobody had ordered before it: all "first"; u1 and u4 ordered again.
    expect(
      Object.fromEntries(
        funnelShape(await engine.query(funnelSql(engine.dialect, history)), history).map((s) => [
          s.segment,
          s.steps.map((x) => x.customers),
        ]),
      ),
    ).toEqual({ first: [4, 2] });
    // From 11-10: u1's order of 11-15 follows one of 11-01 (before the range: still history) → repeat; u3, u5 first.
    const later = funnelParams.parse({
      steps: [{ event: 'Order Completed' }, { event: 'Order Completed' }],
      windowDays: 30,
      breakdown: 'order_history',
      from: '2026-11-10',
      to: '2026-11-30',
    });
    expect(
      Object.fromEntries(
        funnelShape(await engine.query(funnelSql(engine.dialect, later)), later).map((s) => [
          s.segment,
          s.steps.map((x) => x.customers),
        ]),
      ),
    ).toEqual({ first: [2, 0], repeat: [1, 0] });
    // A property filter on a step: only orders over 500 count.
    const big = funnelParams.parse({
      steps: [{ event: 'Product Viewed' }, { event: 'Order Completed', where: { revenue: 850 } }],
      windowDays: 30,
      ...range,
    });
    expect(
      funnelShape(await engine.query(funnelSql(engine.dialect, big)), big)[0].steps.map((s) => s.customers),
    ).toEqual([3, 1]);
  });

  it('repurchase: rate and days between orders', async () => {
    const r = repurchaseShape(await engine.query(repurchaseSql(engine.dialect, orderParams.parse(range))));
    expect(r).toMatchObject({ buyers: 4, repeatBuyers: 2, repurchaseRate: 0.5, medianDaysBetweenOrders: 22 });
    expect(r.daysBetweenOrders.filter((b) => b.orders > 0)).toEqual([
      { days: '14-29', orders: 1 },
      { days: '30-59', orders: 1 },
    ]);
  });

  it('Pareto: the top 20 % of buyers (one of four) bring 850 of 1,500', async () => {
    const r = paretoShape(await engine.query(paretoSql(engine.dialect, orderParams.parse(range))));
    expect(r).toMatchObject({ customers: 4, revenue: 1500, top20Share: 0.5667 });
    expect(r.curve).toEqual([
      { topPercentOfCustomers: 25, shareOfRevenue: 0.5667 },
      { topPercentOfCustomers: 50, shareOfRevenue: 0.8333 },
      { topPercentOfCustomers: 75, shareOfRevenue: 0.9333 },
      { topPercentOfCustomers: 100, shareOfRevenue: 1 },
    ]);
  });

  it('revenue tree: visitors × conversion × AOV, first and repeat orders, per month', async () => {
    const [oct, nov] = revenueTreeShape(await engine.query(revenueTreeSql(engine.dialect, orderParams.parse(range))));
    expect(oct).toMatchObject({
      period: '2026-10-01',
      visitors: 1,
      buyers: 1,
      orders: 1,
      revenue: 200,
      firstOrders: { orders: 1, revenue: 200 },
    });
    expect(nov).toMatchObject({
      period: '2026-11-01',
      visitors: 5,
      buyers: 4,
      conversion: 0.8,
      orders: 5,
      revenue: 1300,
      averageOrderValue: 260,
    });
    expect(nov.firstOrders).toEqual({ orders: 3, revenue: 1050, averageOrderValue: 350 });
    expect(nov.repeatOrders).toEqual({ orders: 2, revenue: 250, averageOrderValue: 125 });
  });

  it('retention by first-order cohort, and churn', async () => {
    const p = cohortParams.parse(range);
    const r = retentionShape(
      await engine.query(retentionSql(engine.dialect, p)),
      await engine.query(churnSql(engine.dialect, p)),
    );
    expect(r.cohorts).toEqual([
      { cohort: '2026-10-01', size: 1, active: [1, 1], share: [1, 1] },
      { cohort: '2026-11-01', size: 3, active: [3], share: [1] },
    ]);
    expect(r.churn).toEqual([{ period: '2026-11-01', previouslyActive: 1, churned: 0, churnRate: 0 }]);
    const weekly = cohortParams.parse({ ...range, period: 'week', cohort: 'first_seen', activity: 'order' });
    const w = retentionShape(
      await engine.query(retentionSql(engine.dialect, weekly)),
      await engine.query(churnSql(engine.dialect, weekly)),
    );
    // u4's week of 10-05 ordered again four weeks later: active at offset 4 only.
    expect(w.cohorts[0]).toEqual({ cohort: '2026-10-05', size: 1, active: [1, 0, 0, 0, 1], share: [1, 0, 0, 0, 1] });
  });

  it('historical LTV: cumulative revenue per customer by months since the first order', async () => {
    expect(ltvHistoryShape(await engine.query(ltvHistorySql(engine.dialect, orderParams.parse(range))))).toEqual([
      { cohort: '2026-10-01', customers: 1, cumulativeRevenuePerCustomer: [200, 400] },
      { cohort: '2026-11-01', customers: 3, cumulativeRevenuePerCustomer: [366.67] },
    ]);
  });

  it('RFM: quintile scores per buyer as of the end of the range, named segments and thresholds', async () => {
    const r = rfmShape(await engine.query(rfmSql(engine.dialect, orderParams.parse(range))));
    // Four distinct values: the cut points are all four, so scores run 2–5 (R). Recency (days to 11-30 end of day): u3 10.6, u1 15.5, u5 20.6, u4 26.6.
    expect(r.customers).toBe(4);
    expect(r.thresholds.recencyDays.map((t) => t.from)).toEqual([26.6, 20.6, 15.5, 10.6]);
    expect(r.segments.reduce((n, s) => n + s.customers, 0)).toBe(4);
    // u3: latest (R 4), one order (F 1–2), highest spend (M 4) → mean F, M ≤ 3.5 → Potential loyalist.
    expect(r.segments.find((s) => s.segment === 'Potential loyalist')).toBeDefined();
    expect(rfmSegment(5, 5, 5)).toBe('Champions');
    expect(rfmSegment(1, 5, 5)).toBe("Can't lose");
    expect(rfmSegment(1, 4, 3)).toBe('At risk');
    expect(rfmSegment(5, 1, 1)).toBe('New');
    expect(rfmSegment(2, 1, 2)).toBe('Hibernating');
    // Every combination of scores has a name.
    const named = (R: number, fm: number) =>
      RFM_SEGMENTS.some((s) => R >= s.r[0] && R <= s.r[1] && fm >= s.fm[0] && fm <= s.fm[1]);
    for (let R = 1; R <= 5; R++)
      for (let F = 1; F <= 5; F++)
        for (let M = 1; M <= 5; M++) expect(named(R, (F + M) / 2), `R${R} F${F} M${M}`).toBe(true);
  });

  it('writes the same report for Athena with its own functions', () => {
    const p = funnelParams.parse({ steps: [{ event: 'Product Viewed' }, { event: `Men's "Sale"` }], ...range });
    const sql = funnelSql(athenaDialect('retain_analytics'), p);
    // Every report leaves out the erased-customer list.
    expect(sql).toContain(
      `FROM (SELECT * FROM "retain_analytics"."events" WHERE lower(to_hex(sha256(to_utf8(customer)))) NOT IN (SELECT hash FROM "retain_analytics"."erased_customers")) WHERE dt BETWEEN '2026-10-01' AND '2026-11-30'`,
    );
    expect(sql).toContain('from_iso8601_timestamp(ts)');
    expect(sql).toContain('min_by(');
    expect(sql).toContain("interval '604800' second");
    expect(sql).toContain('approx_percentile(');
    expect(sql).toContain(`b.event = 'Men''s "Sale"'`);
  });
});

describe('RFM with tied customers, on DuckDB', () => {
  /** A fresh archive of orders: [userId, day, amount], one order each unless a user repeats. */
  async function rfmOf(orders: [string, string, number][]) {
    const dir = mkdtempSync(join(tmpdir(), 'retain-rfm-ties-'));
    await new LocalEventArchive(dir).append(
      orders.map(([userId, day, total], i) =>
        track(userId, 'Order Completed', `${day}T09:00:00.000Z`, { total, n: i }),
      ),
    );
    const reports = new DuckDbReportEngine(dir);
    const rows = await reports.query(rfmSql(reports.dialect, orderParams.parse(range)));
    return { rows, shape: rfmShape(rows) };
  }

  it('gives seven customers with the same single order on the same day one score and one segment', async () => {
    const seven = Array.from({ length: 7 }, (_, i): [string, string, number] => [`tie${i}`, '2026-11-10', 120]);
    const { rows, shape } = await rfmOf(seven);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].customers)).toBe(7);
    expect(shape.segments.map((s) => [s.segment, s.customers])).toEqual([[rfmSegment(5, 1, 1), 7]]);
    expect(shape.thresholds.recencyDays).toHaveLength(1);
  });

  it('scores tied customers alike among others, with the cut points the daily refresh uses', async () => {
    const tied = Array.from({ length: 7 }, (_, i): [string, string, number] => [`same${i}`, '2026-11-10', 120]);
    const others: [string, string, number][] = [
      ['o1', '2026-11-28', 900],
      ['o1', '2026-11-20', 300],
      ['o2', '2026-10-03', 40],
      ['o3', '2026-11-25', 500],
    ];
    const { rows } = await rfmOf([...tied, ...others]);
    // The same customers, scored by the refresh's rule from their recency, orders and revenue.
    const asOf = Date.parse(`${range.to}T23:59:59Z`);
    const per = new Map<string, { last: number; orders: number; revenue: number }>();
    for (const [user, day, total] of [...tied, ...others]) {
      const c = per.get(user) ?? { last: 0, orders: 0, revenue: 0 };
      per.set(user, {
        last: Math.max(c.last, Date.parse(`${day}T09:00:00.000Z`)),
        orders: c.orders + 1,
        revenue: c.revenue + total,
      });
    }
    const buyers = [...per.values()].map((c) => ({ ...c, recency: (asOf - c.last) / 86_400_000 }));
    const cuts = {
      r: quintileCuts(buyers.map((b) => b.recency)),
      f: quintileCuts(buyers.map((b) => b.orders)),
      m: quintileCuts(buyers.map((b) => b.revenue)),
    };
    const expected = new Map<string, number>();
    for (const b of buyers) {
      const key = `${scoreOf(b.recency, cuts.r, true)}${scoreOf(b.orders, cuts.f)}${scoreOf(b.revenue, cuts.m)}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const got = new Map(rows.map((r) => [`${r.r}${r.f}${r.m}`, Number(r.customers)]));
    expect(got).toEqual(expected);
    // The seven tied buyers share one cell.
    expect([...got.values()]).toContain(7);
    // One recency value never shows under two scores once ties share a score.
    const { shape } = await rfmOf([...tied, ...others]);
    const recencies = shape.thresholds.recencyDays.flatMap((t) => (t.from === t.to ? [t.from] : [t.from, t.to]));
    expect(new Set(recencies).size).toBe(recencies.length);
  });
});

describe('orders archived before ingest refused absurd money, on DuckDB', () => {
  it('count 1e308 totals as no revenue instead of blanking Pareto and RFM for everyone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-money-'));
    await new LocalEventArchive(dir).append([
      track('rich', 'Order Completed', '2026-11-02T09:00:00.000Z', { total: 1e308 }),
      track('rich', 'Order Completed', '2026-11-03T09:00:00.000Z', { total: 1e308 }),
      track('a', 'Order Completed', '2026-11-04T09:00:00.000Z', { total: 300 }),
      track('b', 'Order Completed', '2026-11-05T09:00:00.000Z', { total: 100 }),
    ]);
    const reports = new DuckDbReportEngine(dir);
    const p = orderParams.parse(range);
    const pareto = paretoShape(await reports.query(paretoSql(reports.dialect, p)));
    expect(pareto.revenue).toBe(400);
    expect(pareto.customers).toBe(3);
    const rfm = rfmShape(await reports.query(rfmSql(reports.dialect, p)));
    expect(rfm.segments.reduce((n, s) => n + s.revenue, 0)).toBe(400);
    expect(rfm.thresholds.revenue.every((t) => Number.isFinite(t.from) && Number.isFinite(t.to))).toBe(true);
  });
});
