// The SES mailer sends a raw message to exactly one envelope recipient, whatever the headers say.
import { describe, expect, it } from 'vitest';
import type { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SesMailer } from '../../functions/adapters/aws/SesMailer.js';

describe('SesMailer', () => {
  it('names the one recipient in the envelope (Destinations), never every address in the headers', async () => {
    const sent: SendRawEmailCommand[] = [];
    const ses = { send: async (command: SendRawEmailCommand) => (sent.push(command), { MessageId: 'm-1' }) };
    const mailer = new SesMailer(ses as unknown as SESClient, 'retain', {
      now: () => new Date('2026-12-01T00:00:00Z'),
    });
    const id = await mailer.send({
      from: 'Shop <shop@example.com>',
      to: 'kim@example.com',
      subject: 'Hello',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: {},
      messageRef: 'ref-1',
    });
    expect(id).toBe('m-1');
    expect(sent[0].input.Destinations).toEqual(['kim@example.com']);
    expect(sent[0].input.ConfigurationSetName).toBe('retain');
  });
});
