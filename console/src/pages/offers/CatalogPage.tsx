// Catalog: the products recommendations choose from, as the shop's events and imports left them, page by page; a role
// that may write the catalog adds a product or changes one.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMay } from '../../auth/caller.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { WideTable } from '../../components/WideTable.js';
import { useFormat } from '../../components/format.js';
import { ProductForm } from './ProductForm.js';
import { type CatalogProduct, useCatalog } from './queries.js';

/** The form's state: closed, a new product, or the product being changed. */
type Editing = { product: CatalogProduct | undefined } | undefined;

export default function CatalogPage() {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const products: CatalogProduct[] = catalog.data?.pages.flatMap((p) => p.products) ?? [];
  const mayWrite = useMay('catalog:write');
  const [editing, setEditing] = useState<Editing>();
  const edit = mayWrite ? (product: CatalogProduct) => setEditing({ product }) : undefined;

  return (
    <Stack>
      <Group justify="space-between" align="center">
        <Title order={1}>{t('catalog.title')}</Title>
        {mayWrite && <Button onClick={() => setEditing({ product: undefined })}>{t('catalog.form.open')}</Button>}
      </Group>
      <Text c="dimmed">{t('catalog.intro')}</Text>
      {mayWrite === false && (
        <Text size="sm" c="dimmed" data-testid="read-only">
          {t('catalog.readOnly')}
        </Text>
      )}
      {editing && (
        <ProductForm
          key={editing.product?.id ?? 'new'}
          product={editing.product}
          onClose={() => setEditing(undefined)}
        />
      )}
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
                {edit && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('catalog.form.change')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {products.map((product) => (
                <ProductRow key={product.id} product={product} onEdit={edit} />
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

function ProductRow({ product, onEdit }: { product: CatalogProduct; onEdit?: (product: CatalogProduct) => void }) {
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
      {onEdit && (
        <Table.Td>
          <Button
            size="compact-sm"
            variant="default"
            onClick={() => onEdit(product)}
            aria-label={t('catalog.form.editTitle', { name: product.name ?? product.id })}
          >
            {t('catalog.form.edit')}
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  );
}
