// Saved views of the leads list (docs/dashboard.md, "Saved views"). A view's query is in the
// parameters of GET /api/v1/contacts (what the server checks, and what the CSV export and
// bulk assign take), while the page's address keeps its own, friendlier keys (days instead of
// instants, owner=me): these functions translate both ways.
import { query } from './api';
import { columnsValue, parseColumns } from './columns';
import { dayStart } from './format';

export interface SavedView {
  id: number;
  name: string;
  query: string;
  owner_id: number;
  shared: boolean;
  created_at: string;
  updated_at: string;
}

// The address filters a view needs (a subset of the leads page's LeadFilters).
export interface ViewFilters {
  q: string;
  stage: string;
  owner: string; // '', 'me', 'none' or a user id
  source: string;
  campaign: string;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
  sort: string;
  reached: string;
  reached_from: string;
  reached_to: string;
  converted: string;
  window_days: string;
  moved_out?: string;
  moved_out_from?: string;
  moved_out_to?: string;
  moved?: string;
  persona: string;
  columns?: string; // the column choice as in the address ('' or absent: the default)
}

function addDays(day: string, n: number): string {
  const t = Date.parse(dayStart(day));
  if (Number.isNaN(t)) return '';
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

// The list's filters as API parameters, without paging: "stage=mql&owner=me&sort=email".
export function filterParams(f: ViewFilters): Record<string, string> {
  const p: Record<string, string> = {
    q: f.q.trim(),
    stage: f.stage,
    owner_id: /^\d+$/.test(f.owner) ? f.owner : '',
    owner: f.owner === 'none' || f.owner === 'me' ? f.owner : '',
    source: f.source.trim(),
    campaign: f.campaign.trim(),
    created_from: f.from ? dayStart(f.from) : '',
    created_to: f.to ? dayStart(addDays(f.to, 1)) : '',
    sort: f.sort,
    reached: f.reached,
    reached_from: f.reached ? f.reached_from : '',
    reached_to: f.reached ? f.reached_to : '',
    converted: f.reached ? f.converted : '',
    window_days: f.reached && f.converted ? f.window_days : '',
    moved_out: f.moved_out ?? '',
    moved_out_from: f.moved_out ? f.moved_out_from ?? '' : '',
    moved_out_to: f.moved_out ? f.moved_out_to ?? '' : '',
    moved: f.moved_out ? f.moved ?? '' : '',
    persona: f.persona,
  };
  for (const k of Object.keys(p)) if (!p[k]) delete p[k];
  return p;
}

export function filterQuery(f: ViewFilters): string {
  return query(filterParams(f)).replace(/^\?/, '');
}

// What a view saves: the filters and the column choice (the default is not written).
export function viewQuery(f: ViewFilters): string {
  const cols = columnsValue(parseColumns(f.columns));
  const q = filterQuery(f);
  if (!cols) return q;
  return (q ? q + '&' : '') + 'columns=' + cols;
}

// A view's query back into the page's address parameters.
export function addressFromView(viewQuery: string): URLSearchParams {
  const v = new URLSearchParams(viewQuery);
  const out = new URLSearchParams();
  const copy = ['q', 'stage', 'source', 'campaign', 'sort', 'reached', 'reached_from', 'reached_to', 'converted', 'window_days', 'moved_out', 'moved_out_from', 'moved_out_to', 'moved', 'persona'];
  for (const k of copy) {
    const x = v.get(k);
    if (x) out.set(k, x);
  }
  const owner = v.get('owner') || v.get('owner_id');
  if (owner) out.set('owner', owner);
  const from = v.get('created_from');
  if (from && !Number.isNaN(Date.parse(from))) out.set('from', new Date(from).toISOString().slice(0, 10));
  const to = v.get('created_to');
  if (to && !Number.isNaN(Date.parse(to))) out.set('to', new Date(Date.parse(to) - 1).toISOString().slice(0, 10));
  const cols = columnsValue(parseColumns(v.get('columns')));
  if (cols) out.set('columns', cols);
  return out;
}

// The view whose filters and columns are exactly this list's, if any (to show it as the one
// chosen); columns equal to the default count as none.
export function matchingView(views: readonly SavedView[], f: ViewFilters): SavedView | undefined {
  const mine = new URLSearchParams(viewQuery(f));
  mine.sort();
  return views.find((v) => {
    const theirs = new URLSearchParams(v.query);
    const cols = columnsValue(parseColumns(theirs.get('columns')));
    theirs.delete('columns');
    if (cols) theirs.set('columns', cols);
    theirs.sort();
    return theirs.toString() === mine.toString();
  });
}
