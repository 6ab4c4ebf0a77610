// Adding a product to the catalog or changing one (PUT /admin/v1/catalog/{id}): every field the catalog keeps, an
// empty one cleared as the API does; refusals shown in the API's words on the field they name.
import { Button, Checkbox, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import * as z from 'zod';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { CODE_INPUT } from '../../components/codeInput.js';
import { refusalOn, refusedOnAnyOf } from '../../components/fieldRefusal.js';
import { type CatalogProduct, type CatalogProductDefinition, TakenId, usePutProduct } from './queries.js';

/** Each message is a key of `catalog.form.errors`; links and ranges are left for the API to judge in its words. */
type Problem = 'required' | 'idSlash' | 'days';
const problem = (key: Problem) => key;

const productForm = z.object({
  // The id is a path segment of the PUT: a "/" would name another route.
  id: z
    .string()
    .trim()
    .min(1, problem('required'))
    .refine((id) => !id.includes('/'), problem('idSlash')),
  name: z.string(),
  price: z.number().optional(),
  category: z.string(),
  url: z.string(),
  imageUrl: z.string(),
  inStock: z.boolean(),
  consumable: z.boolean(),
  purchaseCycleDays: z.number().int(problem('days')).min(1, problem('days')).optional(),
});
type ProductFields = z.infer<typeof productForm>;
type FormErrors = Partial<Record<keyof ProductFields, string>>;

const FIELDS = ['id', 'name', 'price', 'category', 'url', 'imageUrl', 'purchaseCycleDays'] as const;

const formOf = (p: CatalogProduct | undefined): ProductFields => ({
  id: p?.id ?? '',
  name: p?.name ?? '',
  price: p?.price,
  category: p?.category ?? '',
  url: p?.url ?? '',
  imageUrl: p?.imageUrl ?? '',
  inStock: p?.inStock ?? true,
  consumable: p?.consumable ?? false,
  purchaseCycleDays: p?.purchaseCycleDays,
});

/** The PUT sets every field: an empty text is left out, and so cleared, rather than stored as "". */
function definitionOf(form: ProductFields): CatalogProductDefinition {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    id: form.id.trim(),
    name: text(form.name),
    price: form.price,
    category: text(form.category),
    url: text(form.url),
    imageUrl: text(form.imageUrl),
    inStock: form.inStock,
    consumable: form.consumable,
    purchaseCycleDays: form.purchaseCycleDays,
  };
}

const numberOf = (v: number | string) => (typeof v === 'number' ? v : undefined);

/** `product` undefined: a new product. The parent keys this by product, so each opening starts from what is stored. */
export function ProductForm({ product, onClose }: { product: CatalogProduct | undefined; onClose(): void }) {
  const { t } = useTranslation();
  const put = usePutProduct();
  const isNew = product === undefined;
  const [form, setForm] = useState<ProductFields>(() => formOf(product));
  const [errors, setErrors] = useState<FormErrors>({});
  const title = isNew ? t('catalog.form.addTitle') : t('catalog.form.editTitle', { name: product.name ?? product.id });

  const set = <K extends keyof ProductFields>(key: K, value: ProductFields[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    // The API's words stand until the marketer changes what they were about.
    if (refusalOn(put.error, key) || (key === 'id' && put.error instanceof TakenId)) put.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = productForm.safeParse(form);
    if (!checked.success) {
      const found: FormErrors = {};
      for (const issue of checked.error.issues) {
        found[issue.path[0] as keyof ProductFields] ??= t(`catalog.form.errors.${issue.message as Problem}`);
      }
      setErrors(found);
      return;
    }
    put.mutate({ product: definitionOf(checked.data), isNew }, { onSuccess: onClose });
  };
  const refusal = put.error;
  const fieldError = (field: keyof ProductFields) =>
    errors[field] ??
    (field === 'id' && refusal instanceof TakenId ? t('catalog.form.taken', { id: refusal.id }) : undefined) ??
    refusalOn(refusal, field);

  return (
    <Modal
      opened
      onClose={onClose}
      title={title}
      size="lg"
      closeButtonProps={{ 'aria-label': t('catalog.form.cancel') }}
    >
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="sm">
          <TextInput
            label={t('catalog.id')}
            description={isNew ? t('catalog.form.idHelp') : undefined}
            required
            readOnly={!isNew}
            value={form.id}
            onChange={(e) => set('id', e.currentTarget.value)}
            error={fieldError('id')}
            styles={CODE_INPUT}
          />
          <TextInput
            label={t('catalog.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={fieldError('name')}
          />
          <Group grow align="flex-start">
            <NumberInput
              label={t('catalog.price')}
              description={t('catalog.form.priceHelp')}
              value={form.price ?? ''}
              min={0}
              thousandSeparator=","
              onChange={(v) => set('price', numberOf(v))}
              error={fieldError('price')}
            />
            <TextInput
              label={t('catalog.category')}
              value={form.category}
              onChange={(e) => set('category', e.currentTarget.value)}
              error={fieldError('category')}
            />
          </Group>
          <TextInput
            label={t('catalog.form.url')}
            placeholder="https://shop.example/products/tea-01"
            value={form.url}
            onChange={(e) => set('url', e.currentTarget.value)}
            error={fieldError('url')}
          />
          <TextInput
            label={t('catalog.form.imageUrl')}
            placeholder="https://shop.example/images/tea-01.jpg"
            value={form.imageUrl}
            onChange={(e) => set('imageUrl', e.currentTarget.value)}
            error={fieldError('imageUrl')}
          />
          <Checkbox
            label={t('catalog.form.inStock')}
            description={t('catalog.form.inStockHelp')}
            checked={form.inStock}
            onChange={(e) => set('inStock', e.currentTarget.checked)}
          />
          <Checkbox
            label={t('catalog.form.consumable')}
            description={t('catalog.form.consumableHelp')}
            checked={form.consumable}
            onChange={(e) => set('consumable', e.currentTarget.checked)}
          />
          <NumberInput
            label={t('catalog.form.purchaseCycleDays')}
            description={t('catalog.form.purchaseCycleDaysHelp')}
            value={form.purchaseCycleDays ?? ''}
            min={1}
            max={3650}
            allowDecimal={false}
            onChange={(v) => set('purchaseCycleDays', numberOf(v))}
            error={fieldError('purchaseCycleDays')}
          />
          {refusal && !(refusal instanceof TakenId) && !refusedOnAnyOf(refusal, FIELDS) && (
            <ApiErrorAlert error={refusal} title={t('catalog.form.refused')} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('catalog.form.cancel')}
            </Button>
            <Button type="submit" loading={put.isPending}>
              {isNew ? t('catalog.form.add') : t('catalog.form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
