// How a CSV's columns become an imported customer: the mapping file's schema, the mapping guessed from headers, one row read.

import * as z from 'zod';
import { CONSENT_CHANNELS, type ConsentChannel } from '../profiles/profile.js';
import type { ImportedConsent, ImportedCustomer, RefusedRecord } from './importedCustomer.js';

const column = z.string().min(1);

const consentColumns = z.strictObject({
  granted: column.meta({ description: 'Column saying yes or no (Y/N, true/false, 1/0, 동의/거부).' }),
  at: column.optional().meta({ description: 'Column with the date of the statement; without it, no proof.' }),
  source: column.optional().meta({ description: 'Column naming where the statement was given.' }),
});

/** `mapping.json`: which column holds what. Columns not named anywhere are ignored unless `traits` is `"rest"`. */
export const csvMappingSchema = z.strictObject({
  userId: column,
  email: column.optional(),
  phone: column.optional(),
  timezone: column.optional(),
  locale: column.optional(),
  /** The column with the date the row's facts were stated (a CRM's "updated at"), if any. */
  statedAt: column.optional(),
  /** Trait name → column, or `"rest"`: every column not mapped to anything else, under its header. */
  traits: z.union([z.literal('rest'), z.record(z.string().min(1), column)]).default('rest'),
  consents: z.partialRecord(z.enum(CONSENT_CHANNELS), consentColumns).default({}),
  /** The source recorded with a consent whose row has no source column. */
  source: z.string().min(1).default('csv'),
  /** The offset of dates written without one (`2024-03-01 09:30`); Korean exports are local time. */
  utcOffset: z
    .string()
    .regex(/^[+-]\d{2}:\d{2}$/)
    .default('+09:00'),
});
export type CsvMapping = z.output<typeof csvMappingSchema>;

const fold = (header: string) => header.toLowerCase().replace(/[\s_\-.]/g, '');

const HEADER_NAMES: Record<'userId' | 'email' | 'phone' | 'timezone' | 'locale' | 'statedAt', string[]> = {
  userId: ['userid', 'customerid', 'memberid', 'id', '회원id', '회원번호', '고객id', '아이디'],
  email: ['email', 'emailaddress', 'mail', '이메일', '이메일주소'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'tel', '휴대폰', '휴대폰번호', '전화번호', '연락처'],
  timezone: ['timezone', 'tz', '시간대'],
  locale: ['locale', 'language', 'lang', '언어'],
  statedAt: ['updatedat', 'modifiedat', 'lastmodified', '수정일', '수정일시'],
};

/**
 * The mapping a file's headers suggest: known names for the identities and addresses, `<channel>_consent`
 * (or `consent_<channel>`) with `<…>_at` / `<…>_date` and `<…>_source` beside it, every other column a trait.
 */
export function mappingFromHeaders(headers: string[]): CsvMapping {
  const byFolded = new Map(headers.map((h) => [fold(h), h]));
  const find = (names: string[]) => names.map((n) => byFolded.get(n)).find((h) => h !== undefined);
  const consents: CsvMapping['consents'] = {};
  for (const channel of CONSENT_CHANNELS) {
    const c = fold(channel);
    const granted = find([`${c}consent`, `consent${c}`, `${c}optin`]);
    if (!granted) continue;
    const base = fold(granted);
    consents[channel] = {
      granted,
      at: find([`${base}at`, `${base}date`, `${base}edat`]),
      source: find([`${base}source`]),
    };
  }
  return csvMappingSchema.parse({
    userId: find(HEADER_NAMES.userId) ?? headers[0],
    email: find(HEADER_NAMES.email),
    phone: find(HEADER_NAMES.phone),
    timezone: find(HEADER_NAMES.timezone),
    locale: find(HEADER_NAMES.locale),
    statedAt: find(HEADER_NAMES.statedAt),
    consents,
  });
}

/** Every column the mapping names for something other than a trait. */
function mappedColumns(mapping: CsvMapping): Set<string> {
  const columns = [mapping.userId, mapping.email, mapping.phone, mapping.timezone, mapping.locale, mapping.statedAt];
  for (const c of Object.values(mapping.consents)) columns.push(c.granted, c.at, c.source);
  return new Set(columns.filter((c): c is string => c !== undefined));
}

const YES = new Set([
  'y',
  'yes',
  'true',
  '1',
  'o',
  'on',
  'opt-in',
  'optin',
  'granted',
  '동의',
  '수신',
  '수신동의',
  '예',
]);
const NO = new Set([
  'n',
  'no',
  'false',
  '0',
  'x',
  'off',
  'opt-out',
  'optout',
  'denied',
  '거부',
  '미동의',
  '수신거부',
  '비동의',
  '아니오',
]);

/** A yes or no as spreadsheets write it; undefined for an empty cell, 'unreadable' for anything else. */
export function readGranted(cell: string): boolean | undefined | 'unreadable' {
  const value = cell.trim().toLowerCase();
  if (value === '') return undefined;
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return 'unreadable';
}

/**
 * A date as exports write it, to UTC ISO: ISO 8601 with an offset as given, a bare date or date-time
 * (`2024-03-01`, `2024/03/01 09:30`) in the mapping's offset. Undefined when it is no date.
 */
export function readDate(cell: string, utcOffset: string): string | undefined {
  const text = cell.trim();
  const local = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text);
  const iso = local
    ? `${local[1]}-${local[2].padStart(2, '0')}-${local[3].padStart(2, '0')}T${(local[4] ?? '0').padStart(2, '0')}:${local[5] ?? '00'}:${local[6] ?? '00'}${utcOffset}`
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)
      ? text
      : undefined;
  if (iso === undefined) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // `2024-02-31` rolls over in Date; a day that does not exist is a typo, not March.
  if (local && Number(local[3]) !== new Date(date.getTime() + offsetMinutes(utcOffset) * 60_000).getUTCDate()) {
    return undefined;
  }
  return date.toISOString();
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/**
 * One data row (`record` is its line's row number, the header being row 1) as an imported customer, or the
 * reason it is refused naming the column. Addresses stay as written: the import job normalises them.
 */
export function readCsvRow(
  row: Record<string, string | undefined>,
  record: number,
  mapping: CsvMapping,
): ImportedCustomer | RefusedRecord {
  const cell = (name: string | undefined) => (name === undefined ? '' : (row[name] ?? '').trim());
  const userId = cell(mapping.userId);
  if (userId === '') return { record, field: mapping.userId, reason: 'no userId' };

  let statedAt: string | undefined;
  if (cell(mapping.statedAt) !== '') {
    statedAt = readDate(cell(mapping.statedAt), mapping.utcOffset);
    if (statedAt === undefined) return { record, field: mapping.statedAt, reason: 'not a date' };
  }

  const consents: ImportedConsent[] = [];
  for (const [channel, columns] of Object.entries(mapping.consents) as [
    ConsentChannel,
    z.infer<typeof consentColumns>,
  ][]) {
    const granted = readGranted(cell(columns.granted));
    if (granted === undefined) continue;
    if (granted === 'unreadable') return { record, field: columns.granted, reason: 'not a yes or no' };
    let at: string | undefined;
    if (cell(columns.at) !== '') {
      at = readDate(cell(columns.at), mapping.utcOffset);
      if (at === undefined) return { record, field: columns.at, reason: 'not a date' };
    }
    consents.push({ channel, granted, at, source: cell(columns.source) || mapping.source });
  }

  const traits: Record<string, unknown> = {};
  if (mapping.traits === 'rest') {
    const mapped = mappedColumns(mapping);
    for (const [name, value] of Object.entries(row)) {
      if (!mapped.has(name) && value !== undefined && value.trim() !== '') traits[name] = value.trim();
    }
  } else {
    for (const [trait, name] of Object.entries(mapping.traits)) if (cell(name) !== '') traits[trait] = cell(name);
  }

  const optional = (name: string | undefined) => cell(name) || undefined;
  return {
    record,
    userId,
    email: optional(mapping.email),
    phone: optional(mapping.phone),
    timezone: optional(mapping.timezone),
    locale: optional(mapping.locale),
    pushTokens: [],
    traits,
    consents,
    statedAt,
  };
}

export const isRefused = (r: ImportedCustomer | RefusedRecord): r is RefusedRecord => 'reason' in r;
