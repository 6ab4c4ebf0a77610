// People signing in: the admin authorizer verifies a Cognito access token with aws-jwt-verify (its real verifier,
// primed with this test's JWKS instead of fetching the pool's) and lets the person through with their group's role.
import { generateKeyPairSync, sign } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminAuthorizer, type PersonClaims } from '../../functions/handlers/adminAuthorizer.js';
import { provisionCredential } from '../../functions/core/credentials/issueCredential.js';
import { httpEvent } from '../support/awsEvents.js';
import { freshTables, type TestTables } from '../support/tables.js';

const USER_POOL = 'ap-northeast-2_RetainTeam';
const CLIENT = 'console-client-id';
const ISSUER = `https://cognito-idp.ap-northeast-2.amazonaws.com/${USER_POOL}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An access token as Cognito issues it (RS256, kid, the claims of the Cognito developer guide's example). */
function accessToken(claims: Record<string, unknown>, key = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const body = {
    sub: '5f3c9a1e-0000-4000-8000-00000000abcd',
    iss: ISSUER,
    client_id: CLIENT,
    origin_jti: 'o-1',
    token_use: 'access',
    scope: 'openid email',
    auth_time: now,
    exp: now + 3600,
    iat: now,
    jti: 'j-1',
    username: 'mina@shop.example',
    ...claims,
  };
  const unsigned = `${b64({ kid: 'team-key', alg: 'RS256' })}.${b64(body)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), key).toString('base64url')}`;
}

let t: TestTables;
let authorize: (authorization: string) => ReturnType<ReturnType<typeof createAdminAuthorizer>>;

beforeAll(async () => {
  t = await freshTables();
  const verifier = CognitoJwtVerifier.create({ userPoolId: USER_POOL, tokenUse: 'access', clientId: CLIENT });
  const { kty, n, e } = publicKey.export({ format: 'jwk' });
  verifier.cacheJwks({ keys: [{ kty: kty!, n: n!, e: e!, kid: 'team-key', alg: 'RS256', use: 'sig' }] });
  const handler = createAdminAuthorizer(t.adapters, {
    verify: async (token) => (await verifier.verify(token)) as PersonClaims,
  });
  authorize = (authorization) =>
    handler({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:ap-northeast-2:123456789012:abc123/$default/GET/admin/v1/me',
      identitySource: [authorization],
      routeKey: 'GET /admin/v1/me',
      rawPath: '/admin/v1/me',
      rawQueryString: '',
      headers: { authorization },
      requestContext: httpEvent({ method: 'GET', path: '/admin/v1/me' }).requestContext,
    } as unknown as APIGatewayRequestAuthorizerEventV2);
});

describe('a person signed in through Cognito', () => {
  it('comes through with the role of their group, as a person, named by their user name', async () => {
    expect(await authorize(`Bearer ${accessToken({ 'cognito:groups': ['marketer'] })}`)).toEqual({
      isAuthorized: true,
      context: {
        actorKind: 'person',
        credentialId: '5f3c9a1e-0000-4000-8000-00000000abcd',
        credentialName: 'mina@shop.example',
        role: 'marketer',
        approver: false,
      },
    });
    // Several groups: the first of owner, marketer, privacy, analyst; the approver group adds the flag.
    expect(
      (await authorize(`Bearer ${accessToken({ 'cognito:groups': ['analyst', 'privacy', 'approver'] })}`)).context,
    ).toMatchObject({ role: 'privacy', approver: true });
  });

  it('is refused without a role group, expired, for another client, signed by another key or as an id token', async () => {
    const refused = [
      accessToken({}),
      accessToken({ 'cognito:groups': ['approver'] }),
      accessToken({ 'cognito:groups': ['owner'], exp: Math.floor(Date.now() / 1000) - 60 }),
      accessToken({ 'cognito:groups': ['owner'], client_id: 'someone-elses-app' }),
      accessToken({ 'cognito:groups': ['owner'] }, other.privateKey),
      accessToken({ 'cognito:groups': ['owner'], token_use: 'id' }),
      accessToken({ 'cognito:groups': ['owner'], iss: 'https://cognito-idp.ap-northeast-2.amazonaws.com/other' }),
    ];
    for (const token of refused) expect((await authorize(`Bearer ${token}`)).isAuthorized).toBe(false);
  });

  it('leaves API tokens working beside people, and refuses a JWT where no user pool is configured', async () => {
    await provisionCredential('admin-token', 'ci', 'rat_person-test', t.adapters);
    expect((await authorize('Bearer rat_person-test')).context).toMatchObject({ actorKind: 'token', role: 'owner' });
    const tokensOnly = createAdminAuthorizer(t.adapters);
    const token = accessToken({ 'cognito:groups': ['owner'] });
    const event = { headers: { authorization: `Bearer ${token}` } } as unknown as APIGatewayRequestAuthorizerEventV2;
    expect((await tokensOnly(event)).isAuthorized).toBe(false);
  });
});
