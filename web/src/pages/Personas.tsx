// Personas: who marketing and sales agree to target, with their fit criteria and whether both
// heads have signed the current version off. Marketing and admins create personas and change
// their criteria here (every change is a new version, to be signed again); a head (a marketing
// or sales team's manager) or an admin signs the current version off. Marketing and admins
// archive a persona (kept with its history, no longer scored) and unarchive it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, get, post, request } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { useLoad, useTitle } from '../hooks';
import { useSession } from '../session';
import type { Page } from '../types';
import { Confirm } from './settings/common';

export interface Criterion {
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

// What a criterion may test (core/scoring.hpp); the custom ones take a key.
export const PROPERTIES: { value: string; label: string }[] = [
  { value: 'contact.title', label: 'Job title' },
  { value: 'contact.email_domain', label: 'Email domain' },
  { value: 'contact.country', label: 'Country' },
  { value: 'contact.source', label: 'Source' },
  { value: 'contact.campaign', label: 'Campaign' },
  { value: 'company.name', label: 'Company name' },
  { value: 'company.domain', label: 'Company domain' },
  { value: 'company.industry', label: 'Company industry' },
  { value: 'company.employees', label: 'Company employees' },
  { value: 'company.country', label: 'Company country' },
  { value: 'contact.custom.', label: 'Contact custom field…' },
  { value: 'company.custom.', label: 'Company custom field…' },
];

export const OPS: { value: string; label: string }[] = [
  { value: 'equals', label: 'is' },
  { value: 'one_of', label: 'is one of' },
  { value: 'contains', label: 'contains' },
  { value: 'pattern', label: 'looks like (* and ?)' },
  { value: 'range', label: 'is a number from … to …' },
];

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

// A criterion as the editor holds it: text the person types.
export interface CriterionDraft {
  property: string; // one of PROPERTIES; the custom ones end with '.'
  customKey: string;
  op: string;
  values: string;
  min: string;
  max: string;
  weight: string;
}

export function toDraft(c: Criterion): CriterionDraft {
  const custom = c.property.match(/^(contact|company)\.custom\.(.*)$/);
  return {
    property: custom ? `${custom[1]}.custom.` : c.property,
    customKey: custom?.[2] ?? '',
    op: c.op,
    values: c.values.join(', '),
    min: c.min === null ? '' : String(c.min),
    max: c.max === null ? '' : String(c.max),
    weight: String(c.weight),
  };
}

export const emptyDraft = (): CriterionDraft => ({ property: 'contact.title', customKey: '', op: 'contains', values: '', min: '', max: '', weight: '1' });

// The criterion to send, or what is missing (numbered from 1 as the page shows them).
export function fromDraft(d: CriterionDraft, n: number): Criterion | string {
  const property = d.property.endsWith('.custom.') ? d.property + d.customKey.trim() : d.property;
  if (d.property.endsWith('.custom.') && !/^[a-z0-9_]+$/.test(d.customKey.trim())) return `Criterion ${n}: name the custom field (a-z, 0-9, _).`;
  const weight = Number(d.weight);
  if (!Number.isInteger(weight) || weight < 1 || weight > 100) return `Criterion ${n}: the weight is a whole number from 1 to 100.`;
  if (d.op === 'range') {
    const min = d.min.trim() === '' ? null : Number(d.min);
    const max = d.max.trim() === '' ? null : Number(d.max);
    if (min === null && max === null) return `Criterion ${n}: give the least value, the greatest or both.`;
    if ((min !== null && !Number.isFinite(min)) || (max !== null && !Number.isFinite(max))) return `Criterion ${n}: the bounds are numbers.`;
    if (min !== null && max !== null && min > max) return `Criterion ${n}: the greatest value is below the least.`;
    return { property, op: d.op, values: [], min, max, weight };
  }
  const values = d.op === 'equals' ? [d.values.trim()].filter(Boolean) : d.values.split(',').map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) return `Criterion ${n}: give ${d.op === 'equals' ? 'the value' : 'one value or more, separated by commas'}.`;
  return { property, op: d.op, values, min: null, max: null, weight };
}

// The server names a criterion by its index; the page numbers them from 1.
export function explainError(e: unknown): string {
  return describeError(e).replace(/criteria\[(\d+)\]\.?([a-z_]*)/g, (_m, i: string, f: string) => `Criterion ${Number(i) + 1}${f ? ` (${f})` : ''}`);
}

const KEY_RE = /^[a-z0-9_-]{1,64}$/;

function PersonaEditor({ persona, onSaved, onCancel }: { persona: Persona | null; onSaved: (p: Persona) => void; onCancel: () => void }) {
  const [key, setKey] = useState(persona?.key ?? '');
  const [name, setName] = useState(persona?.name ?? '');
  const [description, setDescription] = useState(persona?.description ?? '');
  const [criteria, setCriteria] = useState<CriterionDraft[]>(() => (persona ? persona.criteria.map(toDraft) : [emptyDraft()]));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = persona ? `persona-edit-${persona.id}` : 'persona-new';
  const set = (i: number, change: Partial<CriterionDraft>) => setCriteria(criteria.map((c, j) => (j === i ? { ...c, ...change } : c)));
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!persona && !KEY_RE.test(key.trim())) return setError('The key is 1 to 64 characters of a-z, 0-9, _ or - (rules and reports use it).');
    if (!name.trim()) return setError('Give the persona a name.');
    if (criteria.length === 0) return setError('A persona needs at least one criterion.');
    const out: Criterion[] = [];
    for (const [i, d] of criteria.entries()) {
      const c = fromDraft(d, i + 1);
      if (typeof c === 'string') return setError(c);
      out.push(c);
    }
    setBusy(true);
    try {
      const body = { name: name.trim(), description: description.trim(), criteria: out };
      const saved = persona ? await request<Persona>('PATCH', `/api/v1/personas/${persona.id}`, { body }) : await post<Persona>('/api/v1/personas', { key: key.trim(), ...body });
      onSaved(saved);
    } catch (err) {
      setError(explainError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card persona-editor" aria-labelledby={id} onSubmit={save}>
      <h2 id={id}>{persona ? `Edit “${persona.name}”` : 'New persona'}</h2>
      {persona && <p class="muted small">Saving makes version {persona.version + 1}: both heads sign it off again.</p>}
      <div class="settings-form">
        {!persona && (
          <div class="field">
            <label for={`${id}-key`}>Key</label>
            <input id={`${id}-key`} ref={first} value={key} placeholder="e.g. ops_leader" class="mono" onInput={(e) => setKey(e.currentTarget.value)} />
          </div>
        )}
        <div class="field grow">
          <label for={`${id}-name`}>Name</label>
          <input id={`${id}-name`} ref={persona ? first : undefined} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field grow">
          <label for={`${id}-description`}>Description</label>
          <textarea id={`${id}-description`} rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
      </div>
      <h3 class="small-heading">Fits when (the more weight, the more it counts)</h3>
      {criteria.map((c, i) => {
        const cid = `${id}-c${i}`;
        return (
          <fieldset key={i} class="criterion">
            <legend>Criterion {i + 1}</legend>
            <div class="field">
              <label for={`${cid}-property`}>Property</label>
              <select id={`${cid}-property`} value={c.property} onChange={(e) => set(i, { property: e.currentTarget.value })}>
                {PROPERTIES.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            {c.property.endsWith('.custom.') && (
              <div class="field">
                <label for={`${cid}-custom`}>Custom field</label>
                <input id={`${cid}-custom`} class="mono" value={c.customKey} onInput={(e) => set(i, { customKey: e.currentTarget.value })} />
              </div>
            )}
            <div class="field">
              <label for={`${cid}-op`}>Test</label>
              <select id={`${cid}-op`} value={c.op} onChange={(e) => set(i, { op: e.currentTarget.value })}>
                {OPS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            {c.op === 'range' ? (
              <>
                <div class="field narrow">
                  <label for={`${cid}-min`}>From</label>
                  <input id={`${cid}-min`} inputMode="decimal" value={c.min} onInput={(e) => set(i, { min: e.currentTarget.value })} />
                </div>
                <div class="field narrow">
                  <label for={`${cid}-max`}>To</label>
                  <input id={`${cid}-max`} inputMode="decimal" value={c.max} onInput={(e) => set(i, { max: e.currentTarget.value })} />
                </div>
              </>
            ) : (
              <div class="field grow">
                <label for={`${cid}-values`}>{c.op === 'equals' ? 'Value' : 'Values (separated by commas)'}</label>
                <input id={`${cid}-values`} value={c.values} onInput={(e) => set(i, { values: e.currentTarget.value })} />
              </div>
            )}
            <div class="field narrow">
              <label for={`${cid}-weight`}>Weight</label>
              <input id={`${cid}-weight`} type="number" min={1} max={100} value={c.weight} onInput={(e) => set(i, { weight: e.currentTarget.value })} />
            </div>
            <button type="button" class="secondary small" aria-label={`Remove criterion ${i + 1}`} disabled={criteria.length === 1} onClick={() => setCriteria(criteria.filter((_, j) => j !== i))}>
              Remove
            </button>
          </fieldset>
        );
      })}
      <div class="button-row">
        <button type="button" class="secondary" disabled={criteria.length >= 50} onClick={() => setCriteria([...criteria, emptyDraft()])}>
          Add a criterion
        </button>
      </div>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <div class="button-row">
        <button type="submit" disabled={busy}>
          {persona ? 'Save as a new version' : 'Create persona'}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function Personas() {
  useTitle('Personas');
  const { user } = useSession();
  const personas = useLoad((signal) => get<Page<Persona>>('/api/v1/personas?archived=true', signal), []);
  const teams = useLoad((signal) => get<Page<Team>>('/api/v1/teams', signal).catch(() => ({ items: [], next_cursor: null })), []);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  const canEdit = user.role === 'admin' || user.role === 'marketing';
  const active = (personas.data?.items ?? []).filter((p) => !p.archived);
  const archived = (personas.data?.items ?? []).filter((p) => p.archived);
  const [archiveError, setArchiveError] = useState('');
  const unarchive = async (p: Persona) => {
    setArchiveError('');
    try {
      const back = await request<Persona>('PATCH', `/api/v1/personas/${p.id}`, { body: { archived: false } });
      setStatus(`“${back.name}” is back as version ${back.version}; it waits for both heads’ sign-off.`);
      personas.reload();
    } catch (err) {
      setArchiveError(describeError(err));
    }
  };
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
      <PageHeader title="Personas">
        {canEdit && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New persona
          </button>
        )}
      </PageHeader>
      <p class="lede">The people marketing and sales agree to target. A persona counts once the head of marketing and the head of sales have both signed its current version off.</p>
      <p class="muted small" aria-live="polite">
        {status}
      </p>
      {creating && (
        <PersonaEditor
          persona={null}
          onCancel={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            setStatus(`Created “${p.name}”; it waits for both heads’ sign-off.`);
            personas.reload();
          }}
        />
      )}
      {personas.error ? (
        <ErrorNote error={personas.error} retry={personas.reload} />
      ) : !personas.data ? (
        <Loading label="Loading personas…" />
      ) : active.length === 0 ? (
        <Empty title="No personas yet">
          <p>{canEdit ? 'Create the first persona with “New persona”; both heads then sign it off here.' : 'Marketing defines the personas; both heads then sign them off here.'}</p>
        </Empty>
      ) : (
        <ul class="persona-list">
          {active.map((p) => (
            <li key={p.id}>
              <PersonaCard
                persona={p}
                capacities={capacities}
                canEdit={canEdit}
                onChanged={(said) => {
                  if (said) setStatus(said);
                  personas.reload();
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {archived.length > 0 && (
        <section class="card archived-personas" aria-labelledby="archived-personas">
          <h2 id="archived-personas">Archived personas</h2>
          <p class="muted small">Kept with their history; contacts are no longer scored against them.</p>
          <ul class="plain member-list">
            {archived.map((p) => (
              <li key={p.id}>
                <span>
                  {p.name} <span class="muted small">version {p.version}, archived {formatDate(p.updated_at)}</span>
                </span>
                {canEdit && (
                  <button type="button" class="secondary small" aria-label={`Unarchive the persona ${p.name}`} onClick={() => unarchive(p)}>
                    Unarchive
                  </button>
                )}
              </li>
            ))}
          </ul>
          {archiveError && (
            <p class="note error" role="alert">
              {archiveError}
            </p>
          )}
        </section>
      )}
    </div>
  );
}

function PersonaCard({ persona: p, capacities, canEdit, onChanged }: { persona: Persona; capacities: Capacity[]; canEdit: boolean; onChanged: (said?: string) => void }) {
  const current = p.signoffs.filter((s) => s.version === p.version);
  const signedAs = new Set(current.map((s) => s.capacity));
  const open = capacities.filter((c) => !signedAs.has(c));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const earlier = p.signoffs.filter((s) => s.version < p.version);

  const sign = async (capacity: Capacity) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/personas/${p.id}/signoff`, { version: p.version, capacity, note: note.trim() });
      setNote('');
      onChanged(`Signed version ${p.version} of “${p.name}” off as ${CAPACITY_LABELS[capacity].toLowerCase()}.`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const archive = async () => {
    setBusy(true);
    setError(null);
    try {
      await request('DELETE', `/api/v1/personas/${p.id}`);
      onChanged(`Archived “${p.name}”; contacts are no longer scored against it.`);
    } catch (e) {
      setError(describeError(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  if (editing) {
    return (
      <PersonaEditor
        persona={p}
        onCancel={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          onChanged(`Saved version ${saved.version} of “${saved.name}”; it waits for both heads’ sign-off.`);
        }}
      />
    );
  }

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
              {CAPACITY_LABELS[c]}:{' '}
              {s ? (
                <span>
                  {s.user_email}, {formatDate(s.signed_at)}
                  {s.note && <q class="signoff-note">{s.note}</q>}
                </span>
              ) : (
                <span class="muted">not yet</span>
              )}
            </li>
          );
        })}
      </ul>
      {earlier.length > 0 && (
        <p class="muted small">
          Earlier versions: {earlier.length} sign-off{earlier.length === 1 ? '' : 's'}, the last for version {earlier[earlier.length - 1]?.version}.
        </p>
      )}
      {open.length > 0 && (
        <div class="field">
          <label for={`signoff-note-${p.id}`}>Note with your sign-off (optional)</label>
          <input id={`signoff-note-${p.id}`} value={note} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
      )}
      {(open.length > 0 || canEdit) && (
        <div class="button-row">
          {open.map((c) => (
            <button key={c} type="button" disabled={busy} onClick={() => sign(c)}>
              Sign off as {CAPACITY_LABELS[c].toLowerCase()}
            </button>
          ))}
          {canEdit && (
            <button type="button" class="secondary" aria-label={`Edit the persona ${p.name}`} onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {canEdit &&
            (confirming ? (
              <Confirm label={`Archive the persona ${p.name}?`} question="Archive? Contacts are no longer scored against it." yes="Yes, archive" onYes={archive} onNo={() => setConfirming(false)} />
            ) : (
              <button type="button" class="secondary" aria-label={`Archive the persona ${p.name}`} onClick={() => setConfirming(true)}>
                Archive
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
