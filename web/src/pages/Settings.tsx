// Settings: one page per section under /settings/<section>, each shown to the roles the API
// lets do it (users, API keys and webhooks: admins; teams and routing: admins and managers;
// forms and tracker sites: admins and marketing; the calendar: everyone but sales reps).
import { PageHeader } from '../components/ui';
import { useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { useSession } from '../session';
import type { Role } from '../types';
import { ApiKeys } from './settings/Keys';
import { Calendar, Routing } from './settings/Contract';
import { Forms } from './settings/Forms';
import { Teams, Users } from './settings/People';
import { TrackerSites } from './settings/Sites';
import { Webhooks } from './settings/Webhooks';

interface SectionDef {
  key: string;
  label: string;
  roles: Role[];
  component: () => preact.JSX.Element;
}

export const SECTIONS: SectionDef[] = [
  { key: 'users', label: 'Users', roles: ['admin'], component: Users },
  { key: 'teams', label: 'Teams', roles: ['admin', 'manager'], component: Teams },
  { key: 'calendar', label: 'Business calendar', roles: ['admin', 'manager', 'marketing'], component: Calendar },
  { key: 'routing', label: 'Routing', roles: ['admin', 'manager'], component: Routing },
  { key: 'api-keys', label: 'API keys', roles: ['admin'], component: ApiKeys },
  { key: 'webhooks', label: 'Webhooks', roles: ['admin'], component: Webhooks },
  { key: 'forms', label: 'Forms', roles: ['admin', 'marketing'], component: Forms },
  { key: 'tracker', label: 'Tracker sites', roles: ['admin', 'marketing'], component: TrackerSites },
];

export function sectionsFor(role: Role): SectionDef[] {
  return SECTIONS.filter((s) => s.roles.includes(role));
}

export function SettingsPage({ params }: PageProps) {
  const { user } = useSession();
  const mine = sectionsFor(user.role);
  const section = mine.find((s) => s.key === params.section) ?? mine[0];
  useTitle(section ? `Settings: ${section.label}` : 'Settings');
  if (!section) {
    return (
      <div class="page">
        <PageHeader title="Settings" />
        <p>There is nothing to set for your role.</p>
      </div>
    );
  }
  const Body = section.component;
  const refused = params.section && params.section !== section.key;
  return (
    <div class="page settings">
      <PageHeader title="Settings" />
      <nav class="subnav" aria-label="Settings sections">
        {mine.map((s) => (
          <a key={s.key} href={`/settings/${s.key}`} aria-current={s.key === section.key ? 'page' : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      {refused && (
        <p class="note" role="status">
          That section is not available to your role; here is {section.label}.
        </p>
      )}
      <h2 class="visually-hidden">{section.label}</h2>
      <Body key={section.key} />
    </div>
  );
}
