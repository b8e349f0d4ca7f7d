import { describe, expect, it } from 'vitest';
import { addressFromView, filterQuery, matchingView, viewQuery, type SavedView, type ViewFilters } from './views';

const EMPTY: ViewFilters = {
  q: '', stage: '', owner: '', source: '', campaign: '', from: '', to: '', sort: '',
  reached: '', reached_from: '', reached_to: '', converted: '', window_days: '', persona: '',
};

describe('saved views', () => {
  it('turns the page filters into the list API parameters and back', () => {
    const f = { ...EMPTY, stage: 'mql', owner: 'me', from: '2026-11-01', to: '2026-11-30', q: ' ada ', sort: 'email' };
    const q = filterQuery(f);
    expect(q).toBe('q=ada&stage=mql&owner=me&created_from=2026-11-01T00%3A00%3A00Z&created_to=2026-12-01T00%3A00%3A00Z&sort=email');
    const back = addressFromView(q);
    expect(back.get('stage')).toBe('mql');
    expect(back.get('owner')).toBe('me');
    expect(back.get('from')).toBe('2026-11-01');
    expect(back.get('to')).toBe('2026-11-30');
    expect(back.get('q')).toBe('ada');
  });

  it('keeps a person as owner_id and nobody as owner=none', () => {
    expect(filterQuery({ ...EMPTY, owner: '7' })).toBe('owner_id=7');
    expect(filterQuery({ ...EMPTY, owner: 'none' })).toBe('owner=none');
    expect(addressFromView('owner_id=7').get('owner')).toBe('7');
  });

  it('recognises the view the list shows, whatever the order, with its columns', () => {
    const views: SavedView[] = [
      { id: 1, name: 'A', query: 'stage=sal', owner_id: 1, shared: false, created_at: '', updated_at: '' },
      { id: 2, name: 'B', query: 'owner=me&stage=mql&columns=name,stage', owner_id: 1, shared: true, created_at: '', updated_at: '' },
      { id: 3, name: 'C', query: 'stage=lead&columns=name,title,stage,owner,source,created', owner_id: 1, shared: false, created_at: '', updated_at: '' },
    ];
    expect(matchingView(views, { ...EMPTY, stage: 'mql', owner: 'me', columns: 'name,stage' })?.id).toBe(2);
    // The same filters with other columns are another view.
    expect(matchingView(views, { ...EMPTY, stage: 'mql', owner: 'me' })).toBeUndefined();
    expect(matchingView(views, { ...EMPTY, stage: 'mql', owner: 'me', columns: 'stage,name' })).toBeUndefined();
    // Columns spelled out as the default are the default.
    expect(matchingView(views, { ...EMPTY, stage: 'lead' })?.id).toBe(3);
    expect(matchingView(views, { ...EMPTY, stage: 'sal' })?.id).toBe(1);
  });

  it('saves the columns with the view, but never in the list, export or bulk filter', () => {
    const f = { ...EMPTY, stage: 'mql', columns: 'name,email,stage' };
    expect(viewQuery(f)).toBe('stage=mql&columns=name,email,stage');
    expect(filterQuery(f)).toBe('stage=mql');
    expect(viewQuery({ ...EMPTY, columns: 'name,title,stage,owner,source,created' })).toBe('');
    expect(viewQuery({ ...EMPTY, columns: 'country' })).toBe('columns=name,country');
    expect(addressFromView('stage=sal&columns=email,name').get('columns')).toBe('email,name');
    expect(addressFromView('stage=sal&columns=name,title,stage,owner,source,created').get('columns')).toBeNull();
  });
});
