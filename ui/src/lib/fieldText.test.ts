import { describe, expect, it } from 'vitest';
import type { Entity } from '../bindings/Entity';
import { coreMessage, fieldLabel, pathTestId, readableError } from './fieldText';
import { dictionaries } from './i18n';
import { FORMS } from './schema';

describe('field labels', () => {
  it('names every field of every form, and every cell of its rows, in English', () => {
    const en = dictionaries.en as Record<string, string>;
    for (const [entity, fields] of Object.entries(FORMS)) {
      for (const f of fields) {
        expect(en[`field.${entity}.${f.name}`], `${entity}.${f.name}`).toBeTruthy();
        for (const c of f.children ?? []) {
          expect(en[`field.${entity}.${f.name}.${c.name}`], `${entity}.${f.name}.${c.name}`).toBeTruthy();
        }
        for (const option of f.options ?? []) {
          if (f.group && !/^[A-Z]/.test(option)) expect(en[`${f.group}.${option}`], `${f.group}.${option}`).toBeTruthy();
        }
      }
    }
    expect(fieldLabel('he', 'person' as Entity, 'family_name_he')).toBe('שם משפחה בעברית');
  });
});

describe('pathTestId', () => {
  it('turns field paths into test hooks', () => {
    expect(pathTestId('orcid')).toBe('orcid');
    expect(pathTestId('tranches[1].amount_minor')).toBe('tranches-1-amount_minor');
    expect(pathTestId('quotas[0]')).toBe('quotas-0');
  });
});

describe('coreMessage', () => {
  it('translates core’s known sentences into Hebrew and leaves others as they are', () => {
    expect(coreMessage('is required', 'he')).toBe('שדה חובה');
    expect(coreMessage('"2027-13-01" is not a date in the form YYYY-MM-DD', 'he')).toBe(
      '"2027-13-01" אינו תאריך בתבנית YYYY-MM-DD',
    );
    expect(coreMessage('is required', 'en')).toBe('is required');
    expect(coreMessage('something new', 'he')).toBe('something new');
    expect(
      coreMessage(
        '"AI Fellows" is a sensitive program: research-security screening must be cleared before a placement can be confirmed (screening is not required)',
        'he',
      ),
    ).toBe('„\u2068AI Fellows\u2069” היא תוכנית רגישה: יש לאשר את הבדיקה הביטחונית לפני שהשיבוץ יוכל לעבור ל„אושר” (מצב הבדיקה: לא נדרשת).');
    expect(
      coreMessage('cannot move from accepted to applied: applied comes before accepted; reopen the placement to move it back', 'he'),
    ).toMatch(/^אי אפשר להעביר מ„התקבל” ל„הוגשה בקשה”/);
  });

  it('says which date comes first in words, not field names', () => {
    expect(coreMessage('2027-08-01 is before start_date 2027-09-01', 'en')).toBe('Comes before the start date (Sep 1, 2027).');
    expect(coreMessage('2027-08-01 is before valid_from 2027-09-01', 'he')).toMatch(/^מוקדם מתאריך ההתחלה/);
  });

  it('writes amounts of core’s messages as money of the form’s currency', () => {
    expect(
      coreMessage('the tranches add up to 1300000, more than the award of 1000000 (minor units)', 'en', { currency: 'usd' }),
    ).toBe('The tranches add up to $13,000.00, more than the award of $10,000.00.');
  });
});

describe('import and sync messages in Hebrew', () => {
  it('translates the warnings of an import', () => {
    expect(coreMessage('column "Shoe size" is not a known field and is ignored', 'he')).toBe('העמודה „\u2068Shoe size\u2069” אינה שדה מוכר ולכן אינה מיובאת');
    expect(coreMessage('the import was cancelled; nothing was written', 'he')).toBe('הייבוא בוטל; דבר לא נכתב.');
    expect(coreMessage('the import was cancelled; nothing was written', 'en')).toBe('the import was cancelled; nothing was written');
  });
});

describe('uniqueness messages in Hebrew', () => {
  it('names the person who already has the e-mail', () => {
    expect(coreMessage('rebecca.adler@example.edu is already the e-mail of Rebecca Adler', 'he')).toBe(
      'rebecca.adler@example.edu כבר רשומה כדוא״ל של Rebecca Adler',
    );
  });
});

describe('readableError', () => {
  it('drops the field prefix, translates and capitalises', () => {
    expect(readableError('package: this package was written by this installation', 'package', 'en')).toBe(
      'This package was written by this installation',
    );
    expect(readableError('package: this package was written by this installation', 'package', 'he')).toBe(
      'החבילה הזו נכתבה במחשב הזה.',
    );
    expect(readableError('no cohort with id x', undefined, 'en')).toBe('No cohort with id x');
  });
});
