// The suppression list recognises a number or an address however it was spelled when it was suppressed.
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('suppression list keys', () => {
  it('finds an 080 opt-out reported as 010-5555-0001 when the profile holds +821055550001', async () => {
    await t.adapters.suppressions.suppress('010-5555-0001', 'opt-out (080)', '2026-11-23T10:00:00.000Z');
    expect(await t.adapters.suppressions.isSuppressed('+821055550001')).toBe(true);
    expect(await t.adapters.suppressions.isSuppressed('+82 10-5555-0001')).toBe(true);
    expect(await t.adapters.suppressions.isSuppressed('+821055550002')).toBe(false);
  });

  it('finds a complained address in any case and with surrounding spaces', async () => {
    await t.adapters.suppressions.suppress(' Kim@Example.com', 'complaint', '2026-11-23T10:00:00.000Z');
    expect(await t.adapters.suppressions.isSuppressed('kim@example.com')).toBe(true);
  });
});
