// Routes each push token to its platform's provider: APNs for iOS, Web Push for browsers, FCM for the rest.

import { ProviderRejectedError } from '../../../core/errors.js';
import type { PushProvider } from '../../../core/delivery/ports.js';

export class PlatformPushProvider implements PushProvider {
  constructor(private readonly providers: { fcm?: PushProvider; apns?: PushProvider; web?: PushProvider }) {}

  send(token: { token: string; platform: string }, message: Parameters<PushProvider['send']>[1]) {
    const ios = token.platform === 'ios' || token.platform === 'ipados';
    const web = token.platform === 'web' || token.token.startsWith('{');
    const provider = web ? this.providers.web : ios ? (this.providers.apns ?? this.providers.fcm) : this.providers.fcm;
    if (!provider)
      throw new ProviderRejectedError(`no push provider is configured for ${token.platform} tokens`, 'not-configured');
    return provider.send(token, message);
  }
}
