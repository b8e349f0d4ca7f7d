import { describe, expect, it } from 'vitest';
import { goalProblems, type GoalInput } from './components/GoalForm';
import { sectionsFor } from './pages/Settings';
import { embedSnippet, type CaptureForm } from './pages/settings/Forms';

describe('settings', () => {
  it('shows each role the sections its API allows', () => {
    expect(sectionsFor('admin').map((s) => s.key)).toEqual(['users', 'teams', 'calendar', 'routing', 'api-keys', 'webhooks', 'forms', 'tracker']);
    expect(sectionsFor('manager').map((s) => s.key)).toEqual(['teams', 'calendar', 'routing']);
    expect(sectionsFor('marketing').map((s) => s.key)).toEqual(['calendar', 'forms', 'tracker']);
    expect(sectionsFor('sales')).toEqual([]);
  });

  it('makes a form one line that posts to Tandem with its fields, escaped', () => {
    const form: CaptureForm = {
      id: 1,
      public_id: 'f_abc',
      post_url: '/f/f_abc',
      name: 'Demo',
      fields: [
        { name: 'email', property: 'email', required: true },
        { name: 'co"mpany', property: 'company', required: false },
      ],
      consent_text: 'I agree to <terms>',
      consent_required: true,
      allowed_origins: ['*'],
      archived: false,
      created_at: '',
      updated_at: '',
    };
    const s = embedSnippet(form, 'https://crm.example');
    expect(s).not.toContain('\n');
    expect(s.startsWith('<form action="https://crm.example/f/f_abc" method="post" data-tandem-form="f_abc">')).toBe(true);
    expect(s).toContain('<input name="email" type="email" required>');
    expect(s).toContain('name="co&quot;mpany"');
    expect(s).toContain('name="consent" value="yes" required> I agree to &lt;terms>');
    expect(s.endsWith('<button type="submit">Send</button></form>')).toBe(true);
  });
});

describe('goal form', () => {
  const ok: GoalInput = { name: 'MQLs', metric: 'mqls', target: 10, currency: 'EUR', from: '2027-01-01', to: '2027-03-31', owners: [], source: null, campaign: null };
  it('accepts a complete goal', () => {
    expect(goalProblems(ok)).toEqual({});
  });
  it('names each field the server would refuse', () => {
    expect(Object.keys(goalProblems({ ...ok, name: ' ', target: 0, to: '2026-12-31' }))).toEqual(['name', 'target', 'to']);
    expect(goalProblems({ ...ok, target: 2.5 }).target).toBe('Count whole leads, customers or deals.');
    expect(goalProblems({ ...ok, metric: 'revenue', target: 2.5, currency: 'eu' })).toEqual({ currency: 'A three-letter currency code, such as EUR.' });
    expect(goalProblems({ ...ok, from: '' }).from).toBe('Choose the first day.');
  });
});
