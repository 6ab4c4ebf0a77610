// "Load codes": codes pasted one a line or read from a text/CSV file in the browser, sent in parts the API accepts,
// and what it answered: how many were added, which were already in a pool, and what was not a code at all.
import { Button, Card, Code, FileButton, Group, List, Progress, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { CODE_INPUT } from '../../components/codeInput.js';
import { useFormat } from '../../components/format.js';
import { MAX_CODES_PER_REQUEST } from '../../../../functions/core/offers/couponPatterns.js';
import { codeListOf, partsOf } from './codeList.js';
import { useLoadCouponCodes } from './queries.js';

type Outcome = {
  added: number;
  /** Codes the API found in a pool already (this one or another), in its words. */
  duplicates: string[];
  repeated: number;
  invalid: string[];
  parts: number;
  /** Parts the API answered; fewer than `parts` when one was refused. */
  sent: number;
  total?: number;
};

/** How many refused lines the result lists by name; the rest are counted. */
const SHOWN = 20;

export function LoadCodes({ poolId }: { poolId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const load = useLoadCouponCodes(poolId);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [progress, setProgress] = useState<{ part: number; of: number }>();
  const [outcome, setOutcome] = useState<Outcome>();

  const pending = codeListOf(text);
  const choose = async (file: File | null) => {
    if (!file) return;
    setText(await file.text());
    setFileName(file.name);
    setOutcome(undefined);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const list = codeListOf(text);
    const parts = partsOf(list.codes);
    const result: Outcome = { ...list, added: 0, duplicates: [], parts: parts.length, sent: 0 };
    load.reset();
    setOutcome(undefined);
    try {
      // One part after another: the pool's slots are reserved per request, and a refusal stops what follows.
      for (const [i, part] of parts.entries()) {
        setProgress({ part: i + 1, of: parts.length });
        const answer = await load.mutateAsync(part);
        result.added += answer.added;
        result.duplicates.push(...answer.duplicates);
        result.total = answer.total;
        result.sent += 1;
      }
      setText('');
      setFileName(undefined);
    } catch {
      // load.error holds the refusal, shown in the API's words below.
    } finally {
      setProgress(undefined);
      setOutcome(result);
      await queryClient.invalidateQueries({ queryKey: ['coupons'] });
    }
  };

  return (
    <Card withBorder component="section" aria-labelledby="load-codes">
      <Title order={2} size="h3" id="load-codes">
        {t('coupons.load.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('coupons.load.intro', { max: format.number(MAX_CODES_PER_REQUEST) })}
      </Text>
      <form onSubmit={submit} aria-labelledby="load-codes">
        <Stack gap="sm">
          <Textarea
            label={t('coupons.load.codes')}
            description={fileName ? t('coupons.load.fromFile', { name: fileName }) : t('coupons.load.codesHelp')}
            placeholder={'SPRING-7K2M9Q\nSPRING-4HX8TR'}
            autosize
            minRows={4}
            maxRows={12}
            styles={CODE_INPUT}
            value={text}
            disabled={progress !== undefined}
            onChange={(e) => {
              setText(e.currentTarget.value);
              setFileName(undefined);
            }}
          />
          <Group gap="sm" align="center">
            <FileButton onChange={choose} accept=".txt,.csv,text/plain,text/csv">
              {(props) => (
                <Button variant="default" {...props} disabled={progress !== undefined}>
                  {t('coupons.load.chooseFile')}
                </Button>
              )}
            </FileButton>
            <Button type="submit" loading={progress !== undefined} disabled={pending.codes.length === 0}>
              {pending.codes.length === 0
                ? t('coupons.load.title')
                : t('coupons.load.submit', { count: pending.codes.length, n: format.number(pending.codes.length) })}
            </Button>
            {pending.codes.length > 0 && progress === undefined && (
              <Text size="sm" c="dimmed" data-testid="codes-pending">
                {partsOf(pending.codes).length > 1
                  ? t('coupons.load.pendingParts', {
                      n: format.number(pending.codes.length),
                      parts: partsOf(pending.codes).length,
                      max: format.number(MAX_CODES_PER_REQUEST),
                    })
                  : t('coupons.load.pending', { count: pending.codes.length, n: format.number(pending.codes.length) })}
              </Text>
            )}
          </Group>
          {progress && (
            <Stack gap={4} role="status" data-testid="load-progress">
              <Text size="sm">{t('coupons.load.progress', { part: progress.part, of: progress.of })}</Text>
              <Progress
                value={((progress.part - 1) / progress.of) * 100}
                aria-label={t('coupons.load.progress', { part: progress.part, of: progress.of })}
              />
            </Stack>
          )}
          {outcome && <LoadOutcome outcome={outcome} />}
          <ApiErrorAlert error={load.error} title={t('coupons.load.refused')} />
        </Stack>
      </form>
    </Card>
  );
}

function LoadOutcome({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Stack gap={4} role="status" data-testid="load-outcome">
      <Text size="sm" fw={600} data-testid="codes-added">
        {t('coupons.load.added', { count: outcome.added, added: format.number(outcome.added) })}
        {outcome.parts > 1 && ` ${t('coupons.load.inParts', { sent: outcome.sent, parts: outcome.parts })}`}
      </Text>
      {outcome.total !== undefined && (
        <Text size="sm" data-testid="codes-total">
          {t('coupons.load.total', { total: format.number(outcome.total) })}
        </Text>
      )}
      {outcome.duplicates.length > 0 && (
        <div data-testid="codes-duplicate">
          <Text size="sm">{t('coupons.load.duplicates', { count: outcome.duplicates.length })}</Text>
          <Refused lines={outcome.duplicates} />
        </div>
      )}
      {outcome.repeated > 0 && (
        <Text size="sm" data-testid="codes-repeated">
          {t('coupons.load.repeated', { count: outcome.repeated })}
        </Text>
      )}
      {outcome.invalid.length > 0 && (
        <div data-testid="codes-invalid">
          <Text size="sm">{t('coupons.load.invalid', { count: outcome.invalid.length })}</Text>
          <Refused lines={outcome.invalid} />
        </div>
      )}
    </Stack>
  );
}

function Refused({ lines }: { lines: string[] }) {
  const { t } = useTranslation();
  return (
    <List size="sm" spacing={2}>
      {lines.slice(0, SHOWN).map((line, i) => (
        // A line that is not a code may be there twice.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is shown once and never reordered
        <List.Item key={`${i}:${line}`}>
          <Code>{line}</Code>
        </List.Item>
      ))}
      {lines.length > SHOWN && <List.Item>{t('coupons.load.andMore', { count: lines.length - SHOWN })}</List.Item>}
    </List>
  );
}
