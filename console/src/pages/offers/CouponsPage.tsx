// Coupons: every pool of unique codes with how many were loaded, handed out, are left and were redeemed; a new pool
// for a role that may write them.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMay } from '../../auth/caller.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { isExpired, isLow, remainingOf } from './couponPool.js';
import { NewCouponPool } from './NewCouponPool.js';
import { useCouponPools } from './queries.js';

export default function CouponsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const pools = useCouponPools();
  const mayWrite = useMay('coupons:write');
  const [creating, setCreating] = useState(false);

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1}>{t('coupons.title')}</Title>
        {mayWrite && <Button onClick={() => setCreating(true)}>{t('coupons.new.open')}</Button>}
      </Group>
      <Text c="dimmed">{t('coupons.intro')}</Text>
      {mayWrite === false && (
        <Text size="sm" c="dimmed" data-testid="read-only">
          {t('coupons.readOnly')}
        </Text>
      )}
      {mayWrite && <NewCouponPool opened={creating} onClose={() => setCreating(false)} />}
      {pools.isPending ? (
        <PageLoading />
      ) : pools.error ? (
        <ApiErrorAlert error={pools.error} />
      ) : pools.data.pools.length === 0 ? (
        <Text c="dimmed">{t('coupons.none')}</Text>
      ) : (
        <WideTable label={t('coupons.title')} minWidth={900}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('coupons.pool')}</Table.Th>
              <Table.Th scope="col">{t('coupons.discount')}</Table.Th>
              <Table.Th scope="col">{t('coupons.validUntil')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('coupons.total')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('coupons.issued')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('coupons.remaining')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('coupons.redeemed')}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t('coupons.revenue')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pools.data.pools.map((pool) => (
              <Table.Tr key={pool.id} data-pool={pool.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/offers/coupons/${encodeURIComponent(pool.id)}`} fw={600}>
                    {pool.name}
                  </Anchor>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {pool.id}
                  </Text>
                </Table.Td>
                <Table.Td>{pool.discount}</Table.Td>
                <Table.Td>
                  {pool.validUntil ? format.dateTime(pool.validUntil) : t('coupons.noEnd')}
                  {isExpired(pool) && (
                    <Badge ml={6} size="sm" color="gray" variant="light">
                      {t('coupons.expired')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">{format.number(pool.total)}</Table.Td>
                <Table.Td ta="right">{format.number(pool.issued)}</Table.Td>
                <Table.Td ta="right" data-testid="remaining">
                  {format.number(remainingOf(pool))}
                  {isLow(pool) && (
                    <Badge ml={6} size="sm" color="red" variant="dot">
                      {t('coupons.low')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">{format.number(pool.redeemed)}</Table.Td>
                <Table.Td ta="right">{format.money(pool.revenue)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </WideTable>
      )}
    </Stack>
  );
}
