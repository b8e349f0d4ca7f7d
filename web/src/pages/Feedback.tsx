// Feedback from sales (GET /api/v1/feedback): what reps decided on the MQLs they were handed,
// per campaign, source or persona, with reasons and what followed, and sentences for marketing.
import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatNumber, stageLabel } from '../format';
import { useLoad, useReadyMark, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { navigate } from '../router';

interface Reason {
  code: string;
  label: string;
  known: boolean;
  count: number;
  share: number;
}
interface Group {
  key: string;
  dispositions: number;
  accepted: number;
  rejected: number;
  accept_rate: number | null;
  accept_low: number | null;
  accept_high: number | null;
  reject_rate: number | null;
  reasons: Reason[];
  next: { stage: string; count: number; rate: number | null }[];
  sentence: string;
}
interface Report {
  from: string;
  to: string;
  by: string;
  has_data: boolean;
  summary: string;
  total: Group;
  groups: Group[];
  for_marketing: string[];
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const day = (d: Date) => d.toISOString().slice(0, 10);

export function periodFrom(params: URLSearchParams): { from: string; to: string; by: string } {
  const today = new Date();
  const ok = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  const from = ok(params.get('from')) || day(new Date(today.getTime() - 89 * 86_400_000));
  const to = ok(params.get('to')) || day(today);
  const byParam = params.get('by') ?? '';
  return { from, to, by: ['campaign', 'source', 'persona'].includes(byParam) ? byParam : 'campaign' };
}

export function nextDayStart(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
}

export function FeedbackPage({ query: params }: PageProps) {
  useTitle('Feedback from sales');
  const p = periodFrom(params);
  const set = (patch: Partial<typeof p>) => navigate('/feedback' + query({ ...p, ...patch }), { replace: true });
  const bad = p.to < p.from;
  const report = useLoad(
    (signal) => (bad ? Promise.reject(new Error('The last day comes on or after the first.')) : get<Report>('/api/v1/feedback' + query({ from: `${p.from}T00:00:00Z`, to: nextDayStart(p.to), by: p.by }), signal)),
    [p.from, p.to, p.by],
  );
  useReadyMark('feedback', report.data !== undefined || report.error !== null);
  const groups = report.data?.groups ?? [];
  const [showAll, setShowAll] = useState(false);
  const [showAllSentences, setShowAllSentences] = useState(false);
  const shown = showAll ? groups : groups.slice(0, 15);
  const maxReason = Math.max(1, ...(report.data?.total.reasons ?? []).map((r) => r.count));
  return (
    <div class="page">
      <PageHeader title="Feedback from sales" />
      <form class="filters card" aria-label="Period and breakdown" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="fb-from">From</label>
          <input id="fb-from" type="date" value={p.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="fb-to">To (included)</label>
          <input id="fb-to" type="date" value={p.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="fb-by">By</label>
          <select id="fb-by" value={p.by} onChange={(e) => set({ by: e.currentTarget.value })}>
            <option value="campaign">Campaign</option>
            <option value="source">Source</option>
            <option value="persona">Persona</option>
          </select>
        </div>
      </form>
      {report.error ? (
        <ErrorNote error={report.error} retry={bad ? undefined : report.reload} />
      ) : !report.data ? (
        <Loading label="Loading feedback…" />
      ) : !report.data.has_data ? (
        <Empty title="No decisions on MQLs in this period">
          <p>Reps accept or reject the leads they are handed in their inbox; their decisions show here.</p>
        </Empty>
      ) : (
        <>
          <section class="card" aria-labelledby="fb-summary">
            <h2 id="fb-summary">In short</h2>
            <p>{report.data.summary}</p>
            {report.data.for_marketing.length > 0 && (
              <>
                <h3 class="small-heading">For marketing</h3>
                <ul class="sentences">
                  {(showAllSentences ? report.data.for_marketing : report.data.for_marketing.slice(0, 5)).map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
                {report.data.for_marketing.length > 5 && (
                  <button type="button" class="secondary small" aria-expanded={showAllSentences ? 'true' : 'false'} onClick={() => setShowAllSentences(!showAllSentences)}>
                    {showAllSentences ? 'Show the first 5' : `Show all ${report.data.for_marketing.length}`}
                  </button>
                )}
              </>
            )}
            <dl class="kpis">
              <div>
                <dt>Decided</dt>
                <dd>{formatNumber(report.data.total.dispositions)}</dd>
              </div>
              <div>
                <dt>Accepted</dt>
                <dd>
                  {formatNumber(report.data.total.accepted)} ({pct(report.data.total.accept_rate)})
                </dd>
              </div>
              <div>
                <dt>Rejected</dt>
                <dd>{formatNumber(report.data.total.rejected)}</dd>
              </div>
            </dl>
          </section>
          {report.data.total.reasons.length > 0 && (
            <section class="card" aria-labelledby="fb-reasons">
              <h2 id="fb-reasons">Why reps rejected</h2>
              <div class="table-wrap">
                <table class="table compact">
                  <thead>
                    <tr>
                      <th scope="col">Reason</th>
                      <th scope="col" class="num">
                        Rejections
                      </th>
                      <th scope="col" class="num">
                        Share of decisions
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.data.total.reasons.map((r) => (
                      <tr key={r.code}>
                        <td>{r.label || r.code}</td>
                        <td class="num">
                          <span class="bar-cell">
                            <span class="hbar" style={{ width: `${Math.round((100 * r.count) / maxReason)}%` }} aria-hidden="true" />
                          </span>
                          {formatNumber(r.count)}
                        </td>
                        <td class="num">{pct(r.share)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}
          <section class="card" aria-labelledby="fb-groups">
            <h2 id="fb-groups">Per {p.by}</h2>
            <div class="table-wrap">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">{p.by[0]!.toUpperCase() + p.by.slice(1)}</th>
                    <th scope="col" class="num">
                      Decided
                    </th>
                    <th scope="col" class="num">
                      Accepted
                    </th>
                    <th scope="col" class="num hide-sm">
                      95% interval
                    </th>
                    <th scope="col" class="hide-md">
                      Top reason
                    </th>
                    <th scope="col" class="hide-md">
                      Then
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((g) => (
                    <tr key={g.key}>
                      <th scope="row">{g.key || <span class="muted">None</span>}</th>
                      <td class="num">{formatNumber(g.dispositions)}</td>
                      <td class="num">{pct(g.accept_rate)}</td>
                      <td class="num hide-sm">{g.accept_low === null ? '—' : `${pct(g.accept_low)}–${pct(g.accept_high)}`}</td>
                      <td class="hide-md">{g.reasons[0] ? `${g.reasons[0].label || g.reasons[0].code} (${g.reasons[0].count})` : '—'}</td>
                      <td class="hide-md">{g.next.map((n) => `${stageLabel(n.stage)} ${n.count}`).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {groups.length > 15 && (
              <button type="button" class="secondary small" onClick={() => setShowAll(!showAll)}>
                {showAll ? 'Show the first 15' : `Show all ${groups.length}`}
              </button>
            )}
          </section>
        </>
      )}
    </div>
  );
}
