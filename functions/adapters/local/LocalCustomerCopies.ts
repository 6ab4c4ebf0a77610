// Erasure of the local runtime's copies of a customer: the erased-customer list the reports filter by, the
// archive's NDJSON files, the outbox (e-mail, push, text, delivery requests) and pending messages in schedules.json.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERASED_FOLDER } from '../../core/analytics/dialect.js';
import { erasedCustomerHash, type ErasedCustomer, type ErasureStep } from '../../core/profiles/erasure.js';
import type { CustomerCopies } from '../../core/profiles/ports.js';
import { domesticDigits } from '../../core/profiles/address.js';
import type { Clock } from '../../core/system/ports.js';
import type { LocalOutbox } from './LocalOutbox.js';
import type { LocalScheduler } from './LocalScheduler.js';
import { rewriteLines } from './rewriteLines.js';
import { writeFileAtomically } from './writeFileAtomically.js';

export class LocalCustomerCopies implements CustomerCopies {
  constructor(
    private readonly archiveDir: string,
    private readonly outbox: LocalOutbox,
    private readonly scheduler: LocalScheduler,
    private readonly clock: Clock,
  ) {}

  async erase(customer: ErasedCustomer): Promise<ErasureStep[]> {
    const at = () => this.clock.now().toISOString();
    const mentions = mentionsOf(customer);
    const steps: ErasureStep[] = [];
    // The list first: from here on every report leaves the customer out, whatever is still on disk.
    steps.push({ where: 'erased-customer list (hashed keys)', removed: this.list(customer), at: at() });
    steps.push({ where: 'archive/events', removed: this.rewriteArchive(archiveRowOf(customer)), at: at() });
    for (const { file, removed } of this.outbox.forget(mentions))
      steps.push({ where: `outbox/${file}`, removed, at: at() });
    steps.push({ where: 'schedules.json', removed: this.scheduler.forget(mentions), at: at() });
    return steps;
  }

  private list(customer: ErasedCustomer): number {
    const file = join(this.archiveDir, ERASED_FOLDER, 'erased.ndjson');
    const listed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const added = customer.userKeys
      .map(erasedCustomerHash)
      .filter((hash) => !listed.includes(hash))
      .map((hash) => `${JSON.stringify({ hash })}\n`);
    writeFileAtomically(file, listed + added.join(''));
    return added.length;
  }

  private rewriteArchive(isTheirs: (line: string) => boolean): number {
    const events = join(this.archiveDir, 'events');
    if (!existsSync(events)) return 0;
    let removed = 0;
    for (const day of readdirSync(events))
      for (const part of readdirSync(join(events, day)).filter((n) => n.endsWith('.ndjson')))
        removed += rewriteLines(join(events, day, part), isTheirs);
    return removed;
  }
}

/**
 * Whether an archive row is the customer's: by its key columns (another customer's event that names them in a
 * property stays theirs), or because an address of the customer is anywhere in it.
 */
export function archiveRowOf(customer: ErasedCustomer): (line: string) => boolean {
  const keys = new Set<string>(customer.userKeys);
  const addresses = mentionsOf({ userKeys: [], emails: customer.emails, phones: customer.phones });
  return (line) => {
    const row = JSON.parse(line) as { customer?: string; user_id?: string | null; anonymous_id?: string | null };
    return (
      keys.has(row.customer ?? '') ||
      (row.user_id != null && keys.has(`u:${row.user_id}`)) ||
      (row.anonymous_id != null && keys.has(`a:${row.anonymous_id}`)) ||
      addresses(line)
    );
  };
}

/**
 * Whether a line, a pending message or an .eml names the customer: a key, userId or anonymousId as a whole JSON
 * string (also inside the archive's `properties` text, where its quotes are escaped), or an address anywhere.
 */
export function mentionsOf(customer: ErasedCustomer): (text: string) => boolean {
  const ids = customer.userKeys.flatMap((key) => [key, key.slice(2)]);
  const quoted = ids.flatMap((id) => {
    const json = JSON.stringify(id);
    return [json, JSON.stringify(json).slice(1, -1)];
  });
  const phones = customer.phones.flatMap((p) => [p, domesticDigits(p) ?? p]);
  const plain = [...customer.emails, ...customer.emails.map((e) => e.toLowerCase()), ...phones];
  return (text) => quoted.some((q) => text.includes(q)) || plain.some((a) => text.includes(a));
}
