// Parses admin input with zod; the first issue becomes a 400 that names the field.

import type * as z from 'zod';
import { InvalidRequestError } from '../../core/errors.js';

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [where, ...issue.path].join('.');
  throw new InvalidRequestError(`${field}: ${issue.message}`, field);
}

/** A PUT changes the resource its path names: a body naming another one is refused, not silently moved. */
export function assertSameId(bodyId: string, pathId: string): void {
  if (bodyId !== pathId)
    throw new InvalidRequestError(`body.id is "${bodyId}" but the path names "${pathId}"`, 'body.id');
}

/** Deeper than any journey or condition a person writes; deep enough nesting exhausts zod's (recursive) stack. */
export const MAX_JSON_DEPTH = 64;

/** Refuses JSON nested deeper than MAX_JSON_DEPTH, walking it without recursion so the check cannot overflow. */
export function assertShallow(value: unknown, where: string): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: where }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new InvalidRequestError(`${path}: nested deeper than ${MAX_JSON_DEPTH} levels`, path);
    }
    for (const [key, child] of Object.entries(current))
      stack.push({ value: child, depth: depth + 1, path: `${path}.${key}` });
  }
}
