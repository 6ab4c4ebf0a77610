// The erased-customer list in AWS: one NDJSON object of hashed keys per erasure under `erased-customers/` in the
// archive bucket, the folder of the Glue table that every Athena report anti-joins.

import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ERASED_FOLDER } from '../../../core/analytics/dialect.js';
import { erasedCustomerHash, type ErasedCustomer, type ErasureStep } from '../../../core/profiles/erasure.js';
import type { CustomerCopies } from '../../../core/profiles/ports.js';
import type { Clock } from '../../../core/system/ports.js';

export class S3ErasedCustomerList implements CustomerCopies {
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
        Key: `${ERASED_FOLDER}/${erasureId}.ndjson`,
        Body: lines.join(''),
        ContentType: 'application/x-ndjson',
      }),
    );
    return [{ where: 'erased-customer list (hashed keys)', removed: lines.length, at: this.clock.now().toISOString() }];
  }
}
