// Live SLA countdowns in business time. The server says, for each open clock, how much
// business time is left as of its answer, whether business time is passing then (the owner's
// calendar is open) and when that flips next (GET /api/v1/contacts/{id}/handoff). The browser
// counts down from the moment the answer arrived with its own monotonic clock (so a wrong clock
// on the laptop does not matter), and asks again once the flip time has passed.

export type Obligation = 'first_touch' | 'attempts' | 'disposition';

export interface SlaClock {
  id: number;
  contact_id: number;
  assignment_id: number;
  owner_id: number;
  obligation: Obligation;
  state: 'open' | 'met' | 'breached' | 'cancelled';
  started_at: string;
  due_at: string;
  target: number;
  progress: number;
  met_at: string | null;
  breached_at: string | null;
  remaining_business_seconds: number | null;
  counting: boolean | null;
  counting_changes_at: string | null;
}

export interface Assignment {
  id: number;
  contact_id: number;
  owner_id: number | null;
  rule: string;
  text: string;
  assigned_at: string;
  status: string;
  first_touch_at: string | null;
  attempts: number;
}

export interface Handoff {
  assignments: Assignment[];
  clocks: SlaClock[];
  as_of: string;
}

export interface Live {
  seconds: number; // business seconds left (negative: overdue)
  counting: boolean;
  stale: boolean; // the flip time has passed: ask the server again
}

// `received` and `now` are readings of the same monotonic clock (performance.now(), ms).
export function liveRemaining(clock: SlaClock, asOf: string, received: number, now: number): Live {
  const base = clock.remaining_business_seconds ?? 0;
  const counting = clock.counting === true;
  const elapsed = Math.max(0, (now - received) / 1000);
  let stale = false;
  if (clock.counting_changes_at) {
    const flip = (Date.parse(clock.counting_changes_at) - Date.parse(asOf)) / 1000;
    if (Number.isFinite(flip) && elapsed >= flip) stale = true;
  }
  return { seconds: counting ? Math.floor(base - elapsed) : base, counting, stale };
}

const pad = (n: number) => String(n).padStart(2, '0');

// 14400 -> "4h 00m 00s", 75 -> "1m 15s", 9 -> "9s".
export function formatBusiness(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(r)}s`;
  if (m > 0) return `${m}m ${pad(r)}s`;
  return `${r}s`;
}

// Words for a screen reader (announced rarely, not every second).
export function sayBusiness(seconds: number): string {
  const s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m || !h) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  return parts.join(' ');
}

export const OBLIGATIONS: Record<Obligation, string> = {
  first_touch: 'First touch',
  attempts: 'Attempts',
  disposition: 'Accept or reject',
};

export function urgency(seconds: number): 'overdue' | 'soon' | 'ok' {
  if (seconds <= 0) return 'overdue';
  if (seconds < 3600) return 'soon';
  return 'ok';
}

// The open clock due first, by business time left (the one the rep must act on first).
export function mostUrgent(h: Handoff): SlaClock | undefined {
  let best: SlaClock | undefined;
  for (const c of h.clocks) {
    if (c.state !== 'open' || c.remaining_business_seconds === null) continue;
    if (!best || c.remaining_business_seconds < (best.remaining_business_seconds ?? Infinity)) best = c;
  }
  return best;
}
