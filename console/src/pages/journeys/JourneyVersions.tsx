// Two versions of a journey side by side: each drawn, the steps added, removed or changed marked, and the
// fields outside the steps that differ.
import { Card, Code, Group, List, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { useFormat } from '../../components/format.js';
import { PageLoading } from '../../components/PageLoading.js';
import { JourneyCanvas } from './JourneyCanvas.js';
import type { JourneyDefinition } from './journeyGraph.js';
import { useJourneyVersions } from './queries.js';
import type { StepMark } from './StepNode.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed from `older` to `newer`: steps added, removed and changed, and the other fields that differ. */
export function versionChanges(older: JourneyDefinition, newer: JourneyDefinition) {
  const added = Object.keys(newer.steps).filter((id) => !(id in older.steps));
  const removed = Object.keys(older.steps).filter((id) => !(id in newer.steps));
  const changed = Object.keys(newer.steps).filter((id) => id in older.steps && !same(older.steps[id], newer.steps[id]));
  const keys = new Set([...Object.keys(older), ...Object.keys(newer)].filter((k) => k !== 'steps'));
  const fields = [...keys].filter(
    (k) => !same(older[k as keyof JourneyDefinition], newer[k as keyof JourneyDefinition]),
  );
  return { added, removed, changed, fields };
}

export function JourneyVersions({ journeyId }: { journeyId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const versions = useJourneyVersions(journeyId);
  const all = versions.data?.versions ?? [];
  const latest = all.at(-1)?.version ?? 1;
  const [left, setLeft] = useState<number>();
  const [right, setRight] = useState<number>();
  const leftVersion = all.find((v) => v.version === (left ?? Math.max(1, latest - 1)));
  const rightVersion = all.find((v) => v.version === (right ?? latest));
  const changes = useMemo(
    () => (leftVersion && rightVersion ? versionChanges(leftVersion.definition, rightVersion.definition) : undefined),
    [leftVersion, rightVersion],
  );
  if (versions.isPending) return <PageLoading />;
  if (versions.error) return <ApiErrorAlert error={versions.error} />;
  if (!leftVersion || !rightVersion || !changes) return null;

  const leftMarks = new Map<string, StepMark>(
    changes.removed.map((id) => [id, { kind: 'changed', messages: [t('journeyWork.versions.removedHere')] }]),
  );
  const rightMarks = new Map<string, StepMark>([
    ...changes.added.map((id): [string, StepMark] => [id, { kind: 'added', messages: [] }]),
    ...changes.changed.map((id): [string, StepMark] => [id, { kind: 'changed', messages: [] }]),
  ]);
  for (const id of changes.changed) leftMarks.set(id, { kind: 'changed', messages: [] });
  const options = all.map((v) => ({
    value: String(v.version),
    label: t('journeyWork.versions.option', { version: v.version, at: format.dateTime(v.createdAt) }),
  }));
  const nothing = changes.added.length + changes.removed.length + changes.changed.length + changes.fields.length === 0;

  return (
    <Stack>
      <Card withBorder padding="sm" data-testid="version-changes">
        <Title order={2} size="h4" mb="xs">
          {t('journeyWork.versions.changes', { left: leftVersion.version, right: rightVersion.version })}
        </Title>
        {nothing ? (
          <Text size="sm">{t('journeyWork.versions.none')}</Text>
        ) : (
          <List size="sm">
            {changes.added.length > 0 && (
              <List.Item>
                {t('journeyWork.versions.added')}: <Code>{changes.added.join(', ')}</Code>
              </List.Item>
            )}
            {changes.removed.length > 0 && (
              <List.Item>
                {t('journeyWork.versions.removed')}: <Code>{changes.removed.join(', ')}</Code>
              </List.Item>
            )}
            {changes.changed.length > 0 && (
              <List.Item>
                {t('journeyWork.versions.changed')}: <Code>{changes.changed.join(', ')}</Code>
              </List.Item>
            )}
            {changes.fields.length > 0 && (
              <List.Item>
                {t('journeyWork.versions.fields')}: <Code>{changes.fields.join(', ')}</Code>
              </List.Item>
            )}
          </List>
        )}
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(
          [
            ['left', leftVersion, setLeft, leftMarks],
            ['right', rightVersion, setRight, rightMarks],
          ] as const
        ).map(([side, v, set, marks]) => (
          <Stack key={side} gap="xs" data-testid={`version-${side}`} data-version={v.version}>
            <Group>
              <NativeSelect
                label={t(`journeyWork.versions.${side}`)}
                data={options}
                value={String(v.version)}
                onChange={(e) => set(Number(e.currentTarget.value))}
              />
            </Group>
            <Card withBorder padding={0}>
              <JourneyCanvas
                definition={v.definition}
                lines={[]}
                marks={marks}
                label={t('journeyWork.versions.canvas', { version: v.version })}
                maxHeight={720}
              />
            </Card>
          </Stack>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
