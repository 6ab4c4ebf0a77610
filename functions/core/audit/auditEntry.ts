// The audit log's entry: who changed what through the admin API, from where, and how the definition changed.

import { createHash } from 'node:crypto';
import diff from 'microdiff';
import type { Actor } from '../team/roles.js';

/** One changed value of a definition, by its path (`steps.mail.template`). */
export type DefinitionChange = {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
};

export type AuditEntry = {
  id: string;
  at: string;
  actor: Pick<Actor, 'kind' | 'id' | 'name' | 'role'>;
  /** The route table's name of the call (`activateJourney`) and its method and path template. */
  route: string;
  method: string;
  path: string;
  /**
   * What the call concerned: a journey's, template's or token's id; for a customer, `customer:` and the SHA-256
   * of their key (as the erased-customer list holds it), so the log never names a person.
   */
  target?: string;
  status: number;
  /** The error's message when the call failed. */
  error?: string;
  /**
   * Set when the caller's role lacked the route's permission: the call was refused before it ran (status 403), and
   * is on record because a try at something one may not do is what a review looks for.
   */
  refused?: { permission: string };
  requestId?: string;
  sourceIp?: string;
  /** SHA-256 of the definition before and after (absent where there was none, or it is customer data). */
  beforeHash?: string;
  afterHash?: string;
  changes?: DefinitionChange[];
  /** How many changes there were when `changes` had to be cut short. */
  changeCount?: number;
  /** The reason given for activating or sending past a failing checklist. */
  forced?: string;
  /** The approval request the call created (a send or an activation held for approval). */
  approval?: string;
};

/** What `GET /admin/v1/audit` filters by. */
export type AuditQuery = {
  /** Inclusive, ISO time; default 30 days before `before`. */
  from: string;
  /** Exclusive, ISO time; default now. Pass an answer's `next` to read further back. */
  before: string;
  /** An actor's id or name. */
  actor?: string;
  target?: string;
  route?: string;
  limit: number;
};

/** Entries are kept this long (the issue's 400 days: a year of reviews with a month to spare). */
export const AUDIT_RETENTION_DAYS = 400;
const MAX_CHANGES = 100;
const MAX_VALUE_CHARS = 300;

/** SHA-256 of a canonical JSON (keys sorted), so the same definition always hashes the same. */
export function definitionHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with keys sorted and undefined dropped: equal for equal values, whatever order a store returned keys in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The definition's before/after hashes and a readable list of what changed. Long values are cut (an entry must
 * stay well under DynamoDB's 400 KB), and past 100 changes only the count is kept.
 */
export function definitionChanges(
  before: unknown,
  after: unknown,
): Pick<AuditEntry, 'beforeHash' | 'afterHash' | 'changes' | 'changeCount'> {
  const hashes = {
    ...(before !== undefined ? { beforeHash: definitionHash(before) } : {}),
    ...(after !== undefined ? { afterHash: definitionHash(after) } : {}),
  };
  if (before === undefined || after === undefined || hashes.beforeHash === hashes.afterHash) return hashes;
  if (!isObject(before) || !isObject(after)) {
    return { ...hashes, changes: [{ path: '', change: 'changed', before: cut(before), after: cut(after) }] };
  }
  const all = diff(before, after).map(
    (d): DefinitionChange => ({
      path: d.path.join('.'),
      change: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
      ...('oldValue' in d ? { before: cut(d.oldValue) } : {}),
      ...('value' in d ? { after: cut(d.value) } : {}),
    }),
  );
  return {
    ...hashes,
    changes: all.slice(0, MAX_CHANGES),
    ...(all.length > MAX_CHANGES ? { changeCount: all.length } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function cut(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= MAX_VALUE_CHARS) return value;
  return `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)`;
}

/** Whether an entry passes the query's filters (the time range is the store's). */
export function matchesAuditQuery(entry: AuditEntry, query: Pick<AuditQuery, 'actor' | 'target' | 'route'>): boolean {
  if (query.actor && entry.actor.id !== query.actor && entry.actor.name !== query.actor) return false;
  if (query.target && entry.target !== query.target) return false;
  if (query.route && entry.route !== query.route) return false;
  return true;
}
