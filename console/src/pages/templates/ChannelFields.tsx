// The fields of one channel's content (e-mail, push, SMS, KakaoTalk), for the template or for one variant.
import { ActionIcon, Button, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Channel, Template } from './queries.js';

type Content = Record<string, unknown>;
type KakaoButton = NonNullable<Template['kakao']>['buttons'][number];

/**
 * `base` is set when editing a variant: its values show as placeholders and an emptied field falls back to
 * them (the key is dropped, as the API lays a variant's parts over the template's).
 */
export function ChannelFields({
  channel,
  value,
  base,
  onChange,
}: {
  channel: Channel;
  value: Content;
  base?: Content;
  onChange: (next: Content) => void;
}) {
  const { t } = useTranslation();
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  const set = (key: string, next: string) => {
    const copy = { ...value };
    if (next === '' && (base || !['subject', 'html', 'title', 'body', 'text', 'templateCode'].includes(key))) {
      delete copy[key];
    } else copy[key] = next;
    onChange(copy);
  };
  const field = (key: string, label: string, long = false) => {
    const props = {
      label,
      value: text(key),
      placeholder: base && typeof base[key] === 'string' ? (base[key] as string) : undefined,
      onChange: (e: { currentTarget: { value: string } }) => set(key, e.currentTarget.value),
      spellCheck: false,
    };
    return long ? (
      <Textarea key={key} autosize minRows={4} maxRows={16} {...props} />
    ) : (
      <TextInput key={key} {...props} />
    );
  };

  switch (channel) {
    case 'email':
      return (
        <Stack gap="sm">
          {field('subject', t('templates.fields.subject'))}
          {field('preheader', t('templates.fields.preheader'))}
          {field('html', t('templates.fields.html'), true)}
          {field('text', t('templates.fields.text'), true)}
        </Stack>
      );
    case 'push':
      return (
        <Stack gap="sm">
          {field('title', t('templates.fields.pushTitle'))}
          {field('body', t('templates.fields.pushBody'), true)}
          {field('deepLink', t('templates.fields.deepLink'))}
          {field('imageUrl', t('templates.fields.imageUrl'))}
        </Stack>
      );
    case 'sms':
      return (
        <Stack gap="sm">
          {field('text', t('templates.fields.smsText'), true)}
          {field('title', t('templates.fields.smsTitle'))}
          {field('imageUrl', t('templates.fields.imageUrl'))}
        </Stack>
      );
    case 'kakao':
      return <KakaoFields value={value} base={base} onChange={onChange} field={field} />;
  }
}

function KakaoFields({
  value,
  base,
  onChange,
  field,
}: {
  value: Content;
  base?: Content;
  onChange: (next: Content) => void;
  field: (key: string, label: string, long?: boolean) => ReactNode;
}) {
  const { t } = useTranslation();
  const buttons = (Array.isArray(value.buttons) ? value.buttons : []) as KakaoButton[];
  const variables = (value.variables ?? {}) as Record<string, string>;
  const setButtons = (next: KakaoButton[]) => onChange({ ...value, buttons: next });
  const setButton = (i: number, patch: Partial<KakaoButton>) =>
    setButtons(buttons.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  // One `name = Liquid` per line: how the approved template's #{name} placeholders get filled.
  const variableLines = Object.entries(variables)
    .map(([name, liquid]) => `${name} = ${liquid}`)
    .join('\n');
  const setVariables = (lines: string) => {
    const next: Record<string, string> = {};
    for (const line of lines.split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) next[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    onChange({ ...value, variables: next });
  };
  return (
    <Stack gap="sm">
      {!base && (
        <NativeSelect
          label={t('templates.fields.kakaoKind')}
          data={[
            { value: 'alimtalk', label: t('templates.kakaoKind.alimtalk') },
            { value: 'brand', label: t('templates.kakaoKind.brand') },
          ]}
          value={(value.kind as string) ?? 'alimtalk'}
          onChange={(e) => onChange({ ...value, kind: e.currentTarget.value })}
        />
      )}
      {field('templateCode', t('templates.fields.templateCode'))}
      {field('text', t('templates.fields.kakaoText'), true)}
      {!base && (
        <>
          <Textarea
            label={t('templates.fields.variables')}
            description={t('templates.fields.variablesHelp')}
            autosize
            minRows={2}
            spellCheck={false}
            defaultValue={variableLines}
            onBlur={(e) => setVariables(e.currentTarget.value)}
          />
          <Stack gap={6} role="group" aria-label={t('templates.fields.buttons')}>
            {buttons.map((b, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: buttons have no id; their place is who they are.
              <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label={t('templates.fields.buttonName', { n: i + 1 })}
                  value={b.name}
                  onChange={(e) => setButton(i, { name: e.currentTarget.value })}
                  style={{ flex: 1 }}
                />
                <NativeSelect
                  label={t('templates.fields.buttonType', { n: i + 1 })}
                  data={['WL', 'AL', 'BK', 'MD', 'DS']}
                  value={b.type}
                  onChange={(e) => setButton(i, { type: e.currentTarget.value as KakaoButton['type'] })}
                  w={120}
                />
                <TextInput
                  label={t('templates.fields.buttonLink', { n: i + 1 })}
                  value={b.linkMobile ?? ''}
                  onChange={(e) => setButton(i, { linkMobile: e.currentTarget.value || undefined })}
                  style={{ flex: 2 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={t('templates.fields.removeButton', { n: i + 1 })}
                  onClick={() => setButtons(buttons.filter((_, j) => j !== i))}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="light"
                size="xs"
                disabled={buttons.length >= 5}
                onClick={() => setButtons([...buttons, { name: '', type: 'WL' }])}
              >
                {t('templates.fields.addButton')}
              </Button>
            </Group>
          </Stack>
        </>
      )}
    </Stack>
  );
}
