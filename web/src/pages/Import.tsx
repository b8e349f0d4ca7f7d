// Import: upload a contacts CSV (HubSpot, Salesforce, Pipedrive or any file with an email
// column), see its first rows before sending it, follow the job, and read the error report.
// The job is in the address (/import?job=7), so a reload keeps following it.
import { useEffect, useState } from 'preact/hooks';
import { describeError, get, query, request } from '../api';
import { Empty, ErrorNote, Loading, PageHeader } from '../components/ui';
import { parseCsv } from '../csv';
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
  const [preview, setPreview] = useState<string[][] | null>(null);
  const [preset, setPreset] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const choose = async (f: File | null) => {
    setFile(f);
    setError(null);
    setPreview(null);
    if (!f) return;
    try {
      setPreview(parseCsv(await f.slice(0, PREVIEW_BYTES).text(), 6));
    } catch {
      setPreview(null);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const job = await request<ImportJob>('POST', '/api/v1/imports' + query({ preset, dry_run: dryRun ? 'true' : '', file_name: file.name }), {
        raw: { text: file, contentType: 'text/csv' },
      });
      navigate(`/import?job=${job.id}`);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  };

  const header = preview?.[0];
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
        {header && (
          <section aria-labelledby="preview-title" class="preview">
            <h2 id="preview-title">
              First rows of {file?.name} <span class="muted small">({header.length} columns)</span>
            </h2>
            <div class="table-wrap">
              <table class="table compact">
                <thead>
                  <tr>
                    {header.map((h, i) => (
                      <th scope="col" key={i}>
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.slice(1).map((r, i) => (
                    <tr key={i}>
                      {header.map((_, j) => (
                        <td key={j}>{r[j] ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {!header.some((h) => /e-?mail/i.test(h)) && <p class="note error">No column looks like an email address; every contact needs one.</p>}
          </section>
        )}
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
