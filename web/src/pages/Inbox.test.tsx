import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionContext } from '../session';
import type { User } from '../types';
import { Inbox } from './Inbox';

const rep: User = { id: 7, email: 'rep@example.com', name: 'Rita Rep', role: 'sales', team_id: 3, active: true };

function contact(id: number, first: string) {
  return {
    id, email: `${first.toLowerCase()}@client.example`, first_name: first, last_name: 'Client', phone: '', title: 'CTO',
    company_id: null, owner_id: 7, stage: 'mql', stage_entered_at: '2026-11-27T08:00:00.000Z', source: 'webinar',
    campaign: '', country: 'DE', custom: {}, created_at: '2026-11-27T08:00:00.000Z', updated_at: '2026-11-27T08:00:00.000Z',
  };
}
function handoff(id: number, seconds: number, counting: boolean) {
  return {
    as_of: '2026-11-27T09:00:00.000Z',
    assignments: [{ id, contact_id: id, owner_id: 7, rule: 'territory', text: 'territory:DE', assigned_at: '2026-11-27T08:00:00.000Z', status: 'open', first_touch_at: null, attempts: 0 }],
    clocks: [
      {
        id: id * 10, contact_id: id, assignment_id: id, owner_id: 7, obligation: 'first_touch', state: 'open',
        started_at: '2026-11-27T08:00:00.000Z', due_at: '2026-11-27T13:00:00.000Z', target: 1, progress: 0, met_at: null, breached_at: null,
        remaining_business_seconds: seconds, counting, counting_changes_at: counting ? null : '2026-11-30T08:00:00.000Z',
      },
    ],
    escalations: [],
  };
}
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});
const tick = () => new Promise((r) => setTimeout(r, 0));
// Lets the fetches and renders run until `ok` holds (or gives up after a while).
async function until(ok: () => boolean) {
  for (let i = 0; i < 100 && !ok(); i++) {
    await act(async () => {
      await tick();
    });
  }
}

describe('inbox', () => {
  it('orders leads by the clock due first and asks for a reason before rejecting', async () => {
    const posts: { url: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posts.push({ url, body: init.body ? JSON.parse(init.body as string) : null });
          return json({ ...contact(2, 'Bert'), stage: 'recycled', owner_id: null });
        }
        if (url.startsWith('/api/v1/contacts?')) return json({ items: [contact(1, 'Anna'), contact(2, 'Bert')], next_cursor: null });
        if (url === '/api/v1/contacts/1/handoff') return json(handoff(1, 3 * 3600, true));
        if (url === '/api/v1/contacts/2/handoff') return json(handoff(2, 20 * 60, false));
        if (url === '/api/v1/contract') return json({ terms: { rejection_reasons: [{ code: 'bad_timing', label: 'Bad timing', next: 'recycled' }] } });
        return json({ error: { code: 'not_found', message: url, field: '' } }, 404);
      }),
    );
    root = document.createElement('div');
    document.body.appendChild(root);
    await act(async () => {
      render(
        <SessionContext.Provider value={{ user: rep, signOut: () => undefined }}>
          <Inbox />
        </SessionContext.Provider>,
        root,
      );
    });
    await until(() => root.querySelectorAll('.inbox-name').length === 2 && root.querySelector('#reason-2') === null && !root.querySelector('.loading'));
    const names = [...root.querySelectorAll('.inbox-name')].map((h) => h.textContent);
    expect(names).toEqual(['Bert Client', 'Anna Client']); // 20 minutes left before 3 hours
    const bert = root.querySelector('li.inbox-item') as HTMLElement;
    expect(bert.querySelector('.countdown')?.textContent).toBe('20m 00s');
    expect(bert.querySelector('.clock')?.className).toContain('soon');
    expect(bert.querySelector('.badge.paused')?.textContent).toContain('paused until');
    expect(bert.querySelector('[role=timer]')?.getAttribute('aria-label')).toBe('20 minutes of business time left');

    const rejectButton = [...bert.querySelectorAll('button')].find((b) => b.textContent === 'Reject…') as HTMLButtonElement;
    await act(async () => {
      rejectButton.click();
      await tick();
    });
    await until(() => (bert.querySelector('#reason-2') as HTMLSelectElement | null)?.options.length === 2);
    const form = bert.querySelector('form.reject-form') as HTMLFormElement;
    expect(bert.querySelector('label[for=reason-2]')?.textContent).toBe('Reason');
    expect([...(bert.querySelector('#reason-2') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['', 'bad_timing']);
    await act(async () => {
      form.dispatchEvent(new Event('submit', { cancelable: true }));
      await tick();
    });
    expect(bert.querySelector('[role=alert]')?.textContent).toBe('Choose a reason for rejecting this lead.');
    expect(posts).toEqual([]);

    const select = bert.querySelector('#reason-2') as HTMLSelectElement;
    await act(async () => {
      select.value = 'bad_timing';
      select.dispatchEvent(new Event('change'));
      await tick();
    });
    expect(bert.querySelector('[role=alert]')).toBeNull();
    await act(async () => {
      form.dispatchEvent(new Event('submit', { cancelable: true }));
    });
    await until(() => root.querySelectorAll('.inbox-name').length === 1);
    expect(posts).toEqual([{ url: '/api/v1/contacts/2/reject', body: { reason: 'bad_timing', note: '' } }]);
    expect([...root.querySelectorAll('.inbox-name')].map((h) => h.textContent)).toEqual(['Anna Client']);
    expect(root.querySelector('.inbox-done')?.textContent).toContain('Rejected Bert Client (Bad timing): now Recycled');
  });
});
