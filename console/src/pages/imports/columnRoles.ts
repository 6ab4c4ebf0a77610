// What each column of a CSV is, as the marketer sets it in the Columns editor, and the mapping it makes for the API.
import * as z from 'zod';
import {
  type CsvMapping,
  csvMappingSchema,
  mappingFromHeaders,
} from '../../../../functions/core/imports/csvMapping.js';
import { CONSENT_CHANNELS, type ConsentChannel } from '../../../../functions/core/profiles/profile.js';

export { CONSENT_CHANNELS, type ConsentChannel, type CsvMapping };

export const FIELD_ROLES = ['userId', 'email', 'phone', 'timezone', 'locale', 'statedAt'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];
export const CONSENT_PARTS = ['granted', 'at', 'source'] as const;
export type ConsentPart = (typeof CONSENT_PARTS)[number];

/** A column is one field, one part of a channel's consent, a trait under its header, or left out. */
export type ColumnRole =
  | { kind: 'field'; field: FieldRole }
  | { kind: 'consent'; channel: ConsentChannel; part: ConsentPart }
  | { kind: 'trait' }
  | { kind: 'ignore' };

/** A role as a select's value: `field:email`, `consent:sms:at`, `trait`, `ignore`. */
export function roleValue(role: ColumnRole): string {
  if (role.kind === 'field') return `field:${role.field}`;
  if (role.kind === 'consent') return `consent:${role.channel}:${role.part}`;
  return role.kind;
}

export function roleOfValue(value: string): ColumnRole {
  const [kind, a, b] = value.split(':');
  if (kind === 'field' && (FIELD_ROLES as readonly string[]).includes(a)) return { kind, field: a as FieldRole };
  if (
    kind === 'consent' &&
    (CONSENT_CHANNELS as readonly string[]).includes(a) &&
    (CONSENT_PARTS as readonly string[]).includes(b)
  )
    return { kind, channel: a as ConsentChannel, part: b as ConsentPart };
  return kind === 'ignore' ? { kind: 'ignore' } : { kind: 'trait' };
}

/** Each header's role in the mapping the headers suggest (the import worker's own `mappingFromHeaders`). */
export function suggestedRoles(headers: string[]): ColumnRole[] {
  try {
    return rolesOfMapping(headers, mappingFromHeaders(headers));
  } catch (error) {
    // A first column without a name and no known id header make no suggestion (the schema refuses an empty user
    // id column): the named columns start as traits and the marketer chooses the user id.
    if (!(error instanceof z.ZodError)) throw error;
    return headers.map((h) => (h === '' ? { kind: 'ignore' } : { kind: 'trait' }));
  }
}

export function rolesOfMapping(headers: string[], mapping: CsvMapping): ColumnRole[] {
  const roles = new Map<string, ColumnRole>();
  for (const field of FIELD_ROLES) {
    const column = mapping[field];
    if (column !== undefined) roles.set(column, { kind: 'field', field });
  }
  for (const channel of CONSENT_CHANNELS) {
    const columns = mapping.consents[channel];
    for (const part of CONSENT_PARTS) {
      const column = columns?.[part];
      if (column !== undefined) roles.set(column, { kind: 'consent', channel, part });
    }
  }
  const listedTraits = mapping.traits === 'rest' ? undefined : new Set(Object.values(mapping.traits));
  // A column without a name cannot be a trait (nor anything else the schema names): it is left out.
  return headers.map(
    (header) =>
      roles.get(header) ??
      (header !== '' && (!listedTraits || listedTraits.has(header)) ? { kind: 'trait' } : { kind: 'ignore' }),
  );
}

/** Why the columns cannot be imported as set: each blocks Start until the marketer changes a column. */
export type ColumnProblem =
  | { kind: 'noUserId' }
  | { kind: 'manyUserIds'; columns: string[] }
  | { kind: 'fieldTwice'; field: Exclude<FieldRole, 'userId'>; columns: string[] }
  | { kind: 'consentPartTwice'; channel: ConsentChannel; part: ConsentPart; columns: string[] }
  | { kind: 'consentPartAlone'; channel: ConsentChannel; part: Exclude<ConsentPart, 'granted'>; column: string };

export type ColumnsChecked = {
  /** The mapping to send, when nothing blocks. */
  mapping?: CsvMapping;
  problems: ColumnProblem[];
  /** Channels whose consent column has no date column: imported statements stay unknown (not proof). */
  undatedConsents: { channel: ConsentChannel; column: string }[];
};

/**
 * The mapping the roles make, or what stops them making one. Traits are `"rest"` while no column is left out (as
 * the suggestion has it); once one is, the traits are listed by header so the left-out column is not read.
 */
export function checkColumns(headers: string[], roles: ColumnRole[]): ColumnsChecked {
  const byRole = new Map<string, string[]>();
  headers.forEach((header, i) => {
    // A column without a name is left out whatever its select says: the schema can name no such column.
    const key = header === '' ? 'ignore' : roleValue(roles[i] ?? { kind: 'trait' });
    byRole.set(key, [...(byRole.get(key) ?? []), header]);
  });
  const columnsOf = (role: ColumnRole) => byRole.get(roleValue(role)) ?? [];

  const problems: ColumnProblem[] = [];
  const userIds = columnsOf({ kind: 'field', field: 'userId' });
  if (userIds.length === 0) problems.push({ kind: 'noUserId' });
  if (userIds.length > 1) problems.push({ kind: 'manyUserIds', columns: userIds });
  const fields: Partial<Record<FieldRole, string>> = {};
  for (const field of FIELD_ROLES) {
    const columns = columnsOf({ kind: 'field', field });
    if (field !== 'userId' && columns.length > 1) problems.push({ kind: 'fieldTwice', field, columns });
    if (columns.length > 0) fields[field] = columns[0];
  }

  const consents: CsvMapping['consents'] = {};
  const undatedConsents: ColumnsChecked['undatedConsents'] = [];
  for (const channel of CONSENT_CHANNELS) {
    const [granted, at, source] = CONSENT_PARTS.map((part) => {
      const columns = columnsOf({ kind: 'consent', channel, part });
      if (columns.length > 1) problems.push({ kind: 'consentPartTwice', channel, part, columns });
      return columns[0];
    });
    if (granted === undefined) {
      if (at !== undefined) problems.push({ kind: 'consentPartAlone', channel, part: 'at', column: at });
      if (source !== undefined) problems.push({ kind: 'consentPartAlone', channel, part: 'source', column: source });
      continue;
    }
    if (at === undefined) undatedConsents.push({ channel, column: granted });
    consents[channel] = { granted, ...(at !== undefined ? { at } : {}), ...(source !== undefined ? { source } : {}) };
  }
  if (problems.length > 0) return { problems, undatedConsents };

  const traitColumns = columnsOf({ kind: 'trait' });
  const traits =
    columnsOf({ kind: 'ignore' }).length === 0 ? 'rest' : Object.fromEntries(traitColumns.map((c) => [c, c]));
  // Parsed by the schema the API parses the body with, so its defaults (the source, the offset) are the server's.
  const mapping = csvMappingSchema.parse({ ...fields, traits, consents });
  return { mapping, problems, undatedConsents };
}
