// Goals and planner: the reverse funnel from a revenue target, recomputed as the target or the
// rates change (POST /api/v1/plan, 350 ms after typing stops), and each goal's plan against
// actual per stage with its pace, forecast and probability (GET /api/v1/goals/{id}/progress).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, query, request } from '../api';
import { PairChart } from '../components/PairChart';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDate, formatDateTime, formatNumber, stageLabel } from '../format';
import { useDebounced, useLoad, useReadyMark, useTitle } from '../hooks';
import { STEPS, STEP_LABELS, percent, planBody, type Plan, type PlanBody, type PlanInput, type Step } from '../plan';
import type { PageProps } from '../routes';
import type { Page } from '../types';
import { GoalForm, type GoalInput, type SavedGoal } from '../components/GoalForm';
import { useSession } from '../session';

interface Goal {
  id: number;
  name: string;
  metric: string;
  target: number;
  currency: string;
  from: string;
  to: string;
  owners: string[];
  source: string | null;
  campaign: string | null;
  rates: Partial<Record<Step, number>>;
}

interface StageProgress {
  stage: string;
  planned: number | null;
  actual: number;
  expected_by_today: number | null;
  pace: number | null;
  p_to_target: number | null;
}

interface GoalProgress {
  goal_id: number;
  metric: string;
  measured_at: string;
  target: number;
  actual: number;
  period_days: number;
  elapsed_days: number;
  expected_by_today: number;
  pace: number | null;
  stages: StageProgress[];
  forecast: number;
  forecast_p10: number;
  forecast_p90: number;
  probability: number;
  probability_low: number;
  probability_high: number;
  summary: string;
}

const METRICS: Record<string, string> = {
  revenue: 'Revenue',
  new_customers: 'New customers',
  mqls: 'MQLs',
  sqls: 'SQLs',
  sals: 'SALs',
  opportunities: 'Opportunities',
  leads: 'Leads',
};

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

// This quarter (UTC), first day to last day.
function thisQuarter(now = new Date()): { from: string; to: string } {
  const q = Math.floor(now.getUTCMonth() / 3) * 3;
  return { from: isoDay(new Date(Date.UTC(now.getUTCFullYear(), q, 1))), to: isoDay(new Date(Date.UTC(now.getUTCFullYear(), q + 3, 0))) };
}

export function Goals(_: PageProps) {
  useTitle('Goals and planner');
  return (
    <div class="page">
      <PageHeader title="Goals and planner" />
      <p class="lede">From a revenue target back to the visits, leads and MQLs it takes, and each goal against its plan.</p>
      <Planner />
      <GoalsSection />
    </div>
  );
}

function Planner() {
  const [input, setInput] = useState<PlanInput>(() => ({ revenue: '1,000,000', ...thisQuarter(), dealSize: '', per: 'month', rates: {} }));
  const settled = useDebounced(input, 350);
  const checked = planBody(settled);
  // Input being typed that the server would refuse keeps the last plan on screen.
  const lastGood = useRef<PlanBody | null>(null);
  if (checked.ok) lastGood.current = checked.body;
  const body = lastGood.current;
  const key = JSON.stringify(body);
  const plan = useLoad((signal) => (body ? request<Plan>('POST', '/api/v1/plan', { body, signal }).then((p) => ({ ...p, key })) : Promise.resolve(null)), [key]);
  useReadyMark('planner', plan.data !== undefined || plan.error !== null);
  const set = (patch: Partial<PlanInput>) => setInput({ ...input, ...patch });
  const setRate = (s: Step, v: string) => setInput({ ...input, rates: { ...input.rates, [s]: v } });
  const p = plan.data ?? undefined;
  const measured = new Map<string, number | null>();
  for (const st of p?.stages ?? []) measured.set(st.stage, st.rate_to_next);
  const stale = settled !== input || plan.loading || !checked.ok || p?.key !== key;
  const fieldError = !checked.ok ? checked : plan.error instanceof ApiError && plan.error.field ? { field: plan.error.field, message: plan.error.message } : null;
  const funnelLink = p ? '/funnel' + query({ ...Object.fromEntries(STEPS.map((s, i) => [`plan_${s}`, p.stages[i]?.rate_to_next ?? ''])) }) : '';

  return (
    <section class="card" aria-labelledby="planner-title">
      <h2 id="planner-title">Reverse-funnel planner</h2>
      <form class="planner-form" onSubmit={(e) => e.preventDefault()} aria-describedby="planner-help">
        <div class="field">
          <label for="plan-revenue">Revenue target</label>
          <input id="plan-revenue" inputMode="decimal" value={input.revenue} onInput={(e) => set({ revenue: e.currentTarget.value })} aria-invalid={fieldError?.field === 'revenue'} />
        </div>
        <div class="field">
          <label for="plan-from">From</label>
          <input id="plan-from" type="date" value={input.from} onInput={(e) => set({ from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="plan-to">Until (included)</label>
          <input id="plan-to" type="date" value={input.to} onInput={(e) => set({ to: e.currentTarget.value })} aria-invalid={fieldError?.field === 'to'} />
        </div>
        <div class="field">
          <label for="plan-deal">Deal size</label>
          <input id="plan-deal" inputMode="decimal" placeholder={p ? `${formatNumber(p.deal_size)} measured` : 'measured'} value={input.dealSize} onInput={(e) => set({ dealSize: e.currentTarget.value })} aria-invalid={fieldError?.field === 'deal_size'} />
        </div>
        <div class="field">
          <label for="plan-per">Per</label>
          <select id="plan-per" value={input.per} onChange={(e) => set({ per: e.currentTarget.value as 'week' | 'month' })}>
            <option value="month">Month</option>
            <option value="week">Week</option>
          </select>
        </div>
        <fieldset class="rates">
          <legend>Step rates (%) — empty: measured over the last 180 days</legend>
          {STEPS.map((s, i) => (
            <div class="field rate" key={s}>
              <label for={`rate-${s}`}>{STEP_LABELS[s]}</label>
              <input
                id={`rate-${s}`}
                inputMode="decimal"
                placeholder={percent(measured.get(p?.stages[i]?.stage ?? '') ?? null)}
                value={input.rates[s] ?? ''}
                onInput={(e) => setRate(s, e.currentTarget.value)}
                aria-invalid={fieldError?.field === `rate-${s}` || fieldError?.field === `rates.${s}`}
              />
            </div>
          ))}
        </fieldset>
      </form>
      <p id="planner-help" class="muted small">
        The plan follows what you type. Every stage is rounded up; the schedule of each stage starts earlier by the median time of the steps after it.
      </p>
      {fieldError ? (
        <p class="note error" role="alert">
          {fieldError.message}
          {plan.error instanceof ApiError && plan.error.field === 'deal_size' ? ' Give a deal size: no deal was won in the last 180 days to measure it.' : ''}
        </p>
      ) : plan.error ? (
        <ErrorNote error={plan.error} retry={plan.reload} />
      ) : null}
      {!p ? (
        !plan.error && body && <Loading label="Planning…" />
      ) : (
        <div aria-busy={stale ? 'true' : 'false'} class="plan-result" data-plan={p.key}>
          <p class="plan-sentence" aria-live="polite">
            {formatNumber(p.revenue)} {p.currency} from {formatDate(p.from)} to {formatDate(p.to)} at {formatNumber(p.deal_size)} {p.currency} a deal ({p.deal_size_source}) takes{' '}
            <strong>{formatNumber(p.stages[p.stages.length - 1]?.needed ?? 0)} deals</strong>, {formatNumber(p.stages.find((s) => s.stage === 'mql')?.needed ?? 0)} MQLs and{' '}
            {formatNumber(p.stages.find((s) => s.stage === 'lead')?.needed ?? 0)} leads: about {formatNumber(p.stages.find((s) => s.stage === 'mql')?.per_period ?? 0)} MQLs a {p.per}.
          </p>
          <div class="table-wrap">
            <table class="table plan-table">
              <caption class="visually-hidden">The plan per stage</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col" class="hide-sm">Team</th>
                  <th scope="col" class="num">Needed</th>
                  <th scope="col" class="num">Per {p.per}</th>
                  <th scope="col" class="num">Rate to next</th>
                  <th scope="col" class="num hide-sm">Starts earlier</th>
                  <th scope="col" class="hide-md" aria-hidden="true">
                    <span class="visually-hidden">Bar</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.stages.map((s) => (
                  <tr key={s.stage} data-stage={s.stage}>
                    <th scope="row">{stageLabel(s.stage)}</th>
                    <td class="hide-sm">{s.team === 'marketing' ? 'Marketing' : 'Sales'}</td>
                    <td class="num needed">{formatNumber(s.needed)}</td>
                    <td class="num">{formatNumber(s.per_period)}</td>
                    <td class="num">
                      {percent(s.rate_to_next)}
                      {s.rate_source && <span class="muted small"> {s.rate_source}</span>}
                    </td>
                    <td class="num hide-sm">{s.lead_days ? `${s.lead_days} d` : '—'}</td>
                    <td class="hide-md bar-cell" aria-hidden="true">
                      <span class={`hbar ${s.team}`} style={{ width: `${logShare(s.needed, p.stages[0]?.needed ?? 1)}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted small">
            Bars on a logarithmic scale. Measured figures: {formatDateTime(p.measured_from)} to {formatDateTime(p.measured_to)}. <a href={funnelLink}>Where does today's funnel fall short of these rates?</a>
          </p>
        </div>
      )}
    </section>
  );
}

function logShare(v: number, max: number): number {
  if (v <= 0) return 0;
  return Math.max(2, (100 * Math.log10(v + 1)) / Math.log10(Math.max(max, v) + 1));
}

function GoalsSection() {
  const goals = useLoad((signal) => get<Page<Goal>>('/api/v1/goals', signal), []);
  const [chosen, setChosen] = useState<number | null>(null);
  const { user } = useSession();
  const canEdit = user.role === 'admin' || user.role === 'manager';
  const [editing, setEditing] = useState<GoalInput | null>(null);
  const saved = (g: SavedGoal) => {
    setChosen(g.id);
    goals.reload();
  };
  const list = goals.data?.items ?? [];
  // The goal running today first, else the latest.
  const today = isoDay(new Date());
  const fallback = list.find((g) => g.from <= today && today <= g.to) ?? list[0];
  const goal = list.find((g) => g.id === chosen) ?? fallback;
  useEffect(() => {
    if (chosen === null && fallback) setChosen(fallback.id);
  }, [fallback?.id]);

  return (
    <section class="card" aria-labelledby="goals-title">
      <h2 id="goals-title">Goals: plan against actual</h2>
      {canEdit && !editing && (
        <div class="goal-actions">
          <button type="button" class="secondary small" onClick={() => setEditing(newGoal())}>
            New goal
          </button>
          {goal && (
            <button type="button" class="secondary small" onClick={() => setEditing({ ...goal })}>
              Edit this goal
            </button>
          )}
        </div>
      )}
      {editing && <GoalForm key={editing.id ?? 'new'} initial={editing} onSaved={saved} onCancel={() => setEditing(null)} />}
      {goals.error ? (
        <ErrorNote error={goals.error} retry={goals.reload} />
      ) : !goals.data ? (
        <Loading label="Loading goals…" />
      ) : list.length === 0 ? (
        <Empty title="No goal yet">
          <p>
            {canEdit ? 'Create one with “New goal”; its progress against plan shows here.' : 'Managers and admins set goals; their progress shows here.'}
          </p>
        </Empty>
      ) : (
        <>
          <div class="field goal-pick">
            <label for="goal-pick">Goal</label>
            <select id="goal-pick" value={goal ? String(goal.id) : ''} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
              {list.map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {g.name} ({formatDate(g.from)} – {formatDate(g.to)})
                </option>
              ))}
            </select>
          </div>
          {goal && <GoalProgressView goal={goal} />}
        </>
      )}
    </section>
  );
}

function newGoal(): GoalInput {
  const now = new Date();
  const quarter = Math.floor(now.getUTCMonth() / 3);
  const from = new Date(Date.UTC(now.getUTCFullYear(), quarter * 3, 1)).toISOString().slice(0, 10);
  const to = new Date(Date.UTC(now.getUTCFullYear(), quarter * 3 + 3, 0)).toISOString().slice(0, 10);
  return { name: '', metric: 'mqls', target: 0, currency: 'EUR', from, to, owners: [], source: null, campaign: null };
}

function amount(goal: Goal, v: number): string {
  return goal.metric === 'revenue' ? `${formatNumber(Math.round(v))} ${goal.currency}` : formatNumber(Math.round(v));
}

function paceBadge(pace: number | null) {
  if (pace === null) return <span class="badge">not started</span>;
  const cls = pace >= 1 ? 'ok' : pace >= 0.8 ? 'warn' : 'bad';
  const word = pace >= 1 ? 'on pace' : pace >= 0.8 ? 'slightly behind' : 'behind';
  return (
    <span class={`badge ${cls}`}>
      {percent(pace, 0)} · {word}
    </span>
  );
}

function GoalProgressView({ goal }: { goal: Goal }) {
  const progress = useLoad((signal) => get<GoalProgress>(`/api/v1/goals/${goal.id}/progress`, signal), [goal.id]);
  if (progress.error) return <ErrorNote error={progress.error} retry={progress.reload} />;
  if (!progress.data) return <Loading label="Measuring progress…" />;
  const p = progress.data;
  const withPlan = p.stages.filter((s) => s.planned !== null);
  return (
    <div class="goal-progress" data-goal={goal.id}>
      <p class="muted small">
        {METRICS[goal.metric] ?? goal.metric}
        {goal.source ? ` from ${goal.source}` : ''}
        {goal.campaign ? ` · campaign ${goal.campaign}` : ''} · owners {goal.owners.join(', ') || 'none'} · day {p.elapsed_days} of {p.period_days}
      </p>
      <dl class="kpis">
        <div>
          <dt>Actual</dt>
          <dd>
            {amount(goal, p.actual)} <span class="muted small">of {amount(goal, p.target)}</span>
          </dd>
        </div>
        <div>
          <dt>Expected by today</dt>
          <dd>{amount(goal, p.expected_by_today)}</dd>
        </div>
        <div>
          <dt>Pace</dt>
          <dd>{paceBadge(p.pace)}</dd>
        </div>
        <div>
          <dt>Forecast</dt>
          <dd>
            {amount(goal, p.forecast)}{' '}
            <span class="muted small">
              ({amount(goal, p.forecast_p10)} – {amount(goal, p.forecast_p90)})
            </span>
          </dd>
        </div>
        <div>
          <dt>Chance of reaching it</dt>
          <dd>
            {percent(p.probability, 0)}{' '}
            <span class="muted small">
              ({percent(p.probability_low, 0)} – {percent(p.probability_high, 0)})
            </span>
          </dd>
        </div>
      </dl>
      <p>{p.summary}</p>
      {withPlan.length > 0 && (
        <PairChart
          labels={p.stages.map((s) => stageLabel(s.stage))}
          series={[
            { label: 'Expected by today', values: p.stages.map((s) => s.expected_by_today ?? 0) },
            { label: 'Actual', values: p.stages.map((s) => s.actual) },
          ]}
          summary={`Per stage, expected by today against actual: ${p.stages.map((s) => `${stageLabel(s.stage)} ${s.expected_by_today ?? 'no plan'} expected, ${s.actual} actual`).join('; ')}.`}
        />
      )}
      <div class="table-wrap">
        <table class="table progress-table">
          <caption class="visually-hidden">Plan against actual per stage</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col" class="num">Planned</th>
              <th scope="col" class="num">Expected by today</th>
              <th scope="col" class="num">Actual</th>
              <th scope="col">Pace</th>
              <th scope="col" class="num hide-sm">
                Chance to reach {stageLabel(p.stages[p.stages.length - 1]?.stage ?? '')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.stages.map((s) => (
              <tr key={s.stage}>
                <th scope="row">{stageLabel(s.stage)}</th>
                <td class="num">{s.planned === null ? <span class="muted">no rate</span> : formatNumber(s.planned)}</td>
                <td class="num">{s.expected_by_today === null ? '—' : formatNumber(s.expected_by_today)}</td>
                <td class="num">{formatNumber(s.actual)}</td>
                <td>{s.planned === null ? '—' : paceBadge(s.pace)}</td>
                <td class="num hide-sm">{percent(s.p_to_target)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">Measured {formatDateTime(p.measured_at)}.</p>
    </div>
  );
}

