// The local runtime's stand-in for the imports bucket: an upload URL on the runtime itself, signed and expiring
// as a presigned S3 URL does, the file kept in a folder until the import-file worker has read it.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { S3Event } from 'aws-lambda';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ImportFiles } from '../../core/imports/importJobs.js';
import type { Clock } from '../../core/system/ports.js';

export const UPLOAD_PREFIX = '/_local/imports/';

export type UploadAnswer = { status: number; headers: Record<string, string>; body: Buffer };

export class LocalImportFiles implements ImportFiles {
  /** The runtime's origin, known once it listens. */
  baseUrl = 'http://127.0.0.1:3000';
  /** Told of each file stored, as S3 notifies the import-file queue. */
  onUploaded: (jobId: string) => void = () => undefined;

  constructor(
    private readonly dir: string,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async uploadUrl(jobId: string, expiresAt: Date): Promise<string> {
    const expires = String(expiresAt.getTime());
    const signature = this.sign(jobId, expires);
    return `${this.baseUrl}${UPLOAD_PREFIX}${encodeURIComponent(jobId)}?expires=${expires}&signature=${signature}`;
  }

  async *read(jobId: string): AsyncIterable<Uint8Array> {
    yield* createReadStream(this.file(jobId));
  }

  async remove(jobId: string): Promise<void> {
    await rm(this.file(jobId), { force: true });
  }

  /**
   * Answers `PUT /_local/imports/<jobId>?expires=&signature=` as S3 answers a presigned PUT: 403 when the
   * signature is wrong or the URL has expired, else the body streamed to the folder and 200. Undefined for
   * paths outside the prefix.
   */
  async accept(method: string, url: URL, req: IncomingMessage): Promise<UploadAnswer | undefined> {
    if (!url.pathname.startsWith(UPLOAD_PREFIX)) return undefined;
    const jobId = decodeURIComponent(url.pathname.slice(UPLOAD_PREFIX.length));
    const expires = url.searchParams.get('expires') ?? '';
    const given = Buffer.from(url.searchParams.get('signature') ?? '');
    const wanted = Buffer.from(this.sign(jobId, expires));
    const signed = given.length === wanted.length && timingSafeEqual(given, wanted);
    if (method !== 'PUT' || !signed || !/^[\w-]+$/.test(jobId))
      return answer(403, 'the upload URL is not valid for this request');
    if (Number(expires) < this.clock.now().getTime()) return answer(403, 'the upload URL has expired');
    await pipeline(req, createWriteStream(this.file(jobId)));
    this.onUploaded(jobId);
    return answer(200, '');
  }

  private file(jobId: string): string {
    return join(this.dir, jobId);
  }

  private sign(jobId: string, expires: string): string {
    return createHmac('sha256', this.secret).update(`${jobId}\n${expires}`).digest('base64url');
  }
}

/** What S3 puts on the import-file queue when an object is created under the key. */
export function s3Notification(key: string, at = new Date()): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'local',
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'import-files',
          bucket: { name: 'retain-imports-local', ownerIdentity: { principalId: 'local' }, arn: 'arn:aws:s3:::local' },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 0, eTag: '', sequencer: '0' },
        },
      },
    ],
  };
}

function answer(status: number, message: string): UploadAnswer {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(message) };
}
