// Lifetime value by cohort: each month's first-time buyers, their cumulative revenue per customer month by month.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { EChart } from './EChart.js';
import type { LtvHistoryReport } from './reportShapes.js';

export function LtvCurves({ report }: { report: LtvHistoryReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const months = Math.max(0, ...report.cohorts.map((c) => c.cumulativeRevenuePerCustomer.length));
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format.money(v) },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 70, right: 20, top: 40, bottom: 50 },
      xAxis: {
        type: 'category',
        name: t('reports.ltv.month'),
        nameLocation: 'middle',
        nameGap: 30,
        data: Array.from({ length: months }, (_, i) => String(i)),
      },
      yAxis: { type: 'value', name: t('reports.ltv.perCustomer') },
      series: report.cohorts.map((c) => ({
        type: 'line',
        name: `${c.cohort.slice(0, 7)} (${format.number(c.customers)})`,
        data: c.cumulativeRevenuePerCustomer,
        showSymbol: false,
      })),
    }),
    [report, months, t, format],
  );
  return <EChart option={option} label={t('reports.ltv.chart')} height={400} />;
}
