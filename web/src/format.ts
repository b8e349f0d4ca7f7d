// Formatting for people: names, stages, dates and numbers.

export const STAGES = [
  'visitor',
  'lead',
  'mql',
  'sal',
  'sql',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_LABELS: Record<Stage, string> = {
  visitor: 'Visitor',
  lead: 'Lead',
  mql: 'MQL',
  sal: 'SAL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  customer: 'Customer',
  recycled: 'Recycled',
  disqualified: 'Disqualified',
};

export function stageLabel(s: string): string {
  return (STAGE_LABELS as Record<string, string>)[s] ?? s;
}

// 950 -> "950", 1500 -> "1.5k", 2000000 -> "2M": axis labels that stay short.
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(1));
}

const number = new Intl.NumberFormat('en');
export function formatNumber(n: number): string {
  return number.format(n);
}

const dateTime = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

// "3 days ago", "in 2 hours": for times near now.
export function formatRelative(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 86400 * 60) return rtf.format(Math.round(seconds / 86400), 'day');
  return formatDate(iso);
}

export function personName(c: { first_name: string; last_name: string; email: string }): string {
  const name = `${c.first_name} ${c.last_name}`.trim();
  return name || c.email || 'Unnamed contact';
}

// A date field's value (YYYY-MM-DD) as the instant starting that day in UTC, for the API.
export function dayStart(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00Z` : '';
}
