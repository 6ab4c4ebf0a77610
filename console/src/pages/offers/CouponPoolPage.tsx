// One coupon pool: its terms, how its codes did (redemption rate, revenue, time to redeem), the last codes handed out,
// and loading more codes for a role that may.
import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMay } from '../../auth/caller.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { Figure } from '../../components/Figure.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { isExpired, isLow } from './couponPool.js';
import { LoadCodes } from './LoadCodes.js';
import { type CouponCode, useCouponReport } from './queries.js';

export default function CouponPoolPage() {
  const poolId = useParams().poolId ?? '';
  const { t } = useTranslation();
  const format = useFormat();
  const report = useCouponReport(poolId);
  const mayWrite = useMay('coupons:write');

  if (report.isPending) return <PageLoading />;
  if (report.error) {
    return (
      <Stack>
        <Title order={1}>{poolId}</Title>
        <ApiErrorAlert error={report.error} />
      </Stack>
    );
  }
  const pool = report.data;
  return (
    <Stack>
      <Anchor component={Link} to="/offers/coupons" size="sm">
        ← {t('coupons.title')}
      </Anchor>
      <Group gap="sm" align="center">
        <Title order={1}>{pool.name}</Title>
        <Badge variant="outline">{pool.id}</Badge>
        {isExpired(pool) && (
          <Badge color="gray" variant="light">
            {t('coupons.expired')}
          </Badge>
        )}
      </Group>
      <Text>{pool.discount}</Text>
      <Text size="sm" c="dimmed">
        {t('coupons.terms', {
          validity: pool.validUntil
            ? t('coupons.validUntilAt', { at: format.dateTime(pool.validUntil) })
            : t('coupons.noEndDate'),
          limit: pool.perCustomerLimit,
          below: format.number(pool.alertBelow),
        })}
      </Text>
      {isLow(pool) && (
        <Alert color="red" role="status" data-testid="low-on-codes" title={t('coupons.lowTitle')}>
          {t('coupons.lowText', { remaining: format.number(pool.remaining), below: format.number(pool.alertBelow) })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="pool-figures">
        <Figure label={t('coupons.total')} value={format.number(pool.total)} />
        <Figure label={t('coupons.issued')} value={format.number(pool.issued)} />
        <Figure label={t('coupons.remaining')} value={format.number(pool.remaining)} />
        <Figure label={t('coupons.redeemed')} value={format.number(pool.redeemed)} />
        <Figure label={t('coupons.redemptionRate')} value={format.percent(pool.redemptionRate)} />
        <Figure label={t('coupons.revenue')} value={format.money(pool.revenue)} />
        <Figure
          label={t('coupons.meanHoursToRedeem')}
          value={
            pool.meanHoursToRedeem === null
              ? '—'
              : t('coupons.hours', { value: format.number(pool.meanHoursToRedeem, 1) })
          }
        />
      </SimpleGrid>
      {mayWrite && <LoadCodes poolId={pool.id} />}
      {mayWrite === false && (
        <Text size="sm" c="dimmed" data-testid="read-only">
          {t('coupons.readOnly')}
        </Text>
      )}
      <Card withBorder component="section" aria-labelledby="recent-codes">
        <Title order={2} size="h3" id="recent-codes">
          {t('coupons.recent')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('coupons.recentIntro')}
        </Text>
        {pool.recent.length === 0 ? (
          <Text c="dimmed">{t('coupons.noneIssued')}</Text>
        ) : (
          <WideTable label={t('coupons.recent')} minWidth={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('coupons.code')}</Table.Th>
                <Table.Th scope="col">{t('coupons.customer')}</Table.Th>
                <Table.Th scope="col">{t('coupons.issuedAt')}</Table.Th>
                <Table.Th scope="col">{t('coupons.redeemedAt')}</Table.Th>
                <Table.Th scope="col">{t('coupons.order')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('coupons.revenue')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pool.recent.map((code) => (
                <CodeRow key={code.code} code={code} />
              ))}
            </Table.Tbody>
          </WideTable>
        )}
      </Card>
    </Stack>
  );
}

function CodeRow({ code }: { code: CouponCode }) {
  const { t } = useTranslation();
  const format = useFormat();
  // A userKey is `u:<userId>` or `a:<anonymousId>`; only a user id opens the customer page.
  const userId = code.userKey?.startsWith('u:') ? code.userKey.slice(2) : undefined;
  return (
    <Table.Tr data-code={code.code}>
      <Table.Td ff="monospace">{code.code}</Table.Td>
      <Table.Td>
        {userId ? (
          <Anchor component={Link} to={`/customers/${encodeURIComponent(userId)}`} size="sm">
            {userId}
          </Anchor>
        ) : code.userKey ? (
          t('customers.anonymous')
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>{format.dateTime(code.issuedAt)}</Table.Td>
      <Table.Td>
        {code.redeemedAt ? (
          format.dateTime(code.redeemedAt)
        ) : (
          <Badge variant="light" color="gray" size="sm">
            {t('coupons.unused')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{code.orderId ?? '—'}</Table.Td>
      <Table.Td ta="right">{format.money(code.revenue)}</Table.Td>
    </Table.Tr>
  );
}
