// The weekly smarketing pack (GET /api/v1/reports/weekly): choose an ISO week, read the pack,
// print it, download it as CSV or PDF. The week defaults to the last complete one.
import { ApiError, get, query } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDateTime, formatNumber, stageLabel } from '../format';
import { useLoad, useReadyMark, useTitle } from '../hooks';
import { navigate } from '../router';
import type { PageProps } from '../routes';

interface Action {
  rule: string;
  text: string;
}

interface WeeklyGoal {
  id: number;
  name: string;
  metric: string;
  currency: string;
  target: number;
  in_week: number;
  to_date: number;
  expected: number;
  as_of: string;
  pace: number | null;
  next_week: { metric: number; stages: { stage: string; target: number }[]; note: string } | null;
}

interface Share {
  on_time: number;
  missed: number;
  share: number | null;
}

interface SalesRow {
  key: string;
  label: string;
  leads: number;
  first_touch: Share;
  attempts: Share;
  disposition: Share;
  response_p50_minutes: number | null;
}

interface WeeklyPack {
  week: string;
  from: string;
  to: string;
  time_zone: string;
  generated_at: string;
  has_data: boolean;
  summary: string;
  actions: Action[];
  goals: WeeklyGoal[];
  funnel: {
    has_data: boolean;
    summary: string;
    steps: { step: string; base: number; passed: number; rate: number | null }[];
  };
  sla: {
    sales: { rows: SalesRow[]; total: SalesRow };
    marketing: {
      mqls: number;
      expected: number | null;
      attainment: number | null;
      grade_ab_share: number | null;
      min_grade_ab_percent: number | null;
      persona_share: number | null;
      min_persona_match_percent: number | null;
    };
  };
  rejections: { summary: string; top_reasons: { code: string; label: string; count: number; share: number }[] };
  best_campaigns: {
    currency: string;
    rows: { campaign: string; pipeline: number; revenue: number; open_deals: number; won_deals: number }[];
  };
}

const STEP_NAMES: Record<string, string> = {
  visitor_lead: 'Visitor → lead',
  lead_mql: 'Lead → MQL',
  mql_sal: 'MQL → SAL',
  sal_sql: 'SAL → SQL',
  sql_opportunity: 'SQL → opportunity',
  opportunity_customer: 'Opportunity → customer',
};

// The ISO week ("2026-W48") of a date, in the browser's calendar.
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = (t.getUTCDay() + 6) % 7; // Monday 0
  t.setUTCDate(t.getUTCDate() - day + 3); // the week's Thursday
  const year = t.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week = 1 + Math.round((t.getTime() - jan4.getTime()) / 86400000 / 7 - ((jan4.getUTCDay() + 6) % 7 - 3) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function lastCompleteWeek(now: Date = new Date()): string {
  return isoWeek(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 7));
}

const WEEK_RE = /^\d{4}-W\d{2}$/;

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`;
}

function goalValue(g: WeeklyGoal, v: number): string {
  return g.metric === 'revenue' ? `${formatNumber(Math.round(v))} ${g.currency}` : formatNumber(v);
}

function reportUrl(week: string, format: string): string {
  return '/api/v1/reports/weekly' + query({ week, format });
}

export function WeeklyPage({ query: q }: PageProps) {
  useTitle('Weekly pack');
  const asked = q.get('week') ?? '';
  const week = WEEK_RE.test(asked) ? asked : lastCompleteWeek();
  const pack = useLoad((signal) => get<WeeklyPack>(reportUrl(week, 'json'), signal), [week]);
  useReadyMark('weekly', pack.data !== undefined || pack.error !== null);

  const choose = (value: string) => {
    if (WEEK_RE.test(value)) navigate('/weekly' + query({ week: value }));
  };

  return (
    <div class="page weekly-page">
      <PageHeader title="Weekly pack">
        <label class="inline no-print">
          Week{' '}
          <input type="week" value={week} aria-label="Week" onChange={(e) => choose((e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" class="secondary no-print" onClick={() => window.print()}>
          Print
        </button>
        <a class="button secondary no-print" href={reportUrl(week, 'csv')} download>
          Download CSV
        </a>
        <a class="button secondary no-print" href={reportUrl(week, 'pdf')} download>
          Download PDF
        </a>
      </PageHeader>
      {pack.error ? (
        <ErrorNote error={pack.error instanceof ApiError ? pack.error : pack.error} retry={pack.reload} />
      ) : !pack.data ? (
        <Loading />
      ) : (
        <Pack pack={pack.data} />
      )}
    </div>
  );
}

function Pack({ pack }: { pack: WeeklyPack }) {
  const m = pack.sla.marketing;
  return (
    <div class="weekly-result">
      <p class="lede">
        {pack.week}: {pack.from} to {pack.to} ({pack.time_zone}).{' '}
        <span class="muted">Generated {formatDateTime(pack.generated_at)}.</span>
      </p>
      <p class="weekly-summary">
        <strong>{pack.summary}</strong>
      </p>
      {!pack.has_data ? (
        <Empty title="No data for this week">
          <p>Nothing was recorded in this week: no lead, MQL, decision or deal. Choose another week.</p>
        </Empty>
      ) : (
        <>
          <section class="card" aria-labelledby="actions-title">
            <h2 id="actions-title">Suggested actions</h2>
            {pack.actions.length === 0 ? (
              <p class="muted">Nothing to act on.</p>
            ) : (
              <ol class="weekly-actions">
                {pack.actions.map((a, i) => (
                  <li key={i} data-rule={a.rule}>
                    {a.text}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="card" aria-labelledby="goals-title">
            <h2 id="goals-title">Goals: progress and pace</h2>
            {pack.goals.length === 0 ? (
              <p class="muted">No goal runs this week.</p>
            ) : (
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Goal</th>
                    <th scope="col" class="num">This week</th>
                    <th scope="col" class="num">To date</th>
                    <th scope="col" class="num">Expected</th>
                    <th scope="col" class="num">Pace</th>
                    <th scope="col">Next week</th>
                  </tr>
                </thead>
                <tbody>
                  {pack.goals.map((g) => (
                    <tr key={g.id}>
                      <td>
                        {g.name} <span class="muted">({g.metric}, target {goalValue(g, g.target)})</span>
                      </td>
                      <td class="num">{goalValue(g, g.in_week)}</td>
                      <td class="num">{goalValue(g, g.to_date)}</td>
                      <td class="num">{goalValue(g, g.expected)}</td>
                      <td class="num">{pct(g.pace)}</td>
                      <td>
                        {!g.next_week
                          ? '–'
                          : g.next_week.metric === 0
                            ? g.next_week.note
                            : [
                                goalValue(g, g.next_week.metric),
                                ...g.next_week.stages.map((s) => `${formatNumber(s.target)} ${stageLabel(s.stage)}`),
                              ].join(' · ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section class="card" aria-labelledby="funnel-title">
            <h2 id="funnel-title">Funnel</h2>
            <p>{pack.funnel.summary}</p>
            {pack.funnel.has_data && (
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col" class="num">Entered</th>
                    <th scope="col" class="num">Passed</th>
                    <th scope="col" class="num">Rate</th>
                  </tr>
                </thead>
                <tbody>
                  {pack.funnel.steps.map((s) => (
                    <tr key={s.step}>
                      <td>{STEP_NAMES[s.step] ?? s.step}</td>
                      <td class="num">{formatNumber(s.base)}</td>
                      <td class="num">{formatNumber(s.passed)}</td>
                      <td class="num">{pct(s.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <div class="grid-2">
            <section class="card" aria-labelledby="marketing-title">
              <h2 id="marketing-title">Marketing's SLA</h2>
              <dl class="facts">
                <dt>MQLs handed over</dt>
                <dd>
                  {formatNumber(m.mqls)}
                  {m.expected !== null && ` of ${m.expected.toFixed(1)} expected (${pct(m.attainment)})`}
                </dd>
                <dt>Graded A or B</dt>
                <dd>
                  {pct(m.grade_ab_share)}
                  {m.min_grade_ab_percent !== null && ` (minimum ${m.min_grade_ab_percent}%)`}
                </dd>
                <dt>Matching a persona</dt>
                <dd>
                  {pct(m.persona_share)}
                  {m.min_persona_match_percent !== null && ` (minimum ${m.min_persona_match_percent}%)`}
                </dd>
              </dl>
            </section>
            <section class="card" aria-labelledby="reasons-title">
              <h2 id="reasons-title">Top rejection reasons</h2>
              {pack.rejections.top_reasons.length === 0 ? (
                <p class="muted">Sales rejected no lead this week.</p>
              ) : (
                <ul class="plain">
                  {pack.rejections.top_reasons.map((r) => (
                    <li key={r.code}>
                      {r.label}: {formatNumber(r.count)} <span class="muted">({pct(r.share)} of decisions)</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>

          <section class="card" aria-labelledby="sales-title">
            <h2 id="sales-title">Sales' SLA per rep</h2>
            {pack.sla.sales.rows.length === 0 ? (
              <p class="muted">No lead was assigned this week.</p>
            ) : (
              <table class="table compact weekly-sales">
                <thead>
                  <tr>
                    <th scope="col">Rep</th>
                    <th scope="col" class="num">Leads</th>
                    <th scope="col" class="num">First touch on time</th>
                    <th scope="col" class="num">Missed</th>
                    <th scope="col" class="num">Attempts</th>
                    <th scope="col" class="num">Dispositions</th>
                  </tr>
                </thead>
                <tbody>
                  {pack.sla.sales.rows.map((r) => (
                    <tr key={r.key}>
                      <td>{r.label}</td>
                      <td class="num">{formatNumber(r.leads)}</td>
                      <td class="num">{pct(r.first_touch.share)}</td>
                      <td class="num">{formatNumber(r.first_touch.missed)}</td>
                      <td class="num">{pct(r.attempts.share)}</td>
                      <td class="num">{pct(r.disposition.share)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section class="card" aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">Best campaigns by attributed pipeline</h2>
            {pack.best_campaigns.rows.length === 0 ? (
              <p class="muted">No open deal created this week was touched by a campaign.</p>
            ) : (
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col" class="num">Pipeline</th>
                    <th scope="col" class="num">Open deals</th>
                  </tr>
                </thead>
                <tbody>
                  {pack.best_campaigns.rows.map((r) => (
                    <tr key={r.campaign}>
                      <td>{r.campaign || '(none)'}</td>
                      <td class="num">
                        {formatNumber(Math.round(r.pipeline))} {pack.best_campaigns.currency}
                      </td>
                      <td class="num">{formatNumber(r.open_deals)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
