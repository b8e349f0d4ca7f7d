// Import: upload a contacts CSV (HubSpot, Salesforce, Pipedrive or any file with an email
// column), see how the server will read each column (POST /api/v1/imports/preview: the
// importer's own mapping, with sample cells), change what a column is read as, then start the
// import with that mapping, follow the job, and read the error report. The job is in the
// address (/import?job=7), so a reload keeps following it.
import { useEffect, useState } from 'preact/hooks';
import { describeError, get, query, request } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { formatDateTime, formatNumber } from '../format';
import { useLoad, useTitle } from '../hooks';
import type { PageProps } from '../routes';
import { navigate } from '../router';
import type { Page } from '../types';

interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: number;
  warnings: number;
}

export interface ImportJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  file_name: string;
  preset: string;
  dry_run: boolean;
  bytes_total: number;
  bytes_done: number;
  counts: ImportCounts;
  message: string;
  created_at: string;
  finished_at: string | null;
}

interface ImportIssue {
  row: number;
  line: number;
  column: string;
  severity: 'error' | 'warning';
  reason: string;
}

const PRESETS = [
  { value: '', label: 'Detect from the header' },
  { value: 'hubspot', label: 'HubSpot export' },
  { value: 'salesforce', label: 'Salesforce export' },
  { value: 'pipedrive', label: 'Pipedrive export' },
  { value: 'generic', label: 'Any other CSV' },
];
// POST /api/v1/imports/preview's answer.
export interface ImportPreview {
  preset: string;
  preset_detected: boolean;
  delimiter: 'comma' | 'semicolon' | 'tab';
  rows: number;
  columns: { index: number; header: string; target: string; from: 'preset' | 'mapping' | 'none'; samples: (string | null)[] }[];
  unmapped: string[];
  problem: string | null;
  targets: string[];
}

const TARGET_WORDS: Record<string, string> = {
  ignore: 'Nothing (leave it out)',
  external_id: 'ID in the other system',
  email: 'Email',
  full_name: 'Full name',
  became_mql_at: 'Became MQL at',
  became_sal_at: 'Became SAL at',
  became_sql_at: 'Became SQL at',
  consent: 'Consent (for marketing)',
};
// "first_name" -> "First name"; "custom:score" -> "Custom field “score”";
// "consent:newsletter" -> "Consent for “newsletter”".
export function targetLabel(code: string): string {
  if (code.startsWith('custom:')) return `Custom field “${code.slice(7)}”`;
  if (code.startsWith('consent:')) return `Consent for “${code.slice(8)}”`;
  const w = TARGET_WORDS[code];
  if (w) return w;
  const words = code.replace(/_at$/, ' at').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const PRESET_NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive', generic: 'a generic CSV' };
const POLL_MS = 500;
const PREVIEW_BYTES = 64 * 1024;

export function ImportPage({ query: params }: PageProps) {
  useTitle('Import');
  const jobId = Number(params.get('job') ?? '');
  return (
    <div class="page">
      <PageHeader title="Import contacts" />
      {Number.isInteger(jobId) && jobId > 0 ? <JobView id={jobId} /> : <UploadForm />}
    </div>
  );
}

function UploadForm() {
  const [file, setFile] = useState<File | null>(null);
  const [preset, setPreset] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Columns mapped by hand: header -> target code. Sent with the preview and with the import.
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [said, setSaid] = useState('');
  const mappingParam = Object.keys(mapping).length > 0 ? JSON.stringify(mapping) : '';
  const preview = useLoad(
    (signal) => {
      if (!file) return Promise.resolve(null);
      const partial = file.size > PREVIEW_BYTES;
      return request<ImportPreview>('POST', '/api/v1/imports/preview' + query({ preset, partial: partial ? 'true' : '', mapping: mappingParam }), {
        raw: { text: partial ? file.slice(0, PREVIEW_BYTES) : file, contentType: 'text/csv' },
        signal,
      });
    },
    [file, preset, mappingParam],
  );

  const choose = (f: File | null) => {
    setFile(f);
    setError(null);
    setMapping({});
    setSaid('');
  };
  const remap = (header: string, target: string) => {
    setMapping({ ...mapping, [header]: target });
    setError(null);
    setSaid(`“${header}” will be read as ${targetLabel(target).toLowerCase()}.`);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    if (preview.data?.problem) {
      setError('Choose which column holds the email first: every contact needs one.');
      document.querySelector<HTMLSelectElement>('.mapping-table select')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const job = await request<ImportJob>('POST', '/api/v1/imports' + query({ preset, dry_run: dryRun ? 'true' : '', file_name: file.name, mapping: mappingParam }), {
        raw: { text: file, contentType: 'text/csv' },
      });
      navigate(`/import?job=${job.id}`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const p = preview.data;
  return (
    <>
      <p class="lede">Contacts are matched by email: new ones are created, known ones updated. Files up to 64 MiB; bigger ones go through <code>tandem import contacts</code>.</p>
      <form class="card import-form" onSubmit={submit}>
        <div class="field">
          <label for="import-file">CSV file</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)} />
        </div>
        <div class="filters-row">
          <div class="field">
            <label for="import-preset">Exported from</label>
            <select id="import-preset" value={preset} onChange={(e) => setPreset(e.currentTarget.value)}>
              {PRESETS.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field checkbox">
            <label>
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} /> Check only, import nothing
            </label>
          </div>
        </div>
        {file && preview.error ? (
          <ErrorNote error={preview.error} retry={preview.reload} />
        ) : file && !p ? (
          <Loading label="Reading the columns…" />
        ) : p ? (
          <section aria-labelledby="preview-title" class="preview" aria-busy={preview.loading ? 'true' : 'false'}>
            <h2 id="preview-title">
              How {file?.name} will be read <span class="muted small">({p.columns.length} columns)</span>
            </h2>
            <p class="muted small">
              Read as {PRESET_NAMES[p.preset] ?? p.preset}
              {p.preset_detected ? ' (recognised from the header)' : ''}, {p.delimiter}-separated. Samples from the first {p.rows === 1 ? 'row' : `${p.rows} rows`}. Change what a
              column is read as; the import applies exactly this.
            </p>
            {p.problem && (
              <p class="note error" role="alert">
                No column is read as the email yet, and every contact needs one: choose “Email” for the column that holds it.
              </p>
            )}
            <div class="table-wrap">
              <table class="table compact mapping-table">
                <caption class="visually-hidden">Each column of the file and what it will be read as</caption>
                <thead>
                  <tr>
                    <th scope="col">Column in the file</th>
                    <th scope="col">Read as</th>
                    <th scope="col" class="hide-sm">
                      First values
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.columns.map((c) => (
                    <tr key={c.index} data-header={c.header} class={c.target === 'ignore' ? 'unread' : undefined}>
                      <th scope="row">{c.header || <span class="muted">(no header)</span>}</th>
                      <td>
                        <label class="visually-hidden" for={`map-${c.index}`}>
                          Read the column “{c.header}” as
                        </label>
                        <select id={`map-${c.index}`} value={c.target} onChange={(e) => remap(c.header, e.currentTarget.value)} disabled={!c.header}>
                          {(p.targets.includes(c.target) ? p.targets : [c.target, ...p.targets]).map((t) => (
                            <option key={t} value={t}>
                              {targetLabel(t)}
                            </option>
                          ))}
                        </select>{' '}
                        <span class="muted small read-from">{c.from === 'mapping' ? 'chosen by you' : c.from === 'preset' ? 'recognised' : 'not read'}</span>
                      </td>
                      <td class="hide-sm samples">
                        {c.samples.filter((v): v is string => v !== null && v !== '').slice(0, 3).join(' · ') || <span class="muted">empty</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="muted small" aria-live="polite">
              {said}
            </p>
          </section>
        ) : null}
        <div class="button-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Uploading…' : dryRun ? 'Upload and check' : 'Upload and import'}
          </button>
        </div>
        {error && (
          <p class="note error" role="alert">
            {error}
          </p>
        )}
      </form>
    </>
  );
}

function JobView({ id }: { id: number }) {
  const [tick, setTick] = useState(0);
  const job = useLoad((signal) => get<ImportJob>(`/api/v1/imports/${id}`, signal), [id, tick]);
  const done = job.data?.status === 'succeeded' || job.data?.status === 'failed';
  useEffect(() => {
    if (!job.data || done || job.error) return;
    const t = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(t);
  }, [job.data, done, job.error]);

  if (job.error) return <ErrorNote error={job.error} retry={job.reload} />;
  if (!job.data) return <Loading label="Loading the import…" />;
  const j = job.data;
  const pct = j.bytes_total > 0 ? Math.round((100 * j.bytes_done) / j.bytes_total) : done ? 100 : 0;
  const c = j.counts;
  return (
    <>
      <section class="card" aria-labelledby="job-title">
        <h2 id="job-title">
          {j.file_name || `Import ${j.id}`} {j.dry_run && <span class="badge">Check only</span>}{' '}
          <span class={`badge ${j.status === 'succeeded' ? 'ok' : j.status === 'failed' ? 'bad' : 'warn'}`}>{statusLabel(j.status)}</span>
        </h2>
        <label for="job-progress">Progress</label>
        <progress id="job-progress" max={100} value={pct} aria-valuetext={`${pct}%`} />
        <p class="muted small" aria-live="polite">
          {pct}% of {formatNumber(j.bytes_total)} bytes · started {formatDateTime(j.created_at)}
          {j.finished_at ? ` · finished ${formatDateTime(j.finished_at)}` : ''}
        </p>
        {j.message && <p class={j.status === 'failed' ? 'note error' : 'note info'}>{j.message}</p>}
        <dl class="counts">
          {(
            [
              ['Rows read', c.rows],
              [j.dry_run ? 'Would be created' : 'Created', c.created],
              [j.dry_run ? 'Would be updated' : 'Updated', c.updated],
              ['Unchanged', c.unchanged],
              ['Skipped', c.skipped],
              ['Errors', c.errors],
              ['Warnings', c.warnings],
            ] as [string, number][]
          ).map(([label, n]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{formatNumber(n)}</dd>
            </div>
          ))}
        </dl>
        <div class="button-row">
          <a class="button secondary" href="/import">
            Import another file
          </a>
          {done && !j.dry_run && c.created + c.updated > 0 && (
            <a class="button secondary" href="/leads?sort=-updated_at">
              See the contacts
            </a>
          )}
        </div>
      </section>
      {done && (c.errors > 0 || c.warnings > 0) && <IssueReport id={j.id} />}
    </>
  );
}

function statusLabel(s: ImportJob['status']): string {
  return { queued: 'Waiting', running: 'Importing', succeeded: 'Done', failed: 'Failed' }[s];
}

function IssueReport({ id }: { id: number }) {
  const [pages, setPages] = useState<Page<ImportIssue>[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const more = async (cursor: string | null) => {
    setBusy(true);
    try {
      const p = await get<Page<ImportIssue>>(`/api/v1/imports/${id}/errors` + query({ limit: 100, cursor }));
      setPages((old) => [...old, p]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void more(null);
  }, [id]);
  const issues = pages.flatMap((p) => p.items);
  const next = pages[pages.length - 1]?.next_cursor ?? null;
  return (
    <section class="card" aria-labelledby="issues-title">
      <h2 id="issues-title">Report</h2>
      {error !== null && <ErrorNote error={error} />}
      {issues.length === 0 && busy && <Loading />}
      {issues.length === 0 && !busy && error === null && <Empty title="Nothing to report" />}
      {issues.length > 0 && (
        <div class="table-wrap">
          <table class="table compact issues">
            <thead>
              <tr>
                <th scope="col" class="num">
                  Line
                </th>
                <th scope="col">Column</th>
                <th scope="col">Kind</th>
                <th scope="col">What is wrong</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((i, k) => (
                <tr key={k}>
                  <td class="num">{i.line}</td>
                  <td>{i.column}</td>
                  <td>{i.severity === 'error' ? <span class="badge bad">Error</span> : <span class="badge warn">Warning</span>}</td>
                  <td>{i.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" class="secondary" disabled={busy} onClick={() => more(next)}>
            Show more
          </button>
        </p>
      )}
    </section>
  );
}
