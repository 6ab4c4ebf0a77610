// The few places DuckDB's SQL and Athena's Trino SQL differ, in one module: every report is written once
// against these.

export type SqlDialect = {
  name: 'duckdb' | 'athena';
  /**
   * The archived events as a relation (a file scan locally, the Glue table in AWS), less every customer on the
   * erased-customer list: every report and the nightly refresh read this, so an erasure drops the
   * customer from all of them at once, whatever copy is still on disk.
   */
  events: string;
  /** An ISO 8601 text column as a timestamp. */
  timestamp(column: string): string;
  /** A property of the JSON text column `properties`, as text. */
  property(path: string): string;
  median(expression: string): string;
  /** The value of `value` at the row where `by` is smallest. */
  minBy(value: string, by: string): string;
  /** `ts` plus a number of seconds. */
  plusSeconds(ts: string, seconds: number): string;
  /** Days between two timestamps, fractional. */
  daysBetween(from: string, to: string): string;
  /** A relation with one row per item of its `properties.products` array, and that item's `product_id`. */
  orderedProducts(relation: string): { from: string; productId: string };
};

const jsonPath = (path: string) => `'$.${path.replace(/[^A-Za-z0-9_.]/g, '')}'`;
export const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The erased-customer list: NDJSON files of `{"hash": …}` beside the archived events (locally and in S3). */
export const ERASED_FOLDER = 'erased-customers';
/** Where the archive rewrite for erasures stages its output and keeps its plans, outside `events/`. */
export const ERASURE_STAGING = 'erasure-staging';
/** The Glue table over the list's folder in S3. */
export const ERASED_TABLE = 'erased_customers';

// An anti-join on the customer's hash (see erasedCustomerHash): the list never holds a key in the clear.
const withoutErased = (events: string, erased: string, customerHash: string) =>
  `(SELECT * FROM ${events} WHERE ${customerHash} NOT IN (SELECT hash FROM ${erased}))`;

export function duckdbDialect(archiveDir: string): SqlDialect {
  const columns =
    "{id: 'VARCHAR', customer: 'VARCHAR', user_id: 'VARCHAR', anonymous_id: 'VARCHAR', type: 'VARCHAR', event: 'VARCHAR', ts: 'VARCHAR', received_at: 'VARCHAR', properties: 'VARCHAR', campaign_source: 'VARCHAR', device_type: 'VARCHAR', revenue: 'DOUBLE'}";
  return {
    name: 'duckdb',
    events: withoutErased(
      `read_json(${literal(`${archiveDir}/events/*/*.ndjson`)}, format = 'newline_delimited', hive_partitioning = true, columns = ${columns})`,
      `read_json(${literal(`${archiveDir}/${ERASED_FOLDER}/*.ndjson`)}, format = 'newline_delimited', columns = {hash: 'VARCHAR'})`,
      'sha256(customer)',
    ),
    timestamp: (column) => `CAST(${column} AS TIMESTAMP)`,
    property: (path) => `json_extract_string(properties, ${jsonPath(path)})`,
    median: (e) => `median(${e})`,
    minBy: (value, by) => `arg_min(${value}, ${by})`,
    plusSeconds: (ts, seconds) => `(${ts} + to_seconds(${Math.round(seconds)}))`,
    daysBetween: (from, to) => `(epoch(${to}) - epoch(${from})) / 86400.0`,
    // A wildcard path gives a list of strings, unnested laterally.
    orderedProducts: (relation) => ({
      from: `${relation} CROSS JOIN unnest(json_extract_string(properties, '$.products[*].product_id')) AS item(pid)`,
      productId: 'item.pid',
    }),
  };
}

export function athenaDialect(database: string, table = 'events'): SqlDialect {
  return {
    name: 'athena',
    events: withoutErased(
      `"${database}"."${table}"`,
      `"${database}"."${ERASED_TABLE}"`,
      'lower(to_hex(sha256(to_utf8(customer))))',
    ),
    timestamp: (column) => `from_iso8601_timestamp(${column})`,
    property: (path) => `json_extract_scalar(properties, ${jsonPath(path)})`,
    median: (e) => `approx_percentile(${e}, 0.5)`,
    minBy: (value, by) => `min_by(${value}, ${by})`,
    plusSeconds: (ts, seconds) => `(${ts} + interval '${Math.round(seconds)}' second)`,
    daysBetween: (from, to) => `(to_unixtime(${to}) - to_unixtime(${from})) / 86400.0`,
    orderedProducts: (relation) => ({
      from: `${relation} CROSS JOIN UNNEST(CAST(json_extract(properties, '$.products') AS ARRAY(JSON))) AS item(p)`,
      productId: "json_extract_scalar(item.p, '$.product_id')",
    }),
  };
}
