import { describe, expect, it } from 'vitest';
import type { ExportLogEntry } from '../bindings/ExportLogEntry';
import { logScope } from './exportLog';

const entry = (over: Partial<ExportLogEntry>): ExportLogEntry => ({
  id: '1',
  exported_at: '2027-01-01T00:00:00Z',
  kind: 'roster',
  format: 'csv',
  cohort_id: 'c',
  cohort_name: 'Fall 2027',
  file_name: '/tmp/a.csv',
  columns: [],
  redacted: false,
  record_count: 4,
  entity_counts: null,
  ...over,
});

describe('logScope', () => {
  it('labels an export of everything with its total and the records of each entity', () => {
    const all = entry({
      kind: 'all',
      format: 'json',
      cohort_id: null,
      cohort_name: null,
      record_count: 512345,
      entity_counts: { agreement: 0, cohort: 12, person: 200000, placement: 312333 },
    });
    expect(logScope(all, 'en')).toEqual({
      text: 'Everything (512,345 records)',
      detail: 'Cohort: 12, Person: 200,000, Placement: 312,333',
      named: false,
    });
    const he = logScope(all, 'he');
    expect(he.text).toContain('הכול');
    expect(he.detail).toContain('אדם');
  });

  it('names the cohort of a roster, or all cohorts for a calendar of every cohort', () => {
    expect(logScope(entry({}), 'en')).toEqual({ text: 'Fall 2027', detail: null, named: true });
    expect(logScope(entry({ kind: 'calendar', cohort_id: null, cohort_name: null }), 'en')).toEqual({
      text: 'All cohorts',
      detail: null,
      named: false,
    });
  });
});
