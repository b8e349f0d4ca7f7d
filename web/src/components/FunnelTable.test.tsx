import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { funnelState, MAIN_STAGES, type Funnel, type FunnelReport } from '../funnel';
import { STEPS } from '../plan';
import { FunnelTable } from './FunnelTable';

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

function funnel(): Funnel {
  return {
    key: '',
    stages: MAIN_STAGES.map((stage, i) => ({ stage, reached: 100 - i * 10 })),
    steps: STEPS.map((step, i) => ({ step, label: step, base: 20 - i, passed: 12 - i, dropped: 8, rate: 0.5, low: 0.4, high: 0.6, p50_hours: 3, p90_hours: 9 })),
  };
}

function table(view: 'cohort' | 'period') {
  const state = funnelState(new URLSearchParams(`from=2026-10-01&to=2026-10-31&view=${view}&source=webinar`));
  const f = funnel();
  const report: FunnelReport = { from: '', to: '', view, by: null, window_days: 90, has_data: true, summary: '', deal_size: null, total: f, breakdown: [], broken_steps: [] };
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<FunnelTable state={state} report={report} funnel={f} plan={{}} broken={new Set()} />, root));
  const row = (stage: string) => root.querySelector(`tr[data-stage="${stage}"]`)!;
  return { row };
}

describe('funnel table', () => {
  it('links the period view\'s forward and dropped counts to the contacts who moved', () => {
    const { row } = table('period');
    const forward = row('mql').querySelector<HTMLAnchorElement>('td.passed a')!;
    const u = new URL('http://x' + forward.getAttribute('href'));
    expect(u.pathname).toBe('/leads');
    expect(u.searchParams.get('moved_out')).toBe('mql');
    expect(u.searchParams.get('moved')).toBe('forward');
    expect(u.searchParams.get('moved_out_from')).toBe('2026-10-01T00:00:00Z');
    expect(u.searchParams.get('moved_out_to')).toBe('2026-11-01T00:00:00Z');
    expect(u.searchParams.get('source')).toBe('webinar');
    expect(u.searchParams.get('reached')).toBeNull();
    // The counts are moves; the list shows each contact once, and the link says so.
    expect(forward.getAttribute('aria-label')).toBe('10 moves forward from MQL: list the contacts (each once)');
    const dropped = row('mql').querySelector<HTMLAnchorElement>('td.dropped a')!;
    expect(new URL('http://x' + dropped.getAttribute('href')).searchParams.get('moved')).toBe('dropped');
    expect(dropped.getAttribute('aria-label')).toContain('list the contacts');
    // Customer has no step out of it.
    expect(row('customer').querySelector('td.passed')).toBeNull();
  });

  it('keeps the cohort view\'s counts on the reach filter', () => {
    const { row } = table('cohort');
    const passed = row('mql').querySelector<HTMLAnchorElement>('td.passed a')!;
    const u = new URL('http://x' + passed.getAttribute('href'));
    expect(u.searchParams.get('reached')).toBe('mql');
    expect(u.searchParams.get('converted')).toBe('true');
    expect(u.searchParams.get('moved_out')).toBeNull();
    expect(passed.getAttribute('aria-label')).toBe('10 moved on from MQL: list them');
  });
});
