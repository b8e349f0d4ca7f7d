// Webhooks (admins): add (the signing secret shown once), list, remove, recent deliveries and
// re-drive of a pending or dead one (docs/notifications.md).
import { useState } from 'preact/hooks';
import { describeError, get, post, request } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { OnceSecret, Section } from './common';

interface Webhook {
  id: number;
  url: string;
  event_types: string[];
  description: string;
  active: boolean;
  created_at: string;
}
interface Delivery {
  id: number;
  event_type: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string;
  created_at: string;
}

const EVENTS = ['contact.mql', 'lead.assigned', 'lead.unassigned', 'lead.accepted', 'lead.rejected', 'sla.breached', 'sla.escalated'];

function Deliveries({ hook }: { hook: Webhook }) {
  const list = useLoad((signal) => get<{ items: Delivery[] }>(`/api/v1/webhooks/${hook.id}/deliveries?limit=20`, signal).then((r) => r.items), [hook.id]);
  const [status, setStatus] = useState('');
  const retry = async (d: Delivery) => {
    try {
      await post(`/api/v1/webhooks/${hook.id}/deliveries/${d.id}/retry`);
      setStatus(`Delivery ${d.id} will be sent again now.`);
      list.reload();
    } catch (err) {
      setStatus(describeError(err));
    }
  };
  if (list.error) return <ErrorNote error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="Loading deliveries…" />;
  if (list.data.length === 0) return <p class="muted">Nothing sent to this webhook yet.</p>;
  return (
    <>
      <p class="muted small" aria-live="polite">
        {status}
      </p>
      <div class="table-wrap">
        <table class="table compact">
          <caption>Recent deliveries to {hook.url}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" class="hide-sm">
                Last attempt
              </th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.id}>
                <td>{d.event_type}</td>
                <td>
                  {d.status}
                  {d.attempts ? ` after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : ''}
                  {d.last_status ? ` (HTTP ${d.last_status})` : ''}
                  {d.last_error && <div class="muted small">{d.last_error}</div>}
                </td>
                <td class="hide-sm nowrap">{formatDateTime(d.last_attempt_at)}</td>
                <td>
                  {d.status !== 'delivered' && (
                    <button type="button" class="secondary small" aria-label={`Send delivery ${d.id} again`} onClick={() => retry(d)}>
                      Send again
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function Webhooks() {
  const hooks = useLoad((signal) => get<{ items: Webhook[] }>('/api/v1/webhooks', signal).then((r) => r.items), []);
  const [draft, setDraft] = useState({ url: '', description: '', events: ['lead.assigned'] as string[] });
  const [error, setError] = useState('');
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!/^https?:\/\//.test(draft.url.trim())) return setError('Give the address that receives the POSTs, starting with https://');
    if (draft.events.length === 0) return setError('Choose at least one event.');
    try {
      const w = await post<Webhook & { secret: string }>('/api/v1/webhooks', { url: draft.url.trim(), event_types: draft.events, description: draft.description.trim() });
      setCreated({ url: w.url, secret: w.secret });
      setDraft({ url: '', description: '', events: ['lead.assigned'] });
      hooks.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const remove = async (w: Webhook) => {
    try {
      await request('DELETE', `/api/v1/webhooks/${w.id}`);
      setStatus(`Removed the webhook to ${w.url}; its deliveries stay readable.`);
      hooks.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <>
      <Section title="Add a webhook" id="new-webhook">
        <form class="settings-form" onSubmit={add}>
          <div class="field grow">
            <label for="hook-url">Receiving URL</label>
            <input id="hook-url" type="url" value={draft.url} placeholder="https://hooks.example.com/tandem" onInput={(e) => setDraft({ ...draft, url: e.currentTarget.value })} />
          </div>
          <div class="field grow">
            <label for="hook-description">What it is for</label>
            <input id="hook-description" value={draft.description} onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
          </div>
          <fieldset class="checks">
            <legend>Events</legend>
            {EVENTS.map((ev) => (
              <label key={ev}>
                <input
                  type="checkbox"
                  checked={draft.events.includes(ev)}
                  onChange={(e) => setDraft({ ...draft, events: e.currentTarget.checked ? [...draft.events, ev] : draft.events.filter((x) => x !== ev) })}
                />{' '}
                {ev}
              </label>
            ))}
          </fieldset>
          <button type="submit">Add webhook</button>
        </form>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
        {created && <OnceSecret title={`The signing secret of ${created.url}.`} secret={created.secret} />}
      </Section>
      <Section title="Webhooks" id="webhooks">
        <p class="muted small" aria-live="polite">
          {status}
        </p>
        {hooks.error ? (
          <ErrorNote error={hooks.error} retry={hooks.reload} />
        ) : !hooks.data ? (
          <Loading />
        ) : hooks.data.length === 0 ? (
          <Empty title="No webhooks yet">
            <p>Add one above to have Tandem POST lead and SLA events to another system.</p>
          </Empty>
        ) : (
          <ul class="form-list">
            {hooks.data.map((w) => (
              <li key={w.id} class="form-item">
                <div class="form-head">
                  <strong class="ellipsis">{w.url}</strong>
                  <span class="muted small">
                    {w.event_types.join(', ')}
                    {w.description ? ` · ${w.description}` : ''}
                  </span>
                  <button type="button" class="secondary small" aria-expanded={open === w.id ? 'true' : 'false'} onClick={() => setOpen(open === w.id ? null : w.id)}>
                    {open === w.id ? 'Hide deliveries' : 'Recent deliveries'}
                  </button>
                  <button type="button" class="secondary small" aria-label={`Remove the webhook to ${w.url}`} onClick={() => remove(w)}>
                    Remove
                  </button>
                </div>
                {open === w.id && <Deliveries hook={w} />}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
