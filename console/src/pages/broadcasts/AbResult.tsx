// The A/B result: each arm's conversion rate with its interval drawn, uplift against control, p-values, verdict.
import { Alert, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { type AbTestReport, useBroadcastAbTest } from './queries.js';

export function AbResult({ broadcastId }: { broadcastId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const report = useBroadcastAbTest(broadcastId, true);
  const withCoupons = report.data?.arms.some((arm) => arm.coupons !== undefined) ?? false;
  const p = (n: number | null | undefined) => (n === null || n === undefined ? '—' : format.number(n, 3));
  const range = (e: { low: number | null; high: number | null } | null | undefined) =>
    e ? `${format.percent(e.low)} – ${format.percent(e.high)}` : '—';

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="ab-result">
      <Stack gap="sm">
        <Title order={2} size="h4" id="ab-result">
          {t('broadcasts.ab.title')}
        </Title>
        {report.isPending ? (
          <PageLoading />
        ) : report.error ? (
          <ApiErrorAlert error={report.error} />
        ) : (
          <>
            <Alert color={report.data.winner ? 'green' : 'gray'} data-testid="ab-verdict">
              <Text size="sm" fw={600}>
                {report.data.winner
                  ? t('broadcasts.ab.winner', { variant: report.data.winner })
                  : t('broadcasts.ab.noWinner')}
              </Text>
              <Text size="sm">{report.data.verdict}</Text>
            </Alert>
            <IntervalChart report={report.data} />
            {/* Offers compared by the codes used ("instant vs next-purchase discount"), when the arms printed any. */}
            <WideTable label={t('broadcasts.ab.title')} minWidth={860}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('broadcasts.ab.arm')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.recipients')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.conversions')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.rate')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.interval')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.uplift')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.relativeUplift')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.pValue')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.alwaysValid')}</Table.Th>
                  <Table.Th scope="col">{t('broadcasts.ab.revenuePerRecipient')}</Table.Th>
                  {withCoupons && <Table.Th scope="col">{t('broadcasts.ab.coupons')}</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.arms.map((arm) => (
                  <Table.Tr key={arm.variant} data-testid="ab-arm" data-variant={arm.variant}>
                    <Table.Th scope="row">
                      {arm.variant === report.data.reference
                        ? t('broadcasts.ab.reference', { variant: arm.variant })
                        : arm.variant}
                    </Table.Th>
                    <Table.Td>{format.number(arm.recipients)}</Table.Td>
                    <Table.Td>{format.number(arm.conversions)}</Table.Td>
                    <Table.Td>{format.percent(arm.conversionRate)}</Table.Td>
                    <Table.Td>{range(arm.interval)}</Table.Td>
                    <Table.Td>
                      {arm.vsReference
                        ? `${format.percent(arm.vsReference.absoluteUplift.estimate)} (${range(arm.vsReference.absoluteUplift)})`
                        : '—'}
                    </Table.Td>
                    <Table.Td>
                      {arm.vsReference?.relativeUplift
                        ? `${format.percent(arm.vsReference.relativeUplift.estimate)} (${range(arm.vsReference.relativeUplift)})`
                        : '—'}
                    </Table.Td>
                    <Table.Td data-testid="ab-p-value">{p(arm.vsReference?.pValue)}</Table.Td>
                    <Table.Td>{p(arm.vsReference?.alwaysValidPValue)}</Table.Td>
                    <Table.Td>{format.money(arm.revenuePerRecipient)}</Table.Td>
                    {withCoupons && (
                      <Table.Td data-testid="ab-coupons">
                        {arm.coupons
                          ? t('broadcasts.ab.couponsUsed', {
                              redeemed: format.number(arm.coupons.redeemed),
                              issued: format.number(arm.coupons.issued),
                              rate: format.percent(arm.coupons.redemptionRate),
                            })
                          : '—'}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </WideTable>
            {report.data.requiredPerArm !== null && (
              <Text size="sm" c="dimmed">
                {t('broadcasts.ab.required', { count: report.data.requiredPerArm })}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              {t('broadcasts.ab.window', { from: report.data.from, to: report.data.to })}
            </Text>
          </>
        )}
      </Stack>
    </Card>
  );
}

const ROW = 34;
const LEFT = 90;
const WIDTH = 560;

/**
 * Each arm's conversion rate as a dot on its interval, the reference arm's rate as a dashed line: plain SVG, so
 * the chart costs no library. The numbers are in the table below it too, for a screen reader and for copying.
 */
function IntervalChart({ report }: { report: AbTestReport }) {
  const { t } = useTranslation();
  const format = useFormat();
  const highs = report.arms.flatMap((a) => [a.interval.high ?? 0, a.conversionRate ?? 0]);
  const top = Math.max(0.01, ...highs) * 1.1;
  const x = (rate: number) => LEFT + (rate / top) * (WIDTH - LEFT - 20);
  const reference = report.arms.find((a) => a.variant === report.reference)?.conversionRate;
  const height = report.arms.length * ROW + 30;
  const ticks = [0, top / 4, top / 2, (3 * top) / 4, top];
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ maxWidth: WIDTH }}
      role="img"
      aria-label={t('broadcasts.ab.chart')}
      data-testid="ab-intervals"
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={height - 24} stroke="#dee2e6" />
          <text x={x(tick)} y={height - 8} fontSize={11} textAnchor="middle" fill="#495057">
            {format.percent(tick)}
          </text>
        </g>
      ))}
      {reference !== null && reference !== undefined && (
        <line
          x1={x(reference)}
          x2={x(reference)}
          y1={0}
          y2={height - 24}
          stroke="#495057"
          strokeDasharray="4 3"
          data-testid="ab-reference-line"
        />
      )}
      {report.arms.map((arm, i) => {
        const y = i * ROW + ROW / 2;
        const winner = arm.variant === report.winner;
        const colour = winner ? '#2b8a3e' : arm.variant === report.reference ? '#495057' : '#364fc7';
        return (
          <g key={arm.variant} data-testid="ab-interval" data-variant={arm.variant}>
            <text x={LEFT - 10} y={y + 4} fontSize={12} textAnchor="end" fill="#212529">
              {arm.variant}
            </text>
            {arm.interval.low !== null && arm.interval.high !== null && (
              <>
                <line
                  x1={x(arm.interval.low)}
                  x2={x(arm.interval.high)}
                  y1={y}
                  y2={y}
                  stroke={colour}
                  strokeWidth={3}
                />
                <line x1={x(arm.interval.low)} x2={x(arm.interval.low)} y1={y - 6} y2={y + 6} stroke={colour} />
                <line x1={x(arm.interval.high)} x2={x(arm.interval.high)} y1={y - 6} y2={y + 6} stroke={colour} />
              </>
            )}
            {arm.conversionRate !== null && <circle cx={x(arm.conversionRate)} cy={y} r={5} fill={colour} />}
          </g>
        );
      })}
    </svg>
  );
}
