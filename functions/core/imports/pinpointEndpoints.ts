// One line of an Amazon Pinpoint endpoint export as an imported customer, with the tally of what its opt-outs become.

import * as z from 'zod';
import type { ConsentChannel } from '../profiles/profile.js';
import { readDate, readGranted } from './csvMapping.js';
import type { ImportedConsent, ImportedCustomer, ImportedPushToken, RefusedRecord } from './importedCustomer.js';

// Pinpoint keeps every attribute as a list of strings (EndpointResponse in the Pinpoint API reference).
const attributes = z.record(z.string(), z.array(z.string())).optional();
/** An ISO instant, or a bare date as its midnight UTC (a consent form's date); the CSV import's date reader. */
const instantOf = (value: string | undefined) => (value === undefined ? undefined : readDate(value, 'Z'));

/** The fields of an exported endpoint Retain reads; the rest (Metrics, CohortId, RequestId…) is ignored. */
export const pinpointEndpointSchema = z.looseObject({
  Id: z.string().min(1),
  ChannelType: z.string().optional(),
  Address: z.string().optional(),
  EndpointStatus: z.string().optional(),
  OptOut: z.string().optional(),
  EffectiveDate: z.string().optional(),
  Attributes: attributes,
  Demographic: z
    .looseObject({
      Timezone: z.string().optional(),
      Locale: z.string().optional(),
      Platform: z.string().optional(),
      AppVersion: z.string().optional(),
    })
    .optional(),
  Location: z
    .looseObject({
      City: z.string().optional(),
      Country: z.string().optional(),
      Region: z.string().optional(),
      PostalCode: z.string().optional(),
    })
    .optional(),
  User: z.looseObject({ UserId: z.string().optional(), UserAttributes: attributes }).optional(),
});
export type PinpointEndpoint = z.infer<typeof pinpointEndpointSchema>;

/**
 * Which attribute, if any, proves advertising consent. Pinpoint has no such concept: `OptOut: NONE` only says the
 * channel may be used, which is not the prior consent to advertising Korean law asks for.
 */
export type PinpointAdvertisingProof = {
  /** Looked up in `User.UserAttributes`, then in the endpoint's `Attributes`. */
  attribute: string;
  /** The attribute holding the consent's date; without it, the endpoint's `EffectiveDate`. */
  dateAttribute?: string;
};

/** What the endpoints were, beside the job's report: the consent cases the issue of Korean law turns on. */
export type PinpointEndpointTally = {
  endpoints: number;
  byChannel: Record<string, number>;
  /** `EndpointStatus: INACTIVE`: the address is not imported (an opt-out on it still is). */
  inactive: number;
  /** `OptOut: ALL`: that channel unsubscribed. */
  optedOut: number;
  /** `OptOut: NONE`: subscribed to the channel; advertising consent left unknown (no attribute proved it). */
  subscribedAdvertisingUnknown: number;
  /** Endpoints whose mapped attribute stated advertising consent, granted or refused. */
  advertisingGranted: number;
  advertisingRefused: number;
  /** Channel types Retain does not deliver to (VOICE, ADM, BAIDU, CUSTOM, IN_APP, VoIP): traits only. */
  notDelivered: Record<string, number>;
  /** Endpoints without an `EffectiveDate`: their statements are not proof and stay unknown. */
  withoutDate: number;
};

export function emptyPinpointTally(): PinpointEndpointTally {
  return {
    endpoints: 0,
    byChannel: {},
    inactive: 0,
    optedOut: 0,
    subscribedAdvertisingUnknown: 0,
    advertisingGranted: 0,
    advertisingRefused: 0,
    notDelivered: {},
    withoutDate: 0,
  };
}

const PUSH_PLATFORMS: Record<string, ImportedPushToken['platform']> = {
  APNS: 'apns',
  APNS_SANDBOX: 'apns_sandbox',
  GCM: 'fcm', // Pinpoint names its FCM channel GCM
};

const single = (values: string[]): unknown => (values.length === 1 ? values[0] : values);

/** Pinpoint writes locales as `ko_KR`; profiles keep BCP 47 (`ko-KR`). */
const bcp47 = (locale: string) => locale.replace('_', '-');

/**
 * The customer one exported endpoint states, or the reason it cannot be read; `tally` is counted in. `record` is
 * the line number in the export.
 */
export function convertPinpointEndpoint(
  line: unknown,
  record: number,
  tally: PinpointEndpointTally,
  proof?: PinpointAdvertisingProof,
): ImportedCustomer | RefusedRecord {
  const parsed = pinpointEndpointSchema.safeParse(line);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { record, field: issue.path.join('.') || undefined, reason: issue.message };
  }
  const endpoint = parsed.data;
  tally.endpoints++;
  const type = endpoint.ChannelType ?? 'UNKNOWN';
  tally.byChannel[type] = (tally.byChannel[type] ?? 0) + 1;
  const at = instantOf(endpoint.EffectiveDate);
  if (endpoint.EffectiveDate !== undefined && at === undefined)
    return { record, field: 'EffectiveDate', reason: 'not an ISO 8601 instant' };
  if (at === undefined) tally.withoutDate++;

  const customer: ImportedCustomer = {
    record,
    // The endpoint is the customer when the app never named a user (Pinpoint's anonymous endpoints).
    userId: endpoint.User?.UserId?.trim() || endpoint.Id,
    pushTokens: [],
    traits: {},
    consents: [],
    ...(at ? { statedAt: at } : {}),
  };
  for (const [name, values] of Object.entries(endpoint.Attributes ?? {})) customer.traits[name] = single(values);
  // The user's own attributes say more about the person than one device's do.
  for (const [name, values] of Object.entries(endpoint.User?.UserAttributes ?? {}))
    customer.traits[name] = single(values);
  const location = Object.fromEntries(
    Object.entries({
      city: endpoint.Location?.City,
      region: endpoint.Location?.Region,
      country: endpoint.Location?.Country,
      postalCode: endpoint.Location?.PostalCode,
    }).filter(([, v]) => v !== undefined && v !== ''),
  );
  if (Object.keys(location).length > 0) customer.traits.location = location;
  if (endpoint.Demographic?.Timezone) customer.timezone = endpoint.Demographic.Timezone;
  if (endpoint.Demographic?.Locale) customer.locale = bcp47(endpoint.Demographic.Locale);

  const channel = consentChannelOf(type);
  if (!channel) {
    tally.notDelivered[type] = (tally.notDelivered[type] ?? 0) + 1;
    return withAdvertising(customer, endpoint, tally, proof, at);
  }
  const inactive = endpoint.EndpointStatus === 'INACTIVE';
  if (inactive) tally.inactive++;
  const address = endpoint.Address?.trim();
  if (!inactive) {
    if (!address) return { record, field: 'Address', reason: `an active ${type} endpoint without an address` };
    if (channel === 'email') customer.email = address;
    else if (channel === 'sms') customer.phone = address;
    else customer.pushTokens.push({ token: address, platform: PUSH_PLATFORMS[type] });
  }
  const statement = (granted: boolean): ImportedConsent => ({
    channel,
    granted,
    source: 'pinpoint',
    ...(at ? { at } : {}),
  });
  if (endpoint.OptOut === 'ALL') {
    tally.optedOut++;
    customer.consents.push(statement(false));
  } else if (!inactive) {
    // Anything but ALL is Pinpoint's NONE: the endpoint may receive messages on its channel.
    customer.consents.push(statement(true));
    if (!advertisingOf(endpoint, proof)) tally.subscribedAdvertisingUnknown++;
  }
  return withAdvertising(customer, endpoint, tally, proof, at);
}

function consentChannelOf(type: string): ConsentChannel | undefined {
  if (type === 'EMAIL') return 'email';
  if (type === 'SMS') return 'sms';
  if (type in PUSH_PLATFORMS) return 'push';
  return undefined;
}

function attributeOf(endpoint: PinpointEndpoint, name: string): string | undefined {
  return (endpoint.User?.UserAttributes?.[name] ?? endpoint.Attributes?.[name])?.[0]?.trim();
}

function advertisingOf(endpoint: PinpointEndpoint, proof: PinpointAdvertisingProof | undefined): boolean | undefined {
  if (!proof) return undefined;
  const value = attributeOf(endpoint, proof.attribute);
  const granted = value === undefined ? undefined : readGranted(value);
  return granted === 'unreadable' ? undefined : granted;
}

function withAdvertising(
  customer: ImportedCustomer,
  endpoint: PinpointEndpoint,
  tally: PinpointEndpointTally,
  proof: PinpointAdvertisingProof | undefined,
  effective: string | undefined,
): ImportedCustomer {
  const granted = advertisingOf(endpoint, proof);
  if (granted === undefined || !proof) return customer;
  if (granted) tally.advertisingGranted++;
  else tally.advertisingRefused++;
  const dated = proof.dateAttribute ? attributeOf(endpoint, proof.dateAttribute) : effective;
  const at = instantOf(dated);
  customer.consents.push({ channel: 'advertising', granted, source: 'pinpoint', ...(at ? { at } : {}) });
  return customer;
}
