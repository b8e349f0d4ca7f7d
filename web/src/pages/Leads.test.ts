import { describe, expect, it } from 'vitest';
import { filtersFrom, filtersPath, listPath, moveSentence, reachSentence } from './Leads';

describe('leads filters', () => {
  it('keep the column choice in the address, never in the API query', () => {
    const f = filtersFrom(new URLSearchParams('stage=mql&columns=email,name,bogus,email'));
    expect(f.columns).toBe('email,name');
    expect(filtersPath(f)).toBe('/leads?stage=mql&columns=email%2Cname');
    expect(new URL('http://x' + listPath(f, 7, null)).searchParams.get('columns')).toBeNull();
    expect(filtersFrom(new URLSearchParams('columns=name,title,stage,owner,source,created')).columns).toBe('');
  });

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

  it('carry the funnel\'s reach filter whole, or not at all', () => {
    const q = 'reached=mql&reached_from=2026-10-01T00:00:00.000Z&reached_to=2026-11-01T00:00:00.000Z&converted=true&window_days=30&source=webinar';
    const f = filtersFrom(new URLSearchParams(q));
    const url = new URL('http://x' + listPath(f, 7, null));
    expect(url.searchParams.get('reached')).toBe('mql');
    expect(url.searchParams.get('reached_from')).toBe('2026-10-01T00:00:00.000Z');
    expect(url.searchParams.get('reached_to')).toBe('2026-11-01T00:00:00.000Z');
    expect(url.searchParams.get('converted')).toBe('true');
    expect(url.searchParams.get('window_days')).toBe('30');
    expect(url.searchParams.get('source')).toBe('webinar');
    expect(new URL('http://x' + listPath(filtersFrom(new URLSearchParams(q + '&persona=none')), 7, null)).searchParams.get('persona')).toBe('none');
    expect(reachSentence(f)).toBe('Contacts that reached MQL from 1 Oct 2026 to 31 Oct 2026, then SAL within 30 days');
    expect(filtersFrom(new URL('http://x' + filtersPath(f)).searchParams)).toEqual(f);
    // Half a filter is no filter: the list would otherwise show more than the number clicked.
    const half = filtersFrom(new URLSearchParams('reached=mql&reached_from=2026-10-01T00:00:00Z&converted=true'));
    expect(half.reached).toBe('');
    expect(half.converted).toBe('');
    expect(new URL('http://x' + listPath(half, 7, null)).searchParams.get('reached')).toBeNull();
    expect(filtersFrom(new URLSearchParams('reached=recycled&reached_from=2026-10-01&reached_to=2026-11-01')).reached).toBe('');
  });

  it('carry the period view\'s move filter whole, or not at all', () => {
    const q = 'moved_out=mql&moved=dropped&moved_out_from=2026-10-01T00:00:00Z&moved_out_to=2026-11-01T00:00:00Z&persona=none';
    const f = filtersFrom(new URLSearchParams(q));
    const url = new URL('http://x' + listPath(f, 7, null));
    expect(url.searchParams.get('moved_out')).toBe('mql');
    expect(url.searchParams.get('moved')).toBe('dropped');
    expect(url.searchParams.get('moved_out_from')).toBe('2026-10-01T00:00:00Z');
    expect(url.searchParams.get('moved_out_to')).toBe('2026-11-01T00:00:00Z');
    expect(url.searchParams.get('persona')).toBe('none');
    expect(moveSentence(f)).toBe('Contacts that dropped from MQL to recycled or disqualified from 1 Oct 2026 to 31 Oct 2026');
    expect(moveSentence({ ...f, moved: 'forward' })).toBe('Contacts that moved on from MQL to a later stage from 1 Oct 2026 to 31 Oct 2026');
    expect(moveSentence({ ...f, moved: '' })).toContain('moved out of MQL');
    expect(filtersFrom(new URL('http://x' + filtersPath(f)).searchParams)).toEqual(f);
    // Half a filter, customer (no step out of it) or an unknown direction: no move filter.
    expect(filtersFrom(new URLSearchParams('moved_out=mql&moved_out_from=2026-10-01T00:00:00Z')).moved_out).toBe('');
    expect(filtersFrom(new URLSearchParams('moved_out=customer&moved_out_from=2026-10-01&moved_out_to=2026-11-01')).moved_out).toBe('');
    const sideways = filtersFrom(new URLSearchParams('moved_out=lead&moved=sideways&moved_out_from=2026-10-01&moved_out_to=2026-11-01'));
    expect(sideways.moved_out).toBe('lead');
    expect(new URL('http://x' + listPath(sideways, 7, null)).searchParams.get('moved')).toBeNull();
    expect(new URL('http://x' + listPath(filtersFrom(new URLSearchParams('moved=forward')), 7, null)).searchParams.get('moved')).toBeNull();
  });
});
