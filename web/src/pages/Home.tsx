// Home: where the company's contacts stand now, the contract in force, and shortcuts to the
// day's work for the signed-in role.
import { ApiError, get } from '../api';
import { BarChart } from '../components/BarChart';
import { FunnelTable } from '../components/FunnelTable';
import { funnelPath, funnelState, statePath, type FunnelReport } from '../funnel';
import type { Step } from '../plan';
import { Empty, ErrorNote, Loading, PageHeader, StageBadge } from '../components/ui';
import { STAGES, formatDate, formatNumber, stageLabel } from '../format';
import { useLoad, useReadyMark, useTitle } from '../hooks';
import { useSession } from '../session';
import type { Page, Role, StageCounts } from '../types';

interface ContractSummary {
  version: { id: number; name: string; effective_at: string };
  parties: { side: string; team: string; head: string; acknowledged_at: string | null }[];
}

interface Shortcut {
  label: string;
  href: string;
  hint: string;
}

function shortcuts(role: Role): Shortcut[] {
  switch (role) {
    case 'sales':
      return [
        { label: 'My inbox', href: '/inbox', hint: 'New MQLs with their SLA clocks: accept, reject or log a call' },
        { label: 'My accepted leads', href: '/leads?owner=me&stage=sal', hint: 'Work them to a sales-qualified lead' },
        { label: 'All my contacts', href: '/leads?owner=me', hint: 'Everyone you own, newest first' },
      ];
    case 'marketing':
      return [
        { label: 'New leads', href: '/leads?stage=lead', hint: 'Known contacts not yet qualified' },
        { label: 'MQLs', href: '/leads?stage=mql', hint: 'Qualified leads handed to sales' },
        { label: 'Recycled', href: '/leads?stage=recycled', hint: 'Back in nurture, with the reason' },
        { label: 'Personas', href: '/personas', hint: 'Who we target, and their sign-off' },
      ];
    case 'manager':
      return [
        { label: 'MQLs awaiting sales', href: '/leads?stage=mql', hint: 'Handed over, not yet accepted' },
        { label: 'Unassigned contacts', href: '/leads?owner=none', hint: 'Nobody owns them yet' },
        { label: 'SLA contract', href: '/sla', hint: 'The agreement in force and who acknowledged it' },
      ];
    case 'admin':
      return [
        { label: 'Unassigned contacts', href: '/leads?owner=none', hint: 'Nobody owns them yet' },
        { label: 'SLA contract', href: '/sla', hint: 'Versions and acknowledgements' },
        { label: 'Personas', href: '/personas', hint: 'Definitions and sign-off' },
      ];
  }
}

export function Home() {
  useTitle('Home');
  const { user } = useSession();
  const counts = useLoad((signal) => get<StageCounts>('/api/v1/contacts/stage-counts', signal), []);
  const contract = useLoad(
    (signal) =>
      get<ContractSummary>('/api/v1/contract', signal).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  useReadyMark('home', counts.data !== undefined || counts.error !== null);
  const firstName = user.name.split(' ')[0] ?? user.name;

  return (
    <div class="page">
      <PageHeader title="Home" />
      <p class="lede">Welcome back, {firstName}.</p>

      <section class="card" aria-labelledby="shortcuts-title">
        <h2 id="shortcuts-title">Your work</h2>
        <ul class="shortcuts">
          {shortcuts(user.role).map((s) => (
            <li key={s.href}>
              <a href={s.href} class="shortcut">
                <span class="shortcut-label">{s.label}</span>
                <span class="shortcut-hint">{s.hint}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>

      <HomeFunnel />

      <div class="grid-2">
        <section class="card" aria-labelledby="stages-title">
          <h2 id="stages-title">Contacts by stage</h2>
          {counts.error ? (
            <ErrorNote error={counts.error} retry={counts.reload} />
          ) : !counts.data ? (
            <Loading />
          ) : counts.data.total === 0 ? (
            <Empty title="No contacts yet">
              <p>Contacts appear here as forms, events and imports bring them in.</p>
            </Empty>
          ) : (
            <StageSummary counts={counts.data} />
          )}
        </section>

        <section class="card" aria-labelledby="contract-title">
          <h2 id="contract-title">SLA contract</h2>
          {contract.error ? (
            <ErrorNote error={contract.error} retry={contract.reload} />
          ) : contract.data === undefined ? (
            <Loading />
          ) : contract.data === null ? (
            <Empty title="No contract in force yet">
              <p>An admin activates the first version of the marketing and sales agreement.</p>
            </Empty>
          ) : (
            <div>
              <p>
                <a href="/sla">{contract.data.version.name}</a>
                <br />
                <span class="muted">
                  Version {contract.data.version.id}, in force since {formatDate(contract.data.version.effective_at)}
                </span>
              </p>
              <ul class="plain">
                {contract.data.parties.map((p) => (
                  <li key={p.team}>
                    {p.acknowledged_at ? (
                      <span class="badge ok">Acknowledged</span>
                    ) : (
                      <span class="badge warn">Waiting</span>
                    )}{' '}
                    {p.team} <span class="muted">({p.head})</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

interface GoalRates {
  id: number;
  name: string;
  rates: Partial<Record<Step, number>>;
}

// The funnel explorer's default view (the last 90 days, cohort view) against the plan of the
// first goal with planned rates, as the explorer would show it: the broken step highlighted,
// every count a link to its contacts, and a link to the explorer with the same settings.
function HomeFunnel() {
  const goals = useLoad((signal) => get<Page<GoalRates>>('/api/v1/goals', signal), []);
  const goal = (goals.data?.items ?? []).find((g) => Object.keys(g.rates).length > 0);
  const state = { ...funnelState(new URLSearchParams()), goal: goal ? String(goal.id) : 'none' };
  const planReady = goals.data !== undefined || goals.error !== null;
  const path = funnelPath(state, goal?.rates ?? {});
  const report = useLoad(
    (signal) => (planReady ? get<FunnelReport>(path, signal) : new Promise<FunnelReport>(() => undefined)),
    [path, planReady],
  );
  const r = report.data;
  const broken = new Set((r?.broken_steps ?? []).map((b) => b.step));
  return (
    <section class="card home-funnel" aria-labelledby="funnel-title">
      <div class="card-title-row">
        <h2 id="funnel-title">The funnel, last 90 days</h2>
        <a href={statePath(state)} class="small">
          Open in the funnel explorer
        </a>
      </div>
      {report.error ? (
        <ErrorNote error={report.error} retry={report.reload} />
      ) : !r ? (
        <Loading label="Counting the funnel…" />
      ) : !r.has_data ? (
        <Empty title="No contact reached any stage in the last 90 days">
          <p>The funnel fills as forms, events and imports bring contacts in.</p>
        </Empty>
      ) : (
        <div class="funnel-result" aria-busy={report.loading ? 'true' : 'false'} data-loaded={path}>
          <p class={`note ${r.broken_steps.length ? 'warn' : 'info'} funnel-summary`}>
            {r.summary}
            {goal ? (
              <span class="muted small"> Plan: the goal “{goal.name}”.</span>
            ) : (
              <span class="muted small"> No goal has planned rates, so no step is judged against a plan.</span>
            )}
          </p>
          <FunnelTable state={state} report={r} funnel={r.total} plan={goal?.rates ?? {}} broken={broken} />
        </div>
      )}
    </section>
  );
}

function StageSummary({ counts }: { counts: StageCounts }) {
  const byStage = new Map(counts.stages.map((s) => [s.stage, s.count]));
  const stages = STAGES.filter((s) => byStage.has(s));
  const values = stages.map((s) => byStage.get(s) ?? 0);
  const summary = `Bar chart of ${formatNumber(counts.total)} contacts by stage: ` + stages.map((s, i) => `${stageLabel(s)} ${formatNumber(values[i] ?? 0)}`).join(', ');
  return (
    <>
      <BarChart labels={stages.map(stageLabel)} values={values} summary={summary} />
      <table class="table compact">
        <caption class="visually-hidden">Contacts in each stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" class="num">
              Contacts
            </th>
          </tr>
        </thead>
        <tbody>
          {stages.map((s, i) => (
            <tr key={s}>
              <td>
                <a href={`/leads?stage=${s}`}>
                  <StageBadge stage={s} />
                </a>
              </td>
              <td class="num">{formatNumber(values[i] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="num">{formatNumber(counts.total)}</td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}
