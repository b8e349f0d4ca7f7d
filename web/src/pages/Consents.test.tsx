import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionContext } from '../session';
import type { Contact, User } from '../types';
import { canEditContact, consentOrigin, Consents, type Consent } from './Consents';

const admin: User = { id: 1, email: 'ada@example.com', name: 'Ada Admin', role: 'admin', team_id: null, active: true };
const rep: User = { id: 7, email: 'rep@example.com', name: 'Rita Rep', role: 'sales', team_id: 3, active: true };
const users = new Map<number, User>([
  [1, admin],
  [7, rep],
]);

const person: Contact = {
  id: 5, email: 'eve@client.example', first_name: 'Eve', last_name: 'Client', phone: '', title: '', company_id: null,
  owner_id: 9, stage: 'lead', stage_entered_at: '2026-11-27T08:00:00.000Z', source: '', campaign: '', country: '',
  custom: {}, created_at: '2026-11-27T08:00:00.000Z', updated_at: '2026-11-27T08:00:00.000Z',
};

function consent(over: Partial<Consent>): Consent {
  return {
    id: 1, contact_id: 5, purpose: 'newsletter', text: '', source: 'api', form_id: null, submission_id: null,
    import_job_id: null, import_row: null, recorded_by: null, given_at: '2026-11-20T10:00:00.000Z',
    withdrawn_at: null, withdrawn_by: null, ...over,
  };
}

describe('consent origin', () => {
  it('names the form, the import row, the key or the user', () => {
    const forms = new Map([[3, 'Webinar signup']]);
    expect(consentOrigin(consent({ source: 'form', form_id: 3 }), forms, users)).toBe('Form “Webinar signup”');
    expect(consentOrigin(consent({ source: 'form', form_id: 4 }), forms, users)).toBe('Form 4');
    expect(consentOrigin(consent({ source: 'import', import_job_id: 12, import_row: 7 }), forms, users)).toBe('Import 12, row 7');
    expect(consentOrigin(consent({ source: 'api', recorded_by: 1 }), forms, users)).toBe('API key of Ada Admin');
    expect(consentOrigin(consent({ source: 'user', recorded_by: 7 }), forms, users)).toBe('Recorded by Rita Rep');
    expect(consentOrigin(consent({ source: 'user', recorded_by: 42 }), forms, users)).toBe('Recorded by user 42');
  });

  it('lets a rep withdraw only on contacts they own', () => {
    expect(canEditContact(admin, person)).toBe(true);
    expect(canEditContact(rep, person)).toBe(false);
    expect(canEditContact(rep, { ...person, owner_id: 7 })).toBe(true);
  });
});

const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });
let mounted: HTMLElement | null = null;
afterEach(() => {
  if (mounted) {
    render(null, mounted);
    mounted.remove();
    mounted = null;
  }
  vi.unstubAllGlobals();
});
function mount(): HTMLElement {
  mounted = document.createElement('div');
  document.body.appendChild(mounted);
  return mounted;
}
const tick = () => new Promise((r) => setTimeout(r, 0));
async function until(ok: () => boolean) {
  for (let i = 0; i < 100 && !ok(); i++) {
    await act(async () => {
      await tick();
    });
  }
}

describe('consents card', () => {
  it('lists given and withdrawn consents and withdraws one after asking', async () => {
    const posts: string[] = [];
    let withdrawn = false;
    const listed = () => [
      consent({ id: 1, purpose: 'form: Webinar signup', source: 'form', form_id: 3, text: 'Send me the recording' }),
      consent({ id: 2, purpose: 'import', source: 'import', import_job_id: 12, import_row: 7, ...(withdrawn ? { withdrawn_at: '2026-11-27T09:00:00.000Z', withdrawn_by: 1 } : {}) }),
      consent({ id: 3, purpose: 'newsletter', source: 'user', recorded_by: 7, withdrawn_at: '2026-11-21T09:00:00.000Z', withdrawn_by: 7 }),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posts.push(url);
          withdrawn = true;
          return json(listed()[1]);
        }
        if (url === '/api/v1/contacts/5/consents') return json({ items: listed(), next_cursor: null });
        if (url.startsWith('/api/v1/forms')) return json({ items: [{ id: 3, name: 'Webinar signup' }], next_cursor: null });
        return json({ error: { code: 'not_found', message: url } }, 404);
      }),
    );
    const root = mount();
    act(() =>
      render(
        <SessionContext.Provider value={{ user: admin, signOut: () => {} }}>
          <Consents contact={person} users={users} />
        </SessionContext.Provider>,
        root,
      ),
    );
    await until(() => root.querySelectorAll('li.consent').length === 3 && (root.textContent ?? '').includes('Form “Webinar signup”'));
    const items = [...root.querySelectorAll('li.consent')];
    expect(items).toHaveLength(3);
    expect(items[0]?.textContent).toContain('Form “Webinar signup”');
    expect(items[0]?.textContent).toContain('“Send me the recording”');
    expect(items[1]?.textContent).toContain('Import 12, row 7');
    expect(items[2]?.textContent).toContain('Withdrawn');
    expect(items[2]?.textContent).toContain('by Rita Rep');
    // Only consents still given can be withdrawn.
    expect(items[2]?.querySelector('button')).toBeNull();
    const button = items[1]?.querySelector('button') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Withdraw the consent “import”');
    act(() => button.click());
    expect(posts).toHaveLength(0); // it asks first
    const yes = root.querySelector('[role=group] button.danger') as HTMLButtonElement;
    expect(yes.textContent).toBe('Yes, withdraw');
    await act(async () => {
      yes.click();
      await tick();
    });
    await until(() => (root.querySelectorAll('li.consent')[1]?.textContent ?? '').includes('Withdrawn'));
    expect(posts).toEqual(['/api/v1/contacts/5/consents/2/withdraw']);
    expect(root.querySelectorAll('li.consent')[1]?.textContent).toContain('by Ada Admin');
    expect(root.textContent).toContain('The consent “import” is withdrawn.');
  });

  it('shows no withdraw button to a rep who does not own the contact', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url === '/api/v1/contacts/5/consents') return json({ items: [consent({ id: 1 })], next_cursor: null });
        return json({ items: [], next_cursor: null });
      }),
    );
    const root = mount();
    act(() =>
      render(
        <SessionContext.Provider value={{ user: rep, signOut: () => {} }}>
          <Consents contact={person} users={users} />
        </SessionContext.Provider>,
        root,
      ),
    );
    await until(() => root.querySelectorAll('li.consent').length === 1);
    expect(root.querySelector('li.consent')?.textContent).toContain('newsletter');
    expect(root.querySelector('li.consent button')).toBeNull();
  });
});
