// A saved audience: a named condition over profiles that journeys and broadcasts refer to by id.

import * as z from 'zod';
import { conditionSchema } from './condition.js';

export const segmentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'segment ids are lower-case letters, digits and -'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    condition: conditionSchema,
  })
  .strict();

export type Segment = z.infer<typeof segmentSchema>;
