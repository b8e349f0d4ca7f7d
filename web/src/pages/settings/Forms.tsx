// Web forms: list, create, and the one-line embed snippet with a copy button (docs/capture.md).
// Marketing and admins.
import { useRef, useState } from 'preact/hooks';
import { describeError, get, post } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';
import { CopyButton, Section } from './common';

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

export function Forms() {
  const forms = useLoad((signal) => get<{ items: CaptureForm[] }>('/api/v1/forms', signal).then((r) => r.items), []);
  const [name, setName] = useState('');
  const [extra, setExtra] = useState<string[]>(['first_name', 'last_name', 'company']);
  const [consent, setConsent] = useState('');
  const [origins, setOrigins] = useState('');
  const [error, setError] = useState('');
  const [shown, setShown] = useState<number | null>(null);
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
      forms.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const list = (forms.data ?? []).filter((f) => !f.archived);
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
        {forms.error ? (
          <ErrorNote error={forms.error} retry={forms.reload} />
        ) : !forms.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty title="No forms yet">
            <p>Create a form above and paste its one-line snippet into your website.</p>
          </Empty>
        ) : (
          <ul class="form-list">
            {list.map((f) => (
              <li key={f.id} class="form-item">
                <div class="form-head">
                  <strong>{f.name}</strong>
                  <span class="muted small">
                    {f.fields.length} fields · created {formatDate(f.created_at)} · <span class="mono">{f.public_id}</span>
                  </span>
                  <button type="button" class="secondary small" aria-expanded={shown === f.id ? 'true' : 'false'} onClick={() => setShown(shown === f.id ? null : f.id)}>
                    {shown === f.id ? 'Hide embed code' : 'Embed code'}
                  </button>
                </div>
                {shown === f.id && <Snippet form={f} />}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}
