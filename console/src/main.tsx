// The console's entry: config, language, theme, the query cache, then the app.
import '@mantine/core/styles.css';
import './console.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiRefusal } from './api/client.js';
import { loadConfig } from './api/config.js';
import { SESSION_TOKEN_KEY, SessionProvider } from './auth/session.js';
import { finishTeamSignIn } from './auth/teamSignIn.js';
import { startI18n } from './i18n/i18n.js';
import { App } from './App.js';

const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 6 with white text is under 4.5:1; 8 passes (axe's colour-contrast rule).
  primaryShade: { light: 8, dark: 6 },
  fontFamily: 'system-ui, -apple-system, "Apple SD Gothic Neo", "Noto Sans KR", "Malgun Gothic", sans-serif',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) will not change on retry; a network blip might.
      retry: (count, error) => !(error instanceof ApiRefusal && error.status < 500) && count < 2,
      staleTime: 15_000,
      refetchOnWindowFocus: false,
    },
  },
});

startI18n();
void loadConfig().then(async (config) => {
  // Back from the team's hosted sign-in: the person's access token becomes the session's token.
  const personToken = await finishTeamSignIn(config.signIn).catch(() => undefined);
  if (personToken) sessionStorage.setItem(SESSION_TOKEN_KEY, personToken);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <QueryClientProvider client={queryClient}>
          <SessionProvider config={config}>
            <App />
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
});
