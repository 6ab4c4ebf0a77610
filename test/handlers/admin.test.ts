import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createAdminHandler } from '../../functions/handlers/admin.js';
import { createAdminAuthorizer } from '../../functions/handlers/adminAuthorizer.js';
import { createProcessEventsHandler } from '../../functions/handlers/processEvents.js';
import { provisionCredential } from '../../functions/core/credentials/issueCredential.js';
import { statePartitionOf } from '../../functions/adapters/aws/dynamodb/DynamoUserStateStore.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { context, httpEvent, streamEvent, streamRecord } from '../support/awsEvents.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { storedEvent } from '../unit/builders.js';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';

let t: TestTables;
let admin: ReturnType<typeof createAdminHandler>;

beforeAll(async () => {
  t = await freshTables();
  admin = createAdminHandler(t.adapters);
});

async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; query?: Record<string, string>; caller?: string; role?: string } = {},
) {
  const event = httpEvent({
    method,
    path,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    query: options.query,
    authorizer: { credentialId: options.caller ?? 'admin-1', role: options.role ?? 'owner' },
  });
  const result = (await admin(event, context())) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

describe('admin handler', () => {
  it('creates a write key shown once, lists it without any secret, and deletes it', async () => {
    const created = await call('POST', '/admin/v1/write-keys', { body: { name: 'ios app' } });
    expect(created.status).toBe(201);
    expect(created.body.writeKey).toMatch(/^wk_[A-Za-z0-9_-]{43}$/);
    expect(created.body).not.toHaveProperty('hash');
    const listed = await call('GET', '/admin/v1/write-keys');
    expect(listed.body.writeKeys).toEqual([
      expect.objectContaining({ id: created.body.id, name: 'ios app', prefix: created.body.writeKey.slice(0, 7) }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.writeKey);
    expect((await call('DELETE', `/admin/v1/write-keys/${created.body.id}`)).status).toBe(204);
    expect((await call('DELETE', `/admin/v1/write-keys/${created.body.id}`)).status).toBe(404);
  });

  it('records a write refused for want of a permission in the audit log, marked refused; not a refused read', async () => {
    const refused = await call('DELETE', '/admin/v1/write-keys/wk-ios', { caller: 'tok-ana', role: 'analyst' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('keys:write');
    const read = await call('GET', '/admin/v1/audit', { caller: 'tok-ana', role: 'marketer' });
    expect(read.status).toBe(403);

    const trail = await call('GET', '/admin/v1/audit', { query: { actor: 'tok-ana' } });
    expect(trail.body.entries).toEqual([
      expect.objectContaining({
        actor: { kind: 'token', id: 'tok-ana', name: 'tok-ana', role: 'analyst' },
        route: 'deleteWriteKey',
        target: 'wk-ios',
        status: 403,
        refused: { permission: 'keys:write' },
        error: expect.stringContaining('keys:write'),
      }),
    ]);
    // Refused before the call ran: nothing was read or changed, so no definition hashes.
    expect(trail.body.entries[0]).not.toHaveProperty('beforeHash');
  });

  it('answers 400 naming the field for a bad body or query', async () => {
    const bad = await call('POST', '/admin/v1/write-keys', { body: { name: 7 } });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'body.name' } } });
    const limit = await call('GET', '/admin/v1/ingest-errors', { query: { limit: 'lots' } });
    expect(limit).toMatchObject({ status: 400, body: { error: { field: 'query.limit' } } });
  });

  it('shows a profile and its recent events, and 404 for an unknown customer', async () => {
    const process = createProcessEventsHandler(t.adapters);
    const events = [
      storedEvent({
        type: 'identify',
        userId: 'shown',
        traits: { name: 'Park' },
        timestamp: '2026-11-23T09:00:00.000Z',
      }),
      storedEvent({
        type: 'track',
        userId: 'shown',
        event: 'Product Viewed',
        properties: { product_id: 'p' },
        timestamp: '2026-11-23T09:05:00.000Z',
      }),
    ];
    await t.adapters.events.append(events);
    await process(streamEvent(events.map((e) => streamRecord(e))), context());
    const profile = await call('GET', '/admin/v1/profiles/shown');
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ userId: 'shown', traits: { name: 'Park' }, version: 1 });
    expect(profile.body).not.toHaveProperty('appliedPositions');
    const recent = await call('GET', '/admin/v1/profiles/shown/events', { query: { limit: '1' } });
    expect(recent.body.events.map((e: { event?: string }) => e.event)).toEqual(['Product Viewed']);
    expect((await call('GET', '/admin/v1/profiles/nobody')).status).toBe(404);
  });

  it('erases a customer: profile, merged identities, events and per-user state', async () => {
    const process = createProcessEventsHandler(t.adapters);
    const events = [
      storedEvent({ type: 'track', anonymousId: 'erase-dev', event: 'Product Added', properties: { product_id: 'p' } }),
      storedEvent({
        type: 'identify',
        userId: 'erase-me',
        anonymousId: 'erase-dev',
        traits: { email: 'e@example.com' },
      }),
    ];
    await t.adapters.events.append(events);
    await process(streamEvent(events.map((e) => streamRecord(e))), context());
    await t.adapters.client.send(
      new PutCommand({ TableName: t.tables.state, Item: { pk: statePartitionOf('u:erase-me'), sk: 'ji#welcome' } }),
    );

    const erased = await call('DELETE', '/admin/v1/profiles/erase-me');
    expect(erased).toEqual({
      status: 200,
      body: { erased: true, erasureId: expect.any(String), profiles: 2, events: 2, stateItems: 1, wakeUps: 0 },
    });
    const record = await call('GET', `/admin/v1/erasures/${erased.body.erasureId}`);
    expect(record.status).toBe(200);
    expect(record.body.steps).toContainEqual(expect.objectContaining({ where: 'events table', removed: 2 }));
    // The record names nobody: no key, id or address of the erased customer.
    expect(JSON.stringify(record.body)).not.toMatch(/erase-me|erase-dev|e@example\.com/);
    expect((await call('GET', '/admin/v1/erasures/nope')).status).toBe(404);
    expect(await t.adapters.profiles.get('u:erase-me')).toBeUndefined();
    expect(await t.adapters.profiles.get('a:erase-dev')).toBeUndefined();
    expect(await t.adapters.events.listRecent(['u:erase-me', 'a:erase-dev'], 10)).toEqual([]);
    expect((await call('DELETE', '/admin/v1/profiles/erase-me')).status).toBe(404);
  });
});

describe('admin authorizer', () => {
  const authorize = async (authorization?: string) => {
    const authorizer = createAdminAuthorizer(t.adapters);
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:ap-northeast-2:123456789012:abc123/$default/GET/admin/v1/write-keys',
      identitySource: authorization ? [authorization] : [],
      routeKey: 'GET /admin/v1/write-keys',
      rawPath: '/admin/v1/write-keys',
      rawQueryString: '',
      headers: authorization ? { authorization } : {},
      requestContext: httpEvent({ method: 'GET', path: '/admin/v1/write-keys' }).requestContext,
    } as unknown as APIGatewayRequestAuthorizerEventV2;
    return authorizer(event);
  };

  it('serves the OpenAPI document generated from the route table', async () => {
    const document = await call('GET', '/admin/v1/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
    expect(document.body.paths['/admin/v1/broadcasts/{id}/send'].post['x-retain-permission']).toBe('broadcasts:send');
  });

  it('answers 400 naming the field for a non-date, reversed or too long report range, never 500', async () => {
    const notADate = await call('GET', '/admin/v1/reports/rfm', { query: { to: 'yesterday' } });
    expect(notADate).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'query.to' } } });
    const badFrom = await call('POST', '/admin/v1/reports/funnel', { body: { from: 20260101, steps: [] } });
    expect(badFrom).toMatchObject({ status: 400, body: { error: { field: 'body.from' } } });
    const reversed = await call('GET', '/admin/v1/reports/pareto', { query: { from: '2026-02-01', to: '2026-01-01' } });
    expect(reversed).toMatchObject({ status: 400, body: { error: { field: 'query.from' } } });
    const tooLong = await call('GET', '/admin/v1/reports/retention', {
      query: { from: '2020-01-01', to: '2026-01-01' },
    });
    expect(tooLong).toMatchObject({ status: 400, body: { error: { field: 'query.from' } } });
    const live = await call('GET', '/admin/v1/reports/message-funnel', { query: { journeyId: 'j', to: '2026-13-45' } });
    expect(live).toMatchObject({ status: 400, body: { error: { field: 'query.to' } } });
  });

  it('answers 400 for JSON nested too deep to check, never 500', async () => {
    const leaf = '{"attribute":"traits.plan","op":"eq","value":"pro"}';
    const condition = '{"not":'.repeat(5000) + leaf + '}'.repeat(5000);
    const raw = `{"id":"deep","name":"Deep","condition":${condition}}`;
    const deep = await call('POST', '/admin/v1/segments', { raw });
    expect(deep).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    expect(deep.body.error.field).toMatch(/^body\.condition\.not\.not/);
    const steps = '['.repeat(5000) + ']'.repeat(5000);
    const journey = await call('POST', '/admin/v1/journeys/validate', { raw: `{"id":"deep","steps":${steps}}` });
    expect(journey).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('lists admin tokens without secrets, revokes one so the authorizer refuses it, and never the caller', async () => {
    const issued = await call('POST', '/admin/v1/admin-tokens', { body: { name: 'to revoke' } });
    expect(issued.status).toBe(201);
    expect(issued.body.adminToken).toMatch(/^rat_[A-Za-z0-9_-]{43}$/);
    expect(issued.body).not.toHaveProperty('hash');
    expect(await authorize(`Bearer ${issued.body.adminToken}`)).toMatchObject({
      isAuthorized: true,
      context: { credentialId: issued.body.id },
    });

    const listed = await call('GET', '/admin/v1/admin-tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.adminTokens).toContainEqual(
      expect.objectContaining({ kind: 'admin-token', id: issued.body.id, name: 'to revoke' }),
    );
    for (const token of listed.body.adminTokens) expect(token).not.toHaveProperty('hash');
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.adminToken);

    const self = await call('DELETE', `/admin/v1/admin-tokens/${issued.body.id}`, { caller: issued.body.id });
    expect(self).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect((await authorize(`Bearer ${issued.body.adminToken}`)).isAuthorized).toBe(true);

    expect((await call('DELETE', `/admin/v1/admin-tokens/${issued.body.id}`)).status).toBe(204);
    expect((await authorize(`Bearer ${issued.body.adminToken}`)).isAuthorized).toBe(false);
    const after = await call('GET', '/admin/v1/admin-tokens');
    expect(after.body.adminTokens.map((token: { id: string }) => token.id)).not.toContain(issued.body.id);
    expect((await call('DELETE', `/admin/v1/admin-tokens/${issued.body.id}`)).status).toBe(404);
  });

  it('does not revoke a write key through the admin-token route', async () => {
    const key = await call('POST', '/admin/v1/write-keys', { body: { name: 'kept' } });
    expect((await call('DELETE', `/admin/v1/admin-tokens/${key.body.id}`)).status).toBe(404);
    const keys = await call('GET', '/admin/v1/write-keys');
    expect(keys.body.writeKeys.map((k: { id: string }) => k.id)).toContain(key.body.id);
  });

  it('allows a known admin token and denies anything else, including a write key', async () => {
    await provisionCredential('admin-token', 'ops', 'rat_authorizer-test', t.adapters);
    await provisionCredential('write-key', 'app', 'wk_not-an-admin', t.adapters);
    expect(await authorize('Bearer rat_authorizer-test')).toMatchObject({
      isAuthorized: true,
      context: { credentialName: 'ops' },
    });
    expect((await authorize('Bearer rat_wrong')).isAuthorized).toBe(false);
    expect((await authorize('Bearer wk_not-an-admin')).isAuthorized).toBe(false);
    expect((await authorize('Basic cmF0X2F1dGhvcml6ZXItdGVzdDo=')).isAuthorized).toBe(false);
  });
});
