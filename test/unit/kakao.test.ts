import { describe, expect, it } from 'vitest';
import {
  brandMessageHoursDeferral,
  brandMessageMarkingRefusal,
  brandMessageTargetRefusal,
  placeholders,
  renderKakao,
} from '../../functions/core/delivery/kakao.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import { templateSchema } from '../../functions/core/delivery/template.js';

const alimtalk = (variables: Record<string, string>, text = '#{이름}님, 주문 #{주문번호}이(가) 발송되었습니다.') =>
  templateSchema.parse({
    id: 'shipped',
    name: 'Shipped',
    channel: 'kakao',
    kakao: { kind: 'alimtalk', templateCode: 'KA01TP1', text, variables },
  }).kakao!;
const scope = { profile: { traits: { name: '김민지' } }, event: { order_id: 'A-1001' } };

describe('KakaoTalk', () => {
  it('fills exactly the approved placeholders', async () => {
    expect(placeholders('#{이름}님 #{이름} #{코드}')).toEqual(['이름', '코드']);
    const rendered = await renderKakao(
      alimtalk({ 이름: '{{ profile.traits.name }}', 주문번호: '{{ event.order_id }}' }),
      scope,
    );
    expect(rendered).toEqual({
      text: '김민지님, 주문 A-1001이(가) 발송되었습니다.',
      variables: { '#{이름}': '김민지', '#{주문번호}': 'A-1001' },
    });
  });

  it('refuses what would differ from the approved template: a missing, an extra or an empty variable', async () => {
    expect(await renderKakao(alimtalk({ 이름: '{{ profile.traits.name }}' }), scope)).toEqual({
      refusal: 'no value for #{주문번호} of the approved template',
    });
    expect(await renderKakao(alimtalk({ 이름: 'a', 주문번호: 'b', 쿠폰: 'c' }), scope)).toEqual({
      refusal: '#{쿠폰} is not in the approved template',
    });
    expect(await renderKakao(alimtalk({ 이름: '{{ profile.traits.nickname }}', 주문번호: 'b' }), scope)).toEqual({
      refusal: '#{이름} rendered empty',
    });
  });

  it('requires a Brand Message to carry the ad marking and the 080 opt-out in its approved text', () => {
    const settings = { ...defaultSettings(), sms: { senderNumbers: [], optOutNumber: '080-123-4567' } };
    const brand = (text: string) =>
      templateSchema.parse({ id: 'b', name: 'B', channel: 'kakao', kakao: { kind: 'brand', templateCode: 'B1', text } })
        .kakao!;
    expect(brandMessageMarkingRefusal(brand('(광고) 주말 특가\n무료수신거부 080-123-4567'), settings)).toBeUndefined();
    expect(brandMessageMarkingRefusal(brand('주말 특가\n무료수신거부 080-123-4567'), settings)).toBe(
      'the approved Brand Message does not start with (광고)',
    );
    expect(brandMessageMarkingRefusal(brand('(광고) 주말 특가'), settings)).toBe(
      'the approved Brand Message does not carry the opt-out number 080-123-4567',
    );
  });

  it("keeps Brand Messages to 08:00–20:50 in the customer's zone", () => {
    expect(brandMessageHoursDeferral(new Date('2026-11-23T11:49:00Z'), 'Asia/Seoul')).toBeUndefined(); // 20:49
    expect(brandMessageHoursDeferral(new Date('2026-11-23T11:50:00Z'), 'Asia/Seoul')?.toISOString()).toBe(
      '2026-11-23T23:00:00.000Z',
    ); // 20:50
    expect(brandMessageHoursDeferral(new Date('2026-11-22T22:30:00Z'), 'Asia/Seoul')?.toISOString()).toBe(
      '2026-11-22T23:00:00.000Z',
    ); // 07:30
  });
});

describe('Brand Message targets', () => {
  const targets = (m: boolean, n: boolean) => ({ brandMessageTargets: { m, n } });
  it('lets I through always, and M or N only with its own setting; AlimTalk has no target', () => {
    expect(brandMessageTargetRefusal({ kind: 'brand', target: 'I' }, targets(false, false))).toBeUndefined();
    expect(brandMessageTargetRefusal({ kind: 'brand', target: 'M' }, targets(false, true))?.setting).toBe(
      'brandMessageTargets.m',
    );
    expect(brandMessageTargetRefusal({ kind: 'brand', target: 'M' }, targets(true, false))).toBeUndefined();
    expect(brandMessageTargetRefusal({ kind: 'brand', target: 'N' }, targets(true, false))?.reason).toMatch(
      /^Brand Message target N \(consented customers, friends or not\) is not enabled/,
    );
    expect(brandMessageTargetRefusal({ kind: 'alimtalk', target: 'M' }, targets(false, false))).toBeUndefined();
  });

  it('defaults a template to I, the channel friends', () => {
    const brand = templateSchema.parse({
      id: 'b',
      name: 'B',
      channel: 'kakao',
      kakao: { kind: 'brand', templateCode: 'B1', text: '(광고) 특가' },
    }).kakao!;
    expect(brand.target).toBe('I');
  });
});
