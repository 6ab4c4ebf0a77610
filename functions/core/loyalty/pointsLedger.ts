// The loyalty points ledger on a profile: earn and spend with a reason and a source key, expiry, the balance.

/**
 * One movement of points. An earned entry keeps `remaining`, the part not yet spent or expired, so spending can
 * take the soonest-expiring points first; spends and expiries are negative and settle at once.
 */
export type PointsEntry = {
  points: number;
  reason: string;
  /** The event's messageId or the journey step's key: the same source never moves points twice. */
  source: string;
  at: string;
  expiresAt?: string;
  remaining?: number;
  /** A spend the balance could not cover: recorded (so a retry is still a no-op), moves nothing. */
  refused?: string;
};

export type PointsLedger = {
  /** The balance as of the profile's last write; `balanceAt` gives it at any later instant. */
  points: number;
  /** Oldest first, bounded by LEDGER_LIMITS; settled entries are condensed away first. */
  entries: PointsEntry[];
  /** Entries condensed away (their points are in the balance, their sources no longer recognised). */
  condensed?: number;
};

/** Far below DynamoDB's 400 KB item: ~200 bytes an entry. */
export const LEDGER_LIMITS = { entries: 200 } as const;

export type Earning = { points: number; reason: string; source: string; at: string; expiresAt?: string };
export type Spending = { points: number; reason: string; source: string; at: string };

export type EarnOutcome = { kind: 'earned'; points: number } | { kind: 'duplicate' } | { kind: 'nothing' };
export type SpendOutcome =
  | { kind: 'spent'; points: number }
  | { kind: 'duplicate' }
  | { kind: 'refused'; reason: string; balance: number };

export const emptyLedger = (): PointsLedger => ({ points: 0, entries: [] });

/** Points still open at `at`: earned, not spent, not expired (whether or not the ledger was written since). */
export function balanceAt(ledger: PointsLedger | undefined, at: string): number {
  if (!ledger) return 0;
  return ledger.entries.reduce((sum, e) => sum + (isOpen(e, at) ? (e.remaining ?? 0) : 0), 0);
}

/** Whether the source has moved points (or was refused) in this ledger before. */
export function hasSource(ledger: PointsLedger | undefined, source: string): boolean {
  return ledger?.entries.some((e) => e.source === source) ?? false;
}

/** Adds earned points to a working copy; a source seen before earns nothing. */
export function earnPoints(draft: PointsLedger, earning: Earning): EarnOutcome {
  if (hasSource(draft, earning.source)) return { kind: 'duplicate' };
  const points = Math.floor(earning.points);
  if (!(points > 0)) return { kind: 'nothing' };
  expirePoints(draft, earning.at);
  draft.entries.push({
    points,
    reason: earning.reason,
    source: earning.source,
    at: earning.at,
    ...(earning.expiresAt ? { expiresAt: earning.expiresAt } : {}),
    remaining: points,
  });
  settle(draft, earning.at);
  return { kind: 'earned', points };
}

/**
 * Takes points from a working copy, soonest-expiring first (points that never expire last). A spend beyond the
 * balance is refused whole: a ledger never goes negative and never half-spends.
 */
export function spendPoints(draft: PointsLedger, spending: Spending): SpendOutcome {
  if (hasSource(draft, spending.source)) return { kind: 'duplicate' };
  const points = Math.ceil(Math.abs(spending.points));
  expirePoints(draft, spending.at);
  const balance = balanceAt(draft, spending.at);
  if (points > balance) {
    settle(draft, spending.at);
    return { kind: 'refused', reason: `insufficient points: the balance is ${balance}, ${points} asked`, balance };
  }
  let owed = points;
  const open = draft.entries
    .filter((e) => isOpen(e, spending.at))
    .sort((a, b) => (a.expiresAt ?? '\uffff').localeCompare(b.expiresAt ?? '\uffff') || a.at.localeCompare(b.at));
  for (const entry of open) {
    if (owed === 0) break;
    const taken = Math.min(owed, entry.remaining!);
    entry.remaining! -= taken;
    owed -= taken;
  }
  draft.entries.push({ points: -points, reason: spending.reason, source: spending.source, at: spending.at });
  settle(draft, spending.at);
  return { kind: 'spent', points };
}

/** Records a spend the balance could not cover, so the same source is not tried again on a retry. */
export function recordRefusal(draft: PointsLedger, spending: Spending, refusal: string): void {
  if (hasSource(draft, spending.source)) return;
  draft.entries.push({
    points: 0,
    reason: spending.reason,
    source: spending.source,
    at: spending.at,
    refused: refusal,
  });
  settle(draft, spending.at);
}

/** Lapses what is due by `at`: each lapse is an entry of its own, dated when the points expired. */
export function expirePoints(draft: PointsLedger, at: string): number {
  let lapsed = 0;
  const expiries: PointsEntry[] = [];
  for (const entry of draft.entries) {
    if (!entry.remaining || entry.expiresAt === undefined || entry.expiresAt > at) continue;
    expiries.push({
      points: -entry.remaining,
      reason: 'expired',
      source: `expired:${entry.source}`,
      at: entry.expiresAt,
    });
    lapsed += entry.remaining;
    entry.remaining = 0;
  }
  if (expiries.length > 0) {
    draft.entries.push(...expiries);
    settle(draft, at);
  }
  return lapsed;
}

function isOpen(entry: PointsEntry, at: string): boolean {
  return (entry.remaining ?? 0) > 0 && (entry.expiresAt === undefined || entry.expiresAt > at);
}

/**
 * Keeps the balance exact and the ledger bounded: settled entries (spends, expiries, used-up earnings) go first,
 * oldest first; if open earnings alone are still too many, the two soonest-expiring merge into one that expires
 * with the later of them, so condensing never takes a customer's points away early.
 */
function settle(draft: PointsLedger, at: string): void {
  while (draft.entries.length > LEDGER_LIMITS.entries) {
    const settled = draft.entries.findIndex((e) => !e.remaining);
    if (settled >= 0) {
      draft.entries.splice(settled, 1);
    } else {
      const byExpiry = [...draft.entries].sort((a, b) =>
        (a.expiresAt ?? '\uffff').localeCompare(b.expiresAt ?? '\uffff'),
      );
      const [first, second] = byExpiry;
      second.points += first.points;
      second.remaining = (second.remaining ?? 0) + (first.remaining ?? 0);
      second.reason = 'condensed';
      draft.entries.splice(draft.entries.indexOf(first), 1);
    }
    draft.condensed = (draft.condensed ?? 0) + 1;
  }
  draft.points = balanceAt(draft, at);
}
