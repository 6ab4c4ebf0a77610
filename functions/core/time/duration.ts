// Durations as marketers write them: `90s`, `15m`, `1h`, `24h`, `30d`.

import * as z from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^(\d{1,6})(s|m|h|d)$/;

export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export const durationSchema = z
  .string()
  .refine(
    (s) => parseDuration(s) !== undefined && parseDuration(s)! > 0,
    'expected a duration such as 15m, 24h or 30d',
  );

export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new RangeError(`not a duration: ${text}`);
  return ms;
}
