// Authenticates a client app by its write key: HTTP Basic user name (Segment's way) or `writeKey` in the body.

import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Credential, CredentialKind } from '../../core/credentials/credential.js';
import { hashSecret } from '../../core/credentials/credential.js';
import { UnauthorizedError } from '../../core/errors.js';
import type { CredentialStore } from '../../core/credentials/ports.js';
import type { Clock } from '../../core/system/ports.js';
import { headerOf, type JsonBodyEvent } from './jsonBody.js';

export type AuthenticatedEvent = JsonBodyEvent & { credential: Credential };

/**
 * Remembers lookups for a minute so a busy container reads the Config table about once a minute per key;
 * a deleted key therefore stops working within a minute. Misses are remembered too, briefly, so a flood
 * of bad keys cannot turn into a flood of reads.
 */
export class CredentialCache {
  private readonly entries = new Map<string, { credential?: Credential; until: number }>();

  constructor(
    private readonly store: CredentialStore,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
    private readonly missTtlMs = 5_000,
  ) {}

  async find(secret: string, kind: CredentialKind): Promise<Credential | undefined> {
    const hash = hashSecret(secret);
    const now = this.clock.now().getTime();
    const cached = this.entries.get(hash);
    if (cached && cached.until > now) return cached.credential?.kind === kind ? cached.credential : undefined;
    const credential = await this.store.findByHash(hash);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(hash, { credential, until: now + (credential ? this.ttlMs : this.missTtlMs) });
    return credential?.kind === kind ? credential : undefined;
  }
}

export function writeKeyFromRequest(event: JsonBodyEvent): string | undefined {
  const authorization = headerOf(event, 'authorization');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  const body = event.jsonBody;
  if (body !== null && typeof body === 'object' && typeof (body as { writeKey?: unknown }).writeKey === 'string') {
    return (body as { writeKey: string }).writeKey;
  }
  return undefined;
}

export function writeKeyAuth(cache: CredentialCache): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: async (request) => {
      const event = request.event as AuthenticatedEvent;
      const key = writeKeyFromRequest(event);
      if (!key) {
        throw new UnauthorizedError(
          'missing write key: send it as the HTTP Basic user name or as "writeKey" in the body',
        );
      }
      const credential = await cache.find(key, 'write-key');
      if (!credential) throw new UnauthorizedError('unknown write key');
      event.credential = credential;
    },
  };
}
