// The feedback policies on in-memory ports: what suppresses an address, what reaches the timeline, what counts once.
import { describe, expect, it } from 'vitest';
import { applyEmailFeedback, type EmailFeedback } from '../../functions/core/feedback/emailFeedback.js';
import { applyProviderReport } from '../../functions/core/feedback/textFeedback.js';
import { unsubscribeByLink } from '../../functions/core/feedback/oneClickUnsubscribe.js';
import { messageRef } from '../../functions/core/delivery/messageRef.js';
import type { Feedback, MessageLogEntry } from '../../functions/core/delivery/messageLog.js';
import type { StoredEvent } from '../../functions/core/events/storedEvent.js';

const now = new Date('2026-11-20T09:00:00.000Z');
const ref = messageRef({ userKey: 'u:kim', idempotencyKey: 'welcome:1' });

function memoryPorts(channel: 'email' | 'sms' | 'kakao' = 'email') {
  const entry: MessageLogEntry = {
    userKey: 'u:kim',
    idempotencyKey: 'welcome:1',
    channel,
    template: 'welcome',
    category: 'marketing',
    journeyId: 'welcome',
    stepId: 's1',
    status: 'sent',
    requestedAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
  };
  const seen = new Set<Feedback>();
  const ports = {
    suppressed: [] as { address: string; reason: string }[],
    appended: [] as StoredEvent[],
    counted: [] as unknown[],
    recorded: [] as unknown[],
    messages: {
      feedback: async (_u: string, _k: string, feedback: Feedback) =>
        seen.has(feedback) ? undefined : (seen.add(feedback), entry),
      record: async (_u: string, _k: string, update: unknown) => (ports.recorded.push(update), entry),
      get: async () => entry,
    },
    metrics: { add: async (...args: unknown[]) => void ports.counted.push(args) },
    suppressions: {
      suppress: async (address: string, reason: string) => void ports.suppressed.push({ address, reason }),
    },
    events: { append: async (events: StoredEvent[]) => void ports.appended.push(...events) },
  };
  return ports;
}

const email = (feedback: Partial<EmailFeedback>): EmailFeedback => ({
  kind: 'opened',
  messageRef: ref,
  providerMessageId: 'ses-1',
  recipients: ['kim@example.com'],
  at: '2026-11-20T08:30:00.000Z',
  ...feedback,
});

describe('e-mail feedback', () => {
  it('suppresses the address for a hard bounce and a complaint, never for a soft bounce', async () => {
    const soft = memoryPorts();
    expect(await applyEmailFeedback(email({ kind: 'bounced', permanent: false }), soft as never, now)).toBe(
      'soft bounce',
    );
    expect(soft.suppressed).toEqual([]);
    expect(soft.counted).toEqual([]);
    const hard = memoryPorts();
    await applyEmailFeedback(email({ kind: 'bounced', permanent: true }), hard as never, now);
    const complaint = memoryPorts();
    await applyEmailFeedback(email({ kind: 'complained' }), complaint as never, now);
    expect(hard.suppressed).toEqual([{ address: 'kim@example.com', reason: 'hard bounce' }]);
    expect(complaint.suppressed).toEqual([{ address: 'kim@example.com', reason: 'complaint' }]);
    expect(complaint.appended.map((e) => e.event)).toEqual(['Email Marked as Spam']);
  });

  it('puts an open on the timeline once, however often the provider reports it', async () => {
    const ports = memoryPorts();
    expect(await applyEmailFeedback(email({}), ports as never, now)).toBe('recorded');
    expect(await applyEmailFeedback(email({}), ports as never, now)).toBe('repeated');
    expect(ports.appended.map((e) => [e.event, e.properties])).toEqual([
      ['Email Opened', { messageId: 'welcome:1', journeyId: 'welcome', stepId: 's1', template: 'welcome' }],
    ]);
    expect(ports.counted).toHaveLength(1);
  });

  it('records a rejection as a failed send and ignores what it does not know', async () => {
    const ports = memoryPorts();
    expect(await applyEmailFeedback(email({ kind: 'rejected' }), ports as never, now)).toBe('rejected');
    expect(ports.recorded).toEqual([{ status: 'failed', reason: 'rejected by SES (virus or policy)' }]);
    expect(await applyEmailFeedback(email({ kind: 'other' }), ports as never, now)).toBe('ignored');
    expect(await applyEmailFeedback(email({ messageRef: 'not-a-ref' }), ports as never, now)).toBe(
      'no message reference',
    );
  });
});

describe('provider reports', () => {
  it('an 080 opt-out suppresses the number and withdraws the consent of the channel the message went by', async () => {
    const ports = memoryPorts('kakao');
    const report = { messageRef: ref, status: 'opted-out' as const, phone: '01012345678', code: '080' };
    expect(await applyProviderReport(report, ports as never, now)).toBe('unsubscribed');
    expect(ports.suppressed).toEqual([{ address: '01012345678', reason: 'opt-out (080)' }]);
    const [event] = ports.appended;
    expect(event.event).toBe('Unsubscribed');
    expect(event.context?.consent).toEqual({ categoryPreferences: { kakao: false } });
    // The same report again is the same event: the pipeline applies it once.
    await applyProviderReport(report, ports as never, now);
    expect(ports.appended[1].messageId).toBe(event.messageId);
  });

  it('counts a carrier failure as a bounce, once', async () => {
    const ports = memoryPorts('sms');
    expect(await applyProviderReport({ messageRef: ref, status: 'failed' }, ports as never, now)).toBe('recorded');
    expect(await applyProviderReport({ messageRef: ref, status: 'failed' }, ports as never, now)).toBe(
      'already recorded',
    );
    expect(await applyProviderReport({ messageRef: 'x', status: 'delivered' }, ports as never, now)).toBe(
      'unknown messageRef',
    );
  });
});

describe('one-click unsubscribe', () => {
  it('withdraws the consent with an event keyed by the link, and counts the message once', async () => {
    const ports = memoryPorts();
    const claim = { userKey: 'u:kim' as const, channel: 'email' as const, messageId: 'welcome:1' };
    await unsubscribeByLink(claim, 'token-1', ports as never, now);
    await unsubscribeByLink(claim, 'token-1', ports as never, now);
    expect(ports.appended.map((e) => e.messageId)).toEqual([ports.appended[0].messageId, ports.appended[0].messageId]);
    expect(ports.appended[0].properties).toEqual({ channel: 'email', messageId: 'welcome:1', method: 'one-click' });
    expect(ports.counted).toHaveLength(1);
  });
});
