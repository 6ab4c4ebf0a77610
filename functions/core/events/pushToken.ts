// What a push token from a client may look like: the sender sends to it, so ingest keeps only real shapes.

/**
 * The hosts of the browsers' push services (Chrome and Edge through FCM, Firefox, Safari, Windows). A Web Push
 * subscription is a URL the sender POSTs to, so an endpoint anywhere else would make the sender a client for
 * whoever sent the event (an internal address, a metadata service, someone's own server).
 */
export const WEB_PUSH_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'updates.push.services.mozilla.com',
  '.push.services.mozilla.com',
  'web.push.apple.com',
  '.push.apple.com',
  '.notify.windows.com',
] as const;

/** APNs device tokens are 32 bytes, sent as 64 hex digits. */
const APNS_TOKEN = /^[0-9a-f]{64}$/i;
/** An FCM registration token: an instance id, a colon, a long URL-safe base64 body (typically ~150–200 chars). */
const FCM_TOKEN = /^[\w-]{8,}:[\w-]{64,}$/;
/** The subscription's keys are URL-safe base64 of a P-256 public key (65 bytes) and a 16-byte secret. */
const P256DH = /^[\w-]{86,88}={0,2}$/;
const AUTH = /^[\w-]{21,24}={0,2}$/;

const IOS = new Set(['ios', 'ipados']);

/** Why the token cannot be delivered to, or undefined when it has a real shape for its device type. */
export function pushTokenProblem(token: string, deviceType: string | undefined): string | undefined {
  const type = (deviceType ?? '').toLowerCase();
  if (type === 'web' || token.startsWith('{')) return webPushSubscriptionProblem(token);
  // iOS apps send either an APNs device token or (through Firebase) an FCM registration token.
  if (IOS.has(type)) {
    return APNS_TOKEN.test(token) || FCM_TOKEN.test(token)
      ? undefined
      : 'an iOS token must be an APNs device token (64 hex digits) or an FCM registration token';
  }
  return FCM_TOKEN.test(token) ? undefined : 'expected an FCM registration token (instance id, a colon, the token)';
}

/** A Web Push token is the browser's PushSubscription as JSON: an https endpoint of a push service, and its keys. */
export function webPushSubscriptionProblem(token: string): string | undefined {
  let subscription: { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
  try {
    subscription = JSON.parse(token);
  } catch {
    return 'a web push token must be the PushSubscription as JSON';
  }
  if (typeof subscription !== 'object' || subscription === null) return 'a web push token must be a JSON object';
  const problem = webPushEndpointProblem(subscription.endpoint);
  if (problem) return problem;
  const { p256dh, auth } = subscription.keys ?? {};
  if (typeof p256dh !== 'string' || !P256DH.test(p256dh)) return 'keys.p256dh must be a P-256 public key (base64url)';
  if (typeof auth !== 'string' || !AUTH.test(auth)) return 'keys.auth must be a 16-byte secret (base64url)';
  return undefined;
}

export function webPushEndpointProblem(endpoint: unknown): string | undefined {
  if (typeof endpoint !== 'string') return 'the endpoint must be a URL';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'the endpoint must be a URL';
  }
  if (url.protocol !== 'https:') return 'the endpoint must be https';
  if (url.port !== '' || url.username !== '' || url.password !== '')
    return 'the endpoint must not name a port or credentials';
  const host = url.hostname.toLowerCase();
  const known = WEB_PUSH_HOSTS.some((h) =>
    h.startsWith('.') ? host.endsWith(h) && host.length > h.length : host === h,
  );
  return known ? undefined : `the endpoint's host ${host} is not a browser push service`;
}
