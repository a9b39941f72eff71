import { describe, expect, it } from 'vitest';
import type { IpcError } from '../bindings/IpcError';
import {
  carryOver,
  checkForm,
  diffRecord,
  firstErrorPath,
  isDirty,
  moneyText,
  parseMoney,
  parsePath,
  placeErrors,
  problemsByField,
  toForm,
  toRecord,
  typedDate,
} from './forms';
import { FORMS, KEEP } from './schema';

describe('problemsByField', () => {
  it('puts each of core’s problems under its field, nested ones included', () => {
    const e: IpcError = {
      code: 'invalid',
      message: 'orcid: the check digit does not match; tranches[1].amount_minor: is required',
      field: 'orcid',
      problems: [
        { field: 'orcid', message: 'the check digit does not match', code: 'test.unknown', params: {} },
        { field: 'tranches[1].amount_minor', message: 'is required', code: 'test.unknown', params: {} },
        { field: 'orcid', message: 'second problem', code: 'test.unknown', params: {} },
      ],
    };
    const [first, required, second] = e.problems;
    expect(problemsByField(e)).toEqual({
      orcid: [first, second],
      'tranches[1].amount_minor': [required],
    });
  });

  it('keeps a refusal without problems under its field, and ignores what is not an IpcError', () => {
    expect(problemsByField({ code: 'refused', message: 'screening must be cleared', field: 'screening', problems: [] })).toEqual({
      screening: [{ message: 'screening must be cleared' }],
    });
    expect(problemsByField(new Error('boom'))).toEqual({});
  });
});

describe('parsePath and placeErrors', () => {
  it('reads nested paths', () => {
    expect(parsePath('tranches[1].amount_minor')).toEqual({ field: 'tranches', index: 1, child: 'amount_minor' });
    expect(parsePath('quotas[0]')).toEqual({ field: 'quotas', index: 0, child: undefined });
    expect(parsePath('orcid')).toEqual({ field: 'orcid', index: undefined, child: undefined });
  });

  it('places errors of fields the form shows and lists the others', () => {
    const { placed, unplaced } = placeErrors(FORMS.fellowship, {
      'tranches[1].amount_minor': ['is required'],
      title: ['is required'],
      '': ['the whole record is wrong'],
      direction: ['is derived by Exchange Desk and cannot be set'],
    });
    expect(placed).toEqual({ 'tranches[1].amount_minor': ['is required'], title: ['is required'] });
    expect(unplaced).toEqual(['the whole record is wrong', 'direction: is derived by Exchange Desk and cannot be set']);
  });

  it('places an item of a list typed in one box under that box', () => {
    const bad = '"XX" is not an ISO 3166-1 alpha-2 country code';
    const { placed, unplaced } = placeErrors(FORMS.person, {
      'citizenships[1]': [bad],
      given_name: ['is required'],
    });
    expect(placed).toEqual({ citizenships: [bad], given_name: ['is required'] });
    expect(unplaced).toEqual([]);
    expect(firstErrorPath(FORMS.person, { 'citizenships[1]': [bad] })).toBe('citizenships');
  });

  it('finds the first error in the order of the form', () => {
    expect(firstErrorPath(FORMS.fellowship, { 'tranches[2].due_date': ['x'], 'tranches[0].amount_minor': ['x'], currency: ['x'] })).toBe(
      'currency',
    );
    expect(firstErrorPath(FORMS.fellowship, { 'tranches[2].due_date': ['x'], 'tranches[0].amount_minor': ['x'] })).toBe(
      'tranches[0].amount_minor',
    );
  });
});

describe('typedDate', () => {
  it('writes a day-and-month date YYYY-MM-DD when its order is clear', () => {
    expect(typedDate('14/03/1997', 'en')).toBe('1997-03-14');
    expect(typedDate('3/14/1997', 'he')).toBe('1997-03-14');
    expect(typedDate(' 5.5.2027 ', 'en')).toBe('2027-05-05');
  });

  it('reads an ambiguous one day first in Hebrew, and leaves it to the check in English', () => {
    expect(typedDate('3.4.1997', 'he')).toBe('1997-04-03');
    expect(typedDate('3-4-1997', 'en')).toBe('3-4-1997');
  });

  it('leaves anything else as typed', () => {
    for (const text of ['1997-03-14', '14/03/97', '32/13/1997', 'soon', '']) {
      expect(typedDate(text, 'he')).toBe(text);
    }
  });
});

describe('money', () => {
  it('reads amounts typed in major units into minor units', () => {
    expect(parseMoney('16,000', 2)).toBe(1_600_000);
    expect(parseMoney('1 250.5', 2)).toBe(125_050);
    expect(parseMoney('0.07', 2)).toBe(7);
    expect(parseMoney('500', 0)).toBe(500);
    expect(parseMoney('1.234', 2)).toBeNull();
    expect(parseMoney('-5', 2)).toBeNull();
    expect(parseMoney('abc', 2)).toBeNull();
    expect(parseMoney('', 2)).toBeNull();
  });

  it('writes minor units back as plain major units', () => {
    expect(moneyText(1_600_000, 2)).toBe('16000.00');
    expect(moneyText(null, 2)).toBe('');
  });
});

describe('toForm and toRecord', () => {
  it('round-trips a fellowship with tranche rows, amounts in the currency’s units', () => {
    const record = {
      person_id: 'p1',
      placement_id: null,
      title: 'Fellowship',
      award_minor: 1_600_000,
      currency: 'USD',
      tranches: [{ due_date: '2027-01-01', amount_minor: 800_000, status: 'scheduled', paid_on: null }],
      reports: [],
    };
    const form = toForm(FORMS.fellowship, record);
    expect(form.award_minor).toBe('16000.00');
    expect(form.tranches).toEqual([{ due_date: '2027-01-01', amount_minor: '8000.00', status: 'scheduled', paid_on: '' }]);
    expect(toRecord(FORMS.fellowship, form)).toEqual(record);
  });

  it('sends empty text as null, trims, and leaves what is not a number for core to name', () => {
    const form = toForm(FORMS.cohort, { program_id: 'x', name: '  AI Fellows  ', capacity: 12 });
    form.capacity = 'twelve';
    expect(toRecord(FORMS.cohort, form)).toEqual({
      program_id: 'x',
      name: 'AI Fellows',
      start_date: null,
      end_date: null,
      capacity: 'twelve',
      host_institution_id: null,
      location: null,
    });
  });

  it('reads a country list typed with commas or spaces', () => {
    const form = toForm(FORMS.person, {});
    form.citizenships = 'us, il  jp';
    expect(toRecord(FORMS.person, form).citizenships).toEqual(['US', 'IL', 'JP']);
  });

  it('patches only what changed', () => {
    expect(diffRecord({ a: 1, b: [1], c: null }, { a: 1, b: [1, 2], c: undefined })).toEqual({ b: [1, 2] });
  });
});

describe('dirty forms and batch entry', () => {
  it('notices a change, not a change back or trailing spaces', () => {
    const initial = toForm(FORMS.institution, { name: 'MIT', country: 'US' });
    const edited = { ...initial, city: 'Cambridge' };
    expect(isDirty(initial, edited)).toBe(true);
    expect(isDirty(initial, { ...initial, name: 'MIT  ' })).toBe(false);
    expect(isDirty(initial, { ...edited, city: '' })).toBe(false);
  });

  it('keeps the context of the batch (cohort, home institution) and empties the rest', () => {
    const form = toForm(FORMS.placement, { cohort_id: 'c1', person_id: 'p1', role: 'mentor', status: 'applied' });
    const next = carryOver(FORMS.placement, form, KEEP.placement);
    expect(next.cohort_id).toBe('c1');
    expect(next.role).toBe('mentor');
    expect(next.person_id).toBe('');
    expect(next.status).toBe('');
  });
});

describe('checkForm', () => {
  it('flags empty required fields, malformed dates and amounts, in rows too', () => {
    const form = toForm(FORMS.fellowship, { person_id: 'p', currency: 'USD' });
    form.award_minor = '12,5x';
    form.tranches = [{ due_date: '1/2/2027', amount_minor: '', status: '', paid_on: '' }];
    expect(checkForm(FORMS.fellowship, form)).toEqual({
      title: 'required',
      award_minor: 'amount',
      'tranches[0].due_date': 'date',
      'tranches[0].amount_minor': 'required',
    });
  });
});
