import { describe, expect, it } from 'vitest';
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
