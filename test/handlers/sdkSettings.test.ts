import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createIngestHandler } from '../../functions/handlers/ingest.js';
import { provisionCredential } from '../../functions/core/credentials/issueCredential.js';
import { basicAuth, context, httpEvent } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

const WRITE_KEY = 'wk_sdk-handler-key';
let t: TestTables;
let ingest: ReturnType<typeof createIngestHandler>;

beforeAll(async () => {
  t = await freshTables({ clock: fixedClock('2026-12-01T03:00:00.000Z') });
  await provisionCredential('write-key', 'test', WRITE_KEY, t.adapters);
  ingest = createIngestHandler(t.adapters);
});

const call = async (event: ReturnType<typeof httpEvent>) =>
  (await ingest(event, context())) as APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

describe('the ingest Lambda serving Segment SDKs (API Gateway events)', () => {
  it('answers the settings document behind a custom domain with a base path, over HTTPS', async () => {
    const event = httpEvent({
      method: 'GET',
      path: `/v1/projects/${WRITE_KEY}/settings`,
      headers: { host: 'track.shop.example', 'x-forwarded-proto': 'https' },
    });
    // API Gateway keeps a base-path mapping in rawPath; the route key stays the table's.
    event.rawPath = `/retain/v1/projects/${WRITE_KEY}/settings`;
    const res = await call(event);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(JSON.parse(res.body ?? '{}').integrations['Segment.io']).toMatchObject({
      apiKey: WRITE_KEY,
      apiHost: 'track.shop.example/retain/v1',
      protocol: 'https',
    });
  });

  it('answers 404 for a write key no project has', async () => {
    const res = await call(httpEvent({ method: 'GET', path: '/v1/projects/wk_unknown/settings' }));
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body ?? '{}').error.code).toBe('not_found');
  });

  it('stores a gzipped /v1/t call that API Gateway handed over base64-encoded, the ip from the request', async () => {
    const body = gzipSync(JSON.stringify({ userId: 'sdk-gz', event: 'Signed Up', messageId: 'gz-1' }));
    const headers = { ...basicAuth(WRITE_KEY), 'content-encoding': 'gzip' };
    const res = await call(httpEvent({ method: 'POST', path: '/v1/t', body, headers }));
    expect(res.statusCode).toBe(200);
    const [stored] = await t.adapters.events.listRecent(['u:sdk-gz'], 10);
    expect(stored).toMatchObject({ type: 'track', event: 'Signed Up', context: { ip: '203.0.113.7' } });
  });
});
