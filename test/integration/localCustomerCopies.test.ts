import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveRecordOf } from '../../functions/core/analytics/archiveRecord.js';
import { ERASED_FOLDER } from '../../functions/core/analytics/dialect.js';
import { erasedCustomerHash } from '../../functions/core/profiles/erasure.js';
import { DuckDbReportEngine } from '../../functions/adapters/local/DuckDbReportEngine.js';
import { LocalCustomerCopies, mentionsOf } from '../../functions/adapters/local/LocalCustomerCopies.js';
import { LocalEventArchive } from '../../functions/adapters/local/LocalEventArchive.js';
import { LocalOutbox } from '../../functions/adapters/local/LocalOutbox.js';
import { LocalScheduler } from '../../functions/adapters/local/LocalScheduler.js';
import { writeFileAtomically } from '../../functions/adapters/local/writeFileAtomically.js';
import { storedEvent } from '../unit/builders.js';
import { fixedClock } from '../support/tables.js';

const kim = {
  userKeys: ['u:kim' as const, 'a:kim-phone' as const],
  emails: ['kim@example.com'],
  phones: ['+821077778888'],
};

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'retain-copies-'));
  const clock = fixedClock('2026-11-23T10:00:00.000Z');
  const scheduler = new LocalScheduler(clock, join(dir, 'schedules.json'));
  const outbox = new LocalOutbox(scheduler, clock, join(dir, 'outbox'));
  const archive = new LocalEventArchive(join(dir, 'archive'));
  const copies = new LocalCustomerCopies(join(dir, 'archive'), outbox, scheduler, clock);
  return { dir, scheduler, outbox, archive, copies, engine: new DuckDbReportEngine(join(dir, 'archive')) };
}

const customersIn = async (engine: DuckDbReportEngine) =>
  (await engine.query(`SELECT DISTINCT customer FROM ${engine.dialect.events} ORDER BY customer`)).map(
    (r) => r.customer,
  );

describe('the local copies of a customer, erased', () => {
  it('rewrites the archive, the outbox logs and schedules.json without them, and deletes their e-mails', async () => {
    const { dir, scheduler, outbox, archive, copies, engine } = setUp();
    await archive.append([
      archiveRecordOf(storedEvent({ type: 'track', userId: 'kim', event: 'Signed Up' })),
      archiveRecordOf(storedEvent({ type: 'track', anonymousId: 'kim-phone', event: 'Product Viewed' })),
      archiveRecordOf(storedEvent({ type: 'track', userId: 'lee', event: 'Signed Up', properties: { by: 'kim' } })),
      archiveRecordOf(storedEvent({ type: 'track', userId: 'park', event: 'Signed Up' })),
    ]);
    await outbox.sendSms({ to: '+821077778888', from: '02-1234-5678', text: 'hi', type: 'SMS' } as never);
    await outbox.sendSms({ to: '+821055556666', from: '02-1234-5678', text: 'hi', type: 'SMS' } as never);
    await outbox.send({
      to: 'kim@example.com',
      from: 'shop@example.com',
      subject: 'Hi',
      html: '<p>hi</p>',
      messageRef: 'r1',
    } as never);
    await outbox.send({
      to: 'lee@example.com',
      from: 'shop@example.com',
      subject: 'Hi',
      html: '<p>hi</p>',
      messageRef: 'r2',
    } as never);
    await scheduler.schedule({
      userKey: 'u:kim',
      journeyId: 'j',
      instanceId: 'i1',
      token: 1,
      at: '2026-11-25T10:00:00.000Z',
    });
    await scheduler.schedule({
      userKey: 'u:lee',
      journeyId: 'j',
      instanceId: 'i2',
      token: 1,
      at: '2026-11-25T10:00:00.000Z',
    });
    expect(await customersIn(engine)).toEqual(['a:kim-phone', 'u:kim', 'u:lee', 'u:park']);

    const steps = await copies.erase(kim);

    expect(Object.fromEntries(steps.map((s) => [s.where, s.removed]))).toMatchObject({
      'erased-customer list (hashed keys)': 2,
      // Lee's event names "kim" only as a property value, not in a key column: it stays Lee's.
      'archive/events': 2,
      'outbox/sms.ndjson': 1,
      'outbox/email': 1,
      'schedules.json': 1,
    });
    expect(await customersIn(engine)).toEqual(['u:lee', 'u:park']);
    expect(readFileSync(join(dir, 'outbox', 'sms.ndjson'), 'utf8')).not.toContain('77778888');
    expect(readdirSync(join(dir, 'outbox', 'email'))).toHaveLength(1);
    expect(outbox.emails.map((e) => e.to)).toEqual(['lee@example.com']);
    expect(readFileSync(join(dir, 'schedules.json'), 'utf8')).not.toContain('u:kim');
    expect(scheduler.size).toBe(1);
    expect(readFileSync(join(dir, 'archive', ERASED_FOLDER, 'erased.ndjson'), 'utf8')).not.toContain('kim');

    // Erasing again lists nobody twice and finds nothing left.
    const again = await copies.erase(kim);
    expect(again.every((s) => s.removed === 0)).toBe(true);
  });

  it('hides a listed customer from every report at once, even while their rows are still in the archive', async () => {
    const { dir, archive, engine } = setUp();
    await archive.append([
      archiveRecordOf(storedEvent({ type: 'track', userId: 'kim', event: 'Signed Up' })),
      archiveRecordOf(storedEvent({ type: 'track', userId: 'lee', event: 'Signed Up' })),
    ]);
    expect(await customersIn(engine)).toEqual(['u:kim', 'u:lee']);
    writeFileAtomically(
      join(dir, 'archive', ERASED_FOLDER, 'other.ndjson'),
      `${JSON.stringify({ hash: erasedCustomerHash('u:kim') })}\n`,
    );
    expect(await customersIn(engine)).toEqual(['u:lee']);
    expect(existsSync(join(dir, 'archive', 'events'))).toBe(true);
  });

  it('matches keys as whole values and addresses anywhere, so a userId that is part of another is not taken', () => {
    const mentions = mentionsOf(kim);
    expect(mentions('{"customer":"u:kim"}')).toBe(true);
    expect(mentions('{"properties":"{\\"ref\\":\\"u:kim\\"}"}')).toBe(true);
    expect(mentions('To: Kim <kim@example.com>')).toBe(true);
    expect(mentions('{"to":"01077778888"}')).toBe(true);
    expect(mentions('{"customer":"u:kimberly"}')).toBe(false);
  });
});
