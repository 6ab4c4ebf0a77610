// Retention as a cohort heat map (each cohort's share still active in each period after it) and churn per period.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { EChart } from './EChart.js';
import type { RetentionReport } from './reportShapes.js';

export function RetentionHeatmap({ report }: { report: RetentionReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const offsets = Math.max(0, ...report.cohorts.map((c) => c.share.length));
  const heatmap = useMemo(
    () => ({
      tooltip: {
        formatter: ({ value }: { value: [number, number, number] }) =>
          `${report.cohorts[value[1]].cohort} ${t('reports.retention.offset', { n: value[0] })}: ${format.percent(value[2])}`,
      },
      grid: { left: 140, right: 20, top: 10, bottom: 70 },
      xAxis: {
        type: 'category',
        data: Array.from({ length: offsets }, (_, n) => t('reports.retention.offset', { n })),
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: report.cohorts.map((c) => `${c.cohort} (${format.number(c.size)})`),
      },
      visualMap: {
        min: 0,
        max: 1,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        calculable: false,
        inRange: { color: ['#eef2ff', '#3b5bdb'] },
        formatter: (v: number) => format.percent(v),
      },
      series: [
        {
          type: 'heatmap',
          data: report.cohorts.flatMap((c, y) => c.share.map((share, x) => [x, y, share ?? 0])),
          label: { show: true, formatter: ({ value }: { value: number[] }) => format.percent(value[2]), fontSize: 10 },
        },
      ],
    }),
    [report, offsets, t, format],
  );
  const churn = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format.percent(v) },
      grid: { left: 60, right: 20, top: 30, bottom: 30 },
      xAxis: { type: 'category', data: report.churn.map((c) => c.period) },
      yAxis: {
        type: 'value',
        name: t('reports.retention.churnRate'),
        axisLabel: { formatter: (v: number) => format.percent(v) },
      },
      series: [{ type: 'line', name: t('reports.retention.churnRate'), data: report.churn.map((c) => c.churnRate) }],
    }),
    [report, t, format],
  );
  return (
    <>
      <EChart
        option={heatmap}
        label={t('reports.retention.heatmap')}
        height={Math.max(260, 28 * report.cohorts.length + 90)}
      />
      <EChart option={churn} label={t('reports.retention.churnChart')} height={240} />
    </>
  );
}
