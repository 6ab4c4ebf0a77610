// Uploaded import files in S3: a presigned PUT URL per job under `imports/<jobId>`, read once, then deleted.

import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from '../../core/system/ports.js';
import type { ImportFiles } from '../../core/imports/importJobs.js';

/** The key prefix the bucket's notification watches; the job id is the rest of the key. */
export const IMPORT_FILE_PREFIX = 'imports/';

export const importFileKey = (jobId: string) => `${IMPORT_FILE_PREFIX}${jobId}`;

/** The job an uploaded object belongs to, or undefined for a key outside the prefix. */
export function jobOfKey(key: string): string | undefined {
  // S3 notifications URL-encode the key, spaces as '+'.
  const decoded = decodeURIComponent(key.replace(/\+/g, ' '));
  return decoded.startsWith(IMPORT_FILE_PREFIX) && decoded.length > IMPORT_FILE_PREFIX.length
    ? decoded.slice(IMPORT_FILE_PREFIX.length)
    : undefined;
}

export class S3ImportFiles implements ImportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async uploadUrl(jobId: string, expiresAt: Date): Promise<string> {
    const expiresIn = Math.max(1, Math.round((expiresAt.getTime() - this.clock.now().getTime()) / 1000));
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: this.bucket, Key: importFileKey(jobId) }), {
      expiresIn,
    });
  }

  async *read(jobId: string): AsyncIterable<Uint8Array> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: importFileKey(jobId) }));
    yield* object.Body as AsyncIterable<Uint8Array>;
  }

  async remove(jobId: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: importFileKey(jobId) }));
  }
}
