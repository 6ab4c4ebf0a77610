// Catalog: the products recommendations choose from, as the shop's events and imports left them, page by page.
import { Anchor, Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { type CatalogProduct, useCatalog } from './queries.js';

export default function CatalogPage() {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const products: CatalogProduct[] = catalog.data?.pages.flatMap((p) => p.products) ?? [];

  return (
    <Stack>
      <Title order={1}>{t('catalog.title')}</Title>
      <Text c="dimmed">{t('catalog.intro')}</Text>
      {catalog.isPending ? (
        <PageLoading />
      ) : catalog.error ? (
        <ApiErrorAlert error={catalog.error} />
      ) : products.length === 0 ? (
        <Text c="dimmed">{t('catalog.none')}</Text>
      ) : (
        <>
          <Text size="sm" data-testid="catalog-count">
            {t(catalog.hasNextPage ? 'catalog.shownMore' : 'catalog.shown', { count: products.length })}
          </Text>
          <WideTable label={t('catalog.title')} minWidth={860}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('catalog.id')}</Table.Th>
                <Table.Th scope="col">{t('catalog.name')}</Table.Th>
                <Table.Th scope="col">{t('catalog.category')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('catalog.price')}
                </Table.Th>
                <Table.Th scope="col">{t('catalog.stock')}</Table.Th>
                <Table.Th scope="col">{t('catalog.rebuy')}</Table.Th>
                <Table.Th scope="col">{t('catalog.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {products.map((product) => (
                <ProductRow key={product.id} product={product} />
              ))}
            </Table.Tbody>
          </WideTable>
        </>
      )}
      {catalog.hasNextPage ? (
        <Button variant="default" onClick={() => catalog.fetchNextPage()} loading={catalog.isFetchingNextPage}>
          {t('catalog.more')}
        </Button>
      ) : null}
    </Stack>
  );
}

function ProductRow({ product }: { product: CatalogProduct }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Table.Tr data-product={product.id}>
      <Table.Td>
        <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {product.id}
        </Text>
      </Table.Td>
      <Table.Td>
        {product.url ? (
          <Anchor href={product.url} target="_blank" rel="noreferrer" size="sm">
            {product.name ?? product.id}
          </Anchor>
        ) : (
          (product.name ?? '—')
        )}
      </Table.Td>
      <Table.Td>{product.category ?? '—'}</Table.Td>
      <Table.Td ta="right">{format.money(product.price)}</Table.Td>
      <Table.Td>
        {product.inStock ? (
          <Badge variant="dot" color="green">
            {t('catalog.inStock')}
          </Badge>
        ) : (
          <Badge variant="dot" color="gray">
            {t('catalog.outOfStock')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {product.consumable
          ? product.purchaseCycleDays
            ? t('catalog.everyDays', { count: product.purchaseCycleDays })
            : t('catalog.consumable')
          : '—'}
      </Table.Td>
      <Table.Td>{format.dateTime(product.updatedAt)}</Table.Td>
    </Table.Tr>
  );
}
