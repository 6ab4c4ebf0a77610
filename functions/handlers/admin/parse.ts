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
  if (bodyId !== pathId) throw new InvalidRequestError(`body.id is "${bodyId}" but the path names "${pathId}"`, 'body.id');
}
