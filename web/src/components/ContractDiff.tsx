// The differences between two versions of the contract (GET /api/v1/contract/diff), grouped as
// people read the contract: clauses, personas, SLA targets, calendar. Both versions are chosen
// on the page and kept in its address (`diff_from`, `diff_to`), so a comparison can be linked.
import { get } from '../api';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import { Empty, ErrorNote, Loading } from './ui';

export interface VersionRef {
  id: number;
  activated_at: string;
}

export interface ContractChange {
  section: 'clauses' | 'personas' | 'sla_targets' | 'calendar';
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: string | null;
  after: string | null;
}

export interface ContractDiffAnswer {
  from: VersionRef;
  to: VersionRef;
  same: boolean;
  changes: ContractChange[];
}

export const SECTIONS: { key: ContractChange['section']; title: string }[] = [
  { key: 'clauses', title: 'Clauses' },
  { key: 'personas', title: 'Personas' },
  { key: 'sla_targets', title: 'SLA targets' },
  { key: 'calendar', title: 'Calendar' },
];

const CHANGE_LABELS: Record<ContractChange['change'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

// "sales.first_touch_hours" -> "sales · first touch hours"; quoted keys ("Sales NA") stay whole
// and lose their quotes, and so does a rep's email in `routing.reps.<email>.weight`.
export function termLabel(path: string): string {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of path) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const at = parts.findIndex((p) => p.includes('@'));
  if (at >= 0 && parts.length > 4) parts.splice(2, parts.length - 3, parts.slice(2, -1).join('.'));
  return parts.map((p) => (p.includes('@') ? p : p.replace(/_/g, ' '))).join(' · ');
}

// The two versions to compare: the address's when both exist, else the one before the newest
// and the newest (versions come newest first).
export function pickVersions(versions: readonly VersionRef[], params: URLSearchParams): { from: number; to: number } | null {
  if (versions.length < 2) return null;
  const ids = versions.map((v) => v.id);
  const f = Number(params.get('diff_from'));
  const t = Number(params.get('diff_to'));
  if (ids.includes(f) && ids.includes(t)) return { from: f, to: t };
  return { from: ids[1] as number, to: ids[0] as number };
}

export function ContractDiff({ versions, params }: { versions: VersionRef[]; params: URLSearchParams }) {
  const pick = pickVersions(versions, params);
  const diff = useLoad(
    (signal) => (pick ? get<ContractDiffAnswer>(`/api/v1/contract/diff?from=${pick.from}&to=${pick.to}`, signal) : Promise.resolve(null)),
    [pick?.from, pick?.to],
  );
  const choose = (key: 'diff_from' | 'diff_to', value: string) => {
    const next = new URLSearchParams(params);
    if (pick) {
      next.set('diff_from', String(pick.from));
      next.set('diff_to', String(pick.to));
    }
    next.set(key, value);
    navigate(`/sla?${next.toString()}`, { replace: true });
  };
  const options = versions.map((v) => (
    <option key={v.id} value={String(v.id)}>
      Version {v.id} ({formatDateTime(v.activated_at)})
    </option>
  ));
  const d = diff.data;

  return (
    <section class="card contract-diff" aria-labelledby="diff-title">
      <h2 id="diff-title">Compare versions</h2>
      {!pick ? (
        <Empty title="Only one version so far">
          <p>Once a new version is activated, what changed between any two versions shows here.</p>
        </Empty>
      ) : (
        <>
          <form class="filters diff-controls" aria-label="Versions to compare" onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="diff-from">From version</label>
              <select id="diff-from" value={String(pick.from)} onChange={(e) => choose('diff_from', e.currentTarget.value)}>
                {options}
              </select>
            </div>
            <div class="field">
              <label for="diff-to">To version</label>
              <select id="diff-to" value={String(pick.to)} onChange={(e) => choose('diff_to', e.currentTarget.value)}>
                {options}
              </select>
            </div>
          </form>
          {diff.error ? (
            <ErrorNote error={diff.error} retry={diff.reload} />
          ) : !d ? (
            <Loading label="Comparing the versions…" />
          ) : (
            <div aria-busy={diff.loading ? 'true' : 'false'} data-loaded={`${d.from.id}-${d.to.id}`} class="diff-result">
              <p class="muted" role="status">
                {d.same
                  ? pick.from === pick.to
                    ? `Version ${d.from.id} compared with itself: nothing changes.`
                    : `Versions ${d.from.id} and ${d.to.id} mean the same: only the layout or comments differ.`
                  : `${d.changes.length} ${d.changes.length === 1 ? 'term changes' : 'terms change'} from version ${d.from.id} to version ${d.to.id}.`}
              </p>
              {SECTIONS.map((s) => {
                const rows = d.changes.filter((c) => c.section === s.key);
                if (rows.length === 0) return null;
                return (
                  <div key={s.key} class="diff-section" data-section={s.key}>
                    <h3>{s.title}</h3>
                    <div class="table-scroll">
                      <table class="table compact diff-table">
                        <caption class="visually-hidden">
                          {s.title}: changes from version {d.from.id} to version {d.to.id}
                        </caption>
                        <thead>
                          <tr>
                            <th scope="col">Term</th>
                            <th scope="col">Change</th>
                            <th scope="col">Version {d.from.id}</th>
                            <th scope="col">Version {d.to.id}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {rows.map((c) => (
                            <tr key={c.path} data-path={c.path}>
                              <th scope="row" title={c.path}>
                                {termLabel(c.path)}
                              </th>
                              <td>
                                <span class={`badge ${c.change === 'added' ? 'ok' : c.change === 'removed' ? 'bad' : 'warn'}`}>{CHANGE_LABELS[c.change]}</span>
                              </td>
                              <td class="diff-before">{c.before === null ? <span class="muted">—</span> : <del>{c.before}</del>}</td>
                              <td class="diff-after">{c.after === null ? <span class="muted">—</span> : <ins>{c.after}</ins>}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </div>
                );
              })}
            </div>
          )}
        </>
      )}
    </section>
  );
}
