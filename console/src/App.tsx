// The console's routes: sign-in until a token is kept, then the shell with one lazily loaded page per route.
import { lazy } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { useSession } from './auth/session.js';
import { ConsoleShell } from './shell/ConsoleShell.js';
import { SignInPage } from './shell/SignInPage.js';

// Each page is its own chunk: the first load carries only the shell (React Flow comes with journeys).
const CustomersPage = lazy(() => import('./pages/customers/CustomersPage.js'));
const CustomerPage = lazy(() => import('./pages/customers/CustomerPage.js'));
const ImportPage = lazy(() => import('./pages/imports/ImportPage.js'));
const ImportJobPage = lazy(() => import('./pages/imports/ImportJobPage.js'));
const JourneysPage = lazy(() => import('./pages/journeys/JourneysPage.js'));
const JourneyPage = lazy(() => import('./pages/journeys/JourneyPage.js'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage.js'));
const BroadcastsPage = lazy(() => import('./pages/broadcasts/BroadcastsPage.js'));
const NewBroadcastPage = lazy(() => import('./pages/broadcasts/NewBroadcastPage.js'));
const BroadcastPage = lazy(() => import('./pages/broadcasts/BroadcastPage.js'));
const SegmentsPage = lazy(() => import('./pages/segments/SegmentsPage.js'));
const SegmentPage = lazy(() => import('./pages/segments/SegmentPage.js'));
const TemplatesPage = lazy(() => import('./pages/templates/TemplatesPage.js'));
const TemplatePage = lazy(() => import('./pages/templates/TemplatePage.js'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage.js'));
const ApprovalsPage = lazy(() => import('./pages/approvals/ApprovalsPage.js'));
const CatalogPage = lazy(() => import('./pages/offers/CatalogPage.js'));
const CouponsPage = lazy(() => import('./pages/offers/CouponsPage.js'));
const CouponPoolPage = lazy(() => import('./pages/offers/CouponPoolPage.js'));
const LoyaltyPage = lazy(() => import('./pages/offers/LoyaltyPage.js'));
const HomePage = lazy(() => import('./pages/home/HomePage.js'));
// ECharts comes with the reports page only.
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage.js'));

export function App() {
  const { token } = useSession();
  return (
    <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
      {token ? (
        <Routes>
          <Route element={<ConsoleShell />}>
            <Route index element={<HomePage />} />
            <Route path="customers" element={<CustomersPage />} />
            {/* Ranked before `customers/:userId` by React Router: a static segment wins over a parameter. */}
            <Route path="customers/import" element={<ImportPage />} />
            <Route path="customers/import/:id" element={<ImportJobPage />} />
            <Route path="customers/:userId" element={<CustomerPage />} />
            <Route path="journeys" element={<JourneysPage />} />
            <Route path="journeys/:journeyId" element={<JourneyPage />} />
            <Route path="broadcasts" element={<BroadcastsPage />} />
            <Route path="broadcasts/new" element={<NewBroadcastPage />} />
            <Route path="broadcasts/:broadcastId" element={<BroadcastPage />} />
            <Route path="segments" element={<SegmentsPage />} />
            <Route path="segments/:segmentId" element={<SegmentPage />} />
            <Route path="templates" element={<TemplatesPage />} />
            <Route path="templates/:templateId" element={<TemplatePage />} />
            <Route path="offers" element={<Navigate to="/offers/catalog" replace />} />
            <Route path="offers/catalog" element={<CatalogPage />} />
            <Route path="offers/coupons" element={<CouponsPage />} />
            <Route path="offers/coupons/:poolId" element={<CouponPoolPage />} />
            <Route path="offers/loyalty" element={<LoyaltyPage />} />
            <Route path="offers/loyalty/:userId" element={<LoyaltyPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="approvals" element={<ApprovalsPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="reports" element={<Navigate to="/reports/funnel" replace />} />
            <Route path="reports/:name" element={<ReportsPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Routes>
      ) : (
        <SignInPage />
      )}
    </BrowserRouter>
  );
}
