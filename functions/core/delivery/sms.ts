// Korean text messages: EUC-KR byte counting, the SMS / LMS / MMS type it implies, and the ad-law marking.

import type { DeliverySettings } from './settings.js';

export const SMS_MAX_BYTES = 90;
export const LMS_MAX_BYTES = 2000;
export const LMS_TITLE_MAX_BYTES = 40;

export type SmsType = 'SMS' | 'LMS' | 'MMS';
export type SmsShape = {
  type: SmsType;
  bytes: number;
  costClass: 'short' | 'long' | 'multimedia';
  unsupported: string[];
};

let doubleByte: Set<string> | undefined;

/**
 * Every character EUC-KR (as carriers use it: CP949) writes in two bytes, found once by decoding every lead
 * and trail byte pair with the runtime's own decoder — no encoding tables to bundle.
 */
function doubleByteCharacters(): Set<string> {
  if (doubleByte) return doubleByte;
  const decoder = new TextDecoder('euc-kr');
  const found = new Set<string>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x41; trail <= 0xfe; trail++) {
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\ufffd') found.add(char);
    }
  }
  return (doubleByte = found);
}

/** Carriers count a Korean character as two bytes and ASCII as one, as EUC-KR (CP949) encodes them. */
export function smsBytes(text: string): number {
  let bytes = 0;
  // A character EUC-KR cannot write goes out as `?`: one byte.
  for (const char of text) bytes += char.charCodeAt(0) < 0x80 ? 1 : doubleByteCharacters().has(char) ? 2 : 1;
  return bytes;
}

/** Characters EUC-KR cannot carry (emoji, most symbols): a handset would show `?`. */
export function unsupportedCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) if (char.charCodeAt(0) >= 0x80 && !doubleByteCharacters().has(char)) found.add(char);
  return [...found];
}

/** The type follows the rendered message: up to 90 bytes an SMS, up to 2,000 an LMS, an image makes it an MMS. */
export function smsShape(text: string, withImage: boolean): SmsShape {
  const bytes = smsBytes(text);
  const unsupported = unsupportedCharacters(text);
  if (withImage) return { type: 'MMS', bytes, costClass: 'multimedia', unsupported };
  return bytes <= SMS_MAX_BYTES
    ? { type: 'SMS', bytes, costClass: 'short', unsupported }
    : { type: 'LMS', bytes, costClass: 'long', unsupported };
}

/** The number the carriers' placeholder examples use: a text carrying it gives the customer no way out. */
export const PLACEHOLDER_OPT_OUT_NUMBER = '080-000-0000';

/**
 * Why marketing texts cannot go out yet, or undefined: 정보통신망법 art. 50 wants a free opt-out on every
 * advertisement, and a text's is the workspace's own 080 line. The checklist, the preview and the sender
 * all ask this one question.
 */
export function optOutNumberProblem(settings: Pick<DeliverySettings, 'sms'>): string | undefined {
  const number = settings.sms.optOutNumber?.trim();
  const refused = '(settings.sms.optOutNumber); marketing texts are refused';
  if (!number) return `no free opt-out (080) number is configured ${refused}`;
  if (number.replace(/\D/g, '') === PLACEHOLDER_OPT_OUT_NUMBER.replace(/\D/g, '')) {
    return `the opt-out number is the placeholder ${PLACEHOLDER_OPT_OUT_NUMBER} ${refused}`;
  }
  return undefined;
}

/** `(광고)` and the sender's name first, the free 080 opt-out line last (정보통신망법 art. 50). */
export function markSmsAdvertisement(text: string, settings: DeliverySettings): string {
  const prefix = `${settings.compliance.adPrefix}${settings.sender.name}`;
  // Without a number the line still shows where it goes (the preview's refusal says why).
  const optOut = settings.compliance.smsOptOut.replace('{number}', settings.sms.optOutNumber ?? '080-???-????');
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
