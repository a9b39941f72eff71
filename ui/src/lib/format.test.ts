import { describe, expect, it } from 'vitest';
import {
  directionText,
  formatDate,
  formatDateRange,
  formatMoney,
  formatNumber,
  parseIsoDate,
  personNames,
} from './format';

describe('formatNumber', () => {
  it('groups thousands for both languages', () => {
    expect(formatNumber(1234, 'en')).toBe('1,234');
    expect(formatNumber(1234, 'he')).toBe('1,234');
    expect(formatNumber(0, 'en')).toBe('0');
  });
});

describe('formatMoney', () => {
  it('reads minor units in the currency of the amount', () => {
    expect(formatMoney(1_600_000, 'USD', 'en')).toBe('$16,000.00');
    expect(formatMoney(250, 'ILS', 'he')).toContain('2.50');
    expect(formatMoney(250, 'ILS', 'he')).toContain('₪');
  });
});

describe('dates', () => {
  it('parses calendar dates without a time-zone shift', () => {
    expect(parseIsoDate('2027-01-01')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(formatDate('2027-01-01', 'en')).toBe('Jan 1, 2027');
  });

  it('rejects what is not a real date and shows it unchanged', () => {
    expect(parseIsoDate('2027-02-30')).toBeNull();
    expect(parseIsoDate('1 Jan 2027')).toBeNull();
    expect(formatDate('sometime', 'en')).toBe('sometime');
    expect(formatDate(null, 'en')).toBe('');
  });

  it('formats in Hebrew for the Hebrew UI', () => {
    expect(formatDate('2027-09-01', 'he')).toMatch(/ספט/);
  });

  it('shortens ranges and copes with open ends', () => {
    // ICU puts thin spaces around the dash of a range.
    const spaced = (s: string) => s.replace(/\s/g, ' ');
    expect(spaced(formatDateRange('2027-09-01', '2027-12-15', 'en'))).toBe('Sep 1 – Dec 15, 2027');
    expect(formatDateRange('2027-09-01', null, 'en')).toBe('Sep 1, 2027 –');
    expect(formatDateRange(null, '2027-12-15', 'en')).toBe('– Dec 15, 2027');
    expect(formatDateRange(null, undefined, 'en')).toBe('');
  });
});

describe('personNames', () => {
  const both = {
    given_name: 'Dana',
    family_name: 'Cohen',
    given_name_he: 'דנה',
    family_name_he: 'כהן',
  };

  it("puts the UI language's script first", () => {
    expect(personNames(both, 'en')).toEqual({ primary: 'Dana Cohen', secondary: 'דנה כהן' });
    expect(personNames(both, 'he')).toEqual({ primary: 'דנה כהן', secondary: 'Dana Cohen' });
  });

  it('falls back to the only script there is', () => {
    expect(personNames({ given_name_he: 'דנה', family_name_he: 'כהן' }, 'en')).toEqual({
      primary: 'דנה כהן',
      secondary: '',
    });
    expect(personNames({ given_name: ' Dana ', family_name: null }, 'he')).toEqual({
      primary: 'Dana',
      secondary: '',
    });
  });
});

describe('directionText', () => {
  it('draws the arrow and leaves other values alone', () => {
    expect(directionText('US->IL')).toBe('US → IL');
    expect(directionText('domestic')).toBe('domestic');
  });
});
