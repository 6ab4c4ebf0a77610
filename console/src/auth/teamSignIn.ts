// A person's sign-in through the team's Cognito hosted pages: the authorization-code flow with PKCE, by
// oidc-client-ts (loaded only when the workspace has people, so API-token sign-in carries none of it).
import type { TeamSignInConfig } from '../api/config.js';

const redirectUri = () => `${window.location.origin}${import.meta.env.BASE_URL}`;
/** Set when this tab's session came from the hosted sign-in, so signing out also ends the Cognito session. */
const THROUGH_TEAM_KEY = 'retain.signedInThroughTeam';

async function userManager(config: TeamSignInConfig) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    post_logout_redirect_uri: redirectUri(),
    response_type: 'code',
    scope: 'openid email profile',
    // The PKCE verifier and state live as long as the tab, like the token.
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Sends the browser to the hosted sign-in; it comes back to the console with `?code=&state=`. */
export async function startTeamSignIn(config: TeamSignInConfig): Promise<void> {
  await (await userManager(config)).signinRedirect();
}

/**
 * On the way back from the hosted sign-in: exchanges the code (with the PKCE verifier) for tokens and answers the
 * access token the admin API verifies, or undefined when this load is not a return from sign-in.
 */
export async function finishTeamSignIn(config: TeamSignInConfig | undefined): Promise<string | undefined> {
  const params = new URLSearchParams(window.location.search);
  if (!config || !params.has('code') || !params.has('state')) return undefined;
  const user = await (await userManager(config)).signinRedirectCallback();
  // The code is single-use: keep it out of the history and of a reload.
  window.history.replaceState(null, '', redirectUri());
  window.sessionStorage.setItem(THROUGH_TEAM_KEY, 'yes');
  return user.access_token;
}

/**
 * The hosted UI's logout: it ends the Cognito session and returns to `returnTo`, which must be one of the app
 * client's sign-out URLs (lib/TeamSignIn.ts sets the console's address). Not oidc-client-ts's signoutRedirect:
 * Cognito's discovery document names no end_session_endpoint.
 */
export function teamSignOutUrl(config: TeamSignInConfig, returnTo: string = redirectUri()): string {
  const url = new URL('/logout', config.domain);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('logout_uri', returnTo);
  return url.toString();
}

/**
 * Ends a person's session at Cognito too: without it, the hosted UI's own cookie would sign them straight back in
 * on the next "Sign in". Answers false (and does nothing) when this tab signed in with an API token.
 */
export function endTeamSession(config: TeamSignInConfig | undefined): boolean {
  const store = window.sessionStorage;
  if (!config || !store.getItem(THROUGH_TEAM_KEY)) return false;
  store.removeItem(THROUGH_TEAM_KEY);
  // oidc-client-ts keeps the person's tokens under `oidc.user:<authority>:<client id>`.
  store.removeItem(`oidc.user:${config.authority}:${config.clientId}`);
  window.location.assign(teamSignOutUrl(config));
  return true;
}
