// Issuing credentials: a new random secret shown once, or a given one provisioned from configuration.

import type { CredentialStore } from './ports.js';
import type { Clock, RandomSource } from '../system/ports.js';
import {
  credentialFor,
  hashSecret,
  secretFor,
  type Credential,
  type CredentialKind,
  type TokenGrant,
} from './credential.js';
import { NotFoundError } from '../errors.js';

type Deps = { credentials: CredentialStore; random: RandomSource; clock: Clock };

export async function issueCredential(
  kind: CredentialKind,
  name: string,
  deps: Deps,
  grant?: TokenGrant,
): Promise<{ credential: Credential; secret: string }> {
  const secret = secretFor(kind, deps.random.secret(32));
  const credential = credentialFor(kind, { name, secret, id: deps.random.id(), now: deps.clock.now(), grant });
  await deps.credentials.create(credential);
  return { credential, secret };
}

/** Makes a secret chosen by the operator valid (idempotent: a second start with the same secret is a no-op). */
export async function provisionCredential(
  kind: CredentialKind,
  name: string,
  secret: string,
  deps: Deps,
): Promise<Credential> {
  const existing = await deps.credentials.findByHash(hashSecret(secret));
  if (existing) return existing;
  const credential = credentialFor(kind, { name, secret, id: deps.random.id(), now: deps.clock.now() });
  await deps.credentials.create(credential);
  return credential;
}

/**
 * A new secret for an existing token: same id, name, role and expiry, the old secret refused from now on
 * (once caches forget it). Rotating beats revoke-and-create because scripts and the audit log keep the id.
 */
export async function rotateCredential(
  kind: CredentialKind,
  id: string,
  deps: Deps,
): Promise<{ credential: Credential; secret: string }> {
  const previous = await deps.credentials.findById(kind, id);
  if (!previous) throw new NotFoundError(`no ${kind} has the id ${id}`);
  const secret = secretFor(kind, deps.random.secret(32));
  const { hash: _hash, prefix: _prefix, ...kept } = previous;
  const fresh = credentialFor(kind, { name: previous.name, secret, id, now: deps.clock.now() });
  const credential: Credential = { ...kept, hash: fresh.hash, prefix: fresh.prefix, rotatedAt: fresh.createdAt };
  await deps.credentials.replace(previous, credential);
  return { credential, secret };
}
