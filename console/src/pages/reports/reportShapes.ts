// The archive reports' bodies as the console reads them. The OpenAPI document types every report's envelope
// (name, range, definitions) but leaves each archive report's own fields open, so their shapes are named here.
import type { Schemas } from '../../api/client.js';

export const REPORTS = ['funnel', 'retention', 'repurchase', 'pareto', 'revenue-tree', 'ltv-history', 'rfm'] as const;
export type ReportName = (typeof REPORTS)[number];

type Envelope = Schemas['ArchiveReport'];

export type FunnelReport = Envelope & {
  segments: {
    segment: string;
    steps: {
      event: string;
      customers: number;
      conversionFromPrevious: number | null;
      conversionFromFirst: number | null;
      dropOff: number | null;
      medianHoursFromPrevious: number | null;
    }[];
  }[];
};
export type RetentionReport = Envelope & {
  cohorts: { cohort: string; size: number; active: number[]; share: (number | null)[] }[];
  churn: { period: string; previouslyActive: number; churned: number; churnRate: number | null }[];
};
export type RepurchaseReport = Envelope & {
  buyers: number;
  repeatBuyers: number;
  repurchaseRate: number | null;
  medianDaysBetweenOrders: number | null;
  daysBetweenOrders: { days: string; orders: number }[];
};
export type ParetoReport = Envelope & {
  customers: number;
  revenue: number;
  top20Share: number | null;
  curve: { topPercentOfCustomers: number; shareOfRevenue: number | null }[];
};
export type RevenueTreeReport = Envelope & {
  periods: {
    period: string;
    visitors: number;
    buyers: number;
    conversion: number | null;
    orders: number;
    averageOrderValue: number | null;
    revenue: number;
  }[];
};
export type LtvHistoryReport = Envelope & {
  cohorts: { cohort: string; customers: number; cumulativeRevenuePerCustomer: (number | null)[] }[];
};
export type RfmReport = Envelope & {
  customers: number;
  segments: {
    segment: string;
    customers: number;
    revenue: number;
    shareOfCustomers: number | null;
    shareOfRevenue: number | null;
  }[];
  /** The segment map in the order it is checked: R range and mean-of-F-and-M range. */
  grid: { name: string; r: [number, number]; fm: [number, number] }[];
  /** The segment of a cell no range covers. */
  gridFallback: string;
};
