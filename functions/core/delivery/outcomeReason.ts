// The reason of a refusal as a short code from a fixed list: the message log keeps the sentence, metrics
// need a bounded dimension (each distinct value is a metric CloudWatch bills for).

import type { MessageStatus } from './messageLog.js';

export const OUTCOME_REASONS = [
  'provider-refused',
  'invalid-push-tokens',
  'template',
  'content',
  'no-address',
  'no-consent',
  'suppressed',
  'channel-unavailable',
  'kakao-target',
  'other',
] as const;
export type OutcomeReason = (typeof OUTCOME_REASONS)[number];

/** Patterns over the sentences deliverMessage and its guards write, first match wins. */
const PATTERNS: [RegExp, OutcomeReason][] = [
  [/^provider refused/, 'provider-refused'],
  [/push token was invalid/, 'invalid-push-tokens'],
  [/^template "/, 'template'],
  // Before `consent`: the sentence names consented non-friends, but the refusal is the target, not a consent.
  [/Brand Message target [MN]\b/, 'kakao-target'],
  [/^no (profile|e-mail address|phone number|push token)$/, 'no-address'],
  [/consent/, 'no-consent'],
  [/suppressed|opted out/, 'suppressed'],
  [/channel is not available/, 'channel-unavailable'],
];

/** Only failures and skips carry a reason dimension; the rest are told apart by their status alone. */
export function outcomeReason(status: MessageStatus, reason: string | undefined): OutcomeReason | undefined {
  if (status !== 'failed' && status !== 'skipped') return undefined;
  if (!reason) return 'other';
  const found = PATTERNS.find(([pattern]) => pattern.test(reason));
  if (found) return found[1];
  // A failure that is none of the above is a message that could not be composed (Liquid, ad-law, Kakao rules).
  return status === 'failed' ? 'content' : 'other';
}
