// `npm start`: runs Retain on this machine, no AWS account needed.

import { JavaMissingError } from './dynamoDbLocal.js';
import { startLocalRuntime } from './runtime.js';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.RETAIN_IN_MEMORY === '1' ? undefined : (process.env.RETAIN_DATA_DIR ?? '.retain');

try {
  const runtime = await startLocalRuntime({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dataDir,
    writeKey: process.env.RETAIN_WRITE_KEY,
    adminToken: process.env.RETAIN_ADMIN_TOKEN,
    unsubscribeSecret: process.env.UNSUBSCRIBE_SECRET,
    messagingCredentials: process.env.MESSAGING_CREDENTIALS,
    onError: (error) => console.error(`[retain] ${error.message}`),
  });
  const shown = (c: { secret: string; generated: boolean } | undefined, envVar: string) =>
    c
      ? `${c.secret}${c.generated ? '   (generated: shown only now, keep it)' : `   (from ${envVar})`}`
      : `the one shown at first start (or set ${envVar})`;
  console.log(
    [
      `Retain is running at ${runtime.url}`,
      `  ingest (Segment-compatible)  ${runtime.url}/v1/batch, /v1/track, /v1/identify, ...`,
      `  admin API                    ${runtime.url}/admin/v1`,
      `  write key                    ${shown(runtime.writeKey, 'RETAIN_WRITE_KEY')}`,
      `  admin token                  ${shown(runtime.adminToken, 'RETAIN_ADMIN_TOKEN')}`,
      `  data                         ${dataDir ?? 'in memory (RETAIN_IN_MEMORY=1)'}`,
    ].join('\n'),
  );
  const shutdown = async () => {
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Port ${port} is already in use: stop what runs there or start with PORT=<another port> npm start.`);
    process.exit(1);
  }
  throw error;
}
