// The local runtime's clock: now, and buttons that move it forward. Shown only where GET /admin/v1/clock answers
// 200 (the local runtime); in AWS the route does not exist (404), so the panel stays away.
import { Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { refusalOf } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { ApiErrorAlert } from './ApiErrorAlert.js';
import { useFormat } from './format.js';

type ClockNow = { now: string; pendingWakeUps: number };
type Advanced = ClockNow & { fired: number };

/**
 * The clock routes belong to the local runtime, not to the route table (AWS has no clock to move), so they are
 * not in the OpenAPI document the typed client comes from; these two shapes are the runtime's answer.
 */
function useClockCall() {
  const { config, token } = useSession();
  return async <T,>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T | undefined> => {
    const res = await fetch(`${config.apiUrl || window.location.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 404 && method === 'GET') return undefined;
    const json = await res.json().catch(() => undefined);
    if (!res.ok) throw refusalOf(res.status, json);
    return json as T;
  };
}

export function ClockPanel() {
  const { t } = useTranslation();
  const format = useFormat();
  const call = useClockCall();
  const queryClient = useQueryClient();
  const [by, setBy] = useState('');
  const clock = useQuery({
    queryKey: ['local-clock'],
    queryFn: async () => (await call<ClockNow>('GET', '/admin/v1/clock')) ?? null,
    retry: false,
    staleTime: 30_000,
  });
  const advance = useMutation({
    mutationFn: async (duration: string) =>
      (await call<Advanced>('POST', '/admin/v1/clock/advance', { by: duration }))!,
    // Everything a page shows may have moved with the clock: journeys woke up, messages went out.
    onSuccess: (answer) => {
      queryClient.setQueryData(['local-clock'], { now: answer.now, pendingWakeUps: answer.pendingWakeUps });
      return queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'local-clock' });
    },
  });
  if (!clock.data) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (by.trim()) advance.mutate(by.trim());
  };
  return (
    <Paper withBorder p="xs" radius="md" component="section" aria-labelledby="clock-title" data-testid="clock-panel">
      <Text fw={600} size="sm" id="clock-title" component="h2" m={0}>
        {t('clock.title')}
      </Text>
      <Text size="sm" data-testid="clock-now" data-now={clock.data.now}>
        {t('clock.now')}: {format.dateTime(clock.data.now)}
      </Text>
      <Text size="xs" c="dimmed">
        {t('clock.pending', { count: clock.data.pendingWakeUps })}
      </Text>
      <Group gap={4} mt={6} role="group" aria-label={t('clock.advance')}>
        {(['1h', '1d', '7d'] as const).map((step) => (
          <Button
            key={step}
            size="compact-xs"
            variant="light"
            loading={advance.isPending && advance.variables === step}
            onClick={() => advance.mutate(step)}
          >
            {t(`clock.by${step}`)}
          </Button>
        ))}
      </Group>
      <form onSubmit={submit}>
        <Group gap={4} mt={6} wrap="nowrap" align="flex-end">
          <TextInput
            size="xs"
            label={t('clock.custom')}
            value={by}
            onChange={(e) => setBy(e.currentTarget.value)}
            style={{ flex: 1 }}
          />
          <Button size="xs" type="submit" variant="light">
            {t('clock.go')}
          </Button>
        </Group>
      </form>
      {advance.data && (
        <Text size="xs" mt={4} role="status" data-testid="clock-advanced">
          {t('clock.advanced', { now: format.dateTime(advance.data.now), fired: advance.data.fired })}
        </Text>
      )}
      <ApiErrorAlert error={advance.error} />
    </Paper>
  );
}
