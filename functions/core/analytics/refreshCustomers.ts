// The daily analytics refresh: from the archive, each buyer's purchase history; the BG/NBD and Gamma-Gamma
// models fitted to all of them; RFM quintile thresholds; and per customer the predicted value, P(alive),
// next order, RFM scores and segment, best hour, purchase cycle and lifecycle stage, written to profiles
// so segments and journeys can use them.

import { DateTime } from 'luxon';
import type { ReportEngine } from './ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import type { DeliverySettings } from '../delivery/settings.js';
import type { Profile } from '../profiles/profile.js';
import { customerZone } from '../delivery/guards.js';
import {
  fitBgNbd,
  fitGammaGamma,
  predict,
  type BgNbdParams,
  type GammaGammaParams,
  type PurchaseHistory,
} from './clv.js';
import { literal, type SqlDialect } from './dialect.js';
import { rfmSegment, saneRevenue } from './eventReports.js';

const ENGAGEMENT = ['Email Opened', 'Email Link Clicked', 'Push Opened'];

/** One row per customer seen in the last two years: the purchase history the models need (buyers), engagement hour, order gaps. */
export function customerHistorySql(d: SqlDialect, asOf: string, orderEvent: string): string {
  const since = new Date(Date.parse(asOf) - 730 * 86_400_000).toISOString().slice(0, 10);
  return `WITH base AS (SELECT DISTINCT id, customer, type, event, revenue, ${d.timestamp('ts')} AS t FROM ${d.events} WHERE dt BETWEEN ${literal(since)} AND ${literal(asOf)}),
orders AS (SELECT customer, t, ${saneRevenue()} AS revenue, row_number() OVER (PARTITION BY customer ORDER BY t) AS nth FROM base WHERE type = 'track' AND event = ${literal(orderEvent)}),
gaps AS (SELECT customer, ${d.daysBetween('lag(t) OVER (PARTITION BY customer ORDER BY t)', 't')} AS gap FROM orders),
hours AS (SELECT customer, hour(t) AS h, count(*) AS n FROM base WHERE type = 'track' AND event IN (${[...ENGAGEMENT, orderEvent].map(literal).join(', ')}) GROUP BY 1, 2),
best AS (SELECT customer, h FROM (SELECT customer, h, row_number() OVER (PARTITION BY customer ORDER BY n DESC, h) AS k FROM hours) ranked WHERE k = 1),
per AS (SELECT customer, min(t) AS first_order, max(t) AS last_order, count(*) AS orders, sum(revenue) AS revenue,
  sum(CASE WHEN nth > 1 THEN revenue ELSE 0 END) AS repeat_revenue FROM orders GROUP BY customer),
cycles AS (SELECT customer, ${d.median('gap')} AS cycle FROM gaps WHERE gap IS NOT NULL GROUP BY customer),
seen AS (SELECT DISTINCT customer FROM base)
SELECT seen.customer, CAST(per.first_order AS VARCHAR) AS first_order, CAST(per.last_order AS VARCHAR) AS last_order, coalesce(per.orders, 0) AS orders,
  coalesce(per.revenue, 0) AS revenue, coalesce(per.repeat_revenue, 0) AS repeat_revenue, best.h AS best_hour_utc, cycles.cycle
FROM seen LEFT JOIN per ON per.customer = seen.customer LEFT JOIN best ON best.customer = seen.customer LEFT JOIN cycles ON cycles.customer = seen.customer`;
}

export type CustomerRow = {
  customer: string;
  firstOrder: Date;
  lastOrder: Date;
  orders: number;
  revenue: number;
  repeatRevenue: number;
  bestHourUtc: number | null;
  cycleDays: number | null;
};

export function customerRows(rows: Record<string, unknown>[]): CustomerRow[] {
  const time = (v: unknown) =>
    new Date(
      `${String(v)
        .replace(' ', 'T')
        .replace(/(\.\d+)?$/, '')}Z`,
    );
  return rows.map((r) => ({
    customer: String(r.customer),
    firstOrder: r.first_order ? time(r.first_order) : new Date(NaN),
    lastOrder: r.last_order ? time(r.last_order) : new Date(NaN),
    orders: Number(r.orders),
    revenue: Number(r.revenue ?? 0),
    repeatRevenue: Number(r.repeat_revenue ?? 0),
    bestHourUtc: r.best_hour_utc === null || r.best_hour_utc === undefined ? null : Number(r.best_hour_utc),
    cycleDays: r.cycle === null || r.cycle === undefined ? null : Number(r.cycle),
  }));
}

const WEEK = 7 * 86_400_000;

export function historyOf(row: CustomerRow, asOf: Date): PurchaseHistory {
  const x = row.orders - 1;
  return {
    x,
    tx: (row.lastOrder.getTime() - row.firstOrder.getTime()) / WEEK,
    T: Math.max((asOf.getTime() - row.firstOrder.getTime()) / WEEK, 1 / 7),
    ...(x > 0 ? { meanSpend: row.repeatRevenue / x } : {}),
  };
}

/** Quintile cut points (the 20th…80th percentiles) of a list. */
export function quintileCuts(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
}

/** 1–5 by the cuts; `lowerIsBetter` for recency. */
export function scoreOf(value: number, cuts: number[], lowerIsBetter = false): number {
  const above = cuts.filter((c) => value > c).length + 1;
  return lowerIsBetter ? 6 - above : above;
}

export type AnalyticsModel = {
  at: string;
  purchases: BgNbdParams;
  spend: GammaGammaParams;
  populationMeanSpend: number;
  rfm: { recencyDays: number[]; orders: number[]; revenue: number[] };
  customers: number;
};

export function fitModel(rows: CustomerRow[], asOf: Date): AnalyticsModel {
  const histories = rows.map((r) => historyOf(r, asOf));
  const spenders = histories.filter((h) => h.meanSpend);
  return {
    at: asOf.toISOString(),
    purchases: fitBgNbd(histories),
    spend: fitGammaGamma(histories),
    populationMeanSpend:
      rows.reduce((s, r) => s + r.revenue, 0) /
      Math.max(
        1,
        rows.reduce((s, r) => s + r.orders, 0),
      ),
    rfm: {
      recencyDays: quintileCuts(rows.map((r) => (asOf.getTime() - r.lastOrder.getTime()) / 86_400_000)),
      orders: quintileCuts(rows.map((r) => r.orders)),
      revenue: quintileCuts(rows.map((r) => r.revenue)),
    },
    customers: spenders.length,
  };
}

export function lifecycleOf(
  profile: Profile,
  settings: DeliverySettings,
  asOf: Date,
): NonNullable<Profile['lifecycle']> {
  const days = (iso?: string) => (iso ? (asOf.getTime() - Date.parse(iso)) / 86_400_000 : Infinity);
  const l = settings.lifecycle;
  const sinceSeen = days(profile.computed.lastSeen);
  if (sinceSeen > l.dormantDays) return 'churned';
  if (sinceSeen > l.atRiskDays) return 'dormant';
  if (sinceSeen > l.activeDays) return 'at risk';
  if (profile.computed.revenue >= l.vipRevenue) return 'vip';
  if (profile.computed.orders >= 2) return 'repeat';
  if (days(profile.computed.firstOrderAt ?? profile.computed.firstSeen) <= l.newDays) return 'new';
  return 'active';
}

/** What the refresh writes onto one profile. */
export function analyticsFor(
  profile: Profile,
  row: CustomerRow | undefined,
  model: AnalyticsModel,
  settings: DeliverySettings,
  asOf: Date,
): Partial<Profile> {
  const out: Partial<Profile> = { lifecycle: lifecycleOf(profile, settings, asOf), analyticsAt: asOf.toISOString() };
  if (!row) return out;
  if (row.bestHourUtc !== null)
    out.bestHour = DateTime.fromJSDate(asOf, { zone: 'UTC' })
      .set({ hour: row.bestHourUtc })
      .setZone(customerZone(profile, settings)).hour;
  if (row.orders === 0) return out;
  const prediction = predict(model, historyOf(row, asOf), 52);
  const recency = (asOf.getTime() - row.lastOrder.getTime()) / 86_400_000;
  const [r, f, m] = [
    scoreOf(recency, model.rfm.recencyDays, true),
    scoreOf(row.orders, model.rfm.orders),
    scoreOf(row.revenue, model.rfm.revenue),
  ];
  out.rfm = { r, f, m, segment: rfmSegment(r, f, m) };
  out.predicted = {
    clv: Math.round(prediction.clv),
    pAlive: Number(prediction.pAlive.toFixed(4)),
    expectedOrders: Number(prediction.expectedPurchases.toFixed(3)),
    ...(prediction.nextOrderInWeeks !== null && prediction.pAlive >= 0.5
      ? { nextOrderAt: new Date(asOf.getTime() + prediction.nextOrderInWeeks * WEEK).toISOString() }
      : {}),
  };
  if (row.cycleDays !== null) out.purchaseCycleDays = Number(row.cycleDays.toFixed(1));
  return out;
}

export const MIN_BUYERS = 50;

export type RefreshDeps = {
  reports: ReportEngine;
  profiles: ProfileStore;
  saveModel(model: AnalyticsModel): Promise<void>;
};

/** Runs the whole refresh; returns what it did. Profiles are written with their version (retried on conflict). */
export async function refreshCustomers(
  deps: RefreshDeps,
  settings: DeliverySettings,
  asOf: Date,
): Promise<{ buyers: number; profilesUpdated: number; model?: AnalyticsModel }> {
  const everyone = customerRows(
    await deps.reports.query(
      customerHistorySql(deps.reports.dialect, asOf.toISOString().slice(0, 10), settings.attribution.event),
    ),
  );
  const rows = everyone.filter((r) => r.orders > 0);
  // Too few buyers and the maximum-likelihood fit runs away (parameters of 1e20): nothing is written then.
  if (rows.length < MIN_BUYERS) return { buyers: rows.length, profilesUpdated: 0 };
  const model = fitModel(rows, asOf);
  if (
    ![...Object.values(model.purchases), ...Object.values(model.spend)].every(
      (v) => Number.isFinite(v) && v > 0 && v < 1e9,
    )
  ) {
    return { buyers: rows.length, profilesUpdated: 0 };
  }
  await deps.saveModel(model);
  let updated = 0;
  // Buyers get predictions and RFM; everyone seen gets a lifecycle stage and a best hour.
  for (const row of everyone) {
    if (!row.customer.startsWith('u:') && !row.customer.startsWith('a:')) continue;
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await deps.profiles.get(row.customer as Profile['userKey']);
      if (stored?.kind !== 'profile') break;
      const next = { ...stored.profile, ...analyticsFor(stored.profile, row, model, settings, asOf) };
      if (
        (await deps.profiles.write({ profile: next, expectedVersion: stored.version, tombstones: [] })) === 'written'
      ) {
        updated++;
        break;
      }
    }
  }
  return { buyers: rows.length, profilesUpdated: updated, model };
}
