// Repurchase: how many buyers came back, and how long after their previous order they did.
import { SimpleGrid } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { EChart } from './EChart.js';
import { Figure } from '../../components/Figure.js';
import type { RepurchaseReport } from './reportShapes.js';

export function RepurchaseChart({ report }: { report: RepurchaseReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 20, top: 30, bottom: 50 },
      xAxis: {
        type: 'category',
        name: t('reports.repurchase.days'),
        nameLocation: 'middle',
        nameGap: 30,
        data: report.daysBetweenOrders.map((b) => b.days),
      },
      yAxis: { type: 'value', name: t('reports.repurchase.orders') },
      series: [
        {
          type: 'bar',
          name: t('reports.repurchase.orders'),
          data: report.daysBetweenOrders.map((b) => b.orders),
          label: { show: true, position: 'top' },
        },
      ],
    }),
    [report, t],
  );
  return (
    <>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('reports.repurchase.rate')} value={format.percent(report.repurchaseRate)} />
        <Figure label={t('reports.repurchase.buyers')} value={format.number(report.buyers)} />
        <Figure label={t('reports.repurchase.repeatBuyers')} value={format.number(report.repeatBuyers)} />
        <Figure label={t('reports.repurchase.median')} value={format.number(report.medianDaysBetweenOrders, 1)} />
      </SimpleGrid>
      <EChart option={option} label={t('reports.repurchase.chart')} />
    </>
  );
}
