// Personas: who marketing and sales agree to target, with their fit criteria and whether both
// heads have signed the current version off. A head (a team's manager) or an admin signs here.
import { useState } from 'preact/hooks';
import { describeError, get, post } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { useLoad, useTitle } from '../hooks';
import { useSession } from '../session';
import type { Page } from '../types';

interface Criterion {
  property: string;
  op: string;
  values: string[];
  min: number | null;
  max: number | null;
  weight: number;
}

interface Signoff {
  version: number;
  user_email: string;
  capacity: 'head_of_marketing' | 'head_of_sales';
  note: string;
  signed_at: string;
}

export interface Persona {
  id: number;
  key: string;
  name: string;
  description: string;
  version: number;
  archived: boolean;
  criteria: Criterion[];
  signed_off: boolean;
  signoffs: Signoff[];
  updated_at: string;
}

interface Team {
  id: number;
  name: string;
  function: 'marketing' | 'sales' | 'revenue';
  manager_id: number | null;
}

type Capacity = Signoff['capacity'];
const CAPACITY_LABELS: Record<Capacity, string> = { head_of_marketing: 'Head of marketing', head_of_sales: 'Head of sales' };

export function describeCriterion(c: Criterion): string {
  const prop = c.property.replace(/^contact\./, '').replace(/^company\./, 'company ').replace(/_/g, ' ');
  switch (c.op) {
    case 'equals':
      return `${prop} is ${c.values[0] ?? ''}`;
    case 'one_of':
      return `${prop} is one of ${c.values.join(', ')}`;
    case 'contains':
      return `${prop} contains ${c.values.join(' or ')}`;
    case 'pattern':
      return `${prop} looks like ${c.values.join(' or ')}`;
    case 'range':
      if (c.min !== null && c.max !== null) return `${prop} from ${c.min} to ${c.max}`;
      if (c.min !== null) return `${prop} at least ${c.min}`;
      return `${prop} at most ${c.max ?? ''}`;
    default:
      return `${prop} ${c.op} ${c.values.join(', ')}`;
  }
}

export function Personas() {
  useTitle('Personas');
  const { user } = useSession();
  const personas = useLoad((signal) => get<Page<Persona>>('/api/v1/personas', signal), []);
  const teams = useLoad((signal) => get<Page<Team>>('/api/v1/teams', signal).catch(() => ({ items: [], next_cursor: null })), []);
  const capacities: Capacity[] = [];
  if (user.role === 'admin') capacities.push('head_of_marketing', 'head_of_sales');
  else
    for (const t of teams.data?.items ?? []) {
      if (t.manager_id !== user.id) continue;
      const c: Capacity | null = t.function === 'marketing' ? 'head_of_marketing' : t.function === 'sales' ? 'head_of_sales' : null;
      if (c && !capacities.includes(c)) capacities.push(c);
    }

  return (
    <div class="page">
      <PageHeader title="Personas" />
      <p class="lede">The people marketing and sales agree to target. A persona counts once the head of marketing and the head of sales have both signed its current version off.</p>
      {personas.error ? (
        <ErrorNote error={personas.error} retry={personas.reload} />
      ) : !personas.data ? (
        <Loading label="Loading personas…" />
      ) : personas.data.items.length === 0 ? (
        <Empty title="No personas yet">
          <p>Marketing defines personas (for example with POST /api/v1/personas); both heads then sign them off here.</p>
        </Empty>
      ) : (
        <ul class="persona-list">
          {personas.data.items.map((p) => (
            <li key={p.id}>
              <PersonaCard persona={p} capacities={capacities} onSigned={personas.reload} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PersonaCard({ persona: p, capacities, onSigned }: { persona: Persona; capacities: Capacity[]; onSigned: () => void }) {
  const current = p.signoffs.filter((s) => s.version === p.version);
  const signedAs = new Set(current.map((s) => s.capacity));
  const open = capacities.filter((c) => !signedAs.has(c));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sign = async (capacity: Capacity) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/personas/${p.id}/signoff`, { version: p.version, capacity });
      onSigned();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="card persona" aria-labelledby={`persona-${p.id}`}>
      <header class="persona-head">
        <h2 id={`persona-${p.id}`}>{p.name}</h2>
        {p.signed_off ? <span class="badge ok">Signed off</span> : <span class="badge warn">Awaiting sign-off</span>}
      </header>
      <p class="muted small">
        <code>{p.key}</code> · version {p.version} · changed {formatDate(p.updated_at)}
      </p>
      {p.description && <p>{p.description}</p>}
      <h3 class="small-heading">Fits when</h3>
      <ul class="criteria">
        {p.criteria.map((c, i) => (
          <li key={i}>
            {describeCriterion(c)}
            {c.weight !== 1 && <span class="muted"> (weight {c.weight})</span>}
          </li>
        ))}
      </ul>
      <h3 class="small-heading">Sign-off of version {p.version}</h3>
      <ul class="plain">
        {(['head_of_marketing', 'head_of_sales'] as Capacity[]).map((c) => {
          const s = current.find((x) => x.capacity === c);
          return (
            <li key={c}>
              {CAPACITY_LABELS[c]}: {s ? <span>{s.user_email}, {formatDate(s.signed_at)}</span> : <span class="muted">not yet</span>}
            </li>
          );
        })}
      </ul>
      {open.length > 0 && (
        <div class="button-row">
          {open.map((c) => (
            <button key={c} type="button" disabled={busy} onClick={() => sign(c)}>
              Sign off as {CAPACITY_LABELS[c].toLowerCase()}
            </button>
          ))}
        </div>
      )}
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
