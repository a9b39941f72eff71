import { describe, expect, it } from 'vitest';
import type { Entity } from '../bindings/Entity';
import { fieldLabel, pathTestId, readableError } from './fieldText';
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

describe('readableError', () => {
  it('drops the field prefix, translates and capitalises', () => {
    expect(readableError('package: this package was written by this installation', 'package', 'en')).toBe(
      'This package was written by this installation',
    );
    expect(readableError('no cohort with id x', undefined, 'en')).toBe('No cohort with id x');
  });
});
