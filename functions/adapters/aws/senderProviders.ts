// The senders' secrets (unsubscribe signing key, push credentials) and providers, read once per container.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import type { Mailer, MessagingProvider, PushProvider } from '../../core/delivery/ports.js';
import { ProviderRejectedError } from '../../core/errors.js';
import { SolapiMessagingProvider, type SolapiCredentials } from './messaging/SolapiMessagingProvider.js';
import { WebhookMessagingProvider, type WebhookCredentials } from './messaging/WebhookMessagingProvider.js';
import type { Adapters, RetainEnvironment } from './environment.js';
import { ApnsPushProvider, type ApnsCredentials } from './push/ApnsPushProvider.js';
import { FcmPushProvider, type FcmCredentials } from './push/FcmPushProvider.js';
import { PlatformPushProvider } from './push/PlatformPushProvider.js';
import { WebPushProvider, type WebPushCredentials } from './push/WebPushProvider.js';
import { SesMailer } from './SesMailer.js';

export type PushCredentials = { fcm?: FcmCredentials; apns?: ApnsCredentials; webPush?: WebPushCredentials };
/** SOLAPI when configured, else the signed webhook. */
export type MessagingCredentials = { solapi?: SolapiCredentials; webhook?: WebhookCredentials };
export type SenderSecrets = { unsubscribeSecret: string; push: PushCredentials; messaging?: MessagingCredentials };

async function secret(client: SecretsManagerClient, arn: string): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`secret ${arn} has no string value`);
  return SecretString;
}

export async function loadSenderSecrets(env: RetainEnvironment): Promise<SenderSecrets> {
  const manager = env.UNSUBSCRIBE_SECRET_ARN || env.PUSH_CREDENTIALS_SECRET_ARN || env.MESSAGING_CREDENTIALS_SECRET_ARN ? new SecretsManagerClient({}) : undefined;
  const unsubscribeSecret = env.UNSUBSCRIBE_SECRET ?? (env.UNSUBSCRIBE_SECRET_ARN ? await secret(manager!, env.UNSUBSCRIBE_SECRET_ARN) : undefined);
  if (!unsubscribeSecret) throw new Error('Retain is misconfigured: UNSUBSCRIBE_SECRET_ARN (or UNSUBSCRIBE_SECRET) must be set for the senders');
  const pushJson = env.PUSH_CREDENTIALS ?? (env.PUSH_CREDENTIALS_SECRET_ARN ? await secret(manager!, env.PUSH_CREDENTIALS_SECRET_ARN) : '{}');
  let push: PushCredentials;
  try {
    push = JSON.parse(pushJson) as PushCredentials;
  } catch {
    throw new Error('Retain is misconfigured: the push credentials are not JSON ({"fcm": {...}, "apns": {...}})');
  }
  const messagingJson = env.MESSAGING_CREDENTIALS ?? (env.MESSAGING_CREDENTIALS_SECRET_ARN ? await secret(manager ?? new SecretsManagerClient({}), env.MESSAGING_CREDENTIALS_SECRET_ARN) : '{}');
  let messaging: MessagingCredentials;
  try {
    messaging = JSON.parse(messagingJson) as MessagingCredentials;
  } catch {
    throw new Error('Retain is misconfigured: the messaging credentials are not JSON ({"solapi": {"apiKey", "apiSecret"}} or {"webhook": {"url", "secret"}})');
  }
  return { unsubscribeSecret, push, messaging };
}

/** Without credentials a text message is a recorded failure naming what to configure, never a crash. */
const notConfigured = async (): Promise<never> => {
  throw new ProviderRejectedError('no messaging provider is configured (put {"solapi": {...}} in the messaging credentials)', 'not-configured');
};
const unconfiguredMessaging: MessagingProvider = { sendSms: notConfigured, sendKakao: notConfigured };

export function pushProviderFor(credentials: PushCredentials, adapters: Pick<Adapters, 'clock'>): PushProvider {
  return new PlatformPushProvider({
    fcm: credentials.fcm?.projectId ? new FcmPushProvider(credentials.fcm, adapters.clock) : undefined,
    apns: credentials.apns?.keyId ? new ApnsPushProvider(credentials.apns, adapters.clock) : undefined,
    web: credentials.webPush?.privateKey ? new WebPushProvider(credentials.webPush) : undefined,
  });
}

/** Everything deliverMessage needs, with SES and the push providers (the local runtime swaps those two). */
export function deliveryDeps(
  adapters: Adapters,
  env: RetainEnvironment,
  secrets: SenderSecrets,
  providers: { mailer?: Mailer; push?: PushProvider; messaging?: MessagingProvider } = {},
): DeliveryDeps {
  return {
    messages: adapters.messages,
    profiles: adapters.profiles,
    suppressions: adapters.suppressions,
    caps: adapters.caps,
    templates: adapters.templates,
    settings: adapters.settings,
    deferrer: adapters.deferrer,
    deliveries: adapters.deliveries,
    mailer: providers.mailer ?? new SesMailer(new SESClient({}), env.SES_CONFIGURATION_SET, adapters.clock),
    push: providers.push ?? pushProviderFor(secrets.push, adapters),
    messaging:
      providers.messaging ??
      (secrets.messaging?.solapi?.apiKey
        ? new SolapiMessagingProvider(secrets.messaging.solapi, adapters.clock)
        : secrets.messaging?.webhook?.url
          ? new WebhookMessagingProvider(secrets.messaging.webhook, adapters.clock)
          : unconfiguredMessaging),
    unsubscribe: { baseUrl: (env.PUBLIC_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''), secret: secrets.unsubscribeSecret },
    broadcasts: adapters.broadcasts,
    metrics: adapters.metrics,
  };
}
