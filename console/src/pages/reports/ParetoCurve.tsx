// The Pareto curve: the cumulative share of revenue brought by the top percent of buyers.
import { SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { EChart } from './EChart.js';
import { Figure } from '../../components/Figure.js';
import type { ParetoReport } from './reportShapes.js';

export function ParetoCurve({ report }: { report: ParetoReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => format.percent(v) },
      grid: { left: 60, right: 20, top: 30, bottom: 50 },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        name: t('reports.pareto.x'),
        nameLocation: 'middle',
        nameGap: 30,
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        name: t('reports.pareto.y'),
        axisLabel: { formatter: (v: number) => format.percent(v) },
      },
      series: [
        {
          type: 'line',
          name: t('reports.pareto.y'),
          showSymbol: false,
          areaStyle: { opacity: 0.15 },
          data: [[0, 0], ...report.curve.map((p) => [p.topPercentOfCustomers, p.shareOfRevenue])],
        },
      ],
    }),
    [report, t, format],
  );
  return (
    <>
      <Text fw={600} data-testid="pareto-top20">
        {t('reports.pareto.top20', { share: format.percent(report.top20Share) })}
      </Text>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('reports.pareto.buyers')} value={format.number(report.customers)} />
        <Figure label={t('reports.pareto.revenue')} value={format.money(report.revenue)} />
      </SimpleGrid>
      <EChart option={option} label={t('reports.pareto.chart')} />
    </>
  );
}
