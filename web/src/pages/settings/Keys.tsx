// API keys: create with scopes (the secret shown once), list, revoke. Admins only.
import { useState } from 'preact/hooks';
import { describeError, get, post, request } from '../../api';
import { Empty, ErrorNote, Loading } from '../../components/ui';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks';
import { OnceSecret, Section } from './common';

interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  revoked_at: string | null;
}

const SCOPES: { value: string; label: string }[] = [
  { value: 'read', label: 'Read (GET)' },
  { value: 'write', label: 'Write (implies read)' },
  { value: 'ingest', label: 'Ingest events and forms' },
  { value: 'admin', label: 'Admin (users and keys)' },
];

export function ApiKeys() {
  const keys = useLoad((signal) => get<{ items: ApiKey[] }>('/api/v1/api-keys', signal).then((r) => r.items), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [error, setError] = useState('');
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [status, setStatus] = useState('');
  const create = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!name.trim()) return setError('Say what the key is for.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    try {
      const k = await post<ApiKey & { secret: string }>('/api/v1/api-keys', { name: name.trim(), scopes });
      setCreated({ name: k.name, secret: k.secret });
      setName('');
      keys.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const revoke = async (k: ApiKey) => {
    try {
      await request('DELETE', `/api/v1/api-keys/${k.id}`);
      setStatus(`Revoked the key “${k.name}”.`);
      keys.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const list = keys.data ?? [];
  return (
    <>
      <Section title="New API key" id="new-key">
        <form class="settings-form" onSubmit={create}>
          <div class="field grow">
            <label for="key-name">What it is for</label>
            <input id="key-name" value={name} placeholder="e.g. Website form relay" onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <fieldset class="checks">
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s.value}>
                <input
                  type="checkbox"
                  checked={scopes.includes(s.value)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s.value] : scopes.filter((x) => x !== s.value))}
                />{' '}
                {s.label}
              </label>
            ))}
          </fieldset>
          <button type="submit">Create key</button>
        </form>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
        {created && <OnceSecret title={`The key “${created.name}”.`} secret={created.secret} />}
      </Section>
      <Section title="Keys" id="keys">
        <p aria-live="polite" class="muted small">
          {status}
        </p>
        {keys.error ? (
          <ErrorNote error={keys.error} retry={keys.reload} />
        ) : !keys.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <Empty title="No API keys yet">
            <p>Integrations sign in with a key; create one above.</p>
          </Empty>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Scopes</th>
                  <th scope="col" class="hide-sm">
                    Created
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {list.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td class="mono">{k.prefix}…</td>
                    <td>{k.scopes.join(', ')}</td>
                    <td class="hide-sm nowrap">{formatDate(k.created_at)}</td>
                    <td>
                      {k.revoked_at ? (
                        <span class="muted">Revoked {formatDate(k.revoked_at)}</span>
                      ) : (
                        <button type="button" class="secondary small" aria-label={`Revoke the key ${k.name}`} onClick={() => revoke(k)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
