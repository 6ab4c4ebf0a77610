// The partition key of a customer: a known userId wins over the device's anonymousId.

export type UserKey = `u:${string}` | `a:${string}`;

export function userKeyOf(ids: { userId?: string; anonymousId?: string }): UserKey {
  if (ids.userId !== undefined) return `u:${ids.userId}`;
  if (ids.anonymousId !== undefined) return `a:${ids.anonymousId}`;
  throw new TypeError('a message needs a userId or an anonymousId');
}

export const knownUserKey = (userId: string): UserKey => `u:${userId}`;
export const anonymousUserKey = (anonymousId: string): UserKey => `a:${anonymousId}`;
