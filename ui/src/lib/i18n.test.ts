import { describe, expect, it } from 'vitest';
import { dictionaries, dirOf, enumLabel, initialLang, interpolate, LANGS, translate, type Dictionary } from './i18n';

describe('translate', () => {
  it('uses the chosen language', () => {
    expect(translate('he', 'nav.people')).toBe('אנשים');
    expect(translate('en', 'nav.people')).toBe('People');
  });

  it('falls back to English, then to the key', () => {
    const dicts = { en: { 'nav.people': 'People' } as Dictionary, he: {} };
    expect(translate('he', 'nav.people', undefined, dicts)).toBe('People');
    expect(translate('he', 'no.such.key', undefined, dicts)).toBe('no.such.key');
  });

  it('fills placeholders', () => {
    expect(translate('en', 'people.range', { from: 1, to: 100, total: '1,234' })).toBe('1–100 of 1,234');
    expect(interpolate('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});

describe('enumLabel', () => {
  it('translates known values and makes unknown ones readable', () => {
    expect(enumLabel('en', 'status', 'active')).toBe('Active');
    expect(enumLabel('he', 'status', 'active')).toBe('פעיל');
    expect(enumLabel('en', 'status', 'on_hold')).toBe('On hold');
  });
});

describe('dictionaries', () => {
  it('has a Hebrew label for every English one, and no stray keys', () => {
    const en = Object.keys(dictionaries.en).sort();
    const he = Object.keys(dictionaries.he).sort();
    expect(he).toEqual(en);
    for (const value of Object.values(dictionaries.he)) expect(value?.trim()).not.toBe('');
  });

  it('names each language in itself', () => {
    expect(LANGS.map((l) => l.name)).toEqual(['English', 'עברית']);
    expect(dirOf('he')).toBe('rtl');
    expect(dirOf('en')).toBe('ltr');
  });
});

describe('initialLang', () => {
  it('prefers the saved choice, then the system, then English', () => {
    expect(initialLang('he', ['en-US'])).toBe('he');
    expect(initialLang(null, ['he-IL', 'en-US'])).toBe('he');
    expect(initialLang(null, ['iw'])).toBe('he');
    expect(initialLang('fr', ['fr-FR', 'en-GB'])).toBe('en');
    expect(initialLang(null, [])).toBe('en');
  });
});
