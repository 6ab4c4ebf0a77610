// Write keys (client apps) and admin tokens (operators): stored as a SHA-256 hash, shown in clear once.

import { createHash } from 'node:crypto';
import type { Role } from '../team/roles.js';

export type CredentialKind = 'write-key' | 'admin-token';

export type Credential = {
  kind: CredentialKind;
  id: string;
  name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  hash: string;
  /** The first characters of the secret, so an operator can tell keys apart. */
  prefix: string;
  createdAt: string;
  /** Admin tokens: what the bearer may do; a token from before roles has none and counts as `owner`. */
  role?: Role;
  /** Admin tokens: refused from this instant on. */
  expiresAt?: string;
  /** Admin tokens: may decide approvals whatever the role. */
  approver?: boolean;
  /** When the secret was last replaced (the id and everything else stay). */
  rotatedAt?: string;
};

/** What an admin token is issued with besides its name. */
export type TokenGrant = { role: Role; expiresAt?: string; approver?: boolean };

/** An expired token is refused as if it did not exist. */
export function isExpired(credential: Pick<Credential, 'expiresAt'>, now: Date): boolean {
  return credential.expiresAt !== undefined && Date.parse(credential.expiresAt) <= now.getTime();
}

const SECRET_PREFIX: Record<CredentialKind, string> = { 'write-key': 'wk_', 'admin-token': 'rat_' };

/** Keys are 256-bit random secrets, so one unsalted SHA-256 is enough: there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh secret: a kind prefix (so a leaked key is recognisable in a scan) and 256 random bits. */
export function secretFor(kind: CredentialKind, randomPart: string): string {
  return `${SECRET_PREFIX[kind]}${randomPart}`;
}

/** The stored form of a secret: everything but the secret. */
export function credentialFor(
  kind: CredentialKind,
  input: { name: string; secret: string; id: string; now: Date; grant?: TokenGrant },
): Credential {
  return {
    kind,
    id: input.id,
    name: input.name,
    hash: hashSecret(input.secret),
    prefix: input.secret.slice(0, SECRET_PREFIX[kind].length + 4),
    createdAt: input.now.toISOString(),
    ...(input.grant ? withoutUndefined(input.grant) : {}),
  };
}

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
