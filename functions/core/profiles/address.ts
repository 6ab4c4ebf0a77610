// One customer address per channel: an e-mail address or a phone number is kept only in one canonical form,
// so a message goes to exactly one recipient and the suppression list recognises the address however typed.

import isEmailModule from 'validator/lib/isEmail.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// validator ships CommonJS whose module.exports is the function and also carries it as `.default`.
const isEmail = isEmailModule.default;

/** Where a number without a country code is taken to be; a workspace setting can pass another later. */
export const DEFAULT_PHONE_REGION: CountryCode = 'KR';

/** RFC 5321's limit on a forward path; longer is no deliverable address. */
const MAX_EMAIL_LENGTH = 254;

/**
 * One deliverable e-mail address, trimmed and lower-cased, or undefined. Lists (`a@x.com, b@y.com`),
 * display names, quoted local parts, IP-literal domains and anything with whitespace or a line break are
 * refused: each could make a mailer address someone other than the customer.
 */
export function normaliseEmail(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const address = input.trim().toLowerCase();
  if (address.length === 0 || address.length > MAX_EMAIL_LENGTH) return undefined;
  if (/[\s,;<>"()\\]/.test(address)) return undefined;
  const valid = isEmail(address, {
    allow_display_name: false,
    require_tld: true,
    allow_ip_domain: false,
    allow_utf8_local_part: true,
  });
  return valid ? address : undefined;
}

/**
 * One valid phone number in E.164 (`010-1234-5678` → `+821012345678`), or undefined. Only what a person
 * types in a phone field is read: digits, `+`, spaces, dashes, dots and parentheses; text holding several
 * numbers is refused rather than one of them guessed.
 */
export function normalisePhone(input: unknown, defaultRegion: CountryCode = DEFAULT_PHONE_REGION): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return undefined;
  const text = String(input).trim();
  if (!/^\+?[0-9()\-.\s]{3,30}$/.test(text)) return undefined;
  const phone = parsePhoneNumberFromString(text, defaultRegion);
  return phone?.isValid() ? phone.number : undefined;
}

/**
 * A number as dialled inside its region, digits only (`+821012345678` → `01012345678`): what Korean
 * providers (SOLAPI) take as a recipient. Undefined for a number of another region or no valid number.
 */
export function domesticDigits(phone: string, region: CountryCode = DEFAULT_PHONE_REGION): string | undefined {
  const e164 = normalisePhone(phone, region);
  if (e164 === undefined) return undefined;
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.country === region ? parsed.formatNational().replace(/\D/g, '') : undefined;
}

/**
 * The form under which an address is put on (and looked up in) the suppression list, before the store
 * hashes it: the normalised e-mail address, or a phone number's domestic digits (`01012345678`) — the key
 * suppression rows were already written under for Korean numbers — or its E.164 form for other regions.
 * Every spelling of one address gives one key; undefined for what is neither address.
 */
export function suppressionKey(address: string, region: CountryCode = DEFAULT_PHONE_REGION): string | undefined {
  if (address.includes('@')) return normaliseEmail(address);
  return domesticDigits(address, region) ?? normalisePhone(address, region);
}
