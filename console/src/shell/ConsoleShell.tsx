// The app shell: header (name, language, sign-out), the page list, and the page itself.
import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Fragment, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { ClockPanel } from '../components/ClockPanel.js';
import { PageLoading } from '../components/PageLoading.js';

/** A page `under` another is listed below it, indented, as a part of it (Import under Customers). */
const PAGES = [
  { path: '/', label: 'home.title' },
  { path: '/customers', label: 'nav.customers' },
  { path: '/customers/import', label: 'import.nav', under: '/customers' },
  { path: '/journeys', label: 'nav.journeys' },
  { path: '/broadcasts', label: 'broadcasts.title' },
  { path: '/segments', label: 'segments.title' },
  { path: '/templates', label: 'templates.title' },
  { path: '/reports', label: 'reports.title' },
  { path: '/offers/catalog', label: 'catalog.title', section: 'nav.offers' },
  { path: '/offers/coupons', label: 'coupons.title', section: 'nav.offers' },
  { path: '/offers/loyalty', label: 'loyalty.title', section: 'nav.offers' },
  { path: '/approvals', label: 'approvals.title' },
  { path: '/settings', label: 'nav.settings' },
  { path: '/audit', label: 'audit.title' },
] as const satisfies readonly { path: string; label: string; section?: string; under?: string }[];

/** Pages of one section sit under its name, indented; the name is shown once, before the first of them. */
const sectionOf = (i: number): string | undefined => {
  const page = PAGES[i];
  return page && 'section' in page ? page.section : undefined;
};
const startsSection = (i: number) => sectionOf(i) !== undefined && sectionOf(i - 1) !== sectionOf(i);

const hasPagesUnder = (path: string) => PAGES.some((page) => 'under' in page && page.under === path);

/** The page a path belongs to: the longest page path it starts with, so /customers/import is not /customers. */
const activePage = (pathname: string): string | undefined =>
  PAGES.map((page) => page.path)
    .filter((path) => (path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`)))
    .sort((a, b) => b.length - a.length)[0];

export function ConsoleShell() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const active = activePage(location.pathname);

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
        {PAGES.map((page, i) => (
          <Fragment key={page.path}>
            {'section' in page && startsSection(i) && (
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
                {t(page.section)}
              </Text>
            )}
            <NavLink
              component={RouterLink}
              to={page.path}
              label={t(page.label)}
              pl={'section' in page || 'under' in page ? 'lg' : undefined}
              active={page.path === active}
              // React Router marks a link current on its descendants too; a page with pages under it must not be.
              end={hasPagesUnder(page.path)}
              onClick={close}
            />
          </Fragment>
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
