// Web forms: list, create, edit (name, fields, consent, websites), archive and unarchive, and the
// one-line embed snippet with a copy button (docs/capture.md). Marketing and admins.
import { useRef, useState } from 'preact/hooks';
import { describeError, get, post, request } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';
import { Confirm, CopyButton, Section } from './common';

export interface FormField {
  name: string;
  property: string;
  required: boolean;
}

export interface CaptureForm {
  id: number;
  public_id: string;
  post_url: string;
  name: string;
  fields: FormField[];
  consent_text: string;
  consent_required: boolean;
  allowed_origins: string[];
  archived: boolean;
  created_at: string;
  updated_at: string;
}

const PROPERTIES: { value: string; label: string; type: string }[] = [
  { value: 'first_name', label: 'First name', type: 'text' },
  { value: 'last_name', label: 'Last name', type: 'text' },
  { value: 'company', label: 'Company', type: 'text' },
  { value: 'title', label: 'Job title', type: 'text' },
  { value: 'phone', label: 'Phone', type: 'tel' },
  { value: 'country', label: 'Country (ISO code)', type: 'text' },
];

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The whole form on one line: a website pastes it where the form goes. It posts to Tandem
// directly (no script needed); with the tracker on the page, the visit history joins the lead.
export function embedSnippet(form: CaptureForm, origin: string): string {
  const inputs = form.fields
    .map((f) => {
      const p = PROPERTIES.find((x) => x.value === f.property);
      const type = f.property === 'email' ? 'email' : p?.type ?? 'text';
      const label = f.property === 'email' ? 'Email' : p?.label ?? f.name;
      return `<label>${escapeAttr(label)} <input name="${escapeAttr(f.name)}" type="${type}"${f.required ? ' required' : ''}></label>`;
    })
    .join(' ');
  const consent = form.consent_text ? ` <label><input type="checkbox" name="consent" value="yes"${form.consent_required ? ' required' : ''}> ${escapeAttr(form.consent_text)}</label>` : '';
  return `<form action="${origin}/f/${form.public_id}" method="post" data-tandem-form="${form.public_id}">${inputs}${consent} <button type="submit">Send</button></form>`;
}

function Snippet({ form }: { form: CaptureForm }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const text = embedSnippet(form, window.location.origin);
  const id = `snippet-${form.id}`;
  return (
    <div class="snippet">
      <label for={id}>Embed code for “{form.name}”</label>
      <textarea id={id} ref={ref} readOnly rows={5} class="mono" value={text} onFocus={(e) => e.currentTarget.select()} />
      <CopyButton text={text} label="Copy snippet" target={() => ref.current} />
    </div>
  );
}

interface FieldRow {
  property: string;
  label: string;
  name: string;
  asked: boolean;
  required: boolean;
}

// The editable rows of a form's fields: email (always asked and required), the known
// properties, then the form's other fields (custom ones, kept unless unticked).
export function fieldRows(form: Pick<CaptureForm, 'fields'>): FieldRow[] {
  const rows: FieldRow[] = PROPERTIES.map((p) => {
    const f = form.fields.find((x) => x.property === p.value);
    return { property: p.value, label: p.label, name: f?.name ?? p.value, asked: Boolean(f), required: f?.required ?? false };
  });
  for (const f of form.fields) {
    if (f.property === 'email' || PROPERTIES.some((p) => p.value === f.property)) continue;
    rows.push({ property: f.property, label: f.name, name: f.name, asked: true, required: f.required });
  }
  return rows;
}

// The fields to send: the form's email field first, then the asked rows in the form's order,
// newly asked ones after.
export function fieldsFromRows(form: Pick<CaptureForm, 'fields'>, rows: FieldRow[]): FormField[] {
  const email = form.fields.find((f) => f.property === 'email') ?? { name: 'email', property: 'email', required: true };
  const asked = rows.filter((r) => r.asked);
  const order = (r: FieldRow) => {
    const i = form.fields.findIndex((f) => f.property === r.property);
    return i < 0 ? form.fields.length + asked.indexOf(r) : i;
  };
  return [{ ...email, required: true }, ...[...asked].sort((a, b) => order(a) - order(b)).map((r) => ({ name: r.name, property: r.property, required: r.required }))];
}

function FormEditor({ form, onSaved, onCancel }: { form: CaptureForm; onSaved: (f: CaptureForm) => void; onCancel: () => void }) {
  const [name, setName] = useState(form.name);
  const [rows, setRows] = useState(() => fieldRows(form));
  const [consent, setConsent] = useState(form.consent_text);
  const [consentRequired, setConsentRequired] = useState(form.consent_required);
  const [origins, setOrigins] = useState(form.allowed_origins.join(', '));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [custom, setCustom] = useState('');
  const id = `edit-form-${form.id}`;
  const addCustom = () => {
    setError('');
    const key = custom.trim();
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(key)) return setError('A custom field’s key starts with a letter, then a-z, 0-9 or _ (64 at most).');
    if (rows.some((r) => r.property === `custom.${key}` || r.name === key) || key === 'email') return setError(`The form already has a field “${key}”.`);
    setRows([...rows, { property: `custom.${key}`, label: key, name: key, asked: true, required: false }]);
    setCustom('');
  };
  const setRow = (i: number, change: Partial<FieldRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...change, required: (change.asked ?? r.asked) ? change.required ?? r.required : false } : r)));
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!name.trim()) return setError('Give the form a name.');
    const allowed = origins
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    setBusy(true);
    try {
      const saved = await request<CaptureForm>('PATCH', `/api/v1/forms/${form.id}`, {
        body: {
          name: name.trim(),
          fields: fieldsFromRows(form, rows),
          consent_text: consent.trim(),
          consent_required: Boolean(consent.trim()) && consentRequired,
          allowed_origins: allowed.length ? allowed : ['*'],
        },
      });
      onSaved(saved);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form-editor" aria-labelledby={id} onSubmit={save}>
      <h3 id={id} class="small-heading">
        Edit “{form.name}”
      </h3>
      <div class="settings-form">
        <div class="field grow">
          <label for={`${id}-name`}>Name of the form</label>
          <input id={`${id}-name`} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field grow">
          <label for={`${id}-origins`}>Websites allowed to post (empty: any)</label>
          <input id={`${id}-origins`} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        </div>
      </div>
      <div class="table-wrap">
        <table class="table fields-table">
          <caption class="visually-hidden">Fields of the form</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Asked</th>
              <th scope="col">Required</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Email</th>
              <td>
                <input type="checkbox" checked disabled aria-label="Ask for Email (always)" />
              </td>
              <td>
                <input type="checkbox" checked disabled aria-label="Email is required (always)" />
              </td>
            </tr>
            {rows.map((r, i) => (
              <tr key={r.property}>
                <th scope="row">{r.label}</th>
                <td>
                  <input type="checkbox" checked={r.asked} aria-label={`Ask for ${r.label}`} onChange={(e) => setRow(i, { asked: e.currentTarget.checked })} />
                </td>
                <td>
                  <input type="checkbox" checked={r.required} disabled={!r.asked} aria-label={`${r.label} is required`} onChange={(e) => setRow(i, { required: e.currentTarget.checked })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="settings-form">
        <div class="field">
          <label for={`${id}-custom`}>New custom field (its key)</label>
          <input
            id={`${id}-custom`}
            class="mono"
            value={custom}
            placeholder="e.g. budget"
            onInput={(e) => setCustom(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addCustom();
              }
            }}
          />
        </div>
        <button type="button" class="secondary" onClick={addCustom}>
          Add custom field
        </button>
      </div>
      <div class="settings-form">
        <div class="field grow">
          <label for={`${id}-consent`}>Consent text (empty: no consent is asked)</label>
          <textarea id={`${id}-consent`} rows={2} value={consent} onInput={(e) => setConsent(e.currentTarget.value)} />
        </div>
        <div class="field checkbox">
          <label>
            <input type="checkbox" checked={consentRequired && Boolean(consent.trim())} disabled={!consent.trim()} onChange={(e) => setConsentRequired(e.currentTarget.checked)} /> Consent required to post
          </label>
        </div>
      </div>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <div class="button-row">
        <button type="submit" disabled={busy}>
          Save changes
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function Forms() {
  const forms = useLoad((signal) => get<{ items: CaptureForm[] }>('/api/v1/forms?archived=true', signal).then((r) => r.items), []);
  const [name, setName] = useState('');
  const [extra, setExtra] = useState<string[]>(['first_name', 'last_name', 'company']);
  const [consent, setConsent] = useState('');
  const [origins, setOrigins] = useState('');
  const [error, setError] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const setArchived = async (f: CaptureForm, archived: boolean) => {
    setError('');
    try {
      await request('PATCH', `/api/v1/forms/${f.id}`, { body: { archived } });
      setConfirming(null);
      setEditing(null);
      setShown(null);
      setStatus(archived ? `Archived “${f.name}”: posts to it are refused (410) until it is unarchived.` : `“${f.name}” takes posts again.`);
      forms.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!name.trim()) return setError('Give the form a name.');
    const allowed = origins
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      const f = await post<CaptureForm>('/api/v1/forms', {
        name: name.trim(),
        fields: [{ name: 'email', property: 'email', required: true }, ...extra.map((p) => ({ name: p, property: p, required: false }))],
        consent_text: consent.trim(),
        consent_required: Boolean(consent.trim()),
        allowed_origins: allowed.length ? allowed : ['*'],
      });
      setName('');
      setShown(f.id);
      setStatus(`Created “${f.name}”; its embed code is below.`);
      forms.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const list = (forms.data ?? []).filter((f) => !f.archived);
  const archived = (forms.data ?? []).filter((f) => f.archived);
  return (
    <>
      <Section title="New form" id="new-form">
        <form class="settings-form" onSubmit={create}>
          <div class="field grow">
            <label for="form-name">Form name</label>
            <input id="form-name" value={name} placeholder="e.g. Contact sales" onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <fieldset class="checks">
            <legend>Fields (email is always asked)</legend>
            {PROPERTIES.map((p) => (
              <label key={p.value}>
                <input type="checkbox" checked={extra.includes(p.value)} onChange={(e) => setExtra(e.currentTarget.checked ? [...extra, p.value] : extra.filter((x) => x !== p.value))} /> {p.label}
              </label>
            ))}
          </fieldset>
          <div class="field grow">
            <label for="form-consent">Consent text (optional; when given, consent is required)</label>
            <input id="form-consent" value={consent} onInput={(e) => setConsent(e.currentTarget.value)} />
          </div>
          <div class="field grow">
            <label for="form-origins">Websites allowed to post (empty: any)</label>
            <input id="form-origins" value={origins} placeholder="https://www.example.com" onInput={(e) => setOrigins(e.currentTarget.value)} />
          </div>
          <button type="submit">Create form</button>
        </form>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
      </Section>
      <Section title="Forms" id="forms">
        <p class="muted small" aria-live="polite">
          {status}
        </p>
        {forms.error ? (
          <ErrorNote error={forms.error} retry={forms.reload} />
        ) : !forms.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty title={archived.length ? 'No forms in use' : 'No forms yet'}>
            <p>Create a form above and paste its one-line snippet into your website{archived.length ? ', or unarchive one below' : ''}.</p>
          </Empty>
        ) : (
          <ul class="form-list">
            {list.map((f) => (
              <li key={f.id} class="form-item">
                <div class="form-head">
                  <strong>{f.name}</strong>
                  <span class="muted small">
                    {f.fields.length} fields{f.consent_text ? (f.consent_required ? ' · consent required' : ' · consent asked') : ''} · created {formatDate(f.created_at)} · <span class="mono">{f.public_id}</span>
                  </span>
                  <span class="button-row">
                    <button type="button" class="secondary small" aria-expanded={shown === f.id ? 'true' : 'false'} onClick={() => setShown(shown === f.id ? null : f.id)}>
                      {shown === f.id ? 'Hide embed code' : 'Embed code'}
                    </button>
                    <button type="button" class="secondary small" aria-label={`Edit the form ${f.name}`} aria-expanded={editing === f.id ? 'true' : 'false'} onClick={() => setEditing(editing === f.id ? null : f.id)}>
                      Edit
                    </button>
                    {confirming === f.id ? (
                      <Confirm label={`Archive the form ${f.name}?`} question="Archive? Posts to it are refused until it is unarchived." yes="Yes, archive" onYes={() => setArchived(f, true)} onNo={() => setConfirming(null)} />
                    ) : (
                      <button type="button" class="secondary small" aria-label={`Archive the form ${f.name}`} onClick={() => setConfirming(f.id)}>
                        Archive
                      </button>
                    )}
                  </span>
                </div>
                {editing === f.id && (
                  <FormEditor
                    form={f}
                    onCancel={() => setEditing(null)}
                    onSaved={(saved) => {
                      setEditing(null);
                      setShown(saved.id);
                      setStatus(`Saved “${saved.name}”; the embed code below has its new fields.`);
                      forms.reload();
                    }}
                  />
                )}
                {shown === f.id && editing !== f.id && <Snippet form={f} />}
              </li>
            ))}
          </ul>
        )}
      </Section>
      {archived.length > 0 && (
        <Section title="Archived forms" id="archived-forms">
          <ul class="form-list">
            {archived.map((f) => (
              <li key={f.id} class="form-item">
                <div class="form-head">
                  <strong>{f.name}</strong>
                  <span class="muted small">
                    archived {formatDate(f.updated_at)} · posts are refused
                  </span>
                  <button type="button" class="secondary small" aria-label={`Unarchive the form ${f.name}`} onClick={() => setArchived(f, false)}>
                    Unarchive
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </>
  );
}
