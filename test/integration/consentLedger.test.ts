// The consent ledger against DynamoDB Local: append-only (a second append of an entry is refused, and says so),
// time order, and what erasure keeps outside the customer's partition.

import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentLedgerEntry } from '../../functions/core/profiles/consentLedger.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

const entry = (id: string, change: 'granted' | 'withdrawn', at: string): ConsentLedgerEntry => ({
  userKey: 'u:kim',
  id: `${at}#email#${id}`,
  channel: 'email',
  change,
  at,
  source: 'ingest',
  evidence: { eventId: id, ip: '203.0.113.7' },
});

describe('DynamoConsentLedger', () => {
  it('appends each entry once and never rewrites it: a replay appends nothing', async () => {
    const ledger = t.adapters.consentLedger;
    const granted = entry('e1', 'granted', '2026-11-23T10:00:00.000Z');
    expect(await ledger.append([granted])).toEqual([granted]);
    const rewritten = { ...granted, change: 'withdrawn' as const };
    expect(await ledger.append([rewritten])).toEqual([]);
    expect(await ledger.list('u:kim')).toEqual([granted]);
    expect(await ledger.has('u:kim', granted.id)).toBe(true);
    expect(await ledger.has('u:kim', 'nothing')).toBe(false);
  });

  it('lists oldest first and keeps the ledger in the customer’s State partition, erased with it', async () => {
    const ledger = t.adapters.consentLedger;
    const later = entry('e3', 'withdrawn', '2026-11-25T10:00:00.000Z');
    const earlier = entry('e2', 'granted', '2026-11-24T10:00:00.000Z');
    await ledger.append([later, earlier]);
    expect((await ledger.list('u:kim')).map((e) => e.evidence.eventId)).toEqual(['e1', 'e2', 'e3']);
    expect(await t.adapters.userState.deleteAll('u:kim')).toBe(3);
    expect(await ledger.list('u:kim')).toEqual([]);
  });

  it('keeps hashed withdrawals apart from any customer partition', async () => {
    const ledger = t.adapters.consentLedger;
    const kept = {
      customerHash: 'abc123',
      channel: 'sms' as const,
      at: '2026-11-23T10:00:00.000Z',
      source: '080' as const,
      id: 'x',
    };
    await ledger.keep([kept]);
    await ledger.keep([]);
    expect(await ledger.kept('abc123')).toEqual([kept]);
    expect(await ledger.kept('other')).toEqual([]);
  });
});
