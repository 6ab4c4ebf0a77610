import { describe, expect, it } from 'vitest';
import { conditionSchema, evaluateCondition, readAttribute } from '../../functions/core/segments/condition.js';

const now = new Date('2026-11-23T00:00:00Z');
const profile = {
  traits: { plan: 'gold', tags: ['vip', 'ko'] },
  consent: { email: { granted: true } },
  computed: { orders: 3, revenue: 150000, lastSeen: '2026-11-20T00:00:00Z', eventCounts: { 'Order Completed': 3 } },
};

describe('conditions', () => {
  it.each([
    [{ attribute: 'traits.plan', op: 'eq', value: 'gold' }, true],
    [{ attribute: 'computed.revenue', op: 'gte', value: '100000' }, true],
    [{ attribute: 'computed.orders', op: 'lt', value: 3 }, false],
    [{ attribute: 'traits.tags', op: 'contains', value: 'vip' }, true],
    [{ attribute: 'traits.plan', op: 'in', value: ['silver', 'gold'] }, true],
    [{ attribute: 'consent.email.granted', op: 'eq', value: true }, true],
    [{ attribute: 'consent.push.granted', op: 'not_exists' }, true],
    [{ attribute: 'computed.lastSeen', op: 'within', value: '7d' }, true],
    [{ attribute: 'computed.lastSeen', op: 'not_within', value: '1d' }, true],
    [{ attribute: 'computed.firstOrderAt', op: 'not_within', value: '30d' }, true],
    [{ attribute: 'computed.eventCounts.Order Completed', op: 'gte', value: 3 }, true],
    [
      {
        all: [
          { attribute: 'traits.plan', op: 'eq', value: 'gold' },
          { not: { attribute: 'computed.orders', op: 'eq', value: 0 } },
        ],
      },
      true,
    ],
    [
      {
        any: [
          { attribute: 'traits.plan', op: 'eq', value: 'free' },
          { attribute: 'traits.nope', op: 'exists' },
        ],
      },
      false,
    ],
  ])('%j → %s', (condition, expected) => {
    const parsed = conditionSchema.parse(condition);
    expect(evaluateCondition(parsed, profile, now)).toBe(expected);
  });

  it('resolves saved segments and treats an unknown one as matching nobody', () => {
    const vip = conditionSchema.parse({ attribute: 'computed.revenue', op: 'gt', value: 100000 });
    expect(evaluateCondition({ segment: 'vip' }, profile, now, (id) => (id === 'vip' ? vip : undefined))).toBe(true);
    expect(evaluateCondition({ not: { segment: 'gone' } }, profile, now, () => undefined)).toBe(true);
    expect(evaluateCondition({ segment: 'gone' }, profile, now, () => undefined)).toBe(false);
  });

  it('refuses malformed conditions with the path of the problem', () => {
    const result = conditionSchema.safeParse({
      all: [{ attribute: 'computed.lastSeen', op: 'within', value: 'soon' }],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.some((i) => i.message.includes('duration'))).toBe(true);
  });

  it('never reads inherited properties', () => {
    expect(readAttribute({}, 'constructor')).toBeUndefined();
    expect(readAttribute({ a: 1 }, 'a.toString')).toBeUndefined();
  });
});
