// A journey's status as a coloured word.
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client.js';

const COLOR = { draft: 'gray', active: 'green', paused: 'yellow', archived: 'dark' } as const;

export function JourneyStatusBadge({ status }: { status: Schemas['JourneyHead']['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOR[status]} variant="dot">
      {t(`journeys.status.${status}`)}
    </Badge>
  );
}
