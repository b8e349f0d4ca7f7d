// One contact: who they are, who owns them, their score explained line by line, and their
// timeline (events, stage changes, activities, deals). Logging a call, email or meeting takes
// two clicks: the kind, then Log. Its consents, with a way to withdraw one (Consents.tsx).
import { useRef, useState } from 'preact/hooks';
import { ApiError, describeError, get, post } from '../api';
import { Empty, ErrorNote, Loading, PageHeader, StageBadge } from '../components/ui';
import { formatDateTime, formatNumber, formatRelative, personName, stageLabel } from '../format';
import { useLoad, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { useSession } from '../session';
import type { Activity, Company, Contact, Page, TimelineItem, User } from '../types';
import { loadUsers } from '../users';
import { Consents } from './Consents';

interface ScoreLine {
  kind: string;
  text: string;
  points: number;
  matched: boolean;
}

interface ContactScore {
  fit: number;
  grade: string;
  persona_id: number | null;
  persona_key: string | null;
  engagement: number;
  as_of: string;
  last_event_at: string | null;
  qualifies: boolean;
  lines: ScoreLine[];
}

export const QUICK_LOGS = [
  { type: 'call', label: 'Call', outcomes: ['connected', 'no_answer', 'left_voicemail'] },
  { type: 'email', label: 'Email', outcomes: ['sent', 'replied'] },
  { type: 'meeting', label: 'Meeting', outcomes: ['held', 'no_show'] },
] as const;

const OUTCOME_LABELS: Record<string, string> = {
  connected: 'Connected',
  no_answer: 'No answer',
  left_voicemail: 'Left a voicemail',
  sent: 'Sent',
  replied: 'Replied',
  held: 'Held',
  no_show: 'No show',
};

function outcomeLabel(o: string): string {
  return OUTCOME_LABELS[o] ?? o.replace(/_/g, ' ');
}

export function ContactPage({ params }: PageProps) {
  const id = Number(params['id']);
  const valid = Number.isInteger(id) && id > 0;
  const contact = useLoad((signal) => (valid ? get<Contact>(`/api/v1/contacts/${id}`, signal) : Promise.reject(new ApiError(404, 'not_found', 'no such contact'))), [id]);
  useTitle(contact.data ? personName(contact.data) : 'Contact');

  if (contact.error) {
    return (
      <div class="page">
        <PageHeader title="Contact" />
        {contact.error instanceof ApiError && contact.error.status === 404 ? (
          <Empty title="This contact does not exist">
            <p>
              It may have been deleted or merged into another one. <a href="/leads">Back to the leads</a>
            </p>
          </Empty>
        ) : (
          <ErrorNote error={contact.error} retry={contact.reload} />
        )}
      </div>
    );
  }
  if (!contact.data) return <Loading label="Loading the contact…" />;
  return <ContactView contact={contact.data} />;
}

function ContactView({ contact: c }: { contact: Contact }) {
  const users = useLoad(() => loadUsers(), []);
  const company = useLoad((signal) => (c.company_id ? get<Company>(`/api/v1/companies/${c.company_id}`, signal) : Promise.resolve(null)), [c.company_id]);
  const timeline = useLoad((signal) => get<Page<TimelineItem>>(`/api/v1/contacts/${c.id}/timeline`, signal), [c.id]);
  const score = useLoad((signal) => get<ContactScore>(`/api/v1/contacts/${c.id}/score`, signal), [c.id]);
  const owner = c.owner_id !== null ? users.data?.get(c.owner_id) : undefined;
  const persona = c.custom['persona'];

  return (
    <div class="page">
      <PageHeader title={personName(c)}>
        <StageBadge stage={c.stage} />
      </PageHeader>
      <p class="lede">
        {[c.title, company.data?.name].filter(Boolean).join(' at ') || c.email}
        <span class="muted"> · in {stageLabel(c.stage)} since {formatRelative(c.stage_entered_at)}</span>
      </p>

      <div class="contact-layout">
        <div class="contact-main">
          <QuickLog contact={c} onLogged={timeline.reload} />
          <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">Timeline</h2>
            {timeline.error ? (
              <ErrorNote error={timeline.error} retry={timeline.reload} />
            ) : !timeline.data ? (
              <Loading />
            ) : timeline.data.items.length === 0 ? (
              <Empty title="Nothing has happened yet" />
            ) : (
              <ol class="timeline">
                {timeline.data.items.map((item, i) => (
                  <TimelineEntry key={i} item={item} users={users.data} />
                ))}
              </ol>
            )}
          </section>
        </div>

        <aside class="contact-side">
          <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <dl class="facts">
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              {c.phone && (
                <>
                  <dt>Phone</dt>
                  <dd>
                    <a href={`tel:${c.phone}`}>{c.phone}</a>
                  </dd>
                </>
              )}
              <dt>Owner</dt>
              <dd>{c.owner_id === null ? <span class="muted">Unassigned</span> : owner ? owner.name : `User ${c.owner_id}`}</dd>
              <dt>Persona</dt>
              <dd>{score.data?.persona_key ?? (persona && persona !== 'none' ? persona : <span class="muted">None matched</span>)}</dd>
              {company.data && (
                <>
                  <dt>Company</dt>
                  <dd>
                    {company.data.name}
                    <span class="muted small">
                      {[company.data.industry, company.data.employees !== null ? `${formatNumber(company.data.employees)} employees` : '', company.data.country]
                        .filter(Boolean)
                        .map((t) => ` · ${t}`)}
                    </span>
                  </dd>
                </>
              )}
              {c.country && (
                <>
                  <dt>Country</dt>
                  <dd>{c.country}</dd>
                </>
              )}
              <dt>Source</dt>
              <dd>
                {c.source || <span class="muted">Unknown</span>}
                {c.campaign && <div class="muted small">{c.campaign}</div>}
              </dd>
              <dt>Created</dt>
              <dd>{formatDateTime(c.created_at)}</dd>
            </dl>
          </section>

          <section class="card" aria-labelledby="score-title">
            <h2 id="score-title">Score</h2>
            {score.error ? (
              <ErrorNote error={score.error} retry={score.reload} />
            ) : !score.data ? (
              <Loading />
            ) : (
              <ScoreView score={score.data} />
            )}
          </section>

          <Consents contact={c} users={users.data} />
        </aside>
      </div>
    </div>
  );
}

function ScoreView({ score }: { score: ContactScore }) {
  return (
    <>
      <div class="score-head">
        <div class="metric">
          <span class="metric-value">{score.grade}</span>
          <span class="metric-label">Grade</span>
        </div>
        <div class="metric">
          <span class="metric-value">{score.fit}</span>
          <span class="metric-label">Fit</span>
        </div>
        <div class="metric">
          <span class="metric-value">{Math.round(score.engagement)}</span>
          <span class="metric-label">Engagement</span>
        </div>
      </div>
      <p>{score.qualifies ? <span class="badge ok">Meets the MQL rule</span> : <span class="badge">Does not meet the MQL rule</span>}</p>
      <h3 class="small-heading">Why</h3>
      <ul class="score-lines">
        {score.lines.map((l, i) => (
          <li key={i} class={l.matched ? 'matched' : 'unmatched'}>
            <span class="line-text">{l.text}</span>
            {l.points !== 0 && (
              <span class="line-points">
                {l.points > 0 ? '+' : ''}
                {Math.round(l.points * 10) / 10}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p class="muted small">As of {formatDateTime(score.as_of)}</p>
    </>
  );
}

// Also used by the inbox, once per lead: `idPrefix` keeps the labels' ids apart, `inline`
// drops the card and its heading.
export function QuickLog({ contact, onLogged, idPrefix = 'log', inline = false }: { contact: Contact; onLogged: () => void; idPrefix?: string; inline?: boolean }) {
  const { user } = useSession();
  const [kind, setKind] = useState<(typeof QUICK_LOGS)[number] | null>(null);
  const [outcome, setOutcome] = useState('');
  const [subject, setSubject] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submitRef = useRef<HTMLButtonElement>(null);

  const open = (k: (typeof QUICK_LOGS)[number]) => {
    setKind(k);
    setOutcome(k.outcomes[0]);
    setSubject(`${k.label} with ${personName(contact)}`);
    setMessage(null);
    setTimeout(() => submitRef.current?.focus(), 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!kind) return;
    setBusy(true);
    try {
      await post<Activity>('/api/v1/activities', { type: kind.type, contact_id: contact.id, subject: subject.trim(), outcome, owner_id: user.id });
      setMessage({ ok: true, text: `${kind.label} logged.` });
      setKind(null);
      onLogged();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const body = (
    <>
      <div class="button-row" role="group" aria-label={inline ? `Log an activity for ${personName(contact)}` : 'Kind of activity'}>
        {QUICK_LOGS.map((k) => (
          <button key={k.type} type="button" class={kind?.type === k.type ? '' : 'secondary'} aria-pressed={kind?.type === k.type} onClick={() => open(k)}>
            {k.label}
          </button>
        ))}
      </div>
      {kind && (
        <form class="quicklog-form" onSubmit={submit}>
          <div class="field grow">
            <label for={`${idPrefix}-subject`}>Subject</label>
            <input id={`${idPrefix}-subject`} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for={`${idPrefix}-outcome`}>Outcome</label>
            <select id={`${idPrefix}-outcome`} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              {kind.outcomes.map((o) => (
                <option key={o} value={o}>
                  {outcomeLabel(o)}
                </option>
              ))}
            </select>
          </div>
          <div class="button-row end">
            <button type="submit" ref={submitRef} disabled={busy}>
              {busy ? 'Logging…' : `Log ${kind.label.toLowerCase()}`}
            </button>
            <button type="button" class="secondary" onClick={() => setKind(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {message && (
        <p class={message.ok ? 'note ok' : 'note error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </>
  );
  if (inline) return <div class="quicklog inline">{body}</div>;
  return (
    <section class="card quicklog" aria-labelledby={`${idPrefix}-title`}>
      <h2 id={`${idPrefix}-title`}>Log an activity</h2>
      {body}
    </section>
  );
}

function who(users: Map<number, User> | undefined, id: number | null, fallback: string): string {
  if (id !== null && users?.get(id)) return users.get(id)?.name ?? fallback;
  if (fallback.startsWith('system:')) return 'Tandem (' + fallback.slice(7) + ')';
  return fallback || 'Tandem';
}

function TimelineEntry({ item, users }: { item: TimelineItem; users: Map<number, User> | undefined }) {
  let title = '';
  let detail = '';
  let by = '';
  if (item.stage_change) {
    const s = item.stage_change;
    title = s.from ? `Moved from ${stageLabel(s.from)} to ${stageLabel(s.to)}` : `Entered as ${stageLabel(s.to)}`;
    detail = [s.cause && s.cause !== 'manual' ? s.cause.replace(/_/g, ' ') : '', s.reason].filter(Boolean).join(' · ');
    by = who(users, s.actor.user_id, s.actor.name);
  } else if (item.activity) {
    const a = item.activity;
    title = `${a.type.charAt(0).toUpperCase()}${a.type.slice(1)}: ${a.subject || 'no subject'}`;
    detail = [a.outcome ? outcomeLabel(a.outcome) : '', a.duration_minutes ? `${a.duration_minutes} min` : ''].filter(Boolean).join(' · ');
    by = who(users, a.owner_id, '');
  } else if (item.deal) {
    const d = item.deal;
    title = `Deal: ${d.title}`;
    detail = `${formatNumber(d.amount)} ${d.currency} · ${d.stage}`;
  } else if (item.event) {
    const ev = item.event;
    title = ev.type.replace(/_/g, ' ');
    detail = [ev.utm_source, ev.utm_campaign].filter(Boolean).join(' · ');
  }
  return (
    <li class={`tl tl-${item.kind}`}>
      <div class="tl-when">
        <time dateTime={item.at} title={formatDateTime(item.at)}>
          {formatDateTime(item.at)}
        </time>
      </div>
      <div class="tl-what">
        <span class="tl-kind">{item.kind.replace('_', ' ')}</span> <strong>{title}</strong>
        {(detail || by) && (
          <div class="muted small">
            {detail}
            {detail && by ? ' · ' : ''}
            {by && `by ${by}`}
          </div>
        )}
      </div>
    </li>
  );
}
