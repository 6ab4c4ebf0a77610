// A rendered message as its recipient would see it: the e-mail in a sandboxed frame, a push on a lock screen,
// an SMS with its bytes, type and cost class, a KakaoTalk bubble with its buttons; and what stops it going.
import { Alert, Badge, Box, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RenderedMessage } from './queries.js';
import './preview.css';

export function MessagePreview({ message }: { message: RenderedMessage }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="template-preview" data-channel={message.channel}>
      {message.channel === 'email' && <EmailPreview message={message} />}
      {message.channel === 'push' && <PushPreview message={message} />}
      {message.channel === 'sms' && <SmsPreview message={message} />}
      {message.channel === 'kakao' && <KakaoPreview message={message} />}
      {message.refusals.length > 0 && (
        <Alert
          color="orange"
          title={t('templates.preview.refusals')}
          data-testid="preview-refusals"
          // Mantine's orange on its light orange falls short of 4.5:1; the words stay dark, the frame orange.
          styles={{
            title: { color: 'var(--mantine-color-dark-9)' },
            message: { color: 'var(--mantine-color-dark-9)' },
          }}
        >
          <List size="sm">
            {message.refusals.map((r) => (
              <List.Item key={`${r.reason}/${r.setting ?? ''}`}>
                {r.reason}
                {r.setting ? ` (${t('templates.preview.setting')}: ${r.setting})` : ''}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

type Of<C extends RenderedMessage['channel']> = Extract<RenderedMessage, { channel: C }>;

function EmailPreview({ message }: { message: Of<'email'> }) {
  const { t } = useTranslation();
  const e = message.email;
  return (
    <Paper withBorder radius="md">
      <Stack gap={2} p="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="sm">
          <Text span c="dimmed">
            {t('templates.preview.from')}:
          </Text>{' '}
          {e.from}
        </Text>
        <Text fw={600} data-testid="preview-subject">
          {e.subject}
        </Text>
        {e.preheader && (
          <Text size="sm" c="dimmed" data-testid="preview-preheader">
            {e.preheader}
          </Text>
        )}
      </Stack>
      {/* No scripts, no forms, no same-origin: the template's HTML cannot reach the console or its token. */}
      <iframe
        title={t('templates.preview.emailFrame')}
        sandbox=""
        srcDoc={e.html}
        data-testid="preview-email-frame"
        style={{ width: '100%', height: 420, border: 0, display: 'block', background: 'white' }}
      />
    </Paper>
  );
}

function PushPreview({ message }: { message: Of<'push'> }) {
  const { t } = useTranslation();
  const p = message.push;
  return (
    <Box className="phone-screen" role="img" aria-label={t('templates.preview.phone')}>
      <Paper radius="lg" p="sm" shadow="sm" className="push-card" data-testid="preview-push">
        <Group gap={6} mb={4}>
          <Box className="push-app-icon" aria-hidden />
          <Text size="xs" c="dimmed">
            {t('templates.preview.app')} · {t('templates.preview.now')}
          </Text>
        </Group>
        <Text fw={600} size="sm" data-testid="preview-push-title">
          {p.title}
        </Text>
        <Text size="sm" data-testid="preview-push-body">
          {p.body}
        </Text>
        {p.deepLink && (
          <Text size="xs" c="dimmed" mt={4}>
            {t('templates.preview.opens')}: {p.deepLink}
          </Text>
        )}
      </Paper>
    </Box>
  );
}

function SmsPreview({ message }: { message: Of<'sms'> }) {
  const { t } = useTranslation();
  const s = message.sms;
  return (
    <Stack gap="xs">
      <Group gap="xs" data-testid="preview-sms-facts">
        <Badge variant="filled" data-testid="preview-sms-type">
          {s.type}
        </Badge>
        <Badge variant="light" color="gray" data-testid="preview-sms-bytes">
          {t('templates.preview.bytes', { count: s.bytes })}
        </Badge>
        <Badge variant="light" color="grape" data-testid="preview-sms-cost">
          {t(`templates.preview.cost.${s.costClass}`)}
        </Badge>
        {message.from && (
          <Text size="xs" c="dimmed">
            {t('templates.preview.from')}: {message.from}
          </Text>
        )}
      </Group>
      {s.unsupported.length > 0 && (
        <Alert color="red" data-testid="preview-sms-unsupported">
          {t('templates.preview.unsupported')}: {s.unsupported.join(' ')}
        </Alert>
      )}
      <Box className="phone-screen sms-thread">
        <Paper radius="lg" p="sm" className="sms-bubble" data-testid="preview-sms">
          {s.title && (
            <Text fw={600} size="sm">
              {s.title}
            </Text>
          )}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {s.text}
          </Text>
        </Paper>
      </Box>
    </Stack>
  );
}

function KakaoPreview({ message }: { message: Of<'kakao'> }) {
  const { t } = useTranslation();
  const k = message.kakao;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge variant="outline" color="dark">
          {t(`templates.kakaoKind.${k.kind}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {k.templateCode}
        </Text>
      </Group>
      <Box className="phone-screen kakao-thread">
        <Paper radius="md" className="kakao-bubble" data-testid="preview-kakao">
          <Text size="xs" fw={600} className="kakao-header">
            {t(`templates.kakaoKind.${k.kind}`)}
          </Text>
          <Text size="sm" p="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {k.text ?? t('templates.preview.kakaoUnfilled')}
          </Text>
          {k.buttons.length > 0 && (
            <Stack gap={4} p="sm" pt={0}>
              {k.buttons.map((b) => (
                <Box key={`${b.name}/${b.type}`} className="kakao-button" data-testid="preview-kakao-button">
                  {b.name}
                </Box>
              ))}
            </Stack>
          )}
        </Paper>
      </Box>
    </Stack>
  );
}
