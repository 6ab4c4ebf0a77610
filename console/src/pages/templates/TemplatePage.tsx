// One template: its content per channel and per variant, saved through the API, previewed for a chosen
// customer exactly as the API renders it, and sent as a test.
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { ChannelFields } from './ChannelFields.js';
import { MessagePreview } from './MessagePreview.js';
import {
  type Channel,
  type PreviewFor,
  type Template,
  useSaveTemplate,
  useTemplate,
  useTemplatePreview,
  useTemplateTestSend,
} from './queries.js';

const CHANNELS: Channel[] = ['email', 'push', 'sms', 'kakao'];
const BASE = '__base';

/** What a channel's content starts as: the required fields empty, for the marketer to fill. */
function emptyContent(channel: Channel): Template[Channel] {
  switch (channel) {
    case 'email':
      return { subject: '', html: '' };
    case 'push':
      return { title: '', body: '' };
    case 'sms':
      return { text: '' };
    case 'kakao':
      return { kind: 'alimtalk', templateCode: '', text: '', variables: {}, buttons: [], brandType: 'text' };
  }
}

export default function TemplatePage() {
  const { templateId } = useParams();
  const existing = templateId !== undefined && templateId !== 'new';
  const template = useTemplate(existing ? templateId : undefined);
  if (existing && template.isPending) return <PageLoading />;
  if (existing && template.error) return <ApiErrorAlert error={template.error} />;
  return (
    <TemplateEditor
      key={templateId}
      saved={template.data}
      initial={template.data ?? { id: '', name: '', channel: 'email', email: { subject: '', html: '' }, variants: {} }}
    />
  );
}

function TemplateEditor({ initial, saved }: { initial: Template; saved?: Template }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const existing = saved !== undefined;
  const save = useSaveTemplate(existing);
  const [draft, setDraft] = useState<Template>(initial);
  const [tab, setTab] = useState<string>(BASE);
  const [newVariant, setNewVariant] = useState('');
  const edit = (next: Template) => {
    setDraft(next);
    save.reset();
  };
  const variants = draft.variants ?? {};
  const channel = draft.channel;

  const setChannel = (next: Channel) => {
    // Content never filled in is dropped (the API would refuse its empty fields); filled content stays as a fallback.
    const kept = { ...draft } as Record<string, unknown>;
    for (const c of CHANNELS) if (JSON.stringify(kept[c]) === JSON.stringify(emptyContent(c))) delete kept[c];
    edit({ ...kept, channel: next, [next]: draft[next] ?? emptyContent(next) } as Template);
  };
  const setContent = (content: Record<string, unknown>) => {
    if (tab === BASE) return edit({ ...draft, [channel]: content } as Template);
    const parts = { ...variants[tab], [channel]: content };
    edit({ ...draft, variants: { ...variants, [tab]: parts } });
  };
  const addVariant = () => {
    const name = newVariant.trim();
    if (!name || variants[name]) return;
    edit({ ...draft, variants: { ...variants, [name]: {} } });
    setTab(name);
    setNewVariant('');
  };
  const removeVariant = (name: string) => {
    const { [name]: _gone, ...rest } = variants;
    edit({ ...draft, variants: rest });
    setTab(BASE);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft, {
      onSuccess: (s) => !existing && navigate(`/templates/${encodeURIComponent(s.id)}`, { replace: true }),
    });
  };

  const content = (tab === BASE ? draft[channel] : variants[tab]?.[channel]) ?? {};
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  return (
    <Stack>
      <Anchor component={Link} to="/templates" size="sm">
        ← {t('templates.title')}
      </Anchor>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <form onSubmit={submit} aria-label={t('templates.editor')}>
          <Stack>
            <Group justify="space-between">
              <Title order={1}>{existing ? initial.name : t('templates.new')}</Title>
              <Button type="submit" loading={save.isPending}>
                {t('templates.save')}
              </Button>
            </Group>
            <ApiErrorAlert error={save.error} title={t('templates.refused')} />
            {save.isSuccess && (
              <Alert color="green" role="status" data-testid="template-saved">
                {t('templates.saved')}
              </Alert>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('templates.id')}
                description={t('templates.idHelp')}
                value={draft.id}
                readOnly={existing}
                onChange={(e) => edit({ ...draft, id: e.currentTarget.value })}
              />
              <TextInput
                label={t('templates.name')}
                value={draft.name}
                onChange={(e) => edit({ ...draft, name: e.currentTarget.value })}
              />
            </SimpleGrid>
            <NativeSelect
              label={t('templates.channel')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`templates.channels.${c}`) }))}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value as Channel)}
            />
            <Tabs value={tab} onChange={(v) => setTab(v ?? BASE)} keepMounted={false}>
              <Tabs.List aria-label={t('templates.variantTabs')}>
                <Tabs.Tab value={BASE}>{t('templates.baseContent')}</Tabs.Tab>
                {Object.keys(variants).map((name) => (
                  <Tabs.Tab key={name} value={name}>
                    {t('templates.variant', { name })}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            {tab !== BASE && (
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {t('templates.variantHelp')}
                </Text>
                <Button variant="subtle" color="red" size="xs" onClick={() => removeVariant(tab)}>
                  {t('templates.removeVariant', { name: tab })}
                </Button>
              </Group>
            )}
            <ChannelFields
              key={`${tab}/${channel}`}
              channel={channel}
              value={content as Record<string, unknown>}
              base={tab === BASE ? undefined : (draft[channel] as Record<string, unknown>)}
              onChange={setContent}
            />
            <Group align="flex-end" gap="xs">
              <TextInput
                label={t('templates.newVariant')}
                value={newVariant}
                onChange={(e) => setNewVariant(e.currentTarget.value)}
                w={160}
              />
              <Button variant="light" onClick={addVariant} disabled={!newVariant.trim()}>
                {t('templates.addVariant')}
              </Button>
            </Group>
          </Stack>
        </form>
        <PreviewPanel saved={saved} variant={tab === BASE ? undefined : tab} dirty={dirty} />
      </SimpleGrid>
    </Stack>
  );
}

function PreviewPanel({ saved, variant, dirty }: { saved?: Template; variant?: string; dirty: boolean }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState('');
  const [customer] = useDebouncedValue(userId.trim(), 400);
  const [category, setCategory] = useState<'marketing' | 'transactional'>('marketing');
  const savedVariant = variant && saved?.variants?.[variant] ? variant : undefined;
  const preview = useTemplatePreview(saved?.id, saved, { userId: customer, variant: savedVariant, category });
  return (
    <Card withBorder component="section" aria-labelledby="template-preview-title">
      <Stack>
        <Title order={2} size="h3" id="template-preview-title">
          {t('templates.preview.title')}
        </Title>
        {!saved ? (
          <Text c="dimmed">{t('templates.preview.saveFirst')}</Text>
        ) : (
          <>
            <TextInput
              label={t('templates.preview.customer')}
              description={t('templates.preview.customerHelp')}
              placeholder="user-1042"
              value={userId}
              onChange={(e) => setUserId(e.currentTarget.value)}
            />
            <NativeSelect
              label={t('templates.preview.category')}
              description={t('templates.preview.categoryHelp')}
              data={[
                { value: 'marketing', label: t('templates.preview.marketing') },
                { value: 'transactional', label: t('templates.preview.transactional') },
              ]}
              value={category}
              onChange={(e) => setCategory(e.currentTarget.value as typeof category)}
            />
            <Text size="sm" c="dimmed">
              {savedVariant ? t('templates.variant', { name: savedVariant }) : t('templates.baseContent')}
              {dirty ? ` · ${t('templates.preview.unsaved')}` : ''}
            </Text>
            {preview.error ? (
              <ApiErrorAlert error={preview.error} title={t('templates.preview.refused')} />
            ) : preview.data ? (
              <MessagePreview message={preview.data} />
            ) : (
              <PageLoading />
            )}
            <TestSend id={saved.id} target={{ userId: customer, variant: savedVariant, category }} />
          </>
        )}
      </Stack>
    </Card>
  );
}

function TestSend({ id, target }: { id: string; target: PreviewFor }) {
  const { t } = useTranslation();
  const [to, setTo] = useState('');
  const send = useTemplateTestSend(id);
  return (
    <Stack gap="xs" component="section" aria-labelledby="template-test-send">
      <Title order={3} size="h4" id="template-test-send">
        {t('templates.testSend.title')}
      </Title>
      <Group align="flex-end" gap="xs">
        <TextInput
          label={t('templates.testSend.to')}
          description={t('templates.testSend.toHelp')}
          value={to}
          onChange={(e) => {
            setTo(e.currentTarget.value);
            send.reset();
          }}
          style={{ flex: 1 }}
        />
        <Button
          variant="light"
          loading={send.isPending}
          disabled={to.trim().length < 3}
          onClick={() => send.mutate({ ...target, to: to.trim() })}
        >
          {t('templates.testSend.send')}
        </Button>
      </Group>
      <ApiErrorAlert error={send.error} title={t('templates.testSend.refused')} />
      {send.data && (
        <Alert color={send.data.sent ? 'green' : 'orange'} role="status" data-testid="template-test-sent">
          {send.data.sent ? t('templates.testSend.sent') : t('templates.testSend.notSent')}{' '}
          {Object.entries(send.data)
            .filter(([k]) => k !== 'sent')
            .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
            .join(' · ')}
        </Alert>
      )}
    </Stack>
  );
}
