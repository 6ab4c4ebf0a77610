// The console in AWS: console/dist in a private bucket behind CloudFront (HTTPS, security headers, access logs).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { defaultConsoleDist } from '../functions/local/consoleAssets.js';
import type { PublicApi } from './PublicApi.js';
import type { ConsoleSignIn } from './TeamSignIn.js';

export type ConsoleHostingProps = {
  api: PublicApi;
  /** The built console; console/dist of this checkout unless told. */
  distDir?: string;
  /** Where people sign in (the hosted Cognito pages); without it the console asks for an API token only. */
  signIn?: ConsoleSignIn;
};

/** The console's base path (console/vite.config.ts `base`): the same URLs as the local runtime serves. */
const PREFIX = 'console/';

export class ConsoleHosting extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** Where a marketer opens the console. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const distDir = props.distDir ?? defaultConsoleDist;
    if (!existsSync(join(distDir, 'index.html'))) {
      throw new Error(
        `the console is not built (no ${join(distDir, 'index.html')}): run \`npm run console:build\`, then synthesize again`,
      );
    }

    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the bucket must accept object-writer ACLs.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This bucket receives the console bucket's and CloudFront's access logs; logging it would recurse.",
    });
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // Every object is a build output: a deploy puts them back, so nothing is lost with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // The API's origin: the console calls it cross-origin, so the policy must let it connect there.
    const apiOrigin = props.api.httpApi.apiEndpoint;
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Retain console: HSTS, CSP, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            // Sign-in reads the pool's discovery document and exchanges the code at the hosted domain.
            `connect-src 'self' ${apiOrigin}${props.signIn ? ` ${props.signIn.authority.replace(/\/[^/]+$/, '')} ${props.signIn.domain}` : ''}`,
            "img-src 'self' data:",
            "style-src 'self' 'unsafe-inline'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const index = `/${PREFIX}index.html`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Retain console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
      // The app routes in the browser: a path with no object (S3 answers 403 through OAC) gets index.html.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: index,
        ttl: Duration.seconds(0),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a minimum ' +
        'of TLSv1.2_2021 needs a custom domain and certificate, which a deployment adds with its own domain.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Marketers open the console from wherever they work; access is guarded by the admin token, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The console is static files; every API call it makes is authorised by the admin API, which is where a WAF belongs.',
    });

    // The deployment Lambda gets a role of its own with only its log group, instead of the managed basic role.
    const deployLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployRole = new Role(this, 'DeploymentRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Retain console: copies console/dist into the console bucket at deploy',
    });
    deployRole.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [deployLogs.logGroupArn, `${deployLogs.logGroupArn}:*`],
      }),
    );
    new BucketDeployment(this, 'Deployment', {
      sources: [
        Source.asset(distDir),
        // What the console reads at start (functions/local/consoleAssets.ts writes the same file locally).
        Source.jsonData('config.json', {
          apiUrl: apiOrigin,
          local: false,
          ...(props.signIn ? { signIn: props.signIn } : {}),
        }),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: PREFIX,
      // A new build shows at once: CloudFront forgets the old files.
      distribution: this.distribution,
      distributionPaths: [`/${PREFIX}*`],
      role: deployRole,
      logGroup: deployLogs,
      memoryLimit: 512,
    });
    // cdk-nag names each finding by the action or the resource as it renders it (logical ids as <Id.Arn>).
    const stack = Stack.of(this);
    const arnOf = (resource: CfnResource) => `<${stack.resolve(stack.getLogicalId(resource)) as string}.Arn>`;
    const grants = [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::${arnOf(this.bucket.node.defaultChild as CfnResource)}/*`,
      `Resource::${arnOf(deployLogs.node.defaultChild as CfnResource)}:*`,
      // cloudfront:CreateInvalidation and GetInvalidation have no resource narrower than every distribution.
      'Resource::*',
    ];
    for (const finding of grants) {
      Validations.of(deployRole).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          "BucketDeployment's own grants: read of the CDK asset objects, write and prune of every object in the " +
          "console bucket (hashed file names change each build), its log streams, and the distribution's invalidation.",
      });
    }
    // The custom resource's Lambda is a singleton at stack level, not a child of the deployment.
    const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'The BucketDeployment custom resource chooses its own Python runtime; it runs only at deploy.',
      });
    }
    this.url = `https://${this.distribution.distributionDomainName}/${PREFIX}`;
  }
}
