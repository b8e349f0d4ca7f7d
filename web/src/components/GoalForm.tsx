// Creates or edits a SMART goal (POST /api/v1/goals, PUT /api/v1/goals/{id}) and shows the
// server's SMART verdicts for what was saved. Admins and managers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError, post, request } from '../api';
import { useLoad } from '../hooks';
import { loadUsers } from '../users';

export interface GoalInput {
  id?: number;
  name: string;
  metric: string;
  target: number;
  currency: string;
  from: string;
  to: string;
  owners: string[];
  source: string | null;
  campaign: string | null;
  // The plan's stage rates (set in the planner): kept as they are when a goal is edited.
  rates?: Record<string, number>;
}

interface SmartLetter {
  letter: string;
  name: string;
  verdict: 'pass' | 'fail' | 'unknown';
  reason: string;
}
export interface SavedGoal extends GoalInput {
  id: number;
  smart: { smart: boolean; summary: string; letters: SmartLetter[] };
}

export const METRICS: { value: string; label: string }[] = [
  { value: 'mqls', label: 'MQLs' },
  { value: 'leads', label: 'Leads' },
  { value: 'sals', label: 'SALs (accepted by sales)' },
  { value: 'sqls', label: 'SQLs' },
  { value: 'opportunities', label: 'Opportunities' },
  { value: 'new_customers', label: 'New customers' },
  { value: 'revenue', label: 'Revenue' },
];

// What the server would refuse, said before asking it: field -> message.
export function goalProblems(g: GoalInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (!g.name.trim()) out.name = 'Give the goal a name.';
  if (!(g.target > 0)) out.target = 'The target must be more than 0.';
  else if (g.metric !== 'revenue' && !Number.isInteger(g.target)) out.target = 'Count whole leads, customers or deals.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(g.from)) out.from = 'Choose the first day.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(g.to)) out.to = 'Choose the last day.';
  else if (g.from && g.to < g.from) out.to = 'The last day comes on or after the first.';
  if (g.metric === 'revenue' && !/^[A-Z]{3}$/.test(g.currency)) out.currency = 'A three-letter currency code, such as EUR.';
  return out;
}

const LABELS: Record<string, string> = { name: 'Name', target: 'Target', from: 'From', to: 'To', currency: 'Currency' };

export function GoalForm({ initial, onSaved, onCancel }: { initial: GoalInput; onSaved: (g: SavedGoal) => void; onCancel: () => void }) {
  const [g, setG] = useState<GoalInput>(initial);
  const [targetText, setTargetText] = useState(initial.target ? String(initial.target) : '');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const [saved, setSaved] = useState<SavedGoal | null>(null);
  const [busy, setBusy] = useState(false);
  const users = useLoad(() => loadUsers(), []);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const people = users.data ? [...users.data.values()].filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name)) : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const input = { ...g, target: Number(targetText) };
    const p = goalProblems(input);
    setProblems(p);
    const firstBad = Object.keys(p)[0];
    if (firstBad) {
      document.getElementById(`goal-${firstBad}`)?.focus();
      return;
    }
    const body: Record<string, unknown> = { name: input.name.trim(), metric: input.metric, target: input.target, from: input.from, to: input.to, owners: input.owners };
    if (input.metric === 'revenue') body.currency = input.currency;
    if (input.source) body.source = input.source;
    if (input.campaign) body.campaign = input.campaign;
    if (input.rates && Object.keys(input.rates).length > 0) body.rates = input.rates;
    setBusy(true);
    try {
      const r = input.id ? await request<SavedGoal>('PUT', `/api/v1/goals/${input.id}`, { body }) : await post<SavedGoal>('/api/v1/goals', body);
      setSaved(r);
      setG({ ...input, id: r.id });  // saving again changes this goal, never a second one
      onSaved(r);
    } catch (err) {
      if (err instanceof ApiError && err.field && LABELS[err.field]) {
        setProblems({ [err.field]: err.message });
        document.getElementById(`goal-${err.field}`)?.focus();
      } else {
        setError(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof GoalInput, label: string, input: preact.JSX.Element) => (
    <div class="field">
      <label for={`goal-${key}`}>{label}</label>
      {input}
      {problems[key] && (
        <span class="field-error" id={`goal-${key}-error`}>
          {problems[key]}
        </span>
      )}
    </div>
  );
  const invalid = (key: string) => ({ 'aria-invalid': problems[key] ? ('true' as const) : ('false' as const), 'aria-describedby': problems[key] ? `goal-${key}-error` : undefined });

  return (
    <div class="goal-editor">
      <form class="settings-form goal-form" onSubmit={submit} aria-label={initial.id ? 'Edit the goal' : 'New goal'} noValidate>
        {field('name', 'Name', <input id="goal-name" ref={first} value={g.name} onInput={(e) => setG({ ...g, name: e.currentTarget.value })} {...invalid('name')} />)}
        {field(
          'metric',
          'What is counted',
          <select id="goal-metric" value={g.metric} onChange={(e) => setG({ ...g, metric: e.currentTarget.value })}>
            {METRICS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>,
        )}
        {field('target', g.metric === 'revenue' ? 'Target amount' : 'Target count', <input id="goal-target" inputMode="decimal" value={targetText} onInput={(e) => setTargetText(e.currentTarget.value)} {...invalid('target')} />)}
        {g.metric === 'revenue' && field('currency', 'Currency', <input id="goal-currency" value={g.currency} maxLength={3} onInput={(e) => setG({ ...g, currency: e.currentTarget.value.toUpperCase() })} {...invalid('currency')} />)}
        {field('from', 'From', <input id="goal-from" type="date" value={g.from} onInput={(e) => setG({ ...g, from: e.currentTarget.value })} {...invalid('from')} />)}
        {field('to', 'To (included)', <input id="goal-to" type="date" value={g.to} onInput={(e) => setG({ ...g, to: e.currentTarget.value })} {...invalid('to')} />)}
        {field('source', 'Only source (optional)', <input id="goal-source" value={g.source ?? ''} onInput={(e) => setG({ ...g, source: e.currentTarget.value || null })} />)}
        {field('campaign', 'Only campaign (optional)', <input id="goal-campaign" value={g.campaign ?? ''} onInput={(e) => setG({ ...g, campaign: e.currentTarget.value || null })} />)}
        {field(
          'owners',
          'Owners',
          <select id="goal-owners" multiple size={4} onChange={(e) => setG({ ...g, owners: [...e.currentTarget.selectedOptions].map((o) => o.value) })}>
            {people.map((u) => (
              <option key={u.id} value={u.email} selected={g.owners.includes(u.email)}>
                {u.name}
              </option>
            ))}
          </select>,
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : g.id ? 'Save goal' : 'Create goal'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {saved ? 'Close' : 'Cancel'}
        </button>
      </form>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <div class="smart" role="status">
          <p>
            <strong>Saved. SMART check:</strong> {saved.smart.summary}
          </p>
          <ul class="smart-letters">
            {saved.smart.letters.map((l) => (
              <li key={l.letter} class={`verdict-${l.verdict}`}>
                <span class="smart-letter" aria-hidden="true">
                  {l.letter}
                </span>
                <span>
                  <strong>
                    {l.name}: {l.verdict === 'pass' ? 'passes' : l.verdict === 'fail' ? 'fails' : 'not known'}
                  </strong>{' '}
                  {l.reason}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
