// The console's hosting in AWS: a private bucket behind CloudFront with OAC, HTTPS, security headers and logs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleHosting } from '../../lib/ConsoleHosting.js';
import { PublicApi } from '../../lib/PublicApi.js';
import { buildRetainApp } from '../support/retainApp.js';

describe('ConsoleHosting', () => {
  let template: Template;
  // Synthesis takes a minute on a busy machine (cdk-nag runs in test/infra/stack.test.ts on the same stack).
  beforeAll(() => {
    template = Template.fromStack(buildRetainApp().stack);
  }, 300_000);

  const siteBucket = () => {
    const [id] = Object.entries(template.findResources('AWS::S3::Bucket')).find(
      ([, bucket]) => bucket.Properties.LoggingConfiguration?.LogFilePrefix === 'bucket/',
    )!;
    return id;
  };

  it('keeps the console in a private, encrypted, access-logged bucket readable only by the distribution', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'bucket/', DestinationBucketName: Match.anyValue() },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.anyValue(),
    });
    // OAC: CloudFront signs its requests, and the bucket policy lets only this distribution read.
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteBucket() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves HTTPS only, with security headers, an SPA fallback to index.html and access logs', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
        CustomErrorResponses: [403, 404].map((ErrorCode) => ({
          ErrorCode,
          ResponseCode: 200,
          ResponsePagePath: '/console/index.html',
          ErrorCachingMinTTL: 0,
        })),
        Logging: { Bucket: Match.anyValue(), Prefix: 'cloudfront/' },
      }),
    });
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const security = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, Override: true });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    // The CSP lets the console reach the admin API's origin and the team's sign-in, nothing else outside its own.
    const [, parts] = security.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'] as [string, unknown[]];
    const csp = parts.map((part) => (typeof part === 'string' ? part : '<token>')).join('');
    expect(csp).toContain("default-src 'self'");
    // The API's endpoint is a deploy-time attribute of the HTTP API; the pool's region and domain too.
    expect(csp).toContain(
      "connect-src 'self' <token> https://cognito-idp.<token>.amazonaws.com https://<token>.auth.<token>.amazoncognito.com;",
    );
    expect(JSON.stringify(parts)).toContain('ApiEndpoint');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('publishes console/dist under console/ with a generated config.json naming the API, and invalidates it', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployment.Properties.DestinationBucketKeyPrefix).toBe('console/');
    expect(deployment.Properties.DestinationBucketName).toEqual({ Ref: siteBucket() });
    expect(deployment.Properties.DistributionPaths).toEqual(['/console/*']);
    // Two sources: the build, and config.json whose apiUrl is filled in at deploy (a marker for the API's URL).
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain('HttpApi');
  });

  it('outputs the console URL on the distribution', () => {
    const output = template.findOutputs('ConsoleUrl').ConsoleUrl;
    expect(JSON.stringify(output.Value)).toContain('DomainName');
    expect(JSON.stringify(output.Value)).toContain('/console/');
  });

  it('lets the console call the admin API cross-origin with its bearer token', () => {
    // One HTTP API carries ingest (browser SDKs on any site) and admin: any origin, credentials as a header.
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['*'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type']),
        AllowMethods: Match.arrayWith(['GET', 'POST', 'PUT', 'DELETE']),
      }),
    });
  });

  it('refuses to synthesize without a built console, naming the command to run', () => {
    const stack = new Stack(new App({ outdir: mkdtempSync(join(tmpdir(), 'retain-cdk-')) }), 'NoConsole');
    const api = new PublicApi(stack, 'Api', { rateLimit: 1, burstLimit: 1 });
    const empty = mkdtempSync(join(tmpdir(), 'retain-no-console-'));
    expect(() => new ConsoleHosting(stack, 'Console', { api, distDir: empty })).toThrow(/npm run console:build/);
  });
});
