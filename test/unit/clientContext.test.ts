import { describe, expect, it } from 'vitest';
import { deviceTypeOf, enrichClientContext } from '../../functions/core/events/clientContext.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Version/17.0 Mobile/15E148 Safari/604.1';
const IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36';

describe('enrichClientContext', () => {
  it('turns a browser user agent into the device type the funnel breaks down by', () => {
    expect(deviceTypeOf(IPHONE)).toBe('mobile');
    expect(deviceTypeOf(IPAD)).toBe('tablet');
    expect(deviceTypeOf(CHROME_LINUX)).toBe('desktop');
    expect(deviceTypeOf('')).toBeUndefined();
    expect(deviceTypeOf(42)).toBeUndefined();
    expect(enrichClientContext({ userAgent: IPHONE }, {})).toEqual({ userAgent: IPHONE, device: { type: 'mobile' } });
  });

  it('keeps the device type and ip the SDK sent, and fills the ip from the request only when missing', () => {
    const sent = { userAgent: IPHONE, ip: '203.0.113.9', device: { type: 'ios', id: 'd1' } };
    expect(enrichClientContext(sent, { sourceIp: '198.51.100.1' })).toEqual(sent);
    expect(enrichClientContext({ locale: 'ko-KR' }, { sourceIp: '198.51.100.1' })).toEqual({
      locale: 'ko-KR',
      ip: '198.51.100.1',
    });
  });

  it('reads the UTM campaign from the page address when the SDK sent none', () => {
    const url = 'https://shop.example/sale?utm_source=kakao&utm_medium=push&utm_campaign=winter#top';
    const page = { url, path: '/sale' };
    expect(enrichClientContext({ page }, {})?.campaign).toEqual({ source: 'kakao', medium: 'push', name: 'winter' });
    expect(enrichClientContext({ page: { search: '?utm_source=naver' } }, {})?.campaign).toEqual({ source: 'naver' });
    const own = { page, campaign: { source: 'email' } };
    expect(enrichClientContext(own, {})?.campaign).toEqual({ source: 'email' });
    expect(enrichClientContext({ page: { url: 'https://shop.example/' } }, {})).not.toHaveProperty('campaign');
  });

  it('keeps the page context as sent and leaves a message without context without one', () => {
    const page = { path: '/cart', referrer: 'https://search.example/', title: 'Cart', url: 'https://shop.example/c' };
    expect(enrichClientContext({ page }, {})).toEqual({ page });
    expect(enrichClientContext(undefined, {})).toBeUndefined();
  });
});
