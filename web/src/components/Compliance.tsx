// SLA compliance of both sides (GET /api/v1/sla/compliance, docs/handoff.md): sales per rep,
// team or week over the leads assigned in the period, and marketing's quota, quality and pace.
// A rep gets only their own row from the API; the table shows what comes back.
import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { Empty, ErrorNote, Loading } from './ui';
import { formatDateTime, formatNumber } from '../format';
import { useLoad } from '../hooks';

interface Share {
  on_time: number;
  missed: number;
  pending: number;
  share: number | null;
  interval: { low: number; high: number } | null;
}

export interface SalesRow {
  key: string;
  label: string;
  user_id: number | null;
  leads: number;
  first_touch: Share;
  touched: number;
  untouched: number;
  response_p50_minutes: number | null;
  response_p90_minutes: number | null;
  attempts_per_lead: number | null;
  attempts: Share;
  disposition: Share;
}

interface Marketing {
  key: string;
  mqls: number;
  expected: number | null;
  attainment: number | null;
  quota_since: string | null;
  grade_ab: number;
  grade_ab_share: number | null;
  min_grade_ab_percent: number | null;
  grade_ab_met: boolean | null;
  persona_match: number;
  persona_share: number | null;
  min_persona_match_percent: number | null;
  persona_met: boolean | null;
  pace_at: string;
  mqls_so_far: number;
  expected_so_far: number | null;
  pace: number | null;
  projected: number | null;
}

export interface ComplianceReport {
  from: string;
  to: string;
  by: 'rep' | 'team' | 'week';
  time_zone: string;
  as_of: string;
  scope: 'all' | 'own';
  sales: {
    obligations: { first_touch_hours: number; attempts: number; attempts_within_days: number; disposition_days: number } | null;
    rows: SalesRow[];
    total: SalesRow;
  };
  marketing: Marketing & { quota: number | null; quota_period: string | null; weeks: Marketing[] };
}

export const percent = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${Math.round(v * 1000) / 10}%`);
const minutes = (v: number | null): string => (v === null ? '–' : formatNumber(Math.round(v)));
const one = (v: number | null): string => (v === null ? '–' : (Math.round(v * 10) / 10).toString());

// "YYYY-MM-DD" of a local date.
function isoDay(d: Date): string {
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${m}-${day}`;
}

// The last four weeks, Monday to today.
export function defaultPeriod(now: Date = new Date()): { from: string; to: string } {
  const monday = new Date(now);
  monday.setDate(now.getDate() - ((now.getDay() + 6) % 7) - 21);
  return { from: isoDay(monday), to: isoDay(now) };
}

function ShareCell({ s, label }: { s: Share; label: string }) {
  const title = s.interval ? `${label}: ${s.on_time} of ${s.on_time + s.missed} on time; 95% interval ${percent(s.interval.low)}–${percent(s.interval.high)}; ${s.pending} pending` : `${label}: nothing decided yet; ${s.pending} pending`;
  return (
    <td class="num" title={title}>
      {percent(s.share)} <span class="muted small">({s.on_time}/{s.on_time + s.missed})</span>
    </td>
  );
}

function Row({ r, total = false }: { r: SalesRow; total?: boolean }) {
  const Cell = total ? 'th' : 'td';
  return (
    <tr>
      <Cell scope="row">{total ? 'All' : r.label}</Cell>
      <td class="num">{formatNumber(r.leads)}</td>
      <ShareCell s={r.first_touch} label="First touch" />
      <td class="num">{minutes(r.response_p50_minutes)}</td>
      <td class="num">{minutes(r.response_p90_minutes)}</td>
      <td class="num">{one(r.attempts_per_lead)}</td>
      <ShareCell s={r.attempts} label="Attempts" />
      <ShareCell s={r.disposition} label="Accept or reject" />
    </tr>
  );
}

function Verdict({ met }: { met: boolean | null }) {
  if (met === null) return null;
  return met ? <span class="badge ok">Met</span> : <span class="badge warn">Below minimum</span>;
}

function MarketingCard({ m }: { m: ComplianceReport['marketing'] }) {
  return (
    <section class="card" aria-labelledby="marketing-compliance-title">
      <h3 id="marketing-compliance-title">Marketing: MQL quota, quality and pace</h3>
      {m.expected === null ? (
        <p>
          {formatNumber(m.mqls)} MQLs in this period; no MQL quota was in force.
        </p>
      ) : (
        <>
          {m.quota_since && <p class="muted small">The quota applies only from {formatDateTime(m.quota_since)}, when the contract took effect.</p>}
          <dl class="facts">
            <dt>MQLs</dt>
            <dd>
              {formatNumber(m.mqls)} of {one(m.expected)} expected ({m.quota} per {m.quota_period}, pro-rated)
              {m.expected >= 1 ? (
                <>
                  : <strong>{percent(m.attainment)}</strong>
                </>
              ) : (
                ': less than one MQL expected, too early to judge'
              )}
            </dd>
            <dt>Pace</dt>
            <dd>
              {m.pace === null || m.expected_so_far === null ? (
                'the period has not started'
              ) : m.expected_so_far < 1 ? (
                `${formatNumber(m.mqls_so_far)} so far; less than one MQL expected by now, too early to judge`
              ) : (
                <>
                  {formatNumber(m.mqls_so_far)} so far against {one(m.expected_so_far)} by {formatDateTime(m.pace_at)}: <strong>{percent(m.pace)}</strong>
                  {m.projected !== null && <span class="muted"> · on course for {one(m.projected)}</span>}
                </>
              )}
            </dd>
          </dl>
        </>
      )}
      <dl class="facts">
        <dt>Graded A or B</dt>
        <dd>
          {percent(m.grade_ab_share)} ({m.grade_ab} of {m.mqls}){m.min_grade_ab_percent !== null && ` · minimum ${m.min_grade_ab_percent}% `}
          <Verdict met={m.grade_ab_met} />
        </dd>
        <dt>Matching a persona</dt>
        <dd>
          {percent(m.persona_share)} ({m.persona_match} of {m.mqls}){m.min_persona_match_percent !== null && ` · minimum ${m.min_persona_match_percent}% `}
          <Verdict met={m.persona_met} />
        </dd>
      </dl>
      {m.weeks.length > 0 && (
        <table class="table compact">
          <caption class="muted small">Per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" class="num">MQLs</th>
              <th scope="col" class="num">Expected</th>
              <th scope="col" class="num">Attainment</th>
            </tr>
          </thead>
          <tbody>
            {m.weeks.map((w) => (
              <tr key={w.key}>
                <td>{w.key}</td>
                <td class="num">{formatNumber(w.mqls)}</td>
                <td class="num">{one(w.expected)}</td>
                <td class="num">{percent(w.attainment)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// Why the API would refuse the period (it answers 400 for the same reasons), or null.
export function periodProblem(from: string, to: string): string | null {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (Number.isNaN(days)) return 'Pick both dates.';
  if (days < 1) return 'The first day must not be after the last.';
  if (days > 366) return 'Pick a period of at most 366 days.';
  return null;
}

export function ComplianceSection({ canSeeTeams }: { canSeeTeams: boolean }) {
  const [period, setPeriod] = useState(defaultPeriod);
  const [by, setBy] = useState<'rep' | 'team' | 'week'>('rep');
  const problem = periodProblem(period.from, period.to);
  const report = useLoad(
    (signal) => (problem ? Promise.resolve(null) : get<ComplianceReport>('/api/v1/sla/compliance' + query({ from: period.from, to: period.to, by }), signal)),
    [period.from, period.to, by],
  );
  const r = report.data;
  const heading = by === 'rep' ? 'Rep' : by === 'team' ? 'Team' : 'Week of';

  return (
    <section class="compliance" aria-labelledby="compliance-title">
      <h2 id="compliance-title">SLA compliance</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="compliance-from">From</label>
          <input id="compliance-from" type="date" value={period.from} max={period.to} onChange={(e) => e.currentTarget.value && setPeriod({ ...period, from: e.currentTarget.value })} />
        </div>
        <div>
          <label for="compliance-to">To</label>
          <input id="compliance-to" type="date" value={period.to} min={period.from} onChange={(e) => e.currentTarget.value && setPeriod({ ...period, to: e.currentTarget.value })} />
        </div>
        <div>
          <label for="compliance-by">Per</label>
          <select id="compliance-by" value={by} onChange={(e) => setBy(e.currentTarget.value as 'rep' | 'team' | 'week')}>
            <option value="rep">rep</option>
            {canSeeTeams && <option value="team">team</option>}
            <option value="week">week</option>
          </select>
        </div>
      </form>
      {problem ? (
        <p class="note error" role="alert">
          {problem}
        </p>
      ) : report.error ? (
        <ErrorNote error={report.error} retry={report.reload} />
      ) : !r ? (
        <Loading label="Loading compliance…" />
      ) : (
        <>
          <p class="muted small">
            {r.from} to {r.to} ({r.time_zone}), judged {formatDateTime(r.as_of)}. Open clocks past due count as missed; clocks not yet due are pending and not counted.
            {r.scope === 'own' && ' Only your own leads are shown.'}
          </p>
          <section class="card" aria-labelledby="sales-compliance-title">
            <h3 id="sales-compliance-title">Sales: first touch, attempts and dispositions</h3>
            {r.sales.obligations && (
              <p class="muted small">
                First touch within {r.sales.obligations.first_touch_hours} business hours; {r.sales.obligations.attempts} attempts within {r.sales.obligations.attempts_within_days} business days; accept or reject within {r.sales.obligations.disposition_days} business days.
              </p>
            )}
            {r.sales.rows.length === 0 ? (
              <Empty title="No leads assigned in this period">
                <p>Compliance counts the MQLs routed to a rep between these dates. Pick an earlier period, or wait for new MQLs.</p>
              </Empty>
            ) : (
              <div class="table-wrap">
                <table class="table compact compliance-table" aria-busy={report.loading ? 'true' : 'false'}>
                  <thead>
                    <tr>
                      <th scope="col">{heading}</th>
                      <th scope="col" class="num">Leads</th>
                      <th scope="col" class="num">First touch on time</th>
                      <th scope="col" class="num" title="Assignment to first touch, business minutes">Median min</th>
                      <th scope="col" class="num" title="Assignment to first touch, business minutes">p90 min</th>
                      <th scope="col" class="num">Attempts per lead</th>
                      <th scope="col" class="num">Attempts on time</th>
                      <th scope="col" class="num">Disposition on time</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.sales.rows.map((row) => (
                      <Row key={row.key} r={row} />
                    ))}
                  </tbody>
                  <tfoot>
                    <Row r={r.sales.total} total />
                  </tfoot>
                </table>
              </div>
            )}
          </section>
          <MarketingCard m={r.marketing} />
        </>
      )}
    </section>
  );
}
