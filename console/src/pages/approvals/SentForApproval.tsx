// What the broadcast and journey pages show when the API held the send or activation for approval (202).
import { Alert, Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApprovalRequest } from './queries.js';

export function SentForApproval({ approval }: { approval: ApprovalRequest }) {
  const { t } = useTranslation();
  return (
    <Alert color="blue" role="status" data-testid="sent-for-approval" title={t('approvals.sentForApproval')}>
      <Text size="sm">{t('approvals.sentForApprovalHelp')}</Text>
      {approval.forced && (
        <Text size="sm" fw={600}>
          {t('approvals.forced', { reason: approval.forced.reason })}
        </Text>
      )}
      <Anchor component={Link} to="/approvals" size="sm">
        {t('approvals.title')}
      </Anchor>
    </Alert>
  );
}
