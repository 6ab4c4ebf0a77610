// The console's Columns editor logic without a browser: a CSV's header row read from its first bytes (UTF-8, BOM,
// EUC-KR, quotes), each column's suggested role, and the mapping the roles make or what stops them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvMappingSchema, mappingFromHeaders } from '../../functions/core/imports/csvMapping.js';
import {
  type ColumnRole,
  checkColumns,
  roleOfValue,
  roleValue,
  rolesOfMapping,
  suggestedRoles,
} from '../../console/src/pages/imports/columnRoles.js';
import { csvRecords, readCsvHead } from '../../console/src/pages/imports/csvHeader.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const field = (f: 'userId' | 'email' | 'phone' | 'timezone' | 'locale' | 'statedAt'): ColumnRole => ({
  kind: 'field',
  field: f,
});
const trait: ColumnRole = { kind: 'trait' };
const ignore: ColumnRole = { kind: 'ignore' };

describe('reading a CSV header row in the browser', () => {
  it('reads the Korean fixtures in UTF-8 with a BOM and in EUC-KR to the same headers, detected or chosen', () => {
    const bom = readCsvHead(readFileSync('test/fixtures/imports/customers-utf8-bom.csv'), 'auto', true);
    const eucKr = readCsvHead(readFileSync('test/fixtures/imports/customers-euc-kr.csv'), 'auto', true);
    expect(bom?.encoding).toBe('utf-8');
    expect(bom?.headers[0]).toBe('회원ID');
    expect(eucKr?.encoding).toBe('euc-kr');
    expect(eucKr?.headers).toEqual(bom?.headers);
    expect(eucKr?.sample).toEqual(bom?.sample);
    expect(readCsvHead(readFileSync('test/fixtures/imports/customers-euc-kr.csv'), 'euc-kr', true)?.headers).toEqual(
      bom?.headers,
    );
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields, and trims the names as the worker does', () => {
    const head = readCsvHead(bytes(' id ,"Name, full","say ""hi""","a\r\nb"\r\n1,"Kim, M","x",y\r\n'), 'utf-8', true);
    expect(head).toEqual({
      headers: ['id', 'Name, full', 'say "hi"', 'a\r\nb'],
      sample: ['1', 'Kim, M', 'x', 'y'],
      encoding: 'utf-8',
    });
  });

  it('skips blank lines, and leaves out a last line the sample cut short unless it is the whole file', () => {
    expect(csvRecords('\n\nid,email\n1,a@exa', 2, false)).toEqual([['id', 'email']]);
    expect(csvRecords('\n\nid,email\n1,a@exa', 2, true)).toEqual([
      ['id', 'email'],
      ['1', 'a@exa'],
    ]);
    expect(readCsvHead(bytes('id,email'), 'auto', true)).toMatchObject({ headers: ['id', 'email'], sample: [] });
    expect(readCsvHead(bytes('\n\n'), 'auto', true)).toBeUndefined();
  });
});

describe('the Columns editor’s roles', () => {
  const headers = ['회원ID', '이름', '이메일', 'email_consent', 'email_consent_at', 'sms_consent'];

  it('suggests what the import worker would, and the untouched roles make the worker’s own mapping', () => {
    const roles = suggestedRoles(headers);
    expect(roles).toEqual([
      field('userId'),
      trait,
      field('email'),
      { kind: 'consent', channel: 'email', part: 'granted' },
      { kind: 'consent', channel: 'email', part: 'at' },
      { kind: 'consent', channel: 'sms', part: 'granted' },
    ]);
    const checked = checkColumns(headers, roles);
    expect(checked.problems).toEqual([]);
    expect(checked.mapping).toEqual(mappingFromHeaders(headers));
    expect(checked.undatedConsents).toEqual([{ channel: 'sms', column: 'sms_consent' }]);
  });

  it('blocks with no user id column and with two, naming them', () => {
    const none = suggestedRoles(headers).map((r) => (r.kind === 'field' && r.field === 'userId' ? trait : r));
    expect(checkColumns(headers, none)).toEqual({
      problems: [{ kind: 'noUserId' }],
      undatedConsents: expect.any(Array),
    });
    const two = suggestedRoles(headers).map((r, i) => (i === 1 ? field('userId') : r));
    expect(checkColumns(headers, two)).toEqual({
      problems: [{ kind: 'manyUserIds', columns: ['회원ID', '이름'] }],
      undatedConsents: expect.any(Array),
    });
  });

  it('blocks a field chosen twice and a consent date without its consent column', () => {
    const roles: ColumnRole[] = [
      field('userId'),
      field('email'),
      field('email'),
      { kind: 'consent', channel: 'sms', part: 'at' },
      trait,
      trait,
    ];
    expect(checkColumns(headers, roles).problems).toEqual([
      { kind: 'fieldTwice', field: 'email', columns: ['이름', '이메일'] },
      { kind: 'consentPartAlone', channel: 'sms', part: 'at', column: 'email_consent' },
    ]);
  });

  it('lists the traits once a column is left out, so the left-out column is not read', () => {
    const roles: ColumnRole[] = [field('userId'), ignore, field('email'), trait, trait, trait];
    const { mapping } = checkColumns(headers, roles);
    expect(mapping?.traits).toEqual({
      email_consent: 'email_consent',
      email_consent_at: 'email_consent_at',
      sms_consent: 'sms_consent',
    });
    expect(mapping?.consents).toEqual({});
    // And the editor reads such a mapping back to the same roles.
    expect(rolesOfMapping(headers, mapping!)).toEqual(roles);
    expect(csvMappingSchema.safeParse(mapping).success).toBe(true);
  });

  it('leaves a column without a name out, and suggests traits when the first column has no name', () => {
    expect(suggestedRoles(['', 'email'])).toEqual([ignore, trait]);
    const { mapping } = checkColumns(['', 'email', 'member'], [field('userId'), field('email'), field('userId')]);
    expect(mapping).toMatchObject({ userId: 'member', email: 'email', traits: {} });
  });

  it('turns every role into a select value and back', () => {
    const roles: ColumnRole[] = [
      field('statedAt'),
      { kind: 'consent', channel: 'nightAdvertising', part: 'source' },
      trait,
      ignore,
    ];
    expect(roles.map((r) => roleOfValue(roleValue(r)))).toEqual(roles);
  });
});
