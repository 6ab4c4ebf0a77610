// The revenue tree per period: visitors × conversion × orders per buyer × average order value = revenue.
import { Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { EChart } from './EChart.js';
import type { RevenueTreeReport } from './reportShapes.js';

export function RevenueTree({ report }: { report: RevenueTreeReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 70, right: 70, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: report.periods.map((p) => p.period) },
      yAxis: [
        { type: 'value', name: t('reports.revenueTree.revenue') },
        { type: 'value', name: t('reports.revenueTree.visitors') },
      ],
      series: [
        { type: 'bar', name: t('reports.revenueTree.revenue'), data: report.periods.map((p) => p.revenue) },
        {
          type: 'line',
          name: t('reports.revenueTree.visitors'),
          yAxisIndex: 1,
          data: report.periods.map((p) => p.visitors),
        },
      ],
    }),
    [report, t],
  );
  return (
    <>
      <Text c="dimmed">{t('reports.revenueTree.formula')}</Text>
      <EChart option={option} label={t('reports.revenueTree.chart')} height={300} />
      <WideTable label={t('reports.names.revenue-tree')} minWidth={760}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('reports.revenueTree.period')}</Table.Th>
            <Table.Th scope="col">{t('reports.revenueTree.visitors')}</Table.Th>
            <Table.Th scope="col">× {t('reports.revenueTree.conversion')}</Table.Th>
            <Table.Th scope="col">× {t('reports.revenueTree.ordersPerBuyer')}</Table.Th>
            <Table.Th scope="col">× {t('reports.revenueTree.aov')}</Table.Th>
            <Table.Th scope="col">= {t('reports.revenueTree.revenue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="revenue-tree-periods">
          {report.periods.map((p) => (
            <Table.Tr key={p.period}>
              <Table.Td>{p.period}</Table.Td>
              <Table.Td>{format.number(p.visitors)}</Table.Td>
              <Table.Td>{format.percent(p.conversion)}</Table.Td>
              <Table.Td>{format.number(p.buyers ? p.orders / p.buyers : null, 2)}</Table.Td>
              <Table.Td>{format.money(p.averageOrderValue)}</Table.Td>
              <Table.Td>{format.money(p.revenue)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </WideTable>
    </>
  );
}
