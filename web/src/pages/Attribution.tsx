// Attribution of revenue and pipeline to campaigns or sources (GET /api/v1/attribution) under
// a chosen model, with a chart of the leaders.
import { get, query } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatNumber } from '../format';
import { useLoad, useReadyMark, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { navigate } from '../router';
import { nextDayStart } from './Feedback';

interface Row {
  key: string;
  revenue: number;
  pipeline: number;
  won_deals: number;
  open_deals: number;
  touches: number;
}
interface Report {
  model: string;
  by: string;
  currency: string;
  has_data: boolean;
  summary: string;
  rounding: string;
  revenue: number;
  pipeline: number;
  won_deals: number;
  open_deals: number;
  unattributed: { revenue: number; pipeline: number; deals: number };
  rows: Row[];
}

export const MODELS: { value: string; label: string; help: string }[] = [
  { value: 'first', label: 'First touch', help: 'All credit to the first campaign the contact touched.' },
  { value: 'last', label: 'Last touch', help: 'All credit to the last touch before the deal.' },
  { value: 'linear', label: 'Linear', help: 'Equal credit to every touch.' },
  { value: 'u', label: 'U-shaped', help: '40% to the first touch, 40% to the last before the deal, 20% shared by the touches between.' },
  { value: 'w', label: 'W-shaped', help: '30% each to the first touch, the touch that made the MQL and the last before the deal; 10% shared by the others.' },
];

const day = (d: Date) => d.toISOString().slice(0, 10);

export function AttributionPage({ query: params }: PageProps) {
  useTitle('Attribution');
  const ok = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  const today = new Date();
  const p = {
    from: ok(params.get('from')) || day(new Date(today.getTime() - 179 * 86_400_000)),
    to: ok(params.get('to')) || day(today),
    model: MODELS.some((m) => m.value === params.get('model')) ? (params.get('model') as string) : 'linear',
    by: params.get('by') === 'source' ? 'source' : 'campaign',
  };
  const set = (patch: Partial<typeof p>) => navigate('/attribution' + query({ ...p, ...patch }), { replace: true });
  const bad = p.to < p.from;
  const report = useLoad(
    (signal) =>
      bad
        ? Promise.reject(new Error('The last day comes on or after the first.'))
        : get<Report>('/api/v1/attribution' + query({ from: `${p.from}T00:00:00Z`, to: nextDayStart(p.to), model: p.model, by: p.by }), signal),
    [p.from, p.to, p.model, p.by],
  );
  useReadyMark('attribution', report.data !== undefined || report.error !== null);
  const money = (v: number) => `${formatNumber(Math.round(v))} ${report.data?.currency ?? ''}`.trim();
  const rows = report.data?.rows ?? [];
  const most = Math.max(1, ...rows.map((r) => r.revenue + r.pipeline));
  return (
    <div class="page">
      <PageHeader title="Attribution" />
      <form class="filters card" aria-label="Model, period and breakdown" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="at-model">Model</label>
          <select id="at-model" value={p.model} aria-describedby="at-model-help" onChange={(e) => set({ model: e.currentTarget.value })}>
            {MODELS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="at-by">Credit to</label>
          <select id="at-by" value={p.by} onChange={(e) => set({ by: e.currentTarget.value })}>
            <option value="campaign">Campaigns</option>
            <option value="source">Sources</option>
          </select>
        </div>
        <div class="field">
          <label for="at-from">From</label>
          <input id="at-from" type="date" value={p.from} onChange={(e) => set({ from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="at-to">To (included)</label>
          <input id="at-to" type="date" value={p.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        </div>
        <p id="at-model-help" class="muted small model-help">
          {MODELS.find((m) => m.value === p.model)?.help}
        </p>
      </form>
      {report.error ? (
        <ErrorNote error={report.error} retry={bad ? undefined : report.reload} />
      ) : !report.data ? (
        <Loading label="Loading attribution…" />
      ) : !report.data.has_data ? (
        <Empty title="No deals in this period">
          <p>{report.data.summary}</p>
        </Empty>
      ) : (
        <>
          <section class="card" aria-labelledby="at-summary">
            <h2 id="at-summary">In short</h2>
            <p>{report.data.summary}</p>
            <dl class="kpis">
              <div>
                <dt>Revenue won</dt>
                <dd>{money(report.data.revenue)}</dd>
              </div>
              <div>
                <dt>Open pipeline</dt>
                <dd>{money(report.data.pipeline)}</dd>
              </div>
              <div>
                <dt>Deals</dt>
                <dd>
                  {formatNumber(report.data.won_deals)} won, {formatNumber(report.data.open_deals)} open
                </dd>
              </div>
              <div>
                <dt>Without a touch</dt>
                <dd>
                  {formatNumber(report.data.unattributed.deals)} deals, {money(report.data.unattributed.revenue + report.data.unattributed.pipeline)}
                </dd>
              </div>
            </dl>
          </section>
          <section class="card" aria-labelledby="at-table">
            <h2 id="at-table">Per {p.by}</h2>
            {rows.length === 0 ? (
              <p>No deal in this period had a {p.by} touch before it was created: nothing to credit.</p>
            ) : (
            <div class="table-wrap">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">{p.by === 'source' ? 'Source' : 'Campaign'}</th>
                    <th scope="col" class="num">
                      Revenue
                    </th>
                    <th scope="col" class="num">
                      Pipeline
                    </th>
                    <th scope="col" class="num hide-sm">
                      Deals won / open
                    </th>
                    <th scope="col" class="num hide-md">
                      Touches
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">
                        {r.key || <span class="muted">None</span>}
                        <span class="bar-cell wide">
                          <span class="hbar revenue" style={{ width: `${(100 * r.revenue) / most}%` }} aria-hidden="true" />
                          <span class="hbar pipeline" style={{ width: `${(100 * r.pipeline) / most}%` }} aria-hidden="true" />
                        </span>
                      </th>
                      <td class="num">{money(r.revenue)}</td>
                      <td class="num">{money(r.pipeline)}</td>
                      <td class="num hide-sm">
                        {r.won_deals} / {r.open_deals}
                      </td>
                      <td class="num hide-md">{r.touches}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            )}
            {rows.length > 0 && (
              <p class="muted small legend">
                <span class="hbar revenue key" aria-hidden="true" /> revenue <span class="hbar pipeline key" aria-hidden="true" /> pipeline, against the largest {p.by}
              </p>
            )}
            <p class="muted small">{report.data.rounding}</p>
          </section>
        </>
      )}
    </div>
  );
}
