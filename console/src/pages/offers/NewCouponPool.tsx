// "New coupon pool": the pool's terms checked in the form, refused ones shown in the API's words on their field;
// once created, the marketer is taken to the pool to load its codes.
import { Button, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import * as z from 'zod';
import { COUPON_POOL_ID } from '../../../../functions/core/offers/couponPatterns.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { CODE_INPUT } from '../../components/codeInput.js';
import { refusalOn, refusedOnAnyOf } from '../../components/fieldRefusal.js';
import { TakenId, useCreateCouponPool } from './queries.js';

/** Each message is a key of `coupons.new.errors`, translated where it is shown. */
type Problem = 'idPattern' | 'required' | 'tooLong' | 'whole' | 'limitRange' | 'alertRange';
const problem = (key: Problem) => key;

const poolForm = z.object({
  id: z.string().trim().regex(COUPON_POOL_ID, problem('idPattern')),
  name: z.string().trim().min(1, problem('required')).max(200, problem('tooLong')),
  discount: z.string().trim().min(1, problem('required')).max(200, problem('tooLong')),
  validUntil: z.string(),
  perCustomerLimit: z
    .number(problem('whole'))
    .int(problem('whole'))
    .min(1, problem('limitRange'))
    .max(100, problem('limitRange')),
  alertBelow: z
    .number(problem('whole'))
    .int(problem('whole'))
    .min(0, problem('alertRange'))
    .max(1_000_000, problem('alertRange')),
});
type PoolForm = z.input<typeof poolForm>;
type FormErrors = Partial<Record<keyof PoolForm, string>>;

const FIELDS = ['id', 'name', 'discount', 'validUntil', 'perCustomerLimit', 'alertBelow'] as const;
const EMPTY: PoolForm = { id: '', name: '', discount: '', validUntil: '', perCustomerLimit: 1, alertBelow: 100 };

export function NewCouponPool({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCouponPool();
  const [form, setForm] = useState<PoolForm>(EMPTY);
  const [errors, setErrors] = useState<FormErrors>({});

  const set = <K extends keyof PoolForm>(key: K, value: PoolForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    // The API's words stand until the marketer changes what they were about.
    if (refusalOn(create.error, key) || (key === 'id' && create.error instanceof TakenId)) create.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = poolForm.safeParse(form);
    if (!checked.success) {
      const found: FormErrors = {};
      for (const issue of checked.error.issues) {
        const field = issue.path[0] as keyof PoolForm;
        found[field] ??= t(`coupons.new.errors.${issue.message as Problem}`);
      }
      setErrors(found);
      return;
    }
    const { validUntil, ...terms } = checked.data;
    create.mutate(
      // datetime-local is the browser's own time; the API wants an instant.
      { ...terms, ...(validUntil ? { validUntil: new Date(validUntil).toISOString() } : {}) },
      { onSuccess: (pool) => navigate(`/offers/coupons/${encodeURIComponent(pool.id)}`) },
    );
  };
  const refusal = create.error;
  const fieldError = (field: keyof PoolForm) =>
    errors[field] ??
    (field === 'id' && refusal instanceof TakenId ? t('coupons.new.taken', { id: refusal.id }) : undefined) ??
    refusalOn(refusal, field);
  const close = () => {
    setForm(EMPTY);
    setErrors({});
    create.reset();
    onClose();
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('coupons.new.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('coupons.new.cancel') }}
    >
      <form onSubmit={submit} noValidate aria-label={t('coupons.new.title')}>
        <Stack gap="sm">
          <TextInput
            label={t('coupons.new.id')}
            description={t('coupons.new.idHelp')}
            placeholder="spring-15"
            required
            value={form.id}
            onChange={(e) => set('id', e.currentTarget.value)}
            error={fieldError('id')}
            styles={CODE_INPUT}
          />
          <TextInput
            label={t('coupons.new.name')}
            placeholder={t('coupons.new.namePlaceholder')}
            required
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={fieldError('name')}
          />
          <TextInput
            label={t('coupons.new.discount')}
            description={t('coupons.new.discountHelp')}
            placeholder={t('coupons.new.discountPlaceholder')}
            required
            value={form.discount}
            onChange={(e) => set('discount', e.currentTarget.value)}
            error={fieldError('discount')}
          />
          <TextInput
            type="datetime-local"
            label={t('coupons.new.validUntil')}
            description={t('coupons.new.validUntilHelp')}
            value={form.validUntil}
            onChange={(e) => set('validUntil', e.currentTarget.value)}
            error={fieldError('validUntil')}
          />
          <Group grow align="flex-start">
            <NumberInput
              label={t('coupons.new.perCustomerLimit')}
              description={t('coupons.new.perCustomerLimitHelp')}
              value={form.perCustomerLimit}
              min={1}
              max={100}
              allowDecimal={false}
              onChange={(v) => set('perCustomerLimit', typeof v === 'number' ? v : Number.NaN)}
              error={fieldError('perCustomerLimit')}
            />
            <NumberInput
              label={t('coupons.new.alertBelow')}
              description={t('coupons.new.alertBelowHelp')}
              value={form.alertBelow}
              min={0}
              max={1_000_000}
              allowDecimal={false}
              thousandSeparator=","
              onChange={(v) => set('alertBelow', typeof v === 'number' ? v : Number.NaN)}
              error={fieldError('alertBelow')}
            />
          </Group>
          {refusal && !(refusal instanceof TakenId) && !refusedOnAnyOf(refusal, FIELDS) && (
            <ApiErrorAlert error={refusal} title={t('coupons.new.refused')} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('coupons.new.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('coupons.new.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
