import { describe, expect, it } from 'vitest';
import { CODES, HE, problemText, renderMessage } from './messages';

const FSI = '\u2068';
const PDI = '\u2069';

/** The placeholder names of a template (`{name}`, `{name:kind}`). */
function names(template: string): string[] {
  return [...template.matchAll(/\{(\w+)(?::(?:\?|\w+))?\}/g)].map((m) => m[1] ?? '');
}

describe('the catalogue of core’s messages', () => {
  it('has every code of core (messageCodes.json, written by core’s test) in English and Hebrew', () => {
    const codes = Object.keys(CODES);
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      expect(CODES[code]?.en, code).toBeTruthy();
      expect(HE[code], `Hebrew for ${code}`).toBeTruthy();
    }
    // No Hebrew sentence for a code core no longer has.
    expect(Object.keys(HE).filter((c) => !(c in CODES))).toEqual([]);
  });

  it('uses in each Hebrew sentence only parameters core gives that message', () => {
    const extra: Record<string, string[]> = {
      // Amounts in minor units and their currency, beside core's English formatting.
      'fellowship.tranches_over_award': ['total_minor', 'award_minor', 'currency'],
      // The screening value itself, beside its English words.
      'placement.screening_gate': ['screening'],
      'placement.screening_kept': ['screening'],
      'placement.screening_not_cleared': ['screening'],
    };
    for (const [code, template] of Object.entries(HE)) {
      const known = [...(CODES[code]?.params ?? []), ...(extra[code] ?? [])];
      for (const name of names(template)) expect(known, `${code}: {${name}}`).toContain(name);
    }
  });

  it('renders English from core’s own sentence, exactly as core wrote it', () => {
    expect(renderMessage('value.not_iso_date', { value: '2027-13-01' }, 'en', 'x')).toBe(
      '"2027-13-01" is not a date in the form YYYY-MM-DD',
    );
    expect(renderMessage('field.required', {}, 'en', 'x')).toBe('is required');
    expect(
      renderMessage('cohort.full', { cohort: 'Spring 2027', used: '12', capacity: '12' }, 'en', 'x'),
    ).toBe('cohort "Spring 2027" is full (12 of 12 places taken); adding past capacity needs an explicit override');
  });

  it('falls back to core’s English message for an unknown code or missing parameters', () => {
    expect(renderMessage('newer.code', { a: '1' }, 'he', 'something new')).toBe('something new');
    expect(renderMessage(undefined, undefined, 'he', 'old core')).toBe('old core');
    expect(renderMessage('value.not_email', {}, 'he', 'core text')).toBe('core text');
    expect(problemText({ message: 'plain' }, 'he')).toBe('Plain');
  });
});

describe('Hebrew rendering with parameters', () => {
  it('quotes and isolates Latin values so they keep their place in a right-to-left sentence', () => {
    expect(renderMessage('value.not_email', { value: 'dana@' }, 'he', 'x')).toBe(
      `„${FSI}dana@${PDI}” אינה כתובת דוא״ל`,
    );
    expect(renderMessage('import.column_ignored', { header: 'Shoe size' }, 'he', 'x')).toBe(
      `העמודה „${FSI}Shoe size${PDI}” אינה שדה מוכר ולכן אינה מיובאת`,
    );
  });

  it('writes numbers, dates and amounts for the locale', () => {
    expect(renderMessage('cohort.full', { cohort: 'AI', used: '1200', capacity: '1200' }, 'he', 'x')).toBe(
      `המחזור „${FSI}AI${PDI}” מלא (1,200 מתוך 1,200 מקומות תפוסים); שיבוץ מעבר לקיבולת מחייב אישור מפורש.`,
    );
    const date = renderMessage(
      'rule.date_before_start',
      { date: '2027-08-01', start_field: 'start_date', start: '2027-09-01' },
      'he',
      'x',
    );
    expect(date).toMatch(/^מוקדם מתאריך ההתחלה \(.*2027.*\)\.$/);
    expect(date).not.toContain('2027-09-01');
    expect(
      renderMessage(
        'rule.date_before_start',
        { date: '2027-08-01', start_field: 'start_date', start: '2027-09-01' },
        'en',
        'x',
      ),
    ).toBe('Comes before the start date (Sep 1, 2027).');
    const money = {
      total: '13,000.00 USD',
      award: '10,000.00 USD',
      total_minor: '1300000',
      award_minor: '1000000',
      currency: 'USD',
    };
    expect(renderMessage('fellowship.tranches_over_award', money, 'en', 'x')).toBe(
      'The tranches add up to $13,000.00, more than the award of $10,000.00.',
    );
    expect(renderMessage('fellowship.tranches_over_award', money, 'he', 'x')).toMatch(
      /^סכום התשלומים \(.*13,000\.00.*\) גבוה מסכום המלגה \(.*10,000\.00.*\)\.$/,
    );
  });

  it('names statuses and screening in Hebrew in a refused status move', () => {
    expect(
      renderMessage(
        'placement.screening_gate',
        { program: 'AI Fellows', status: 'confirmed', screening_text: 'not required', screening: 'not_required' },
        'he',
        'x',
      ),
    ).toBe(
      `„${FSI}AI Fellows${PDI}” היא תוכנית רגישה: יש לאשר את הבדיקה הביטחונית לפני שהשיבוץ יוכל לעבור ל„אושר” (מצב הבדיקה: לא נדרשת).`,
    );
    expect(renderMessage('status.backward', { from: 'accepted', to: 'applied' }, 'he', 'x')).toMatch(
      /^אי אפשר להעביר מ„התקבל” ל„הוגשה בקשה”/,
    );
  });
});
