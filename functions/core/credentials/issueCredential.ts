// Issuing credentials: a new random secret shown once, or a given one provisioned from configuration.

import type { CredentialStore } from './ports.js';
import type { Clock, RandomSource } from '../system/ports.js';
import { credentialFor, hashSecret, secretFor, type Credential, type CredentialKind } from './credential.js';

type Deps = { credentials: CredentialStore; random: RandomSource; clock: Clock };

export async function issueCredential(
  kind: CredentialKind,
  name: string,
  deps: Deps,
): Promise<{ credential: Credential; secret: string }> {
  const secret = secretFor(kind, deps.random.secret(32));
  const credential = credentialFor(kind, { name, secret, id: deps.random.id(), now: deps.clock.now() });
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
