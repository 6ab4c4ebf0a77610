// One segment: the condition builder beside its JSON, the live estimate, and saving.
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { ConditionBuilder } from './ConditionBuilder.js';
import { looksLikeCondition, newRule } from './conditionParts.js';
import {
  type Condition,
  type Segment,
  useConditionEstimate,
  useSaveSegment,
  useSegment,
  useSegments,
} from './queries.js';

export default function SegmentPage() {
  const { segmentId } = useParams();
  const existing = segmentId !== undefined && segmentId !== 'new';
  const segment = useSegment(existing ? segmentId : undefined);
  if (existing && segment.isPending) return <PageLoading />;
  if (existing && segment.error) return <ApiErrorAlert error={segment.error} />;
  return (
    <SegmentEditor
      key={segmentId}
      initial={segment.data ?? { id: '', name: '', condition: { all: [newRule()] } }}
      existing={existing}
    />
  );
}

function SegmentEditor({ initial, existing }: { initial: Segment; existing: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const saved = useSegments();
  const save = useSaveSegment(existing);
  const [draft, setDraft] = useState<Segment>(initial);
  const [json, setJson] = useState(() => JSON.stringify(initial.condition, null, 2));
  const [jsonProblem, setJsonProblem] = useState<string>();
  // A count is a full pass over the profiles: ask once typing pauses, not on every key.
  const [settled] = useDebouncedValue(draft.condition, 400);
  const estimate = useConditionEstimate(settled);
  /** A new edit makes the last save's answer stale. */
  const edit = (next: Segment) => {
    setDraft(next);
    save.reset();
  };

  const setCondition = (condition: Condition) => {
    edit({ ...draft, condition });
    setJson(JSON.stringify(condition, null, 2));
    setJsonProblem(undefined);
  };
  const typeJson = (text: string) => {
    setJson(text);
    try {
      const parsed: unknown = JSON.parse(text);
      if (!looksLikeCondition(parsed)) {
        setJsonProblem(t('segments.jsonNotCondition'));
        return;
      }
      edit({ ...draft, condition: parsed });
      setJsonProblem(undefined);
    } catch (error) {
      setJsonProblem((error as Error).message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { ...draft, description: draft.description || undefined },
      { onSuccess: (s) => !existing && navigate(`/segments/${encodeURIComponent(s.id)}`, { replace: true }) },
    );
  };
  const others = (saved.data?.segments ?? []).map((s) => s.id).filter((id) => id !== draft.id);

  return (
    <form onSubmit={submit} aria-label={t('segments.editor')}>
      <Stack>
        <Group justify="space-between">
          <Title order={1}>{existing ? initial.name : t('segments.new')}</Title>
          <Button type="submit" loading={save.isPending}>
            {t('segments.save')}
          </Button>
        </Group>
        <ApiErrorAlert error={save.error} title={t('segments.refused')} />
        {save.isSuccess && (
          <Alert color="green" role="status" data-testid="segment-saved">
            {t('segments.saved')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('segments.id')}
            description={t('segments.idHelp')}
            value={draft.id}
            readOnly={existing}
            onChange={(e) => edit({ ...draft, id: e.currentTarget.value })}
          />
          <TextInput
            label={t('segments.name')}
            value={draft.name}
            onChange={(e) => edit({ ...draft, name: e.currentTarget.value })}
          />
        </SimpleGrid>
        <TextInput
          label={t('segments.description')}
          value={draft.description ?? ''}
          onChange={(e) => edit({ ...draft, description: e.currentTarget.value })}
        />
        <Card withBorder padding="md" component="section" aria-labelledby="segment-estimate">
          <Title order={2} size="h4" id="segment-estimate">
            {t('segments.estimate')}
          </Title>
          {estimate.error ? (
            <ApiErrorAlert error={estimate.error} title={t('segments.estimateRefused')} />
          ) : estimate.data ? (
            <Text size="lg" data-testid="segment-estimate" aria-live="polite">
              {t('segments.estimateLine', {
                matching: format.number(estimate.data.matching),
                profiles: format.number(estimate.data.profiles),
              })}{' '}
              <Text span size="sm" c="dimmed">
                ({format.dateTime(estimate.data.at)}
                {estimate.isFetching ? `, ${t('segments.counting')}` : ''})
              </Text>
            </Text>
          ) : (
            <Text c="dimmed">{t('segments.counting')}</Text>
          )}
        </Card>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Stack gap="xs" component="section" aria-labelledby="segment-builder">
            <Title order={2} size="h4" id="segment-builder">
              {t('segments.builder.title')}
            </Title>
            <ConditionBuilder condition={draft.condition} onChange={setCondition} segments={others} />
          </Stack>
          <Stack gap="xs" component="section" aria-labelledby="segment-json">
            <Title order={2} size="h4" id="segment-json">
              {t('segments.json')}
            </Title>
            <Textarea
              aria-label={t('segments.json')}
              autosize
              minRows={10}
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
              value={json}
              error={jsonProblem}
              onChange={(e) => typeJson(e.currentTarget.value)}
            />
          </Stack>
        </SimpleGrid>
      </Stack>
    </form>
  );
}
