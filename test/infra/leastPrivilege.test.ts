import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRetainApp } from '../support/retainApp.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

describe('RetainStack queues and secrets', () => {
  let resources: Resources;
  beforeAll(() => {
    const { stack } = buildRetainApp();
    resources = Template.fromStack(stack).toJSON().Resources as Resources;
  }, 300_000);

  it('hides an SQS message for at least six function timeouts plus the batching window', () => {
    const mappings = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::EventSourceMapping' &&
        resources[r.Properties.EventSourceArn?.['Fn::GetAtt']?.[0]]?.Type === 'AWS::SQS::Queue',
    );
    expect(mappings.length).toBeGreaterThanOrEqual(6); // steps, four channels, broadcast pages
    for (const mapping of mappings) {
      const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
      const functionId = mapping.Properties.FunctionName.Ref as string;
      const timeout = resources[functionId].Properties.Timeout as number;
      const window = (mapping.Properties.MaximumBatchingWindowInSeconds as number | undefined) ?? 0;
      const visibility = resources[queueId].Properties.VisibilityTimeout as number;
      expect(visibility, `${queueId} consumed by ${functionId}`).toBeGreaterThanOrEqual(6 * timeout + window);
    }
  });

  it('lets the public unsubscribe and provider-report functions read only their own secret', () => {
    const secretIds = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
      .map(([id]) => id);
    const readable = (functionPrefix: string) => {
      const policies = Object.entries(resources).filter(
        ([id, r]) => r.Type === 'AWS::IAM::Policy' && id.includes(functionPrefix),
      );
      const text = JSON.stringify(policies.map(([, r]) => r.Properties.PolicyDocument));
      return secretIds.filter((id) => text.includes(`"${id}"`));
    };
    const unsubscribe = readable('SendersUnsubscribe');
    const reports = readable('SendersProviderReports');
    expect(unsubscribe).toHaveLength(1);
    expect(unsubscribe[0]).toMatch(/Unsubscribe/);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/Messaging/);
    // The senders use all three.
    expect(readable('SendersSendEmail')).toHaveLength(3);
  });
});

describe('RetainStack erasure grants', () => {
  let resources: Resources;
  beforeAll(() => {
    const { stack } = buildRetainApp();
    resources = Template.fromStack(stack).toJSON().Resources as Resources;
  }, 300_000);

  /** Each role policy's statements that name the erased-customer list's objects, by policy id. */
  const onErasedList = () =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([id, r]) =>
        (r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((s) => JSON.stringify(s.Resource).includes('/erased-customers/*'))
          .map((s) => ({ id, actions: [s.Action].flat() })),
      );

  it('lets only the admin function add to the erased-customer list, with PutObject and nothing else', () => {
    const writers = onErasedList().filter((s) => s.actions.some((a) => a !== 's3:GetObject'));
    expect(writers).toHaveLength(1);
    expect(writers[0].id).toMatch(/^AdminApi/);
    expect(writers[0].actions).toEqual(['s3:PutObject']);
  });

  it('lets every function that runs reports read the list it filters by', () => {
    const readers = onErasedList()
      .filter((s) => s.actions.includes('s3:GetObject'))
      .map((s) => s.id);
    expect(readers).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AdminApi/), expect.stringMatching(/Refresh/)]),
    );
  });

  it('lets only the admin function query the profiles by address, and the Profiles table keys only those indexes', () => {
    const onAddressIndexes = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([id, r]) =>
        (r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((s) => /index\/by(Email|Phone)/.test(JSON.stringify(s.Resource)))
          .map((s) => ({ id, actions: [s.Action].flat() })),
      );
    expect(onAddressIndexes.map((s) => s.id)).toEqual([expect.stringMatching(/^AdminApi/)]);
    expect(onAddressIndexes[0].actions).toContain('dynamodb:Query');
    const profiles = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::DynamoDB::Table' &&
        JSON.stringify(r.Properties.GlobalSecondaryIndexes ?? []).includes('byEmail'),
    );
    expect(profiles?.Properties.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({ IndexName: 'byEmail', Projection: { ProjectionType: 'KEYS_ONLY' } }),
      expect.objectContaining({ IndexName: 'byPhone', Projection: { ProjectionType: 'KEYS_ONLY' } }),
    ]);
  });

  it('lets only the nightly archive-erasure job delete archived events, and nothing outside events/', () => {
    const deleting = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([id, r]) =>
        (r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((s) => [s.Action].flat().some((a) => a === 's3:DeleteObject' || a === 's3:*'))
          .map((s) => ({ id, resource: JSON.stringify(s.Resource) })),
      )
      .filter((s) => s.resource.includes('Archive'));
    expect(deleting).toHaveLength(1);
    expect(deleting[0].id).toMatch(/^AnalyticsArchiveErasure/);
    expect(deleting[0].resource).toMatch(/\/events\/\*"/);
    const rule = Object.values(resources).find(
      (r) => r.Type === 'AWS::Events::Rule' && r.Properties.Description?.includes('pending erasures'),
    );
    expect(rule?.Properties.ScheduleExpression).toBe('cron(0 16 * * ? *)');
    expect(rule?.Properties.Targets[0].DeadLetterConfig).toBeDefined();
  });

  it('puts the list in a Glue table beside the events, which the admin function is told the bucket of', () => {
    const tables = Object.values(resources).filter((r) => r.Type === 'AWS::Glue::Table');
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual(['erased_customers', 'events']);
    const admin = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('AdminApiAdminFunction'),
    );
    expect(admin?.[1].Properties.Environment.Variables.ARCHIVE_BUCKET).toBeDefined();
  });
});
