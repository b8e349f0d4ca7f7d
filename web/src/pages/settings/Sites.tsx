// Tracker sites: the keys the tracker script (GET /t.js) sends page views with, each accepted
// only from its websites; create, list, revoke (archive), and the one-line script tag to copy
// (docs/capture.md). Marketing and admins.
import { useRef, useState } from 'preact/hooks';
import { describeError, get, post, request } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';
import { Confirm, CopyButton, Section } from './common';

export interface TrackerSite {
  id: number;
  public_key: string;
  name: string;
  allowed_origins: string[];
  archived: boolean;
  created_at: string;
  updated_at: string;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// The line a website pastes into every page's <head>: the script from this server with the key.
export function trackerSnippet(site: Pick<TrackerSite, 'public_key'>, origin: string): string {
  return `<script src="${escapeAttr(origin)}/t.js" data-key="${escapeAttr(site.public_key)}" async></script>`;
}

// "https://www.example.com, https://example.com" or one per line -> the list; empty -> none.
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

function Snippet({ site }: { site: TrackerSite }) {
  const ref = useRef<HTMLInputElement>(null);
  const text = trackerSnippet(site, window.location.origin);
  const id = `tracker-snippet-${site.id}`;
  return (
    <div class="snippet">
      <label for={id}>Tracker snippet for “{site.name}”</label>
      <input id={id} ref={ref} readOnly class="mono" value={text} onFocus={(e) => e.currentTarget.select()} />
      <span class="muted small">Paste it into the &lt;head&gt; of every page of the site.</span>
      <CopyButton text={text} label="Copy tracker snippet" target={() => ref.current} />
    </div>
  );
}

export function TrackerSites() {
  const sites = useLoad((signal) => get<{ items: TrackerSite[] }>('/api/v1/sites?archived=true', signal).then((r) => r.items), []);
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [shown, setShown] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    setStatus('');
    if (!name.trim()) return setError('Give the site a name.');
    const allowed = parseOrigins(origins);
    if (allowed.length === 0) return setError('Give the website’s address (e.g. https://www.example.com), or * for any website.');
    try {
      const s = await post<TrackerSite>('/api/v1/sites', { name: name.trim(), allowed_origins: allowed });
      setName('');
      setOrigins('');
      setShown(s.id);
      setStatus(`Created the site key for “${s.name}”; its snippet is below.`);
      sites.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const revoke = async (s: TrackerSite) => {
    setError('');
    try {
      await request('DELETE', `/api/v1/sites/${s.id}`);
      setConfirming(null);
      setShown(null);
      setStatus(`Revoked the key of “${s.name}”; page views sent with it are refused from now on.`);
      sites.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const active = (sites.data ?? []).filter((s) => !s.archived);
  const revoked = (sites.data ?? []).filter((s) => s.archived);
  return (
    <>
      <Section title="New tracker site" id="new-site">
        <p class="muted small">The tracker records page views and joins a visitor’s history to the lead once they fill in a form.</p>
        <form class="settings-form" onSubmit={create}>
          <div class="field grow">
            <label for="site-name">Site name</label>
            <input id="site-name" value={name} placeholder="e.g. Marketing website" onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field grow">
            <label for="site-origins">Websites it runs on</label>
            <input id="site-origins" value={origins} placeholder="https://www.example.com" aria-describedby="site-origins-help" onInput={(e) => setOrigins(e.currentTarget.value)} />
            <span id="site-origins-help" class="muted small">
              One or more, separated by commas; * for any.
            </span>
          </div>
          <button type="submit">Create site key</button>
        </form>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
      </Section>
      <Section title="Tracker sites" id="sites">
        <p class="muted small" aria-live="polite">
          {status}
        </p>
        {sites.error ? (
          <ErrorNote error={sites.error} retry={sites.reload} />
        ) : !sites.data ? (
          <Loading />
        ) : active.length === 0 ? (
          <Empty title="No tracker sites yet">
            <p>Create a site key above and paste its one-line snippet into your website.</p>
          </Empty>
        ) : (
          <ul class="form-list">
            {active.map((s) => (
              <li key={s.id} class="form-item">
                <div class="form-head">
                  <strong>{s.name}</strong>
                  <span class="muted small">
                    <span class="mono">{s.public_key}</span> · {s.allowed_origins.join(', ')} · created {formatDate(s.created_at)}
                  </span>
                  <span class="button-row">
                    <button type="button" class="secondary small" aria-expanded={shown === s.id ? 'true' : 'false'} onClick={() => setShown(shown === s.id ? null : s.id)}>
                      {shown === s.id ? 'Hide snippet' : 'Tracker snippet'}
                    </button>
                    {confirming === s.id ? (
                      <Confirm label={`Revoke the key of ${s.name}?`} question="Revoke? The site’s page views are refused from then on." yes="Yes, revoke" onYes={() => revoke(s)} onNo={() => setConfirming(null)} />
                    ) : (
                      <button type="button" class="secondary small" aria-label={`Revoke the key of ${s.name}`} onClick={() => setConfirming(s.id)}>
                        Revoke
                      </button>
                    )}
                  </span>
                </div>
                {shown === s.id && <Snippet site={s} />}
              </li>
            ))}
          </ul>
        )}
        {revoked.length > 0 && (
          <>
            <h3 class="small-heading">Revoked</h3>
            <ul class="plain muted small">
              {revoked.map((s) => (
                <li key={s.id}>
                  {s.name} · <span class="mono">{s.public_key}</span> · revoked {formatDate(s.updated_at)}
                </li>
              ))}
            </ul>
          </>
        )}
      </Section>
    </>
  );
}
