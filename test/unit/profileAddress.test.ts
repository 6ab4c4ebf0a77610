// One deliverable address per channel on the profile, and the normalisers the senders and suppression use.
import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import {
  domesticDigits,
  normaliseEmail,
  normalisePhone,
  suppressionKey,
} from '../../functions/core/profiles/address.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { positioned } from './builders.js';

const identify = (traits: Record<string, unknown>) => positioned({ type: 'identify', userId: 'u1', traits });

describe('profile addresses', () => {
  it('stores no e-mail channel for a list of addresses, keeping the trait as sent', () => {
    const profile = applyEvents(newProfile('u:u1', '2026-11-23T10:00:00.000Z'), [
      identify({ email: 'me@x.com, a@y.com, b@z.com' }),
    ]);
    expect(profile.channels.email).toBeUndefined();
    expect(profile.traits.email).toBe('me@x.com, a@y.com, b@z.com');
  });

  it('keeps the last valid address when a later identify sends a list, a display name or a header break', () => {
    let profile = applyEvents(newProfile('u:u1', '2026-11-23T10:00:00.000Z'), [
      identify({ email: ' Kim@Example.COM ' }),
    ]);
    expect(profile.channels.email).toBe('kim@example.com');
    for (const email of [
      'me@x, a@y, b@z',
      'Kim <kim@x.com>',
      'kim@example.com\r\nBcc: all@y.com',
      '"a,b"@x.com',
      'a@b',
    ]) {
      profile = applyEvents(profile, [identify({ email })]);
      expect(profile.channels.email).toBe('kim@example.com');
    }
    profile = applyEvents(profile, [identify({ email: null })]);
    expect(profile.channels.email).toBeUndefined();
  });

  it('stores phone numbers in E.164, Korean numbers without a country code included', () => {
    const profile = applyEvents(newProfile('u:u1', '2026-11-23T10:00:00.000Z'), [identify({ phone: '010-1234-5678' })]);
    expect(profile.channels.phone).toBe('+821012345678');
    const listed = applyEvents(profile, [identify({ phone: '010-1111-2222, 010-3333-4444' })]);
    expect(listed.channels.phone).toBe('+821012345678');
  });

  it('normalises e-mail addresses to one lower-cased address or nothing', () => {
    expect(normaliseEmail('  Kim@Example.COM ')).toBe('kim@example.com');
    expect(normaliseEmail('김@예시.한국')).toBe('김@예시.한국');
    for (const bad of [
      'me@x, a@y, b@z',
      'a@b.com;c@d.com',
      'x@[127.0.0.1]',
      'no-at-sign',
      '',
      42,
      null,
      `${'a'.repeat(250)}@x.com`,
    ]) {
      expect(normaliseEmail(bad)).toBeUndefined();
    }
  });

  it('normalises phone numbers to E.164 with Korea as the default region', () => {
    expect(normalisePhone('010-1234-5678')).toBe('+821012345678');
    expect(normalisePhone('+82 10 1234 5678')).toBe('+821012345678');
    expect(normalisePhone('(02) 123-4567')).toBe('+8221234567');
    expect(normalisePhone('+1 202-555-0143')).toBe('+12025550143');
    expect(normalisePhone('202-555-0143', 'US')).toBe('+12025550143');
    for (const bad of ['12345', 'call me', '010-1234-5678 or 010-8765-4321', 'tel:010-1234-5678', '', undefined]) {
      expect(normalisePhone(bad)).toBeUndefined();
    }
  });

  it('gives every spelling of one address the same suppression key, the one earlier rows were stored under', () => {
    expect(suppressionKey('KIM@example.com ')).toBe('kim@example.com');
    expect(suppressionKey('kim@example.com')).toBe('kim@example.com');
    // Earlier rows hashed a phone's digits: 010-1234-5678 was stored as 01012345678.
    expect(suppressionKey('010-1234-5678')).toBe('01012345678');
    expect(suppressionKey('+82 10 1234 5678')).toBe('01012345678');
    expect(suppressionKey('+1 202-555-0143')).toBe('+12025550143');
    expect(suppressionKey('me@x.com, spam@y.com')).toBeUndefined();
    expect(domesticDigits('+821012345678')).toBe('01012345678');
    expect(domesticDigits('+8221234567')).toBe('021234567');
    expect(domesticDigits('+12025550143')).toBeUndefined();
  });
});
