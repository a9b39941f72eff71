import { describe, expect, it } from 'vitest';
import type { Deadline } from '../bindings/Deadline';
import { deadlineDetail, deadlineNames } from './deadlines';

const FSI = '\u2068';
const PDI = '\u2069';
/** The text without its isolates, as it reads. */
const plain = (s: string) => s.replace(/[\u2068\u2069]/g, '');

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
    expect(plain(deadlineDetail(d, 'en'))).toBe('J-1 expires before the placement ends (Jun 30, 2027)');
    const he = deadlineDetail(d, 'he');
    expect(he).toContain(`תוקף אשרת ${FSI}J-1${PDI} פג לפני סוף השיבוץ`);
    expect(he).not.toContain('2027-06-30');
  });

  it('says "Visa (other)" for a visa of type other, and "visa" when the type is unknown', () => {
    const other = deadline('visa_expiry', { subject: 'other', until: '2027-06-30' });
    expect(deadlineDetail(other, 'en')).toBe('Visa (other) expires before the placement ends (Jun 30, 2027)');
    expect(deadlineDetail(other, 'he')).toMatch(/^תוקף האשרה \(מסוג אחר\) פג לפני סוף השיבוץ/);
    expect(deadlineDetail(deadline('visa_expiry', {}), 'en')).toBe('Visa expires');
    expect(deadlineDetail(deadline('visa_expiry', {}), 'he')).toBe('תוקף האשרה פג');
  });

  it('formats a tranche amount as money and says when it is held', () => {
    const d = deadline('tranche_due', { subject: 'AI Fellowship', amount_minor: 1600000, currency: 'USD', state: 'held' });
    expect(plain(deadlineDetail(d, 'en'))).toBe('AI Fellowship: a tranche of $16,000.00 (held)');
    expect(deadlineDetail(d, 'he')).toContain('(מעוכב)');
    expect(deadlineDetail(d, 'he')).not.toContain('16000.00');
  });

  it('isolates the title and the amount (with its sign) in a Hebrew sentence', () => {
    const d = deadline('tranche_due', { subject: 'AI Safety Fellowship', amount_minor: 6000000, currency: 'ILS', state: 'scheduled' });
    const he = deadlineDetail(d, 'he');
    const amount = new Intl.NumberFormat('he-IL', { style: 'currency', currency: 'ILS' }).format(60000);
    expect(amount).toContain('₪');
    expect(he).toBe(`${FSI}AI Safety Fellowship${PDI}: תשלום של ${FSI}${amount}${PDI}`);
  });

  it('labels a checklist item and its status, and leaves a cohort start to its kind', () => {
    const d = deadline('checklist_due', { subject: 'agreement_signed', state: 'missing' });
    expect(deadlineDetail(d, 'en')).toBe('Agreement signed (Missing)');
    expect(deadlineDetail(d, 'he')).not.toMatch(/[a-z]/);
    expect(deadlineDetail(deadline('cohort_start', {}), 'he')).toBe('');
    expect(deadlineDetail(deadline('report_due', {}, 'AI Fellowship: Final report'), 'he')).toBe(`${FSI}AI Fellowship: Final report${PDI}`);
  });

  it('names a person in both scripts, the UI language first, as the other lists do', () => {
    const d = deadline('visa_expiry', {});
    expect(deadlineNames(d, 'he')).toEqual({ primary: 'דנה כהן', secondary: 'Dana Cohen' });
    expect(deadlineNames(d, 'en')).toEqual({ primary: 'Dana Cohen', secondary: 'דנה כהן' });
    // One script only: that name alone, in either language.
    expect(deadlineNames({ ...d, title_he: null }, 'he')).toEqual({ primary: 'Dana Cohen', secondary: '' });
    // A person with a Hebrew name only: core's title is that name; it is not shown twice.
    expect(deadlineNames({ ...d, title: 'דנה כהן' }, 'en')).toEqual({ primary: 'דנה כהן', secondary: '' });
    // A cohort's start has no Hebrew title.
    expect(deadlineNames({ ...d, entity: 'cohort', title: 'Intake 1', title_he: null }, 'he').primary).toBe('Intake 1');
  });
});
