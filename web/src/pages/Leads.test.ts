import { describe, expect, it } from 'vitest';
import { filtersFrom, filtersPath, listPath } from './Leads';

describe('leads filters', () => {
  it('read the address and drop values the API would refuse', () => {
    const f = filtersFrom(new URLSearchParams('stage=mql&owner=me&sort=-updated_at&q=ada'));
    expect(f).toMatchObject({ stage: 'mql', owner: 'me', sort: '-updated_at', q: 'ada', source: '' });
    const bad = filtersFrom(new URLSearchParams('stage=nonsense&sort=drop+table'));
    expect(bad.stage).toBe('');
    expect(bad.sort).toBe('');
  });

  it('round-trip through the address', () => {
    const f = filtersFrom(new URLSearchParams('stage=sal&owner=none&from=2026-01-01'));
    expect(filtersFrom(new URL('http://x' + filtersPath(f)).searchParams)).toEqual(f);
  });

  it('become the API query: me is my id, the end date is inclusive, a cursor pages on', () => {
    const f = filtersFrom(new URLSearchParams('owner=me&from=2026-03-01&to=2026-03-31&q=%20ada%20'));
    const url = new URL('http://x' + listPath(f, 7, 'CUR'));
    expect(url.pathname).toBe('/api/v1/contacts');
    expect(url.searchParams.get('owner_id')).toBe('7');
    expect(url.searchParams.get('owner')).toBeNull();
    expect(url.searchParams.get('created_from')).toBe('2026-03-01T00:00:00Z');
    expect(url.searchParams.get('created_to')).toBe('2026-04-01T00:00:00Z');
    expect(url.searchParams.get('q')).toBe('ada');
    expect(url.searchParams.get('limit')).toBe('50');
    expect(url.searchParams.get('cursor')).toBe('CUR');
    const none = new URL('http://x' + listPath(filtersFrom(new URLSearchParams('owner=none')), 7, null));
    expect(none.searchParams.get('owner')).toBe('none');
    expect(none.searchParams.get('owner_id')).toBeNull();
    expect(none.searchParams.get('cursor')).toBeNull();
  });
});
