// The leads list's tools: saved views (pick, save, delete), bulk assign of the selected rows or
// of everything matching, and the CSV export of the current filter.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError, get, post, request } from '../api';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { useSession } from '../session';
import type { User } from '../types';
import { addressFromView, filterQuery, matchingView, viewQuery, type SavedView, type ViewFilters } from '../views';

export function SavedViews({ filters }: { filters: ViewFilters }) {
  const { user } = useSession();
  const views = useLoad((signal) => get<{ items: SavedView[] }>('/api/v1/views', signal).then((r) => r.items), []);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (saving) nameRef.current?.focus();
  }, [saving]);
  const list = views.data ?? [];
  const current = matchingView(list, filters);
  const mine = list.filter((v) => v.owner_id === user.id);
  const others = list.filter((v) => v.owner_id !== user.id);

  const pick = (id: string) => {
    const v = list.find((x) => String(x.id) === id);
    const address = v ? addressFromView(v.query).toString() : '';
    setStatus(v ? `Showing the view “${v.name}”.` : '');
    navigate('/leads' + (address ? '?' + address : ''), { replace: true });
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!name.trim()) {
      setError('Give the view a name.');
      nameRef.current?.focus();
      return;
    }
    try {
      const v = await post<SavedView>('/api/v1/views', { name: name.trim(), query: viewQuery(filters), shared });
      setSaving(false);
      setName('');
      setShared(false);
      setStatus(`Saved the view “${v.name}”${v.shared ? ', shared with everybody' : ''}.`);
      views.reload();
    } catch (err) {
      setError(err instanceof ApiError && err.field === 'name' ? err.message.replace(/^name: /, '') : describeError(err));
    }
  };
  const [confirming, setConfirming] = useState(false);
  const remove = async (v: SavedView) => {
    setConfirming(false);
    try {
      await request('DELETE', `/api/v1/views/${v.id}`);
      setStatus(`Deleted the view “${v.name}”.`);
      views.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <div class="views-bar">
      <div class="field">
        <label for="lead-view">Saved view</label>
        <select id="lead-view" value={current ? String(current.id) : ''} onChange={(e) => pick(e.currentTarget.value)} disabled={views.loading && !views.data}>
          <option value="">{list.length === 0 ? 'No saved views yet' : current ? 'All contacts' : 'Choose a view…'}</option>
          {mine.length > 0 && (
            <optgroup label="My views">
              {mine.map((v) => (
                <option key={v.id} value={String(v.id)}>
                  {v.name}
                  {v.shared ? ' (shared)' : ''}
                </option>
              ))}
            </optgroup>
          )}
          {others.length > 0 && (
            <optgroup label="Shared with me">
              {others.map((v) => (
                <option key={v.id} value={String(v.id)}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      {!saving && (
        <button type="button" class="secondary small" onClick={() => setSaving(true)}>
          Save as view…
        </button>
      )}
      {current && current.owner_id === user.id && !saving && !confirming && (
        <button type="button" class="secondary small" onClick={() => setConfirming(true)} aria-label={`Delete the view ${current.name}`}>
          Delete view
        </button>
      )}
      {current && confirming && (
        <span class="confirm" role="group" aria-label="Confirm deletion">
          <span>Delete “{current.name}”?</span>
          <button type="button" class="small danger" onClick={() => remove(current)}>
            Yes, delete
          </button>
          <button type="button" class="secondary small" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </span>
      )}
      {saving && (
        <form class="save-view" onSubmit={save} aria-label="Save these filters as a view">
          <div class="field">
            <label for="view-name">View name</label>
            <input id="view-name" ref={nameRef} value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={error ? 'true' : 'false'} />
          </div>
          <div class="field checkbox">
            <label>
              <input type="checkbox" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} /> Share with everybody
            </label>
          </div>
          <button type="submit" class="small">
            Save view
          </button>
          <button type="button" class="secondary small" onClick={() => (setSaving(false), setError(''))}>
            Cancel
          </button>
        </form>
      )}
      {views.error ? <p class="note error" role="alert">Saved views could not be loaded: {describeError(views.error)}</p> : null}
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <p class="muted small view-status" aria-live="polite">
        {error ? '' : status}
      </p>
    </div>
  );
}

export interface BulkResult {
  matched: number;
  assigned: number;
  handed_over: number;
  unchanged: number[];
}

export const BULK_LIMIT = 1000;

// Assigns the selected rows (or every contact matching the filter) to one owner.
export function BulkAssign({
  selected,
  allMatching,
  filters,
  owners,
  onDone,
  onClear,
}: {
  selected: number[];
  allMatching: boolean;
  filters: ViewFilters;
  owners: User[];
  onDone: (r: BulkResult) => void;
  onClear: () => void;
}) {
  const [owner, setOwner] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const ownerRef = useRef<HTMLSelectElement>(null);
  const count = allMatching ? 'every matching contact' : `${selected.length} selected`;
  const assign = async (e: Event) => {
    e.preventDefault();
    setError('');
    if (!owner) {
      setError('Choose who gets these contacts.');
      ownerRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = allMatching ? { owner_id: Number(owner), filter: filterQuery(filters) } : { owner_id: Number(owner), ids: selected };
      const r = await post<BulkResult>('/api/v1/contacts/bulk-assign', body);
      onDone(r);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="bulk-bar card" onSubmit={assign} aria-label="Assign the selected contacts">
      <span class="bulk-count" aria-live="polite">
        {count}
      </span>
      <div class="field">
        <label for="bulk-owner">Assign to</label>
        <select id="bulk-owner" ref={ownerRef} value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          <option value="">Choose a person…</option>
          {owners.map((u) => (
            <option key={u.id} value={String(u.id)}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Assigning…' : 'Assign'}
      </button>
      <button type="button" class="secondary" onClick={onClear}>
        Clear selection
      </button>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function exportPath(filters: ViewFilters): string {
  const q = filterQuery(filters);
  return '/api/v1/contacts/export.csv' + (q ? '?' + q : '');
}
