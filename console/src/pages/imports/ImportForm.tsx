// What to import and how: the file, what it is, its encoding and columns or Pinpoint's advertising proof, dry run, journeys.
import {
  Alert,
  Button,
  Card,
  FileInput,
  NativeSelect,
  Radio,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnsEditor } from './ColumnsEditor.js';
import type { ImportOptions } from './queries.js';
import { useCsvColumns } from './useCsvColumns.js';

type Source = NonNullable<ImportOptions['source']>;
type Encoding = NonNullable<ImportOptions['encoding']>;
const ENCODINGS = ['auto', 'utf-8', 'euc-kr'] as const satisfies readonly Encoding[];
const ACCEPT: Record<Source, string> = { csv: '.csv,.txt,text/csv', pinpoint: '.jsonl,.json,.gz,.ndjson' };

export function ImportForm({ busy, onStart }: { busy: boolean; onStart(file: File, options: ImportOptions): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState<Source>('csv');
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [advertising, setAdvertising] = useState('');
  const [advertisingDate, setAdvertisingDate] = useState('');
  // On by default: a first run of a file should show what it would do before it does it.
  const [dryRun, setDryRun] = useState(true);
  const [triggerJourneys, setTriggerJourneys] = useState(false);
  const [missingFile, setMissingFile] = useState(false);
  const { columns, setRole } = useCsvColumns(source === 'csv' ? file : null, encoding);
  // A CSV starts only with columns that make a mapping: exactly one user id, each field in one column.
  const columnsBlock = columns.status !== 'none' && (columns.status !== 'read' || columns.mapping === undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissingFile(true);
      return;
    }
    if (columnsBlock) return;
    const proof = advertising.trim()
      ? { attribute: advertising.trim(), ...(advertisingDate.trim() ? { dateAttribute: advertisingDate.trim() } : {}) }
      : undefined;
    onStart(file, {
      source,
      dryRun,
      triggerJourneys,
      ...(source === 'csv' ? { encoding } : {}),
      ...(source === 'csv' && columns.status === 'read' ? { mapping: columns.mapping } : {}),
      ...(source === 'pinpoint' && proof ? { advertising: proof } : {}),
    });
  };

  return (
    <Card withBorder component="section" aria-labelledby="import-form-title">
      <Title order={2} size="h3" id="import-form-title" mb="sm">
        {t('import.form')}
      </Title>
      <form onSubmit={submit} aria-labelledby="import-form-title">
        <Stack gap="md" maw={640}>
          <Radio.Group label={t('import.source')} value={source} onChange={(value) => setSource(value as Source)}>
            <Stack gap={6} mt={6}>
              <Radio value="csv" label={t('import.sources.csv')} />
              <Radio value="pinpoint" label={t('import.sources.pinpoint')} />
            </Stack>
          </Radio.Group>
          <FileInput
            label={t('import.file')}
            placeholder={t('import.filePlaceholder')}
            description={t(`import.fileHelp.${source}`)}
            accept={ACCEPT[source]}
            value={file}
            onChange={(next) => {
              setFile(next);
              setMissingFile(false);
            }}
            error={missingFile ? t('import.chooseFile') : undefined}
            clearable
            clearButtonProps={{ 'aria-label': t('import.clearFile') }}
            data-testid="import-file"
          />
          {source === 'csv' ? (
            <>
              <NativeSelect
                label={t('import.encoding')}
                value={encoding}
                onChange={(e) => setEncoding(e.currentTarget.value as Encoding)}
                data={ENCODINGS.map((value) => ({ value, label: t(`import.encodings.${value}`) }))}
                maw={320}
              />
              <ColumnsEditor columns={columns} onRole={setRole} />
            </>
          ) : (
            <>
              <TextInput
                label={t('import.advertising')}
                description={t('import.advertisingHelp')}
                placeholder="adConsent"
                value={advertising}
                onChange={(e) => setAdvertising(e.currentTarget.value)}
                maw={420}
              />
              <TextInput
                label={t('import.advertisingDate')}
                description={t('import.advertisingDateHelp')}
                placeholder="adConsentDate"
                value={advertisingDate}
                onChange={(e) => setAdvertisingDate(e.currentTarget.value)}
                disabled={!advertising.trim()}
                maw={420}
              />
            </>
          )}
          <Switch
            label={t('import.dryRun')}
            description={t('import.dryRunHelp')}
            checked={dryRun}
            onChange={(e) => setDryRun(e.currentTarget.checked)}
          />
          <Switch
            label={t('import.triggerJourneys')}
            description={t('import.triggerJourneysHelp')}
            checked={triggerJourneys}
            onChange={(e) => setTriggerJourneys(e.currentTarget.checked)}
          />
          {triggerJourneys && (
            <Alert color="orange" title={t('import.triggerWarningTitle')} data-testid="trigger-warning">
              <Text size="sm">{t(dryRun ? 'import.triggerWarningDry' : 'import.triggerWarning')}</Text>
            </Alert>
          )}
          <div>
            <Button
              type="submit"
              loading={busy}
              disabled={busy || columnsBlock}
              aria-describedby={columnsBlock ? 'start-blocked' : undefined}
            >
              {t(dryRun ? 'import.startDry' : 'import.start')}
            </Button>
            {columnsBlock && (
              <Text size="sm" c="red.8" mt={6} id="start-blocked" data-testid="start-blocked">
                {t(columns.status === 'reading' ? 'import.columns.startWaits' : 'import.columns.startBlocked')}
              </Text>
            )}
          </div>
        </Stack>
      </form>
    </Card>
  );
}
