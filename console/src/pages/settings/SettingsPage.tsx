// Settings: sender, quiet hours, caps, SMS and KakaoTalk, seed list, attribution and ad-law wording; saved as one.
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { useSaveSettings, useSettings, type Settings } from './queries.js';

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

const asNumber = (value: string | number) => (typeof value === 'number' ? value : Number(value));

export default function SettingsPage() {
  const { t } = useTranslation();
  const settings = useSettings();
  const save = useSaveSettings();
  const [draft, setDraft] = useState<Settings>();
  useEffect(() => {
    if (settings.data) setDraft(structuredClone(settings.data));
  }, [settings.data]);

  if (settings.isPending) return <PageLoading />;
  if (settings.error) return <ApiErrorAlert error={settings.error} />;
  if (!draft) return <PageLoading />;

  /** Changes one part of the draft; the API checks the whole on save and names any field it refuses. */
  const edit = (change: (next: Settings) => void) => {
    const next = structuredClone(draft);
    change(next);
    setDraft(next);
    save.reset();
  };
  /** A text field over one setting; `apply` writes the typed value into the next draft. */
  const text = (label: string, value: string, apply: (next: Settings, value: string) => void, description?: string) => (
    <TextInput
      label={label}
      description={description}
      value={value}
      onChange={(e) => {
        const typed = e.currentTarget.value;
        edit((next) => apply(next, typed));
      }}
    />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };

  return (
    <form onSubmit={submit} aria-label={t('settings.title')}>
      <Stack>
        <Group justify="space-between">
          <Title order={1}>{t('settings.title')}</Title>
          <Button type="submit" loading={save.isPending}>
            {t('settings.save')}
          </Button>
        </Group>
        <ApiErrorAlert error={save.error} title={t('settings.refused')} />
        {save.isSuccess && (
          <Alert color="green" role="status" data-testid="settings-saved">
            {t('settings.saved')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Section title={t('settings.sender')}>
            {text(t('settings.senderName'), draft.sender.name, (s, v) => {
              s.sender.name = v;
            })}
            {text(t('settings.senderContact'), draft.sender.contact, (s, v) => {
              s.sender.contact = v;
            })}
            {text(t('settings.emailFrom'), draft.email.from, (s, v) => {
              s.email.from = v;
            })}
            {text(t('settings.replyTo'), draft.email.replyTo ?? '', (s, v) => {
              s.email.replyTo = v || undefined;
            })}
          </Section>
          <Section title={t('settings.quietHours')}>
            <Switch
              label={t('settings.quietHoursEnabled')}
              checked={draft.quietHours.enabled}
              onChange={(e) => {
                const v = e.currentTarget.checked;
                edit((s) => {
                  s.quietHours.enabled = v;
                });
              }}
            />
            <Group grow>
              {text(
                t('settings.quietStart'),
                draft.quietHours.start,
                (s, v) => {
                  s.quietHours.start = v;
                },
                'HH:MM',
              )}
              {text(
                t('settings.quietEnd'),
                draft.quietHours.end,
                (s, v) => {
                  s.quietHours.end = v;
                },
                'HH:MM',
              )}
            </Group>
            {text(t('settings.timezone'), draft.timezone, (s, v) => {
              s.timezone = v;
            })}
          </Section>
          <Section title={t('settings.approvals')}>
            <Text size="sm" c="dimmed">
              {t('settings.approvalsHelp')}
            </Text>
            {(['broadcastSend', 'journeyActivate'] as const).map((kind) => (
              <Switch
                key={kind}
                label={t(`settings.approvalsFor.${kind}`)}
                checked={draft.approvals[kind]}
                onChange={(e) => {
                  const v = e.currentTarget.checked;
                  edit((s) => {
                    s.approvals[kind] = v;
                  });
                }}
              />
            ))}
          </Section>
          <Section title={t('settings.caps')}>
            <Table aria-label={t('settings.caps')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('settings.capId')}</Table.Th>
                  <Table.Th scope="col">{t('settings.capChannel')}</Table.Th>
                  <Table.Th scope="col">{t('settings.capWindow')}</Table.Th>
                  <Table.Th scope="col">{t('settings.capLimit')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {draft.caps.map((cap, i) => (
                  <Table.Tr key={cap.id}>
                    <Table.Td>{cap.id}</Table.Td>
                    <Table.Td>{cap.channel}</Table.Td>
                    <Table.Td>{t(`settings.window.${cap.window}`)}</Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={t('settings.capLimitOf', { id: cap.id })}
                        value={cap.limit}
                        min={0}
                        w={90}
                        onChange={(v) =>
                          edit((s) => {
                            s.caps[i].limit = asNumber(v);
                          })
                        }
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Section title={t('settings.smsAndKakao')}>
            <TagsInput
              label={t('settings.senderNumbers')}
              value={draft.sms.senderNumbers}
              onChange={(v) =>
                edit((s) => {
                  s.sms.senderNumbers = v;
                })
              }
            />
            {text(t('settings.smsFrom'), draft.sms.from ?? '', (s, v) => {
              s.sms.from = v || undefined;
            })}
            {text(t('settings.optOutNumber'), draft.sms.optOutNumber ?? '', (s, v) => {
              s.sms.optOutNumber = v || undefined;
            })}
            {text(t('settings.kakaoChannel'), draft.kakao.channelId ?? '', (s, v) => {
              s.kakao.channelId = v || undefined;
            })}
          </Section>
          <Section title={t('settings.seedList')}>
            <TagsInput
              label={t('settings.seedEmail')}
              value={draft.seedList.email}
              onChange={(v) =>
                edit((s) => {
                  s.seedList.email = v;
                })
              }
            />
            <TagsInput
              label={t('settings.seedSms')}
              value={draft.seedList.sms}
              onChange={(v) =>
                edit((s) => {
                  s.seedList.sms = v;
                })
              }
            />
            <TagsInput
              label={t('settings.seedKakao')}
              value={draft.seedList.kakao}
              onChange={(v) =>
                edit((s) => {
                  s.seedList.kakao = v;
                })
              }
            />
          </Section>
          <Section title={t('settings.attribution')}>
            {text(t('settings.attributionEvent'), draft.attribution.event, (s, v) => {
              s.attribution.event = v;
            })}
            <NumberInput
              label={t('settings.attributionWindow')}
              value={draft.attribution.windowDays}
              decimalScale={1}
              onChange={(v) =>
                edit((s) => {
                  s.attribution.windowDays = asNumber(v);
                })
              }
            />
          </Section>
          <Section title={t('settings.compliance')}>
            {text(t('settings.adPrefix'), draft.compliance.adPrefix, (s, v) => {
              s.compliance.adPrefix = v;
            })}
            {text(t('settings.smsOptOut'), draft.compliance.smsOptOut, (s, v) => {
              s.compliance.smsOptOut = v;
            })}
            {Object.entries(draft.compliance.emailFooter).map(([language, text]) => (
              <Textarea
                key={language}
                autosize
                minRows={2}
                label={t('settings.emailFooter', { language })}
                value={text}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  edit((s) => {
                    s.compliance.emailFooter[language] = v;
                  });
                }}
              />
            ))}
          </Section>
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
