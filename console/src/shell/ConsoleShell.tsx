// The app shell: header (name, language, sign-out), the page list, and the page itself.
import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { ClockPanel } from '../components/ClockPanel.js';
import { PageLoading } from '../components/PageLoading.js';

const PAGES = [
  { path: '/', label: 'home.title' },
  { path: '/customers', label: 'nav.customers' },
  { path: '/journeys', label: 'nav.journeys' },
  { path: '/broadcasts', label: 'broadcasts.title' },
  { path: '/segments', label: 'segments.title' },
  { path: '/templates', label: 'templates.title' },
  { path: '/reports', label: 'reports.title' },
  { path: '/approvals', label: 'approvals.title' },
  { path: '/settings', label: 'nav.settings' },
  { path: '/audit', label: 'audit.title' },
] as const;

export function ConsoleShell() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.menu')} />
            <Text fw={700} size="lg">
              Retain
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            <Button variant="subtle" size="xs" onClick={signOut}>
              {t('shell.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('shell.pages')}>
        {PAGES.map((page) => (
          <NavLink
            key={page.path}
            component={RouterLink}
            to={page.path}
            label={t(page.label)}
            active={page.path === '/' ? location.pathname === '/' : location.pathname.startsWith(page.path)}
            onClick={close}
          />
        ))}
        <AppShell.Section mt="auto">
          <ClockPanel />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
