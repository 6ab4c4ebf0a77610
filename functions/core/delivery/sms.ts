// Korean text messages: EUC-KR byte counting, the SMS / LMS / MMS type it implies, and the ad-law marking.

import iconv from 'iconv-lite';
import type { DeliverySettings } from './settings.js';

export const SMS_MAX_BYTES = 90;
export const LMS_MAX_BYTES = 2000;
export const LMS_TITLE_MAX_BYTES = 40;

export type SmsType = 'SMS' | 'LMS' | 'MMS';
export type SmsShape = { type: SmsType; bytes: number; costClass: 'short' | 'long' | 'multimedia'; unsupported: string[] };

/** Carriers count a Korean character as two bytes and ASCII as one, as EUC-KR (CP949) encodes them. */
export function smsBytes(text: string): number {
  return iconv.encode(text, 'euc-kr').length;
}

/** Characters EUC-KR cannot carry (emoji, most symbols): a handset would show `?`. */
export function unsupportedCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (char !== '?' && iconv.decode(iconv.encode(char, 'euc-kr'), 'euc-kr') !== char) found.add(char);
  }
  return [...found];
}

/** The type follows the rendered message: up to 90 bytes an SMS, up to 2,000 an LMS, an image makes it an MMS. */
export function smsShape(text: string, withImage: boolean): SmsShape {
  const bytes = smsBytes(text);
  const unsupported = unsupportedCharacters(text);
  if (withImage) return { type: 'MMS', bytes, costClass: 'multimedia', unsupported };
  return bytes <= SMS_MAX_BYTES ? { type: 'SMS', bytes, costClass: 'short', unsupported } : { type: 'LMS', bytes, costClass: 'long', unsupported };
}

/** `(광고)` and the sender's name first, the free 080 opt-out line last (정보통신망법 art. 50). */
export function markSmsAdvertisement(text: string, settings: DeliverySettings): string {
  const prefix = `${settings.compliance.adPrefix}${settings.sender.name}`;
  const optOut = settings.compliance.smsOptOut.replace('{number}', settings.sms.optOutNumber);
  const body = text.startsWith(settings.compliance.adPrefix) ? text : `${prefix}\n${text}`;
  return body.endsWith(optOut) ? body : `${body}\n${optOut}`;
}

/** Truncates a title to the LMS limit without splitting a character. */
export function fitTitle(title: string): string {
  let fitted = '';
  for (const char of title) {
    if (smsBytes(fitted + char) > LMS_TITLE_MAX_BYTES) break;
    fitted += char;
  }
  return fitted;
}
