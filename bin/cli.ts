// The `retain` command line: journeys as code through the admin API, and the first admin token after deploy.

import { createReadStream, fstatSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  convertPinpointJourney,
  type PinpointJourneyConversion,
  PinpointJourneyError,
} from '../functions/core/imports/pinpointJourney.js';
import { issueCredential } from '../functions/core/credentials/issueCredential.js';
import { createDocumentClient } from '../functions/adapters/aws/dynamodb/documentClient.js';
import { DynamoCredentialStore } from '../functions/adapters/aws/dynamodb/DynamoCredentialStore.js';
import { cryptoRandom, systemClock } from '../functions/adapters/system.js';
import { APPROVER_GROUP, ROLES, type Role } from '../functions/core/team/roles.js';
import { CSV_ENCODINGS, type CsvEncoding, csvCustomerRecords } from '../functions/adapters/csv/csvCustomerRecords.js';
import { whyUnreadable } from '../functions/adapters/importFileReaders.js';
import { type CsvMapping, csvMappingSchema } from '../functions/core/imports/csvMapping.js';
import type { ImportReport } from '../functions/core/imports/importCustomers.js';
import { repeatedCustomers } from '../functions/core/imports/importJobs.js';
import { emptyPinpointTally, type PinpointEndpointTally } from '../functions/core/imports/pinpointEndpoints.js';
import { pinpointEndpointRecords } from '../functions/adapters/pinpoint/pinpointEndpointRecords.js';
import {
  ImportRefused,
  type PostImportOptions,
  postImport,
  type UploadImportOptions,
  uploadImport,
} from './postImport.js';
import type { ImportedCustomer, RefusedRecord } from '../functions/core/imports/importedCustomer.js';

const packageFile = new URL('../package.json', import.meta.url);
const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string };
const program = new Command('retain')
  .description('Retain: serverless CRM marketing automation')
  .version(version, '-V, --version', 'print the version of this retain');

const adminToken = program.command('admin-token').description('admin tokens for the admin API');
/** `--role`: one of the roles, named in the error otherwise. */
function roleOption(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`a role is one of ${ROLES.join(', ')}`);
  }
  return value as Role;
}

/** `--expires`: a date or an instant in the future, as the API takes it. */
function expiryOption(value: string): string {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InvalidArgumentError('give a date (2027-06-30) or an ISO instant');
  if (at <= Date.now()) throw new InvalidArgumentError('the token would be expired already: give a future date');
  return new Date(at).toISOString();
}

type GrantOptions = { name: string; role: Role; expires?: string; approver?: boolean };

const withGrant = (command: Command, defaultName: string) =>
  command
    .option('--name <name>', 'a label to tell tokens apart', defaultName)
    .option('--role <role>', `what the token may do: ${ROLES.join(', ')}`, roleOption, 'owner' as Role)
    .option('--expires <date>', 'refuse the token from this date or instant on', expiryOption)
    .option('--approver', 'may decide approvals whatever its role');

withGrant(
  adminToken
    .command('create')
    .description(
      'issue an admin token straight into the Config table (printed once; only its hash is stored), e.g. the first owner after `cdk deploy`',
    )
    .requiredOption('--table <name>', 'the Config table (stack output ConfigTableName)'),
  'cli',
)
  .option('--region <region>', 'AWS region (default: your AWS configuration)')
  .option('--endpoint <url>', 'a DynamoDB endpoint other than AWS (DynamoDB Local)')
  .action(async (options: GrantOptions & { table: string; region?: string; endpoint?: string }) => {
    const client = createDocumentClient({
      region: options.region ?? (options.endpoint ? 'local' : undefined),
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    const credentials = new DynamoCredentialStore(client, options.table);
    const { credential, secret } = await issueCredential(
      'admin-token',
      options.name,
      { credentials, random: cryptoRandom, clock: systemClock },
      { role: options.role, expiresAt: options.expires, approver: options.approver },
    );
    console.log(`admin token ${credential.id} (${credential.name}, ${credential.role}): ${secret}`);
    console.log('Keep it now: Retain stores only its hash. Use it as "Authorization: Bearer <token>".');
    client.destroy();
  });

const person = program
  .command('person')
  .description('people who sign in to the console (the stack’s Cognito user pool)');

person
  .command('add <email>')
  .description(
    'invite a person to the team: Cognito e-mails a temporary password; they set theirs and an authenticator app at first sign-in (e.g. the first owner after `cdk deploy`)',
  )
  .requiredOption('--user-pool <id>', 'the user pool (stack output TeamUserPoolId)')
  .option('--role <role>', `what they may do: ${ROLES.join(', ')}`, roleOption, 'owner' as Role)
  .option('--approver', 'may decide approvals whatever the role')
  .option('--region <region>', 'AWS region (default: the user pool id’s)')
  .action(async (email: string, options: { userPool: string; role: Role; approver?: boolean; region?: string }) => {
    const address = email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) throw new CliError(`${email} is not an e-mail address`);
    const { AdminAddUserToGroupCommand, AdminCreateUserCommand, CognitoIdentityProviderClient } = await import(
      '@aws-sdk/client-cognito-identity-provider'
    );
    // A pool id starts with its region (ap-northeast-2_AbC123).
    const cognito = new CognitoIdentityProviderClient({ region: options.region ?? options.userPool.split('_')[0] });
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: options.userPool,
        Username: address,
        UserAttributes: [
          { Name: 'email', Value: address },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const groups = [options.role, ...(options.approver ? [APPROVER_GROUP] : [])];
    for (const group of groups) {
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: options.userPool, Username: address, GroupName: group }),
      );
    }
    console.log(`invited ${address} (${groups.join(', ')}), Cognito user ${created.User?.Username ?? address}`);
    console.log(
      'They receive a temporary password by e-mail; the console’s “Sign in with your team account” takes it.',
    );
    cognito.destroy();
  });

/** The admin API of a running Retain (local or deployed). */
type Connection = { url: string; token: string };

/** A failure the user can act on: printed as one line, never as a stack trace. */
class CliError extends Error {}

/** Where `npm start` listens unless told otherwise: the same PORT it reads. */
const defaultUrl = () => `http://127.0.0.1:${process.env.PORT ?? 3000}`;

function connection(options: { url?: string; token?: string }): Connection {
  const url = options.url ?? process.env.RETAIN_URL ?? defaultUrl();
  const token = options.token ?? process.env.RETAIN_ADMIN_TOKEN;
  if (!token) {
    throw new CliError('no admin token: pass --token or set RETAIN_ADMIN_TOKEN (`npm start` prints the local one)');
  }
  return { url: url.replace(/\/$/, ''), token };
}

/** Set by `--json`: scripts get the answer and nothing else. */
let forScripts = false;

/**
 * A report or a refresh over a year of events can take a while and the server reports no progress: past two
 * seconds, a person at a terminal sees how long it has been waiting (on stderr; never in a pipe or under --json).
 */
function showWaiting(what: string): () => void {
  if (forScripts || !process.stdout.isTTY || !process.stderr.isTTY) return () => undefined;
  const started = Date.now();
  const line = () => {
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\r  ${what}: waiting for the answer … ${seconds} s`);
  };
  let ticker: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    line();
    ticker = setInterval(line, 1000);
  }, 2000);
  return () => {
    clearTimeout(delay);
    if (ticker) process.stderr.write('\r\x1b[2K');
    clearInterval(ticker);
  };
}

/** The request, or a sentence saying why it could not be made (nothing listening, a bad URL). */
async function request(
  c: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  let res: Response;
  const done = showWaiting(`${method} ${path.split('?')[0]}`);
  try {
    res = await fetch(`${c.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') {
      throw new CliError(
        `nothing answers at ${c.url}: is Retain running (\`npm start\`)? Otherwise pass --url or set RETAIN_URL`,
      );
    }
    throw new CliError(`cannot reach ${c.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  } finally {
    done();
  }
  const text = await res.text();
  if (res.status === 401) {
    throw new CliError(`${c.url} wants an admin token and got none: pass --token or set RETAIN_ADMIN_TOKEN`);
  }
  if (res.status === 403) {
    const reason = parseBody(text)?.error?.message;
    throw new CliError(
      reason
        ? `${c.url} refused: ${reason}`
        : `${c.url} does not know this admin token: check --token or RETAIN_ADMIN_TOKEN ` +
            '(locally, the one `npm start` printed or was given)',
    );
  }
  return { status: res.status, text };
}

function parseBody(text: string): any {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

async function call(
  c: Connection,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const { status, text } = await request(c, method, path, body);
  return { status, body: parseBody(text) };
}

/** The error message of an answer that is not a success. */
const errorOf = (res: { status: number; body: any }) => res.body?.error?.message ?? `the API answered ${res.status}`;

function readJson(path: string): any {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(`${path}: ${missing ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

function fail(message: string): never {
  throw new CliError(message);
}

/** `--json`: the API's answer as it came, for scripts. */
const printJson = (body: unknown) => console.log(JSON.stringify(body, null, 2));

const journeys = program.command('journeys').description('journeys as code: keep the JSON in git, apply it here');
const withConnection = (command: Command) =>
  command
    .option('--url <url>', 'Retain API URL (default $RETAIN_URL, else http://127.0.0.1:$PORT as `npm start` listens)')
    .option('--token <token>', 'admin token (default $RETAIN_ADMIN_TOKEN)');

/** Creates the journey, or saves it as a new version when its id exists; fails naming the file. */
async function saveJourney(c: Connection, definition: { id: string }, file: string) {
  const path = `/admin/v1/journeys/${encodeURIComponent(definition.id)}`;
  const exists = (await call(c, 'GET', path)).status === 200;
  const saved = exists
    ? await call(c, 'PUT', path, definition)
    : await call(c, 'POST', '/admin/v1/journeys', definition);
  if (saved.status >= 400) fail(`${file}: ${errorOf(saved)}`);
  return saved;
}

withConnection(journeys.command('apply'))
  .description('create the journey, or save its file as a new version if it exists')
  .requiredOption('-f, --file <path>', 'journey definition (JSON)')
  .option('--activate', 'make the new version live (after the content checklist passes)')
  .option('--force <reason>', 'activate although the checklist fails, for the reason given')
  .action(async (options: { file: string; activate?: boolean; force?: string; url?: string; token?: string }) => {
    const c = connection(options);
    const definition = readJson(options.file);
    if (typeof definition?.id !== 'string') fail(`${options.file}: a journey needs an "id"`);
    const saved = await saveJourney(c, definition, options.file);
    console.log(`${definition.id}: saved version ${saved.body.latestVersion} (${saved.body.status})`);
    if (options.activate) {
      const active = await call(c, 'POST', `/admin/v1/journeys/${encodeURIComponent(definition.id)}/activate`, {
        version: saved.body.latestVersion,
        ...(options.force ? { force: { reason: options.force } } : {}),
      });
      if (active.status >= 400) {
        const items = (active.body?.failing ?? [])
          .map((i: { id: string; summary: string }) => `\n  ✗ ${i.id}: ${i.summary}`)
          .join('');
        fail(`${definition.id}: ${errorOf(active)}${items}`);
      }
      console.log(`${definition.id}: version ${active.body.activeVersion} is live`);
    }
  });

type ReportOptions = {
  journey?: string;
  broadcast?: string;
  from?: string;
  to?: string;
  steps?: string;
  csv?: boolean;
  json?: boolean;
  url?: string;
  token?: string;
};

withConnection(program.command('report'))
  .description(
    'a report as a table: message-funnel, ab-test (with --journey or --broadcast), funnel, retention, repurchase, pareto, revenue-tree, ltv-history, rfm',
  )
  .argument('<name>', 'the report')
  .option('--journey <id>', 'journey (message-funnel, ab-test)')
  .option('--broadcast <id>', 'broadcast (message-funnel, ab-test)')
  .option('--from <day>', 'first day, YYYY-MM-DD')
  .option('--to <day>', 'last day, YYYY-MM-DD')
  .option('--steps <events>', 'funnel steps, comma-separated')
  .option('--csv', 'print CSV instead of a table')
  .option('--json', 'print the report as JSON')
  .action(async (name: string, options: ReportOptions) => {
    const c = connection(options);
    const query = new URLSearchParams();
    if (options.journey) query.set('journeyId', options.journey);
    if (options.broadcast) query.set('broadcastId', options.broadcast);
    if (options.from) query.set('from', options.from);
    if (options.to) query.set('to', options.to);
    if (options.steps) query.set('steps', options.steps);
    if (options.csv) query.set('format', 'csv');
    const { status, text } = await request(c, 'GET', `/admin/v1/reports/${encodeURIComponent(name)}?${query}`);
    if (status >= 400) fail(`report ${name}: ${errorOf({ status, body: parseBody(text) })}`);
    if (options.csv) return void process.stdout.write(text);
    const body = parseBody(text);
    if (options.json) return printJson(body);
    const table =
      body.lines ??
      body.arms ??
      body.segments?.flatMap((s: any) => (s.steps ? s.steps.map((x: any) => ({ segment: s.segment, ...x })) : [s])) ??
      body.cohorts ??
      body.periods ??
      body.curve ??
      body.daysBetweenOrders;
    if (body.verdict) console.log(body.verdict);
    if (body.top20Share !== undefined)
      console.log(`top 20 % of buyers: ${Math.round(body.top20Share * 100)} % of revenue`);
    if (body.repurchaseRate !== undefined)
      console.log(
        `repurchase rate: ${body.repurchaseRate}; median days between orders: ${body.medianDaysBetweenOrders}`,
      );
    console.table(
      (table ?? []).map((row: any) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
        ),
      ),
    );
    for (const [term, meaning] of Object.entries(body.definitions ?? {})) console.log(`${term}: ${meaning}`);
  });

const analytics = program.command('analytics').description('the analytics layer');
withConnection(analytics.command('refresh'))
  .description(
    'fit the CLV models and RFM thresholds on the archive now and write predictions, RFM and lifecycle to profiles',
  )
  .action(async (options: { url?: string; token?: string }) => {
    const res = await call(connection(options), 'POST', '/admin/v1/analytics/refresh');
    if (res.status >= 400) fail(errorOf(res));
    const body = res.body;
    console.log(`${body.buyers} buyers, ${body.profilesUpdated} profiles updated${body.note ? ` (${body.note})` : ''}`);
    if (body.model)
      console.log(`BG/NBD ${JSON.stringify(body.model.purchases)}; Gamma-Gamma ${JSON.stringify(body.model.spend)}`);
  });

withConnection(journeys.command('list'))
  .description('every journey with its status and versions')
  .option('--json', 'print the journeys as JSON')
  .action(async (options: { json?: boolean; url?: string; token?: string }) => {
    const res = await call(connection(options), 'GET', '/admin/v1/journeys');
    if (res.status >= 400) fail(errorOf(res));
    const body = res.body;
    if (options.json) return printJson(body);
    console.table(
      body.journeys.map(
        (j: { id: string; name: string; status: string; activeVersion?: number; latestVersion: number }) => ({
          id: j.id,
          name: j.name,
          status: j.status,
          live: j.activeVersion ?? '-',
          latest: j.latestVersion,
        }),
      ),
    );
  });

withConnection(journeys.command('simulate <id>'))
  .description('run the journey for one customer over timed events; nothing is sent')
  .requiredOption(
    '-f, --file <path>',
    'simulation input (JSON: start, events[{at, event, properties}], optional userId, traits)',
  )
  .option('--json', 'print the simulation as JSON')
  .action(async (id: string, options: { file: string; json?: boolean; url?: string; token?: string }) => {
    const input = readJson(options.file);
    const res = await call(connection(options), 'POST', `/admin/v1/journeys/${encodeURIComponent(id)}/simulate`, input);
    if (res.status >= 400) fail(`${id}: ${errorOf(res)}`);
    const body = res.body;
    if (options.json) return printJson(body);
    console.log(
      `${body.journeyId} v${body.version}: ${body.entered ? body.status : 'does not enter'}${body.endReason ? ` (${body.endReason})` : ''}`,
    );
    for (const step of body.steps) console.log(`  ${step.at}  ${step.type.padEnd(15)} ${step.step}`);
    for (const send of body.sends)
      console.log(`  send ${send.at}  ${send.channel} ${send.template}${send.variant ? ` [${send.variant}]` : ''}`);
    if (body.pendingWakeUp) console.log(`  still waiting until ${body.pendingWakeUp}`);
  });

type ListedToken = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  role?: Role;
  expiresAt?: string;
  approver?: boolean;
  rotatedAt?: string;
};

withConnection(adminToken.command('list'))
  .description('every admin token: id, name, role, expiry, the start of its secret (never the secret)')
  .option('--json', 'print the tokens as JSON')
  .action(async (options: { json?: boolean; url?: string; token?: string }) => {
    const res = await call(connection(options), 'GET', '/admin/v1/admin-tokens');
    if (res.status >= 400) fail(errorOf(res));
    const body = res.body;
    if (options.json) return printJson(body);
    console.table(
      body.adminTokens.map((t: ListedToken) => ({
        id: t.id,
        name: t.name,
        // A token from before roles has none and is an owner.
        role: `${t.role ?? 'owner'}${t.approver ? ' (approver)' : ''}`,
        prefix: t.prefix,
        created: t.createdAt,
        expires: t.expiresAt ?? '',
        rotated: t.rotatedAt ?? '',
      })),
    );
  });

withGrant(withConnection(adminToken.command('issue')), 'default')
  .description('issue an admin token through the admin API (printed once), with a role and an optional expiry')
  .action(async (options: GrantOptions & { url?: string; token?: string }) => {
    const res = await call(connection(options), 'POST', '/admin/v1/admin-tokens', {
      name: options.name,
      role: options.role,
      ...(options.expires ? { expiresAt: options.expires } : {}),
      ...(options.approver ? { approver: true } : {}),
    });
    if (res.status >= 400) fail(errorOf(res));
    const issued = res.body as ListedToken & { adminToken: string };
    const expiry = issued.expiresAt ? `, until ${issued.expiresAt}` : '';
    console.log(`admin token ${issued.id} (${issued.name}, ${issued.role}${expiry}): ${issued.adminToken}`);
    console.log('Keep it now: Retain stores only its hash.');
  });

withConnection(adminToken.command('rotate <id>'))
  .description('give an admin token a new secret (printed once), keeping its id, name, role and expiry')
  .action(async (id: string, options: { url?: string; token?: string }) => {
    const res = await call(connection(options), 'POST', `/admin/v1/admin-tokens/${encodeURIComponent(id)}/rotate`);
    if (res.status >= 400) fail(`${id}: ${errorOf(res)}`);
    const rotated = res.body as ListedToken & { adminToken: string };
    console.log(`admin token ${rotated.id} (${rotated.name}) rotated: ${rotated.adminToken}`);
    console.log(
      "The old secret is refused from now on (in AWS, once the authorizer's cache forgets it: up to 6 minutes).",
    );
  });

withConnection(adminToken.command('revoke <id>'))
  .description('revoke an admin token by its id (see `admin-token list`); not the one this command uses')
  .action(async (id: string, options: { url?: string; token?: string }) => {
    const res = await call(connection(options), 'DELETE', `/admin/v1/admin-tokens/${encodeURIComponent(id)}`);
    if (res.status >= 400) fail(`${id}: ${errorOf(res)}`);
    console.log(`admin token ${id} revoked (in AWS, the authorizer's cache may accept it for up to 6 more minutes)`);
  });

const importCommand = program.command('import').description('bring customers and journeys from elsewhere');

withConnection(importCommand.command('pinpoint-journey <file>'))
  .description('convert an Amazon Pinpoint journey (GetJourney JSON) into a draft Retain journey, with a report')
  .option('--out <path>', 'write the converted journey definition here')
  .option('--apply', 'save it through the admin API as a draft (never activated)')
  .option('--json', 'print the report and the definition as JSON')
  .action(
    async (file: string, options: { out?: string; apply?: boolean; json?: boolean; url?: string; token?: string }) => {
      let conversion: PinpointJourneyConversion;
      try {
        conversion = convertPinpointJourney(readJson(file));
      } catch (error) {
        if (error instanceof PinpointJourneyError) fail(`${file}: ${error.message}`);
        throw error;
      }
      const { definition, report } = conversion;
      if (options.out) writeFileSync(options.out, `${JSON.stringify(definition, null, 2)}\n`);
      const saved = options.apply ? await saveJourney(connection(options), definition, file) : undefined;
      if (options.json) return printJson({ report, definition, saved: saved?.body });
      console.log(`${report.journey.name} → journey ${definition.id} (draft)`);
      for (const a of report.activities) {
        const mark = a.outcome === 'mapped' ? '✓' : a.outcome === 'approximated' ? '≈' : '✗';
        console.log(
          `  ${mark} ${a.id} (${a.kind}) ${a.steps.length ? `→ ${a.steps.join(', ')}` : 'left out'}${a.note ? `: ${a.note}` : ''}`,
        );
      }
      if (report.templates.length) {
        console.log('Recreate these templates:');
        for (const t of report.templates)
          console.log(`  ${t.id} (${t.channel}) from Pinpoint template ${t.pinpointName}`);
      }
      if (report.segments.length) console.log(`Recreate these segments: ${report.segments.join(', ')}`);
      const settings = report.proposedSettings;
      if (settings.quietHours || settings.caps?.length) console.log(`Proposed settings: ${JSON.stringify(settings)}`);
      for (const note of report.notes) console.log(`Note: ${note}`);
      if (options.out) console.log(`wrote ${options.out}`);
      if (saved) console.log(`${definition.id}: saved version ${saved.body.latestVersion} (${saved.body.status})`);
    },
  );

type ImportCustomersOptions = {
  map?: string;
  dryRun?: boolean;
  encoding: string;
  triggerJourneys?: boolean;
  json?: boolean;
  upload?: boolean;
  url?: string;
  token?: string;
};

withConnection(importCommand.command('customers <file>'))
  .description('import customers from a CSV file (UTF-8, with or without BOM, or EUC-KR), with a report')
  .option('--map <mapping.json>', 'which column holds what (default: guessed from the headers)')
  .option('--dry-run', 'report what would change; write nothing')
  .option('--encoding <encoding>', `${CSV_ENCODINGS.join(', ')}`, 'auto')
  .option('--trigger-journeys', 'send each changed customer through the journeys as an identify')
  .option('--json', 'print the job and its report as JSON')
  .option('--upload', 'upload the whole file for the import worker to read (a presigned S3 URL in AWS)')
  .action(async (file: string, options: ImportCustomersOptions) => {
    if (!(CSV_ENCODINGS as readonly string[]).includes(options.encoding))
      fail(`--encoding ${options.encoding}: use ${CSV_ENCODINGS.join(', ')}`);
    let mapping: CsvMapping | undefined;
    if (options.map) {
      const parsed = csvMappingSchema.safeParse(readJson(options.map));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        fail(`${options.map}: ${issue.path.join('.') || 'the mapping'}: ${issue.message}`);
      }
      mapping = parsed.data;
    }
    const c = connection(options);
    const fd = openImportFile(file);
    if (options.upload) {
      const { job, report } = await uploadThrough(c, file, fd, {
        source: 'csv',
        dryRun: options.dryRun === true,
        triggerJourneys: options.triggerJourneys === true,
        mapping,
        encoding: options.encoding,
      });
      if (options.json) return printJson({ job, report });
      return printImportReport(file, job.id, report, job.mapping);
    }
    let used: CsvMapping | undefined;
    const records = csvCustomerRecords(createReadStream('', { fd }), {
      mapping,
      encoding: options.encoding as CsvEncoding,
      onMapping: (m) => {
        used = m;
      },
    });
    const { job, report } = await importThrough(
      c,
      file,
      records,
      {
        source: 'csv',
        dryRun: options.dryRun === true,
        triggerJourneys: options.triggerJourneys === true,
        mapping: () => used,
      },
      () => csvCustomerRecords(createReadStream(file), { mapping, encoding: options.encoding as CsvEncoding }),
    );
    if (options.json) return printJson({ job, report });
    printImportReport(file, job.id, report, used);
  });

/**
 * Posts the file's records with the progress line, and turns a file the reader cannot read (the CSV parser's
 * `CSV_*` errors, zlib's `Z_*` for a broken gzip) or a refused chunk into one sentence naming the file.
 */
async function importThrough(
  c: Connection,
  file: string,
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
  options: Omit<PostImportOptions, 'onProgress' | 'repeated'>,
  /**
   * The file read once more, first: a file broken anywhere is refused before any profile changes, and the
   * customers it lists twice are found so their rows travel together.
   */
  firstRead: () => AsyncIterable<ImportedCustomer | RefusedRecord>,
) {
  const progress = forScripts || !process.stderr.isTTY ? undefined : progressLine();
  try {
    const repeated = await repeatedCustomers(firstRead());
    return await postImport(records, { ...options, repeated, onProgress: progress?.show }, (method, path, body) =>
      call(c, method, path, body),
    );
  } catch (error) {
    const unreadable = whyUnreadable(error);
    if (unreadable) fail(`${file}: ${unreadable}`);
    if (error instanceof ImportRefused) fail(`${file}: ${error.message}`);
    throw error;
  } finally {
    progress?.end();
  }
}

/** Uploads the file whole, with the progress line, and turns a refusal (or a file the worker could not read) into one sentence. */
async function uploadThrough(
  c: Connection,
  file: string,
  fd: number,
  options: Omit<UploadImportOptions, 'onProgress'>,
) {
  const progress = forScripts || !process.stderr.isTTY ? undefined : progressLine();
  try {
    return await uploadImport(
      { size: fstatSync(fd).size, open: () => createReadStream('', { fd }) },
      { ...options, onProgress: progress?.show },
      (method, path, body) => call(c, method, path, body),
    );
  } catch (error) {
    if (error instanceof ImportRefused) fail(`${file}: ${error.message}`);
    throw error;
  } finally {
    progress?.end();
  }
}

/** The file's descriptor, opened before streaming: a stream's open error would surface as an event, not a sentence. */
function openImportFile(file: string): number {
  try {
    if (!statSync(file).isFile()) fail(`${file}: not a file`);
    return openSync(file, 'r');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    fail(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`}`);
  }
}

type ImportPinpointEndpointsOptions = {
  dryRun?: boolean;
  triggerJourneys?: boolean;
  advertising?: string;
  advertisingDate?: string;
  json?: boolean;
  upload?: boolean;
  url?: string;
  token?: string;
};

withConnection(importCommand.command('pinpoint-endpoints <file>'))
  .description('import the customers of an Amazon Pinpoint endpoint export (JSON lines, plain or gzipped)')
  .option('--dry-run', 'report what would change; write nothing')
  .option('--advertising <attribute>', 'the user or endpoint attribute that proves advertising consent (true/false)')
  .option('--advertising-date <attribute>', "the attribute holding that consent's date (default: EffectiveDate)")
  .option('--trigger-journeys', 'send each changed customer through the journeys as an identify')
  .option('--json', 'print the job, its report and the endpoint tally as JSON')
  .option('--upload', 'upload the whole file for the import worker to read (a presigned S3 URL in AWS)')
  .action(async (file: string, options: ImportPinpointEndpointsOptions) => {
    if (options.advertisingDate && !options.advertising) fail('--advertising-date needs --advertising');
    const c = connection(options);
    const fd = openImportFile(file);
    const tally = emptyPinpointTally();
    const advertising = options.advertising
      ? { attribute: options.advertising, dateAttribute: options.advertisingDate }
      : undefined;
    if (options.upload) {
      const { job, report } = await uploadThrough(c, file, fd, {
        source: 'pinpoint',
        dryRun: options.dryRun === true,
        triggerJourneys: options.triggerJourneys === true,
        advertising,
      });
      const endpoints = job.upload?.endpoints ?? tally;
      if (options.json) return printJson({ job, report, endpoints });
      printImportReport(file, job.id, report, undefined, 'line');
      return printPinpointTally(endpoints, options.advertising);
    }
    const records = pinpointEndpointRecords(createReadStream('', { fd }), { tally, advertising });
    const { job, report } = await importThrough(
      c,
      file,
      records,
      {
        source: 'pinpoint',
        dryRun: options.dryRun === true,
        triggerJourneys: options.triggerJourneys === true,
      },
      () => pinpointEndpointRecords(createReadStream(file), { tally: emptyPinpointTally(), advertising }),
    );
    if (options.json) return printJson({ job, report, endpoints: tally });
    printImportReport(file, job.id, report, undefined, 'line');
    printPinpointTally(tally, options.advertising);
  });

function printPinpointTally(t: PinpointEndpointTally, advertising: string | undefined) {
  const n = (v: number) => v.toLocaleString('en-US');
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([type, count]) => `${type} ${n(count)}`)
      .join(', ');
  console.log(`  endpoints: ${n(t.endpoints)} (${list(t.byChannel) || 'none'})`);
  console.log(
    `  inactive (address not imported) ${n(t.inactive)}; OptOut ALL (channel unsubscribed) ${n(t.optedOut)}; ` +
      `without EffectiveDate (consent left unknown) ${n(t.withoutDate)}`,
  );
  console.log(
    `  OptOut NONE: ${n(t.subscribedAdvertisingUnknown)} subscribed to their channel with advertising consent unknown ` +
      '(OptOut NONE is not consent to advertising under Korean law)',
  );
  if (advertising)
    console.log(
      `  advertising consent from ${advertising}: ${n(t.advertisingGranted)} granted, ${n(t.advertisingRefused)} refused`,
    );
  if (Object.keys(t.notDelivered).length > 0)
    console.log(`  channels Retain does not deliver to (traits imported only): ${list(t.notDelivered)}`);
}

/** The progress of an import on stderr, one line rewritten in place. */
function progressLine() {
  const n = (v: number) => v.toLocaleString('en-US');
  let shown = false;
  return {
    show: (r: ImportReport) => {
      shown = true;
      process.stderr.write(
        `\r  rows ${n(r.records)} · accepted ${n(r.accepted)} · refused ${n(r.refusedCount)} · changed ${n(r.changed)}`,
      );
    },
    end: () => {
      if (shown) process.stderr.write('\r\x1b[2K');
    },
  };
}

function printImportReport(
  file: string,
  id: string,
  r: ImportReport,
  mapping: CsvMapping | undefined,
  unit: 'row' | 'line' = 'row',
) {
  const n = (v: number) => v.toLocaleString('en-US');
  const would = r.dryRun ? ' (dry run: nothing written)' : '';
  console.log(`${file}: ${n(r.records)} ${unit}s, import ${id}${would}`);
  if (mapping) {
    const columns = [`userId ← ${mapping.userId}`];
    for (const key of ['email', 'phone', 'timezone', 'locale', 'statedAt'] as const)
      if (mapping[key]) columns.push(`${key} ← ${mapping[key]}`);
    for (const [channel, c] of Object.entries(mapping.consents))
      columns.push(`${channel} consent ← ${c.granted}${c.at ? ` (dated by ${c.at})` : ' (no date column)'}`);
    console.log(`  columns: ${columns.join(', ')}`);
  }
  console.log(
    `  accepted ${n(r.accepted)}, refused ${n(r.refusedCount)}; profiles created ${n(r.created)}, ` +
      `${r.dryRun ? 'would change' : 'changed'} ${n(r.changed)}, unchanged ${n(r.unchanged)}`,
  );
  console.log(
    `  consent: ${n(r.consent.applied)} applied, ${n(r.consent.olderKept)} older than the one on record (kept), ` +
      `${n(r.consent.withoutDate)} without a date (not proof: left unknown)`,
  );
  if (r.journeysTriggered) console.log(`  sent through the journeys: ${n(r.journeysTriggered)}`);
  if (r.refusedCount > 0) {
    console.log(`  refused ${unit}s:`);
    for (const x of r.refused.slice(0, 20))
      console.log(`    ${unit} ${x.record}${x.field ? ` ${x.field}` : ''}: ${x.reason}`);
    if (r.refusedCount > 20) console.log(`    … and ${n(r.refusedCount - 20)} more (--json lists the first 1,000)`);
  }
}

// Commander prints its own usage errors; every other failure becomes one line on stderr and exit code 1.
program.exitOverride();
program.hook('preAction', (_program, action) => {
  forScripts = action.opts().json === true;
});
try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const message = error instanceof CliError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
  console.error(`retain: ${message}`);
  process.exit(1);
}
