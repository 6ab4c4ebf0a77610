// Starts DynamoDB Local (the real engine, shipped as a jar inside an npm package) as a child process.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export type DynamoDbLocal = { endpoint: string; stop(): Promise<void> };

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Java 17 or newer is needed to run DynamoDB Local: install a JDK (Debian/Ubuntu: ' +
        '`apt-get install openjdk-17-jdk-headless`, macOS: `brew install openjdk@17`) and try again.',
    );
  }
}

function emulatorDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

/** Checks that Java runs, and says whether it can launch a source file (a JDK, not only a JRE). */
export function assertJava(): { compiles: boolean } {
  const probe = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
  return { compiles: /^jdk\.compiler@/m.test(probe.stdout) };
}

const loopbackLauncher = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `dataDir` persists the tables there; without it the database lives in memory and dies with the process. */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const { compiles } = assertJava();
  const emulator = emulatorDirectory();
  const port = options.port ?? (await freePort());
  // Absolute, because the jar runs in a scratch directory: `.retain` would otherwise be looked for there.
  const dataDir = options.dataDir && resolve(options.dataDir);
  const storage = dataDir ? ['-dbPath', dataDir] : ['-inMemory'];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // The jar writes dynamodb-local-metadata.json into its working directory: keep it out of the checkout.
  const scratch = mkdtempSync(join(tmpdir(), 'retain-dynamodb-'));
  const library = join(emulator, 'DynamoDBLocal_lib');
  const jar = join(emulator, 'DynamoDBLocal.jar');
  // Loopback only when a JDK can run the launcher; a JRE alone runs the jar, which listens on every interface.
  const program = compiles ? ['-cp', `${jar}:${join(library, '*')}`, loopbackLauncher] : ['-jar', jar];
  const child: ChildProcess = spawn(
    'java',
    [`-Djava.library.path=${library}`, ...program, ...storage, '-sharedDb', '-disableTelemetry', '-port', String(port)],
    // The flag stops the usage reports; the variable also stops the metadata file that identifies this install.
    { cwd: scratch, env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (!compiles) {
    console.warn('DynamoDB Local listens on every interface: install a JDK (javac) to keep it on 127.0.0.1.');
  }
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() - started > 60_000) {
        child.kill();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve(removeScratch());
        child.once('exit', () => resolve(removeScratch()));
        child.kill('SIGTERM');
      }),
  };
}
