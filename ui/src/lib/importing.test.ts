import { describe, expect, it } from 'vitest';
import type { RowChange } from '../bindings/RowChange';
import {
  sharedFields,
  splitsByScript,
  applyPreset,
  asksDateOrder,
  changingRows,
  fieldChoices,
  headerKey,
  IGNORE,
  fileSummary,
  importFieldLabel,
  mappingOf,
  mergePlan,
  personChangeText,
  presetNames,
  presetValue,
  problemsInOrder,
  readPreset,
  otherSheets,
  reportAsksDateOrder,
} from './importing';

describe('mapping', () => {
  it('starts from what the dry run matched, unmatched columns ignored', () => {
    expect(
      mappingOf([
        { header: 'First name', field: 'given_name', samples: ['Dana'] },
        { header: 'Shoe size', field: null, samples: [] },
      ]),
    ).toEqual({ 'First name': 'given_name', 'Shoe size': IGNORE });
  });

  it('applies a saved mapping to the headers of this file, loosely', () => {
    expect(headerKey(' E-mail  Address ')).toBe('emailaddress');
    expect(headerKey('דוא״ל')).toBe(headerKey('דוא"ל'));
    const current = { 'E-mail address': 'email', Remarks: IGNORE, Name: 'full_name' };
    const preset = { 'e-mail ADDRESS': IGNORE, remarks: 'notes', Unused: 'phone' };
    expect(applyPreset(current, preset)).toEqual({ 'E-mail address': IGNORE, Remarks: 'notes', Name: 'full_name' });
  });

  it('keeps presets per entity and reads back only its own', () => {
    const stored = {
      'Technion people': presetValue('person', { Name: 'full_name' }),
      'Technion sites': presetValue('institution', { Site: 'name' }),
      junk: 42,
      'A partner': { entity: 'person', mapping: { Email: 'email', Bad: 3 } },
    };
    expect(presetNames(stored, 'person')).toEqual(['A partner', 'Technion people']);
    expect(readPreset(stored['A partner'])).toEqual({ entity: 'person', mapping: { Email: 'email' } });
    expect(readPreset('x')).toBeNull();
  });

  it('offers the current field even when the list does not have it', () => {
    expect(fieldChoices(['email'], 'full_name')).toEqual(['full_name', 'email']);
    expect(fieldChoices(['email'], IGNORE)).toEqual(['email']);
  });
});

describe('dry run', () => {
  it('knows when the date order is asked for', () => {
    expect(asksDateOrder({ code: 'invalid', message: 'x', field: 'date_order', problems: [] })).toBe(true);
    expect(
      asksDateOrder({ code: 'invalid', message: 'x', problems: [{ field: 'date_order', message: 'x' }] }),
    ).toBe(true);
    expect(asksDateOrder({ code: 'invalid', message: 'x', field: 'file', problems: [] })).toBe(false);
    expect(asksDateOrder('boom')).toBe(false);
    expect(reportAsksDateOrder({ problems: [{ field: 'email' }, { field: 'date_order' }] })).toBe(true);
    expect(reportAsksDateOrder({ problems: [{ field: 'birth_date' }] })).toBe(false);
  });

  it('offers the sheets a report names as not read, keeping those named before', () => {
    const w = (code: string, sheet: string) => ({ code, params: { sheet, entity: 'person', n: '1' } });
    const report = {
      warning_messages: [
        w('import.sheet_not_read', 'IL participants'),
        w('import.hidden_sheet_not_read', 'Old list'),
        { code: 'import.column_ignored', params: { header: 'Shoe size' } },
      ],
    };
    expect(otherSheets(report, [])).toEqual(['IL participants', 'Old list']);
    expect(otherSheets(report, ['US participants', 'Old list'])).toEqual([
      'US participants',
      'Old list',
      'IL participants',
    ]);
  });

  it('lists problems in file order', () => {
    const a = { field: 'email', message: 'a', code: 'test.unknown', params: {}, row: 3 };
    const b = { field: 'orcid', message: 'b', code: 'test.unknown', params: {}, row: 1 };
    const c = { field: 'orcid', message: 'c', code: 'test.unknown', params: {}, row: 3 };
    expect(problemsInOrder([a, b, c])).toEqual([b, a, c]);
  });
});

describe('merge plan', () => {
  it('merges the chosen rows into the chosen existing person, with the real ids', () => {
    const written = [
      { row: 2, file_row: 3, person_id: 'new-2', name: 'Dana Cohen', matches: [['old-1', 'כהן דנה'], ['old-9', 'Dana Cohn']] as [string, string][], reason: 'same name' },
      { row: 5, file_row: 6, person_id: 'new-5', name: 'Avi Levi', matches: [['old-3', 'Avi Levi']] as [string, string][], reason: 'same name' },
      { row: 7, file_row: 8, person_id: null, name: 'X', matches: [['old-4', 'X']] as [string, string][], reason: 'same name' },
    ];
    expect(mergePlan(written, new Map([[2, 1], [7, 0]]))).toEqual([{ row: 2, survivor: 'old-9', duplicate: 'new-2' }]);
  });
});

describe('field labels', () => {
  it('uses the form labels, then the import’s own', () => {
    expect(importFieldLabel('en', 'person', 'home_institution')).toBe('Home institution');
    expect(importFieldLabel('en', 'placement', 'given_name')).toBe('Given name (Latin or Hebrew)');
    expect(importFieldLabel('en', 'placement', 'given_name_he')).toBe('Given name in Hebrew');
    expect(importFieldLabel('en', 'placement', 'status')).toBe('Status');
    expect(importFieldLabel('en', 'placement', 'cohort')).toBe('Cohort');
    expect(importFieldLabel('he', 'person', 'full_name')).toBe('שם מלא');
    expect(importFieldLabel('en', 'person', 'mystery')).toBe('mystery');
  });
});

describe('fileSummary', () => {
  const plain = (s: string) => s.replace(/[\u2068\u2069]/g, '');
  it('words the kind of file and its rows for people', () => {
    expect(plain(fileSummary("csv (UTF-8, ',')", 3, 'en'))).toBe('CSV, UTF-8, comma-separated · 3 rows');
    expect(plain(fileSummary('csv (windows-1255, tab)', 1, 'en'))).toBe('CSV, windows-1255, tab-separated · 1 row');
    expect(plain(fileSummary("csv (UTF-8, ';')", 1200, 'en'))).toBe('CSV, UTF-8, semicolon-separated · 1,200 rows');
    expect(fileSummary('xlsx', 40, 'en')).toBe('Excel workbook · 40 rows');
  });
  it('says it in Hebrew, with no raw codes left', () => {
    const he = plain(fileSummary("csv (UTF-8, ',')", 3, 'he'));
    expect(he).toBe('CSV, קידוד UTF-8, מופרד בפסיקים · 3 שורות');
    expect(he).not.toContain("','");
  });
  it('shows a kind it does not know as it came', () => {
    expect(plain(fileSummary('ods', 2, 'en'))).toBe('ods · 2 rows');
  });
  it('names the sheet of a workbook that was read, and the others with rows that were not', () => {
    expect(plain(fileSummary('xlsx', 12, 'en', 'משתתפים', ['Sheet2']))).toBe('Excel workbook · sheet “משתתפים” (not read: “Sheet2”) · 12 rows');
    expect(plain(fileSummary('xlsx', 12, 'he', 'משתתפים'))).toBe('חוברת Excel · גיליון „משתתפים” · 12 שורות');
  });
});

describe('rows that change a person', () => {
  const plain = (s: string | null) => s?.replace(/[\u2068\u2069]/g, '');
  const person = { id: 'p1', name: 'Yael Levi', fields: ['given_name', 'family_name'] };
  const renamed: RowChange = { row: 1, file_row: 2, action: 'update', name: 'A One', person };
  const placed: RowChange = {
    row: 2,
    file_row: 3,
    action: 'unchanged',
    name: 'dana@example.org',
    person: { id: 'p2', name: 'Dana Cohen', fields: ['phone'] },
  };
  const same: RowChange = { row: 3, file_row: 4, action: 'unchanged', name: 'Noa Katz', person: null };

  it('lists a row whose placement is unchanged when it changes its person', () => {
    expect(changingRows([renamed, placed, same]).map((c) => c.row)).toEqual([1, 2]);
  });

  it('names the person as stored, the name in the file and the fields changed', () => {
    expect(plain(personChangeText('en', 'person', renamed))).toBe(
      'named A One in the file · Changes: Given name, Family name',
    );
    expect(plain(personChangeText('en', 'placement', placed))).toBe('Updates the person Dana Cohen: Phone');
    expect(personChangeText('en', 'person', same)).toBeNull();
    const dana: RowChange = {
      ...renamed,
      name: 'Dana Cohen',
      person: { id: 'p2', name: 'Dana Cohen · דנה כהן', fields: ['phone'] },
    };
    expect(personChangeText('en', 'person', dana)).toBe('Changes: Phone');
    const he = plain(personChangeText('he', 'placement', placed)) ?? '';
    expect(he).toContain('Dana Cohen');
    expect(he).not.toContain('phone');
  });
});

describe('sharedFields', () => {
  it('lists, for each column, the other columns mapped to its field', () => {
    const headers = ['First name', 'שם פרטי', 'Email', 'דוא"ל', 'Notes', 'Other'];
    const mapping = { 'First name': 'given_name', 'שם פרטי': 'given_name', Email: 'email', 'דוא"ל': 'email', Notes: 'ignore', Other: 'ignore' };
    const shared = sharedFields(headers, mapping);
    expect(shared.get('First name')).toEqual(['שם פרטי']);
    expect(shared.get('שם פרטי')).toEqual(['First name']);
    expect(shared.get('Email')).toEqual(['דוא"ל']);
    // Left out twice is no clash.
    expect(shared.has('Notes')).toBe(false);
    expect(sharedFields(['A', 'B'], { A: 'given_name', B: 'family_name' }).size).toBe(0);
  });

  it('knows the fields two columns may fill, one script each (as the wizard names them)', () => {
    expect(splitsByScript('person', 'given_name')).toBe(true);
    expect(splitsByScript('placement', 'family_name')).toBe(true);
    expect(splitsByScript('person', 'given_name_he')).toBe(false);
    expect(splitsByScript('person', 'email')).toBe(false);
    expect(splitsByScript('institution', 'name')).toBe(true);
    expect(splitsByScript('person', 'name')).toBe(false);
  });
});
