import { beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { credentialFor, hashSecret } from '../../functions/core/credentials/credential.js';
import { statePartitionOf } from '../../functions/adapters/aws/dynamodb/DynamoUserStateStore.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

describe('DynamoCredentialStore', () => {
  it('finds a credential by the hash of its secret, lists by kind, deletes by id', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const key = credentialFor('write-key', { name: 'ios', secret: 'wk_secret-one', id: 'id-1', now });
    const token = credentialFor('admin-token', { name: 'ops', secret: 'rat_secret-two', id: 'id-2', now });
    await t.adapters.credentials.create(key);
    await t.adapters.credentials.create(token);
    expect(await t.adapters.credentials.findByHash(hashSecret('wk_secret-one'))).toEqual(key);
    expect((await t.adapters.credentials.list('write-key')).map((c) => c.id)).toEqual(['id-1']);
    expect(await t.adapters.credentials.delete('write-key', 'id-2')).toBe(false);
    expect(await t.adapters.credentials.delete('write-key', 'id-1')).toBe(true);
    expect(await t.adapters.credentials.findByHash(hashSecret('wk_secret-one'))).toBeUndefined();
  });

  it('never stores the secret itself', async () => {
    const key = credentialFor('write-key', {
      name: 'web',
      secret: 'wk_plain-text-secret',
      id: 'id-3',
      now: new Date(),
    });
    await t.adapters.credentials.create(key);
    const [stored] = await t.adapters.credentials.list('write-key');
    expect(JSON.stringify(stored)).not.toContain('plain-text-secret');
  });
});

describe('DynamoIngestErrorLog', () => {
  it('lists the most recent rejections first across its partitions', async () => {
    for (let i = 0; i < 12; i++) {
      await t.adapters.ingestErrors.record([
        {
          receivedAt: new Date(Date.UTC(2026, 10, 23, 0, i)).toISOString(),
          path: '/v1/batch',
          index: i,
          error: `e${i}`,
        },
      ]);
    }
    const recent = await t.adapters.ingestErrors.listRecent(3);
    expect(recent.map((e) => e.error)).toEqual(['e11', 'e10', 'e9']);
  });
});

describe('DynamoUserStateStore', () => {
  it("deletes every item of a customer's partition and nobody else's", async () => {
    for (const sk of ['ji#1', 'cap#day', 'msg#1']) {
      await t.adapters.client.send(
        new PutCommand({ TableName: t.tables.state, Item: { pk: statePartitionOf('u:erase-me'), sk } }),
      );
    }
    await t.adapters.client.send(
      new PutCommand({ TableName: t.tables.state, Item: { pk: statePartitionOf('u:keep-me'), sk: 'ji#1' } }),
    );
    expect(await t.adapters.userState.deleteAll('u:erase-me')).toBe(3);
    expect(await t.adapters.userState.deleteAll('u:keep-me')).toBe(1);
  });
});
