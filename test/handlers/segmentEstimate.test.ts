// The admin handler counts a condition that is not saved yet: the console's live estimate beside its builder.
import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createAdminHandler } from '../../functions/handlers/admin.js';
import { createProcessEventsHandler } from '../../functions/handlers/processEvents.js';
import { context, httpEvent, streamEvent, streamRecord } from '../support/awsEvents.js';
import { freshTables, type TestTables } from '../support/tables.js';
import { storedEvent } from '../unit/builders.js';

let t: TestTables;
let admin: ReturnType<typeof createAdminHandler>;

async function call(method: string, path: string, body?: unknown) {
  const event = httpEvent({
    method,
    path,
    body: body === undefined ? undefined : JSON.stringify(body),
    authorizer: { credentialId: 'admin-1', role: 'owner' },
  });
  const result = (await admin(event, context())) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

beforeAll(async () => {
  t = await freshTables();
  admin = createAdminHandler(t.adapters);
  const events = ['pro', 'pro', 'free'].map((plan, i) =>
    storedEvent({ type: 'identify', userId: `est-${i}`, traits: { plan }, timestamp: '2026-11-23T09:00:00.000Z' }),
  );
  await t.adapters.events.append(events);
  await createProcessEventsHandler(t.adapters)(streamEvent(events.map((e) => streamRecord(e))), context());
});

describe('estimating an unsaved condition', () => {
  it('counts the profiles a condition matches, nested and with saved segments referenced', async () => {
    const pro = await call('POST', '/admin/v1/segments/estimate', {
      condition: { attribute: 'traits.plan', op: 'eq', value: 'pro' },
    });
    expect(pro).toMatchObject({ status: 200, body: { matching: 2, profiles: 3 } });
    expect(Date.parse(pro.body.at)).not.toBeNaN();

    const saved = await call('POST', '/admin/v1/segments', {
      id: 'free-plan',
      name: 'Free plan',
      condition: { attribute: 'traits.plan', op: 'eq', value: 'free' },
    });
    expect(saved.status).toBe(201);
    const nested = await call('POST', '/admin/v1/segments/estimate', {
      condition: { any: [{ segment: 'free-plan' }, { not: { attribute: 'traits.plan', op: 'exists' } }] },
    });
    expect(nested.body).toMatchObject({ matching: 1, profiles: 3 });
    // The saved segment's own estimate still answers under its id.
    expect((await call('POST', '/admin/v1/segments/free-plan/estimate')).body).toMatchObject({
      segmentId: 'free-plan',
      matching: 1,
    });
  });

  it('answers 400 naming the field of a condition it cannot read', async () => {
    const bad = await call('POST', '/admin/v1/segments/estimate', {
      condition: { attribute: 'traits.plan', op: 'gt' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^body\.condition/);
  });
});
