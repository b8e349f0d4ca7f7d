import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComplianceSection, defaultPeriod, percent, periodProblem, type ComplianceReport, type SalesRow } from './components/Compliance';

let root: HTMLElement | null = null;
function mount(node: preact.ComponentChild) {
  const el = document.createElement('div');
  root = el;
  document.body.appendChild(el);
  act(() => render(node, el));
  return el;
}
afterEach(() => {
  if (root) {
    render(null, root);
    root.remove();
    root = null;
  }
  vi.unstubAllGlobals();
});

const share = (on_time: number, missed: number) => ({ on_time, missed, pending: 0, share: on_time + missed ? on_time / (on_time + missed) : null, interval: null });
const row = (label: string, leads: number): SalesRow => ({
  key: label,
  label,
  user_id: 1,
  leads,
  first_touch: share(3, 1),
  touched: 4,
  untouched: 0,
  response_p50_minutes: 60,
  response_p90_minutes: 330,
  attempts_per_lead: 1.5,
  attempts: share(2, 0),
  disposition: share(2, 0),
});
const marketing = {
  key: '',
  mqls: 4,
  expected: 10,
  attainment: 0.4,
  quota_since: null,
  grade_ab: 3,
  grade_ab_share: 0.75,
  min_grade_ab_percent: 70,
  grade_ab_met: true,
  persona_match: 1,
  persona_share: 0.25,
  min_persona_match_percent: 50,
  persona_met: false,
  pace_at: '2026-11-30T14:00:00.000Z',
  mqls_so_far: 4,
  expected_so_far: 10,
  pace: 0.4,
  projected: 4,
  quota: 10,
  quota_period: 'week',
  weeks: [],
};
function report(rows: SalesRow[]): ComplianceReport {
  return {
    from: '2026-11-23',
    to: '2026-11-29',
    by: 'rep',
    time_zone: 'Europe/Paris',
    as_of: '2026-11-30T14:00:00.000Z',
    scope: 'all',
    sales: { obligations: { first_touch_hours: 4, attempts: 2, attempts_within_days: 5, disposition_days: 2 }, rows, total: row('total', 4) },
    marketing,
  };
}

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

describe('SLA compliance', () => {
  it('defaults to the last four weeks from a Monday and prints shares', () => {
    expect(defaultPeriod(new Date(2026, 10, 27, 12))).toEqual({ from: '2026-11-02', to: '2026-11-27' });
    expect(percent(0.75)).toBe('75%');
    expect(percent(1 / 3)).toBe('33.3%');
    expect(percent(null)).toBe('–');
    expect(periodProblem('2026-11-23', '2026-11-23')).toBeNull();
    expect(periodProblem('2025-01-01', '2026-01-01')).toBeNull();
    expect(periodProblem('2025-01-01', '2026-01-02')).toContain('366 days');
    expect(periodProblem('2026-11-24', '2026-11-23')).toContain('must not be after');
    expect(periodProblem('', '2026-11-23')).toBe('Pick both dates.');
  });

  it('shows one row per rep, the total and marketing', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(report([row('ana@example.com', 2), row('ben@example.com', 2)])), { status: 200, headers: { 'Content-Type': 'application/json' } })));
    const el = mount(<ComplianceSection canSeeTeams />);
    await settle();
    const rows = el.querySelectorAll('.compliance-table tbody tr');
    expect(rows.length).toBe(2);
    expect(rows[0]?.textContent).toContain('ana@example.com');
    expect(rows[0]?.textContent).toContain('75%');
    expect(el.querySelector('.compliance-table tfoot')?.textContent).toContain('All');
    expect(el.textContent).toContain('4 of 10 expected');
    expect(el.textContent).toContain('Below minimum');
    expect(el.querySelectorAll('#compliance-by option').length).toBe(3);
  });

  it('says when no lead was assigned, and reps get no team breakdown', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(report([])), { status: 200, headers: { 'Content-Type': 'application/json' } })));
    const el = mount(<ComplianceSection canSeeTeams={false} />);
    await settle();
    expect(el.textContent).toContain('No leads assigned in this period');
    expect(el.querySelector('.compliance-table')).toBeNull();
    expect(el.querySelectorAll('#compliance-by option').length).toBe(2);
  });
});
