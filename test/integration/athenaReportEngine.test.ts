import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AthenaClient } from '@aws-sdk/client-athena';
import { AthenaReportEngine } from '../../functions/adapters/aws/analytics/AthenaReportEngine.js';
import { paretoSql, orderParams } from '../../functions/core/analytics/eventReports.js';

// A stand-in for Athena's JSON API on loopback: it records every request and answers as the service does.
async function fakeAthena(states: string[]) {
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']).replace('AmazonAthena.', '');
      const body = JSON.parse(raw || '{}');
      requests.push({ target, body });
      const reply = (value: unknown) =>
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(value));
      if (target === 'StartQueryExecution') return reply({ QueryExecutionId: 'q-1' });
      if (target === 'GetQueryExecution')
        return reply({ QueryExecution: { QueryExecutionId: 'q-1', Status: { State: states.shift() ?? 'SUCCEEDED' } } });
      const columns = {
        ColumnInfo: [
          { Name: 'percentile', Type: 'integer' },
          { Name: 'revenue', Type: 'double' },
          { Name: 'segment', Type: 'varchar' },
        ],
      };
      if (!body.NextToken) {
        return reply({
          ResultSet: {
            ResultSetMetadata: columns,
            Rows: [
              { Data: [{ VarCharValue: 'percentile' }, { VarCharValue: 'revenue' }, { VarCharValue: 'segment' }] },
              { Data: [{ VarCharValue: '25' }, { VarCharValue: '850.5' }, {}] },
            ],
          },
          NextToken: 'page-2',
        });
      }
      return reply({
        ResultSet: {
          ResultSetMetadata: columns,
          Rows: [{ Data: [{ VarCharValue: '50' }, { VarCharValue: '400' }, { VarCharValue: 'email' }] }],
        },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = new AthenaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'a', secretAccessKey: 's' },
  });
  return { requests, client, close: () => server.close() };
}

describe('Athena report engine', () => {
  it('starts the query in the workgroup and database, polls until it succeeds, reads every page typed', async () => {
    const athena = await fakeAthena(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    const engine = new AthenaReportEngine(athena.client, {
      workGroup: 'retain',
      database: 'retain_analytics',
      pollMs: 1,
    });
    const sql = paretoSql(engine.dialect, orderParams.parse({ from: '2026-01-01', to: '2026-11-30' }));
    const rows = await engine.query(sql);
    expect(rows).toEqual([
      { percentile: 25, revenue: 850.5, segment: null },
      { percentile: 50, revenue: 400, segment: 'email' },
    ]);
    expect(athena.requests.map((r) => r.target)).toEqual([
      'StartQueryExecution',
      'GetQueryExecution',
      'GetQueryExecution',
      'GetQueryExecution',
      'GetQueryResults',
      'GetQueryResults',
    ]);
    // The SDK adds an idempotency token, so a retried start does not run the query twice.
    expect(athena.requests[0].body).toEqual({
      QueryString: sql,
      WorkGroup: 'retain',
      QueryExecutionContext: { Database: 'retain_analytics' },
      ClientRequestToken: expect.any(String),
    });
    expect(athena.requests[5].body).toMatchObject({ QueryExecutionId: 'q-1', NextToken: 'page-2' });
    // Every report leaves out the erased-customer list.
    expect(sql).toContain(
      `FROM (SELECT * FROM "retain_analytics"."events" WHERE lower(to_hex(sha256(to_utf8(customer)))) NOT IN (SELECT hash FROM "retain_analytics"."erased_customers")) WHERE dt BETWEEN`,
    );
    athena.close();
  });

  it("reports a failed query with Athena's reason", async () => {
    const athena = await fakeAthena(['FAILED']);
    const engine = new AthenaReportEngine(athena.client, {
      workGroup: 'retain',
      database: 'retain_analytics',
      pollMs: 1,
    });
    await expect(engine.query('SELECT 1')).rejects.toThrow(/Athena query failed/);
    athena.close();
  });
});
