import { describe, expect, it } from 'vitest';
import { DEFAULT_COLUMNS, columnsValue, moveColumn, parseColumns, toggleColumn } from './columns';

describe('leads list columns', () => {
  it('read an address value: known names once, the name kept, the default otherwise', () => {
    expect(parseColumns(null)).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns('')).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns('shoe,size')).toEqual(DEFAULT_COLUMNS);
    expect(parseColumns('stage,email,stage,bogus')).toEqual(['name', 'stage', 'email']);
    expect(parseColumns('email,name')).toEqual(['email', 'name']);
  });

  it('write the default as nothing', () => {
    expect(columnsValue(DEFAULT_COLUMNS)).toBe('');
    expect(columnsValue(['name', 'stage'])).toBe('name,stage');
    expect(columnsValue([...DEFAULT_COLUMNS].reverse())).toBe('created,source,owner,stage,title,name');
  });

  it('show a column at its usual place, hide one, never hide the name', () => {
    expect(toggleColumn(['name', 'stage', 'created'], 'email', true)).toEqual(['name', 'email', 'stage', 'created']);
    expect(toggleColumn(['name', 'stage'], 'updated', true)).toEqual(['name', 'stage', 'updated']);
    expect(toggleColumn(['stage', 'name'], 'email', true)).toEqual(['email', 'stage', 'name']);
    expect(toggleColumn(['name', 'stage'], 'stage', false)).toEqual(['name']);
    expect(toggleColumn(['name', 'stage'], 'name', false)).toEqual(['name', 'stage']);
    expect(toggleColumn(['name', 'stage'], 'stage', true)).toEqual(['name', 'stage']);
  });

  it('move a column one place, not past either end', () => {
    expect(moveColumn(['name', 'stage', 'owner'], 'owner', -1)).toEqual(['name', 'owner', 'stage']);
    expect(moveColumn(['name', 'stage', 'owner'], 'name', 1)).toEqual(['stage', 'name', 'owner']);
    expect(moveColumn(['name', 'stage', 'owner'], 'name', -1)).toEqual(['name', 'stage', 'owner']);
    expect(moveColumn(['name', 'stage', 'owner'], 'owner', 1)).toEqual(['name', 'stage', 'owner']);
    expect(moveColumn(['name', 'stage'], 'email', 1)).toEqual(['name', 'stage']);
  });
});
