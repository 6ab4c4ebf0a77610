// Parses admin input with zod; the first issue becomes a 400 that names the field.

import type { z } from 'zod';
import { InvalidRequestError } from '../../errors.js';

export function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [where, ...issue.path].join('.');
  throw new InvalidRequestError(`${field}: ${issue.message}`, field);
}
