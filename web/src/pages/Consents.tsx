// A contact's consents on the contact page (docs/privacy.md): what each was for, when it was
// given, where it came from (a form post, an import row, an API key, a user of the dashboard),
// and whether it was withdrawn. Whoever may edit the contact withdraws one; the record stays,
// stamped with when and by whom.
import { useState } from 'preact/hooks';
import { describeError, get, post } from '../api';
import { ErrorNote, Loading } from '../components/ui';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { useSession } from '../session';
import type { Contact, Page, User } from '../types';
import { Confirm, Outcome } from './settings/common';

export interface Consent {
  id: number;
  contact_id: number;
  purpose: string;
  text: string;
  source: 'form' | 'import' | 'api' | 'user';
  form_id: number | null;
  submission_id: number | null;
  import_job_id: number | null;
  import_row: number | null;
  recorded_by: number | null;
  given_at: string;
  withdrawn_at: string | null;
  withdrawn_by: number | null;
}

interface FormName {
  id: number;
  name: string;
}

// Where a consent came from, in words: "Form “Webinar signup”", "Import 12, row 7",
// "Recorded by Ada Admin", "API key of Ada Admin".
export function consentOrigin(c: Consent, forms: Map<number, string> | undefined, users: Map<number, User> | undefined): string {
  const user = (id: number | null) => (id === null ? 'a user no longer listed' : (users?.get(id)?.name ?? `user ${id}`));
  switch (c.source) {
    case 'form': {
      const name = c.form_id !== null ? forms?.get(c.form_id) : undefined;
      return name ? `Form “${name}”` : c.form_id !== null ? `Form ${c.form_id}` : 'A form';
    }
    case 'import':
      return [c.import_job_id !== null ? `Import ${c.import_job_id}` : 'An import', c.import_row !== null ? `row ${c.import_row}` : ''].filter(Boolean).join(', ');
    case 'api':
      return `API key of ${user(c.recorded_by)}`;
    case 'user':
      return `Recorded by ${user(c.recorded_by)}`;
  }
  return c.source;
}

// Everyone but a sales rep edits any contact; a rep only the contacts they own (the server
// decides; this only hides a button that would be refused).
export function canEditContact(user: User, contact: Contact): boolean {
  return user.role !== 'sales' || contact.owner_id === user.id;
}

export function Consents({ contact, users }: { contact: Contact; users: Map<number, User> | undefined }) {
  const { user } = useSession();
  const list = useLoad((signal) => get<Page<Consent>>(`/api/v1/contacts/${contact.id}/consents`, signal), [contact.id]);
  const forms = useLoad(
    (signal) =>
      get<Page<FormName>>('/api/v1/forms?archived=true', signal)
        .then((p) => new Map(p.items.map((f) => [f.id, f.name])))
        .catch(() => new Map<number, string>()),
    [],
  );
  const [asking, setAsking] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const editable = canEditContact(user, contact);

  const withdraw = async (c: Consent) => {
    setBusy(true);
    setError(null);
    try {
      await post<Consent>(`/api/v1/contacts/${contact.id}/consents/${c.id}/withdraw`);
      setStatus(`The consent “${c.purpose}” is withdrawn.`);
      setAsking(null);
      list.reload();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="consents-title">
      <h2 id="consents-title">Consents</h2>
      {list.error ? (
        <ErrorNote error={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p class="muted">No consent recorded.</p>
      ) : (
        <ul class="consents">
          {list.data.items.map((c) => (
            <li key={c.id} class={c.withdrawn_at ? 'consent withdrawn' : 'consent'} data-consent={c.id}>
              <div class="consent-head">
                <strong>{c.purpose}</strong>{' '}
                {c.withdrawn_at ? <span class="badge">Withdrawn</span> : <span class="badge ok">Given</span>}
              </div>
              <div class="muted small">
                Given {formatDateTime(c.given_at)} · {consentOrigin(c, forms.data ?? undefined, users)}
              </div>
              {c.text && <div class="small consent-text">“{c.text}”</div>}
              {c.withdrawn_at && (
                <div class="muted small">
                  Withdrawn {formatDateTime(c.withdrawn_at)}
                  {c.withdrawn_by !== null && ` by ${users?.get(c.withdrawn_by)?.name ?? `user ${c.withdrawn_by}`}`}
                </div>
              )}
              {!c.withdrawn_at &&
                editable &&
                (asking === c.id ? (
                  <Confirm
                    label={`Withdraw the consent “${c.purpose}”?`}
                    question="The person withdrew it?"
                    yes={busy ? 'Withdrawing…' : 'Yes, withdraw'}
                    onYes={() => !busy && withdraw(c)}
                    onNo={() => setAsking(null)}
                  />
                ) : (
                  <button type="button" class="secondary small" aria-label={`Withdraw the consent “${c.purpose}”`} onClick={() => { setAsking(c.id); setStatus(''); setError(null); }}>
                    Withdraw
                  </button>
                ))}
            </li>
          ))}
        </ul>
      )}
      <Outcome error={error} status={status} />
    </section>
  );
}
