// Funnel explorer: the cohort and period views of GET /api/v1/funnel, broken down by source,
// campaign, owner or week, every rate with its Wilson 95% interval, the steps below plan
// highlighted, and every count a link to the contacts behind it (the leads list filtered by
// the reach filter of GET /api/v1/contacts, or for the period view's moves by its move filter).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { BarChart } from '../components/BarChart';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { Count, FunnelTable, MOVES_ACTION } from '../components/FunnelTable';
import { stageLabel } from '../format';
import { BREAKDOWNS, MAIN_STAGES, contactsLink, funnelPath, movesLink, funnelState, statePath, type Breakdown, type FunnelReport, type FunnelState } from '../funnel';
import { useDebounced, useLoad, useReadyMark, useTitle } from '../hooks';
import { percent, type Step } from '../plan';
import type { PageProps } from '../routes';
import { navigate } from '../router';
import type { Page, User } from '../types';
import { loadUsers } from '../users';

interface GoalRates {
  id: number;
  name: string;
  rates: Partial<Record<Step, number>>;
}

const BY_LABELS: Record<Breakdown, string> = { source: 'Source', campaign: 'Campaign', persona: 'Persona', owner: 'Owner', week: 'Week' };

export function FunnelPage({ query: params }: PageProps) {
  useTitle('Funnel explorer');
  const state = funnelState(params);
  const set = (patch: Partial<FunnelState>) => navigate(statePath({ ...state, ...patch }), { replace: true });
  const users = useLoad(() => loadUsers(), []);
  const goals = useLoad((signal) => get<Page<GoalRates>>('/api/v1/goals', signal), []);
  const planned = (goals.data?.items ?? []).filter((g) => Object.keys(g.rates).length > 0);

  // The plan: rates in the address (from the planner), else the chosen goal's, else the first
  // goal with planned rates. "none" in the address: no plan, no verdict.
  const fromAddress = Object.keys(state.plan).length > 0;
  const goal = fromAddress || state.goal === 'none' ? undefined : state.goal ? planned.find((g) => String(g.id) === state.goal) : planned[0];
  const plan = fromAddress ? state.plan : goal?.rates ?? {};
  const planReady = fromAddress || state.goal === 'none' || goals.data !== undefined || goals.error !== null;
  const path = funnelPath(state, plan);
  const report = useLoad(
    (signal) => (planReady ? get<FunnelReport>(path, signal).then((r) => ({ ...r, path })) : new Promise<FunnelReport & { path: string }>(() => undefined)),
    [path, planReady],
  );
  useReadyMark('funnel', report.data !== undefined || report.error !== null);

  // Typed filters reach the address once typing pauses.
  const [typed, setTyped] = useState({ source: state.source, campaign: state.campaign, window: state.window });
  const settled = useDebounced(typed, 350);
  useEffect(() => {
    if (settled.source !== state.source || settled.campaign !== state.campaign || settled.window !== state.window) set(settled);
  }, [settled.source, settled.campaign, settled.window]);

  const owners = users.data ? [...users.data.values()].filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name)) : [];
  const planChoice = fromAddress ? 'address' : goal ? `goal:${goal.id}` : 'none';
  const choosePlan = (v: string) => {
    if (v === 'none') set({ goal: 'none', plan: {} });
    else if (v.startsWith('goal:')) set({ goal: v.slice(5), plan: {} });
  };
  const r = report.data;
  const broken = new Set((r?.broken_steps ?? []).map((b) => b.step));
  const keyLabel = (key: string): string => {
    if (state.by === 'owner') return key ? users.data?.get(Number(key))?.name ?? `User ${key}` : 'Unassigned';
    if (state.by === 'week') return `Week of ${key}`;
    if (state.by === 'persona') return key || 'No persona matched';
    return key || '(none)';
  };

  return (
    <div class="page">
      <PageHeader title="Funnel explorer" />
      <p class="lede">How contacts move from stage to stage. Every count opens the contacts behind it.</p>
      <form class="filters card funnel-controls" aria-label="Funnel settings" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="funnel-from">From</label>
          <input id="funnel-from" type="date" value={state.from} onChange={(e) => e.currentTarget.value && set({ from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="funnel-to">Until (included)</label>
          <input id="funnel-to" type="date" value={state.to} onChange={(e) => e.currentTarget.value && set({ to: e.currentTarget.value })} />
        </div>
        <fieldset class="segmented">
          <legend>View</legend>
          <div class="segmented-row">
            {(['cohort', 'period'] as const).map((v) => (
              <label key={v} class={state.view === v ? 'on' : ''}>
                <input type="radio" name="funnel-view" value={v} checked={state.view === v} onChange={() => set({ view: v })} />
                {v === 'cohort' ? 'Cohort' : 'Period'}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="funnel-by">Break down by</label>
          <select id="funnel-by" value={state.by} onChange={(e) => set({ by: e.currentTarget.value as Breakdown | '' })}>
            <option value="">Nothing</option>
            {BREAKDOWNS.map((b) => (
              <option key={b} value={b}>
                {BY_LABELS[b]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="funnel-plan">Compare with</label>
          <select id="funnel-plan" value={planChoice} onChange={(e) => choosePlan(e.currentTarget.value)}>
            <option value="none">No plan</option>
            {fromAddress && <option value="address">The planner's rates</option>}
            {planned.map((g) => (
              <option key={g.id} value={`goal:${g.id}`}>
                Goal: {g.name}
              </option>
            ))}
          </select>
        </div>
        <details class="more-filters" open={Boolean(state.source || state.campaign || state.owner || state.window)}>
          <summary>More settings</summary>
          <div class="filters-row">
            {state.view === 'cohort' && (
              <div class="field">
                <label for="funnel-window">Window (days)</label>
                <input id="funnel-window" inputMode="numeric" placeholder="90" value={typed.window} onInput={(e) => setTyped({ ...typed, window: e.currentTarget.value })} />
              </div>
            )}
            <div class="field">
              <label for="funnel-source">Only source</label>
              <input id="funnel-source" value={typed.source} onInput={(e) => setTyped({ ...typed, source: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="funnel-campaign">Only campaign</label>
              <input id="funnel-campaign" value={typed.campaign} onInput={(e) => setTyped({ ...typed, campaign: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="funnel-owner">Only owner</label>
              <select id="funnel-owner" value={state.owner} onChange={(e) => set({ owner: e.currentTarget.value })}>
                <option value="">Anyone</option>
                {owners.map((u: User) => (
                  <option key={u.id} value={String(u.id)}>
                    {u.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </details>
      </form>
      <p class="muted small view-help">
        {state.view === 'cohort'
          ? `Cohort: of the contacts reaching each stage in the period, the share reaching the next one within ${r?.window_days ?? (state.window || 90)} days.`
          : 'Period: the stage changes made in the period; a step’s rate is the moves forward over all decisions taken at it (forward, recycled or disqualified).'}{' '}
        Intervals are Wilson 95%.
      </p>

      {report.error ? (
        <ErrorNote error={report.error} retry={report.reload} />
      ) : !r ? (
        <Loading label="Counting the funnel…" />
      ) : (
        <div aria-busy={report.loading || r.path !== path ? 'true' : 'false'} class="funnel-result" data-loaded={r.path}>
          <div class={`note ${r.broken_steps.length ? 'warn' : 'info'} funnel-summary`} role="status">
            <p>{r.summary}</p>
            {r.broken_steps.slice(1).map((b) => (
              <p key={b.step} class="small">
                {b.sentence}
              </p>
            ))}
          </div>
          {!r.has_data ? (
            <Empty title="No contact reached any stage in this period">
              <p>Try a longer period or fewer filters.</p>
            </Empty>
          ) : (
            <>
              <section class="card" aria-labelledby="total-title">
                <h2 id="total-title">{state.by ? 'All together' : 'The funnel'}</h2>
                <BarChart
                  labels={r.total.stages.map((s) => stageLabel(s.stage))}
                  values={r.total.stages.map((s) => s.reached)}
                  summary={`Contacts reaching each stage: ${r.total.stages.map((s) => `${stageLabel(s.stage)} ${s.reached}`).join(', ')}.`}
                  height={200}
                />
                <FunnelTable state={state} report={r} funnel={r.total} plan={plan} broken={broken} />
              </section>
              {state.by && (
                <section class="card" aria-labelledby="breakdown-title">
                  <h2 id="breakdown-title">By {BY_LABELS[state.by].toLowerCase()}</h2>
                  {r.breakdown.length === 0 ? (
                    <Empty title="Nothing to break down" />
                  ) : (
                    <BreakdownTable state={state} report={r} keyLabel={keyLabel} />
                  )}
                </section>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}

function BreakdownTable({ state, report, keyLabel }: { state: FunnelState; report: FunnelReport; keyLabel: (k: string) => string }) {
  const period = report.view === 'period';
  return (
    <div class="table-wrap">
      <table class="table breakdown-table compact">
        <caption class="visually-hidden">Contacts reaching each stage per {state.by}, with the rate of the step into it</caption>
        <thead>
          <tr>
            <th scope="col">{state.by ? BY_LABELS[state.by] : ''}</th>
            {MAIN_STAGES.map((s) => (
              <th scope="col" class="num" key={s}>
                {stageLabel(s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.breakdown.map((f) => (
            <tr key={f.key} data-key={f.key}>
              <th scope="row">{keyLabel(f.key)}</th>
              {MAIN_STAGES.map((stage, i) => {
                const reached = f.stages.find((s) => s.stage === stage)?.reached ?? 0;
                const into = i > 0 ? f.steps[i - 1] : undefined;
                const prev = i > 0 ? MAIN_STAGES[i - 1] : undefined;
                return (
                  <td class="num" key={stage}>
                    <Count n={reached} href={contactsLink(state, report, stage, f.key)} label={`contacts of ${keyLabel(f.key)} reached ${stageLabel(stage)}`} />
                    {into && into.rate !== null && (
                      <div class="muted small" title={`${into.label}: ${percent(into.rate)} (95% interval ${percent(into.low)}–${percent(into.high)}) of ${into.base}`}>
                        {percent(into.rate, 0)} <span class="ci-mini">±{Math.round((((into.high ?? 0) - (into.low ?? 0)) / 2) * 100)}</span>
                      </div>
                    )}
                    {period && into && prev && into.base > 0 && (
                      <div class="muted small moves">
                        <Count n={into.passed} href={movesLink(state, prev, f.key, 'forward')} label={`moves of ${keyLabel(f.key)} forward from ${stageLabel(prev)}`} action={MOVES_ACTION} /> fwd ·{' '}
                        <Count n={into.dropped} href={movesLink(state, prev, f.key, 'dropped')} label={`drops of ${keyLabel(f.key)} from ${stageLabel(prev)}`} action={MOVES_ACTION} /> drop
                      </div>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small table-note">
        Under each count: the rate of the step into that stage, ± half its 95% interval in points
        {period ? '; then the moves into it (fwd) and the drops at that step (drop), each a link to the contacts who made them' : ''}.
      </p>
    </div>
  );
}
