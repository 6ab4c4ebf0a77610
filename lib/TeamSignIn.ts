// People signing in: a Cognito user pool (groups are the roles), its hosted sign-in, and the console's app client.

import { Aws, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../functions/core/team/roles.js';
import { APPROVER_GROUP } from '../functions/core/team/roles.js';
import { ENV } from '../functions/environment.js';

export type TeamSignInProps = {
  /** `required` (the default): every person sets up an authenticator app at first sign-in. */
  mfa?: 'required' | 'optional';
  /** The hosted sign-in's prefix (`<prefix>.auth.<region>.amazoncognito.com`); default `retain-<account id>`. */
  domainPrefix?: string;
};

/** What the console reads from config.json to send a person to the hosted sign-in. */
export type ConsoleSignIn = { authority: string; clientId: string; domain: string };

export class TeamSignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: TeamSignInProps = {}) {
    super(scope, id);
    const mfa = props.mfa ?? 'required';
    this.userPool = new UserPool(this, 'People', {
      // People are invited by an owner (`retain person add`), never sign themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: mfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection (compromised credentials, risky sign-ins) for the few people who can send to
      // everyone; billed per monthly active person, cents for a team.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: 'The team chose optional MFA at deploy time (context retain:teamMfa=optional).',
      });
    }
    for (const group of [...ROLES, APPROVER_GROUP]) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group === APPROVER_GROUP ? 'May decide approvals whatever the role' : `The Retain role ${group}`,
      });
    }
    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Fn.join('-', ['retain', Aws.ACCOUNT_ID]) },
    });
    this.client = this.userPool.addClient('Console', {
      // A browser app: no secret; the authorization-code flow with PKCE, which Cognito requires of public clients.
      generateSecret: false,
      authFlows: {},
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
  }

  /** The console's address, once it is known: the only place the hosted sign-in returns to. */
  returnTo(consoleUrl: string): void {
    const client = this.client.node.defaultChild as CfnUserPoolClient;
    client.callbackUrLs = [consoleUrl];
    client.logoutUrLs = [consoleUrl];
  }

  get consoleSignIn(): ConsoleSignIn {
    const region = Stack.of(this).region;
    return {
      authority: `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}`,
      clientId: this.client.userPoolClientId,
      domain: this.domain.baseUrl(),
    };
  }

  /** What the admin authorizer verifies people's access tokens against. */
  get environment(): Record<string, string> {
    return { [ENV.TEAM_USER_POOL_ID]: this.userPool.userPoolId, [ENV.TEAM_CLIENT_ID]: this.client.userPoolClientId };
  }
}
