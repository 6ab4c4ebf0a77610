// A broadcast's status in words (never colour alone).
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Broadcast } from './queries.js';

const COLOURS = { draft: 'gray', sending: 'blue', enqueued: 'green', cancelled: 'red' } as const;

export function BroadcastStatusBadge({ status }: { status: Broadcast['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status]} variant="dot" data-testid="broadcast-status" data-status={status}>
      {t(`broadcasts.status.${status}`)}
    </Badge>
  );
}
