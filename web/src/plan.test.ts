import { describe, expect, it } from 'vitest';
import { contactsLink, funnelPath, funnelState, movesLink, statePath } from './funnel';
import { parseAmount, percent, planBody, type PlanInput } from './plan';

const base: PlanInput = { revenue: '1,000,000', from: '2027-01-01', to: '2027-03-31', dealSize: '', per: 'month', rates: {} };

describe('planner input', () => {
  it('becomes the plan request, rates in percent turned into fractions', () => {
    const c = planBody({ ...base, dealSize: '12 500.50', rates: { mql_sal: '35', opportunity_customer: '20%' } });
    expect(c).toEqual({
      ok: true,
      body: { revenue: 1000000, from: '2027-01-01', to: '2027-03-31', per: 'month', deal_size: 12500.5, rates: { mql_sal: 0.35, opportunity_customer: 0.2 } },
    });
    // Empty deal size and rates are measured by the server: not sent.
    expect(planBody(base)).toEqual({ ok: true, body: { revenue: 1000000, from: '2027-01-01', to: '2027-03-31', per: 'month' } });
  });
  it('names the field the server would refuse', () => {
    expect(planBody({ ...base, revenue: '' })).toMatchObject({ ok: false, field: 'revenue' });
    expect(planBody({ ...base, revenue: '-5' })).toMatchObject({ ok: false, field: 'revenue' });
    expect(planBody({ ...base, revenue: '1e6' })).toMatchObject({ ok: false, field: 'revenue' });
    expect(planBody({ ...base, to: '2026-12-31' })).toMatchObject({ ok: false, field: 'to' });
    expect(planBody({ ...base, from: '' })).toMatchObject({ ok: false, field: 'from' });
    expect(planBody({ ...base, dealSize: '0' })).toMatchObject({ ok: false, field: 'deal_size' });
    expect(planBody({ ...base, rates: { sal_sql: '120' } })).toMatchObject({ ok: false, field: 'rate-sal_sql' });
    expect(planBody({ ...base, rates: { sal_sql: '0' } })).toMatchObject({ ok: false, field: 'rate-sal_sql' });
    expect(parseAmount('12.345')).toBeNaN();
    expect(percent(0.3512)).toBe('35.1%');
    expect(percent(null)).toBe('—');
  });
});

describe('funnel explorer address and links', () => {
  it('reads the address with the last 90 days by default, and writes it back', () => {
    const s = funnelState(new URLSearchParams(''), '2026-11-27');
    expect(s).toMatchObject({ from: '2026-08-30', to: '2026-11-27', view: 'cohort', by: '' });
    const t = funnelState(new URLSearchParams('from=2026-10-01&to=2026-10-31&view=period&by=week&plan_mql_sal=0.4&plan_lead_mql=7&goal=none'));
    expect(t).toMatchObject({ view: 'period', by: 'week', plan: { mql_sal: 0.4 }, goal: 'none' });
    expect(funnelState(new URL('http://x' + statePath(t)).searchParams)).toEqual(t);
  });
  it('asks the API for the period with the end day included and the plan', () => {
    const s = funnelState(new URLSearchParams('from=2026-10-01&to=2026-10-31&by=source&window=30'));
    const u = new URL('http://x' + funnelPath(s, { mql_sal: 0.35 }));
    expect(u.searchParams.get('from')).toBe('2026-10-01T00:00:00Z');
    expect(u.searchParams.get('to')).toBe('2026-11-01T00:00:00Z');
    expect(u.searchParams.get('window_days')).toBe('30');
    expect(u.searchParams.get('by')).toBe('source');
    expect(u.searchParams.get('plan_mql_sal')).toBe('0.35');
  });
  it('links each number to the contacts behind it', () => {
    const s = funnelState(new URLSearchParams('from=2026-10-01&to=2026-10-31&by=week&source=webinar'));
    const week = new URL('http://x' + contactsLink(s, { window_days: 90 }, 'mql', '2026-09-28', true));
    expect(week.pathname).toBe('/leads');
    expect(week.searchParams.get('reached')).toBe('mql');
    expect(week.searchParams.get('reached_from')).toBe('2026-10-01T00:00:00Z'); // the week, inside the period
    expect(week.searchParams.get('reached_to')).toBe('2026-10-05T00:00:00Z');
    expect(week.searchParams.get('converted')).toBe('true');
    expect(week.searchParams.get('window_days')).toBe('90');
    expect(week.searchParams.get('source')).toBe('webinar');
    const owners = { ...s, by: 'owner' as const };
    expect(new URL('http://x' + contactsLink(owners, { window_days: 90 }, 'sal', '')).searchParams.get('owner')).toBe('none');
    expect(new URL('http://x' + contactsLink(owners, { window_days: 90 }, 'sal', '12')).searchParams.get('owner')).toBe('12');
    expect(contactsLink({ ...s, by: 'campaign' }, { window_days: 90 }, 'sal', '')).toBeNull();
    const personas = { ...s, by: 'persona' as const };
    expect(new URL('http://x' + contactsLink(personas, { window_days: 90 }, 'sal', 'head_of_data')).searchParams.get('persona')).toBe('head_of_data');
    expect(new URL('http://x' + contactsLink(personas, { window_days: 90 }, 'sal', '')).searchParams.get('persona')).toBe('none');
    const total = new URL('http://x' + contactsLink(s, { window_days: 90 }, 'lead', null));
    expect(total.searchParams.get('reached_to')).toBe('2026-11-01T00:00:00Z');
    expect(total.searchParams.get('converted')).toBeNull();
  });
  it('links the period view\'s moves to the contacts who made them, in the group', () => {
    const s = funnelState(new URLSearchParams('from=2026-10-01&to=2026-10-31&view=period&by=week&owner=4'));
    const week = new URL('http://x' + movesLink(s, 'sal', '2026-10-26', 'dropped'));
    expect(week.pathname).toBe('/leads');
    expect(week.searchParams.get('moved_out')).toBe('sal');
    expect(week.searchParams.get('moved')).toBe('dropped');
    expect(week.searchParams.get('moved_out_from')).toBe('2026-10-26T00:00:00Z');
    expect(week.searchParams.get('moved_out_to')).toBe('2026-11-01T00:00:00Z'); // the period's end
    expect(week.searchParams.get('owner')).toBe('4');
    expect(week.searchParams.get('reached')).toBeNull();
    const personas = { ...s, by: 'persona' as const };
    expect(new URL('http://x' + movesLink(personas, 'mql', '', 'forward')).searchParams.get('persona')).toBe('none');
    expect(movesLink({ ...s, by: 'source' }, 'mql', '', 'forward')).toBeNull();
    expect(movesLink(s, 'customer', null, 'forward')).toBeNull();
    const total = new URL('http://x' + movesLink(s, 'lead', null, 'forward'));
    expect(total.searchParams.get('moved_out_from')).toBe('2026-10-01T00:00:00Z');
  });
});
