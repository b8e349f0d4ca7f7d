import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContractDiff, pickVersions, termLabel } from './ContractDiff';

const V = [
  { id: 3, activated_at: '2026-11-20T10:00:00Z' },
  { id: 2, activated_at: '2026-10-01T10:00:00Z' },
  { id: 1, activated_at: '2026-09-01T10:00:00Z' },
];
const json = (v: unknown, status = 200) => new Response(JSON.stringify(v), { status, headers: { 'Content-Type': 'application/json' } });

let root: HTMLElement = document.createElement('div');
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});
async function until(ok: () => boolean) {
  for (let i = 0; i < 100 && !ok(); i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}
function mount(node: preact.ComponentChild) {
  root = document.createElement('div');
  document.body.appendChild(root);
  return act(() => render(node, root));
}

describe('contract diff', () => {
  it('compares the previous version with the newest unless the address says otherwise', () => {
    expect(pickVersions(V, new URLSearchParams())).toEqual({ from: 2, to: 3 });
    expect(pickVersions(V, new URLSearchParams('diff_from=1&diff_to=3'))).toEqual({ from: 1, to: 3 });
    expect(pickVersions(V, new URLSearchParams('diff_from=1&diff_to=9'))).toEqual({ from: 2, to: 3 });
    expect(pickVersions(V.slice(0, 1), new URLSearchParams())).toBeNull();
  });

  it('names a term in words', () => {
    expect(termLabel('sales.first_touch_hours')).toBe('sales · first touch hours');
    expect(termLabel('team_calendars."Sales NA".time_zone')).toBe('team calendars · Sales NA · time zone');
    expect(termLabel('team_calendars."Sales N.A.".hours.monday')).toBe('team calendars · Sales N.A. · hours · monday');
    expect(termLabel('routing.reps.lukas.becker@north.example.weight')).toBe('routing · reps · lukas.becker@north.example · weight');
    expect(termLabel('routing.reps.jo_b@x.example.capacity')).toBe('routing · reps · jo_b@x.example · capacity');
  });

  it('shows the changes grouped by section, old and new side by side', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        asked.push(url);
        return json({
          from: V[1],
          to: V[0],
          same: false,
          changes: [
            { section: 'sla_targets', path: 'sales.first_touch_hours', change: 'changed', before: '4', after: '2' },
            { section: 'clauses', path: 'rejection_reasons.partner.next', change: 'added', before: null, after: 'disqualified' },
          ],
        });
      }),
    );
    await mount(<ContractDiff versions={V} params={new URLSearchParams()} />);
    await until(() => root.textContent?.includes('terms change') ?? false);
    expect(asked).toEqual(['/api/v1/contract/diff?from=2&to=3']);
    expect(root.textContent).toContain('2 terms change from version 2 to version 3.');
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Clauses', 'SLA targets']);
    const row = root.querySelector('tr[data-path="sales.first_touch_hours"]');
    expect(row?.textContent).toBe('sales · first touch hoursChanged42');
    expect(row?.querySelector('del')?.textContent).toBe('4');
    expect(row?.querySelector('ins')?.textContent).toBe('2');
    expect(root.querySelector('tr[data-path="rejection_reasons.partner.next"] .diff-before')?.textContent).toBe('—');
    expect((root.querySelector('#diff-from') as HTMLSelectElement).value).toBe('2');
    expect((root.querySelector('#diff-to') as HTMLSelectElement).value).toBe('3');
  });

  it('says when two versions mean the same, and when there is only one', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json({ from: V[1], to: V[0], same: true, changes: [] })));
    await mount(<ContractDiff versions={V} params={new URLSearchParams()} />);
    await until(() => root.textContent?.includes('mean the same') ?? false);
    expect(root.textContent).toContain('Versions 2 and 3 mean the same');
    expect(root.querySelectorAll('table').length).toBe(0);
    render(null, root);
    await act(() => render(<ContractDiff versions={V.slice(0, 1)} params={new URLSearchParams()} />, root));
    expect(root.textContent).toContain('Only one version so far');
  });
});
