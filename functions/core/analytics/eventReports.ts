// Reports over the event archive, each SQL written once against the dialect (DuckDB locally, Athena in
// AWS): the event funnel, retention and churn, repurchase, Pareto, the revenue tree, historical LTV and RFM.
// Every report returns its definitions with its numbers.

import * as z from 'zod';
import { literal, type SqlDialect } from './dialect.js';
import { MAX_MONEY } from '../events/limits.js';
import { round } from '../metrics/messageReports.js';

const day = z.iso.date();
const range = z.object({ from: day, to: day }).strict();

export const funnelParams = z
  .object({
    steps: z
      .array(
        z
          .object({
            event: z.string().min(1).max(200),
            where: z
              .record(z.string().regex(/^[A-Za-z0-9_.]{1,100}$/), z.union([z.string(), z.number(), z.boolean()]))
              .optional(),
          })
          .strict(),
      )
      .min(2)
      .max(8),
    windowDays: z.number().gt(0).max(90).default(7),
    /** `order_history`: whether the customer had ordered (`orderEvent`) before their first step. */
    breakdown: z
      .union([
        z.enum(['campaign_source', 'device_type', 'order_history']),
        z.string().regex(/^property:[A-Za-z0-9_.]{1,100}$/),
      ])
      .optional(),
    orderEvent: z.string().min(1).max(200).default('Order Completed'),
    from: day,
    to: day,
    compare: range.optional(),
  })
  .strict();

export const cohortParams = z
  .object({
    from: day,
    to: day,
    period: z.enum(['week', 'month']).default('month'),
    cohort: z.enum(['first_seen', 'first_order']).default('first_order'),
    activity: z.enum(['any', 'order']).default('any'),
    orderEvent: z.string().min(1).max(200).default('Order Completed'),
  })
  .strict();

export const orderParams = z
  .object({
    from: day,
    to: day,
    orderEvent: z.string().min(1).max(200).default('Order Completed'),
    period: z.enum(['week', 'month']).default('month'),
  })
  .strict();

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
/**
 * The archived events in the range, each once (the archive is at-least-once). Only the funnel reads the
 * wide `properties` and breakdown columns: on Parquet every column left out is bytes Athena does not scan.
 */
const base = (d: SqlDialect, from: string, to: string, wide = false) =>
  `base AS (SELECT DISTINCT id, customer, type, event, ts, revenue${wide ? ', properties, campaign_source, device_type' : ''}, ${d.timestamp('ts')} AS t FROM ${d.events} WHERE dt BETWEEN ${literal(from)} AND ${literal(to)})`;
/**
 * Order revenue, with amounts beyond MAX_MONEY counted as 0: ingest refuses them now, but the archive keeps
 * what was accepted before, and one sum overflowing to Infinity turns into null and blanks a whole report.
 */
export const saneRevenue = (column = 'revenue') => `CASE WHEN abs(${column}) <= ${MAX_MONEY} THEN ${column} ELSE 0 END`;
const orders = (orderEvent: string) =>
  `orders AS (SELECT customer, t, ${saneRevenue()} AS revenue FROM base WHERE type = 'track' AND event = ${literal(orderEvent)})`;

function stepMatch(d: SqlDialect, alias: string, step: z.infer<typeof funnelParams>['steps'][number]): string {
  const conditions = [`${alias}.type IN ('track', 'page', 'screen')`, `${alias}.event = ${literal(step.event)}`];
  // Only the archive has `properties` in these joins, so the property needs no alias.
  for (const [path, value] of Object.entries(step.where ?? {}))
    conditions.push(`${d.property(path)} = ${literal(String(value))}`);
  return conditions.join(' AND ');
}

// ——— Event funnel ———

export function funnelSql(d: SqlDialect, p: z.infer<typeof funnelParams>, from = p.from, to = p.to): string {
  const window = p.windowDays * 86_400;
  const byHistory = p.breakdown === 'order_history';
  const segment =
    p.breakdown === undefined || byHistory
      ? "'all'"
      : p.breakdown.startsWith('property:')
        ? `coalesce(${d.property(p.breakdown.slice(9))}, '(none)')`
        : `coalesce(${p.breakdown}, '(none)')`;
  const ctes = [
    base(d, from, to, true),
    `s0 AS (SELECT b.customer, min(b.t) AS t0, ${d.minBy(segment, 'b.t')} AS segment FROM base b WHERE ${stepMatch(d, 'b', p.steps[0])} GROUP BY b.customer)`,
  ];
  for (let i = 1; i < p.steps.length; i++) {
    // A step repeating the previous event needs a later one (a second order), not the same event again.
    ctes.push(
      `s${i} AS (SELECT p.customer, min(b.t) AS t${i} FROM s${i - 1} p JOIN s0 f ON f.customer = p.customer JOIN base b ON b.customer = p.customer AND ${stepMatch(d, 'b', p.steps[i])} AND b.t ${p.steps[i].event === p.steps[i - 1].event ? '>' : '>='} p.t${i - 1} AND b.t <= ${d.plusSeconds('f.t0', window)} GROUP BY p.customer)`,
    );
  }
  // Orders before the range count too: the whole archive up to its end (order events only, few columns).
  if (byHistory)
    ctes.push(
      `fo AS (SELECT customer, min(${d.timestamp('ts')}) AS first_order FROM ${d.events} WHERE dt <= ${literal(to)} AND type = 'track' AND event = ${literal(p.orderEvent)} GROUP BY customer)`,
    );
  const counts = p.steps.map((_, i) => `count(s${i}.customer) AS c${i}`);
  const medians = p.steps
    .slice(1)
    .map((_, i) => `${d.median(d.daysBetween(`s${i}.t${i}`, `s${i + 1}.t${i + 1}`))} AS m${i + 1}`);
  const joins = [
    ...p.steps.slice(1).map((_, i) => `LEFT JOIN s${i + 1} ON s${i + 1}.customer = s0.customer`),
    ...(byHistory ? ['LEFT JOIN fo ON fo.customer = s0.customer'] : []),
  ];
  const group = byHistory ? "CASE WHEN fo.first_order < s0.t0 THEN 'repeat' ELSE 'first' END" : 's0.segment';
  return `WITH ${ctes.join(',\n')}\nSELECT ${group} AS segment, ${[...counts, ...medians].join(', ')} FROM s0 ${joins.join(' ')} GROUP BY ${group} ORDER BY c0 DESC`;
}

export type FunnelStep = {
  event: string;
  customers: number;
  conversionFromPrevious: number | null;
  conversionFromFirst: number | null;
  dropOff: number | null;
  medianHoursFromPrevious: number | null;
};

export function funnelShape(rows: Record<string, unknown>[], p: z.infer<typeof funnelParams>) {
  const segments = rows.map((row) => {
    const steps: FunnelStep[] = p.steps.map((step, i) => {
      const c = num(row[`c${i}`]);
      const prev = i > 0 ? num(row[`c${i - 1}`]) : null;
      const first = num(row.c0);
      return {
        event: step.event,
        customers: c,
        conversionFromPrevious: prev === null ? null : prev ? round(c / prev) : null,
        conversionFromFirst: i === 0 ? null : first ? round(c / first) : null,
        dropOff: prev === null ? null : prev - c,
        medianHoursFromPrevious:
          i === 0 || row[`m${i}`] === null || row[`m${i}`] === undefined ? null : round(num(row[`m${i}`]) * 24, 2),
      };
    });
    return { segment: String(row.segment), steps };
  });
  return segments;
}

export const FUNNEL_DEFINITIONS = {
  entered: 'customers whose first step-1 event falls in the range',
  step: 'a customer reaches a step with its event after the previous step, within the window from their step-1 event',
  conversionFromPrevious: 'customers at this step ÷ at the previous one',
  medianHoursFromPrevious: 'median time from the previous step to this one, in hours',
  breakdown:
    "the value at the customer's step-1 event; order_history: whether they had ordered before it (repeat) or not (first)",
};

// ——— Retention and churn ———

export function retentionSql(d: SqlDialect, p: z.infer<typeof cohortParams>): string {
  const cohortFilter = p.cohort === 'first_order' ? `WHERE type = 'track' AND event = ${literal(p.orderEvent)}` : '';
  const activityFilter = p.activity === 'order' ? `WHERE type = 'track' AND event = ${literal(p.orderEvent)}` : '';
  return `WITH ${base(d, p.from, p.to)},
firsts AS (SELECT customer, date_trunc('${p.period}', min(t)) AS cohort FROM base ${cohortFilter} GROUP BY customer),
activity AS (SELECT DISTINCT customer, date_trunc('${p.period}', t) AS period FROM base ${activityFilter}),
sizes AS (SELECT cohort, count(*) AS size FROM firsts GROUP BY cohort)
SELECT CAST(f.cohort AS DATE) AS cohort, max(s.size) AS size, date_diff('${p.period}', f.cohort, a.period) AS offset_periods, count(DISTINCT a.customer) AS active
FROM firsts f JOIN sizes s ON s.cohort = f.cohort JOIN activity a ON a.customer = f.customer AND a.period >= f.cohort
GROUP BY 1, 3 ORDER BY 1, 3`;
}

export function churnSql(d: SqlDialect, p: z.infer<typeof cohortParams>): string {
  const activityFilter = p.activity === 'order' ? `WHERE type = 'track' AND event = ${literal(p.orderEvent)}` : '';
  return `WITH ${base(d, p.from, p.to)},
activity AS (SELECT DISTINCT customer, date_trunc('${p.period}', t) AS period FROM base ${activityFilter}),
periods AS (SELECT DISTINCT period FROM activity),
pairs AS (SELECT a.period AS previous, min(n.period) AS next FROM periods a JOIN periods n ON n.period > a.period GROUP BY a.period)
SELECT CAST(pr.next AS DATE) AS period, count(*) AS previously_active, count(*) - count(c.customer) AS churned
FROM pairs pr JOIN activity p ON p.period = pr.previous LEFT JOIN activity c ON c.customer = p.customer AND c.period = pr.next
GROUP BY 1 ORDER BY 1`;
}

export function retentionShape(rows: Record<string, unknown>[], churn: Record<string, unknown>[]) {
  const cohorts = new Map<string, { cohort: string; size: number; active: number[] }>();
  for (const row of rows) {
    const key = String(row.cohort).slice(0, 10);
    const cohort = cohorts.get(key) ?? { cohort: key, size: num(row.size), active: [] };
    cohort.active[num(row.offset_periods)] = num(row.active);
    cohorts.set(key, cohort);
  }
  return {
    cohorts: [...cohorts.values()].map((c) => {
      const active = Array.from({ length: c.active.length }, (_, i) => c.active[i] ?? 0);
      return { cohort: c.cohort, size: c.size, active, share: active.map((a) => round(a / c.size)) };
    }),
    churn: churn.map((r) => ({
      period: String(r.period).slice(0, 10),
      previouslyActive: num(r.previously_active),
      churned: num(r.churned),
      churnRate: num(r.previously_active) ? round(num(r.churned) / num(r.previously_active)) : null,
    })),
  };
}

// ——— Repurchase ———

export function repurchaseSql(d: SqlDialect, p: z.infer<typeof orderParams>): string {
  return `WITH ${base(d, p.from, p.to)}, ${orders(p.orderEvent)},
gaps AS (SELECT customer, ${d.daysBetween('lag(t) OVER (PARTITION BY customer ORDER BY t)', 't')} AS gap FROM orders),
per AS (SELECT customer, count(*) AS n FROM orders GROUP BY customer)
SELECT 'summary' AS kind, NULL AS bucket, (SELECT count(*) FROM per) AS buyers, (SELECT count(*) FROM per WHERE n >= 2) AS repeaters, (SELECT ${d.median('gap')} FROM gaps WHERE gap IS NOT NULL) AS median_gap, NULL AS customers
UNION ALL
SELECT 'gap' AS kind, CASE WHEN gap < 7 THEN '0-6' WHEN gap < 14 THEN '7-13' WHEN gap < 30 THEN '14-29' WHEN gap < 60 THEN '30-59' WHEN gap < 90 THEN '60-89' WHEN gap < 180 THEN '90-179' ELSE '180+' END AS bucket, NULL, NULL, NULL, count(*) AS customers
FROM gaps WHERE gap IS NOT NULL GROUP BY 2`;
}

const GAP_BUCKETS = ['0-6', '7-13', '14-29', '30-59', '60-89', '90-179', '180+'];

export function repurchaseShape(rows: Record<string, unknown>[]) {
  const summary = rows.find((r) => r.kind === 'summary') ?? {};
  const buyers = num(summary.buyers);
  const gaps = new Map(rows.filter((r) => r.kind === 'gap').map((r) => [String(r.bucket), num(r.customers)]));
  return {
    buyers,
    repeatBuyers: num(summary.repeaters),
    repurchaseRate: buyers ? round(num(summary.repeaters) / buyers) : null,
    medianDaysBetweenOrders:
      summary.median_gap === null || summary.median_gap === undefined ? null : round(num(summary.median_gap), 1),
    daysBetweenOrders: GAP_BUCKETS.map((bucket) => ({ days: bucket, orders: gaps.get(bucket) ?? 0 })),
  };
}

// ——— Pareto ———

export function paretoSql(d: SqlDialect, p: z.infer<typeof orderParams>): string {
  return `WITH ${base(d, p.from, p.to)}, ${orders(p.orderEvent)},
spend AS (SELECT customer, sum(revenue) AS revenue FROM orders GROUP BY customer),
ranked AS (SELECT revenue, row_number() OVER (ORDER BY revenue DESC, customer) AS r, count(*) OVER () AS n FROM spend),
top AS (SELECT sum(CASE WHEN r <= ceil(0.2 * n) THEN revenue ELSE 0 END) AS top20 FROM ranked)
SELECT CAST(ceil(100.0 * r / n) AS INTEGER) AS percentile, sum(revenue) AS revenue, max(n) AS customers, max(top.top20) AS top20
FROM ranked CROSS JOIN top GROUP BY 1 ORDER BY 1`;
}

export function paretoShape(rows: Record<string, unknown>[]) {
  const total = rows.reduce((s, r) => s + num(r.revenue), 0);
  let running = 0;
  const curve = rows.map((r) => {
    running += num(r.revenue);
    return { topPercentOfCustomers: num(r.percentile), shareOfRevenue: total ? round(running / total) : null };
  });
  // The top 20 % rounded up to whole customers (one of four, two of six).
  const top20 = total && rows.length ? round(num(rows[0].top20) / total) : null;
  return { customers: num(rows[0]?.customers), revenue: total, top20Share: top20, curve };
}

// ——— Revenue tree ———

export function revenueTreeSql(d: SqlDialect, p: z.infer<typeof orderParams>): string {
  return `WITH ${base(d, p.from, p.to)}, ${orders(p.orderEvent)},
numbered AS (SELECT customer, t, revenue, row_number() OVER (PARTITION BY customer ORDER BY t) AS nth FROM orders),
visits AS (SELECT date_trunc('${p.period}', t) AS period, count(DISTINCT customer) AS visitors FROM base GROUP BY 1),
sales AS (SELECT date_trunc('${p.period}', t) AS period, count(DISTINCT customer) AS buyers, count(*) AS orders, sum(revenue) AS revenue,
  sum(CASE WHEN nth = 1 THEN 1 ELSE 0 END) AS first_orders, sum(CASE WHEN nth = 1 THEN revenue ELSE 0 END) AS first_revenue FROM numbered GROUP BY 1)
SELECT CAST(v.period AS DATE) AS period, v.visitors, coalesce(s.buyers, 0) AS buyers, coalesce(s.orders, 0) AS orders, coalesce(s.revenue, 0) AS revenue,
  coalesce(s.first_orders, 0) AS first_orders, coalesce(s.first_revenue, 0) AS first_revenue
FROM visits v LEFT JOIN sales s ON s.period = v.period ORDER BY 1`;
}

export function revenueTreeShape(rows: Record<string, unknown>[]) {
  return rows.map((r) => {
    const orders = num(r.orders);
    const repeatOrders = orders - num(r.first_orders);
    return {
      period: String(r.period).slice(0, 10),
      visitors: num(r.visitors),
      buyers: num(r.buyers),
      conversion: num(r.visitors) ? round(num(r.buyers) / num(r.visitors)) : null,
      orders,
      averageOrderValue: orders ? round(num(r.revenue) / orders, 2) : null,
      revenue: num(r.revenue),
      firstOrders: {
        orders: num(r.first_orders),
        revenue: num(r.first_revenue),
        averageOrderValue: num(r.first_orders) ? round(num(r.first_revenue) / num(r.first_orders), 2) : null,
      },
      repeatOrders: {
        orders: repeatOrders,
        revenue: num(r.revenue) - num(r.first_revenue),
        averageOrderValue: repeatOrders ? round((num(r.revenue) - num(r.first_revenue)) / repeatOrders, 2) : null,
      },
    };
  });
}

// ——— Historical LTV ———

export function ltvHistorySql(d: SqlDialect, p: z.infer<typeof orderParams>): string {
  return `WITH ${base(d, p.from, p.to)}, ${orders(p.orderEvent)},
firsts AS (SELECT customer, date_trunc('month', min(t)) AS cohort FROM orders GROUP BY customer),
sizes AS (SELECT cohort, count(*) AS size FROM firsts GROUP BY cohort)
SELECT CAST(f.cohort AS DATE) AS cohort, max(s.size) AS size, date_diff('month', f.cohort, date_trunc('month', o.t)) AS month, sum(o.revenue) AS revenue
FROM orders o JOIN firsts f ON f.customer = o.customer JOIN sizes s ON s.cohort = f.cohort GROUP BY 1, 3 ORDER BY 1, 3`;
}

export function ltvHistoryShape(rows: Record<string, unknown>[]) {
  const cohorts = new Map<string, { size: number; revenue: number[] }>();
  for (const r of rows) {
    const key = String(r.cohort).slice(0, 10);
    const c = cohorts.get(key) ?? { size: num(r.size), revenue: [] };
    c.revenue[num(r.month)] = num(r.revenue);
    cohorts.set(key, c);
  }
  return [...cohorts.entries()].map(([cohort, c]) => {
    let sum = 0;
    const cumulative = Array.from({ length: c.revenue.length }, (_, i) =>
      round((sum += c.revenue[i] ?? 0) / c.size, 2),
    );
    return { cohort, customers: c.size, cumulativeRevenuePerCustomer: cumulative };
  });
}

// ——— RFM ———

/**
 * The named segments from R (recency) and the mean of F and M, each scored 1–5 by quintile (5 = most recent,
 * most frequent, highest spend): the widely used eleven-segment map, checked in this order.
 */
export const RFM_SEGMENTS: { name: string; r: [number, number]; fm: [number, number] }[] = [
  { name: 'Champions', r: [5, 5], fm: [4, 5] },
  { name: 'Loyal', r: [3, 5], fm: [4, 5] },
  { name: 'Potential loyalist', r: [4, 5], fm: [2, 3.5] },
  { name: 'New', r: [5, 5], fm: [1, 1.5] },
  { name: 'Promising', r: [4, 4], fm: [1, 1.5] },
  { name: 'Need attention', r: [3, 3], fm: [2.5, 3.5] },
  { name: 'About to sleep', r: [3, 3], fm: [1, 2] },
  { name: "Can't lose", r: [1, 1], fm: [4.5, 5] },
  { name: 'At risk', r: [1, 2], fm: [3, 5] },
  { name: 'Hibernating', r: [2, 2], fm: [1, 2.5] },
  { name: 'Lost', r: [1, 2], fm: [1, 2.5] },
];

/** Where no range of the map matches (the gaps between them). */
export const RFM_FALLBACK_SEGMENT = 'Need attention';

export function rfmSegment(r: number, f: number, m: number): string {
  const fm = (f + m) / 2;
  return (
    RFM_SEGMENTS.find((s) => r >= s.r[0] && r <= s.r[1] && fm >= s.fm[0] && fm <= s.fm[1])?.name ?? RFM_FALLBACK_SEGMENT
  );
}

/**
 * RFM scores from value thresholds, so equal behaviour gets equal scores: per measure the cut points are the
 * values at the 20th…80th percentile ranks (the same rule as the daily refresh's `quintileCuts`), and a
 * score is one plus the cuts a value exceeds (recency reversed: fewer days is better). Ranking customers
 * into tiles instead (ntile) split seven identical buyers across five segments.
 */
export function rfmSql(d: SqlDialect, p: z.infer<typeof orderParams>): string {
  const measures = [
    ['r', 'recency'],
    ['f', 'frequency'],
    ['m', 'monetary'],
  ] as const;
  const ranks = measures.map(([k, col]) => `row_number() OVER (ORDER BY ${col}) - 1 AS i${k}`).join(', ');
  const cuts = measures.flatMap(([k, col]) =>
    [0.2, 0.4, 0.6, 0.8].map(
      (q, i) => `max(CASE WHEN i${k} = least(n - 1, CAST(floor(${q} * n) AS BIGINT)) THEN ${col} END) AS ${k}${i + 1}`,
    ),
  );
  const above = (k: string, col: string) =>
    [1, 2, 3, 4].map((i) => `CASE WHEN ${col} > ${k}${i} THEN 1 ELSE 0 END`).join(' + ');
  const recencyEnd = d.timestamp(literal(`${p.to}T23:59:59Z`));
  return `WITH ${base(d, p.from, p.to)}, ${orders(p.orderEvent)},
per AS (SELECT customer, ${d.daysBetween('max(t)', recencyEnd)} AS recency, count(*) AS frequency, sum(revenue) AS monetary FROM orders GROUP BY customer),
ranked AS (SELECT recency, frequency, monetary, ${ranks}, count(*) OVER () AS n FROM per),
cuts AS (SELECT ${cuts.join(', ')} FROM ranked),
scored AS (SELECT customer, recency, frequency, monetary, 5 - (${above('r', 'recency')}) AS r,
  1 + ${above('f', 'frequency')} AS f, 1 + ${above('m', 'monetary')} AS m FROM per CROSS JOIN cuts)
SELECT r, f, m, count(*) AS customers, sum(monetary) AS revenue, min(recency) AS min_recency, max(recency) AS max_recency,
  min(frequency) AS min_frequency, max(frequency) AS max_frequency, min(monetary) AS min_monetary, max(monetary) AS max_monetary
FROM scored GROUP BY r, f, m`;
}

/** Quintile boundaries (for scoring one profile later) and the customers and revenue of each named segment. */
export function rfmShape(rows: Record<string, unknown>[]) {
  const segments = new Map<string, { customers: number; revenue: number }>();
  const bounds = { r: [] as number[][], f: [] as number[][], m: [] as number[][] };
  let total = 0;
  for (const row of rows) {
    const [r, f, m] = [num(row.r), num(row.f), num(row.m)];
    const name = rfmSegment(r, f, m);
    const s = segments.get(name) ?? { customers: 0, revenue: 0 };
    s.customers += num(row.customers);
    s.revenue += num(row.revenue);
    total += num(row.revenue);
    segments.set(name, s);
    for (const [key, score, lo, hi] of [
      ['r', r, row.min_recency, row.max_recency],
      ['f', f, row.min_frequency, row.max_frequency],
      ['m', m, row.min_monetary, row.max_monetary],
    ] as const) {
      const b = (bounds[key][score - 1] ??= [Infinity, -Infinity]);
      b[0] = Math.min(b[0], num(lo));
      b[1] = Math.max(b[1], num(hi));
    }
  }
  const customers = [...segments.values()].reduce((n, s) => n + s.customers, 0);
  return {
    customers,
    segments: RFM_SEGMENTS.map((s) => s.name)
      .filter((name) => segments.has(name))
      .map((name) => ({
        segment: name,
        ...segments.get(name)!,
        shareOfCustomers: round(segments.get(name)!.customers / customers),
        shareOfRevenue: total ? round(segments.get(name)!.revenue / total) : null,
      })),
    // Only the scores someone has: with ties (or fewer than five distinct values) some scores stay empty.
    thresholds: {
      recencyDays: present(bounds.r).map(([b, i]) => ({ score: i + 1, from: round(b[0], 1), to: round(b[1], 1) })),
      orders: present(bounds.f).map(([b, i]) => ({ score: i + 1, from: b[0], to: b[1] })),
      revenue: present(bounds.m).map(([b, i]) => ({ score: i + 1, from: b[0], to: b[1] })),
    },
  };
}

function present(bounds: number[][]): [number[], number][] {
  return bounds.flatMap((b, i) => (b === undefined ? [] : [[b, i] as [number[], number]]));
}
