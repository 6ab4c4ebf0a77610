// What key issuing and checking need from storage.

import type { Credential, CredentialKind } from './credential.js';

export interface CredentialStore {
  findByHash(hash: string): Promise<Credential | undefined>;
  create(credential: Credential): Promise<void>;
  list(kind: CredentialKind): Promise<Credential[]>;
  findById(kind: CredentialKind, id: string): Promise<Credential | undefined>;
  /** Swaps one stored secret for another at once: the old hash is gone when the new one is found. */
  replace(previous: Credential, next: Credential): Promise<void>;
  /** Returns false when no credential of that kind has the id. */
  delete(kind: CredentialKind, id: string): Promise<boolean>;
}
