// Every page of the dashboard, in navigation order. A page is one entry here: its path, its
// label in the navigation (none: reached by links only) and the roles that see it. Adding the
// funnel, goals, inbox or weekly pack later is one import and one entry.
import type { FunctionComponent } from 'preact';
import type { Role } from './types';
import { Home } from './pages/Home';
import { Leads } from './pages/Leads';
import { ContactPage } from './pages/Contact';
import { ContractPage } from './pages/Contract';
import { Personas } from './pages/Personas';
import { ImportPage } from './pages/Import';
import { Inbox } from './pages/Inbox';
import { Goals } from './pages/Goals';
import { FunnelPage } from './pages/Funnel';
import { WeeklyPage } from './pages/Weekly';
import { SettingsPage } from './pages/Settings';
import { FeedbackPage } from './pages/Feedback';
import { AttributionPage } from './pages/Attribution';

export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface PageDef {
  path: string;
  nav?: string;
  roles: readonly Role[];
  component: FunctionComponent<PageProps>;
}

const EVERYONE: readonly Role[] = ['admin', 'manager', 'marketing', 'sales'];

export const PAGES: readonly PageDef[] = [
  { path: '/', nav: 'Home', roles: EVERYONE, component: Home },
  { path: '/inbox', nav: 'My inbox', roles: ['sales'], component: Inbox },
  { path: '/leads', nav: 'Leads', roles: EVERYONE, component: Leads },
  { path: '/contacts/:id', roles: EVERYONE, component: ContactPage },
  { path: '/funnel', nav: 'Funnel', roles: EVERYONE, component: FunnelPage },
  { path: '/goals', nav: 'Goals', roles: EVERYONE, component: Goals },
  { path: '/weekly', nav: 'Weekly pack', roles: EVERYONE, component: WeeklyPage },
  { path: '/feedback', nav: 'Feedback', roles: EVERYONE, component: FeedbackPage },
  { path: '/attribution', nav: 'Attribution', roles: ['admin', 'manager', 'marketing'], component: AttributionPage },
  { path: '/sla', nav: 'SLA contract', roles: EVERYONE, component: ContractPage },
  { path: '/personas', nav: 'Personas', roles: EVERYONE, component: Personas },
  { path: '/import', nav: 'Import', roles: ['admin', 'marketing'], component: ImportPage },
  { path: '/settings', nav: 'Settings', roles: ['admin', 'manager', 'marketing'], component: SettingsPage },
  { path: '/settings/:section', roles: ['admin', 'manager', 'marketing'], component: SettingsPage },
];

export function navFor(role: Role): PageDef[] {
  return PAGES.filter((p) => p.nav && p.roles.includes(role));
}
