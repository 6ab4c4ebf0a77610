// Reading and changing one node of a condition: which kind it is, the operators, and values typed as text.
import type { Condition } from './queries.js';

export const OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
  'exists',
  'not_exists',
  'within',
  'not_within',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Rule = Extract<Condition, { attribute: string }>;
export type Group = Extract<Condition, { all: Condition[] }> | Extract<Condition, { any: Condition[] }>;

/** Attributes a marketer reaches for first; any other profile path can be typed. */
export const COMMON_ATTRIBUTES = [
  'traits.plan',
  'traits.name',
  'traits.tier',
  'channels.email',
  'timezone',
  'consent.email.granted',
  'consent.sms.granted',
  'consent.push.granted',
  'consent.kakao.granted',
  'consent.advertising.granted',
  'computed.orders',
  'computed.revenue',
  'computed.averageOrderValue',
  'computed.firstSeen',
  'computed.lastSeen',
  'computed.lastOrderAt',
  'computed.lifecycle',
  'computed.rfm.segment',
];

export const needsValue = (op: Operator) => op !== 'exists' && op !== 'not_exists';

export const isGroup = (c: Condition): c is Group => 'all' in c || 'any' in c;
export const childrenOf = (g: Group): Condition[] => ('all' in g ? g.all : g.any);
export const withChildren = (g: Group, children: Condition[]): Group =>
  'all' in g ? { all: children } : { any: children };

/** "50000" → 50000, "true" → true; `in` takes a comma-separated list. What the API compares stays what was meant. */
export function valueFromText(op: Operator, text: string): unknown {
  const one = (s: string): unknown => {
    const t = s.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    if (t === 'true') return true;
    if (t === 'false') return false;
    return t;
  };
  if (!needsValue(op)) return undefined;
  if (op === 'in') return text.split(',').map(one);
  if (op === 'within' || op === 'not_within') return text.trim();
  return one(text);
}

export function valueToText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return String(value);
}

export const newRule = (): Rule => ({ attribute: 'traits.plan', op: 'eq', value: '' });

/**
 * Whether typed JSON has the shape the builder can draw (the API still checks operators and values, and says
 * which field it refuses). Anything else stays in the JSON box, with the builder on the last good condition.
 */
export function looksLikeCondition(x: unknown): x is Condition {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const c = x as Record<string, unknown>;
  if ('all' in c) return Array.isArray(c.all) && c.all.length > 0 && c.all.every(looksLikeCondition);
  if ('any' in c) return Array.isArray(c.any) && c.any.length > 0 && c.any.every(looksLikeCondition);
  if ('not' in c) return looksLikeCondition(c.not);
  if ('segment' in c) return typeof c.segment === 'string';
  return typeof c.attribute === 'string' && typeof c.op === 'string';
}
