// The one way the dashboard talks to Tandem: same-origin fetches with the session cookie, the
// CSRF token on every write, and Tandem's one error shape turned into an ApiError.

export interface ErrorBody {
  error: { code: string; message: string; field: string };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string;

  constructor(status: number, code: string, message: string, field = '') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

// Called when the server answers 401 to a signed-in request (the session ended).
export function setSignedOutHandler(fn: (() => void) | null): void {
  onSignedOut = fn;
}

export interface RequestOptions {
  body?: unknown;
  // A raw body with its own content type (a CSV import, a TOML contract).
  raw?: { text: string | Blob; contentType: string };
  signal?: AbortSignal;
  // 401 is an answer for this call (the sign-in form), not the end of the session.
  expectUnauthenticated?: boolean;
}

function isErrorBody(v: unknown): v is ErrorBody {
  if (typeof v !== 'object' || v === null || !('error' in v)) return false;
  const e = (v as { error: unknown }).error;
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.text;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (WRITES.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Tandem cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.expectUnauthenticated && onSignedOut) onSignedOut();
    if (isErrorBody(parsed)) {
      throw new ApiError(res.status, parsed.error.code, parsed.error.message, parsed.error.field);
    }
    throw new ApiError(res.status, 'http_' + res.status, `Tandem answered ${res.status} ${res.statusText}`.trim());
  }
  if (parsed === undefined) {
    throw new ApiError(res.status, 'bad_reply', 'Tandem sent an answer the dashboard cannot read.');
  }
  return parsed as T;
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> =>
  request<T>('GET', path, signal ? { signal } : {});
export const post = <T>(path: string, body?: unknown): Promise<T> =>
  request<T>('POST', path, body === undefined ? {} : { body });

// A query string from the given parameters, leaving out empty ones.
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

// A sentence for people: what went wrong and, where it helps, what to do.
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.status) {
      case 0:
        return e.message;
      case 403:
        return `You are not allowed to do this: ${e.message}`;
      case 404:
        return 'Not found: it may have been deleted, or the link is wrong.';
      case 429:
        return e.message;
      case 500:
      case 503:
        return 'Tandem had a problem answering. Try again in a moment.';
      default:
        return e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
