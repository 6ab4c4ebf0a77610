// Finds money in event properties that no real order carries and that would blank every revenue report.

import { MAX_MONEY } from './limits.js';

/** Segment's e-commerce spec money fields, on the event and on each of its `products`. */
const MONEY_KEYS = ['revenue', 'total', 'subtotal', 'value', 'price', 'tax', 'shipping', 'discount'] as const;

export type MoneyProblem = { path: string; message: string };

/**
 * The first money field outside ±MAX_MONEY, as a number or a numeric string (apps send "12000" and reports
 * read both). Other values are left alone: a non-numeric `value` is not money and breaks no sum.
 */
export function findMoneyProblem(properties: Record<string, unknown> | undefined): MoneyProblem | undefined {
  if (!properties) return undefined;
  const problem = check(properties, 'properties');
  if (problem) return problem;
  const products = properties.products;
  if (!Array.isArray(products)) return undefined;
  for (let i = 0; i < products.length; i++) {
    const p = products[i];
    if (p === null || typeof p !== 'object' || Array.isArray(p)) continue;
    const found = check(p as Record<string, unknown>, `properties.products[${i}]`);
    if (found) return found;
  }
  return undefined;
}

function check(fields: Record<string, unknown>, path: string): MoneyProblem | undefined {
  for (const key of MONEY_KEYS) {
    if (!Object.hasOwn(fields, key)) continue;
    const v = fields[key];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    // NaN from a non-numeric string is not money; Infinity from "1e400" is.
    if (typeof n !== 'number' || Number.isNaN(n) || Math.abs(n) <= MAX_MONEY) continue;
    return { path: `${path}.${key}`, message: `money must be between -1e12 and 1e12; got ${String(v).slice(0, 40)}` };
  }
  return undefined;
}
