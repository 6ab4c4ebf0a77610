// Where the admin API is: `config.json` beside the console (written by the server that serves it).

export type ConsoleConfig = {
  /** The API's origin; empty means the console's own origin. */
  apiUrl: string;
  /** Set by the local runtime: local-only tools (the clock) may show. */
  local: boolean;
  /** In AWS: the team's Cognito sign-in (issuer, the console's app client, the hosted sign-in domain). */
  signIn?: TeamSignInConfig;
};

export type TeamSignInConfig = { authority: string; clientId: string; domain: string };

const isSignIn = (value: unknown): value is TeamSignInConfig => {
  const v = value as Partial<Record<keyof TeamSignInConfig, unknown>> | null;
  return typeof v?.authority === 'string' && typeof v.clientId === 'string' && typeof v.domain === 'string';
};

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
    const body = res.ok ? ((await res.json()) as Partial<Record<keyof ConsoleConfig, unknown>>) : {};
    return {
      apiUrl: typeof body.apiUrl === 'string' ? body.apiUrl.replace(/\/$/, '') : '',
      local: body.local === true,
      ...(isSignIn(body.signIn) ? { signIn: body.signIn } : {}),
    };
  } catch {
    // A console served without a config.json (the Vite dev server) talks to its own origin.
    return { apiUrl: '', local: false };
  }
}
