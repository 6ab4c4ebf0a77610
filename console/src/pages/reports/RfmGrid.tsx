// The RFM grid: recency across, the mean of frequency and money up; each cell coloured by its named segment,
// and each segment labelled once with its customers. The segment sizes again in a table.
import { Table } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import { WideTable } from '../../components/WideTable.js';
import { EChart } from './EChart.js';
import type { RfmReport } from './reportShapes.js';

const R_SCORES = [1, 2, 3, 4, 5];
/** The mean of two 1–5 scores moves in halves. */
const FM_SCORES = [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];
const PALETTE = [
  '#2f9e44',
  '#37b24d',
  '#74b816',
  '#15aabf',
  '#4dabf7',
  '#fab005',
  '#ffd43b',
  '#e8590c',
  '#f76707',
  '#868e96',
  '#495057',
];

/** Which segment each cell falls in, by the map's ranges in their order (the API's own rule). */
export function rfmCells(report: Pick<RfmReport, 'grid' | 'gridFallback'>) {
  return R_SCORES.flatMap((r, x) =>
    FM_SCORES.map((fm, y) => {
      const match = report.grid.find((s) => r >= s.r[0] && r <= s.r[1] && fm >= s.fm[0] && fm <= s.fm[1]);
      return { x, y, segment: match?.name ?? report.gridFallback };
    }),
  );
}

export function RfmGrid({ report }: { report: RfmReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const option = useMemo(() => {
    const cells = rfmCells(report);
    const names = report.grid.map((s) => s.name);
    const customers = new Map(report.segments.map((s) => [s.segment, s.customers]));
    // The label goes in the cell nearest the middle of the segment's cells.
    const labelled = new Map<string, { x: number; y: number }>();
    for (const name of new Set(cells.map((c) => c.segment))) {
      const own = cells.filter((c) => c.segment === name);
      const cx = own.reduce((s, c) => s + c.x, 0) / own.length;
      const cy = own.reduce((s, c) => s + c.y, 0) / own.length;
      const nearest = own.reduce((best, c) =>
        (c.x - cx) ** 2 + (c.y - cy) ** 2 < (best.x - cx) ** 2 + (best.y - cy) ** 2 ? c : best,
      );
      labelled.set(name, nearest);
    }
    return {
      tooltip: {
        formatter: ({ data }: { data: { segment: string } }) =>
          `${data.segment}: ${format.number(customers.get(data.segment) ?? 0)}`,
      },
      grid: { left: 80, right: 20, top: 10, bottom: 50 },
      xAxis: {
        type: 'category',
        data: R_SCORES.map(String),
        name: t('reports.rfm.recency'),
        nameLocation: 'middle',
        nameGap: 30,
      },
      yAxis: {
        type: 'category',
        data: FM_SCORES.map(String),
        name: t('reports.rfm.frequencyMonetary'),
        nameLocation: 'middle',
        nameGap: 50,
      },
      series: [
        {
          type: 'heatmap',
          data: cells.map((c) => {
            const label = labelled.get(c.segment);
            const here = label?.x === c.x && label.y === c.y;
            return {
              value: [c.x, c.y, names.indexOf(c.segment)],
              segment: c.segment,
              itemStyle: {
                color: PALETTE[names.indexOf(c.segment) % PALETTE.length],
                borderColor: '#fff',
                borderWidth: 1,
              },
              label: {
                show: here,
                color: '#111',
                fontSize: 11,
                formatter: () => `${c.segment}\n${format.number(customers.get(c.segment) ?? 0)}`,
              },
            };
          }),
        },
      ],
    };
  }, [report, t, format]);
  return (
    <>
      <EChart option={option} label={t('reports.rfm.chart')} height={440} />
      <WideTable label={t('reports.names.rfm')} minWidth={600}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('reports.rfm.segment')}</Table.Th>
            <Table.Th scope="col">{t('reports.rfm.customers')}</Table.Th>
            <Table.Th scope="col">{t('reports.rfm.shareOfCustomers')}</Table.Th>
            <Table.Th scope="col">{t('reports.rfm.revenue')}</Table.Th>
            <Table.Th scope="col">{t('reports.rfm.shareOfRevenue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody data-testid="rfm-segments">
          {report.segments.map((s) => (
            <Table.Tr key={s.segment}>
              <Table.Td>{s.segment}</Table.Td>
              <Table.Td>{format.number(s.customers)}</Table.Td>
              <Table.Td>{format.percent(s.shareOfCustomers)}</Table.Td>
              <Table.Td>{format.money(s.revenue)}</Table.Td>
              <Table.Td>{format.percent(s.shareOfRevenue)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </WideTable>
    </>
  );
}
