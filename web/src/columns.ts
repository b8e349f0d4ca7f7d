// The leads list's columns: which are shown and in what order. The choice lives in the page's
// address as `columns=name,stage,owner` (absent: the default) and is saved with a view in the
// same form (the API checks the names against the same list, docs/dashboard.md).

export const COLUMNS = ['name', 'email', 'title', 'stage', 'owner', 'source', 'campaign', 'country', 'created', 'updated'] as const;
export type Column = (typeof COLUMNS)[number];

export const DEFAULT_COLUMNS: readonly Column[] = ['name', 'title', 'stage', 'owner', 'source', 'created'];

export const COLUMN_LABELS: Record<Column, string> = {
  name: 'Name',
  email: 'Email',
  title: 'Title',
  stage: 'Stage',
  owner: 'Owner',
  source: 'Source',
  campaign: 'Campaign',
  country: 'Country',
  created: 'Created',
  updated: 'Updated',
};

// The columns of an address or view value: known names, each once, the name always first
// among them if missing (it carries the link to the contact). Empty or unusable: the default.
export function parseColumns(value: string | null | undefined): Column[] {
  const seen: Column[] = [];
  for (const raw of (value ?? '').split(',')) {
    const c = raw.trim() as Column;
    if ((COLUMNS as readonly string[]).includes(c) && !seen.includes(c)) seen.push(c);
  }
  if (seen.length === 0) return [...DEFAULT_COLUMNS];
  if (!seen.includes('name')) seen.unshift('name');
  return seen;
}

// The address value for a choice: '' for the default, so default lists keep short addresses
// and match views saved without columns.
export function columnsValue(cols: readonly Column[]): string {
  const same = cols.length === DEFAULT_COLUMNS.length && cols.every((c, i) => c === DEFAULT_COLUMNS[i]);
  return same ? '' : cols.join(',');
}

// Show or hide a column; a shown column joins at its place in the full list's order among
// those shown. The name cannot be hidden.
export function toggleColumn(cols: readonly Column[], c: Column, on: boolean): Column[] {
  if (c === 'name') return [...cols];
  if (!on) return cols.filter((x) => x !== c);
  if (cols.includes(c)) return [...cols];
  const out = [...cols];
  const rank = COLUMNS.indexOf(c);
  const at = out.findIndex((x) => COLUMNS.indexOf(x) > rank);
  out.splice(at === -1 ? out.length : at, 0, c);
  return out;
}

// Move a shown column one place earlier (-1) or later (+1); nothing happens at either end.
export function moveColumn(cols: readonly Column[], c: Column, by: -1 | 1): Column[] {
  const out = [...cols];
  const i = out.indexOf(c);
  const j = i + by;
  if (i < 0 || j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j] as Column, out[i] as Column];
  return out;
}
