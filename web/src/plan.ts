// The planner's inputs as people type them, turned into a POST /api/v1/plan body; and the
// documents the plan, goals and funnel endpoints answer with.

export const STEPS = ['visitor_lead', 'lead_mql', 'mql_sal', 'sal_sql', 'sql_opportunity', 'opportunity_customer'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABELS: Record<Step, string> = {
  visitor_lead: 'Visitor → Lead',
  lead_mql: 'Lead → MQL',
  mql_sal: 'MQL → SAL',
  sal_sql: 'SAL → SQL',
  sql_opportunity: 'SQL → Opportunity',
  opportunity_customer: 'Opportunity → Customer',
};

export interface PlanStage {
  stage: string;
  name: string;
  team: 'marketing' | 'sales';
  exact: number;
  needed: number;
  per_period: number;
  lead_days: number;
  rate_to_next: number | null;
  rate_source: 'given' | 'measured' | null;
  median_days_to_next: number | null;
  buckets: { start: string; end: string; target: number }[];
}

export interface Plan {
  revenue: number;
  deal_size: number;
  deal_size_source: 'given' | 'measured';
  currency: string;
  from: string;
  to: string;
  per: 'week' | 'month';
  periods: number;
  measured_from: string;
  measured_to: string;
  stages: PlanStage[];
}

export interface PlanInput {
  revenue: string;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, included
  dealSize: string; // empty: measured
  per: 'week' | 'month';
  rates: Partial<Record<Step, string>>; // percent; empty: measured
}

export interface PlanBody {
  revenue: number;
  from: string;
  to: string;
  per: 'week' | 'month';
  deal_size?: number;
  rates?: Partial<Record<Step, number>>;
}

export type Checked = { ok: true; body: PlanBody } | { ok: false; field: string; message: string };

// "1,000,000" or "1 000 000.50" -> 1000000.5; NaN when it is not a number.
export function parseAmount(text: string): number {
  const t = text.replace(/[\s,_]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return NaN;
  return Number(t);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// Checks what the server would refuse, so a half-typed number never reaches it; the field
// names are the form's.
export function planBody(input: PlanInput): Checked {
  const revenue = parseAmount(input.revenue);
  if (!(revenue > 0)) return { ok: false, field: 'revenue', message: 'Enter the revenue target, a number above 0.' };
  if (!DAY.test(input.from)) return { ok: false, field: 'from', message: 'Choose the first day of the period.' };
  if (!DAY.test(input.to)) return { ok: false, field: 'to', message: 'Choose the last day of the period.' };
  if (input.to < input.from) return { ok: false, field: 'to', message: 'The period ends before it starts.' };
  const body: PlanBody = { revenue, from: input.from, to: input.to, per: input.per };
  if (input.dealSize.trim()) {
    const d = parseAmount(input.dealSize);
    if (!(d > 0)) return { ok: false, field: 'deal_size', message: 'The deal size must be a number above 0, or empty to measure it.' };
    body.deal_size = d;
  }
  const rates: Partial<Record<Step, number>> = {};
  for (const s of STEPS) {
    const text = (input.rates[s] ?? '').trim().replace(/%$/, '').trim();
    if (!text) continue;
    const pct = Number(text);
    if (!Number.isFinite(pct) || pct <= 0 || pct > 100) {
      return { ok: false, field: `rate-${s}`, message: `${STEP_LABELS[s]}: a rate is a percentage above 0 and at most 100.` };
    }
    rates[s] = Math.round(pct * 100) / 10000;
  }
  if (Object.keys(rates).length) body.rates = rates;
  return { ok: true, body };
}

export function percent(r: number | null | undefined, digits = 1): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return `${+(r * 100).toFixed(digits)}%`;
}
