// The senders' secrets (unsubscribe signing key, push credentials) and providers, read once per container.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import type { MessagingProvider, PushProvider } from '../../core/delivery/ports.js';
import type { Clock } from '../../core/system/ports.js';
import type { Environment } from '../../environment.js';
import type { AwsContext } from './awsPorts.js';
import { ProviderRejectedError } from '../../core/errors.js';
import { SolapiMessagingProvider, type SolapiCredentials } from './messaging/SolapiMessagingProvider.js';
import { WebhookMessagingProvider, type WebhookCredentials } from './messaging/WebhookMessagingProvider.js';
import { ApnsPushProvider, type ApnsCredentials } from './push/ApnsPushProvider.js';
import { FcmPushProvider, type FcmCredentials } from './push/FcmPushProvider.js';
import { PlatformPushProvider } from './push/PlatformPushProvider.js';
import { WebPushProvider, type WebPushCredentials } from './push/WebPushProvider.js';
import { SesMailer } from './SesMailer.js';

export type PushCredentials = { fcm?: FcmCredentials; apns?: ApnsCredentials; webPush?: WebPushCredentials };
/** SOLAPI when configured, else the signed webhook. */
export type MessagingCredentials = { solapi?: SolapiCredentials; webhook?: WebhookCredentials };
export type SenderSecrets = { unsubscribeSecret: string; push: PushCredentials; messaging?: MessagingCredentials };

/** One secret's string value (a public function reads only its own). */
export async function readSecret(arn: string, client = new SecretsManagerClient({})): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`secret ${arn} has no string value`);
  return SecretString;
}

type SecretVariables = Pick<
  Environment,
  'UNSUBSCRIBE_SECRET_ARN' | 'PUSH_CREDENTIALS_SECRET_ARN' | 'MESSAGING_CREDENTIALS_SECRET_ARN'
>;

export async function loadSenderSecrets(env: SecretVariables): Promise<SenderSecrets> {
  const manager = new SecretsManagerClient({});
  const [unsubscribeSecret, pushJson, messagingJson] = await Promise.all([
    readSecret(env.UNSUBSCRIBE_SECRET_ARN, manager),
    readSecret(env.PUSH_CREDENTIALS_SECRET_ARN, manager),
    readSecret(env.MESSAGING_CREDENTIALS_SECRET_ARN, manager),
  ]);
  return {
    unsubscribeSecret,
    push: parsePushCredentials(pushJson),
    messaging: parseMessagingCredentials(messagingJson),
  };
}

function parsePushCredentials(json: string): PushCredentials {
  try {
    return JSON.parse(json) as PushCredentials;
  } catch {
    throw new Error('Retain is misconfigured: the push credentials are not JSON ({"fcm": {...}, "apns": {...}})');
  }
}

export function parseMessagingCredentials(json: string): MessagingCredentials {
  try {
    return JSON.parse(json) as MessagingCredentials;
  } catch {
    throw new Error(
      'Retain is misconfigured: the messaging credentials are not JSON ({"solapi": {"apiKey", "apiSecret"}} or {"webhook": {"url", "secret"}})',
    );
  }
}

/** Without credentials a text message is a recorded failure naming what to configure, never a crash. */
const notConfigured = async (): Promise<never> => {
  throw new ProviderRejectedError(
    'no messaging provider is configured (put {"solapi": {...}} in the messaging credentials)',
    'not-configured',
  );
};
const unconfiguredMessaging: MessagingProvider = { sendSms: notConfigured, sendKakao: notConfigured };

export function pushProviderFor(credentials: PushCredentials, clock: Clock): PushProvider {
  return new PlatformPushProvider({
    fcm: credentials.fcm?.projectId ? new FcmPushProvider(credentials.fcm, clock) : undefined,
    apns: credentials.apns?.keyId ? new ApnsPushProvider(credentials.apns, clock) : undefined,
    web: credentials.webPush?.privateKey ? new WebPushProvider(credentials.webPush) : undefined,
  });
}

export function messagingProviderFor(credentials: MessagingCredentials | undefined, clock: Clock): MessagingProvider {
  if (credentials?.solapi?.apiKey) return new SolapiMessagingProvider(credentials.solapi, clock);
  if (credentials?.webhook?.url) return new WebhookMessagingProvider(credentials.webhook, clock);
  return unconfiguredMessaging;
}

export type SenderProviders = Pick<DeliveryDeps, 'mailer' | 'push' | 'messaging'>;

/** SES and the push and text providers the secrets configure (the local runtime has its outbox instead). */
export function senderProviders(
  aws: Pick<AwsContext, 'clock'>,
  env: Pick<Environment, 'SES_CONFIGURATION_SET'>,
  secrets: SenderSecrets,
): SenderProviders {
  return {
    mailer: new SesMailer(new SESClient({}), env.SES_CONFIGURATION_SET, aws.clock),
    push: pushProviderFor(secrets.push, aws.clock),
    messaging: messagingProviderFor(secrets.messaging, aws.clock),
  };
}
