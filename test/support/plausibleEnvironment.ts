// Values of the right shape for any Retain environment variable: for CDK tokens in the infra test, and for the
// benchmark's cold imports, where no resource exists.

import { variables, type VariableName } from '../../functions/environment.js';

export function plausibleValue(name: string): string {
  if (name === 'DEAD_LETTER_QUEUES') return 'journey-steps=retain-steps-dead-letters,email=retain-email-dead-letters';
  if (name === 'DEAD_LETTER_QUEUE_BASE') return 'https://sqs.ap-northeast-2.amazonaws.com/123456789012';
  if (name.endsWith('_TABLE')) return `retain-${name.toLowerCase()}`;
  if (name.endsWith('_QUEUE_URL')) return `https://sqs.ap-northeast-2.amazonaws.com/123456789012/${name.toLowerCase()}`;
  if (name.endsWith('_URL')) return 'https://abc123.execute-api.ap-northeast-2.amazonaws.com';
  if (name.endsWith('_ARN')) return `arn:aws:service:ap-northeast-2:123456789012:${name.toLowerCase()}`;
  if (name.endsWith('_USER_POOL_ID')) return 'ap-northeast-2_Ab12Cd34E';
  if (name.endsWith('_DAYS') || name.endsWith('_SECONDS')) return '30';
  return `retain-${name.toLowerCase()}`;
}

/** Every variable a Retain Lambda may read, each with a plausible value. */
export function plausibleEnvironment(): Record<VariableName, string> {
  return Object.fromEntries(Object.keys(variables).map((n) => [n, plausibleValue(n)])) as Record<VariableName, string>;
}
