import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { Empty, ErrorNote, StageBadge } from './components/ui';
import { compact, formatRelative, personName, stageLabel } from './format';
import { SignIn } from './pages/SignIn';
import { describeCriterion } from './pages/Personas';
import { match } from './router';

let root: HTMLElement;
function mount(node: preact.ComponentChild) {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(node, root));
  return root;
}
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

describe('small components', () => {
  it('name stages and errors in words', () => {
    const el = mount(
      <div>
        <StageBadge stage="mql" />
        <Empty title="No contacts yet" />
        <ErrorNote error={new ApiError(403, 'permission_denied', 'only admins manage users')} />
      </div>,
    );
    expect(el.querySelector('.badge')?.textContent).toBe('MQL');
    expect(el.querySelector('[role=alert]')?.textContent).toContain('You are not allowed to do this: only admins manage users');
    expect(el.textContent).toContain('No contacts yet');
  });
});

describe('sign-in form', () => {
  it('asks for what is missing, then says when the password is wrong', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'x', field: '' } }), { status: 401 }));
    vi.stubGlobal('fetch', fetch);
    const signedIn = vi.fn();
    const el = mount(<SignIn expired={false} onSignedIn={signedIn} />);
    const form = el.querySelector('form') as HTMLFormElement;
    await act(() => {
      form.dispatchEvent(new Event('submit', { cancelable: true }));
    });
    expect(el.querySelector('[role=alert]')?.textContent).toBe('Enter your email and your password.');
    expect(fetch).not.toHaveBeenCalled();

    const email = el.querySelector('#email') as HTMLInputElement;
    const password = el.querySelector('#password') as HTMLInputElement;
    expect(el.querySelector('label[for=email]')?.textContent).toBe('Email');
    await act(() => {
      email.value = 'sam@example.com';
      email.dispatchEvent(new Event('input'));
      password.value = 'wrong';
      password.dispatchEvent(new Event('input'));
    });
    await act(async () => {
      form.dispatchEvent(new Event('submit', { cancelable: true }));
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(el.querySelector('[role=alert]')?.textContent).toBe('That email and password do not match an account.');
    const body = JSON.parse((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body as string);
    expect(body).toEqual({ email: 'sam@example.com', password: 'wrong', session: 'cookie' });
    expect(signedIn).not.toHaveBeenCalled();
  });
});

describe('helpers', () => {
  it('match routes', () => {
    expect(match('/contacts/:id', '/contacts/42')).toEqual({ id: '42' });
    expect(match('/contacts/:id', '/contacts/42/x')).toBeNull();
    expect(match('/', '/')).toEqual({});
    expect(match('/leads', '/sla')).toBeNull();
  });
  it('format people, stages and times', () => {
    expect(personName({ first_name: '', last_name: '', email: 'a@b.c' })).toBe('a@b.c');
    expect(personName({ first_name: 'Ada', last_name: 'Lovelace', email: '' })).toBe('Ada Lovelace');
    expect(stageLabel('opportunity')).toBe('Opportunity');
    const now = new Date('2026-11-27T12:00:00Z');
    expect(formatRelative('2026-11-24T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-11-27T14:00:00Z', now)).toBe('in 2 hours');
  });
  it('keep axis labels short', () => {
    expect([950, 1500, 2000, 1250000].map(compact)).toEqual(['950', '1.5k', '2k', '1.3M']);
  });
  it('describe persona criteria in words', () => {
    expect(describeCriterion({ property: 'contact.title', op: 'contains', values: ['data', 'BI'], min: null, max: null, weight: 3 })).toBe('title contains data or BI');
    expect(describeCriterion({ property: 'company.employees', op: 'range', values: [], min: 50, max: 2000, weight: 1 })).toBe('company employees from 50 to 2000');
  });
});
