// The business calendar and routing, as the contract in force has them (changed on the SLA
// page, where the contract is versioned and acknowledged), and the routing distribution.
import { useState } from 'preact/hooks';
import { get } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDateTime, formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import { Section } from './common';

interface Terms {
  calendar?: { time_zone?: string; overnight?: boolean; hours?: Record<string, string[]>; holidays?: string[] };
  routing?: {
    strategy?: string;
    fallback?: string | null;
    default_capacity?: number | null;
    reps?: { email: string; weight: number; capacity: number | null }[];
    territories?: { name: string; countries: string[]; regions: string[]; team: string; rep: string }[];
    persona_owners?: { persona: string; team: string; rep: string }[];
  };
}
interface Doc {
  version: { id: number; name: string; effective_at: string };
  terms: Terms;
}
interface Distribution {
  from: string;
  to: string;
  total: number;
  assigned: number;
  unassigned: number;
  unassigned_by_reason: Record<string, number>;
  reps: { user_id: number; email: string; leads: number; share: number; by_rule: Record<string, number> }[];
}

const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const words = (s: string) => s.replace(/_/g, ' ');
const loadDoc = (signal: AbortSignal) => get<Doc>('/api/v1/contract', signal);

function NoContract({ error, retry }: { error: unknown; retry: () => void }) {
  const status = (error as { status?: number })?.status;
  if (status === 404) {
    return (
      <Empty title="No contract in force">
        <p>
          The calendar and routing come from the SLA contract. <a href="/sla">Activate one on the SLA page.</a>
        </p>
      </Empty>
    );
  }
  return <ErrorNote error={error} retry={retry} />;
}

export function Calendar() {
  const doc = useLoad(loadDoc, []);
  if (doc.error) return <NoContract error={doc.error} retry={doc.reload} />;
  if (!doc.data) return <Loading />;
  const cal = doc.data.terms.calendar ?? {};
  return (
    <Section title="Business calendar" id="calendar">
      <p>
        SLA clocks count business time on this calendar, from the contract in force (<strong>{doc.data.version.name}</strong>). To change it,{' '}
        <a href={`/sla?version=${doc.data.version.id}`}>upload a new contract version on the SLA page</a>; the heads acknowledge it there.
      </p>
      <dl class="kpis compact">
        <div>
          <dt>Time zone</dt>
          <dd>{cal.time_zone ?? 'UTC'}</dd>
        </div>
        <div>
          <dt>Holidays</dt>
          <dd>{cal.holidays?.length ?? 0}</dd>
        </div>
      </dl>
      <div class="table-wrap">
        <table class="table compact">
          <caption class="visually-hidden">Business hours per weekday</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Hours</th>
            </tr>
          </thead>
          <tbody>
            {DAYS.map((d) => (
              <tr key={d}>
                <th scope="row">{d[0]!.toUpperCase() + d.slice(1)}</th>
                <td>{cal.hours?.[d]?.length ? cal.hours[d]!.join(', ') : <span class="muted">Closed</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cal.holidays && cal.holidays.length > 0 && (
        <>
          <h3 class="small-heading">Holidays</h3>
          <p>{cal.holidays.join(', ')}</p>
        </>
      )}
    </Section>
  );
}

function isoDaysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

export function Routing() {
  const doc = useLoad(loadDoc, []);
  const [days, setDays] = useState('30');
  const dist = useLoad(
    (signal) => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const from = `${isoDaysAgo(Number(days))}T00:00:00Z`;
      return get<Distribution>(`/api/v1/routing/distribution?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, signal);
    },
    [days],
  );
  const routing = doc.data?.terms.routing;
  return (
    <>
      <Section title="Routing rules in force" id="routing-rules">
        {doc.error ? (
          <NoContract error={doc.error} retry={doc.reload} />
        ) : !doc.data || !routing ? (
          <Loading />
        ) : (
          <>
            <p>
              New MQLs go by <strong>{words(routing.strategy ?? '')}</strong>
              {routing.fallback ? (
                <>
                  , then <strong>{words(routing.fallback)}</strong> when that finds nobody
                </>
              ) : null}
              {routing.default_capacity ? `; at most ${routing.default_capacity} open leads per rep unless said otherwise` : ''}. Change them with a new contract version on the{' '}
              <a href={`/sla?version=${doc.data.version.id}`}>SLA page</a>.
            </p>
            {routing.reps && routing.reps.length > 0 && (
              <div class="table-wrap">
                <table class="table compact">
                  <caption>Reps in the pool</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rep</th>
                      <th scope="col" class="num">
                        Weight
                      </th>
                      <th scope="col" class="num">
                        Capacity
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {routing.reps.map((r) => (
                      <tr key={r.email}>
                        <td>{r.email}</td>
                        <td class="num">{r.weight}</td>
                        <td class="num">{r.capacity ?? routing.default_capacity ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {routing.territories && routing.territories.length > 0 && (
              <div class="table-wrap">
                <table class="table compact">
                  <caption>Territories</caption>
                  <thead>
                    <tr>
                      <th scope="col">Territory</th>
                      <th scope="col">Countries</th>
                      <th scope="col">Goes to</th>
                    </tr>
                  </thead>
                  <tbody>
                    {routing.territories.map((t) => (
                      <tr key={t.name}>
                        <td>{t.name}</td>
                        <td>{[...t.countries, ...t.regions].join(', ')}</td>
                        <td>{t.rep || (t.team ? `team ${t.team}` : '—')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Section>
      <Section title="Distribution per rep" id="routing-distribution">
        <div class="field inline">
          <label for="dist-days">Period</label>
          <select id="dist-days" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
          </select>
        </div>
        {dist.error ? (
          <ErrorNote error={dist.error} retry={dist.reload} />
        ) : !dist.data ? (
          <Loading />
        ) : dist.data.total === 0 ? (
          <Empty title="No leads routed in this period" />
        ) : (
          <>
            <p aria-live="polite">
              {formatNumber(dist.data.total)} leads routed from {formatDateTime(dist.data.from)}: {formatNumber(dist.data.assigned)} assigned, {formatNumber(dist.data.unassigned)} unassigned
              {Object.entries(dist.data.unassigned_by_reason)
                .map(([r, n]) => ` (${n} ${words(r)})`)
                .join('')}
              .
            </p>
            <div class="table-wrap">
              <table class="table compact">
                <caption class="visually-hidden">Leads per rep</caption>
                <thead>
                  <tr>
                    <th scope="col">Rep</th>
                    <th scope="col" class="num">
                      Leads
                    </th>
                    <th scope="col" class="num">
                      Share
                    </th>
                    <th scope="col" class="hide-sm">
                      By rule
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {dist.data.reps.map((r) => (
                    <tr key={r.user_id}>
                      <td>{r.email}</td>
                      <td class="num">{formatNumber(r.leads)}</td>
                      <td class="num">
                        <span class="share-bar" style={{ width: `${Math.round(r.share * 100)}%` }} aria-hidden="true" />
                        {Math.round(r.share * 100)}%
                      </td>
                      <td class="hide-sm">
                        {Object.entries(r.by_rule)
                          .map(([rule, n]) => `${words(rule)} ${n}`)
                          .join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>
    </>
  );
}
