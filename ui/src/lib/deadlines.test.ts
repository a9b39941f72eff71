import { describe, expect, it } from 'vitest';
import type { Deadline } from '../bindings/Deadline';
import { deadlineDetail, deadlineTitle } from './deadlines';

function deadline(kind: string, facts: Partial<Deadline['facts']>, detail = 'English detail'): Deadline {
  return {
    kind,
    due_date: '2027-02-25',
    entity: 'placement',
    record_id: 'x',
    title: 'Dana Cohen',
    title_he: 'דנה כהן',
    detail,
    days_left: 3,
    cohort_id: null,
    facts: { subject: null, amount_minor: null, currency: null, state: null, until: null, ...facts },
  };
}

describe('deadlines in the UI language', () => {
  it('words a visa expiring before the placement ends, with a local date', () => {
    const d = deadline('visa_expiry', { subject: 'J-1', until: '2027-06-30' });
    expect(deadlineDetail(d, 'en')).toBe('J-1 expires before the placement ends (Jun 30, 2027)');
    const he = deadlineDetail(d, 'he');
    expect(he).toContain('פג לפני סוף השיבוץ');
    expect(he).not.toContain('2027-06-30');
  });

  it('formats a tranche amount as money and says when it is held', () => {
    const d = deadline('tranche_due', { subject: 'AI Fellowship', amount_minor: 1600000, currency: 'USD', state: 'held' });
    expect(deadlineDetail(d, 'en')).toBe('AI Fellowship: a tranche of $16,000.00 (held)');
    expect(deadlineDetail(d, 'he')).toContain('(מעוכב)');
    expect(deadlineDetail(d, 'he')).not.toContain('16000.00');
  });

  it('labels a checklist item and its status, and leaves a cohort start to its kind', () => {
    const d = deadline('checklist_due', { subject: 'agreement_signed', state: 'missing' });
    expect(deadlineDetail(d, 'en')).toBe('Agreement signed (Missing)');
    expect(deadlineDetail(d, 'he')).not.toMatch(/[a-z]/);
    expect(deadlineDetail(deadline('cohort_start', {}), 'he')).toBe('');
    expect(deadlineDetail(deadline('report_due', {}, 'AI Fellowship: Final report'), 'he')).toBe('AI Fellowship: Final report');
  });

  it('names the person in Hebrew in the Hebrew UI when the name is known', () => {
    const d = deadline('visa_expiry', {});
    expect(deadlineTitle(d, 'he')).toBe('דנה כהן');
    expect(deadlineTitle(d, 'en')).toBe('Dana Cohen');
    expect(deadlineTitle({ ...d, title_he: null }, 'he')).toBe('Dana Cohen');
  });
});
