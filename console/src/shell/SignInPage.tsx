// Sign-in with the admin token: checked against the API before it is kept, so a wrong one is refused at once.
import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, createAdminApi } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { ApiErrorAlert } from '../components/ApiErrorAlert.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { startTeamSignIn } from '../auth/teamSignIn.js';

export function SignInPage() {
  const { t } = useTranslation();
  const { config, signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(undefined);
    try {
      await answer(createAdminApi(config.apiUrl, token.trim()).GET('/admin/v1/journeys'));
      signIn(token.trim());
    } catch (refusal) {
      setError(refusal);
    } finally {
      setChecking(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit}>
          <Stack>
            <Title order={1} size="h2">
              Retain
            </Title>
            {config.signIn ? (
              <>
                <Button
                  variant="filled"
                  onClick={() => {
                    if (config.signIn) void startTeamSignIn(config.signIn).catch(setError);
                  }}
                >
                  {t('signIn.team')}
                </Button>
                <Text c="dimmed" size="sm">
                  {t('signIn.orToken')}
                </Text>
              </>
            ) : null}
            <Text c="dimmed">{t('signIn.intro')}</Text>
            <PasswordInput
              label={t('signIn.token')}
              description={t('signIn.tokenHelp')}
              value={token}
              onChange={(e) => setToken(e.currentTarget.value)}
              required
              autoFocus
            />
            <ApiErrorAlert error={error} title={t('signIn.refused')} />
            <Button type="submit" loading={checking}>
              {t('signIn.submit')}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
