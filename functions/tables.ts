// The DynamoDB tables, defined once: the CDK stack, the adapters and the local runtime all read this.

export type KeyAttribute = { name: string; type: 'S' | 'N' };

export type TableSpec = {
  /** Logical id in the stack and suffix of the table name. */
  id: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Epoch-seconds attribute DynamoDB deletes the item after. */
  timeToLiveAttribute?: string;
  stream?: 'NEW_IMAGE';
  /** `projection` defaults to ALL; KEYS_ONLY where the index only finds keys and the item is read after. */
  globalIndexes?: { name: string; partitionKey: KeyAttribute; sortKey?: KeyAttribute; projection?: 'KEYS_ONLY' }[];
};

export const tableSpecs = {
  events: {
    id: 'Events',
    partitionKey: { name: 'userKey', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    stream: 'NEW_IMAGE',
  },
  profiles: {
    id: 'Profiles',
    partitionKey: { name: 'userKey', type: 'S' },
    // Support finds a customer by the address they give; sparse (only profiles with one), keys only, so a
    // profile write costs one more small index write, not a second copy of the document.
    globalIndexes: [
      { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: 'KEYS_ONLY' },
      { name: 'byPhone', partitionKey: { name: 'phone', type: 'S' }, projection: 'KEYS_ONLY' },
    ],
  },
  state: {
    id: 'State',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
  config: {
    id: 'Config',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
    // Listing one kind (write keys, admin tokens, journeys, templates, segments, broadcasts) without a scan.
    globalIndexes: [{ name: 'byKind', partitionKey: { name: 'kind', type: 'S' }, sortKey: { name: 'id', type: 'S' } }],
  },
  metrics: {
    id: 'Metrics',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
  },
  // Its own table so IAM can make it append-only: the admin API may put and query, never update or delete.
  audit: {
    id: 'Audit',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    timeToLiveAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof tableSpecs;

/** Physical table names, as handed to every Lambda through its environment. */
export type TableNames = Record<TableKey, string>;

/** The environment variable that carries each table's name. */
export const tableEnvVar = {
  events: 'EVENTS_TABLE',
  profiles: 'PROFILES_TABLE',
  state: 'STATE_TABLE',
  config: 'CONFIG_TABLE',
  metrics: 'METRICS_TABLE',
  audit: 'AUDIT_TABLE',
} as const satisfies Record<TableKey, string>;

/** The table names under their variables, as a Lambda's parsed environment holds them. */
export type TableVariables = { [K in TableKey as (typeof tableEnvVar)[K]]: string };

export function tableVariables(tables: TableNames): TableVariables {
  return Object.fromEntries(
    (Object.keys(tableEnvVar) as TableKey[]).map((k) => [tableEnvVar[k], tables[k]]),
  ) as TableVariables;
}

export function tableNamesWithPrefix(prefix: string): TableNames {
  const names = {} as TableNames;
  for (const key of Object.keys(tableSpecs) as TableKey[]) names[key] = `${prefix}${tableSpecs[key].id}`;
  return names;
}
