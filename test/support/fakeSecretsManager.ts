// A stand-in for Secrets Manager on 127.0.0.1: every GetSecretValue answers `{}`, as a fresh deployment holds.
// The Lambda entries that read secrets at cold start (the senders, admin) import against it.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Point `AWS_ENDPOINT_URL_SECRETS_MANAGER` at `url`; callers must not block the event loop while it answers. */
export async function fakeSecretsManager() {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ ARN: 'arn:aws:secretsmanager:local:0:secret:x', Name: 'x', SecretString: '{}' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
