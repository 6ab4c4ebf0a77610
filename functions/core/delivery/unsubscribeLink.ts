// Signed, unguessable unsubscribe links: the token names customer, channel and message, and only Retain can mint one.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UserKey } from '../events/userKey.js';

export type UnsubscribeClaim = { userKey: UserKey; channel: 'email' | 'push'; messageId: string };

export function signUnsubscribeToken(claim: UnsubscribeClaim, secret: string): string {
  const payload = Buffer.from(JSON.stringify([claim.userKey, claim.channel, claim.messageId]), 'utf8').toString(
    'base64url',
  );
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaim | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const [userKey, channel, messageId] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as string[];
    if (!/^[ua]:/.test(userKey) || (channel !== 'email' && channel !== 'push') || typeof messageId !== 'string')
      return undefined;
    return { userKey: userKey as UserKey, channel, messageId };
  } catch {
    return undefined;
  }
}

/** The link a marketing e-mail's footer and List-Unsubscribe header carry: signed, so only Retain can mint one. */
export function unsubscribeUrl(
  unsubscribe: { baseUrl: string; secret: string },
  claim: { userKey: UserKey; messageId: string },
): string {
  const token = signUnsubscribeToken({ ...claim, channel: 'email' as const }, unsubscribe.secret);
  return `${unsubscribe.baseUrl}/v1/unsubscribe?token=${token}`;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
