// The `retain` command line: operator tasks that need AWS credentials rather than an admin token.

import { Command } from 'commander';
import { issueCredential } from '../functions/core/credentials/issueCredential.js';
import { createDocumentClient } from '../functions/adapters/aws/dynamodb/documentClient.js';
import { DynamoCredentialStore } from '../functions/adapters/aws/dynamodb/DynamoCredentialStore.js';
import { cryptoRandom, systemClock } from '../functions/adapters/aws/environment.js';

const program = new Command('retain').description('Retain: serverless CRM marketing automation');

const adminToken = program.command('admin-token').description('admin tokens for the admin API');
adminToken
  .command('create')
  .description('issue an admin token (printed once; only its hash is stored), e.g. the first one after `cdk deploy`')
  .requiredOption('--table <name>', 'the Config table (stack output ConfigTableName)')
  .option('--name <name>', 'a label to tell tokens apart', 'cli')
  .option('--region <region>', 'AWS region (default: your AWS configuration)')
  .option('--endpoint <url>', 'a DynamoDB endpoint other than AWS (DynamoDB Local)')
  .action(async (options: { table: string; name: string; region?: string; endpoint?: string }) => {
    const client = createDocumentClient({
      region: options.region ?? (options.endpoint ? 'local' : undefined),
      ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    });
    const credentials = new DynamoCredentialStore(client, options.table);
    const { credential, secret } = await issueCredential('admin-token', options.name, {
      credentials,
      random: cryptoRandom,
      clock: systemClock,
    });
    console.log(`admin token ${credential.id} (${credential.name}): ${secret}`);
    console.log('Keep it now: Retain stores only its hash. Use it as "Authorization: Bearer <token>".');
    client.destroy();
  });

await program.parseAsync();
