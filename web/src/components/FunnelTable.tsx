// The funnel table shared by the funnel explorer and Home: each stage's reached count, the step
// to the next stage with its rate and Wilson 95% interval drawn against the plan, the steps below
// plan marked (the first of the broken steps, the one costing most, as "Broken step"), and
// every count a link to the contacts behind it where the contacts list can select them.
import { formatNumber, stageLabel } from '../format';
import { MAIN_STAGES, contactsLink, formatHours, movesLink, type Funnel, type FunnelReport, type FunnelState, type FunnelStep } from '../funnel';
import { percent, type Step } from '../plan';

// A rate with its interval drawn on a 0-100% track, the plan as a tick.
export function Interval({ step, planned }: { step: FunnelStep; planned: number | undefined }) {
  if (step.rate === null || step.low === null || step.high === null) return <span class="muted">no data</span>;
  const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
  return (
    <span class="ci-wrap">
      <span class="ci-text">
        <strong>{percent(step.rate)}</strong>{' '}
        <span class="muted small">
          ({percent(step.low, 0)}–{percent(step.high, 0)})
        </span>
      </span>
      <span class="ci" aria-hidden="true">
        <span class="ci-band" style={{ left: pct(step.low), width: pct(Math.max(step.high - step.low, 0.005)) }} />
        <span class="ci-rate" style={{ left: pct(step.rate) }} />
        {planned !== undefined && <span class="ci-plan" style={{ left: pct(planned) }} title={`plan ${percent(planned)}`} />}
      </span>
    </span>
  );
}

// A count linking to the contacts behind it. `action` ends the link's label: "list them" when
// the count is of contacts; the period view's counts are moves, whose list shows each contact
// once ("list the contacts").
export function Count({ n, href, label, action = 'list them' }: { n: number; href: string | null; label: string; action?: string }) {
  if (!href || n === 0) return <span>{formatNumber(n)}</span>;
  return (
    <a href={href} class="count-link" aria-label={`${formatNumber(n)} ${label}: ${action}`} title={action === 'list them' ? undefined : `${formatNumber(n)} ${label}: ${action}`}>
      {formatNumber(n)}
    </a>
  );
}

// The period view counts moves; the list behind one shows each contact once.
export const MOVES_ACTION = 'list the contacts (each once)';

export function FunnelTable({ state, report, funnel, plan, broken }: { state: FunnelState; report: FunnelReport; funnel: Funnel; plan: Partial<Record<Step, number>>; broken: Set<Step> }) {
  const cohort = report.view === 'cohort';
  return (
    <div class="table-wrap">
      <table class="table funnel-table">
        <caption class="visually-hidden">Contacts reaching each stage and the step to the next one</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" class="num">Reached</th>
            <th scope="col" class="hide-sm">
              Step to the next stage
            </th>
            <th scope="col" class="num">{cohort ? 'Moved on' : 'Forward'}</th>
            <th scope="col" class="num hide-sm">{cohort ? 'Did not' : 'Dropped'}</th>
            <th scope="col">Rate (95% interval)</th>
            <th scope="col" class="num hide-sm">Plan</th>
            <th scope="col" class="num hide-md">Time p50 / p90</th>
          </tr>
        </thead>
        <tbody>
          {MAIN_STAGES.map((stage, i) => {
            const reached = funnel.stages.find((s) => s.stage === stage)?.reached ?? 0;
            const step = funnel.steps[i];
            const isBroken = step ? broken.has(step.step) : false;
            return (
              <tr key={stage} class={isBroken ? 'broken' : ''} data-stage={stage}>
                <th scope="row">
                  {stageLabel(stage)}
                  {isBroken && <span class="badge bad broken-badge">{[...broken][0] === step?.step ? 'Broken step' : 'Below plan'}</span>}
                </th>
                <td class="num reached">
                  <Count n={reached} href={contactsLink(state, report, stage, null)} label={`contacts reached ${stageLabel(stage)}`} />
                </td>
                {step ? (
                  <>
                    <td class="hide-sm">{step.label}</td>
                    <td class="num passed">
                      {cohort ? (
                        <Count n={step.passed} href={contactsLink(state, report, stage, null, true)} label={`moved on from ${stageLabel(stage)}`} />
                      ) : (
                        <Count n={step.passed} href={movesLink(state, stage, null, 'forward')} label={`moves forward from ${stageLabel(stage)}`} action={MOVES_ACTION} />
                      )}
                      <span class="muted small hide-sm"> of {formatNumber(step.base)}</span>
                    </td>
                    <td class="num dropped hide-sm">
                      {cohort ? (
                        <Count n={step.dropped} href={contactsLink(state, report, stage, null, false)} label={`did not move on from ${stageLabel(stage)}`} />
                      ) : (
                        <Count n={step.dropped} href={movesLink(state, stage, null, 'dropped')} label={`drops from ${stageLabel(stage)} to recycled or disqualified`} action={MOVES_ACTION} />
                      )}
                    </td>
                    <td>
                      <Interval step={step} planned={plan[step.step]} />
                    </td>
                    <td class="num hide-sm">{percent(plan[step.step])}</td>
                    <td class="num hide-md nowrap">
                      {formatHours(step.p50_hours)} / {formatHours(step.p90_hours)}
                    </td>
                  </>
                ) : (
                  <td colSpan={6} class="muted small won">
                    Won
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

