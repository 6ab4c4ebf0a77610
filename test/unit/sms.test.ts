import { describe, expect, it } from 'vitest';
import { fitTitle, markSmsAdvertisement, smsBytes, smsShape } from '../../functions/core/delivery/sms.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';

describe('text messages', () => {
  it('counts EUC-KR bytes: two per Korean character, one per ASCII character', () => {
    expect(smsBytes('안녕')).toBe(4);
    expect(smsBytes('abc 123')).toBe(7);
    expect(smsBytes('(광고) 쿠폰')).toBe(11);
  });

  it('picks SMS up to 90 bytes, LMS beyond, MMS with an image, and names characters SMS cannot carry', () => {
    expect(smsShape('가'.repeat(45), false)).toMatchObject({ type: 'SMS', bytes: 90, costClass: 'short' });
    expect(smsShape(`${'가'.repeat(45)}a`, false)).toMatchObject({ type: 'LMS', bytes: 91, costClass: 'long' });
    expect(smsShape('짧은 글', true)).toMatchObject({ type: 'MMS', costClass: 'multimedia' });
    expect(smsShape('할인 🎉 시작', false).unsupported).toEqual(['🎉']);
  });

  it('marks marketing: (광고) and the sender first, the free 080 opt-out last, once', () => {
    const settings = {
      ...defaultSettings(),
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      sms: { senderNumbers: ['0212345678'], from: '0212345678', optOutNumber: '080-123-4567' },
    };
    const marked = markSmsAdvertisement('주말 특가 20% 할인', settings);
    expect(marked).toBe('(광고)리테인상점\n주말 특가 20% 할인\n무료수신거부 080-123-4567');
    expect(markSmsAdvertisement(marked, settings)).toBe(marked);
  });

  it('cuts an LMS title to 40 bytes without splitting a character', () => {
    const title = fitTitle('가'.repeat(30));
    expect(title).toBe('가'.repeat(20));
    expect(smsBytes(title)).toBe(40);
  });
});
