// The erased-customer list in AWS: one NDJSON object of hashed keys per erasure under `erased-customers/` in the
// archive bucket, the folder of the Glue table that every Athena report anti-joins; the archive itself is
// rewritten by the nightly archive-erasure job, so that step is left pending here.

import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ERASED_FOLDER } from '../../../core/analytics/dialect.js';
import { ARCHIVE_STEP } from '../../../core/profiles/archiveErasure.js';
import { erasedCustomerHash, type ErasedCustomer, type ErasureStep } from '../../../core/profiles/erasure.js';
import type { CustomerCopies, ErasedCustomerList } from '../../../core/profiles/ports.js';
import type { Clock } from '../../../core/system/ports.js';

const objectKey = (erasureId: string) => `${ERASED_FOLDER}/${erasureId}.ndjson`;

export class S3ErasedCustomerList implements CustomerCopies, ErasedCustomerList {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock,
  ) {}

  async erase(customer: ErasedCustomer, erasureId: string): Promise<ErasureStep[]> {
    const lines = customer.userKeys.map((key) => `${JSON.stringify({ hash: erasedCustomerHash(key) })}\n`);
    // One object per erasure, named by its id: a retried erasure overwrites its own object, never another's.
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey(erasureId),
        Body: lines.join(''),
        ContentType: 'application/x-ndjson',
      }),
    );
    const at = this.clock.now().toISOString();
    return [
      { where: 'erased-customer list (hashed keys)', removed: lines.length, at },
      { where: ARCHIVE_STEP, removed: 0, at, pending: true },
    ];
  }

  async hashes(erasureId: string): Promise<string[]> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey(erasureId) }));
    const text = (await object.Body?.transformToString()) ?? '';
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { hash: string }).hash);
  }
}
