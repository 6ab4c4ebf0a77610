// The signed-in session: the admin token (kept in sessionStorage, gone with the tab) and the API client it opens.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { createAdminApi, type AdminApi } from '../api/client.js';
import type { ConsoleConfig } from '../api/config.js';
import { endTeamSession } from './teamSignIn.js';

/** The admin token or a person's access token: either is the Bearer the admin API checks. */
export const SESSION_TOKEN_KEY = 'retain.adminToken';
const TOKEN_KEY = SESSION_TOKEN_KEY;

type Session = {
  config: ConsoleConfig;
  token: string | undefined;
  api: AdminApi | undefined;
  signIn(token: string): void;
  signOut(): void;
};

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ config, children }: { config: ConsoleConfig; children: ReactNode }) {
  const [token, setToken] = useState<string | undefined>(() => sessionStorage.getItem(TOKEN_KEY) ?? undefined);
  const signIn = useCallback((next: string) => {
    sessionStorage.setItem(TOKEN_KEY, next);
    setToken(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    // A person who signed in through Cognito leaves through its hosted logout, which comes back to the console.
    if (endTeamSession(config.signIn)) return;
    setToken(undefined);
  }, [config.signIn]);
  const api = useMemo(() => (token ? createAdminApi(config.apiUrl, token) : undefined), [config.apiUrl, token]);
  const value = useMemo(() => ({ config, token, api, signIn, signOut }), [config, token, api, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API client of a signed-in page (pages render only inside the signed-in shell). */
export function useApi(): AdminApi {
  const { api } = useSession();
  if (!api) throw new Error('useApi before sign-in');
  return api;
}
