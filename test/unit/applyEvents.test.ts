import { describe, expect, it } from 'vitest';
import { applyEvents } from '../../functions/core/profiles/applyEvents.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { positioned } from './builders.js';

const base = () => newProfile('u:u1', '2026-11-23T10:00:00.000Z');

describe('applyEvents', () => {
  it('merges identify traits, removes a trait sent as null, and keeps email and phone as channels', () => {
    const profile = applyEvents(base(), [
      positioned({
        type: 'identify',
        userId: 'u1',
        traits: { name: 'Kim', plan: 'free', email: ' Kim@Example.COM ', phone: '+821012345678' },
      }),
      positioned({ type: 'identify', userId: 'u1', traits: { plan: null, tier: 'gold' } }),
    ]);
    expect(profile.traits).toEqual({ name: 'Kim', email: ' Kim@Example.COM ', phone: '+821012345678', tier: 'gold' });
    expect(profile.channels.email).toBe('kim@example.com');
    expect(profile.channels.phone).toBe('+821012345678');
    const cleared = applyEvents(profile, [positioned({ type: 'identify', userId: 'u1', traits: { email: null } })]);
    expect(cleared.channels.email).toBeUndefined();
  });

  it('keeps push tokens from context.device, one entry per token', () => {
    const device = { token: 'tok-1', type: 'iOS' };
    const profile = applyEvents(base(), [
      positioned({ type: 'track', userId: 'u1', event: 'App Opened', context: { device } }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'App Opened',
        context: { device },
        timestamp: '2026-11-23T11:00:00.000Z',
      }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'App Opened',
        context: { device: { token: 'tok-2', type: 'android' } },
      }),
    ]);
    expect(profile.channels.push.map((t) => [t.token, t.platform])).toEqual([
      ['tok-1', 'ios'],
      ['tok-2', 'android'],
    ]);
  });

  it('records consent per channel with its time and ignores an older statement arriving late', () => {
    const profile = applyEvents(base(), [
      positioned({
        type: 'identify',
        userId: 'u1',
        timestamp: '2026-11-23T12:00:00.000Z',
        context: {
          consent: {
            categoryPreferences: { Email: false, advertising: true, night_advertising: true, Analytics: true },
          },
        },
      }),
      positioned({
        type: 'identify',
        userId: 'u1',
        timestamp: '2026-11-23T09:00:00.000Z',
        context: { consent: { categoryPreferences: { email: true } } },
      }),
    ]);
    expect(profile.consent).toEqual({
      email: { granted: false, at: '2026-11-23T12:00:00.000Z' },
      advertising: { granted: true, at: '2026-11-23T12:00:00.000Z' },
      nightAdvertising: { granted: true, at: '2026-11-23T12:00:00.000Z' },
    });
  });

  it('keeps a valid time zone and locale, and ignores an unknown zone', () => {
    const profile = applyEvents(base(), [
      positioned({ type: 'page', userId: 'u1', context: { timezone: 'Asia/Seoul', locale: 'ko-KR' } }),
      positioned({ type: 'page', userId: 'u1', context: { timezone: 'Mars/Olympus' } }),
    ]);
    expect(profile.timezone).toBe('Asia/Seoul');
    expect(profile.locale).toBe('ko-KR');
    expect(profile.computed.eventCounts).toEqual({ $page: 2 });
  });

  it('computes orders, revenue, average order value and order times', () => {
    const profile = applyEvents(base(), [
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { revenue: 30000, total: 33000 },
        timestamp: '2026-11-02T00:00:00.000Z',
      }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { total: '15000.5' },
        timestamp: '2026-11-01T00:00:00.000Z',
      }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { products: [{ product_id: 'p1', price: 1000, quantity: 2 }] },
        timestamp: '2026-11-03T00:00:00.000Z',
      }),
    ]);
    expect(profile.computed).toMatchObject({
      orders: 3,
      revenue: 47000.5,
      averageOrderValue: 15666.83,
      firstOrderAt: '2026-11-01T00:00:00.000Z',
      lastOrderAt: '2026-11-03T00:00:00.000Z',
      firstSeen: '2026-11-01T00:00:00.000Z',
      eventCounts: { 'Order Completed': 3 },
    });
  });

  it('tracks the last viewed product and the cart, which an order empties', () => {
    const added = applyEvents(base(), [
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Product Viewed',
        properties: { product_id: 'p1', name: 'Mug', price: 9000, image_url: 'https://x/m.png' },
      }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Product Added',
        properties: { product_id: 'p1', name: 'Mug', price: 9000 },
      }),
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Product Added',
        properties: { product_id: 'p1', quantity: 2 },
      }),
      positioned({ type: 'track', userId: 'u1', event: 'Product Added', properties: { sku: 'sku-2', price: 500 } }),
      positioned({ type: 'track', userId: 'u1', event: 'Product Removed', properties: { sku: 'sku-2' } }),
    ]);
    expect(added.computed.lastViewedProduct).toMatchObject({
      productId: 'p1',
      name: 'Mug',
      price: 9000,
      imageUrl: 'https://x/m.png',
    });
    expect(added.computed.cart.items).toEqual([{ productId: 'p1', name: 'Mug', price: 9000, quantity: 3 }]);

    const checkout = applyEvents(added, [
      positioned({
        type: 'track',
        userId: 'u1',
        event: 'Checkout Started',
        properties: { products: [{ product_id: 'p9', quantity: 1 }] },
      }),
    ]);
    expect(checkout.computed.cart.items).toEqual([{ productId: 'p9', quantity: 1 }]);
    expect(checkout.computed.cart.checkoutStartedAt).toBeDefined();

    const ordered = applyEvents(checkout, [
      positioned({ type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 1 } }),
    ]);
    expect(ordered.computed.cart.items).toEqual([]);
  });

  it('never applies the same stream position twice', () => {
    const order = positioned({ type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 100 } });
    const once = applyEvents(base(), [order]);
    const replayed = applyEvents(once, [order]);
    expect(replayed.computed.orders).toBe(1);
    expect(replayed.computed.revenue).toBe(100);
  });

  it('does not change the profile it was given', () => {
    const profile = base();
    applyEvents(profile, [positioned({ type: 'identify', userId: 'u1', traits: { a: 1 } })]);
    expect(profile.traits).toEqual({});
  });
});
