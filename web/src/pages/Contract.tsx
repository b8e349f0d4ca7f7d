// The SLA contract: the version in force (or an older one) rendered as a document both teams
// can read, who has acknowledged it, every version, and the file itself. A party head
// acknowledges from here; an admin activates a new version by uploading the file.
import { useState } from 'preact/hooks';
import { ApiError, describeError, get, post, request } from '../api';
import { ComplianceSection } from '../components/Compliance';
import { ContractDiff } from '../components/ContractDiff';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { useLoad, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { navigate } from '../router';
import { useSession } from '../session';
import type { Page } from '../types';

interface ContractVersion {
  id: number;
  name: string;
  hash: string;
  effective_at: string;
  activated_at: string;
  activated_by: number | null;
  activated_by_label: string;
}

interface Party {
  side: 'marketing' | 'sales';
  team: string;
  head: string;
  acknowledged_at: string | null;
}

interface Acknowledgement {
  version_id: number;
  user_id: number;
  email: string;
  team: string;
  acknowledged_at: string;
}

// The terms as the file has them (docs/contract.md); read defensively, the file may grow.
interface Terms {
  personas?: string[];
  objectives?: { key: string; text: string }[];
  mql?: { rule?: string };
  marketing?: { mql_quota?: number; quota_period?: string; min_grade_ab_percent?: number; min_persona_match_percent?: number };
  sales?: { first_touch_hours?: number; attempts?: number; attempts_within_days?: number; disposition_days?: number };
  routing?: { strategy?: string; fallback?: string; default_capacity?: number; territories?: { name: string; countries: string[]; team: string }[] };
  rejection_reasons?: { code: string; label: string; next: string }[];
  recycle?: { reasons: string[]; wait_days: number; requires_new_engagement: boolean }[];
  escalation?: { after_hours: number; action: string }[];
  calendar?: { time_zone?: string; holidays?: string[] };
  compensation?: { pool?: number; currency?: string; period?: string; cap_percent?: number; kpis?: { kpi: string; weight: number; threshold_percent: number; cap_percent: number }[] };
}

export interface ContractDocument {
  version: ContractVersion;
  text: string;
  parties: Party[];
  acknowledgements: Acknowledgement[];
  terms: Terms;
}

const words = (s: string) => s.replace(/_/g, ' ');

export function ContractPage({ query }: PageProps) {
  useTitle('SLA contract');
  const { user } = useSession();
  const wanted = Number(query.get('version') ?? '');
  const versionId = Number.isInteger(wanted) && wanted > 0 ? wanted : null;
  const doc = useLoad(
    (signal) =>
      get<ContractDocument>(versionId ? `/api/v1/contract/versions/${versionId}` : '/api/v1/contract', signal).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404 && !versionId) return null;
        throw e;
      }),
    [versionId],
  );
  const versions = useLoad((signal) => get<Page<ContractVersion>>('/api/v1/contract/versions', signal), []);
  const current = versions.data?.items[0]?.id;

  return (
    <div class="page">
      <PageHeader title="SLA contract">
        {doc.data && (
          <a class="button secondary small" href="/contract" target="_blank" rel="noopener">
            Printable document
          </a>
        )}
      </PageHeader>
      {doc.error ? (
        <ErrorNote error={doc.error} retry={doc.reload} />
      ) : doc.data === undefined ? (
        <Loading label="Loading the contract…" />
      ) : doc.data === null ? (
        <Empty title="No contract in force yet">
          <p>The contract is the agreement between marketing and sales: who is targeted, what an MQL is, and what each team commits to.</p>
          {user.role !== 'admin' && <p>An admin activates its first version.</p>}
        </Empty>
      ) : (
        <div class="contract-layout">
          <article class="card contract-doc" aria-labelledby="contract-name">
            {versionId && versionId !== current && (
              <p class="note info">
                This is version {versionId}, not the one in force. <a href="/sla">See the version in force</a>
              </p>
            )}
            <ContractView doc={doc.data} onAcknowledged={doc.reload} />
          </article>
          <aside class="contract-side">
            <section class="card" aria-labelledby="versions-title">
              <h2 id="versions-title">Versions</h2>
              {versions.error ? (
                <ErrorNote error={versions.error} retry={versions.reload} />
              ) : !versions.data ? (
                <Loading />
              ) : (
                <ol class="versions" reversed>
                  {versions.data.items.map((v) => (
                    <li key={v.id}>
                      <a href={v.id === current ? '/sla' : `/sla?version=${v.id}`} aria-current={v.id === doc.data?.version.id ? 'page' : undefined}>
                        Version {v.id}
                      </a>
                      {v.id === current && <span class="badge ok">In force</span>}
                      <div class="muted small">
                        Activated {formatDateTime(v.activated_at)} by {v.activated_by_label || 'the operator'}
                      </div>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            {user.role === 'admin' && <Activate onActivated={() => { versions.reload(); navigate('/sla'); doc.reload(); }} />}
          </aside>
        </div>
      )}
      {doc.data === null && user.role === 'admin' && <Activate onActivated={() => { versions.reload(); doc.reload(); }} />}
      {doc.data && versions.data && <ContractDiff versions={versions.data.items} params={query} />}
      <ComplianceSection canSeeTeams={user.role !== 'sales'} />
    </div>
  );
}

function ContractView({ doc, onAcknowledged }: { doc: ContractDocument; onAcknowledged: () => void }) {
  const { user } = useSession();
  const t = doc.terms;
  const [ackError, setAckError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const mine = doc.parties.filter((p) => p.head.toLowerCase() === user.email.toLowerCase() && !p.acknowledged_at);

  const acknowledge = async () => {
    setBusy(true);
    setAckError(null);
    try {
      await post('/api/v1/contract/acknowledge', { version_id: doc.version.id });
      onAcknowledged();
    } catch (e) {
      setAckError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2 id="contract-name" class="doc-title">
        {doc.version.name}
      </h2>
      <p class="muted">
        Version {doc.version.id} · in force from {formatDateTime(doc.version.effective_at)} · activated by {doc.version.activated_by_label || 'the operator'}
      </p>

      <section aria-labelledby="parties-title">
        <h3 id="parties-title">Parties and acknowledgements</h3>
        <ul class="parties">
          {doc.parties.map((p) => (
            <li key={p.side + p.team}>
              <strong>{p.team}</strong> <span class="muted">({p.side}, head: {p.head})</span>{' '}
              {p.acknowledged_at ? <span class="badge ok">Acknowledged {formatDate(p.acknowledged_at)}</span> : <span class="badge warn">Not yet acknowledged</span>}
            </li>
          ))}
        </ul>
        {mine.length > 0 && (
          <p>
            <button type="button" onClick={acknowledge} disabled={busy}>
              Acknowledge version {doc.version.id} for {mine.map((p) => p.team).join(' and ')}
            </button>
          </p>
        )}
        {ackError !== null && <ErrorNote error={ackError} />}
      </section>

      {t.objectives && t.objectives.length > 0 && (
        <section>
          <h3>Shared objectives</h3>
          <ul>
            {t.objectives.map((o) => (
              <li key={o.key}>{o.text}</li>
            ))}
          </ul>
        </section>
      )}

      {(t.personas?.length || t.mql?.rule) && (
        <section>
          <h3>Who we target and what an MQL is</h3>
          {t.personas && t.personas.length > 0 && (
            <p>
              Personas: {t.personas.map((p, i) => (
                <>
                  {i > 0 && ', '}
                  <code>{p}</code>
                </>
              ))}
            </p>
          )}
          {t.mql?.rule && <p>A lead becomes an MQL when: {t.mql.rule}.</p>}
        </section>
      )}

      {t.marketing && (
        <section>
          <h3>Marketing commits to</h3>
          <ul>
            {t.marketing.mql_quota !== undefined && (
              <li>
                {formatNumber(t.marketing.mql_quota)} MQLs per {t.marketing.quota_period ?? 'period'}
              </li>
            )}
            {t.marketing.min_grade_ab_percent !== undefined && <li>at least {t.marketing.min_grade_ab_percent}% of MQLs graded A or B</li>}
            {t.marketing.min_persona_match_percent !== undefined && <li>at least {t.marketing.min_persona_match_percent}% of MQLs matching a persona</li>}
          </ul>
        </section>
      )}

      {t.sales && (
        <section>
          <h3>Sales commits to</h3>
          <ul>
            {t.sales.first_touch_hours !== undefined && <li>first touch within {t.sales.first_touch_hours} business hours of the handoff</li>}
            {t.sales.attempts !== undefined && (
              <li>
                {t.sales.attempts} attempts within {t.sales.attempts_within_days} days
              </li>
            )}
            {t.sales.disposition_days !== undefined && <li>accept or reject every MQL within {t.sales.disposition_days} business days</li>}
          </ul>
        </section>
      )}

      {t.rejection_reasons && t.rejection_reasons.length > 0 && (
        <section>
          <h3>Reasons to reject an MQL</h3>
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">The lead goes to</th>
              </tr>
            </thead>
            <tbody>
              {t.rejection_reasons.map((r) => (
                <tr key={r.code}>
                  <td>{r.label}</td>
                  <td>{words(r.next)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {t.recycle && t.recycle.length > 0 && (
            <ul>
              {t.recycle.map((r, i) => (
                <li key={i}>
                  Recycled for {r.reasons.map(words).join(', ')}: back to marketing after {r.wait_days} days
                  {r.requires_new_engagement ? ', and only with new engagement' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {t.routing && (
        <section>
          <h3>Routing</h3>
          <p>
            Strategy {words(t.routing.strategy ?? '')}
            {t.routing.fallback ? `, falling back to ${words(t.routing.fallback)}` : ''}
            {t.routing.default_capacity !== undefined ? `; at most ${t.routing.default_capacity} open MQLs per rep unless stated` : ''}.
          </p>
          {t.routing.territories && t.routing.territories.length > 0 && (
            <ul>
              {t.routing.territories.map((tr) => (
                <li key={tr.name}>
                  {tr.name} ({tr.countries.join(', ')}): {tr.team}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {t.escalation && t.escalation.length > 0 && (
        <section>
          <h3>When an SLA is breached</h3>
          <ol>
            {t.escalation.map((e, i) => (
              <li key={i}>
                {e.after_hours === 0 ? 'At the breach' : `${e.after_hours} business hours after the breach`}: {words(e.action)}
              </li>
            ))}
          </ol>
        </section>
      )}

      {t.calendar && (
        <section>
          <h3>Business time</h3>
          <p>
            Clocks run in business hours, time zone {t.calendar.time_zone}
            {t.calendar.holidays ? `, with ${t.calendar.holidays.length} holidays` : ''}.
          </p>
        </section>
      )}

      {t.compensation && (
        <section>
          <h3>Shared compensation</h3>
          <p>
            A pool of {formatNumber(t.compensation.pool ?? 0)} {t.compensation.currency} per {t.compensation.period}, capped at {t.compensation.cap_percent}%.
          </p>
          {t.compensation.kpis && (
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col" class="num">
                    Weight
                  </th>
                  <th scope="col" class="num">
                    Pays from
                  </th>
                </tr>
              </thead>
              <tbody>
                {t.compensation.kpis.map((k) => (
                  <tr key={k.kpi}>
                    <td>{words(k.kpi)}</td>
                    <td class="num">{k.weight}%</td>
                    <td class="num">{k.threshold_percent}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <details class="file">
        <summary>The file (version {doc.version.id})</summary>
        <pre>{doc.text}</pre>
      </details>
    </>
  );
}

function Activate({ onActivated }: { onActivated: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError('Choose the contract file (.toml) first.');
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const v = await request<ContractVersion>('POST', '/api/v1/contract/versions', { raw: { text: await file.text(), contentType: 'application/toml' } });
      setDone(`Version ${v.id} is in force.`);
      onActivated();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="activate-title">
      <h2 id="activate-title">Activate a new version</h2>
      <form onSubmit={submit}>
        <label for="contract-file">Contract file (TOML)</label>
        <input id="contract-file" type="file" accept=".toml,application/toml,text/plain" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <p class="muted small">Check it first with <code>tandem contract check FILE</code>; the heads of both teams then acknowledge the new version.</p>
        <button type="submit" disabled={busy}>
          {busy ? 'Activating…' : 'Activate'}
        </button>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
        {done && (
          <p class="note ok" role="status">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
