// My inbox (sales reps): the MQLs routed to me and not yet accepted or rejected, most urgent
// first, each with its SLA clocks counting down live in business time (docs/dashboard.md,
// "Inbox"). Accept, reject with one of the contract's reasons, or log a call, email or meeting
// in two clicks, without leaving the list.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, describeError, get, post, query } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDateTime, formatRelative, personName, stageLabel } from '../format';
import { useLoad, useNow, useReadyMark, useTitle } from '../hooks';
import { useSession } from '../session';
import { OBLIGATIONS, formatBusiness, liveRemaining, mostUrgent, sayBusiness, urgency, type Handoff, type SlaClock } from '../sla';
import type { Contact, Page } from '../types';
import type { ContractDocument } from './Contract';
import { QuickLog } from './Contact';

export const INBOX_LIMIT = 100;

interface Item {
  contact: Contact;
  handoff: Handoff;
  received: number; // performance.now() when the handoff arrived
}

interface Reason {
  code: string;
  label: string;
  next: string;
}

async function loadHandoff(id: number, signal?: AbortSignal): Promise<{ handoff: Handoff; received: number }> {
  const handoff = await get<Handoff>(`/api/v1/contacts/${id}/handoff`, signal);
  return { handoff, received: performance.now() };
}

// My MQLs, then each one's handoff, a few at a time.
async function loadInbox(me: number, signal: AbortSignal): Promise<Item[]> {
  const page = await get<Page<Contact>>('/api/v1/contacts' + query({ owner_id: me, stage: 'mql', sort: 'created_at', limit: INBOX_LIMIT }), signal);
  const items: Item[] = new Array(page.items.length);
  let next = 0;
  const worker = async () => {
    while (next < page.items.length) {
      const i = next++;
      const contact = page.items[i] as Contact;
      items[i] = { contact, ...(await loadHandoff(contact.id, signal)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, page.items.length) }, worker));
  return items;
}

// Business seconds left on the clock due first, for ordering (no open clock: last).
function urgencyKey(item: Item): number {
  const c = mostUrgent(item.handoff);
  return c?.remaining_business_seconds ?? Number.MAX_SAFE_INTEGER;
}

export function Inbox() {
  useTitle('My inbox');
  const { user } = useSession();
  const list = useLoad((signal) => loadInbox(user.id, signal), [user.id]);
  const contract = useLoad(
    (signal) =>
      get<ContractDocument>('/api/v1/contract', signal).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
    [],
  );
  useReadyMark('inbox', list.data !== undefined || list.error !== null);
  // Handoffs read again after a log or a flip of business hours, and the leads dealt with.
  const [fresh, setFresh] = useState<Map<number, { handoff: Handoff; received: number }>>(new Map());
  const [gone, setGone] = useState<Set<number>>(new Set());
  const [done, setDone] = useState<{ id: number; text: string }[]>([]);
  const items = useMemo(() => {
    const out = (list.data ?? []).filter((i) => !gone.has(i.contact.id)).map((i) => ({ ...i, ...(fresh.get(i.contact.id) ?? {}) }));
    return out.sort((a, b) => urgencyKey(a) - urgencyKey(b));
  }, [list.data, fresh, gone]);
  const anyOpen = items.some((i) => i.handoff.clocks.some((c) => c.state === 'open'));
  const now = useNow(1000, anyOpen);

  const refresh = async (id: number) => {
    try {
      const h = await loadHandoff(id);
      setFresh((m) => new Map(m).set(id, h));
    } catch {
      // The countdown keeps its last answer; the next flip or reload asks again.
    }
  };
  // A flip of business hours passed (the calendar opened or closed): ask again, once per item.
  const asked = useRef(new Set<string>());
  useEffect(() => {
    for (const i of items) {
      for (const c of i.handoff.clocks) {
        if (c.state !== 'open') continue;
        const key = `${i.contact.id}@${i.handoff.as_of}`;
        if (liveRemaining(c, i.handoff.as_of, i.received, now).stale && !asked.current.has(key)) {
          asked.current.add(key);
          void refresh(i.contact.id);
        }
      }
    }
  }, [now, items]);

  const finish = (c: Contact, text: string) => {
    setGone((s) => new Set(s).add(c.id));
    setDone((d) => [{ id: c.id, text }, ...d].slice(0, 5));
  };
  const reasons: Reason[] = contract.data?.terms.rejection_reasons ?? [];

  return (
    <div class="page">
      <PageHeader title="My inbox">
        <button type="button" class="secondary small" onClick={() => { setFresh(new Map()); setGone(new Set()); list.reload(); }} disabled={list.loading}>
          Refresh
        </button>
      </PageHeader>
      <p class="lede">
        New MQLs routed to you, the most urgent first. Clocks count business hours on your team's calendar and pause outside them.
      </p>
      <div aria-live="polite" class="inbox-done">
        {done.map((d) => (
          <p key={d.id} class="note ok">
            {d.text}{' '}
            <a href={`/contacts/${d.id}`}>Open the contact</a>
          </p>
        ))}
      </div>
      {list.error ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading your leads…" />
      ) : items.length === 0 ? (
        <Empty title="No new MQLs waiting for you">
          <p>
            Leads routed to you appear here with their SLA clocks. <a href="/leads?owner=me">All my contacts</a>
          </p>
        </Empty>
      ) : (
        <>
          <p class="muted small" aria-live="polite">
            {items.length === 1 ? '1 lead waiting' : `${items.length} leads waiting`}
            {list.data.length >= INBOX_LIMIT ? ` (the ${INBOX_LIMIT} oldest; more in the leads list)` : ''}
          </p>
          <ul class="inbox">
            {items.map((i) => (
              <InboxItem key={i.contact.id} item={i} now={now} reasons={reasons} contractError={contract.error} onRefresh={() => void refresh(i.contact.id)} onDone={finish} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function ClockLine({ clock, asOf, received, now }: { clock: SlaClock; asOf: string; received: number; now: number }) {
  const live = liveRemaining(clock, asOf, received, now);
  const level = urgency(live.seconds);
  const what = clock.obligation === 'attempts' ? `${OBLIGATIONS.attempts} (${clock.progress} of ${clock.target})` : OBLIGATIONS[clock.obligation];
  return (
    <li class={`clock ${level}`}>
      <span class="clock-what">{what}</span>
      <span class="clock-left">
        {level === 'overdue' ? (
          <strong>Overdue {live.seconds < 0 ? `by ${formatBusiness(live.seconds)}` : ''}</strong>
        ) : (
          <>
            <strong role="timer" aria-label={`${sayBusiness(live.seconds)} of business time left`} class="countdown">
              {formatBusiness(live.seconds)}
            </strong>{' '}
            left
          </>
        )}
        {!live.counting && level !== 'overdue' && (
          <span class="badge paused" title="Outside business hours the clock does not run">
            paused{clock.counting_changes_at ? ` until ${formatDateTime(clock.counting_changes_at)}` : ''}
          </span>
        )}
      </span>
      <span class="clock-due muted small">due {formatDateTime(clock.due_at)}</span>
    </li>
  );
}

function InboxItem({
  item,
  now,
  reasons,
  contractError,
  onRefresh,
  onDone,
}: {
  item: Item;
  now: number;
  reasons: Reason[];
  contractError: unknown;
  onRefresh: () => void;
  onDone: (c: Contact, text: string) => void;
}) {
  const c = item.contact;
  const name = personName(c);
  const [mode, setMode] = useState<'idle' | 'rejecting'>('idle');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLSelectElement>(null);
  // The reason list takes the focus when the form opens.
  useEffect(() => {
    if (mode === 'rejecting') reasonRef.current?.focus();
  }, [mode]);
  const assignment = item.handoff.assignments.find((a) => a.status === 'open') ?? item.handoff.assignments[0];
  const open = item.handoff.clocks.filter((k) => k.state === 'open');

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const after = await post<Contact>(`/api/v1/contacts/${c.id}/accept`);
      onDone(c, `Accepted ${name}: now ${stageLabel(after.stage)}.`);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };
  const reject = async (e: Event) => {
    e.preventDefault();
    if (!reason) {
      setError('Choose a reason for rejecting this lead.');
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const after = await post<Contact>(`/api/v1/contacts/${c.id}/reject`, { reason, note: note.trim() });
      const label = reasons.find((r) => r.code === reason)?.label ?? reason;
      onDone(c, `Rejected ${name} (${label}): now ${stageLabel(after.stage)}, back with marketing.`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  return (
    <li class="card inbox-item" aria-labelledby={`lead-${c.id}`}>
      <div class="inbox-head">
        <div>
          <h2 id={`lead-${c.id}`} class="inbox-name">
            <a href={`/contacts/${c.id}`}>{name}</a>
          </h2>
          <p class="muted small inbox-meta">
            {[c.title, c.email, c.source && `from ${c.source}`, c.campaign].filter(Boolean).join(' · ')}
          </p>
          {assignment && (
            <p class="muted small inbox-meta">
              Assigned {formatRelative(assignment.assigned_at)}
              {assignment.text ? ` · ${assignment.text}` : ''}
            </p>
          )}
        </div>
        <div class="button-row inbox-actions">
          <button type="button" onClick={accept} disabled={busy}>
            Accept
          </button>
          <button
            type="button"
            class="secondary"
            aria-expanded={mode === 'rejecting'}
            disabled={busy}
            onClick={() => {
              setMode(mode === 'rejecting' ? 'idle' : 'rejecting');
              setError(null);
            }}
          >
            Reject…
          </button>
        </div>
      </div>
      {open.length > 0 ? (
        <ul class="clocks" aria-label={`SLA clocks for ${name}`}>
          {open.map((k) => (
            <ClockLine key={k.id} clock={k} asOf={item.handoff.as_of} received={item.received} now={now} />
          ))}
        </ul>
      ) : (
        <p class="muted small">No SLA clock is running.</p>
      )}
      {mode === 'rejecting' && (
        <form class="reject-form" onSubmit={reject} aria-label={`Reject ${name}`}>
          <div class="field grow">
            <label for={`reason-${c.id}`}>Reason</label>
            <select id={`reason-${c.id}`} ref={reasonRef} value={reason} onChange={(e) => { setReason(e.currentTarget.value); setError(null); }} aria-required="true">
              <option value="">Choose a reason…</option>
              {reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label} ({stageLabel(r.next)})
                </option>
              ))}
            </select>
            {contractError ? <span class="muted small">The contract's reasons could not be loaded: {describeError(contractError)}</span> : null}
          </div>
          <div class="field grow">
            <label for={`note-${c.id}`}>Note for marketing (optional)</label>
            <input id={`note-${c.id}`} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          <div class="button-row end">
            <button type="submit" disabled={busy}>
              Reject lead
            </button>
            <button type="button" class="secondary" onClick={() => setMode('idle')}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <QuickLog contact={c} onLogged={onRefresh} idPrefix={`log-${c.id}`} inline />
    </li>
  );
}
