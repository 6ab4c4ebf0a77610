// Amazon Pinpoint endpoint exports read as imported customers: channels, honest consent, the tally, gzip and bad lines.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pinpointEndpointRecords } from '../../functions/adapters/pinpoint/pinpointEndpointRecords.js';
import type { ImportedCustomer, RefusedRecord } from '../../functions/core/imports/importedCustomer.js';
import { convertPinpointEndpoint, emptyPinpointTally } from '../../functions/core/imports/pinpointEndpoints.js';

const EXPORT = readFileSync('test/fixtures/pinpoint/endpoints/project-export.jsonl');
const advertising = { attribute: 'adConsent', dateAttribute: 'adConsentDate' };

async function read(bytes: Buffer, proof: typeof advertising | null = advertising) {
  const tally = emptyPinpointTally();
  const records: (ImportedCustomer | RefusedRecord)[] = [];
  for await (const r of pinpointEndpointRecords(Readable.from([bytes]), { tally, advertising: proof ?? undefined }))
    records.push(r);
  return { tally, records };
}
const customer = (records: (ImportedCustomer | RefusedRecord)[], line: number) =>
  records.find((r) => r.record === line) as ImportedCustomer;

describe('Pinpoint endpoint export', () => {
  it('turns each endpoint into its channel, with consent dated by EffectiveDate and advertising only when proved', async () => {
    const { records } = await read(EXPORT);
    expect(customer(records, 1)).toMatchObject({
      userId: 'kr-1',
      email: 'Minjun.Kim@Example.com',
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      statedAt: '2026-03-02T09:00:00.000Z',
      traits: { name: '김민준', interests: ['coffee', 'books'], signupChannel: 'web', location: { city: 'Seoul' } },
      consents: [
        { channel: 'email', granted: true, at: '2026-03-02T09:00:00.000Z', source: 'pinpoint' },
        { channel: 'advertising', granted: true, at: '2025-11-20T00:00:00.000Z', source: 'pinpoint' },
      ],
    });
    expect(customer(records, 2)).toMatchObject({ phone: '+821012345678' });
    expect(customer(records, 2).consents[0]).toMatchObject({ channel: 'sms', granted: false });
    expect(customer(records, 3).pushTokens).toEqual([{ token: expect.stringMatching(/^a1b2/), platform: 'apns' }]);
    expect(customer(records, 4).pushTokens).toEqual([{ token: 'fcm-token-kr2:APA91bH-example', platform: 'fcm' }]);
    // Inactive: no address, no subscription.
    expect(customer(records, 5)).toMatchObject({ userId: 'kr-2', consents: [] });
    expect(customer(records, 5).email).toBeUndefined();
    // No user: the endpoint is the customer.
    expect(customer(records, 6)).toMatchObject({ userId: 'ep-anon-1', pushTokens: [{ platform: 'apns_sandbox' }] });
    // No EffectiveDate: the statement goes without a date, which the job counts as no proof.
    expect(customer(records, 7).consents).toEqual([{ channel: 'email', granted: true, source: 'pinpoint' }]);
    expect(customer(records, 8)).toMatchObject({ userId: 'kr-3', traits: { preferredCallTime: 'evening' } });
    expect(customer(records, 8).phone).toBeUndefined();
    expect(customer(records, 12)).toMatchObject({
      consents: [{ channel: 'email', granted: false, at: '2026-04-07T00:00:00.000Z' }],
    });
  });

  it('refuses a line without Id and a line that is not JSON, naming them, and goes on', async () => {
    const { records } = await read(EXPORT);
    expect(records).toHaveLength(12);
    expect(records[8]).toMatchObject({ record: 9, field: 'Id' });
    expect(records[9]).toEqual({ record: 10, reason: 'not a JSON object (an export has one endpoint per line)' });
  });

  it('counts the cases Korean law turns on: OptOut NONE is a subscription, not advertising consent', async () => {
    const { tally } = await read(EXPORT);
    expect(tally).toEqual({
      endpoints: 10,
      byChannel: { EMAIL: 4, SMS: 2, APNS: 1, GCM: 1, APNS_SANDBOX: 1, VOICE: 1 },
      inactive: 2,
      optedOut: 2,
      subscribedAdvertisingUnknown: 4,
      advertisingGranted: 3,
      advertisingRefused: 0,
      notDelivered: { VOICE: 1 },
      withoutDate: 1,
    });
    const unproved = await read(EXPORT, null);
    expect(unproved.tally.advertisingGranted).toBe(0);
    expect(unproved.tally.subscribedAdvertisingUnknown).toBe(6);
    expect(unproved.records.some((r) => 'consents' in r && r.consents.some((c) => c.channel === 'advertising'))).toBe(
      false,
    );
  });

  it('reads the gzipped export S3 receives, several members as `cat` joins them, the same as the plain file', async () => {
    const plain = await read(EXPORT);
    const lines = EXPORT.toString().split('\n');
    const half = Math.floor(lines.length / 2);
    const joined = Buffer.concat([
      gzipSync(`${lines.slice(0, half).join('\n')}\n`),
      gzipSync(lines.slice(half).join('\n')),
    ]);
    expect((await read(joined)).records).toEqual(plain.records);
  });

  it('refuses an endpoint whose EffectiveDate is not an instant, and an active one without an address', () => {
    const tally = emptyPinpointTally();
    expect(convertPinpointEndpoint({ Id: 'e', ChannelType: 'EMAIL', EffectiveDate: 'yesterday' }, 3, tally)).toEqual({
      record: 3,
      field: 'EffectiveDate',
      reason: 'not an ISO 8601 instant',
    });
    expect(convertPinpointEndpoint({ Id: 'e', ChannelType: 'SMS', EndpointStatus: 'ACTIVE' }, 4, tally)).toMatchObject({
      record: 4,
      field: 'Address',
    });
    const refused = convertPinpointEndpoint(
      { Id: 'e', ChannelType: 'EMAIL', Address: 'a@example.com', User: { UserAttributes: { ad: ['거부'] } } },
      5,
      tally,
      { attribute: 'ad' },
    ) as ImportedCustomer;
    expect(refused.consents.at(-1)).toEqual({ channel: 'advertising', granted: false, source: 'pinpoint' });
    expect(tally.advertisingRefused).toBe(1);
  });
});
