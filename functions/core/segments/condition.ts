// The condition language of segments, entry rules, trigger filters and branches: one schema, one evaluator.

import * as z from 'zod';
import { parseDuration } from '../time/duration.js';

export const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists', 'not_exists'] as const;
/** Time attributes (ISO strings): `within` 30d = at most 30 days ago; `not_within` = longer ago, or never. */
export const RECENCY = ['within', 'not_within'] as const;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { segment: string }
  | { attribute: string; op: (typeof COMPARISONS)[number] | (typeof RECENCY)[number]; value?: unknown };

const attributeCondition = z
  .object({
    attribute: z.string().min(1).max(300),
    op: z.enum([...COMPARISONS, ...RECENCY]),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (
      (c.op === 'within' || c.op === 'not_within') &&
      (typeof c.value !== 'string' || parseDuration(c.value) === undefined)
    ) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} needs a duration such as 30d` });
    }
    if (c.op === 'in' && !Array.isArray(c.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'in needs an array' });
    if (c.op !== 'exists' && c.op !== 'not_exists' && c.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} needs a value` });
    }
  });

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ segment: z.string().min(1) }).strict(),
    attributeCondition,
  ]),
) as z.ZodType<Condition>;

/** Reads `a.b.c` from a subject; the last segment may itself contain dots (`computed.eventCounts.Order Completed`). */
export function readAttribute(subject: unknown, path: string): unknown {
  let current: unknown = subject;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    const rest = parts.slice(i).join('.');
    if (i > 0 && rest in record && !(parts[i] in record)) return record[rest];
    if (!Object.hasOwn(record, parts[i])) return undefined;
    current = record[parts[i]];
  }
  return current;
}

/**
 * Evaluates a condition against a subject (a profile, or an event's properties). `segments` resolves
 * `{ segment: id }` references; an unknown segment matches nobody, so a deleted segment never widens an audience.
 */
export function evaluateCondition(
  condition: Condition,
  subject: unknown,
  now: Date,
  segments: (id: string) => Condition | undefined = () => undefined,
  depth = 0,
): boolean {
  if (depth > 20) return false;
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, subject, now, segments, depth + 1));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, subject, now, segments, depth + 1));
  if ('not' in condition) return !evaluateCondition(condition.not, subject, now, segments, depth + 1);
  if ('segment' in condition) {
    const referenced = segments(condition.segment);
    return referenced !== undefined && evaluateCondition(referenced, subject, now, segments, depth + 1);
  }
  const actual = readAttribute(subject, condition.attribute);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'eq':
      return looselyEqual(actual, expected);
    case 'ne':
      return !looselyEqual(actual, expected);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => looselyEqual(actual, e));
    case 'contains':
      if (Array.isArray(actual)) return actual.some((a) => looselyEqual(a, expected));
      return typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(actual, expected, condition.op);
    case 'within':
    case 'not_within': {
      const at = typeof actual === 'string' ? Date.parse(actual) : NaN;
      const within = !Number.isNaN(at) && now.getTime() - at <= parseDuration(String(expected))!;
      return condition.op === 'within' ? within : !within;
    }
  }
}

/** Apps send numbers as strings often enough ("50000") that a comparison should not care. */
function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = asNumber(a);
  const nb = asNumber(b);
  return na !== undefined && nb !== undefined && na === nb;
}

function compare(actual: unknown, expected: unknown, op: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const a = asNumber(actual);
  const b = asNumber(expected);
  let order: number;
  if (a !== undefined && b !== undefined) order = a - b;
  else if (typeof actual === 'string' && typeof expected === 'string') order = actual.localeCompare(expected);
  else return false;
  return op === 'gt' ? order > 0 : op === 'gte' ? order >= 0 : op === 'lt' ? order < 0 : order <= 0;
}

/** Segment ids a condition refers to, so activation can check they exist. */
export function referencedSegments(condition: Condition | undefined, into = new Set<string>()): Set<string> {
  if (!condition) return into;
  if ('all' in condition) for (const c of condition.all) referencedSegments(c, into);
  else if ('any' in condition) for (const c of condition.any) referencedSegments(c, into);
  else if ('not' in condition) referencedSegments(condition.not, into);
  else if ('segment' in condition) into.add(condition.segment);
  return into;
}
