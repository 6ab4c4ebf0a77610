import { describe, expect, it } from 'vitest';
import {
  balanceAt,
  earnPoints,
  emptyLedger,
  expirePoints,
  LEDGER_LIMITS,
  spendPoints,
} from '../../functions/core/loyalty/pointsLedger.js';

const earn = (source: string, points: number, at: string, expiresAt?: string) => ({
  points,
  reason: 'order',
  source,
  at,
  expiresAt,
});

describe('points ledger', () => {
  it('earns whole points with a reason, source and expiry, and keeps the balance', () => {
    const ledger = emptyLedger();
    expect(earnPoints(ledger, earn('m1', 120.9, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'))).toEqual({
      kind: 'earned',
      points: 120,
    });
    expect(ledger.points).toBe(120);
    expect(ledger.entries).toEqual([
      {
        points: 120,
        reason: 'order',
        source: 'm1',
        at: '2026-01-01T00:00:00Z',
        expiresAt: '2027-01-01T00:00:00Z',
        remaining: 120,
      },
    ]);
  });

  it('counts the same source once however often it is applied', () => {
    const ledger = emptyLedger();
    earnPoints(ledger, earn('m1', 100, '2026-01-01T00:00:00Z'));
    expect(earnPoints(ledger, earn('m1', 100, '2026-01-01T00:00:00Z'))).toEqual({ kind: 'duplicate' });
    const spend = { points: 30, reason: 'coupon', source: 'step-1', at: '2026-01-02T00:00:00Z' };
    expect(spendPoints(ledger, spend).kind).toBe('spent');
    expect(spendPoints(ledger, spend)).toEqual({ kind: 'duplicate' });
    expect(ledger.points).toBe(70);
    expect(ledger.entries).toHaveLength(2);
  });

  it('spends the soonest-expiring points first', () => {
    const ledger = emptyLedger();
    earnPoints(ledger, earn('late', 100, '2026-01-01T00:00:00Z', '2027-06-01T00:00:00Z'));
    earnPoints(ledger, earn('never', 100, '2026-01-01T00:00:00Z'));
    earnPoints(ledger, earn('soon', 100, '2026-02-01T00:00:00Z', '2026-12-01T00:00:00Z'));
    spendPoints(ledger, { points: 150, reason: 'coupon', source: 's', at: '2026-03-01T00:00:00Z' });
    const remaining = Object.fromEntries(
      ledger.entries.filter((e) => e.points > 0).map((e) => [e.source, e.remaining]),
    );
    expect(remaining).toEqual({ soon: 0, late: 50, never: 100 });
    // What is left lapses with its own lots: at the soon lot's expiry nothing goes, at the late one's 50 do.
    expect(balanceAt(ledger, '2026-12-02T00:00:00Z')).toBe(150);
    expect(balanceAt(ledger, '2027-06-02T00:00:00Z')).toBe(100);
  });

  it('refuses a spend beyond the balance, whole, with the reason', () => {
    const ledger = emptyLedger();
    earnPoints(ledger, earn('m1', 100, '2026-01-01T00:00:00Z'));
    const outcome = spendPoints(ledger, { points: 101, reason: 'coupon', source: 's', at: '2026-01-02T00:00:00Z' });
    expect(outcome).toEqual({
      kind: 'refused',
      reason: 'insufficient points: the balance is 100, 101 asked',
      balance: 100,
    });
    expect(ledger.points).toBe(100);
    expect(ledger.entries.map((e) => e.remaining)).toEqual([100]);
  });

  it('leaves expired points out of the balance at any later time, and lapses them as entries when written', () => {
    const ledger = emptyLedger();
    earnPoints(ledger, earn('m1', 100, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'));
    earnPoints(ledger, earn('m2', 40, '2026-03-01T00:00:00Z', '2027-03-01T00:00:00Z'));
    expect(balanceAt(ledger, '2026-05-31T23:59:59Z')).toBe(140);
    expect(balanceAt(ledger, '2026-06-01T00:00:00Z')).toBe(40);
    expect(ledger.points).toBe(140); // as of the last write
    expect(expirePoints(ledger, '2026-07-01T00:00:00Z')).toBe(100);
    expect(ledger.points).toBe(40);
    expect(ledger.entries.at(-1)).toEqual({
      points: -100,
      reason: 'expired',
      source: 'expired:m1',
      at: '2026-06-01T00:00:00Z',
    });
    expect(expirePoints(ledger, '2026-08-01T00:00:00Z')).toBe(0);
    // Expired points cannot be spent.
    expect(spendPoints(ledger, { points: 50, reason: 'x', source: 's', at: '2026-08-01T00:00:00Z' }).kind).toBe(
      'refused',
    );
  });

  it('stays bounded and exact: settled entries are condensed away first, then open lots merge', () => {
    const ledger = emptyLedger();
    for (let i = 0; i < LEDGER_LIMITS.entries * 2; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      earnPoints(ledger, earn(`m${i}`, 10, `2026-01-${day}T00:00:00Z`, `2027-01-${day}T00:00:00Z`));
      if (i % 2 === 1) spendPoints(ledger, { points: 5, reason: 'x', source: `s${i}`, at: `2026-01-${day}T01:00:00Z` });
    }
    expect(ledger.entries.length).toBeLessThanOrEqual(LEDGER_LIMITS.entries);
    expect(ledger.points).toBe(LEDGER_LIMITS.entries * 2 * 10 - LEDGER_LIMITS.entries * 5);
    expect(balanceAt(ledger, '2026-06-01T00:00:00Z')).toBe(ledger.points);
    expect(ledger.condensed).toBeGreaterThan(0);
    expect(JSON.stringify(ledger).length).toBeLessThan(60_000);
  });
});
