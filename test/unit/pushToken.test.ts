// Push tokens reach the sender as places to send to, so ingest refuses every shape a push service does not issue.
import { describe, expect, it } from 'vitest';
import { ingestMessages } from '../../functions/core/events/ingestMessages.js';
import { pushTokenProblem } from '../../functions/core/events/pushToken.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';

const FCM = `cHVzaC10ZXN0:APA91b${'F'.repeat(134)}`;
const APNS = 'a1'.repeat(32);
const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'c2VjcmV0LXNlY3JldC0xMg' };
const web = (endpoint: string, k: Record<string, string> = keys) => JSON.stringify({ endpoint, keys: k });

async function ingestDevice(device: Record<string, unknown>) {
  const stored: StoredEvent[] = [];
  // A second, plain message keeps the batch stored, so a refusal shows per message in `rejected`.
  const body = {
    batch: [
      { type: 'identify', userId: 'u-1', messageId: 'm1', context: { device } },
      { type: 'track', userId: 'u-1', messageId: 'm2', event: 'App Opened' },
    ],
  };
  const outcome = await ingestMessages(
    { endpoint: 'batch', body, bodyBytes: JSON.stringify(body).length, writeKeyId: 'wk' },
    {
      events: {
        append: async (e: StoredEvent[]) => void stored.push(...e),
        listRecent: async () => [],
        deleteAll: async () => 0,
      },
      ingestErrors: { record: async () => {}, listRecent: async () => [] },
      now: new Date('2026-12-04T00:00:00.000Z'),
      newMessageId: () => 'gen',
    },
  );
  return { outcome, stored };
}

describe('push tokens at ingest', () => {
  it('keeps the tokens push services issue: FCM, APNs on iOS, a Web Push subscription on a browser push service', async () => {
    for (const device of [
      { token: FCM, type: 'android' },
      { token: APNS, type: 'ios' },
      { token: FCM, type: 'iOS' },
      { token: web('https://fcm.googleapis.com/fcm/send/abc:def'), type: 'web' },
      { token: web('https://updates.push.services.mozilla.com/wpush/v2/gAAA') },
      { token: web('https://web.push.apple.com/QGuQyavXutnMH'), type: 'web' },
      { token: web('https://wns2-par02p.notify.windows.com/w/?token=x'), type: 'web' },
    ]) {
      const { outcome, stored } = await ingestDevice(device);
      expect(outcome, JSON.stringify(device)).toMatchObject({ kind: 'stored', stored: 2, rejected: [] });
      expect(stored).toHaveLength(2);
    }
  });

  it('refuses, naming context.device.token, a Web Push endpoint that is not https on a push service', async () => {
    const cases: [string, RegExp][] = [
      [web('http://fcm.googleapis.com/fcm/send/x'), /must be https/],
      [web('https://169.254.169.254/latest/meta-data/'), /not a browser push service/],
      [web('https://127.0.0.1:8443/hook'), /port/],
      [web('https://fcm.googleapis.com.evil.example/x'), /not a browser push service/],
      [web('https://evilpush.apple.com.attacker.net/x'), /not a browser push service/],
      [web('file:///etc/passwd'), /must be https/],
      [web('https://fcm.googleapis.com/fcm/send/x', { p256dh: 'short', auth: keys.auth }), /p256dh/],
      [JSON.stringify({ endpoint: 'https://fcm.googleapis.com/x' }), /p256dh/],
      ['{not json', /PushSubscription as JSON/],
    ];
    for (const [token, reason] of cases) {
      const { outcome, stored } = await ingestDevice({ token, type: 'web' });
      expect(outcome.kind).toBe('stored');
      const rejected = outcome.kind === 'stored' ? outcome.rejected : [];
      expect(rejected, token).toHaveLength(1);
      expect(rejected[0].error).toMatch(/^batch\[0\]\.context\.device\.token: /);
      expect(rejected[0].error).toMatch(reason);
      expect(stored.map((e) => e.messageId)).toEqual(['m2']);
    }
  });

  it('refuses an iOS token that is neither APNs hex nor FCM, and an Android token that is not FCM', () => {
    expect(pushTokenProblem('abc', 'ios')).toMatch(/64 hex digits/);
    expect(pushTokenProblem('g'.repeat(64), 'ios')).toMatch(/64 hex digits/);
    expect(pushTokenProblem('tok-1', 'android')).toMatch(/FCM registration token/);
    expect(pushTokenProblem(APNS, 'android')).toMatch(/FCM registration token/);
    expect(pushTokenProblem(FCM, undefined)).toBeUndefined();
  });
});
