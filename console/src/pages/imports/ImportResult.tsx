// The import's report: the counts, the consent line, the refused rows, the mapping and (Pinpoint) the endpoint
// tally; a file that could not be read says why in the reader's words, a stopped import when and by whom.
import { Alert, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Figure } from '../../components/Figure.js';
import { useFormat } from '../../components/format.js';
import { EndpointTally } from './EndpointTally.js';
import type { ImportProgress } from './queries.js';
import { RefusedRows } from './RefusedRows.js';
import { SuggestedMapping } from './SuggestedMapping.js';

export function ImportResult({ progress }: { progress: ImportProgress }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { job, report } = progress;
  if (progress.state === 'failed') {
    return (
      <Alert color="red" title={t('import.failed')} role="alert" data-testid="import-failed">
        <Text size="sm" data-testid="import-error">
          {job.upload?.error}
        </Text>
        <Text size="sm" mt={4}>
          {t('import.failedNothing')}
        </Text>
      </Alert>
    );
  }
  const stopped = job.cancelled && (
    <Alert color="orange" title={t('import.cancel.stoppedTitle')} role="status" data-testid="import-cancelled">
      <Text size="sm">
        {t('import.cancel.stopped', { at: format.dateTime(job.cancelled.at), by: job.cancelled.by })}
      </Text>
    </Alert>
  );
  const figures = [
    ['records', report.records],
    ['accepted', report.accepted],
    ['refused', report.refusedCount],
    ['created', report.created],
    [job.dryRun ? 'wouldChange' : 'changed', report.changed],
    ['unchanged', report.unchanged],
    ...(job.triggerJourneys ? [['journeysTriggered', report.journeysTriggered] as const] : []),
  ] as const;
  return (
    <Stack>
      {stopped}
      <Card withBorder component="section" aria-labelledby="report-title">
        <Title order={2} size="h3" id="report-title">
          {t(
            progress.state === 'done'
              ? job.dryRun
                ? 'import.report.dry'
                : 'import.report.real'
              : progress.state === 'cancelled'
                ? 'import.report.stopped'
                : 'import.report.running',
          )}
        </Title>
        {job.dryRun && (
          <Text size="sm" c="dimmed" mt={4}>
            {t('import.report.dryNote')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 2, sm: 3, lg: figures.length }} mt="sm" data-testid="import-figures">
          {figures.map(([name, value]) => (
            <div key={name} data-figure={name}>
              <Figure label={t(`import.figures.${name}`)} value={format.number(value)} />
            </div>
          ))}
        </SimpleGrid>
        <Text size="sm" mt="sm" data-testid="import-consent">
          {t('import.consentLine', {
            applied: format.number(report.consent.applied),
            olderKept: format.number(report.consent.olderKept),
            withoutDate: format.number(report.consent.withoutDate),
          })}
        </Text>
      </Card>
      <RefusedRows report={report} />
      {job.mapping && <SuggestedMapping mapping={job.mapping} />}
      {job.upload?.endpoints && <EndpointTally tally={job.upload.endpoints} />}
    </Stack>
  );
}
