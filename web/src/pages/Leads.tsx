// Leads list: every contact, filtered, searched and sorted by the server, one page of 50 at a
// time (cursor paging: the same speed on the first page and the thousandth, at a million rows).
// The filters live in the address, so a view can be bookmarked and shared.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../api';
import { COLUMN_LABELS, columnsValue, parseColumns, type Column } from '../columns';
import { ColumnPicker } from '../components/ColumnPicker';
import { BULK_LIMIT, BulkAssign, SavedViews, exportPath, type BulkResult } from '../components/LeadTools';
import { Empty, ErrorNote, Loading, PageHeader, StageBadge } from '../components/ui';
import { STAGES, dayStart, formatDate, personName, stageLabel } from '../format';
import { useDebounced, useLoad, useReadyMark, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { navigate } from '../router';
import { useSession } from '../session';
import type { Contact, Page, User } from '../types';
import { loadUsers } from '../users';

export const PAGE_SIZE = 50;

export const SORTS: { value: string; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'last_name', label: 'Last name A–Z' },
  { value: '-last_name', label: 'Last name Z–A' },
  { value: 'email', label: 'Email A–Z' },
];

export interface LeadFilters {
  q: string;
  stage: string;
  owner: string; // '', 'me', 'none' or a user id
  source: string;
  campaign: string;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
  sort: string;
  // The contacts behind a funnel number (the funnel explorer links here): those that reached
  // a stage in [reached_from, reached_to), and with `converted` those that moved on to the next
  // stage within `window_days` ('true') or not ('false').
  reached: string;
  reached_from: string; // ISO instants, as the API takes them
  reached_to: string;
  converted: string;
  window_days: string;
  // The contacts behind a period view's transition count: those that moved out of a stage in
  // [moved_out_from, moved_out_to), forward, dropped or either ('' = any).
  moved_out: string;
  moved_out_from: string; // ISO instants
  moved_out_to: string;
  moved: string;
  persona: string; // a persona key, or 'none' (the funnel's persona breakdown links here)
  columns: string; // the columns shown, in order ('': the default; src/columns.ts)
}

const FILTER_KEYS: (keyof LeadFilters)[] = ['q', 'stage', 'owner', 'source', 'campaign', 'from', 'to', 'sort', 'reached', 'reached_from', 'reached_to', 'converted', 'window_days', 'moved_out', 'moved_out_from', 'moved_out_to', 'moved', 'persona', 'columns'];
// What selects the rows (the columns only change how they are shown).
const LIST_KEYS = FILTER_KEYS.filter((k) => k !== 'columns');
const REACH_KEYS: (keyof LeadFilters)[] = ['reached', 'reached_from', 'reached_to', 'converted', 'window_days'];
const MOVE_KEYS: (keyof LeadFilters)[] = ['moved_out', 'moved_out_from', 'moved_out_to', 'moved'];
const MAIN_PATH = ['visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'];

export function filtersFrom(params: URLSearchParams): LeadFilters {
  const f = {} as LeadFilters;
  for (const k of FILTER_KEYS) f[k] = params.get(k) ?? '';
  if (!SORTS.some((s) => s.value === f.sort)) f.sort = '';
  if (f.stage && !(STAGES as readonly string[]).includes(f.stage)) f.stage = '';
  // A reach filter needs its stage and both ends; anything less is dropped whole.
  const instant = (v: string) => !Number.isNaN(Date.parse(v));
  if (!MAIN_PATH.includes(f.reached) || !instant(f.reached_from) || !instant(f.reached_to)) {
    for (const k of REACH_KEYS) f[k] = '';
  }
  if (f.converted !== 'true' && f.converted !== 'false') f.converted = '';
  // A move filter likewise: a stage with a step out of it, both ends, a known direction.
  if (!MAIN_PATH.slice(0, -1).includes(f.moved_out) || !instant(f.moved_out_from) || !instant(f.moved_out_to)) {
    for (const k of MOVE_KEYS) f[k] = '';
  }
  if (f.moved !== 'forward' && f.moved !== 'dropped') f.moved = '';
  if (!/^\d{1,4}$/.test(f.window_days) || !f.converted) f.window_days = '';
  f.columns = columnsValue(parseColumns(f.columns));
  return f;
}

export function filtersPath(f: LeadFilters): string {
  const p: Record<string, string> = {};
  for (const k of FILTER_KEYS) if (f[k]) p[k] = f[k];
  return '/leads' + query(p);
}

function nextDay(day: string): string {
  const d = new Date(dayStart(day));
  if (Number.isNaN(d.getTime())) return '';
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// The API request for one page of the list.
export function listPath(f: LeadFilters, me: number, cursor: string | null): string {
  return (
    '/api/v1/contacts' +
    query({
      q: f.q.trim(),
      stage: f.stage,
      owner_id: f.owner === 'me' ? me : /^\d+$/.test(f.owner) ? f.owner : '',
      owner: f.owner === 'none' ? 'none' : '',
      source: f.source.trim(),
      campaign: f.campaign.trim(),
      created_from: f.from ? dayStart(f.from) : '',
      created_to: f.to ? dayStart(nextDay(f.to)) : '',
      sort: f.sort,
      reached: f.reached,
      reached_from: f.reached ? f.reached_from : '',
      reached_to: f.reached ? f.reached_to : '',
      converted: f.reached ? f.converted : '',
      window_days: f.reached && f.converted ? f.window_days : '',
      moved_out: f.moved_out,
      moved_out_from: f.moved_out ? f.moved_out_from : '',
      moved_out_to: f.moved_out ? f.moved_out_to : '',
      moved: f.moved_out ? f.moved : '',
      persona: f.persona,
      limit: PAGE_SIZE,
      cursor,
    })
  );
}

// "Reached MQL from 1 Oct 2026 to 31 Oct 2026, then SAL within 90 days": the funnel number
// these contacts make up.
export function reachSentence(f: LeadFilters): string {
  const end = new Date(Date.parse(f.reached_to) - 1).toISOString();
  let s = `Contacts that reached ${stageLabel(f.reached)} from ${formatDate(f.reached_from)} to ${formatDate(end)}`;
  const next = MAIN_PATH[MAIN_PATH.indexOf(f.reached) + 1];
  if (f.converted && next) {
    const days = f.window_days || '90';
    s += f.converted === 'true' ? `, then ${stageLabel(next)} within ${days} days` : `, and not ${stageLabel(next)} within ${days} days`;
  }
  return s;
}

// "Moved on from MQL (to a later stage) from 1 Oct 2026 to 31 Oct 2026": the period view's
// transition count these contacts made (each listed once, however often it moved).
export function moveSentence(f: LeadFilters): string {
  const end = new Date(Date.parse(f.moved_out_to) - 1).toISOString();
  const stage = stageLabel(f.moved_out);
  const how =
    f.moved === 'forward'
      ? `moved on from ${stage} to a later stage`
      : f.moved === 'dropped'
        ? `dropped from ${stage} to recycled or disqualified`
        : `moved out of ${stage} (on, recycled or disqualified)`;
  return `Contacts that ${how} from ${formatDate(f.moved_out_from)} to ${formatDate(end)}`;
}

// Columns hidden on narrow screens, as before the picker (a chosen column is still hidden on a
// phone when it is one of these: the table must not scroll sideways).
const COLUMN_CLASS: Partial<Record<Column, string>> = {
  title: 'hide-sm',
  owner: 'hide-sm owner',
  source: 'hide-md',
  campaign: 'hide-md',
  country: 'hide-md',
  email: 'hide-sm',
  created: 'hide-sm nowrap',
  updated: 'hide-md nowrap',
};

function cell(col: Column, c: Contact, emailUnderName: boolean, ownerName: (id: number) => string) {
  switch (col) {
    case 'name':
      return (
        <>
          <a href={`/contacts/${c.id}`} class="row-link">
            {personName(c)}
          </a>
          {emailUnderName && <div class="muted small ellipsis">{c.email}</div>}
        </>
      );
    case 'email':
      return c.email;
    case 'title':
      return c.title;
    case 'stage':
      return <StageBadge stage={c.stage} />;
    case 'owner':
      return c.owner_id === null ? <span class="muted">Unassigned</span> : ownerName(c.owner_id);
    case 'source':
      return c.source;
    case 'campaign':
      return c.campaign;
    case 'country':
      return c.country;
    case 'created':
      return formatDate(c.created_at);
    case 'updated':
      return formatDate(c.updated_at);
  }
}

export function Leads({ query: params }: PageProps) {
  useTitle('Leads');
  const { user } = useSession();
  const filters = filtersFrom(params);
  const set = (patch: Partial<LeadFilters>) => navigate(filtersPath({ ...filters, ...patch }), { replace: true });

  // Typed filters reach the address (and the server) once typing pauses.
  const [typed, setTyped] = useState({ q: filters.q, source: filters.source, campaign: filters.campaign });
  const settled = useDebounced(typed, 300);
  useEffect(() => {
    if (settled.q !== filters.q || settled.source !== filters.source || settled.campaign !== filters.campaign) set(settled);
  }, [settled.q, settled.source, settled.campaign]);
  // The address changed from outside (a link, back, Clear filters): show it in the inputs.
  // Our own debounced update leaves it alone, so typing on is never undone.
  useEffect(() => {
    if (filters.q !== settled.q || filters.source !== settled.source || filters.campaign !== settled.campaign) {
      setTyped({ q: filters.q, source: filters.source, campaign: filters.campaign });
    }
  }, [params.toString()]);

  // The cursors of the pages seen, for these filters only: a cursor is bound to its list, so
  // new filters start again at page 1 in the same render.
  const key = LIST_KEYS.map((k) => filters[k]).join('\u0001');
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = paging.key === key ? paging.cursors : [null];
  const setCursors = (c: (string | null)[]) => setPaging({ key, cursors: c });
  const cursor = cursors[cursors.length - 1] ?? null;

  const users = useLoad(() => loadUsers(), []);
  const path = listPath(filters, user.id, cursor);
  const loaded = useLoad((signal) => get<Page<Contact>>(path, signal).then((p) => ({ ...p, path })), [key, cursor]);
  const page = loaded;
  useReadyMark('leads', page.data !== undefined || page.error !== null);
  const owners = users.data ? [...users.data.values()].filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name)) : [];
  const anyFilter = LIST_KEYS.some((k) => k !== 'sort' && filters[k]);
  const columns = parseColumns(filters.columns);
  const [columnStatus, setColumnStatus] = useState('');
  const setColumns = (cols: Column[], said: string) => {
    setColumnStatus(said);
    set({ columns: columnsValue(cols) });
  };
  const pageNumber = cursors.length;

  // Bulk assign: admins, managers and marketing (marketing only for contacts nobody owns; the
  // server says which). The selection belongs to these filters.
  const canAssign = user.role !== 'sales';
  const [selection, setSelection] = useState<{ key: string; ids: number[]; all: boolean }>({ key, ids: [], all: false });
  const selected = selection.key === key ? selection.ids : [];
  const allMatching = selection.key === key && selection.all;
  const [assigned, setAssigned] = useState('');
  const rows = page.data?.items ?? [];
  const pageIds = rows.map((c) => c.id);
  const allOnPage = pageIds.length > 0 && pageIds.every((id) => selected.includes(id));
  const toggle = (id: number, on: boolean) =>
    setSelection({ key, all: false, ids: on ? [...selected.filter((x) => x !== id), id] : selected.filter((x) => x !== id) });
  const togglePage = (on: boolean) =>
    setSelection({ key, all: false, ids: on ? [...new Set([...selected, ...pageIds])] : selected.filter((x) => !pageIds.includes(x)) });
  const assignable = owners.filter((u) => u.role !== 'marketing');
  const done = (r: BulkResult) => {
    setSelection({ key, ids: [], all: false });
    const who = r.assigned === 1 ? '1 contact' : `${r.assigned} contacts`;
    setAssigned(
      `Assigned ${who}` +
        (r.handed_over ? `, ${r.handed_over} of them as leads with their SLA clocks` : '') +
        (r.unchanged.length ? `; ${r.unchanged.length} already had that owner` : '') +
        '.',
    );
    page.reload();
  };

  return (
    <div class="page">
      <PageHeader title="Leads">
        <a class="button secondary small" href={exportPath(filters)} download>
          Export CSV
        </a>
      </PageHeader>
      <SavedViews filters={filters} />
      <ColumnPicker columns={columns} onChange={setColumns} status={columnStatus} />
      <form class="filters card" role="search" aria-label="Filter leads" onSubmit={(e) => e.preventDefault()}>
        <div class="field grow">
          <label for="lead-q">Search</label>
          <input
            id="lead-q"
            type="search"
            placeholder="Name, email or company"
            value={typed.q}
            onInput={(e) => setTyped({ ...typed, q: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="lead-stage">Stage</label>
          <select id="lead-stage" value={filters.stage} onChange={(e) => set({ stage: e.currentTarget.value })}>
            <option value="">Any stage</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stageLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="lead-owner">Owner</label>
          <select id="lead-owner" value={filters.owner} onChange={(e) => set({ owner: e.currentTarget.value })}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Nobody (unassigned)</option>
            {owners
              .filter((u) => u.id !== user.id)
              .map((u: User) => (
                <option key={u.id} value={String(u.id)}>
                  {u.name}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for="lead-sort">Sort</label>
          <select id="lead-sort" value={filters.sort || '-created_at'} onChange={(e) => set({ sort: e.currentTarget.value === '-created_at' ? '' : e.currentTarget.value })}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <details class="more-filters" open={Boolean(filters.source || filters.campaign || filters.from || filters.to)}>
          <summary>More filters</summary>
          <div class="filters-row">
            <div class="field">
              <label for="lead-source">Source</label>
              <input id="lead-source" value={typed.source} placeholder="e.g. webinar" onInput={(e) => setTyped({ ...typed, source: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="lead-campaign">Campaign</label>
              <input id="lead-campaign" value={typed.campaign} onInput={(e) => setTyped({ ...typed, campaign: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="lead-from">Created from</label>
              <input id="lead-from" type="date" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="lead-to">Created until</label>
              <input id="lead-to" type="date" value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} />
            </div>
          </div>
        </details>
        {filters.reached && (
          <p class="reach-chip" role="note">
            <span>{reachSentence(filters)}</span>
            <button type="button" class="secondary small" onClick={() => set({ reached: '', reached_from: '', reached_to: '', converted: '', window_days: '' })}>
              Remove this filter
            </button>
          </p>
        )}
        {filters.moved_out && (
          <p class="reach-chip move-chip" role="note">
            <span>{moveSentence(filters)}</span>
            <button type="button" class="secondary small" aria-label="Remove the move filter" onClick={() => set({ moved_out: '', moved_out_from: '', moved_out_to: '', moved: '' })}>
              Remove this filter
            </button>
          </p>
        )}
        {filters.persona && (
          <p class="reach-chip" role="note">
            <span>{filters.persona === 'none' ? 'Contacts matching no persona' : `Contacts matching the persona ${filters.persona}`}</span>
            <button type="button" class="secondary small" aria-label="Remove the persona filter" onClick={() => set({ persona: '' })}>
              Remove
            </button>
          </p>
        )}
        {anyFilter && (
          <button type="button" class="secondary small clear" onClick={() => navigate(filtersPath({ ...filtersFrom(new URLSearchParams()), sort: filters.sort, columns: filters.columns }), { replace: true })}>
            Clear filters
          </button>
        )}
      </form>

      {canAssign && (selected.length > 0 || allMatching) && (
        <BulkAssign selected={selected} allMatching={allMatching} filters={filters} owners={assignable} onDone={done} onClear={() => setSelection({ key, ids: [], all: false })} />
      )}
      {canAssign && allOnPage && !allMatching && page.data?.next_cursor && (
        <p class="select-all note">
          All {pageIds.length} contacts on this page are selected.{' '}
          <button type="button" class="secondary small" onClick={() => setSelection({ key, ids: [], all: true })}>
            Select every contact matching these filters (at most {BULK_LIMIT})
          </button>
        </p>
      )}
      {assigned && (
        <p class="note" role="status">
          {assigned}
        </p>
      )}
      <section aria-labelledby="results-title" class="results">
        <h2 id="results-title" class="visually-hidden">
          Results
        </h2>
        {page.error ? (
          <ErrorNote error={page.error} retry={page.reload} />
        ) : !page.data ? (
          <Loading label="Loading leads…" />
        ) : page.data.items.length === 0 ? (
          <Empty title={anyFilter ? 'No contact matches these filters' : 'No contacts yet'}>
            {anyFilter ? <p>Try fewer filters, or another search.</p> : <p>Contacts appear here as forms, events and imports bring them in.</p>}
          </Empty>
        ) : (
          <>
            <div class="table-wrap" aria-busy={page.loading ? 'true' : 'false'} data-loaded={page.data.path}>
              <table class="table leads">
                <caption class="visually-hidden">Contacts, page {pageNumber}</caption>
                <thead>
                  <tr>
                    {canAssign && (
                      <th scope="col" class="select-col">
                        <input type="checkbox" aria-label="Select every contact on this page" checked={allOnPage || allMatching} disabled={allMatching} onChange={(e) => togglePage(e.currentTarget.checked)} />
                      </th>
                    )}
                    {columns.map((col) => (
                      <th scope="col" key={col} class={COLUMN_CLASS[col]} data-col={col}>
                        {COLUMN_LABELS[col]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.data.items.map((c) => (
                    <tr key={c.id} class={selected.includes(c.id) || allMatching ? 'selected' : undefined}>
                      {canAssign && (
                        <td class="select-col">
                          <input
                            type="checkbox"
                            aria-label={`Select ${personName(c)}`}
                            checked={allMatching || selected.includes(c.id)}
                            disabled={allMatching}
                            onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                          />
                        </td>
                      )}
                      {columns.map((col) => (
                        <td key={col} class={COLUMN_CLASS[col]}>
                          {cell(col, c, !columns.includes('email'), (id) => users.data?.get(id)?.name ?? `User ${id}`)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav class="pager" aria-label="Pages">
              <button type="button" class="secondary" disabled={pageNumber === 1 || page.loading} onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous
              </button>
              <span aria-live="polite" class="pager-status">
                Page {pageNumber} · {page.data.items.length} contacts{page.loading ? ' · loading…' : ''}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={!page.data.next_cursor || page.loading}
                onClick={() => page.data?.next_cursor && setCursors([...cursors, page.data.next_cursor])}
              >
                Next
              </button>
            </nav>
          </>
        )}
      </section>
    </div>
  );
}
