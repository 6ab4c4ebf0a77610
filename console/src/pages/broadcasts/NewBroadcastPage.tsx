// A new broadcast: audience, one template or A/B variants, control group, category, fallback, timing and rate.
import {
  ActionIcon,
  Button,
  Card,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Radio,
  SimpleGrid,
  Stack,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { type BroadcastDefinition, useCreateBroadcast, useSegmentChoices, useTemplateChoices } from './queries.js';

type Variant = NonNullable<BroadcastDefinition['variants']>[number];
type Timing = 'now' | 'at' | 'local';
const CHANNELS = ['email', 'push', 'sms', 'kakao'] as const;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder component="fieldset" padding="md" style={{ minWidth: 0 }}>
      <Title order={2} size="h4" component="legend" px={4}>
        {title}
      </Title>
      <Stack gap="sm">{children}</Stack>
    </Card>
  );
}

const asNumber = (v: string | number) => (typeof v === 'number' ? v : v === '' ? undefined : Number(v));

export default function NewBroadcastPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const segments = useSegmentChoices();
  const templates = useTemplateChoices();
  const create = useCreateBroadcast();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [segment, setSegment] = useState('');
  const [abTest, setAbTest] = useState(false);
  const [template, setTemplate] = useState('');
  const [variants, setVariants] = useState<Variant[]>([
    { name: 'A', template: '', weight: 1 },
    { name: 'B', template: '', weight: 1 },
  ]);
  const [controlPercent, setControlPercent] = useState<number | undefined>(0);
  const [category, setCategory] = useState<BroadcastDefinition['category']>('marketing');
  const [fallback, setFallback] = useState<string[]>([]);
  const [timing, setTiming] = useState<Timing>('now');
  const [sendAt, setSendAt] = useState('');
  const [localDate, setLocalDate] = useState('');
  const [localTime, setLocalTime] = useState('10:00');
  const [rate, setRate] = useState<number | undefined>();

  const segmentIds = segments.data?.segments.map((s) => ({ value: s.id, label: `${s.name} (${s.id})` })) ?? [];
  const templateIds = templates.data?.templates.map((s) => ({ value: s.id, label: `${s.name} (${s.channel})` })) ?? [];
  const choose = (label: string) => [{ value: '', label }];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // What the marketer typed goes as typed: the API checks it and names the field it refuses.
    const definition: BroadcastDefinition = {
      id,
      ...(name ? { name } : {}),
      segment,
      ...(abTest ? { variants } : { template }),
      controlPercent: controlPercent ?? 0,
      category,
      fallback: fallback as BroadcastDefinition['fallback'],
      ...(timing === 'at' ? { sendAt: sendAt ? new Date(sendAt).toISOString() : sendAt } : {}),
      ...(timing === 'local' ? { localTime: { date: localDate, time: localTime } } : {}),
      ...(rate ? { ratePerMinute: rate } : {}),
    };
    create.mutate(definition, {
      onSuccess: (created) => navigate(`/broadcasts/${encodeURIComponent(created.definition.id)}`),
    });
  };
  const setVariant = (i: number, change: Partial<Variant>) =>
    setVariants(variants.map((v, j) => (j === i ? { ...v, ...change } : v)));

  return (
    <form onSubmit={submit} aria-label={t('broadcasts.new')}>
      <Stack>
        <Group justify="space-between">
          <Title order={1}>{t('broadcasts.new')}</Title>
          <Button type="submit" loading={create.isPending}>
            {t('broadcasts.create')}
          </Button>
        </Group>
        <ApiErrorAlert error={create.error ?? segments.error ?? templates.error} title={t('broadcasts.refused')} />
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Section title={t('broadcasts.form.what')}>
            <TextInput
              label={t('broadcasts.form.id')}
              description={t('broadcasts.form.idHelp')}
              value={id}
              onChange={(e) => setId(e.currentTarget.value)}
            />
            <TextInput
              label={t('broadcasts.form.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <NativeSelect
              label={t('broadcasts.form.segment')}
              value={segment}
              data={[...choose(t('broadcasts.form.chooseSegment')), ...segmentIds]}
              onChange={(e) => setSegment(e.currentTarget.value)}
            />
            <NativeSelect
              label={t('broadcasts.form.category')}
              value={category}
              data={[
                { value: 'marketing', label: t('broadcasts.category.marketing') },
                { value: 'transactional', label: t('broadcasts.category.transactional') },
              ]}
              onChange={(e) => setCategory(e.currentTarget.value as BroadcastDefinition['category'])}
            />
          </Section>
          <Section title={t('broadcasts.form.message')}>
            <Radio.Group
              label={t('broadcasts.form.messageKind')}
              value={abTest ? 'variants' : 'template'}
              onChange={(v) => setAbTest(v === 'variants')}
            >
              <Group mt={4}>
                <Radio value="template" label={t('broadcasts.form.oneTemplate')} />
                <Radio value="variants" label={t('broadcasts.form.variants')} />
              </Group>
            </Radio.Group>
            {abTest ? (
              <Stack gap="xs">
                {variants.map((v, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: variants are edited in place, by position
                  <Group key={i} gap="xs" align="flex-end" wrap="wrap">
                    <TextInput
                      label={t('broadcasts.form.variantName', { n: i + 1 })}
                      value={v.name}
                      w={90}
                      onChange={(e) => setVariant(i, { name: e.currentTarget.value })}
                    />
                    <NativeSelect
                      label={t('broadcasts.form.variantTemplate', { n: i + 1 })}
                      value={v.template}
                      data={[...choose(t('broadcasts.form.chooseTemplate')), ...templateIds]}
                      onChange={(e) => setVariant(i, { template: e.currentTarget.value })}
                    />
                    <NumberInput
                      label={t('broadcasts.form.variantWeight', { n: i + 1 })}
                      value={v.weight}
                      min={0}
                      w={90}
                      onChange={(w) => setVariant(i, { weight: asNumber(w) ?? 0 })}
                    />
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      mb={4}
                      disabled={variants.length === 1}
                      aria-label={t('broadcasts.form.removeVariant', { n: i + 1 })}
                      onClick={() => setVariants(variants.filter((_, j) => j !== i))}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                ))}
                <Button
                  variant="light"
                  size="xs"
                  w="fit-content"
                  onClick={() =>
                    setVariants([
                      ...variants,
                      { name: String.fromCharCode(65 + variants.length), template: '', weight: 1 },
                    ])
                  }
                >
                  {t('broadcasts.form.addVariant')}
                </Button>
              </Stack>
            ) : (
              <NativeSelect
                label={t('broadcasts.form.template')}
                value={template}
                data={[...choose(t('broadcasts.form.chooseTemplate')), ...templateIds]}
                onChange={(e) => setTemplate(e.currentTarget.value)}
              />
            )}
            <NumberInput
              label={t('broadcasts.form.control')}
              description={t('broadcasts.form.controlHelp')}
              value={controlPercent}
              min={0}
              max={50}
              suffix=" %"
              onChange={(v) => setControlPercent(asNumber(v))}
            />
            <MultiSelect
              label={t('broadcasts.form.fallback')}
              description={t('broadcasts.form.fallbackHelp')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`broadcasts.channel.${c}`) }))}
              value={fallback}
              onChange={setFallback}
            />
          </Section>
          <Section title={t('broadcasts.form.when')}>
            <Radio.Group label={t('broadcasts.form.timing')} value={timing} onChange={(v) => setTiming(v as Timing)}>
              <Stack gap={6} mt={4}>
                <Radio value="now" label={t('broadcasts.form.now')} />
                <Radio value="at" label={t('broadcasts.form.at')} />
                <Radio value="local" label={t('broadcasts.form.local')} />
              </Stack>
            </Radio.Group>
            {timing === 'at' && (
              <TextInput
                type="datetime-local"
                label={t('broadcasts.form.sendAt')}
                value={sendAt}
                onChange={(e) => setSendAt(e.currentTarget.value)}
              />
            )}
            {timing === 'local' && (
              <Group grow>
                <TextInput
                  type="date"
                  label={t('broadcasts.form.localDate')}
                  value={localDate}
                  onChange={(e) => setLocalDate(e.currentTarget.value)}
                />
                <TextInput
                  type="time"
                  label={t('broadcasts.form.localTime')}
                  value={localTime}
                  onChange={(e) => setLocalTime(e.currentTarget.value)}
                />
              </Group>
            )}
            <NumberInput
              label={t('broadcasts.form.rate')}
              description={t('broadcasts.form.rateHelp')}
              value={rate ?? ''}
              min={1}
              allowDecimal={false}
              onChange={(v) => setRate(asNumber(v))}
            />
          </Section>
        </SimpleGrid>
      </Stack>
    </form>
  );
}
