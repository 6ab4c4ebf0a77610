// The reference a provider carries with a message (a tag, a custom field) to lead its feedback back to the log.

import type { DeliveryRequest } from '../journeys/instance.js';

/** What a provider sees of the message: enough to find the message-log row again, nothing personal. */
export function messageRef(request: Pick<DeliveryRequest, 'userKey' | 'idempotencyKey'>): string {
  return Buffer.from(JSON.stringify([request.userKey, request.idempotencyKey]), 'utf8').toString('base64url');
}

export function parseMessageRef(
  ref: string,
): { userKey: DeliveryRequest['userKey']; idempotencyKey: string } | undefined {
  try {
    const [userKey, idempotencyKey] = JSON.parse(Buffer.from(ref, 'base64url').toString('utf8')) as string[];
    return /^[ua]:/.test(userKey) && idempotencyKey
      ? { userKey: userKey as DeliveryRequest['userKey'], idempotencyKey }
      : undefined;
  } catch {
    return undefined;
  }
}
