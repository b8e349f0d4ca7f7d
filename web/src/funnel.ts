// The funnel explorer's state in the address, the API query it makes, and the leads-list
// links to the contacts behind each number.
import { query } from './api';
import { STEPS, type Step } from './plan';

export const MAIN_STAGES = ['visitor', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer'] as const;
export const BREAKDOWNS = ['source', 'campaign', 'persona', 'owner', 'week'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface FunnelStep {
  step: Step;
  label: string;
  base: number;
  passed: number;
  dropped: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  p50_hours: number | null;
  p90_hours: number | null;
}

export interface Funnel {
  key: string;
  stages: { stage: string; reached: number }[];
  steps: FunnelStep[];
}

export interface BrokenStep {
  step: Step;
  label: string;
  rate: number;
  planned: number;
  low: number;
  high: number;
  extra_deals: number;
  revenue: number;
  sentence: string;
}

export interface FunnelReport {
  from: string;
  to: string;
  view: 'cohort' | 'period';
  by: Breakdown | null;
  window_days: number;
  has_data: boolean;
  summary: string;
  deal_size: number | null;
  total: Funnel;
  breakdown: Funnel[];
  broken_steps: BrokenStep[];
}

export interface FunnelState {
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, included
  view: 'cohort' | 'period';
  by: Breakdown | '';
  window: string; // days, cohort view
  source: string;
  campaign: string;
  owner: string; // a user id
  goal: string; // a goal id whose planned rates are the plan; 'none': no plan
  plan: Partial<Record<Step, number>>; // rates from the address (the planner's link)
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

// The last 90 days, today included, unless the address says otherwise.
export function funnelState(params: URLSearchParams, today = isoDay(new Date())): FunnelState {
  const get = (k: string) => params.get(k) ?? '';
  let to = DAY.test(get('to')) ? get('to') : today;
  let from = DAY.test(get('from')) ? get('from') : addDays(to, -89);
  if (from > to) [from, to] = [to, from];
  const plan: Partial<Record<Step, number>> = {};
  for (const s of STEPS) {
    const r = Number(params.get(`plan_${s}`));
    if (params.get(`plan_${s}`) && r > 0 && r <= 1) plan[s] = r;
  }
  return {
    from,
    to,
    view: get('view') === 'period' ? 'period' : 'cohort',
    by: (BREAKDOWNS as readonly string[]).includes(get('by')) ? (get('by') as Breakdown) : '',
    window: /^\d{1,4}$/.test(get('window')) && Number(get('window')) >= 1 ? get('window') : '',
    source: get('source'),
    campaign: get('campaign'),
    owner: /^\d+$/.test(get('owner')) ? get('owner') : '',
    goal: /^(\d+|none)$/.test(get('goal')) ? get('goal') : '',
    plan,
  };
}

export function statePath(s: FunnelState): string {
  const p: Record<string, string | number> = {
    from: s.from,
    to: s.to,
    view: s.view === 'cohort' ? '' : s.view,
    by: s.by,
    window: s.view === 'cohort' ? s.window : '',
    source: s.source,
    campaign: s.campaign,
    owner: s.owner,
    goal: s.goal,
  };
  for (const [k, v] of Object.entries(s.plan)) p[`plan_${k}`] = v;
  return '/funnel' + query(p);
}

export const startOf = (day: string) => `${day}T00:00:00Z`;

// GET /api/v1/funnel for the state and the plan's rates (none: no verdict on a broken step).
export function funnelPath(s: FunnelState, plan: Partial<Record<Step, number>>): string {
  const p: Record<string, string | number> = {
    from: startOf(s.from),
    to: startOf(addDays(s.to, 1)),
    view: s.view,
    by: s.by,
    window_days: s.view === 'cohort' ? s.window : '',
    source: s.source,
    campaign: s.campaign,
    owner_id: s.owner,
  };
  for (const [k, v] of Object.entries(plan)) p[`plan_${k}`] = v;
  return '/api/v1/funnel' + query(p);
}

// The period of the funnel and the list parameters of a breakdown's group (a week of the week
// breakdown narrows the period to that week inside it). Null when the list cannot select the
// group (an empty source or campaign: no filter selects "none").
function groupScope(s: FunnelState, key: string | null): { p: Record<string, string | number>; from: string; to: string } | null {
  let from = startOf(s.from);
  let to = startOf(addDays(s.to, 1));
  const p: Record<string, string | number> = { source: s.source, campaign: s.campaign, owner: s.owner };
  if (key !== null && s.by) {
    switch (s.by) {
      case 'source':
      case 'campaign':
        if (!key) return null;
        p[s.by] = key;
        break;
      case 'owner':
        p['owner'] = key || 'none';
        break;
      case 'persona':
        p['persona'] = key || 'none';
        break;
      case 'week': {
        if (!DAY.test(key)) return null;
        const ws = startOf(key);
        const we = startOf(addDays(key, 7));
        if (ws > from) from = ws;
        if (we < to) to = we;
        break;
      }
    }
  }
  return { p, from, to };
}

// The leads list of the contacts behind a number: those reaching `stage` in the period (or, for
// a week of the week breakdown, in that week inside the period), in the breakdown's group; with
// `converted`, those that passed the next step within the window or did not. Null when the
// list cannot say it (an empty source or campaign: no filter selects "none").
export function contactsLink(
  s: FunnelState,
  report: Pick<FunnelReport, 'window_days'>,
  stage: string,
  key: string | null,
  converted?: boolean,
): string | null {
  const g = groupScope(s, key);
  if (!g) return null;
  const { p } = g;
  p['reached'] = stage;
  p['reached_from'] = g.from;
  p['reached_to'] = g.to;
  if (converted !== undefined) {
    p['converted'] = String(converted);
    p['window_days'] = report.window_days;
  }
  return '/leads' + query(p);
}

// The period view's transition counts: the leads list of the contacts that moved out of
// `stage` in the period (the week's days for a week), forward or dropped, in the group. The
// counts are moves; a contact moving out twice is listed once.
export function movesLink(s: FunnelState, stage: string, key: string | null, moved: 'forward' | 'dropped'): string | null {
  const g = groupScope(s, key);
  if (!g || stage === 'customer') return null;
  const { p } = g;
  p['moved_out'] = stage;
  p['moved'] = moved;
  p['moved_out_from'] = g.from;
  p['moved_out_to'] = g.to;
  return '/leads' + query(p);
}

// "3 h", "2.5 d": time in stage.
export function formatHours(h: number | null): string {
  if (h === null) return '—';
  if (h < 48) return `${h} h`;
  return `${+(h / 24).toFixed(1)} d`;
}
