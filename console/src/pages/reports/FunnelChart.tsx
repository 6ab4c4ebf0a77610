// The funnel: customers at each step as bars, the drop-off from the step before stacked on top, the step
// conversion on each bar; the numbers again in a table.
import { Table } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { EChart } from './EChart.js';
import type { FunnelReport } from './reportShapes.js';

export function FunnelChart({ report }: { report: FunnelReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [segment] = report.segments;
  const option = useMemo(
    () =>
      segment && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: segment.steps.map((s) => s.event) },
        yAxis: { type: 'value', name: t('reports.funnel.customers') },
        series: [
          {
            name: t('reports.funnel.customers'),
            type: 'bar',
            stack: 'funnel',
            data: segment.steps.map((s) => s.customers),
            label: {
              show: true,
              position: 'inside',
              formatter: ({ dataIndex }: { dataIndex: number }) => {
                const step = segment.steps[dataIndex];
                return step.conversionFromPrevious === null
                  ? format.number(step.customers)
                  : `${format.number(step.customers)}\n${format.percent(step.conversionFromPrevious)}`;
              },
            },
          },
          {
            name: t('reports.funnel.dropOff'),
            type: 'bar',
            stack: 'funnel',
            itemStyle: { color: '#fab1a0' },
            data: segment.steps.map((s) => s.dropOff ?? 0),
          },
        ],
      },
    [segment, t, format],
  );
  if (!segment || !option) return null;
  return (
    <>
      <EChart option={option} label={t('reports.funnel.chart')} />
      <WideTable label={t('reports.names.funnel')} minWidth={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('reports.funnel.steps')}</Table.Th>
            <Table.Th scope="col">{t('reports.funnel.customers')}</Table.Th>
            <Table.Th scope="col">{t('reports.funnel.conversion')}</Table.Th>
            <Table.Th scope="col">{t('reports.funnel.dropOff')}</Table.Th>
            <Table.Th scope="col">{t('reports.funnel.fromFirst')}</Table.Th>
            <Table.Th scope="col">{t('reports.funnel.medianHours')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="funnel-steps">
          {segment.steps.map((step) => (
            <Table.Tr key={step.event}>
              <Table.Td>{step.event}</Table.Td>
              <Table.Td>{format.number(step.customers)}</Table.Td>
              <Table.Td>{format.percent(step.conversionFromPrevious)}</Table.Td>
              <Table.Td>{format.number(step.dropOff)}</Table.Td>
              <Table.Td>{format.percent(step.conversionFromFirst)}</Table.Td>
              <Table.Td>{format.number(step.medianHoursFromPrevious, 1)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </WideTable>
    </>
  );
}
