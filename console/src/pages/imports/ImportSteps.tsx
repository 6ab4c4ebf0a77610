// Where the import stands, as four steps (upload, read, apply, report), and how far the chunks have got.
import { Badge, Card, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../components/format.js';
import type { ImportProgress } from './queries.js';

const STEPS = ['upload', 'read', 'apply', 'report'] as const;
type StepState = 'done' | 'now' | 'failed' | 'stopped' | 'next';
const BADGE: Record<StepState, string> = {
  done: 'teal',
  now: 'indigo',
  failed: 'red',
  stopped: 'orange',
  next: 'gray',
};

/** The step under way: the upload is the browser's, the rest is the job's `state`. */
function currentStep(progress: ImportProgress | undefined): { at: number; failed?: 'failed' | 'stopped' } {
  switch (progress?.state) {
    case undefined:
      return { at: 0 };
    case 'waiting-for-file':
    case 'reading':
      return { at: 1 };
    case 'failed':
      return { at: 1, failed: 'failed' };
    case 'applying':
      return { at: 2 };
    case 'cancelled': {
      // Stopped where the job was: before its file came, while it was read, or while its chunks were applied.
      const upload = progress.job.upload?.status;
      return { at: upload === 'waiting-for-file' ? 0 : upload === 'reading' ? 1 : 2, failed: 'stopped' };
    }
    case 'done':
      return { at: STEPS.length };
  }
}

export function ImportSteps({ progress }: { progress: ImportProgress | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { at, failed } = currentStep(progress);
  const stateOf = (i: number): StepState => (i < at ? 'done' : i === at ? (failed ?? 'now') : 'next');
  const total = progress?.job.upload?.chunks;
  const applied = progress?.chunks ?? 0;
  const percent = progress?.state === 'done' ? 100 : total ? (applied / total) * 100 : 0;
  return (
    <Card withBorder component="section" aria-labelledby="import-steps-title">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h3" id="import-steps-title">
            {t('import.steps.title')}
          </Title>
          {progress && (
            <Text size="xs" c="dimmed" ff="monospace" data-testid="import-job-id">
              {progress.job.id}
            </Text>
          )}
        </Group>
        <List
          type="ordered"
          listStyleType="none"
          spacing={6}
          aria-label={t('import.steps.title')}
          data-testid="import-steps"
        >
          {STEPS.map((step, i) => {
            const state = stateOf(i);
            return (
              <List.Item key={step} aria-current={state === 'now' ? 'step' : undefined} data-state={state}>
                <Group gap="sm" wrap="nowrap">
                  <Badge color={BADGE[state]} variant="dot" w={120}>
                    {t(`import.steps.${state}`)}
                  </Badge>
                  <Text size="sm" fw={state === 'now' ? 700 : undefined}>
                    {i + 1}. {t(`import.steps.${step}`)}
                  </Text>
                </Group>
              </List.Item>
            );
          })}
        </List>
        {progress && progress.state !== 'failed' && (
          <>
            <Progress
              value={percent}
              animated={progress.state !== 'done' && progress.state !== 'cancelled'}
              aria-label={t('import.progressBar', { percent: Math.round(percent) })}
            />
            <Group gap="lg" wrap="wrap" data-testid="import-progress">
              <Text size="sm">
                {total === undefined
                  ? t(progress.state === 'cancelled' ? 'import.chunksStopped' : 'import.chunksUnknown', {
                      applied: format.number(applied),
                    })
                  : t('import.chunks', { applied: format.number(applied), total: format.number(total) })}
              </Text>
              <Text size="sm">{t('import.recordsSoFar', { rows: format.number(progress.report.records) })}</Text>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
