// The audit log through the local runtime: every admin write on record, with who, what, how it changed, and no
// customer named.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { erasedCustomerHash } from '../../functions/core/profiles/erasure.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_audit-e2e';
const OWNER_TOKEN = 'rat_audit-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let marketerToken: string;
let marketerId: string;
const owner = (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }).admin(method, path, body);
const marketer = (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: marketerToken }).admin(method, path, body);

type Entry = {
  route: string;
  target?: string;
  status: number;
  actor: { id: string; name: string; role: string; kind: string };
  changes?: { path: string; change: string; before?: unknown; after?: unknown }[];
  beforeHash?: string;
  afterHash?: string;
  forced?: string;
  requestId?: string;
  sourceIp?: string;
};
const audit = async (query: string): Promise<Entry[]> => {
  const res = await owner('GET', `/admin/v1/audit?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.entries;
};

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }));
  const issued = await owner('POST', '/admin/v1/admin-tokens', { name: 'Mina (marketing)', role: 'marketer' });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  ({ adminToken: marketerToken, id: marketerId } = issued.body);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the audit log', () => {
  it('records a marketer’s edits with the definition’s hashes and a readable diff', async () => {
    const template = JSON.parse(readFileSync('examples/templates/cart-reminder-email.json', 'utf8'));
    expect((await marketer('POST', '/admin/v1/templates', template)).status).toBe(201);
    const edited = { ...template, email: { ...template.email, subject: 'Still thinking it over?' } };
    expect((await marketer('PUT', `/admin/v1/templates/${template.id}`, edited)).status).toBe(200);

    const entries = await audit(`target=${template.id}`);
    expect(entries.map((e) => `${e.route} ${e.status}`)).toEqual(['updateTemplate 200', 'createTemplate 201']);
    const [update, create] = entries;
    expect(update.actor).toEqual({ kind: 'token', id: marketerId, name: 'Mina (marketing)', role: 'marketer' });
    expect(update.requestId).toEqual(expect.any(String));
    expect(update.sourceIp).toEqual(expect.any(String));
    // The create has only an after; the update's before is the create's after.
    expect(create.beforeHash).toBeUndefined();
    expect(update.beforeHash).toBe(create.afterHash);
    expect(update.afterHash).not.toBe(update.beforeHash);
    expect(update.changes).toEqual(
      expect.arrayContaining([
        { path: 'email.subject', change: 'changed', before: template.email.subject, after: 'Still thinking it over?' },
      ]),
    );
    // Reads are not writes, and previews change nothing.
    await marketer('GET', `/admin/v1/templates/${template.id}`);
    await marketer('POST', `/admin/v1/templates/${template.id}/preview`, {});
    expect(await audit(`target=${template.id}`)).toHaveLength(2);
  });

  it('records a refused activation, then the forced one with its reason', async () => {
    const journey = {
      ...JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8')),
      id: 'welcome-audit',
      steps: {
        welcome: { type: 'send', channel: 'email', template: 'no-such-template', next: 'done' },
        done: { type: 'exit' },
      },
      start: 'welcome',
    };
    expect((await marketer('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    expect((await marketer('POST', '/admin/v1/journeys/welcome-audit/activate')).status).toBe(409);
    const forced = await marketer('POST', '/admin/v1/journeys/welcome-audit/activate', {
      force: { reason: 'the template ships tomorrow' },
    });
    expect(forced.status, JSON.stringify(forced.body)).toBe(200);

    const entries = await audit('target=welcome-audit');
    expect(entries.map((e) => `${e.route} ${e.status}`)).toEqual([
      'activateJourney 200',
      'activateJourney 409',
      'createJourney 201',
    ]);
    expect(entries[0].forced).toBe('the template ships tomorrow');
    expect(entries[0].changes?.map((c) => c.path)).toEqual(expect.arrayContaining(['status']));
    expect(entries[1].changes).toBeUndefined();
  });

  it('records token changes and erasures, naming the customer by hash only', async () => {
    await testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }).send([
      { type: 'identify', userId: 'audit-kim', traits: { email: 'kim.audit@example.com' } },
    ]);
    expect((await owner('POST', `/admin/v1/admin-tokens/${marketerId}/rotate`)).status).toBe(200);
    expect((await owner('DELETE', '/admin/v1/profiles/audit-kim')).status).toBe(200);

    const [erasure] = await audit('route=eraseProfile');
    expect(erasure).toMatchObject({ target: `customer:${erasedCustomerHash('u:audit-kim')}`, status: 200 });
    expect(erasure.changes).toBeUndefined();
    const [rotation] = await audit(`route=rotateAdminToken&target=${marketerId}`);
    expect(rotation.actor.role).toBe('owner');
    const all = JSON.stringify(await audit('limit=500'));
    expect(all).not.toMatch(/audit-kim|kim\.audit/);
    // No secret of a token ever reaches the log.
    expect(all).not.toContain(marketerToken);
    expect(all).not.toMatch(/rat_[A-Za-z0-9]{20}/);
  });

  it('filters by actor, pages back in time, and is closed to a marketer', async () => {
    const mine = await audit(`actor=${encodeURIComponent('Mina (marketing)')}`);
    expect(mine.map((e) => e.route)).toEqual([
      'activateJourney',
      'activateJourney',
      'createJourney',
      'updateTemplate',
      'createTemplate',
    ]);
    expect(new Set(mine.map((e) => e.actor.id))).toEqual(new Set([marketerId]));
    const first = await owner('GET', '/admin/v1/audit?limit=2');
    expect(first.body.entries).toHaveLength(2);
    const rest = await owner('GET', `/admin/v1/audit?limit=500&before=${encodeURIComponent(first.body.next)}`);
    const everything = await audit('limit=500');
    expect([...first.body.entries, ...rest.body.entries]).toEqual(everything);

    const refused = await marketer('GET', '/admin/v1/audit');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('audit:read');
    expect((await owner('GET', '/admin/v1/audit?before=yesterday')).status).toBe(400);
  });

  it('ran without errors', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
