import { describe, expect, it } from 'vitest';
import { emptyDraft, explainError, fromDraft, toDraft } from './pages/Personas';
import { fieldRows, fieldsFromRows } from './pages/settings/Forms';
import { parseOrigins, trackerSnippet } from './pages/settings/Sites';
import { ApiError } from './api';

describe('form editor', () => {
  const form = {
    fields: [
      { name: 'work_email', property: 'email', required: true },
      { name: 'budget', property: 'custom.budget', required: true },
      { name: 'first_name', property: 'first_name', required: false },
    ],
  };

  it('shows every known property, asked or not, then the form’s own fields', () => {
    const rows = fieldRows(form);
    expect(rows.map((r) => [r.property, r.asked])).toEqual([
      ['first_name', true],
      ['last_name', false],
      ['company', false],
      ['title', false],
      ['phone', false],
      ['country', false],
      ['custom.budget', true],
    ]);
    expect(rows.find((r) => r.property === 'custom.budget')).toMatchObject({ label: 'budget', required: true });
  });

  it('keeps the email field and the form’s order, adds new fields after, drops unticked ones', () => {
    const rows = fieldRows(form).map((r) => (r.property === 'title' ? { ...r, asked: true, required: true } : r.property === 'custom.budget' ? { ...r, asked: false } : r));
    expect(fieldsFromRows(form, rows)).toEqual([
      { name: 'work_email', property: 'email', required: true },
      { name: 'first_name', property: 'first_name', required: false },
      { name: 'title', property: 'title', required: true },
    ]);
  });
});

describe('form editor: a new custom field', () => {
  it('goes after the form’s fields, named by its key', () => {
    const form = { fields: [{ name: 'email', property: 'email', required: true }] };
    const rows = [...fieldRows(form), { property: 'custom.team_size', label: 'team_size', name: 'team_size', asked: true, required: false }];
    expect(fieldsFromRows(form, rows)).toEqual([
      { name: 'email', property: 'email', required: true },
      { name: 'team_size', property: 'custom.team_size', required: false },
    ]);
  });
});

describe('tracker sites', () => {
  it('makes the one-line script tag with the key, escaped', () => {
    expect(trackerSnippet({ public_key: 'site_abc' }, 'https://crm.example')).toBe('<script src="https://crm.example/t.js" data-key="site_abc" async></script>');
    expect(trackerSnippet({ public_key: 'a"b' }, 'https://crm.example')).toContain('data-key="a&quot;b"');
  });

  it('reads the websites separated by commas, spaces or lines', () => {
    expect(parseOrigins(' https://www.example.com/, https://example.com\nhttps://shop.example.com ')).toEqual(['https://www.example.com', 'https://example.com', 'https://shop.example.com']);
    expect(parseOrigins('  ')).toEqual([]);
    expect(parseOrigins('*')).toEqual(['*']);
  });
});

describe('persona editor', () => {
  it('turns criteria into text to edit and back', () => {
    const criteria = [
      { property: 'contact.title', op: 'contains', values: ['data', 'BI'], min: null, max: null, weight: 3 },
      { property: 'company.employees', op: 'range', values: [], min: 50, max: null, weight: 1 },
      { property: 'company.custom.tier', op: 'equals', values: ['gold'], min: null, max: null, weight: 2 },
    ];
    const drafts = criteria.map(toDraft);
    expect(drafts[2]).toMatchObject({ property: 'company.custom.', customKey: 'tier' });
    expect(drafts.map((d, i) => fromDraft(d, i + 1))).toEqual(criteria);
  });

  it('says which criterion misses what, numbered as shown', () => {
    expect(fromDraft({ ...emptyDraft(), values: ' , ' }, 2)).toBe('Criterion 2: give one value or more, separated by commas.');
    expect(fromDraft({ ...emptyDraft(), op: 'range' }, 1)).toMatch(/^Criterion 1: give the least value/);
    expect(fromDraft({ ...emptyDraft(), op: 'range', min: '10', max: '5' }, 1)).toMatch(/below the least/);
    expect(fromDraft({ ...emptyDraft(), values: 'x', weight: '0' }, 3)).toMatch(/^Criterion 3: the weight/);
    expect(fromDraft({ ...emptyDraft(), property: 'contact.custom.', customKey: 'Bad Key', values: 'x' }, 1)).toMatch(/custom field/);
    expect(fromDraft({ ...emptyDraft(), op: 'equals', values: 'a, b' }, 1)).toMatchObject({ values: ['a, b'] });
  });

  it('numbers the server’s criteria from 1', () => {
    expect(explainError(new ApiError(422, 'invalid_argument', 'give 1 to 100 values', 'criteria[0].values'))).toBe('Criterion 1 (values): give 1 to 100 values');
  });
});
