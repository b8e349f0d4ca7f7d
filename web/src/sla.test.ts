import { describe, expect, it } from 'vitest';
import { formatBusiness, liveRemaining, mostUrgent, sayBusiness, urgency, type Handoff, type SlaClock } from './sla';

function clock(p: Partial<SlaClock>): SlaClock {
  return {
    id: 1,
    contact_id: 7,
    assignment_id: 3,
    owner_id: 2,
    obligation: 'first_touch',
    state: 'open',
    started_at: '2026-11-27T16:30:00.000Z',
    due_at: '2026-11-30T11:30:00.000Z',
    target: 1,
    progress: 0,
    met_at: null,
    breached_at: null,
    remaining_business_seconds: 4 * 3600,
    counting: true,
    counting_changes_at: '2026-11-27T17:00:00.000Z',
    ...p,
  };
}
const asOf = '2026-11-27T16:30:00.000Z';

describe('live SLA countdown', () => {
  it('counts down while business hours run, from the moment the answer arrived', () => {
    const c = clock({});
    expect(liveRemaining(c, asOf, 1000, 1000)).toEqual({ seconds: 14400, counting: true, stale: false });
    expect(liveRemaining(c, asOf, 1000, 1000 + 61_500).seconds).toBe(14400 - 62);
    // 30 minutes later the calendar closed: the answer is stale, ask again.
    expect(liveRemaining(c, asOf, 1000, 1000 + 30 * 60_000).stale).toBe(true);
    expect(liveRemaining(c, asOf, 1000, 1000 + 30 * 60_000 - 1).stale).toBe(false);
  });
  it('stands still outside business hours until the next opening', () => {
    const c = clock({ remaining_business_seconds: 12600, counting: false, counting_changes_at: '2026-11-30T08:00:00.000Z' });
    const later = liveRemaining(c, asOf, 0, 3600_000);
    expect(later.seconds).toBe(12600);
    expect(later.counting).toBe(false);
    expect(later.stale).toBe(false);
  });
  it('goes negative once overdue and never goes stale without a flip', () => {
    const c = clock({ remaining_business_seconds: 5, counting_changes_at: null });
    const l = liveRemaining(c, asOf, 0, 10_000);
    expect(l.seconds).toBe(-5);
    expect(l.stale).toBe(false);
    expect(urgency(l.seconds)).toBe('overdue');
  });
  it('formats business time for the eye and for the ear', () => {
    expect(formatBusiness(14400)).toBe('4h 00m 00s');
    expect(formatBusiness(75)).toBe('1m 15s');
    expect(formatBusiness(9)).toBe('9s');
    expect(formatBusiness(-125)).toBe('2m 05s');
    expect(sayBusiness(3 * 3600 + 1800)).toBe('3 hours 30 minutes');
    expect(sayBusiness(59)).toBe('0 minutes');
    expect(urgency(3599)).toBe('soon');
    expect(urgency(3600)).toBe('ok');
  });
  it('picks the open clock due first', () => {
    const h: Handoff = {
      assignments: [],
      as_of: asOf,
      clocks: [
        clock({ id: 1, remaining_business_seconds: 9000 }),
        clock({ id: 2, remaining_business_seconds: 100, state: 'met' }),
        clock({ id: 3, remaining_business_seconds: 500 }),
      ],
    };
    expect(mostUrgent(h)?.id).toBe(3);
  });
});
