// Editing a journey as JSON: every problem the API finds, pinned to its step in the editor and on the draft's
// graph, and saving the draft as the next version.
import { Alert, Button, Card, Code, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';
import { ApiErrorAlert } from '../../components/ApiErrorAlert.js';
import { PageLoading } from '../../components/PageLoading.js';
import { JourneyCanvas } from './JourneyCanvas.js';
import { problemNode, problemsByNode } from './journeyProblems.js';
import type { JourneyDefinition } from './journeyGraph.js';
import { type JourneyProblem, useJourneyActions, useValidateDraft } from './queries.js';
import type { StepMark } from './StepNode.js';

// CodeMirror is the heaviest thing the console has: it loads when the editor is opened, not before.
const JourneyJsonEditor = lazy(() => import('./JourneyJsonEditor.js'));

const pretty = (definition: JourneyDefinition) => JSON.stringify(definition, null, 2);

export function JourneyEditor({ journeyId, definition }: { journeyId: string; definition: JourneyDefinition }) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => pretty(definition));
  const [syntaxError, setSyntaxError] = useState<string>();
  const [problems, setProblems] = useState<JourneyProblem[]>([]);
  // The last draft that parsed: the graph beside the editor draws it while the text is mid-edit.
  const [draft, setDraft] = useState<JourneyDefinition>(definition);
  const validate = useValidateDraft();
  const { mutate: validateDraft } = validate;
  const { save } = useJourneyActions(journeyId);

  // Checked a moment after typing stops: one request per pause, not per key.
  useEffect(() => {
    const timer = setTimeout(() => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        setSyntaxError((error as Error).message);
        return;
      }
      setSyntaxError(undefined);
      validateDraft(parsed, {
        onSuccess: (answer) => {
          setProblems(answer.problems);
          if (parsed && typeof parsed === 'object' && 'steps' in parsed) setDraft(parsed as JourneyDefinition);
        },
      });
    }, 400);
    return () => clearTimeout(timer);
  }, [text, validateDraft]);

  const marks = useMemo(() => {
    const byNode = new Map<string, StepMark>();
    for (const [node, messages] of problemsByNode(problems)) byNode.set(node, { kind: 'problem', messages });
    return byNode;
  }, [problems]);
  const drawable = useMemo(() => {
    // A draft whose steps are not all objects with a type cannot be drawn; the last good one stays.
    const steps = draft.steps && typeof draft.steps === 'object' ? Object.values(draft.steps) : [];
    return steps.every((s) => s && typeof s === 'object' && typeof (s as { type?: unknown }).type === 'string');
  }, [draft]);
  const unchanged = text === pretty(definition);

  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="journey-json-title">
            {t('journeyWork.editor.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('journeyWork.editor.help')}
          </Text>
          <Card withBorder padding={0}>
            <Suspense fallback={<PageLoading />}>
              <JourneyJsonEditor
                value={text}
                onChange={setText}
                problems={problems}
                label={t('journeyWork.editor.label')}
              />
            </Suspense>
          </Card>
          <Group>
            <Button
              onClick={() => save.mutate(JSON.parse(text), { onSuccess: (saved) => setText(pretty(saved.definition)) })}
              disabled={!!syntaxError || unchanged}
              loading={save.isPending}
            >
              {t('journeyWork.editor.save')}
            </Button>
            <Button variant="subtle" disabled={unchanged} onClick={() => setText(pretty(definition))}>
              {t('journeyWork.editor.revert')}
            </Button>
          </Group>
          <ApiErrorAlert error={save.error} title={t('journeyWork.editor.refused')} />
          {save.data && text === pretty(save.data.definition) && (
            <Alert color="green" role="status" data-testid="journey-saved">
              {t('journeyWork.editor.saved', { version: save.data.latestVersion })}
            </Alert>
          )}
        </Stack>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('journeyWork.editor.problems')}
          </Title>
          {syntaxError ? (
            <Alert color="red" role="alert" data-testid="journey-syntax-error">
              {t('journeyWork.editor.syntax')}: {syntaxError}
            </Alert>
          ) : problems.length === 0 ? (
            <Text size="sm" c="green.9" data-testid="journey-valid">
              {validate.isPending ? t('journeyWork.editor.checking') : t('journeyWork.editor.valid')}
            </Text>
          ) : (
            <List size="sm" data-testid="journey-problems">
              {problems.map((p) => {
                const node = problemNode(p.path);
                return (
                  <List.Item key={`${p.path}:${p.message}`} data-testid="journey-problem" data-step={node}>
                    {node && node !== '__trigger' ? (
                      <Text span fw={600}>
                        {t('journeyWork.editor.step', { step: node })}:{' '}
                      </Text>
                    ) : null}
                    <Code>{p.path || '—'}</Code> {p.message}
                  </List.Item>
                );
              })}
            </List>
          )}
          {drawable && (
            <Card withBorder padding={0}>
              <JourneyCanvas
                definition={draft as Schemas['JourneyDefinition']}
                lines={[]}
                marks={marks}
                label={t('journeyWork.editor.canvas')}
                maxHeight={720}
              />
            </Card>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
