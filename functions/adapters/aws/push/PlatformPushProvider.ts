// Routes each push token to its platform's provider: APNs for iOS device tokens, FCM for the rest.

import { ProviderRejectedError } from '../../../errors.js';
import type { PushProvider } from '../../../ports.js';

export class PlatformPushProvider implements PushProvider {
  constructor(private readonly providers: { fcm?: PushProvider; apns?: PushProvider }) {}

  send(token: { token: string; platform: string }, message: Parameters<PushProvider['send']>[1]) {
    const ios = token.platform === 'ios' || token.platform === 'ipados';
    const provider = ios ? (this.providers.apns ?? this.providers.fcm) : this.providers.fcm;
    if (!provider) throw new ProviderRejectedError(`no push provider is configured for ${token.platform} tokens`, 'not-configured');
    return provider.send(token, message);
  }
}
