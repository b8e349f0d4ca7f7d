import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, describeError, query, request, setCsrfToken, setSignedOutHandler } from './api';

function reply(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setSignedOutHandler(null);
});

describe('request', () => {
  it('sends the CSRF token on writes only', async () => {
    const fetch = vi.fn(async () => reply(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('tok123');
    await request('GET', '/api/v1/contacts');
    await request('POST', '/api/v1/activities', { body: { type: 'call' } });
    const headersOf = (i: number) => (fetch.mock.calls[i] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headersOf(0)['X-CSRF-Token']).toBeUndefined();
    expect(headersOf(1)['X-CSRF-Token']).toBe('tok123');
    expect(headersOf(1)['Content-Type']).toBe('application/json');
    expect((fetch.mock.calls[1] as unknown as [string, RequestInit])[1].body).toBe('{"type":"call"}');
  });

  it("turns Tandem's error shape into an ApiError", async () => {
    vi.stubGlobal('fetch', async () => reply(422, { error: { code: 'failed_precondition', message: 'cannot move', field: 'stage' } }));
    const e = await request('POST', '/x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(422);
    expect((e as ApiError).field).toBe('stage');
    expect(describeError(e)).toBe('stage: cannot move');
  });

  it('reports the end of the session on a 401, except where 401 is an answer', async () => {
    vi.stubGlobal('fetch', async () => reply(401, { error: { code: 'unauthenticated', message: 'no', field: '' } }));
    const ended = vi.fn();
    setSignedOutHandler(ended);
    await request('POST', '/api/v1/auth/login', { expectUnauthenticated: true }).catch(() => undefined);
    expect(ended).not.toHaveBeenCalled();
    await request('GET', '/api/v1/contacts').catch(() => undefined);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('says so when the server cannot be reached or answers something else', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(describeError(await request('GET', '/x').catch((x: unknown) => x))).toMatch(/cannot be reached/);
    vi.stubGlobal('fetch', async () => new Response('<html>proxy error</html>', { status: 502, statusText: 'Bad Gateway' }));
    const e = (await request('GET', '/x').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(502);
    expect(e.message).toMatch(/502/);
  });
});

describe('query', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(query({ q: 'a b', stage: '', owner_id: null, limit: 50, cursor: undefined })).toBe('?q=a+b&limit=50');
    expect(query({})).toBe('');
  });
});
